/**
 * Everything the host needs from core/ and runtime/ beyond plain types: the SavedModel reader and its
 * protobuf schemas, .npy/.npz, and the engine with tfjs. Bundled separately as dist/heavy.js and
 * loaded on first use through `heavy()` (lazy.ts), so activation never parses ~1.7 MB of JavaScript.
 */
export { SavedModelReader } from "../core/savedmodel/reader.js";
export { showAll } from "../core/savedmodel/show.js";
export { pyRepr } from "../core/savedmodel/convert.js";
export { dtypeShortName } from "../core/dtype.js";
export { parseNpy, readNpzMember, listNpz, parseNpz, dtypeForNpyDescr, writeNpy } from "../core/npy/index.js";
export { tensorflow } from "../core/proto/index.js";
export { loadModel } from "../runtime/index.js";
export { signatureFeedSpecs } from "../runtime/feeds.js";
export { EditorSession } from "../editor-model/session.js";
export { registerPbtxtCommands } from "./pbtxt/index.js";
export { exampleFeatures } from "../core/savedmodel/examples.js";
export { traceCsv, traceRows } from "../debug/traceTable.js";
