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
} as const;

describe("TensorList family", () => {
  for (const backend of BACKENDS) {
    it(`resize, pop, gather, scatter, element shape, concat (${backend})`, async () => {
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
      // Popping an empty list is TensorFlow's InvalidArgument, naming the node.
      await assert.rejects(
        runOnce(graphModel(nodes, {}, { g: ["pop_empty:1", F] }), backend, {}),
        (e: unknown) => e instanceof StudioError && e.code === "INVALID_INPUT" && /pop from an empty list.*pop_empty/.test(e.message),
      );
    });
  }
});
