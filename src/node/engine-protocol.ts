/** Messages between the host and the engine worker (engine-worker.ts / isolatedEngine.ts). */
import type { HostTensor } from "../core/tensor.js";
import type { LaunchArgs } from "../debug/launch.js";
import type { TraceRow } from "../debug/traceTable.js";
import type { LoadOptions, PreparedSignature } from "../runtime/types.js";

/** How a prepared signature is made, so a fresh worker can prepare it again. */
export type PrepareSpec =
  | { readonly kind: "signature"; readonly key: string }
  | { readonly kind: "tensors"; readonly feeds: readonly string[]; readonly fetches: readonly string[] };

export type WorkerRequest =
  | { readonly id: number; readonly kind: "load"; readonly dir: string; readonly opts: LoadOptions }
  | { readonly id: number; readonly kind: "prepare"; readonly spec: PrepareSpec }
  | {
      readonly id: number;
      readonly kind: "run";
      readonly spec: PrepareSpec;
      readonly feeds: Readonly<Record<string, HostTensor>>;
      readonly outputs?: readonly string[];
    }
  | { readonly id: number; readonly kind: "trace"; readonly args: LaunchArgs };

export interface LoadInfo {
  readonly engine: "embedded" | "native";
  readonly backend: string;
  readonly tags: readonly string[];
  readonly signatureKeys: readonly string[];
  readonly loadMs: number;
}

export type PreparedInfo = Omit<PreparedSignature, "run">;

/** A thrown value, as it crosses the thread boundary. */
export interface WireError {
  readonly code?: string;
  readonly message: string;
  readonly file?: string;
}

export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/** A recorded run as table rows (Run with Trace, `savedmodel trace`), made in the worker. */
export interface TraceResult {
  readonly signature: string;
  /** The first MAX_TRACE_ROWS rows. */
  readonly rows: readonly TraceRow[];
  /** Rows not sent (a loop can execute millions of nodes). */
  readonly omitted: number;
  readonly error?: string;
}

/** Most trace rows the worker hands back (about 200 bytes each). */
export const MAX_TRACE_ROWS = 200_000;
