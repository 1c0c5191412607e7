/**
 * The fast path's wasm runtime: one shared WebAssembly memory, the SIMD kernels (./as/kernels.ts)
 * instantiated on it in this thread and in a few worker threads, a block allocator over the memory,
 * and `parallel`, which splits one kernel call's row range across the threads.
 *
 * Process-wide and created lazily (`SimdRuntime.get()`); workers are unref'd (they never keep a process
 * alive), spin for a moment after each job (a network's layers follow each other within
 * microseconds) and then sleep in Atomics.wait. Without worker_threads (or with threads = 1)
 * everything runs in the calling thread.
 */
import { KERNELS_WASM_BASE64 } from "./gen/kernels.js";
import { canShareMemory, machineCores, startPoolWorker } from "./threads.js";

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

export type KernelName = "gemm" | "im2col" | "pool" | "depthwise" | "affine" | "softmax" | "add" | "padrows" | "act";
const NAMES: readonly KernelName[] = ["gemm", "im2col", "pool", "depthwise", "affine", "softmax", "add", "padrows", "act"];
type KernelFn = (...args: number[]) => void;

/** One kernel call: `args` with the row range at `args[split]`, `args[split + 1]`. */
export interface KernelCall {
  readonly fn: KernelName;
  readonly args: number[];
  readonly split: number;
}

const PAGE = 65536;
/** The job board lives below the heap. */
const CTL_BASE = 16 * 1024;
const MAX_CALLS = 8;
const CALL_WORDS = 28;
const CTL_WORDS = 8 + MAX_CALLS * CALL_WORDS;
/** Chunks per thread: small enough that a stalled thread leaves little undone. */
const CHUNKS_PER_THREAD = 4;

/**
 * Claims chunks of job `seq` and runs them; the same source runs in the workers and (compiled with
 * `new Function`) in the calling thread. A chunk's rows go into every call's split slots.
 */
const CLAIM_AND_RUN = `
function work(seq) {
  const tag = (seq & 0xffff) << 16;
  for (;;) {
    const claim = Atomics.load(ctl, 1);
    if ((claim & ~0xffff) !== tag) return;
    const chunk = claim & 0xffff;
    if (chunk >= ctl[3]) return;
    if (Atomics.compareExchange(ctl, 1, claim, claim + 1) !== claim) continue;
    const total = ctl[4], per = ctl[5];
    const lo = Math.min(total, chunk * per), hi = Math.min(total, lo + per);
    try {
      for (let c = 0; c < ctl[7]; c++) {
        const o = 8 + c * ${CALL_WORDS};
        const nargs = ctl[o + 1], split = ctl[o + 2];
        const a = new Array(nargs);
        for (let k = 0; k < nargs; k++) a[k] = ctl[o + 3 + k];
        a[split] = lo;
        a[split + 1] = hi;
        fns[ctl[o]](...a);
      }
      Atomics.add(ctl, 2, 1);
    } catch (err) {
      // A trap: the chunk is finished all the same (low half) and counted as failed (high half),
      // so the caller waits for every chunk and then reports the failure.
      Atomics.add(ctl, 2, 0x10001);
    }
  }
}`;
const HEAP_BASE = 64 * 1024;
const MAX_PAGES = 32768;
const MAX_WORKERS = 7;

/**
 * The job board (int32 words at CTL_BASE), shared by every thread:
 *   [0] seq     bumped per job; workers sleep on it
 *   [1] claim   (seq & 0xffff) << 16 | next chunk: claimed by compare-exchange, so a late worker
 *               can never take a chunk of a newer job with an older job's description
 *   [2] done    chunks finished (low 16 bits) and, of those, failed ones (high 16 bits)
 *   [3] chunks  [4] total rows  [5] rows per chunk  [6] unused  [7] calls
 *   [8 + c * CALL_WORDS] fn, nargs, split, args...
 * A thread that is descheduled (a busy machine) delays at most the one chunk it claimed: the
 * others, this thread included, take the rest.
 */
const WORKER_SOURCE = `
const { module, memory, base } = workerData;
const e = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("abort"); } } }).exports;
const names = ${JSON.stringify(NAMES)};
const fns = names.map((n) => e[n]);
const ctl = new Int32Array(memory.buffer, base, ${CTL_WORDS});
${CLAIM_AND_RUN}
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
  work(seq);
}
`;

/** A started worker (its identity: the pool drops it when it exits). */
type WorkerHandle = object;

export class SimdRuntime {
  readonly memory: WasmMemory;
  private readonly fns: Record<KernelName, KernelFn>;
  private readonly workers: WorkerHandle[] = [];
  /** Free blocks [start, size], sorted by start, coalesced. */
  private free: [number, number][] = [];
  private top = HEAP_BASE;

  private constructor(module: WasmModule, threads: number) {
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: canShareMemory() });
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
    this.board = new Int32Array(this.memory.buffer, CTL_BASE, CTL_WORDS);
    // The claiming loop is the workers' own source, compiled here too (one definition for both).
    this.work = new Function("ctl", "fns", `${CLAIM_AND_RUN}\nreturn work;`)(
      this.board,
      NAMES.map((n) => this.fns[n]),
    ) as (seq: number) => void;
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
    for (let i = 0; i < Math.min(count, MAX_WORKERS); i++) {
      // A worker that dies is dropped; the chunks it would have taken go to the others.
      const handle: WorkerHandle = {};
      try {
        if (!startPoolWorker(WORKER_SOURCE, { module, memory: this.memory, base: CTL_BASE }, () => this.drop(handle))) return;
      } catch {
        return;
      }
      this.workers.push(handle);
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
   * Runs `calls` for rows [0, total) split across the threads in chunks: every call of a chunk gets
   * the same rows (rounded to `align`), so calls that only read their own rows of an earlier call
   * (im2col then gemm) need no barrier. Ranges under `minRows` rows per thread use fewer chunks.
   */
  parallel(calls: readonly KernelCall[], total: number, align = 4, minRows = 1): void {
    const threads = Math.max(1, Math.min(this.workers.length + 1, Math.floor(total / Math.max(1, minRows))));
    if (threads <= 1 || calls.length > MAX_CALLS || calls.some((c) => c.args.length > CALL_WORDS - 3)) {
      for (const c of calls) this.fns[c.fn](...withRange(c, 0, total));
      return;
    }
    const per = Math.max(align, Math.ceil(total / (threads * CHUNKS_PER_THREAD) / align) * align);
    const chunks = Math.ceil(total / per);
    const ctl = this.board;
    ctl[3] = chunks;
    ctl[4] = total;
    ctl[5] = per;
    ctl[7] = calls.length;
    calls.forEach((c, k) => {
      const o = 8 + k * CALL_WORDS;
      ctl[o] = NAMES.indexOf(c.fn);
      ctl[o + 1] = c.args.length;
      ctl[o + 2] = c.split;
      for (let j = 0; j < c.args.length; j++) ctl[o + 3 + j] = c.args[j]!;
    });
    this.seq = this.seq >= 0x3fffffff ? 1 : this.seq + 1;
    Atomics.store(ctl, 2, 0);
    Atomics.store(ctl, 1, (this.seq & 0xffff) << 16);
    Atomics.store(ctl, 0, this.seq);
    Atomics.notify(ctl, 0);
    this.work(this.seq);
    // Chunks other threads claimed may still be running: wait for every one, failed or not, so no
    // thread is still writing (or counting) when the caller moves on.
    let done: number;
    while (((done = Atomics.load(ctl, 2)) & 0xffff) !== chunks);
    if (done >>> 16 !== 0) throw new Error(`a fast-path kernel failed in ${done >>> 16} of ${chunks} chunks`);
  }

  private seq = 0;
  private readonly board: Int32Array;
  private readonly work: (seq: number) => void;
}

function withRange(c: KernelCall, lo: number, hi: number): number[] {
  const a = c.args.slice();
  a[c.split] = lo;
  a[c.split + 1] = hi;
  return a;
}

/** Threads for the fast path: the machine's cores, at most 4 (small networks gain little more). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, machineCores()));
}
