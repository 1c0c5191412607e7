/**
 * The engine, bundled as dist/runtime.js and loaded on the first run or debug session through
 * `runtimePart()` (lazy.ts): tfjs, the kernels, the debug session and recorder.
 */
export { loadModel } from "../runtime/index.js";
export { SavedModelDebugSession } from "../debug/session.js";
export { record as recordSignature } from "../debug/launch.js";
export { traceCsv, traceRows } from "../debug/traceTable.js";
