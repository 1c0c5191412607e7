/** Messages and shared counters between the server thread and the parse worker (parse-pool.ts). */
import type { MessagePort } from "node:worker_threads";

/** Slots of the shared Int32Array. */
export const CTL = {
  /** 1 once the worker has loaded the grammar. */
  READY: 0,
  /** The current job's tag and next unclaimed index (`claimNext`). */
  CLAIM: 1,
  /** Result batches posted so far (the server thread waits on it). */
  POSTED: 2,
  SIZE: 4,
} as const;

export interface WorkerData {
  readonly ctl: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly runtime: string;
  readonly python: string;
}

export interface JobMessage {
  readonly id: number;
  readonly texts: readonly string[];
  /** Tests: exit after claiming this many blocks. */
  readonly crashAfter?: number;
  /** Tests: exit at once. */
  readonly crash?: boolean;
}

export interface ResultMessage {
  readonly id: number;
  /** Per block: job index, node count, hasError (0/1). */
  readonly index: Int32Array;
  /** The blocks' encodings (ast.ts EncodedTree data), concatenated in `index` order. */
  readonly data: Int32Array;
}

/** Bits of the CLAIM slot that hold the index; the bits above hold the job's tag. */
const TAG_SHIFT = 20;
/** Jobs with more items than this are parsed inline. */
export const MAX_JOB_ITEMS = (1 << TAG_SHIFT) - 1;

/** The tag a job's claims carry (job ids modulo 2048: a claim never outlives 2,048 later jobs). */
export const jobTag = (id: number): number => id & 0x7ff;

/** Opens job `tag` for claims, from index 0. */
export function openClaims(ctl: Int32Array, tag: number): void {
  Atomics.store(ctl, CTL.CLAIM, tag << TAG_SHIFT);
}

/**
 * Claims the next index of job `tag` (of `n` items), or -1 when the job is done or another job has started. A
 * compare-and-swap, not an add: a thread still looping on the previous job must not take an index of the next
 * one, which nobody would then parse.
 */
export function claimNext(ctl: Int32Array, tag: number, n: number): number {
  for (;;) {
    const v = Atomics.load(ctl, CTL.CLAIM);
    const i = v & MAX_JOB_ITEMS;
    if (v >>> TAG_SHIFT !== tag || i >= n) return -1;
    if (Atomics.compareExchange(ctl, CTL.CLAIM, v, v + 1) === v) return i;
  }
}
