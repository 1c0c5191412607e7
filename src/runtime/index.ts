/**
 * Public runtime API: load a SavedModel's meta graph on an engine, prepare a signature (or a
 * feeds/fetches pair for graphs without signatures), run it on HostTensors.
 *
 *   const model = await loadModel(source, dir, { tags: ["serve"], engine: "embedded", backend: "wasm" });
 *   const sig = await model.prepare("serving_default");
 *   const { outputs, timings } = await sig.run({ x: tensor }, { signal });
 */
import type { ModelSource } from "../core/io.js";
import { SavedModelReader } from "../core/savedmodel/reader.js";
import { EmbeddedModel } from "./engines/embedded.js";
import { loadNative } from "./engines/native.js";
import type { LoadOptions, LoadedModel } from "./types.js";

export type * from "./types.js";
export { validateFeeds, validateInputs } from "./validate.js";
export { BACKEND_VERSIONS, ensureBackend } from "./engines/backend.js";
export { UNSAFE_OPS } from "./engines/embedded.js";
export { NATIVE_PACKAGE } from "./engines/native.js";
export { NarrowingError } from "./engines/convert.js";
export { GraphIndex, MAX_FUNCTION_DEPTH } from "./plan.js";

/** Opens `dir` through `source` (or uses an already open reader) and loads the meta graph with `opts.tags`. */
export async function loadModel(source: ModelSource | SavedModelReader, dir: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  const reader = source instanceof SavedModelReader ? source : await SavedModelReader.open(source, dir);
  const tags = opts.tags ?? ["serve"];
  const mg = reader.findMetaGraph(tags);
  if ((opts.engine ?? "embedded") === "native") return loadNative(reader, mg.index, opts);
  return EmbeddedModel.load(reader, mg.index, opts);
}
