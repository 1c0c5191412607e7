/**
 * Recurrent models on the embedded engine (issue 19): Keras-structured LSTM / GRU / Bidirectional
 * LSTM SavedModels (src/core/savedmodel/kerasRnn.ts, built like the real model of our fixture
 * keras_lstm_timeseries, iteam1/predict-series-data-with-RNN@fc8eb47 `lstm_model`) timed with the
 * fast path (While loops compiled, loops.ts) and without it (every op through tfjs), against a NumPy
 * loop over the same recurrence in the same run (bench/rnn_numpy.py; skipped when python3 + numpy
 * are missing), their runs interleaved so both see the same load. The NumPy output also checks the
 * engine's.
 *  - four stacked LSTMs (units 50/60/80/120, 100 steps, batch 2): ratio engine / NumPy ≤ 1.0 (aim 0.25)
 *  - a GRU and a Bidirectional LSTM: the same
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
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

/** The NumPy reference on the model's weights, as a child answering one timed run per request. */
interface NumpyRef {
  readonly y: number[];
  run(): Promise<number>;
  close(): void;
}

/** Starts the NumPy reference; an error message when python3 + numpy are missing. */
async function numpyReference(c: RnnCase, model: ReturnType<typeof kerasRnnModel>, x: HostTensor): Promise<NumpyRef | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), "sms-rnn-"));
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
  const child = spawn("python3", [join(__dirname, "rnn_numpy.py"), dir], { stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string | null) => void)[] = [];
  lines.on("line", (l) => waiting.shift()?.(l));
  lines.on("close", () => {
    for (const w of waiting.splice(0)) w(null);
  });
  child.on("error", () => lines.close());
  const next = () => new Promise<string | null>((res) => waiting.push(res));
  const close = () => {
    child.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  };
  const first = await next();
  if (first === null) {
    close();
    return { error: `python3 + numpy not available (${err.split("\n").filter(Boolean).pop() ?? "no python3"})` };
  }
  return {
    y: (JSON.parse(first) as { y: number[] }).y,
    run: async () => {
      child.stdin.write("run\n");
      return Number(await next());
    },
    close,
  };
}

export async function rnnBenchmarks(): Promise<{ title: string; rows: BenchRow[]; notes: string[] }> {
  const rows: BenchRow[] = [];
  const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  for (const c of CASES) {
    const model = kerasRnnModel(c.spec);
    const xData = new Float32Array(c.batch * c.steps * c.spec.features).map((_, i) => Math.sin(i * 0.37) * 0.8);
    const x = f32(xData, [c.batch, c.steps, c.spec.features]);
    const src = new MemorySource({ "m/saved_model.pb": model.savedModel });
    const label = `${c.name} (${c.steps} steps, batch ${c.batch})`;
    const ref = await numpyReference(c, model, x);
    const timed: { ms: number; median: number; ops: number; y: Float32Array; numpy: number[] }[] = [];
    for (const fastPath of [true, false]) {
      const m = await loadModel(src, "m", { fastPath });
      const sig = await m.prepare("serving_default");
      const first = await sig.run({ input_1: x });
      // Engine and NumPy runs alternate, so both see the same load; each is timed on its own (the
      // last `n` of each after the warm-up are kept).
      const n = fastPath ? 20 : 5;
      const numpy: number[] = [];
      const engine: number[] = [];
      await steadyRuns(async () => {
        const t0 = performance.now();
        await sig.run({ input_1: x });
        engine.push(performance.now() - t0);
        if ("run" in ref && fastPath) numpy.push(await ref.run());
      }, n);
      const times = engine.slice(-n);
      timed.push({
        ms: Math.min(...times),
        median: median(times),
        ops: first.timings.opsExecuted,
        y: first.outputs["output"]!.data as Float32Array,
        numpy,
      });
      m.dispose();
    }
    const [fast, plain] = timed as [(typeof timed)[0], (typeof timed)[0]];
    const diff = (y: Float32Array) => ("y" in ref ? Math.max(...ref.y.map((v, i) => Math.abs(v - y[i]!))) : NaN);
    rows.push({
      name: `${label} fast path, best of 20`,
      value: fast.ms,
      unit: "ms",
      note: `median ${fast.median.toFixed(2)} ms; ${fast.ops} op executions per run; max abs difference from NumPy ${diff(fast.y).toExponential(1)}; ${load()}`,
    });
    rows.push({
      name: `${label} fast path off (every op through tfjs), best of 5`,
      value: plain.ms,
      unit: "ms",
      note: `median ${plain.median.toFixed(2)} ms; ${plain.ops} op executions per run; max abs difference from NumPy ${diff(plain.y).toExponential(1)}`,
    });
    if (!("run" in ref)) {
      rows.push({ name: `${label} NumPy loop`, value: NaN, unit: "ms", note: `skipped: ${ref.error}` });
      continue;
    }
    ref.close();
    // The NumPy runs interleaved with the measured engine runs (the last 20).
    const np = fast.numpy.slice(-20);
    const npBest = Math.min(...np);
    rows.push({
      name: `${label} NumPy loop (same recurrence), best of ${np.length}`,
      value: npBest,
      unit: "ms",
      note: `median ${median(np).toFixed(2)} ms; runs interleaved with the engine's`,
    });
    const ratio = fast.ms / npBest;
    rows.push({
      name: `${label} engine / NumPy (best runs)`,
      value: ratio,
      unit: "×",
      target: "≤ 1.0 (aim ≤ 0.25)",
      ok: ratio <= 1,
      note: `medians: ${(fast.median / median(np)).toFixed(2)}; op by op / NumPy ${(plain.ms / npBest).toFixed(1)}`,
    });
  }
  const numpyVersion = spawnSync("python3", ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" }).stdout?.trim();
  return {
    title: "Recurrent models vs NumPy (issue 19)",
    rows,
    notes: [
      "Models: `kerasRnnModel` (src/core/savedmodel/kerasRnn.ts), each layer built like the Keras 2.6 graph of the real model " +
        "iteam1/predict-series-data-with-RNN@fc8eb4786e02a11d2c506aa645812353c6a90b07 `lstm_model` (our fixture keras_lstm_timeseries; " +
        "the loop body node for node), GRU after Keras 2.6 `standard_gru`, Bidirectional = forward + ReverseV2'd backward loop; " +
        "weights as constants. Engine defaults (fast path on, its thread pool); the op-by-op rows are what main ran for these loops " +
        `(every body op through tfjs). NumPy ${numpyVersion || "(missing)"}: bench/rnn_numpy.py, a loop over steps with x_t @ kernel, ` +
        "h @ recurrent_kernel, bias and gates per step, run in a child process between the engine's runs.",
    ],
  };
}
