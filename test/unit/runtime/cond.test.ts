// TF1 tf.cond (Switch / Merge): only the taken branch runs, Merge forwards it; a fetched tensor of the
// branch not taken is an error, not a crash. Both backends.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { floatConst, placeholder } from "../../../src/core/savedmodel/builder.js";
import { BACKENDS, f32, graphModel, runOnce, type, type Node } from "./graphModel.js";

const F = DataType.DT_FLOAT;
const B = DataType.DT_BOOL;
const nodes: Node[] = [
  placeholder("x", F, [-1]),
  placeholder("pred", B, []),
  floatConst("two", Float32Array.of(2), []),
  { name: "cond/Switch", op: "Switch", input: ["x", "pred"], attr: { T: type(F) } },
  { name: "cond/neg", op: "Neg", input: ["cond/Switch"], attr: { T: type(F) } },
  { name: "cond/double", op: "Mul", input: ["cond/Switch:1", "two"], attr: { T: type(F) } },
  // A gather that would fail on this input if it ran: it is on the false branch.
  { name: "cond/Merge", op: "Merge", input: ["cond/neg", "cond/double"], attr: { T: type(F), N: { i: 2 } } },
];
const src = (out: string) =>
  graphModel(
    nodes,
    { x: ["x:0", F, [-1]], pred: ["pred:0", B, []] },
    { y: [out, F], ...(out === "cond/Merge:0" ? { i: ["cond/Merge:1", DataType.DT_INT32] } : {}) },
  );
const pred = (v: boolean) => ({ dtype: B, shape: [], data: Uint8Array.of(v ? 1 : 0) });

describe("TF1 tf.cond", () => {
  for (const backend of BACKENDS) {
    it(`runs the taken branch only (${backend})`, async () => {
      const t = await runOnce(src("cond/Merge:0"), backend, { x: f32([1, -2], [2]), pred: pred(true) });
      assert.deepEqual(Array.from(t["y"]!.data as Float32Array), [2, -4]);
      assert.deepEqual(Array.from(t["i"]!.data as Int32Array), [1]);
      const f = await runOnce(src("cond/Merge:0"), backend, { x: f32([1, -2], [2]), pred: pred(false) });
      assert.deepEqual(Array.from(f["y"]!.data as Float32Array), [-1, 2]);
      assert.deepEqual(Array.from(f["i"]!.data as Int32Array), [0]);
      await assert.rejects(
        runOnce(src("cond/neg:0"), backend, { x: f32([1], [1]), pred: pred(true) }),
        (e: unknown) => e instanceof StudioError && /branch was not taken/.test(e.message),
      );
    });
  }
});
