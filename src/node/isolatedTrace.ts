/**
 * Run with Trace and `savedmodel trace` out of the host thread (issue 17): the recording (debug/launch.ts)
 * is made in a fresh engine worker (engine-worker.ts), which hands back table rows only. A hostile model
 * that loops or fills memory while being traced ends the worker, never the extension host; Cancel
 * terminates it at once.
 */
import type { LaunchArgs } from "../debug/launch.js";
import { StudioError } from "../core/errors.js";
import type { TraceResult } from "./engine-protocol.js";
import { DEFAULT_WORKER_HEAP_MB, EngineWorker, defaultEngineWorkerScript, type IsolationOptions } from "./isolatedEngine.js";

/** Records a run of `args` in a worker thread; rejects with CANCELLED when `signal` aborts. */
export async function traceIsolated(args: LaunchArgs, iso: IsolationOptions = {}, signal?: AbortSignal): Promise<TraceResult> {
  const script = iso.script ?? defaultEngineWorkerScript();
  if (!script) throw new StudioError("ENGINE", "the engine worker script (engineWorker.js) was not found next to the bundle");
  const worker = new EngineWorker(script, iso.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB);
  try {
    return await worker.call<TraceResult>({ kind: "trace", args }, signal);
  } finally {
    worker.terminate();
  }
}
