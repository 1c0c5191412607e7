// Seeded random inputs for the kernels in engines/kernels/ (issue 15): odd shapes (empty, rank 0..4),
// out-of-range indices and sizes, negative paddings, bad attributes. Every run ends in a result or a
// typed StudioError that is not an internal error (no wasm trap, no raw JS error). Both backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { BACKENDS, graphModel, int, ints, konst, runOnce, str, type, type Attr, type Node } from "../runtime/graphModel.js";

/** xorshift32: reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

type Gen = (r: () => number) => { inputs: { dtype: number; values: number[]; shape: number[] }[]; attrs: Record<string, Attr> };
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const shapeOf = (r: () => number, maxRank = 4) => Array.from({ length: Math.floor(r() * (maxRank + 1)) }, () => Math.floor(r() * 4));
const count = (s: number[]) => s.reduce((a, b) => a * b, 1);
const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const floats = (r: () => number, s = shapeOf(r)) => ({ dtype: F, shape: s, values: Array.from({ length: count(s) }, () => r() * 4 - 2) });
const intsIn = (r: () => number, s: number[], lo: number, hi: number) => ({
  dtype: I,
  shape: s,
  values: Array.from({ length: count(s) }, () => lo + Math.floor(r() * (hi - lo))),
});
const scalarInt = (r: () => number, lo: number, hi: number) => intsIn(r, [], lo, hi);

const GENS: Record<string, Gen> = {
  ResizeBilinear: (r) => ({
    inputs: [floats(r), intsIn(r, [pick(r, [1, 2, 3])], -1, 5)],
    attrs: { align_corners: { b: r() < 0.5 }, half_pixel_centers: { b: r() < 0.5 } },
  }),
  ResizeNearestNeighbor: (r) => ({
    inputs: [floats(r), intsIn(r, [2], -1, 5)],
    attrs: { align_corners: { b: r() < 0.3 }, half_pixel_centers: { b: r() < 0.5 } },
  }),
  DepthToSpace: (r) => ({ inputs: [floats(r)], attrs: { block_size: int(pick(r, [0, 1, 2, 3])) } }),
  SpaceToDepth: (r) => ({ inputs: [floats(r)], attrs: { block_size: int(pick(r, [1, 2, 3])) } }),
  SpaceToBatchND: (r) => ({ inputs: [floats(r), intsIn(r, [pick(r, [1, 2])], 0, 3), intsIn(r, [pick(r, [1, 2]), 2], -1, 3)], attrs: {} }),
  BatchToSpaceND: (r) => ({ inputs: [floats(r), intsIn(r, [pick(r, [1, 2])], 0, 3), intsIn(r, [pick(r, [1, 2]), 2], -1, 3)], attrs: {} }),
  Conv2DBackpropInput: (r) => ({
    inputs: [
      intsIn(r, [4], 0, 5),
      floats(r, [2, 2, pick(r, [1, 2]), pick(r, [1, 2])]),
      floats(r, [1, pick(r, [1, 2, 3]), pick(r, [1, 2, 3]), pick(r, [1, 2])]),
    ],
    attrs: { strides: ints([1, pick(r, [1, 2]), pick(r, [1, 2]), 1]), padding: str(pick(r, ["SAME", "VALID", "EXPLICIT"])) },
  }),
  MirrorPad: (r) => {
    const x = floats(r);
    return { inputs: [x, intsIn(r, [x.shape.length, 2], -1, 4)], attrs: { mode: str(pick(r, ["REFLECT", "SYMMETRIC", "BAD"])) } };
  },
  MaxPool3D: (r) => ({
    inputs: [floats(r, [1, pick(r, [0, 1, 2, 3]), 2, 2, 1])],
    attrs: { ksize: ints([1, 2, 2, 2, 1]), strides: ints([1, 1, 1, 1, 1]), padding: str(pick(r, ["SAME", "VALID"])) },
  }),
  TopKV2: (r) => ({ inputs: [floats(r), scalarInt(r, -1, 5)], attrs: {} }),
  ReverseV2: (r) => {
    const x = floats(r);
    return { inputs: [x, intsIn(r, [pick(r, [0, 1, 2])], -5, 5)], attrs: {} };
  },
  Cumsum: (r) => ({ inputs: [floats(r), scalarInt(r, -5, 5)], attrs: { exclusive: { b: r() < 0.5 }, reverse: { b: r() < 0.5 } } }),
  UnsortedSegmentMax: (r) => {
    const x = floats(r, [pick(r, [0, 1, 3]), 2]);
    return { inputs: [x, intsIn(r, [x.shape[0]!], -2, 4), scalarInt(r, -1, 4)], attrs: {} };
  },
  SegmentMean: (r) => {
    const x = floats(r, [pick(r, [0, 1, 3]), 2]);
    return { inputs: [x, intsIn(r, [pick(r, [0, 1, 3])], -1, 3)], attrs: {} };
  },
  Bincount: (r) => ({
    inputs: [intsIn(r, shapeOf(r, 2), -2, 6), scalarInt(r, -1, 5), floats(r, [pick(r, [0, 1, 3])])],
    attrs: { T: type(F) },
  }),
  OneHot: (r) => ({
    inputs: [intsIn(r, shapeOf(r, 2), -2, 5), scalarInt(r, -1, 4), floats(r, []), floats(r, [])],
    attrs: { axis: int(pick(r, [-2, -1, 0, 1, 3])) },
  }),
  ClipByValue: (r) => {
    const x = floats(r);
    return { inputs: [x, floats(r, pick(r, [[], x.shape, [7]])), floats(r, [])], attrs: {} };
  },
  BroadcastArgs: (r) => ({ inputs: [intsIn(r, [pick(r, [0, 1, 2])], 1, 4), intsIn(r, [pick(r, [0, 1, 2])], 1, 4)], attrs: {} }),
  Einsum: (r) => ({
    inputs: [floats(r, [2, 3]), floats(r, [pick(r, [2, 3]), 2])],
    attrs: { equation: str(pick(r, ["ij,jk->ik", "ij,kj->ik", "ij,jk->ki", "ij,jk", "i...,j->ij", "ii,jk->ik"])), N: int(2) },
  }),
  RaggedTensorToTensor: (r) => ({
    inputs: [intsIn(r, [2], -1, 3), floats(r, [pick(r, [0, 2, 4])]), floats(r, []), intsIn(r, [pick(r, [1, 3, 5])], 0, 5)],
    attrs: { row_partition_types: { list: { s: [new TextEncoder().encode("ROW_SPLITS")] } } },
  }),
  StatelessRandomUniform: (r) => ({
    inputs: [intsIn(r, [pick(r, [0, 1, 2])], -1, 4), intsIn(r, [pick(r, [1, 2, 3])], -9, 9)],
    attrs: { dtype: type(F) },
  }),
  Multinomial: (r) => ({ inputs: [floats(r, shapeOf(r, 3)), scalarInt(r, -1, 4)], attrs: {} }),
};

describe("fuzz: new kernels end in a result or a typed, non-internal error", () => {
  for (const backend of BACKENDS) {
    it(`${Object.keys(GENS).length} ops x 12 seeded cases (${backend})`, { timeout: 120_000 }, async () => {
      const r = rng(Number(process.env["KERNEL_FUZZ_SEED"] ?? 15));
      const failures: string[] = [];
      for (const [op, gen] of Object.entries(GENS)) {
        for (let k = 0; k < 12; k++) {
          const { inputs, attrs } = gen(r);
          const nodes: Node[] = inputs.map((t, i) => konst(`in${i}`, t.dtype, t.values, t.shape));
          nodes.push({ name: "op", op, input: inputs.map((_, i) => `in${i}`), attr: { T: type(inputs[0]!.dtype), ...attrs } });
          try {
            await runOnce(graphModel(nodes, {}, { y: ["op:0", 0] }), backend, {});
          } catch (e) {
            const bad = !(e instanceof StudioError) || /^internal error/.test(e.message);
            if (bad) failures.push(`${op} ${JSON.stringify(inputs.map((t) => t.shape))}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }
      assert.deepEqual(failures, []);
    });
  }
});
