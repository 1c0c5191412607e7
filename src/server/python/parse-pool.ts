/**
 * One parse worker (worker_threads) that shares the fresh parse of a large document with the server
 * thread, so the first analysis of a big file uses both cores.
 *
 * `run` stays synchronous for its caller (PythonDocument.update): both threads take block indices from
 * a shared counter tagged with the job (parse-protocol.ts `claimNext`, a compare-and-swap), the server thread parses its share inline as usual while the worker
 * parses and encodes the rest (ast.ts `encodeTree`) and posts the encodings back in batches; the server
 * thread reads them with `receiveMessageOnPort` between its own blocks and then blocks on `Atomics.wait`
 * until the last batch is in. Both paths build PyNodes with the same `decodeTree`, so a block gives the
 * same tree whichever thread parsed it.
 *
 * The worker is started lazily (the first large document is parsed inline while it boots), unref'd,
 * and reused. When it dies or stops making progress, the blocks it claimed but did not return are
 * parsed inline, and the worker is replaced on a later document (at most MAX_STARTS times).
 */
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, type Worker, type MessagePort } from "node:worker_threads";
import { scriptNextTo, startWorker } from "../../node/worker-script.js";
import type { EncodedTree } from "./ast.js";
import { loadedWasmFiles } from "./parser.js";
import {
  claimNext,
  CTL,
  jobTag,
  MAX_JOB_ITEMS,
  openClaims,
  type JobMessage,
  type ResultMessage,
  type WorkerData,
} from "./parse-protocol.js";

/** Below this much fresh text a document is parsed inline (a worker round trip would not pay off). */
export const POOL_MIN_CHARS = 24_000;
const MAX_STARTS = 3;

export interface ParsePoolOptions {
  /** Worker script (default: parseWorker.js next to the bundle, or parse-worker.ts when run from source). */
  readonly script?: string;
  /** Give up on the worker when no batch arrived for this long (ms). */
  readonly progressTimeoutMs?: number;
  /** Share a parse only from this much fresh text (default POOL_MIN_CHARS) ... */
  readonly minChars?: number;
  /** ... and this many fresh blocks (default 4). */
  readonly minBlocks?: number;
}

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly ctl: Int32Array;
  alive: boolean;
}

export interface JobHandlers {
  /** Parse job item `i` on this thread. */
  inline(i: number): void;
  /** Job item `i` as the worker encoded it. */
  received(i: number, enc: EncodedTree): void;
}

export interface JobStats {
  readonly inline: number;
  readonly worker: number;
  /** Items the worker claimed but never returned (parsed inline after it died or stalled). */
  readonly recovered: number;
}

export class ParsePool {
  private running: Running | undefined;
  private starts = 0;
  private jobId = 0;
  private readonly script: string | undefined;
  private readonly progressTimeoutMs: number;
  private readonly minChars: number;
  private readonly minBlocks: number;

  constructor(opts: ParsePoolOptions = {}) {
    this.script = opts.script ?? defaultScript();
    this.progressTimeoutMs = opts.progressTimeoutMs ?? 2000;
    this.minChars = opts.minChars ?? POOL_MIN_CHARS;
    this.minBlocks = opts.minBlocks ?? 4;
  }

  /** Whether a fresh parse of this size is worth sharing (and the worker is ready; else it is started). */
  wants(chars: number, blocks: number): boolean {
    return chars >= this.minChars && blocks >= this.minBlocks && this.ready();
  }

  /** Whether a job would go to a worker now; starts one in the background when there is none. */
  ready(): boolean {
    const r = this.running;
    if (r?.alive) return Atomics.load(r.ctl, CTL.READY) === 1;
    this.start();
    return false;
  }

  /** Blocks until the worker is ready (tests and benchmarks that want the parallel path at once). */
  async whenReady(timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.ready()) {
      if (Date.now() > until || (this.running === undefined && this.starts >= MAX_STARTS)) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
    return true;
  }

  /**
   * Handles every item of `texts` exactly once, on this thread or the worker's; call only when
   * `ready()`. `crashAfter` (tests) makes the worker die after claiming that many items.
   */
  run(texts: readonly string[], h: JobHandlers, crashAfter?: number): JobStats {
    const r = this.running;
    const n = texts.length;
    const done = new Uint8Array(n);
    let handled = 0;
    let inline = 0;
    let fromWorker = 0;
    let recovered = 0;
    if (!r?.alive || Atomics.load(r.ctl, CTL.READY) !== 1 || n > MAX_JOB_ITEMS) {
      for (let i = 0; i < n; i++) h.inline(i);
      return { inline: n, worker: 0, recovered: 0 };
    }
    const id = ++this.jobId;
    const tag = jobTag(id);
    openClaims(r.ctl, tag);
    const job: JobMessage = crashAfter === undefined ? { id, texts } : { id, texts, crashAfter };
    r.port.postMessage(job);
    const drain = (): void => {
      for (let m = receiveMessageOnPort(r.port); m; m = receiveMessageOnPort(r.port)) {
        const msg = m.message as ResultMessage;
        if (msg.id !== id) continue;
        const { index, data } = msg;
        let offset = 0;
        for (let k = 0; k < index.length; k += 3) {
          const i = index[k]!;
          const count = index[k + 1]!;
          const ints = count * 5;
          if (!done[i]) {
            done[i] = 1;
            handled++;
            fromWorker++;
            h.received(i, { data: data.subarray(offset, offset + ints), count, hasError: index[k + 2] === 1 });
          }
          offset += ints;
        }
      }
    };
    for (;;) {
      const i = claimNext(r.ctl, tag, n);
      if (i < 0) break;
      h.inline(i);
      done[i] = 1;
      handled++;
      inline++;
      drain();
    }
    let seen = Atomics.load(r.ctl, CTL.POSTED);
    let lastProgress = Date.now();
    while (handled < n) {
      drain();
      if (handled >= n) break;
      const now = Date.now();
      if (!r.alive || now - lastProgress > this.progressTimeoutMs) {
        // Dead or stuck: it may still hold claims, so it is not given another job.
        this.retire(r);
        for (let i = 0; i < n; i++) {
          if (done[i]) continue;
          h.inline(i);
          done[i] = 1;
          handled++;
          recovered++;
        }
        break;
      }
      Atomics.wait(r.ctl, CTL.POSTED, seen, 20);
      const posted = Atomics.load(r.ctl, CTL.POSTED);
      if (posted !== seen) {
        seen = posted;
        lastProgress = Date.now();
      }
    }
    return { inline: inline + recovered, worker: fromWorker, recovered };
  }

  /** Tests: makes the worker exit at once (as a crash would). */
  crashWorkerForTest(): void {
    this.running?.port.postMessage({ id: 0, texts: [], crash: true } satisfies JobMessage);
  }

  dispose(): void {
    if (this.running) this.retire(this.running);
    this.starts = MAX_STARTS;
  }

  private retire(r: Running): void {
    r.alive = false;
    if (this.running === r) this.running = undefined;
    r.port.close();
    void r.worker.terminate();
  }

  private start(): void {
    const files = loadedWasmFiles();
    if (this.running || this.starts >= MAX_STARTS || !this.script || !files) return;
    this.starts++;
    const ctl = new Int32Array(new SharedArrayBuffer(CTL.SIZE * 4));
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = { ctl: ctl.buffer as SharedArrayBuffer, port: port2, runtime: files.runtime, python: files.python };
    let worker: Worker;
    try {
      const options = { workerData: data, transferList: [port2] };
      // Run from source (tests, benchmarks under tsx): a worker does not inherit tsx's loader; register it.
      worker = startWorker(this.script, options);
    } catch {
      return;
    }
    const r: Running = { worker, port: port1, ctl, alive: true };
    const lost = (): void => {
      r.alive = false;
      if (this.running === r) this.running = undefined;
    };
    worker.on("error", lost);
    worker.on("exit", lost);
    worker.unref();
    this.running = r;
  }
}

/** The worker script next to this module: the bundle's dist/parseWorker.js, or the TypeScript source under tsx. */
function defaultScript(): string | undefined {
  return scriptNextTo(typeof __dirname === "string" ? __dirname : undefined, ["parseWorker.js", "parse-worker.ts"]);
}

let shared: ParsePool | null | undefined;

/** The process's pool, created on first use; null on a single-core machine or without a worker script. */
export function sharedParsePool(): ParsePool | null {
  if (shared === undefined) shared = availableParallelism() > 1 && defaultScript() ? new ParsePool() : null;
  return shared;
}
