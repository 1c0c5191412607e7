/**
 * What the host needs to browse models, bundled as dist/reader.js and loaded on first use through
 * `readerPart()` (lazy.ts): the SavedModel reader and its protobuf schemas, .npy/.npz, the editor's
 * view models, pbtxt commands. No engine and no tfjs (scripts/build.mjs checks), so expanding a model
 * in the tree or opening the editor never parses the engine.
 */
export { SavedModelReader } from "../core/savedmodel/reader.js";
export { showAll } from "../core/savedmodel/show.js";
export { pyRepr } from "../core/savedmodel/convert.js";
export { parseNpy, readNpzMember, listNpz, parseNpz, dtypeForNpyDescr, writeNpy } from "../core/npy/index.js";
export { signatureFeedSpecs } from "../runtime/feeds.js";
export { EditorSession } from "../editor-model/session.js";
export { registerPbtxtCommands } from "./pbtxt/index.js";
export { exampleFeatures } from "../core/savedmodel/examples.js";
export { examplesFromText } from "../core/inputs/examples.js";
export { traceCsv, traceRows } from "../debug/traceTable.js";
