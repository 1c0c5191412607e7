/**
 * The web build's runtime/wasm/threads.ts: the SIMD pool's helper threads are Blob-URL workers (the
 * web-worker extension host refuses `new Worker(uri)` for extension files), started only when the
 * context is cross-origin isolated, since the kernels' memory must be a shared WebAssembly.Memory.
 * Otherwise the pool runs in the calling thread.
 */
export interface PoolWorkerData {
  readonly module: object;
  readonly memory: object;
  readonly base: number;
}

/** The worker-scope globals used here (the project's lib has no DOM types). */
interface BrowserWorker {
  onerror: (() => void) | null;
  postMessage(data: unknown): void;
}
const scope = globalThis as unknown as {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker: new (url: string) => BrowserWorker;
};

export function canShareMemory(): boolean {
  return scope.crossOriginIsolated === true;
}

/** Starts a Blob worker running `body` once it has received `data` as `workerData`. */
export function startPoolWorker(body: string, data: PoolWorkerData, onGone: () => void): boolean {
  if (!canShareMemory()) return false;
  const source = `self.onmessage = (ev) => {\nself.onmessage = null;\nconst workerData = ev.data;\n${body}\n};`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const w = new scope.Worker(url);
  w.onerror = onGone;
  w.postMessage(data);
  return true;
}

/** Cores for the pool: the browser's hardwareConcurrency when threads are possible, else 1. */
export function machineCores(): number {
  return canShareMemory() ? (scope.navigator?.hardwareConcurrency ?? 1) : 1;
}

export const THREADS_KIND = "Blob workers";
