/**
 * The engine, bundled as dist/runtime.js and loaded through `runtimePart()` (lazy.ts) when a model on a
 * file system the engine worker cannot read (remote, virtual) is run in the host: tfjs and the kernels.
 * Local runs, Run with Trace and debugging run the engine in a worker or process of their own.
 */
export { loadModel } from "../runtime/index.js";
