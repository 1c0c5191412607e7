/**
 * Launching a debug session (Node side): checks the launch arguments, loads the model with every
 * node as written (no fusion, no fast path), builds the inputs the way `savedmodel run` does, and
 * records one run of the signature (trace.ts).
 */
import { StudioError, describeError } from "../core/errors.js";
import { joinPath, type ModelSource } from "../core/io.js";
import type { HostTensor } from "../core/tensor.js";
import { literalToTensor } from "../core/inputs/literal.js";
import { readArrayFile, wasmDir } from "../cli/commands/run.js";
import { resolveModelDir, splitTags } from "../cli/commands/show.js";
import { FsSource } from "../node/fsSource.js";
import { loadModel, type LoadedModel, type PreparedSignature } from "../runtime/index.js";
import { EmbeddedModel } from "../runtime/engines/embedded.js";
import { hostValue } from "../runtime/engines/observe.js";
import { inlineCalls } from "./calls.js";
import { DEBUG_INFO_PATH, debugInfoLocator, type Locator } from "./debugInfo.js";
import { Recorder, type NodeRecord, type TensorRecord } from "./trace.js";

export interface LaunchArgs {
  readonly model: string;
  readonly tags?: string;
  readonly signature?: string;
  readonly inputs?: Readonly<Record<string, string>>;
  readonly inputExprs?: Readonly<Record<string, string>>;
  readonly stopOnEntry?: boolean;
  readonly backend?: "wasm" | "cpu";
  /** Base directory for relative paths (default: the process's). */
  readonly cwd?: string;
}

export interface Recording {
  readonly signature: string;
  readonly records: readonly NodeRecord[];
  readonly feeds: ReadonlyMap<string, TensorRecord | undefined>;
  readonly outputs?: Readonly<Record<string, HostTensor>>;
  readonly error?: string;
  readonly warnings: readonly string[];
  /** Python source of a node (`name` relative to its function, and the function), with debug info. */
  readonly locate?: Locator;
  /** The model's variables (checkpoint key -> value at the start of the run), read on demand. */
  variables(): ReadonlyMap<string, TensorRecord | undefined>;
  dispose(): void;
}

const STATEFUL = /^(Assign|ResourceApply|ApplyGradient|ResourceScatter|ScatterUpdate)/;

function stringMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== "object" || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string"))
    throw new StudioError("USAGE", `launch argument '${what}' must map input keys to strings`);
  return v as Record<string, string>;
}

/** Checks untyped launch arguments (they come from a user's launch.json). */
export function checkLaunchArgs(raw: Record<string, unknown>): LaunchArgs {
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v !== undefined && typeof v !== "string") throw new StudioError("USAGE", `launch argument '${k}' must be a string`);
    return v;
  };
  const model = str("model");
  if (!model) throw new StudioError("USAGE", "launch argument 'model' (the SavedModel directory) is required");
  const backend = str("backend");
  if (backend !== undefined && backend !== "wasm" && backend !== "cpu")
    throw new StudioError("USAGE", `launch argument 'backend' must be wasm or cpu, not '${backend}'`);
  if (raw["stopOnEntry"] !== undefined && typeof raw["stopOnEntry"] !== "boolean")
    throw new StudioError("USAGE", "launch argument 'stopOnEntry' must be true or false");
  const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
  return {
    model,
    ...opt("tags", str("tags")),
    ...opt("signature", str("signature")),
    ...opt("cwd", str("cwd")),
    ...opt("backend", backend as "wasm" | "cpu" | undefined),
    ...opt("stopOnEntry", raw["stopOnEntry"] as boolean | undefined),
    inputs: stringMap(raw["inputs"], "inputs"),
    inputExprs: stringMap(raw["inputExprs"], "inputExprs"),
  };
}

function buildFeeds(args: LaunchArgs, prepared: PreparedSignature, cwd: string): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  const set = (k: string, make: () => HostTensor) => {
    if (feeds[k]) throw new StudioError("USAGE", `input '${k}' is given twice (inputs and inputExprs)`);
    if (!prepared.inputs.some((i) => i.key === k))
      throw new StudioError(
        "USAGE",
        `signature '${prepared.key}' has no input '${k}' (has: ${prepared.inputs.map((i) => i.key).join(", ")})`,
      );
    feeds[k] = make();
  };
  for (const [k, f] of Object.entries(args.inputs ?? {})) set(k, () => readArrayFile(f, cwd));
  for (const [k, e] of Object.entries(args.inputExprs ?? {}))
    set(k, () => {
      const spec = prepared.inputs.find((i) => i.key === k);
      return literalToTensor(e, spec?.dtype ?? 0, spec?.shape ?? null);
    });
  return feeds;
}

function variableReader(model: LoadedModel, recorder: Recorder): () => Map<string, TensorRecord | undefined> {
  let cached: Map<string, TensorRecord | undefined> | undefined;
  return () => {
    cached ??= new Map(
      model instanceof EmbeddedModel
        ? [...model.variables].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, t]) => [k, recorder.tensor(hostValue(t, `variable '${k}'`))])
        : [],
    );
    return cached;
  };
}

/** Debug info bytes are read only up to this size. */
const MAX_DEBUG_INFO_BYTES = 256 * 1024 * 1024;

/** The model's debug info, when it was saved with it (a file that does not decode is a warning). */
async function readDebugInfo(source: ModelSource, dir: string, warnings: string[]): Promise<Locator | undefined> {
  const path = joinPath(dir, DEBUG_INFO_PATH);
  const st = await source.stat(path);
  if (st?.kind !== "file") return undefined;
  if (st.size > MAX_DEBUG_INFO_BYTES) {
    warnings.push(`${DEBUG_INFO_PATH} is over ${MAX_DEBUG_INFO_BYTES} bytes: frames show graph listings instead of source lines`);
    return undefined;
  }
  try {
    return debugInfoLocator(await source.read(path), path);
  } catch (e) {
    warnings.push(`${describeError(e)}: frames show graph listings instead of source lines`);
    return undefined;
  }
}

/** Loads the model and records one run of the signature. */
export async function record(args: LaunchArgs): Promise<Recording> {
  const cwd = args.cwd ?? process.cwd();
  const source = new FsSource();
  const dir = await resolveModelDir(source, args.model, cwd);
  const wasm = wasmDir();
  const model = await loadModel(source, dir, {
    tags: args.tags !== undefined ? splitTags(args.tags) : ["serve"],
    backend: args.backend ?? "wasm",
    fastPath: false,
    fuse: false,
    ...(wasm ? { wasmPaths: wasm } : {}),
  });
  try {
    if (!(model instanceof EmbeddedModel)) throw new StudioError("USAGE", "the debugger needs the embedded engine");
    const prepared = await model.prepare(args.signature ?? "serving_default");
    const feeds = buildFeeds(args, prepared, cwd);
    const mg = model.meta.graph_def ?? {};
    const recorder = new Recorder(inlineCalls(mg));
    const variables = variableReader(model, recorder);
    if (prepared.ops.some((o) => STATEFUL.test(o))) variables(); // the values the run starts from
    let outputs: Record<string, HostTensor> | undefined;
    let error: string | undefined;
    const warnings = [...prepared.warnings];
    const locate = await readDebugInfo(source, dir, warnings);
    try {
      const res = await prepared.run(feeds, { onNode: recorder.observe });
      outputs = res.outputs;
      warnings.push(...res.warnings);
    } catch (e) {
      error = describeError(e);
      const failed = recorder.records[recorder.records.length - 1];
      if (failed && !failed.outputs) failed.error = error;
    }
    const feedRecords = new Map(Object.entries(feeds).map(([k, h]) => [k, recorder.tensor(h)]));
    return {
      signature: prepared.key,
      records: recorder.records,
      feeds: feedRecords,
      warnings,
      variables,
      dispose: () => model.dispose(),
      ...(locate ? { locate } : {}),
      ...(outputs ? { outputs } : {}),
      ...(error !== undefined ? { error } : {}),
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
