import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseNpy } from "../../../src/core/npy/index.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { exampleTemplate, literalHint, literalToTensor, parseExampleJson } from "../../../src/core/inputs/literal.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../../shared/fixtures");
const DT_FLOAT = 1;
const DT_INT64 = 9;
const DT_STRING = 7;
const DT_BOOL = 10;
const DT_UINT8 = 4;

void test("a typed literal equals the fixture .npy it describes", () => {
  const npy = parseNpy(readFileSync(join(fixtures, "cases/serving_half_plus_two_cpu__serving_default/inputs/x.npy")), "x.npy");
  const lit = literalToTensor(JSON.stringify([...(npy.data as Float32Array)].map((v) => [v])), DT_FLOAT, [-1, 1]);
  assert.deepEqual(lit.shape, npy.shape);
  assert.deepEqual(lit.data, npy.data);
});

void test("lower-rank literals get leading 1-dims only where the input allows them", () => {
  assert.deepEqual(literalToTensor("2", DT_FLOAT, [-1, 1]).shape, [1, 1]);
  assert.deepEqual(literalToTensor("[1, 2, 3]", DT_FLOAT, [-1, 3]).shape, [1, 3]);
  assert.deepEqual(literalToTensor("[1, 2, 3]", DT_FLOAT, [5, 3]).shape, [3]); // 5 ≠ 1: left alone (validation reports it)
  assert.deepEqual(literalToTensor("7", DT_FLOAT, null).shape, []);
});

void test("dtypes: int64 keeps big values exactly, bool/True, strings, ranges checked", () => {
  const t = literalToTensor("[9007199254740993, -3]", DT_INT64, [-1]);
  assert.deepEqual([...(t.data as BigInt64Array)], [9007199254740993n, -3n]);
  assert.deepEqual([...(literalToTensor("[True, false, 1]", DT_BOOL, null).data as Uint8Array)], [1, 0, 1]);
  const s = literalToTensor('["héllo", "b"]', DT_STRING, [-1]);
  assert.equal(new TextDecoder().decode((s.data as Uint8Array[])[0]), "héllo");
  assert.throws(() => literalToTensor("[256]", DT_UINT8, null), /not an integer in \[0, 255\]/);
  assert.throws(() => literalToTensor("[1.5]", DT_INT64, null), /expected an integer/);
  assert.throws(() => literalToTensor("[[1, 2], [3]]", DT_FLOAT, null), /ragged/);
  assert.throws(() => literalToTensor("[1,", DT_FLOAT, null));
  const f = literalToTensor("[nan, -inf]", DT_FLOAT, null).data as Float32Array;
  assert.ok(Number.isNaN(f[0]) && f[1] === -Infinity);
});

void test("tf.Example JSON: the fixture case's examples encode to Examples that decode back", () => {
  const cases = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8")) as { id: string; examples?: unknown[] }[];
  const c = cases.find((x) => x.id === "serving_half_plus_two_cpu__regress_x_to_y");
  assert.ok(c?.examples);
  // cases.json holds the examples as parsed JSON; "2.0" written with its point stays a float.
  const parsed = parseExampleJson('[{"x": [2.0]}]');
  assert.equal(parsed.length, c.examples.length);
  const x = parsed[0]!.get("x")!;
  assert.equal(x.kind, "float_list");
  assert.deepEqual(x.values, [2]);
  const bytes = tensorflow.Example.encode({ features: { feature: { x: { float_list: { value: x.values as number[] } } } } }).finish();
  const back = tensorflow.Example.decode(bytes);
  assert.deepEqual(back.features?.feature?.x?.float_list?.value, [2]);
  const kinds = parseExampleJson('{"a": 3, "b": "s", "c": {"float_list": [1]}, "d": [1, 2.5]}')[0]!;
  assert.deepEqual(
    [...kinds.values()].map((v) => v.kind),
    ["int64_list", "bytes_list", "float_list", "float_list"],
  );
  assert.throws(() => parseExampleJson("[]"), /no examples/);
  assert.throws(() => parseExampleJson("[1]"), /expected an object/);
});

void test("the literal hint matches the input's dtype and rank, and is itself a valid literal for it", () => {
  const cases: [number, number[] | null, string][] = [
    [3, [], "7"],
    [DT_STRING, [-1], '["text"]'],
    [DT_FLOAT, [-1, 3], "[[0.5, 0.5, 0.5]]"],
    [DT_BOOL, [2], "[true, true]"],
    [DT_INT64, null, "[7]"],
  ];
  for (const [dtype, shape, hint] of cases) {
    assert.equal(literalHint(dtype, shape), hint);
    const t = literalToTensor(hint, dtype, shape);
    assert.equal(t.dtype, dtype);
    if (shape) assert.equal(t.shape.length, shape.length);
  }
  assert.equal(literalHint(DT_FLOAT, [-1, 784]), "[[0.5, … 784 values]]");
});

void test("the tf.Example template parses back to the features it names, with their kinds", () => {
  const text = exampleTemplate([
    { name: "x", dtype: DT_FLOAT, shape: [2] },
    { name: "n", dtype: DT_INT64, shape: null },
    { name: "s", dtype: DT_STRING, shape: [1] },
  ]);
  const [ex] = parseExampleJson(text);
  assert.deepEqual(ex!.get("x"), { kind: "float_list", values: [0.5, 0.5] });
  assert.equal(ex!.get("n")?.kind, "int64_list");
  assert.equal(ex!.get("s")?.kind, "bytes_list");
});

void test("hints stay short for any declared shape or feature count (hostile signatures)", () => {
  const t0 = performance.now();
  const deep = literalHint(DT_FLOAT, Array(12).fill(4));
  const wide = literalHint(DT_FLOAT, [4, 4, 4, 4]);
  const rank40 = literalHint(DT_FLOAT, Array(40).fill(-1));
  assert.ok(performance.now() - t0 < 100);
  for (const h of [deep, wide, rank40]) assert.ok(h.length < 400, `${h.length} chars`);
  assert.equal(literalToTensor(wide.replace(/, … \d+ values/g, ""), DT_FLOAT, [-1, -1, -1, -1]).shape.length, 4);
  const many = exampleTemplate(Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, dtype: DT_FLOAT, shape: Array(10).fill(4) })));
  assert.ok(many.length < 10_000, `${many.length} chars`);
  assert.equal(parseExampleJson(many)[0]!.size, 100);
});
