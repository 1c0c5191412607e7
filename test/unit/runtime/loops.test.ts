// While loops on the fast path (src/runtime/engines/loops.ts, loopCompile.ts): Keras-structured
// recurrent models (src/core/savedmodel/kerasRnn.ts) give the op-by-op results with the loop
// compiled once, on random shapes; the generator reproduces the real fixture's loop body; the real
// LSTM fixture takes the fast path and matches its expected outputs; budgets still stop a loop.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DataType } from "../../../src/core/dtype.js";
import { MemorySource } from "../../../src/core/io.js";
import { parseNpy } from "../../../src/core/npy/index.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { kerasRnnModel, type RnnModelSpec } from "../../../src/core/savedmodel/kerasRnn.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { SimdRuntime } from "../../../src/runtime/wasm/pool.js";
import type { RecurrentLoop } from "../../../src/runtime/engines/loops.js";
import { loadModel, type LoadedModel } from "../../../src/runtime/index.js";
import type { RunResult } from "../../../src/runtime/types.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { FsSource } from "../helpers/fsSource.js";
import { whileForever } from "../hostile/generators.js";

const loopsOf = (m: LoadedModel) => (m as unknown as { loops: RecurrentLoop[] }).loops;

function input(batch: number, steps: number, features: number, seed: number): HostTensor {
  const data = new Float32Array(batch * steps * features).map((_, i) => Math.sin(i * 0.731 + seed) * 1.5);
  return { dtype: DataType.DT_FLOAT, shape: [batch, steps, features], data };
}

async function runBoth(spec: RnnModelSpec, x: HostTensor, runs = 2) {
  const src = new MemorySource({ "m/saved_model.pb": kerasRnnModel(spec).savedModel });
  const out: { y: Float32Array; ops: number; loops: RecurrentLoop[]; threads: RunResult["threads"] }[] = [];
  for (const fastPath of [true, false]) {
    const m = await loadModel(src, "m", { backend: "cpu", fastPath });
    const sig = await m.prepare("serving_default");
    let r = await sig.run({ input_1: x });
    for (let i = 1; i < runs; i++) r = await sig.run({ input_1: x });
    out.push({ y: r.outputs["output"]!.data as Float32Array, ops: r.timings.opsExecuted, loops: [...loopsOf(m)], threads: r.threads });
    m.dispose();
  }
  return { fast: out[0]!, plain: out[1]! };
}

function close(a: Float32Array, b: Float32Array, tol: number): void {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol * (1 + Math.abs(b[i]!)), `element ${i}: ${v} vs ${b[i]}`));
}

describe("While loops on the fast path", () => {
  for (const [name, spec] of [
    [
      "stacked LSTMs",
      {
        features: 3,
        layers: [
          { cell: "lstm", units: 5 },
          { cell: "lstm", units: 9 },
        ],
        seed: 3,
      },
    ],
    ["GRU", { features: 4, layers: [{ cell: "gru", units: 7 }], seed: 5 }],
    [
      "Bidirectional LSTM (two layers)",
      {
        features: 2,
        layers: [
          { cell: "lstm", units: 6, bidirectional: true },
          { cell: "lstm", units: 4, bidirectional: true },
        ],
        seed: 9,
      },
    ],
  ] as const) {
    it(`${name}: fast path = op by op, compiled once, far fewer op executions`, async () => {
      const { fast, plain } = await runBoth(spec as RnnModelSpec, input(3, 11, spec.features, 1), 3);
      close(fast.y, plain.y, 1e-5);
      assert.ok(
        fast.loops.length > 0 && fast.loops.every((l) => l.lastFast && l.compiled === 1),
        fast.loops.map((l) => l.reason).join("; "),
      );
      assert.equal(plain.loops.length, 0);
      assert.ok(fast.ops * 5 < plain.ops, `${fast.ops} vs ${plain.ops} op executions`);
      // The results header names the fast path's threads when its loops ran, none without it.
      assert.deepEqual(fast.threads, { fastPath: SimdRuntime.get()!.threads, tfjs: 1 });
      assert.deepEqual(plain.threads, { fastPath: 0, tfjs: 1 });
    });
  }

  // SMS_PROP_RUNS / SMS_PROP_SEED run more cases or another seed.
  it("fused cells match the op-by-op loop on random shapes (property, seeded)", async () => {
    const layer = fc.record({
      cell: fc.constantFrom("lstm" as const, "gru" as const),
      units: fc.integer({ min: 1, max: 13 }),
      bidirectional: fc.boolean(),
    });
    const arb = fc.record({
      features: fc.integer({ min: 1, max: 6 }),
      layers: fc.array(layer, { minLength: 1, maxLength: 2 }),
      batch: fc.integer({ min: 1, max: 5 }),
      steps: fc.integer({ min: 1, max: 9 }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (p) => {
        const { fast, plain } = await runBoth(p, input(p.batch, p.steps, p.features, p.seed), 1);
        close(fast.y, plain.y, 1e-5);
        assert.ok(
          fast.loops.every((l) => l.lastFast),
          fast.loops.map((l) => l.reason).join("; "),
        );
      }),
      { numRuns: Number(process.env["SMS_PROP_RUNS"] ?? 25), seed: Number(process.env["SMS_PROP_SEED"] ?? 19) },
    );
  });

  it("a body with an op the compiler does not take runs node by node, with the same results", async () => {
    const sm = tensorflow.SavedModel.decode(kerasRnnModel({ features: 2, layers: [{ cell: "lstm", units: 3 }] }).savedModel);
    for (const f of sm.meta_graphs[0]!.graph_def!.library!.function ?? [])
      for (const n of f.node_def ?? []) if (n.name === "while/Tanh_1") n.op = "Abs";
    const src = new MemorySource({ "m/saved_model.pb": tensorflow.SavedModel.encode(sm).finish() });
    const x = input(2, 5, 2, 4);
    const ys: Float32Array[] = [];
    for (const fastPath of [true, false]) {
      const m = await loadModel(src, "m", { backend: "cpu", fastPath });
      ys.push((await (await m.prepare("serving_default")).run({ input_1: x })).outputs["output"]!.data as Float32Array);
      if (fastPath) {
        const [loop] = loopsOf(m);
        assert.equal(loop?.lastFast, false);
        assert.match(loop?.reason ?? "", /Abs/);
      }
      m.dispose();
    }
    close(ys[0]!, ys[1]!, 1e-6);
  });

  it("a new batch size compiles a second program; the first is reused after it", async () => {
    const src = new MemorySource({ "m/saved_model.pb": kerasRnnModel({ features: 2, layers: [{ cell: "lstm", units: 4 }] }).savedModel });
    const m = await loadModel(src, "m", { backend: "cpu" });
    const sig = await m.prepare("serving_default");
    for (const b of [2, 5, 2, 5]) await sig.run({ input_1: input(b, 4, 2, b) });
    assert.deepEqual(
      loopsOf(m).map((l) => [l.compiled, l.lastFast]),
      [[2, true]],
    );
    m.dispose();
  });

  it("the SIMD sigmoid / tanh kernel is within float32 rounding of the exact functions, strided, NaN kept", () => {
    const rt = SimdRuntime.get(2)!;
    const cols = 7;
    const xs = Array.from({ length: 3001 }, (_, i) => -100 + i * (200 / 3000));
    xs.push(NaN, 1e-30, -1e-30, 0);
    const rows = Math.ceil(xs.length / cols);
    const ld = cols + 3; // a strided view, as of a Split part
    const bytes = rows * ld * 4 + 64;
    const [x, y] = [rt.alloc(bytes), rt.alloc(bytes)];
    try {
      for (const [kind, exact] of [
        [0, (v: number) => 1 / (1 + Math.exp(-v))],
        [1, Math.tanh],
      ] as const) {
        const f = rt.f32();
        xs.forEach((v, i) => (f[(x >> 2) + Math.floor(i / cols) * ld + (i % cols)] = v));
        rt.call("act", [x, ld, y, cols, cols, 0, rows, kind]);
        const g = rt.f32();
        xs.forEach((v, i) => {
          const got = g[(y >> 2) + Math.floor(i / cols) * cols + (i % cols)]!;
          const want = exact(Math.fround(v));
          if (Number.isNaN(v)) assert.ok(Number.isNaN(got));
          else assert.ok(Math.abs(got - want) <= 4e-7 * (1 + Math.abs(want)), `kind ${kind} at ${v}: ${got} vs ${want}`);
        });
      }
    } finally {
      rt.release(x, bytes);
      rt.release(y, bytes);
    }
  });
});

describe("the real LSTM fixture (keras_lstm_timeseries)", () => {
  const dir = join(FIXTURES, "savedmodels/keras_lstm_timeseries");

  it("the generator's LSTM loop body has the real body's ops, in the real order", async () => {
    const bodyOps = (pb: Uint8Array) => {
      const sm = tensorflow.SavedModel.decode(pb);
      const fns = sm.meta_graphs[0]!.graph_def!.library!.function ?? [];
      const body = fns.find(
        (f) => f.signature!.name!.startsWith("while_body") && (f.node_def ?? []).some((n) => n.op === "TensorListSetItem"),
      );
      return (body?.node_def ?? []).map((n) => n.op).filter((op) => op !== "Const" && op !== "Identity");
    };
    const real = bodyOps(new Uint8Array(readFileSync(join(dir, "saved_model.pb"))));
    const ours = bodyOps(kerasRnnModel({ features: 1, layers: [{ cell: "lstm", units: 64 }] }).savedModel);
    assert.deepEqual(ours, real);
  });

  for (const c of ["keras_lstm_timeseries__serving_default", "keras_lstm_timeseries__serving_default__2"]) {
    it(`${c}: the loop runs on the fast path and matches the expected outputs`, async () => {
      const x = parseNpy(new Uint8Array(readFileSync(join(FIXTURES, "cases", c, "inputs/input_6.npy"))), "input_6");
      const want = parseNpy(new Uint8Array(readFileSync(join(FIXTURES, "cases", c, "expected/dense_17.npy"))), "dense_17");
      const m = await loadModel(new FsSource(), dir, { backend: "cpu" });
      const r = await (await m.prepare("serving_default")).run({ input_6: x });
      assert.deepEqual(
        loopsOf(m).map((l) => l.lastFast),
        [true],
      );
      const got = r.outputs["dense_17"]!.data as Float32Array;
      got.forEach((v, i) => {
        const w = Number(want.data[i]);
        assert.ok(Math.abs(v - w) <= 1e-5 + 1e-4 * Math.abs(w), `${v} vs ${w}`);
      });
      m.dispose();
    });
  }
});

describe("budgets on the fast path", () => {
  it("an endless While is still stopped by the loop budget", async () => {
    const m = await loadModel(whileForever(), "m", { backend: "cpu", limits: { maxLoopMs: 200 } });
    const sig = await m.prepare("serving_default");
    const t0 = performance.now();
    await assert.rejects(sig.run({ x: { dtype: DataType.DT_FLOAT, shape: [1], data: new Float32Array([0]) } }), /ran longer than/);
    assert.ok(performance.now() - t0 < 5000);
    assert.ok(loopsOf(m).every((l) => l.lastFast || l.reason !== undefined));
    m.dispose();
  });
});
