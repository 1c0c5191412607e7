/**
 * The web build's runtime/wasm/threads.ts: the SIMD pool's helper threads are Blob-URL workers (the
 * web-worker extension host refuses `new Worker(uri)` for extension files), started only when the
 * context is cross-origin isolated (shared memory can be posted to workers only then). Otherwise the
 * pool runs in the calling thread.
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
  WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => object };
};

/** Whether a shared WebAssembly.Memory can be made here (browsers allow it only when cross-origin isolated). */
let shareable: boolean | undefined;
export function canShareMemory(): boolean {
  shareable ??= (() => {
    try {
      new scope.WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      return true;
    } catch {
      return false;
    }
  })();
  return shareable;
}

/** Starts a Blob worker running `body` once it has received `data` as `workerData`. */
export function startPoolWorker(body: string, data: PoolWorkerData, onGone: () => void): boolean {
  if (!canShareMemory() || scope.crossOriginIsolated !== true) return false;
  const source = `self.onmessage = (ev) => {\nself.onmessage = null;\nconst workerData = ev.data;\n${body}\n};`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const w = new scope.Worker(url);
  w.onerror = onGone;
  w.postMessage(data);
  return true;
}

/** Cores for the pool: the browser's hardwareConcurrency when threads are possible, else 1. */
export function machineCores(): number {
  return canShareMemory() && scope.crossOriginIsolated === true ? (scope.navigator?.hardwareConcurrency ?? 1) : 1;
}

export const THREADS_KIND = "Blob workers";
