// The one input policy (runtime/feedPolicy.ts, feeds.ts): dtype refused, shape warned, and the graph's
// placeholder wins over a SignatureDef that disagrees with it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { placeholder } from "../../../src/core/savedmodel/builder.js";
import { loadModel } from "../../../src/runtime/index.js";
import { feedMismatch, reconcileSpec } from "../../../src/runtime/feeds.js";
import { graphModel, konst } from "./graphModel.js";

const S = DataType.DT_STRING;

describe("input policy", () => {
  it("refuses a wrong dtype, warns on a shape the placeholder does not declare", () => {
    const spec = { dtype: DataType.DT_INT32, shape: [] };
    assert.deepEqual(feedMismatch(spec, { dtype: DataType.DT_FLOAT, shape: [] }), { level: "refuse", reason: "dtype float32 ≠ int32" });
    assert.deepEqual(feedMismatch(spec, { dtype: DataType.DT_INT32, shape: [3] }), { level: "warn", reason: "rank 1 [3] ≠ rank 0 []" });
    assert.equal(feedMismatch({ dtype: DataType.DT_INT32, shape: [-1, 3] }, { dtype: DataType.DT_INT32, shape: [7, 3] }), undefined);
    assert.equal(feedMismatch({ dtype: DataType.DT_INT32 + 100, shape: null }, { dtype: DataType.DT_INT32, shape: [1, 2, 3] }), undefined);
    assert.deepEqual(feedMismatch({ dtype: 0, shape: [2] }, { dtype: DataType.DT_BOOL, shape: [3] }), {
      level: "warn",
      reason: "shape [3] does not fit [2] (dim 0)",
    });
  });

  it("takes the graph's dtype and shape where the signature disagrees, with a warning", () => {
    const r = reconcileSpec("signature 's' input 'x'", "x:0", { dtype: DataType.DT_FLOAT, shape: [1] }, { dtype: S, shape: [-1] });
    assert.deepEqual(r.spec, { dtype: S, shape: [-1] });
    assert.match(r.warning ?? "", /declares dtype DT_FLOAT but the graph's is DT_STRING.*x:0.*using the graph's/);
    // Agreeing (or less specific) declarations are silent.
    assert.equal(reconcileSpec("s", "x:0", { dtype: S, shape: null }, { dtype: S, shape: [-1] }).warning, undefined);
    assert.equal(reconcileSpec("s", "x:0", { dtype: S, shape: [2] }, undefined).spec.shape?.[0], 2);
  });

  it("runs a TF1 export whose signature declares DT_FLOAT for a string placeholder", async () => {
    // As in real exports: tf_example:0 is a string placeholder, the SignatureDef says DT_FLOAT.
    const src = graphModel(
      [
        placeholder("tf_example", S, [-1]),
        konst("suffix", S, ["!"], []),
        { name: "out", op: "StringJoin", input: ["tf_example", "suffix"], attr: { N: { i: 2 }, separator: { s: new Uint8Array() } } },
      ],
      { examples: ["tf_example:0", DataType.DT_FLOAT, [-1]] },
      { y: ["out:0", S] },
    );
    const m = await loadModel(src, "m", { backend: "cpu" });
    try {
      const p = await m.prepare("serving_default");
      assert.equal(p.inputs[0]!.dtype, S);
      assert.match(p.warnings.join("\n"), /input 'examples' declares dtype DT_FLOAT but the graph's is DT_STRING/);
      const enc = new TextEncoder();
      const r = await p.run({ examples: { dtype: S, shape: [2], data: [enc.encode("a"), enc.encode("b")] } });
      assert.deepEqual(
        (r.outputs["y"]!.data as Uint8Array[]).map((b) => new TextDecoder().decode(b)),
        ["a!", "b!"],
      );
      await assert.rejects(
        p.run({ examples: { dtype: DataType.DT_FLOAT, shape: [1], data: Float32Array.of(1) } }),
        (e: unknown) => e instanceof StudioError && e.code === "INVALID_INPUT" && /dtype float32 ≠ string/.test(e.message),
      );
    } finally {
      m.dispose();
    }
  });
});

describe("missing inputs", () => {
  it("names the signature key when the signature's tensor is computed from the placeholder (TF1)", async () => {
    const F = DataType.DT_FLOAT;
    const src = graphModel(
      [
        placeholder("Placeholder", F, [-1]),
        { name: "input_x", op: "Identity", input: ["Placeholder"], attr: { T: { type: F } } },
        { name: "y", op: "Neg", input: ["input_x"], attr: { T: { type: F } } },
      ],
      { x: ["input_x:0", F, [-1]] },
      { y: ["y:0", F] },
    );
    const m = await loadModel(src, "m", { backend: "cpu" });
    try {
      const p = await m.prepare("serving_default");
      await assert.rejects(p.run({}), (e: unknown) => e instanceof StudioError && /input 'x' \(input_x:0\) was not fed/.test(e.message));
    } finally {
      m.dispose();
    }
  });
});

describe("models saved without their variables", () => {
  it("refuses a signature that reads variables, naming the missing variables.index", async () => {
    const F = DataType.DT_FLOAT;
    const src = graphModel(
      [
        placeholder("x", F, [-1]),
        {
          name: "w",
          op: "VarHandleOp",
          attr: { dtype: { type: F }, shape: { shape: {} }, shared_name: { s: new TextEncoder().encode("w") } },
        },
        { name: "w/read", op: "ReadVariableOp", input: ["w"], attr: { dtype: { type: F } } },
        { name: "y", op: "Mul", input: ["x", "w/read"], attr: { T: { type: F } } },
      ],
      { x: ["x:0", F, [-1]] },
      { y: ["y:0", F] },
    );
    const m = await loadModel(src, "m", { backend: "cpu" });
    try {
      await assert.rejects(
        m.prepare("serving_default"),
        (e: unknown) =>
          e instanceof StudioError &&
          e.code === "NOT_FOUND" &&
          /reads 1 variable\(s\) \(e\.g\. 'w'\).*variables\/variables\.index/.test(e.message),
      );
    } finally {
      m.dispose();
    }
  });
});
