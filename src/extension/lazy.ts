/**
 * The host's two lazily loaded parts, each through parts.ts so a missing bundle is reported to the
 * user: dist/reader.js (browsing: reader, schemas, .npy, editor view models) and dist/runtime.js
 * (running: the engine with tfjs). Activation parses neither; browsing never parses the engine.
 */
import type * as ReaderModule from "./readerPart.js";
import type * as RuntimeModule from "./runtimePart.js";
import { requirePart } from "./parts.js";

export type ReaderPart = typeof ReaderModule;
export type RuntimePart = typeof RuntimeModule;

let reader: ReaderPart | undefined;
let runtime: RuntimePart | undefined;

export async function readerPart(): Promise<ReaderPart> {
  reader ??= requirePart<ReaderPart>("reader.js");
  return reader;
}

export async function runtimePart(): Promise<RuntimePart> {
  runtime ??= requirePart<RuntimePart>("runtime.js");
  return runtime;
}
