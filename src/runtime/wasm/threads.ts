/**
 * How the SIMD pool (pool.ts) gets its helper threads, in Node: worker_threads started from source
 * text (unref'd, so they never keep a process alive) and the machine's core count. The web build
 * replaces this module with src/web/threads.ts (Blob workers, shared memory only when the page is
 * cross-origin isolated). The requires stay inside functions so bundles load without worker_threads.
 */

/** What a helper thread receives: the compiled kernels, the shared memory and the job board's offset. */
export interface PoolWorkerData {
  readonly module: object;
  readonly memory: object;
  readonly base: number;
}

/** Whether a shared WebAssembly.Memory can be created (and posted to threads) here. */
export function canShareMemory(): boolean {
  return true;
}

/**
 * Starts a thread running `body` (JavaScript that reads `workerData`); `onGone` is called when it
 * dies. Returns false when threads are unavailable.
 */
export function startPoolWorker(body: string, data: PoolWorkerData, onGone: () => void): boolean {
  let Worker: typeof import("node:worker_threads").Worker;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Worker = (require("node:worker_threads") as typeof import("node:worker_threads")).Worker;
  } catch {
    return false;
  }
  const source = `const { workerData } = require("node:worker_threads");\n${body}`;
  const w = new Worker(source, { eval: true, workerData: data });
  w.unref();
  w.on("error", onGone);
  w.on("exit", onGone);
  return true;
}

/** The machine's cores (1 when unknown). */
export function machineCores(): number {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require("node:os") as typeof import("node:os");
    return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  } catch {
    return 1;
  }
}

/** A label for results headers: how threads are made here. */
export const THREADS_KIND = "worker_threads";
