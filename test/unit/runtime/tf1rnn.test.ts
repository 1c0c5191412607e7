// A real TF1 SavedModel with a while loop: andabi/voice-vector (TF 1.5, MIT), commit
// 6a9f7f98a0a89f3bc2e2bf373247da8d210a740b, path saved_model/1/saved_model.pb. Its GRU dynamic_rnn
// (embedding/gru/rnn/while, TensorArrays in and out) runs on seeded weights written here and is checked
// against a float64 GRU in plain JS. The model comes from a fetched repository snapshot, which is kept out
// of commits: the test runs where SMS_TF1_RNN_MODEL names a copy of that saved_model.pb, and says so
// when skipped. The synthetic dynamic_rnn pattern is always tested (tf1loops.test.ts).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { writeBundle } from "../../../src/core/bundle/writer.js";
import { DataType } from "../../../src/core/dtype.js";
import { MemorySource } from "../../../src/core/io.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel } from "../../../src/runtime/index.js";
import { BACKENDS, f32 } from "./graphModel.js";

const MODEL = process.env.SMS_TF1_RNN_MODEL;
const skip = MODEL && existsSync(MODEL) ? false : "set SMS_TF1_RNN_MODEL to andabi/voice-vector's saved_model/1/saved_model.pb";
const pb = skip ? new Uint8Array(0) : readFileSync(MODEL!);
const H = 512;
const CELL = "embedding/gru/rnn/gru_cell";

/** Deterministic values in [-scale, scale) (a small LCG: the test's own weights, not TensorFlow's). */
function seeded(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

const weights = {
  gk: seeded(2 * H * 2 * H, 1, 0.04),
  gb: seeded(2 * H, 2, 0.5),
  ck: seeded(2 * H * H, 3, 0.04),
  cb: seeded(H, 4, 0.5),
};

async function source(): Promise<MemorySource> {
  const t = (data: Float32Array, shape: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape, data });
  const { index, shards } = await writeBundle([
    [`${CELL}/gates/kernel`, t(weights.gk, [2 * H, 2 * H])],
    [`${CELL}/gates/bias`, t(weights.gb, [2 * H])],
    [`${CELL}/candidate/kernel`, t(weights.ck, [2 * H, H])],
    [`${CELL}/candidate/bias`, t(weights.cb, [H])],
  ]);
  return new MemorySource({
    "m/saved_model.pb": pb,
    "m/variables/variables.index": index,
    "m/variables/variables.data-00000-of-00001": shards[0]!,
  });
}

/**
 * TF 1.5 GRUCell, float64: gates = sigmoid([x, h] Wg + bg), r, u = split(gates);
 * c = tanh([x, r * h] Wc + bc); h' = u * h + (1 - u) * c. Returns outputs [B, T, H] and the last h.
 */
function gru(x: Float32Array, batch: number, steps: number): { outputs: Float64Array; last: Float64Array } {
  const outputs = new Float64Array(batch * steps * H);
  const last = new Float64Array(batch * H);
  const matvec = (v: Float64Array, k: Float32Array, cols: number, bias: Float32Array) => {
    const out = Float64Array.from(bias);
    for (let i = 0; i < v.length; i++) {
      const vi = v[i]!;
      if (vi === 0) continue;
      for (let j = 0; j < cols; j++) out[j]! += vi * k[i * cols + j]!;
    }
    return out;
  };
  for (let b = 0; b < batch; b++) {
    let h = new Float64Array(H);
    for (let t = 0; t < steps; t++) {
      const xt = x.subarray((b * steps + t) * H, (b * steps + t + 1) * H);
      const xh = new Float64Array(2 * H);
      xh.set(xt);
      xh.set(h, H);
      const g = matvec(xh, weights.gk, 2 * H, weights.gb).map((v) => 1 / (1 + Math.exp(-v)));
      const xr = new Float64Array(2 * H);
      xr.set(xt);
      for (let j = 0; j < H; j++) xr[H + j] = g[j]! * h[j]!;
      const c = matvec(xr, weights.ck, H, weights.cb).map(Math.tanh);
      const next = new Float64Array(H);
      for (let j = 0; j < H; j++) {
        const u = g[H + j]!;
        next[j] = u * h[j]! + (1 - u) * c[j]!;
      }
      h = next;
      outputs.set(h, (b * steps + t) * H);
    }
    last.set(h, b * H);
  }
  return { outputs, last };
}

describe("real TF1 SavedModel with a while loop (voice-vector GRU)", { skip }, () => {
  for (const backend of BACKENDS) {
    it(`runs the GRU dynamic_rnn loop to the recurrence's values (${backend})`, async () => {
      const batch = 2;
      const steps = 6;
      const x = seeded(batch * steps * H, 5, 1);
      const m = await loadModel(await source(), "m", { backend });
      try {
        const p = await m.prepareTensors(
          ["embedding/highwaynet_1/add:0"],
          ["embedding/gru/rnn/transpose_1:0", "embedding/gru/rnn/while/Exit_3:0"],
        );
        const out = (await p.run({ "embedding/highwaynet_1/add:0": f32(Array.from(x), [batch, steps, H]) })).outputs;
        const want = gru(x, batch, steps);
        const got = out["embedding/gru/rnn/transpose_1:0"]!;
        assert.deepEqual(got.shape, [batch, steps, H]);
        let worst = 0;
        (got.data as Float32Array).forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want.outputs[i]!))));
        assert.ok(worst < 1e-4, `outputs differ by ${worst}`);
        const last = out["embedding/gru/rnn/while/Exit_3:0"]!;
        assert.deepEqual(last.shape, [batch, H]);
        (last.data as Float32Array).forEach((v, i) => assert.ok(Math.abs(v - want.last[i]!) < 1e-4, `h[${i}]`));
        // The GRU really moved: the last state is far from the first step's output.
        assert.ok(Math.abs(want.last[0]! - want.outputs[0]!) > 1e-3);
      } finally {
        m.dispose();
      }
    });
  }
});
