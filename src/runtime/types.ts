/** Public types of the runtime (engines, prepared signatures, results). */
import type { HostTensor } from "../core/tensor.js";
import type { RunLimits } from "./budget.js";

export type EngineKind = "embedded" | "native";
export type BackendKind = "wasm" | "cpu";

/** One input or output of a prepared signature (or a fed/fetched tensor in tensor-name mode). */
export interface TensorSpec {
  /** Signature key (tensor-name mode: the tensor name). */
  readonly key: string;
  /** Tensor name in the graph ("x:0"). */
  readonly name: string;
  /** Declared tensorflow.DataType (never _REF). */
  readonly dtype: number;
  /** Declared shape, -1 for unknown dims; null = unknown rank. */
  readonly shape: readonly number[] | null;
  /** True when the signature carries a default value for this input. */
  readonly hasDefault?: boolean;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /**
   * Seed for random ops whose graph seed and op seed are both 0 (TensorFlow would draw fresh values):
   * with it, every run of the same inputs gives the same values. Default 0 (still reproducible).
   */
  readonly seed?: number;
  /** Only compute these output keys (default: all). */
  readonly outputs?: readonly string[];
  /**
   * Embedded engine: told synchronously before and after every node (function bodies included) and
   * at every control-flow call; the debugger and traces use it. Runs with it skip the host-to-host
   * fast path. Load with `fuse: false` and `fastPath: false` to see every node as written.
   */
  readonly onNode?: NodeObserver;
}

/** A node as observers see it (a plan node: inlined calls renamed `<call>/<inner>`). */
export interface ObservedNode {
  readonly name: string;
  readonly op: string;
  /** Function the node was inlined from, "" at graph level. */
  readonly origin: string;
  readonly inputs: readonly { readonly node: string; readonly index: number }[];
}

/** Host copies (made on demand) are valid during the callback only; undefined for non-tensors. */
export type NodeEvent =
  | { readonly kind: "before"; readonly node: ObservedNode; input(i: number): HostTensor | undefined }
  | { readonly kind: "after"; readonly node: ObservedNode; readonly outputs: number; output(i: number): HostTensor | undefined }
  | { readonly kind: "call"; readonly fn: string; readonly args: number; arg(i: number): HostTensor | undefined }
  | { readonly kind: "return"; readonly fn: string };

export type NodeObserver = (e: NodeEvent) => void;

export interface Timings {
  /** Feed conversion + execution + output conversion, ms. */
  readonly totalMs: number;
  /** Op execution only, ms. */
  readonly execMs: number;
  /** Number of op executions (including control-flow bodies). */
  readonly opsExecuted: number;
}

/** Threads a run's kernels used (shown in results headers). */
export interface RunThreads {
  /** The fast path's SIMD kernels (runtime/wasm/pool.ts); 0 when no fast-path segment ran. */
  readonly fastPath: number;
  /** tfjs-backend-wasm's own thread pool (1 on cpu or without threads). */
  readonly tfjs: number;
}

export interface RunResult {
  readonly outputs: Record<string, HostTensor>;
  readonly timings: Timings;
  /** Threads the kernels used, when the engine knows (the embedded engine). */
  readonly threads?: RunThreads;
  /** Non-fatal remarks (shapes the signature does not declare, ...). */
  readonly warnings: readonly string[];
}

export interface PreparedSignature {
  readonly key: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Op types the prepared closure executes, sorted. */
  readonly ops: readonly string[];
  readonly warnings: readonly string[];
  run(feeds: Readonly<Record<string, HostTensor>>, opts?: RunOptions): Promise<RunResult>;
}

export interface LoadOptions {
  /** Tag set of the meta graph to load (default ["serve"]). */
  readonly tags?: readonly string[];
  readonly engine?: EngineKind;
  /** Embedded engine backend (default "wasm", falling back to "cpu"). */
  readonly backend?: BackendKind;
  /**
   * Where tfjs-backend-wasm's .wasm files are: a directory prefix ending in "/" or a map from file
   * name to path/URL. Hosts resolve it (the runtime never touches the file system).
   */
  readonly wasmPaths?: string | Record<string, string>;
  /**
   * tfjs-backend-wasm's .wasm files as bytes, by file name (instead of wasmPaths): for hosts that read
   * them themselves and cannot serve them as URLs (the web-worker extension host).
   */
  readonly wasmBinaries?: Readonly<Record<string, Uint8Array>>;
  /** Run ops with effects outside the model (files, Python). Default false. */
  readonly allowUnsafeOps?: boolean;
  /**
   * Embedded engine: run chains of float32 conv / matmul / pooling layers on the SIMD fast path
   * (src/runtime/engines/segments.ts). Default true; false runs every op through tfjs.
   */
  readonly fastPath?: boolean;
  /**
   * Embedded engine: fold bias / batch norm / activation epilogues into fused kernels (fuse.ts).
   * Default true; false keeps every node as written (the debugger).
   */
  readonly fuse?: boolean;
  /**
   * Threads the fast path splits a layer across (default: the machine's cores, at most 4). The
   * thread pool is per process: the first model loaded with the fast path decides.
   */
  readonly threads?: number;
  /** Run budgets (memory, loop calls and time, inlined plan size); see runtime/budget.ts for the defaults. */
  readonly limits?: Partial<RunLimits>;
}

export interface LoadedModel {
  readonly engine: EngineKind;
  /** The tfjs backend in use ("wasm", "cpu", "tensorflow"). */
  readonly backend: string;
  readonly tags: readonly string[];
  /** Signature keys (the TF2 `__saved_model_init_op` excluded). */
  readonly signatureKeys: readonly string[];
  /** Load timing (ms): read + decode + variables + init op. */
  readonly loadMs: number;
  prepare(signatureKey: string): Promise<PreparedSignature>;
  /** Tensor-name mode for graphs without signatures: feed and fetch tensors by name ("x:0"). */
  prepareTensors(feeds: readonly string[], fetches: readonly string[]): Promise<PreparedSignature>;
  dispose(): void;
}
