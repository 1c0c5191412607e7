/** Resource budgets applied by every reader before it allocates. Configurable by hosts. */
export interface Limits {
  /** Largest tensor/array (bytes) any reader will materialize. Default 2 GiB. */
  readonly maxTensorBytes: number;
  /** Largest file read whole (saved_model.pb, .pbtxt, keras_metadata.pb). Default 2 GiB. */
  readonly maxFileBytes: number;
  /** Largest total of decompressed bytes from one .npz. Default 2 GiB. */
  readonly maxDecompressedBytes: number;
  /** Deepest nesting of messages / structured values / function calls. */
  readonly maxDepth: number;
  /** Most elements in one tensor. */
  readonly maxElements: number;
}

const GiB = 1024 * 1024 * 1024;

/** Bytes counted per string element on top of its own bytes (the JS object that holds it). */
export const STRING_ELEMENT_COST = 64;

export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxTensorBytes: 2 * GiB,
  maxFileBytes: 2 * GiB,
  maxDecompressedBytes: 2 * GiB,
  maxDepth: 100,
  maxElements: 2 ** 31 - 1,
});

/**
 * Heap cap (MiB, V8 old generation) of the processes that run the engine out of the extension host (the
 * engine worker, the trace worker, the debug adapter): with the run budget (1.5 GiB of tensors), a run
 * stays under 2 GiB RSS.
 */
export const DEFAULT_WORKER_HEAP_MB = 1536;

export function withLimits(overrides: Partial<Limits> | undefined): Limits {
  return overrides ? { ...DEFAULT_LIMITS, ...overrides } : DEFAULT_LIMITS;
}
