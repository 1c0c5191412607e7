// TensorList family (engines/kernels/lists.ts) through real graphs on both backends: the expected values
// are slices of the input computed here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { BACKENDS, graphModel, konst, runOnce, type, type Node } from "./graphModel.js";

const F = DataType.DT_FLOAT;
const I = DataType.DT_INT32;
const X = Array.from({ length: 8 }, (_, k) => k * 1.5 - 2); // [4, 2]
const row = (k: number) => X.slice(2 * k, 2 * k + 2);
const L = { element_dtype: type(F), shape_type: type(I) };
const nodes: Node[] = [
  konst("x", F, X, [4, 2]),
  konst("eshape", I, [2], [1]),
  konst("three", I, [3], []),
  konst("idx", I, [2, 0], [2]),
  konst("upd", F, [9, 9, 8, 8], [2, 2]),
  { name: "list", op: "TensorListFromTensor", input: ["x", "eshape"], attr: L },
  { name: "resized", op: "TensorListResize", input: ["list", "three"], attr: L },
  { name: "stacked", op: "TensorListStack", input: ["resized", "eshape"], attr: L },
  { name: "pop", op: "TensorListPopBack", input: ["list", "eshape"], attr: L },
  { name: "gathered", op: "TensorListGather", input: ["list", "idx", "eshape"], attr: L },
  { name: "scattered", op: "TensorListScatterIntoExistingList", input: ["list", "upd", "idx"], attr: L },
  { name: "scattered_stack", op: "TensorListStack", input: ["scattered", "eshape"], attr: L },
  { name: "eshape_out", op: "TensorListElementShape", input: ["list"], attr: L },
  { name: "concat", op: "TensorListConcatV2", input: ["list", "eshape", "three"], attr: L },
  konst("lens", I, [1, 3], [2]),
  { name: "split", op: "TensorListSplit", input: ["x", "eshape", "lens"], attr: L },
  { name: "split_last", op: "TensorListGetItem", input: ["split", "one", "eshape"], attr: L },
  { name: "split_len", op: "TensorListLength", input: ["split"], attr: L },
  konst("one", I, [1], []),
  konst("lens_bad", I, [1, 2], [2]),
  { name: "split_bad", op: "TensorListSplit", input: ["x", "eshape", "lens_bad"], attr: L },
  konst("minus1", I, [-1], []),
  { name: "empty", op: "EmptyTensorList", input: ["eshape", "minus1"], attr: L },
  { name: "pop_empty", op: "TensorListPopBack", input: ["empty", "eshape"], attr: L },
];
const outs = {
  stacked: ["stacked:0", F],
  popped: ["pop:1", F],
  gathered: ["gathered:0", F],
  scattered: ["scattered_stack:0", F],
  eshape: ["eshape_out:0", I],
  concat: ["concat:0", F],
  lengths: ["concat:1", I],
  split_last: ["split_last:0", F],
  split_len: ["split_len:0", I],
} as const;

describe("TensorList family", () => {
  for (const backend of BACKENDS) {
    it(`resize, pop, gather, scatter, element shape, concat, split (${backend})`, async () => {
      const o = await runOnce(graphModel(nodes, {}, outs), backend, {});
      const v = (k: string) => Array.from(o[k]!.data as ArrayLike<number>);
      assert.deepEqual(v("stacked"), [...row(0), ...row(1), ...row(2)]);
      assert.deepEqual(v("popped"), row(3));
      assert.deepEqual(v("gathered"), [...row(2), ...row(0)]);
      assert.deepEqual(v("scattered"), [8, 8, ...row(1), 9, 9, ...row(3)]);
      assert.deepEqual(v("eshape"), [2]);
      assert.deepEqual(o["concat"]!.shape, [8]);
      assert.deepEqual(v("concat"), X);
      assert.deepEqual(v("lengths"), [2, 2, 2, 2]);
      // Split into rows [0] and [1, 2, 3]: the second piece is rows 1..3.
      assert.deepEqual(v("split_len"), [2]);
      assert.deepEqual(o["split_last"]!.shape, [3, 2]);
      assert.deepEqual(v("split_last"), [...row(1), ...row(2), ...row(3)]);
      await assert.rejects(
        runOnce(graphModel(nodes, {}, { g: ["split_bad:0", DataType.DT_VARIANT] }), backend, {}),
        (e: unknown) => e instanceof StudioError && /sum to 4.*split_bad/.test(e.message),
      );
      // Popping an empty list is TensorFlow's InvalidArgument, naming the node.
      await assert.rejects(
        runOnce(graphModel(nodes, {}, { g: ["pop_empty:1", F] }), backend, {}),
        (e: unknown) => e instanceof StudioError && e.code === "INVALID_INPUT" && /pop from an empty list.*pop_empty/.test(e.message),
      );
    });
  }
});
