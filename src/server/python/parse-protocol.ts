/** Messages and shared counters between the server thread and the parse worker (parse-pool.ts). */
import type { MessagePort } from "node:worker_threads";

/** Slots of the shared Int32Array. */
export const CTL = {
  /** 1 once the worker has loaded the grammar. */
  READY: 0,
  /** Next unclaimed index of the current job (both threads take indices with Atomics.add). */
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
