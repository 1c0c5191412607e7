/**
 * Weights in the fast path's shared memory: float vectors (zero-padded, so vector loads may read
 * past the end) and GEMM right-hand sides packed in panels of 8 columns, the layout the SIMD GEMM
 * kernel reads (../wasm/as/kernels.ts). Every block is recorded in `blocks` for its owner to release.
 */
import type { SimdRuntime } from "../wasm/pool.js";

/** Copies `values` into a new block of at least `padTo` floats (+ 8 of zeros); returns its address. */
export function placeFloats(rt: SimdRuntime, values: Float32Array, blocks: [number, number][], padTo = 0): number {
  const len = Math.max(values.length, padTo);
  const bytes = (len + 8) * 4;
  const at = rt.alloc(bytes);
  blocks.push([at, bytes]);
  const f = rt.f32();
  f.fill(0, at >> 2, (at >> 2) + len + 8);
  f.set(values, at >> 2);
  return at;
}

/** B [k x n] (or [n x k] when `transposed`) packed in panels of 8 columns; returns the address. */
export function packPanels(
  rt: SimdRuntime,
  b: Float32Array,
  k: number,
  n: number,
  transposed: boolean,
  blocks: [number, number][],
): number {
  const panels = Math.ceil(n / 8);
  const packed = new Float32Array(panels * k * 8);
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < k; kk++) {
      for (let j = 0; j < 8; j++) {
        const col = p * 8 + j;
        if (col < n) packed[(p * k + kk) * 8 + j] = transposed ? b[col * k + kk]! : b[kk * n + col]!;
      }
    }
  }
  return placeFloats(rt, packed, blocks);
}
