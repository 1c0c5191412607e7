/**
 * Recurrent models on the embedded engine (issue 19): Keras-structured LSTM / GRU / Bidirectional
 * LSTM SavedModels (src/core/savedmodel/kerasRnn.ts, built like the real model of our fixture
 * keras_lstm_timeseries, iteam1/predict-series-data-with-RNN@fc8eb47 `lstm_model`) timed with the
 * fast path (While loops compiled, loops.ts) and without it (every op through tfjs), against a NumPy
 * loop over the same recurrence in the same run (bench/rnn_numpy.py; skipped when python3 + numpy
 * are missing). The NumPy output also checks the engine's.
 *  - four stacked LSTMs (units 50/60/80/120, 100 steps, batch 2): ratio engine / NumPy ≤ 1.0 (aim 0.25)
 *  - a GRU and a Bidirectional LSTM: the same
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DataType } from "../src/core/dtype.js";
import { MemorySource } from "../src/core/io.js";
import { writeNpy } from "../src/core/npy/index.js";
import { kerasRnnModel, type RnnModelSpec } from "../src/core/savedmodel/kerasRnn.js";
import type { HostTensor } from "../src/core/tensor.js";
import { loadModel } from "../src/runtime/index.js";
import { median, steadyRuns, type BenchRow } from "./engine.js";

interface RnnCase {
  readonly name: string;
  readonly spec: RnnModelSpec;
  readonly steps: number;
  readonly batch: number;
}

const CASES: readonly RnnCase[] = [
  {
    name: "4 stacked LSTMs 50/60/80/120",
    spec: { features: 1, layers: [50, 60, 80, 120].map((units) => ({ cell: "lstm" as const, units })), seed: 19 },
    steps: 100,
    batch: 2,
  },
  { name: "GRU 128", spec: { features: 16, layers: [{ cell: "gru", units: 128 }], seed: 7 }, steps: 100, batch: 2 },
  {
    name: "Bidirectional LSTM 64",
    spec: { features: 16, layers: [{ cell: "lstm", units: 64, bidirectional: true }], seed: 11 },
    steps: 100,
    batch: 2,
  },
];

const f32 = (data: Float32Array, shape: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape, data });

/** Runs the NumPy reference on the model's weights; null (with why) when python3 + numpy are missing. */
function numpyReference(c: RnnCase, model: ReturnType<typeof kerasRnnModel>, x: HostTensor, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), "sms-rnn-"));
  try {
    const arrays: string[] = [];
    const put = (name: string, t: HostTensor) => {
      writeFileSync(join(dir, `${name}.npy`), writeNpy(t));
      arrays.push(name);
    };
    model.weights.forEach((dirs, li) =>
      dirs.forEach((w, d) => {
        const g = w.cell === "lstm" ? 4 : 3;
        put(`l${li}d${d}_kernel`, f32(w.kernel, [w.input, g * w.units]));
        put(`l${li}d${d}_recurrent_kernel`, f32(w.recurrentKernel, [w.units, g * w.units]));
        put(`l${li}d${d}_bias`, f32(w.bias, w.cell === "lstm" ? [g * w.units] : [2, g * w.units]));
      }),
    );
    put("dense", f32(model.dense, [model.dense.length, 1]));
    put("dense_bias", f32(model.denseBias, [1]));
    writeFileSync(join(dir, "x.npy"), writeNpy(x));
    writeFileSync(join(dir, "spec.json"), JSON.stringify({ layers: c.spec.layers, arrays }));
    const res = spawnSync("python3", [join(__dirname, "rnn_numpy.py"), dir, String(runs)], { encoding: "utf8", timeout: 300_000 });
    if (res.status !== 0)
      return { error: `python3 + numpy not available (${(res.stderr || String(res.error)).split("\n").filter(Boolean).pop()})` };
    return JSON.parse(res.stdout) as { y: number[]; best_ms: number; median_ms: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function rnnBenchmarks(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  for (const c of CASES) {
    const model = kerasRnnModel(c.spec);
    const xData = new Float32Array(c.batch * c.steps * c.spec.features).map((_, i) => Math.sin(i * 0.37) * 0.8);
    const x = f32(xData, [c.batch, c.steps, c.spec.features]);
    const src = new MemorySource({ "m/saved_model.pb": model.savedModel });
    const label = `${c.name} (${c.steps} steps, batch ${c.batch})`;
    const timed: { ms: number; median: number; ops: number; y: Float32Array }[] = [];
    for (const fastPath of [true, false]) {
      const m = await loadModel(src, "m", { fastPath });
      const sig = await m.prepare("serving_default");
      const first = await sig.run({ input_1: x });
      const times = await steadyRuns(() => sig.run({ input_1: x }), fastPath ? 20 : 5);
      timed.push({
        ms: Math.min(...times),
        median: median(times),
        ops: first.timings.opsExecuted,
        y: first.outputs["output"]!.data as Float32Array,
      });
      m.dispose();
    }
    const [fast, plain] = timed as [(typeof timed)[0], (typeof timed)[0]];
    const ref = numpyReference(c, model, x, 20);
    const diff = (y: Float32Array) => ("y" in ref ? Math.max(...ref.y.map((v, i) => Math.abs(v - y[i]!))) : NaN);
    rows.push({
      name: `${label} fast path, best of 20`,
      value: fast.ms,
      unit: "ms",
      note: `median ${fast.median.toFixed(2)} ms; ${fast.ops} op executions per run; max |Δ| vs NumPy ${diff(fast.y).toExponential(1)}; ${load()}`,
    });
    rows.push({
      name: `${label} fast path off (every op through tfjs), best of 5`,
      value: plain.ms,
      unit: "ms",
      note: `median ${plain.median.toFixed(2)} ms; ${plain.ops} op executions per run; max |Δ| vs NumPy ${diff(plain.y).toExponential(1)}`,
    });
    if ("error" in ref) {
      rows.push({ name: `${label} NumPy loop`, value: NaN, unit: "ms", note: `skipped: ${ref.error}` });
      continue;
    }
    rows.push({
      name: `${label} NumPy loop (same recurrence), best of 20`,
      value: ref.best_ms,
      unit: "ms",
      note: `median ${ref.median_ms.toFixed(2)} ms`,
    });
    const ratio = fast.ms / ref.best_ms;
    rows.push({
      name: `${label} engine / NumPy (best runs)`,
      value: ratio,
      unit: "×",
      target: "≤ 1.0 (aim ≤ 0.25)",
      ok: ratio <= 1,
      note: `medians: ${(fast.median / ref.median_ms).toFixed(2)}; op by op / NumPy ${(plain.ms / ref.best_ms).toFixed(1)}`,
    });
  }
  return rows;
}
