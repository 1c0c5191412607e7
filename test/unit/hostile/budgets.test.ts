// Issue 17, item 2: budgets of a run (memory, loops, inlining, recursion). Each attack ends with a
// typed error within a few seconds, long before it could take the process down.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel, type LoadOptions } from "../../../src/runtime/index.js";
import { fanOut, parseExampleDense, recursiveWhile, splatChain, stringSplat, whileForever, wideAddN } from "./generators.js";
import type { MemorySource } from "../../../src/core/io.js";

const MiB = 1024 * 1024;
const f32 = (values: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape: [values.length], data: Float32Array.from(values) });

async function run(src: MemorySource, feeds: Record<string, HostTensor>, opts: LoadOptions = {}) {
  const m = await loadModel(src, "m", { backend: "cpu", fastPath: false, ...opts });
  try {
    const sig = await m.prepare("serving_default");
    return await sig.run(feeds);
  } finally {
    m.dispose();
  }
}

/** Asserts `p` rejects with a StudioError of `code` matching `pattern` within `ms`, and the heap grew by less than `maxHeapMiB`. */
async function refused(p: () => Promise<unknown>, code: string, pattern: RegExp, ms: number, maxHeapMiB = 512): Promise<void> {
  const heap0 = process.memoryUsage().rss;
  const t0 = performance.now();
  await assert.rejects(p(), (e: unknown) => {
    assert.ok(e instanceof StudioError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${Math.round(took)} ms`);
  const grew = (process.memoryUsage().rss - heap0) / MiB;
  assert.ok(grew < maxHeapMiB, `RSS grew ${Math.round(grew)} MiB`);
}

void test("a string Const of 2^28 elements from one value: LIMIT_EXCEEDED before it is expanded", async () => {
  await refused(() => run(stringSplat(2 ** 28), {}), "LIMIT_EXCEEDED", /budget/, 5000);
});

void test("ParseExample with dense_shapes [2^28] fed one empty example: LIMIT_EXCEEDED before allocating", async () => {
  const empty: HostTensor = { dtype: DataType.DT_STRING, shape: [1], data: [new Uint8Array(0)] };
  await refused(() => run(parseExampleDense(2 ** 28), { serialized: empty }), "LIMIT_EXCEEDED", /pe \(ParseExample\).*memory budget/, 5000);
  // The same model with a small shape runs (the budget is not a blanket refusal).
  const ok = await run(parseExampleDense(4), { serialized: empty });
  assert.deepEqual(ok.outputs["y"]!.shape, [1, 4]);
});

void test("splat Consts chained with AddV2: the run's total memory budget stops them (no per-tensor limit is hit)", async () => {
  // Six 32 MiB splats against a 100 MiB budget: each one fits alone, together they do not.
  await refused(
    () => run(splatChain(6, 8 * MiB), {}, { limits: { maxRunBytes: 100 * MiB } }),
    "LIMIT_EXCEEDED",
    /memory budget of 100 MiB/,
    10_000,
  );
  const ok = await run(splatChain(3, 1000), {}, { limits: { maxRunBytes: 100 * MiB } });
  assert.equal((ok.outputs["y"]!.data as Float32Array)[999], 3);
});

void test("function fan-out (F0 calls F1 twice ... depth 20): refused while planning, before inlining anything", async () => {
  await refused(
    () => loadModel(fanOut(20), "m", { backend: "cpu" }),
    "LIMIT_EXCEEDED",
    /more than 500000 nodes once function calls are inlined/,
    2000,
  );
  // A small fan-out is fine and computes 2^depth * x.
  const r = await run(fanOut(4), { x: f32([1]) });
  assert.deepEqual(Array.from(r.outputs["y"]!.data as Float32Array), [16]);
});

void test("a While whose condition is always true: stopped by the loop time budget", async () => {
  await refused(() => run(whileForever(), { x: f32([0]) }, { limits: { maxLoopMs: 1000 } }), "LIMIT_EXCEEDED", /ran longer than 1 s/, 5000);
  await refused(
    () => run(whileForever(), { x: f32([0]) }, { limits: { maxFunctionCalls: 5000 } }),
    "LIMIT_EXCEEDED",
    /more than 5000 control-flow function calls/,
    5000,
  );
});

void test("a While body that runs itself: a GRAPH error at prepare, not a stack overflow at run time", async () => {
  const m = await loadModel(recursiveWhile(), "m", { backend: "cpu" });
  try {
    await assert.rejects(
      m.prepare("serving_default"),
      (e: unknown) => e instanceof StudioError && e.code === "GRAPH" && /calls itself recursively/.test(e.message),
    );
  } finally {
    m.dispose();
  }
});

void test("AddN with 20,000 inputs: computed in chunks, and the engine keeps working", async () => {
  const r = await run(wideAddN(20_000), { x: f32([1, 2]) });
  assert.deepEqual(Array.from(r.outputs["y"]!.data as Float32Array), [20_000, 40_000]);
  const again = await run(wideAddN(3), { x: f32([1]) });
  assert.deepEqual(Array.from(again.outputs["y"]!.data as Float32Array), [3]);
});
