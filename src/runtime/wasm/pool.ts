/**
 * The fast path's wasm runtime: one shared WebAssembly memory, the SIMD kernels (./as/kernels.ts)
 * instantiated on it in this thread and in a few worker threads, a block allocator over the memory,
 * and `parallel`, which splits one kernel call's row range across the threads.
 *
 * Process-wide and created lazily (`simdRuntime()`); workers are unref'd (they never keep a process
 * alive), spin for a moment after each job (a network's layers follow each other within
 * microseconds) and then sleep in Atomics.wait. Without worker_threads (or with threads = 1)
 * everything runs in the calling thread.
 */
import { KERNELS_WASM_BASE64 } from "./gen/kernels.js";

// The WebAssembly JS API as this file uses it (the project's lib has no DOM types).
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
};

export type KernelName = "gemm" | "im2col" | "pool" | "depthwise" | "affine" | "softmax";
const NAMES: readonly KernelName[] = ["gemm", "im2col", "pool", "depthwise", "affine", "softmax"];
type KernelFn = (...args: number[]) => void;

/** One kernel call: `args` with the row range at `args[split]`, `args[split + 1]`. */
export interface KernelCall {
  readonly fn: KernelName;
  readonly args: number[];
  readonly split: number;
}

const PAGE = 65536;
/** Control words live below the heap: per worker [seq, done, ncalls, (fn, nargs, lo-slot, args[20])...]. */
const CTL_BASE = 16 * 1024;
const CTL_WORDS_PER_WORKER = 256;
const MAX_CALLS = 8;
const CALL_WORDS = 24;
const HEAP_BASE = 64 * 1024;
const MAX_PAGES = 32768;
const MAX_WORKERS = 7;

/** Source of the worker threads (evaluated, so the bundles need no extra file). */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, base } = workerData;
const e = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("abort"); } } }).exports;
const names = ${JSON.stringify(NAMES)};
const fns = names.map((n) => e[n]);
const ctl = new Int32Array(memory.buffer, base, ${CTL_WORDS_PER_WORKER});
let seen = 0;
for (;;) {
  let seq = Atomics.load(ctl, 0);
  if (seq === seen) {
    const until = performance.now() + 3;
    let i = 0;
    while ((seq = Atomics.load(ctl, 0)) === seen) {
      if ((++i & 1023) === 0 && performance.now() > until) { Atomics.wait(ctl, 0, seen); i = 0; }
    }
  }
  seen = seq;
  if (seq < 0) break;
  const n = ctl[2];
  try {
    for (let c = 0; c < n; c++) {
      const o = 3 + c * ${CALL_WORDS};
      const fn = fns[ctl[o]];
      const nargs = ctl[o + 1];
      const a = [];
      for (let k = 0; k < nargs; k++) a.push(ctl[o + 2 + k]);
      fn(...a);
    }
  } catch {
    Atomics.store(ctl, 1, -seq);
    continue;
  }
  Atomics.store(ctl, 1, seq);
}
`;

interface WorkerHandle {
  readonly ctl: Int32Array;
  seq: number;
  terminate(): void;
}

export class SimdRuntime {
  readonly memory: WasmMemory;
  private readonly fns: Record<KernelName, KernelFn>;
  private readonly workers: WorkerHandle[] = [];
  /** Free blocks [start, size], sorted by start, coalesced. */
  private free: [number, number][] = [];
  private top = HEAP_BASE;

  private constructor(module: WasmModule, threads: number) {
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const inst = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error("abort");
        },
      },
    });
    const e = inst.exports;
    this.fns = Object.fromEntries(NAMES.map((n) => [n, e[n] as KernelFn])) as Record<KernelName, KernelFn>;
    this.startWorkers(module, threads - 1);
  }

  private static instance: SimdRuntime | null | undefined;

  /** The process-wide runtime, or null when this JS engine has no wasm SIMD / shared memory. */
  static get(threads = defaultThreads()): SimdRuntime | null {
    if (SimdRuntime.instance === undefined) {
      try {
        const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
        SimdRuntime.instance = new SimdRuntime(new WebAssembly.Module(bytes), threads);
      } catch {
        SimdRuntime.instance = null;
      }
    }
    return SimdRuntime.instance;
  }

  /** Threads a call is split across (this one included). */
  get threads(): number {
    return this.workers.length + 1;
  }

  private startWorkers(module: WasmModule, count: number): void {
    let Worker: typeof import("node:worker_threads").Worker;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      Worker = (require("node:worker_threads") as typeof import("node:worker_threads")).Worker;
    } catch {
      return;
    }
    for (let i = 0; i < Math.min(count, MAX_WORKERS); i++) {
      const base = CTL_BASE + i * CTL_WORDS_PER_WORKER * 4;
      try {
        const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory, base } });
        w.unref();
        const handle: WorkerHandle = {
          ctl: new Int32Array(this.memory.buffer, base, CTL_WORDS_PER_WORKER),
          seq: 0,
          terminate: () => void w.terminate(),
        };
        // A worker that dies (out of memory, killed) is dropped; its share goes to the others.
        w.on("error", () => this.drop(handle));
        w.on("exit", () => this.drop(handle));
        this.workers.push(handle);
      } catch {
        return;
      }
    }
  }

  private drop(h: WorkerHandle): void {
    const i = this.workers.indexOf(h);
    if (i >= 0) this.workers.splice(i, 1);
  }

  // ---------- memory ----------

  /** A 64-byte aligned block of `bytes` bytes (grows the memory when needed). */
  alloc(bytes: number): number {
    const size = Math.max(64, Math.ceil(bytes / 64) * 64);
    for (let i = 0; i < this.free.length; i++) {
      const [start, len] = this.free[i]!;
      if (len < size) continue;
      if (len === size) this.free.splice(i, 1);
      else this.free[i] = [start + size, len - size];
      return start;
    }
    const start = this.top;
    const end = start + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES)
        throw new RangeError(`fast path memory limit: ${end} bytes needed, ${MAX_PAGES * PAGE} available`);
      this.memory.grow(pages);
    }
    this.top = end;
    return start;
  }

  release(start: number, bytes: number): void {
    const size = Math.max(64, Math.ceil(bytes / 64) * 64);
    this.free.push([start, size]);
    this.free.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === b[0]) last[1] += b[1];
      else merged.push([b[0], b[1]]);
    }
    const tail = merged[merged.length - 1];
    if (tail && tail[0] + tail[1] === this.top) {
      this.top = tail[0];
      merged.pop();
    }
    this.free = merged;
  }

  /** Bytes allocated and not released (tests check that models give their memory back). */
  get bytesInUse(): number {
    return this.top - HEAP_BASE - this.free.reduce((a, [, len]) => a + len, 0);
  }

  /** A float32 view of the whole memory (fetch it again after anything that may grow the memory). */
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  // ---------- calls ----------

  call(fn: KernelName, args: readonly number[]): void {
    this.fns[fn](...args);
  }

  /**
   * Runs `calls` for rows [0, total) split across the threads: every call of a thread gets the same
   * sub-range (rounded to `align` rows), so calls that only read their own rows of an earlier call
   * (im2col then gemm) need no barrier. Ranges smaller than `minRows` per thread use fewer threads.
   */
  parallel(calls: readonly KernelCall[], total: number, align = 4, minRows = 1): void {
    const threads = Math.max(1, Math.min(this.workers.length + 1, Math.floor(total / Math.max(1, minRows))));
    if (threads <= 1 || calls.length > MAX_CALLS) {
      for (const c of calls) this.fns[c.fn](...withRange(c, 0, total));
      return;
    }
    const per = Math.ceil(total / threads / align) * align;
    const busy: WorkerHandle[] = [];
    // Workers take the tail shares, this thread the first.
    for (let t = 1; t < threads; t++) {
      const lo = Math.min(total, t * per);
      const hi = Math.min(total, lo + per);
      if (lo >= hi) break;
      const w = this.workers[t - 1]!;
      const ctl = w.ctl;
      ctl[2] = calls.length;
      calls.forEach((c, k) => {
        const o = 3 + k * CALL_WORDS;
        const a = withRange(c, lo, hi);
        ctl[o] = NAMES.indexOf(c.fn);
        ctl[o + 1] = a.length;
        for (let j = 0; j < a.length; j++) ctl[o + 2 + j] = a[j]!;
      });
      w.seq = w.seq >= 0x3fffffff ? 1 : w.seq + 1;
      Atomics.store(ctl, 0, w.seq);
      Atomics.notify(ctl, 0);
      busy.push(w);
    }
    for (const c of calls) this.fns[c.fn](...withRange(c, 0, Math.min(total, per)));
    let failed = false;
    for (const w of busy) {
      let done: number;
      while ((done = Atomics.load(w.ctl, 1)) !== w.seq) {
        if (done === -w.seq) {
          failed = true;
          break;
        }
      }
    }
    // A kernel trapped in a worker (it reports instead of dying): the caller falls back.
    if (failed) throw new Error("a fast-path kernel failed in a worker thread");
  }

  /** Stops the worker threads (tests; the process exits without it). */
  shutdown(): void {
    for (const w of [...this.workers]) {
      Atomics.store(w.ctl, 0, -1);
      Atomics.notify(w.ctl, 0);
      w.terminate();
    }
    this.workers.length = 0;
    SimdRuntime.instance = undefined;
  }
}

function withRange(c: KernelCall, lo: number, hi: number): number[] {
  const a = c.args.slice();
  a[c.split] = lo;
  a[c.split + 1] = hi;
  return a;
}

/** Threads for the fast path: the machine's cores, at most 4 (small networks gain little more). */
export function defaultThreads(): number {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require("node:os") as typeof import("node:os");
    const n = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return Math.max(1, Math.min(4, n));
  } catch {
    return 1;
  }
}
