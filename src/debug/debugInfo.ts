/**
 * Where the ops came from (PURE): `debug/saved_model_debug_info.pb` (tensorflow.GraphDebugInfo, written
 * by `tf.saved_model.save(..., options=SaveOptions(save_debug_info=True))`) maps a node — `name` at graph
 * level, `name@function` inside a function — to the Python stack that created it, in the legacy form
 * (`traces`, frames inline) or the TF 2.15+ form (`name_to_trace_id` → `traces_by_id` → `frames_by_id`).
 * The debugger points a frame at the innermost recorded frame of that stack.
 */
import * as protobuf from "protobufjs/light.js";
import { FormatError } from "../core/errors.js";
import { tensorflow } from "../core/proto/index.js";

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Locator = (node: string, fn: string) => SourceLocation | undefined;

export const DEBUG_INFO_PATH = "debug/saved_model_debug_info.pb";

type Frame = tensorflow.GraphDebugInfo.FileLineCol.$Properties;
type Id = number | { low: number; high: number; unsigned: boolean } | string;

/** protobufjs keys 64-bit maps by an 8-character hash of the Long (or by the number without long.js). */
function lookup<T>(map: Record<string, T> | null | undefined, id: Id): T | undefined {
  if (!map) return undefined;
  const hash = typeof id === "string" ? id : protobuf.util.longToHash(id as number);
  return map[hash] ?? map[String(id)];
}

/** Decodes GraphDebugInfo bytes into a lookup; a file that does not decode is a FormatError. */
export function debugInfoLocator(bytes: Uint8Array, file = DEBUG_INFO_PATH): Locator {
  let info: tensorflow.GraphDebugInfo;
  try {
    info = tensorflow.GraphDebugInfo.decode(bytes);
  } catch (e) {
    throw new FormatError(file, `not a GraphDebugInfo (${e instanceof Error ? e.message : String(e)})`);
  }
  const files = info.files ?? [];
  const framesOf = (key: string): readonly Frame[] | undefined => {
    const legacy = info.traces?.[key];
    if (legacy) return legacy.file_line_cols ?? [];
    const id = info.name_to_trace_id?.[key];
    if (id === undefined || id === null) return undefined;
    const trace = lookup(info.traces_by_id, id as Id);
    return trace?.frame_id?.map((f) => lookup(info.frames_by_id, f as Id)).filter((f): f is Frame => f !== undefined && f !== null);
  };
  return (node, fn) => {
    const frames = framesOf(fn ? `${node}@${fn}` : node) ?? framesOf(node);
    const last = frames?.[frames.length - 1];
    const path = last ? files[last.file_index ?? 0] : undefined;
    if (!last || !path) return undefined;
    return { file: path, line: last.line ?? 0, column: last.col ?? 0 };
  };
}
