// Shape checks before kernels: TensorFlow's errors naming the model's own node, on both backends,
// with the fast path on and off (never a wasm trap, never silently empty or wrong output).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { floatConst, placeholder } from "../../../src/core/savedmodel/builder.js";
import { kernelFailure } from "../../../src/runtime/engines/checks.js";
import { BACKENDS, f32, graphModel, i32, ints, konst, runOnce, str, type, type Node } from "./graphModel.js";

const F = DataType.DT_FLOAT;

async function refuses(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StudioError, String(e));
    assert.equal(e.code, "INVALID_INPUT", e.message);
    assert.match(e.message, pattern);
    assert.doesNotMatch(e.message, /_Sms/);
    return true;
  });
}

const conv = (padding: string): Node[] => [
  placeholder("x", F, [-1, -1, -1, 3]),
  floatConst("w", new Float32Array(9 * 4 * 3).fill(0.5), [3, 3, 3, 4]),
  floatConst("b", new Float32Array(4).fill(1), [4]),
  { name: "conv2d_4/Conv2D", op: "Conv2D", input: ["x", "w"], attr: { T: type(F), strides: ints([1, 1, 1, 1]), padding: str(padding) } },
  { name: "conv2d_4/BiasAdd", op: "BiasAdd", input: ["conv2d_4/Conv2D", "b"], attr: { T: type(F) } },
  { name: "conv2d_4/Relu", op: "Relu", input: ["conv2d_4/BiasAdd"], attr: { T: type(F) } },
];

describe("shape checks before kernels", () => {
  for (const backend of BACKENDS) {
    for (const fastPath of [true, false]) {
      it(`VALID conv on an input smaller than its window (${backend}, fast path ${fastPath})`, async () => {
        const src = graphModel(conv("VALID"), { x: ["x:0", F, [-1, -1, -1, 3]] }, { y: ["conv2d_4/Relu:0", F] });
        await refuses(
          runOnce(src, backend, { x: f32(new Array(12).fill(1), [1, 2, 2, 3]) }, fastPath),
          /Negative dimension size caused by subtracting 3 from 2 for '\{\{node conv2d_4\/Conv2D\}\} = Conv2D\[.*padding="VALID".*with input shapes: \[1,2,2,3\], \[3,3,3,4\]/,
        );
        // A 3x3 input fits exactly: one output pixel, 27 * 0.5 * 1 + 1.
        const out = await runOnce(src, backend, { x: f32(new Array(27).fill(1), [1, 3, 3, 3]) }, fastPath);
        assert.deepEqual(out["y"]!.shape, [1, 1, 1, 4]);
        assert.deepEqual(Array.from(out["y"]!.data as Float32Array), [14.5, 14.5, 14.5, 14.5]);
      });
    }
    it(`EXPLICIT padding counts toward the window (${backend})`, async () => {
      const nodes = conv("EXPLICIT").map((n) =>
        n.op === "Conv2D" ? { ...n, attr: { ...n.attr, explicit_paddings: ints([0, 0, 1, 0, 0, 0, 0, 0]) } } : n,
      );
      const src = graphModel(nodes, { x: ["x:0", F, null] }, { y: ["conv2d_4/Relu:0", F] });
      // Height 2 + 1 padded row = 3 fits the 3x3 window; width 2 does not.
      await refuses(
        runOnce(src, backend, { x: f32(new Array(12).fill(1), [1, 2, 2, 3]) }),
        /subtracting 3 from 2 for '\{\{node conv2d_4\/Conv2D\}\}/,
      );
      const ok = await runOnce(src, backend, { x: f32(new Array(18).fill(1), [1, 2, 3, 3]) });
      assert.deepEqual(ok["y"]!.shape, [1, 1, 1, 4]);
    });
    it(`input channels that do not match the filter (${backend})`, async () => {
      const src = graphModel(conv("SAME"), { x: ["x:0", F, null] }, { y: ["conv2d_4/Relu:0", F] });
      await refuses(runOnce(src, backend, { x: f32(new Array(8).fill(1), [1, 2, 2, 2]) }), /Depth of input \(2\).*conv2d_4\/Conv2D/);
    });
    it(`matmul, broadcasting, reshape and gather errors (${backend})`, async () => {
      const nodes: Node[] = [
        placeholder("a", F, null),
        placeholder("i", DataType.DT_INT32, null),
        floatConst("m", new Float32Array(6), [3, 2]),
        floatConst("v", new Float32Array(3), [3]),
        konst("shape", DataType.DT_INT32, [4, -1], [2]),
        konst("axis", DataType.DT_INT32, [0], []),
        { name: "dense/MatMul", op: "MatMul", input: ["a", "m"], attr: { T: type(F) } },
        { name: "add", op: "AddV2", input: ["a", "v"], attr: { T: type(F) } },
        { name: "flat", op: "Reshape", input: ["a", "shape"], attr: { T: type(F) } },
        { name: "emb", op: "GatherV2", input: ["v", "i", "axis"], attr: { Tparams: type(F), Tindices: type(DataType.DT_INT32) } },
      ];
      const src = (out: string) => graphModel(nodes, { a: ["a:0", F, null], i: ["i:0", DataType.DT_INT32, null] }, { y: [out, F] });
      const a = f32([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 5]);
      const i = i32([0, 3], [2]);
      await refuses(
        runOnce(src("dense/MatMul:0"), backend, { a, i }),
        /Matrix size-incompatible: In\[0\]: \[2,5\], In\[1\]: \[3,2\].*dense\/MatMul/,
      );
      await refuses(runOnce(src("add:0"), backend, { a, i }), /Incompatible shapes: \[2,5\] vs. \[3\]/);
      await refuses(runOnce(src("flat:0"), backend, { a, i }), /tensor with 10 values, but the requested shape requires a multiple of 4/);
      await refuses(runOnce(src("emb:0"), backend, { a, i }), /indices\[1\] = 3 is not in \[0, 3\).*emb/);
      const ok = await runOnce(src("emb:0"), backend, { a, i: i32([2, 0], [2]) });
      assert.deepEqual(ok["y"]!.shape, [2]);
    });
  }
  it("labels a non-Studio failure as internal and keeps the cause", () => {
    const cause = new RangeError("memory access out of bounds");
    const node = { name: "conv2d_4/Conv2D", op: "Conv2D", inputs: [], control: [], attrs: {}, origin: "" };
    const e = kernelFailure(node, cause);
    assert.equal(e.code, "ENGINE");
    assert.match(
      e.message,
      /^internal error in the embedded engine while running conv2d_4\/Conv2D \(Conv2D\): memory access out of bounds/,
    );
    assert.equal(e.cause, cause);
  });
});
