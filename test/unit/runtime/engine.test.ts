// Engine behaviour on small synthetic SavedModels: safety refusals, unsupported ops, input
// validation, cancellation, recursion / cycle limits, int64 narrowing, the optional native engine.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Long from "long";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { MemorySource } from "../../../src/core/io.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { binaryOp, floatConst, placeholder } from "../../../src/core/savedmodel/builder.js";
import { hostileModel } from "../hostile/generators.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel, type LoadedModel } from "../../../src/runtime/index.js";

const f32 = (values: number[], shape: number[] = [values.length]): HostTensor => ({
  dtype: DataType.DT_FLOAT,
  shape,
  data: Float32Array.from(values),
});

/** A one-signature model (test/unit/hostile/generators.ts builds them for both suites). */
const model = hostileModel;

async function load(src: MemorySource, allowUnsafeOps = false): Promise<LoadedModel> {
  return loadModel(src, "m", { backend: "cpu", allowUnsafeOps });
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof StudioError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

const strConst = (name: string, s: string): tensorflow.NodeDef.$Properties => ({
  name,
  op: "Const",
  attr: {
    dtype: { type: DataType.DT_STRING },
    value: { tensor: { dtype: DataType.DT_STRING, tensor_shape: {}, string_val: [new TextEncoder().encode(s)] } },
  },
});

describe("embedded engine safety and errors", () => {
  it("refuses ops with effects outside the model unless allowed", async () => {
    const src = model([strConst("path", "/etc/passwd"), { name: "read", op: "ReadFile", input: ["path"] }], {
      y: ["read:0", DataType.DT_STRING],
    });
    const m = await load(src);
    await rejectsWith(m.prepare("serving_default"), "UNSAFE_OP", /ReadFile/);
    m.dispose();
    // Allowed, it is still not something the embedded engine runs: a clear unsupported-op error.
    const m2 = await load(src, true);
    await rejectsWith(m2.prepare("serving_default"), "UNSUPPORTED_OP", /ReadFile.*native engine/);
    m2.dispose();
  });

  it("lists unsupported custom ops with a hint before running", async () => {
    const src = model(
      [
        placeholder("x", DataType.DT_FLOAT, [-1]),
        { name: "c", op: "MyTokenizer", input: ["x"] },
        { name: "d", op: "OtherCustomOp", input: ["c"] },
      ],
      { y: ["d:0", DataType.DT_FLOAT] },
      { x: ["x:0", DataType.DT_FLOAT, [-1]] },
    );
    const m = await load(src);
    await rejectsWith(m.prepare("serving_default"), "UNSUPPORTED_OP", /MyTokenizer, OtherCustomOp.*custom op/);
    m.dispose();
  });

  it("names the missing signature and tag set", async () => {
    const src = model([floatConst("c", Float32Array.of(1), [1])], { y: ["c:0", DataType.DT_FLOAT] });
    const m = await load(src);
    await rejectsWith(m.prepare("nope"), "SIGNATURE_NOT_FOUND", /'nope'.*serving_default/);
    m.dispose();
    await rejectsWith(loadModel(src, "m", { tags: ["serve", "gpu"], backend: "cpu" }), "TAG_SET_NOT_FOUND", /serve,gpu/);
  });

  it("validates feeds: unknown keys list the valid ones, dtype mismatches fail, shapes only warn", async () => {
    const src = model(
      [placeholder("x", DataType.DT_FLOAT, [-1, 2]), floatConst("two", Float32Array.of(2), []), binaryOp("y", "Mul", "x", "two")],
      { y: ["y:0", DataType.DT_FLOAT] },
      { x: ["x:0", DataType.DT_FLOAT, [-1, 2]] },
    );
    const m = await load(src);
    const sig = await m.prepare("serving_default");
    await rejectsWith(sig.run({ z: f32([1, 2], [1, 2]) }), "INVALID_INPUT", /no input 'z'; valid inputs: x/);
    await rejectsWith(
      sig.run({ x: { dtype: DataType.DT_INT32, shape: [1, 2], data: Int32Array.of(1, 2) } }),
      "INVALID_INPUT",
      /dtype int32 ≠ float32/,
    );
    await rejectsWith(sig.run({}), "INVALID_INPUT", /'x'.*not fed/);
    const r = await sig.run({ x: f32([1, 2, 3]) });
    assert.deepEqual(Array.from(r.outputs["y"]!.data as Float32Array), [2, 4, 6]);
    assert.match(r.warnings.join(""), /rank 1 \[3\] ≠ rank 2 \[\?, 2\].*does not enforce/);
    m.dispose();
  });

  it("cancels through an AbortSignal", async () => {
    const nodes: tensorflow.NodeDef.$Properties[] = [placeholder("x", DataType.DT_FLOAT, [-1]), floatConst("one", Float32Array.of(1), [])];
    let prev = "x";
    for (let i = 0; i < 4000; i++) {
      nodes.push(binaryOp(`a${i}`, "Add", prev, "one"));
      prev = `a${i}`;
    }
    const m = await load(model(nodes, { y: [`${prev}:0`, DataType.DT_FLOAT] }, { x: ["x:0", DataType.DT_FLOAT, [-1]] }));
    const sig = await m.prepare("serving_default");
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(sig.run({ x: f32([0]) }, { signal: ac.signal }), "CANCELLED", /cancel/);
    // Aborting while it runs: the engine yields to the event loop between ops.
    const big = f32(Array.from({ length: 200_000 }, () => 0));
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 5);
    await rejectsWith(sig.run({ x: big }, { signal: ac2.signal }), "CANCELLED", /cancel/);
    const ok = await sig.run({ x: f32([0]) });
    assert.deepEqual(Array.from(ok.outputs["y"]!.data as Float32Array), [4000]);
    m.dispose();
  });

  it("bounds function nesting and detects graph cycles", async () => {
    const self: tensorflow.FunctionDef.$Properties = {
      signature: {
        name: "loop",
        input_arg: [{ name: "x", type: DataType.DT_FLOAT }],
        output_arg: [{ name: "y", type: DataType.DT_FLOAT }],
      },
      node_def: [
        {
          name: "call",
          op: "PartitionedCall",
          input: ["x"],
          attr: {
            f: { func: { name: "loop" } },
            Tin: { list: { type: [DataType.DT_FLOAT] } },
            Tout: { list: { type: [DataType.DT_FLOAT] } },
          },
        },
      ],
      ret: { y: "call:output:0" },
    };
    const rec = model(
      [
        placeholder("x", DataType.DT_FLOAT, [-1]),
        {
          name: "c",
          op: "PartitionedCall",
          input: ["x"],
          attr: {
            f: { func: { name: "loop" } },
            Tin: { list: { type: [DataType.DT_FLOAT] } },
            Tout: { list: { type: [DataType.DT_FLOAT] } },
          },
        },
      ],
      { y: ["c:0", DataType.DT_FLOAT] },
      { x: ["x:0", DataType.DT_FLOAT, [-1]] },
      [self],
    );
    await rejectsWith(load(rec), "GRAPH", /nested deeper than 64/);
    const cyc = model(
      [
        floatConst("c", Float32Array.of(1), []),
        binaryOp("a", "Add", "b", "c"),
        { name: "b", op: "Identity", input: ["a"], attr: { T: { type: DataType.DT_FLOAT } } },
      ],
      { y: ["a:0", DataType.DT_FLOAT] },
    );
    const m = await load(cyc);
    await rejectsWith(m.prepare("serving_default"), "GRAPH", /cycle/);
    m.dispose();
  });

  it("keeps int64 beyond int32 exact (host path for pass-through and elementwise ops), refuses other ops", async () => {
    const int64Const = (name: string, v: number): tensorflow.NodeDef.$Properties => ({
      name,
      op: "Const",
      attr: {
        dtype: { type: DataType.DT_INT64 },
        value: { tensor: { dtype: DataType.DT_INT64, tensor_shape: {}, int64_val: [Long.fromNumber(v)] } },
      },
    });
    const src = model(
      [
        placeholder("x", DataType.DT_INT64, [-1]),
        { name: "same", op: "Identity", input: ["x"], attr: { T: { type: DataType.DT_INT64 } } },
        int64Const("three", 3),
        binaryOp("prod", "Mul", "x", "three", DataType.DT_INT64),
        { name: "neg", op: "Neg", input: ["x"], attr: { T: { type: DataType.DT_INT64 } } },
      ],
      { same: ["same:0", DataType.DT_INT64], prod: ["prod:0", DataType.DT_INT64], neg: ["neg:0", DataType.DT_INT64] },
      { x: ["x:0", DataType.DT_INT64, [-1]] },
    );
    const m = await load(src);
    const sig = await m.prepare("serving_default");
    const big: HostTensor = { dtype: DataType.DT_INT64, shape: [2], data: BigInt64Array.of(17031063000n, -5n) };
    const same = await sig.run({ x: big }, { outputs: ["same"] });
    assert.deepEqual(Array.from(same.outputs["same"]!.data as BigInt64Array), [17031063000n, -5n]);
    const prod = await sig.run({ x: big }, { outputs: ["prod"] });
    assert.deepEqual(Array.from(prod.outputs["prod"]!.data as BigInt64Array), [51093189000n, -15n]);
    await rejectsWith(sig.run({ x: big }), "INVALID_INPUT", /Neg.*beyond int32/);
    const small = await sig.run({ x: { dtype: DataType.DT_INT64, shape: [2], data: BigInt64Array.of(7n, -5n) } });
    assert.equal(small.outputs["prod"]!.dtype, DataType.DT_INT64);
    assert.deepEqual(Array.from(small.outputs["prod"]!.data as BigInt64Array), [21n, -15n]);
    m.dispose();
  });

  it("reports the native engine as not installed (tfjs-node is optional; not tested in CI)", async () => {
    const src = model([floatConst("c", Float32Array.of(1), [1])], { y: ["c:0", DataType.DT_FLOAT] });
    await rejectsWith(loadModel(src, "m", { engine: "native" }), "ENGINE", /@tensorflow\/tfjs-node.*not installed/);
  });
});
