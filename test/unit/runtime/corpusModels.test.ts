// Real SavedModels from the issue-15 corpus (test/corpus/models, Apache-2.0): every serving signature
// runs on both backends, outputs have the declared shapes, and the backends agree. The models come from
// fetched repository snapshots and are not committed (test/corpus/models/README.md says where each is):
// the test runs where a local copy is present.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { FsSource } from "../helpers/fsSource.js";
import { loadModel } from "../../../src/runtime/index.js";

const ROOT = join(import.meta.dirname, "..", "..", "corpus", "models");
const MODELS = ["onnx_regression", "tf_examples_fake_effdet_lite0_hub", "keras_lso_savedmodel_tf22"];

async function runAll(dir: string, backend: "cpu" | "wasm"): Promise<Record<string, HostTensor>> {
  const m = await loadModel(new FsSource(), join(ROOT, dir), { backend });
  try {
    const p = await m.prepare("serving_default");
    const feeds = Object.fromEntries(
      p.inputs.map((i) => {
        const shape = (i.shape ?? [2]).map((d) => (d < 0 ? 1 : d));
        const n = shape.reduce((a, b) => a * b, 1);
        return [i.key, { dtype: DataType.DT_FLOAT, shape, data: Float32Array.from({ length: n }, (_, k) => Math.sin(k)) }];
      }),
    );
    const r = await p.run(feeds);
    for (const o of p.outputs) {
      const got = r.outputs[o.key]!;
      if (o.shape)
        assert.deepEqual(
          got.shape.map((d, k) => (o.shape![k]! < 0 ? -1 : d)),
          [...o.shape],
          `${dir} ${o.key} shape`,
        );
      assert.ok(Array.from(got.data as Float32Array).every(Number.isFinite), `${dir} ${o.key} finite`);
    }
    return r.outputs;
  } finally {
    m.dispose();
  }
}

describe("corpus models (local copies)", () => {
  for (const dir of MODELS) {
    const skip = existsSync(join(ROOT, dir, "saved_model.pb")) ? false : `no local copy of ${dir} (test/corpus/models/README.md)`;
    it(`${dir}: runs on cpu and wasm with the same results`, { skip }, async () => {
      const a = await runAll(dir, "cpu");
      const b = await runAll(dir, "wasm");
      for (const [k, t] of Object.entries(a)) {
        const u = b[k]!.data as Float32Array;
        Array.from(t.data as Float32Array).forEach((v, i) =>
          assert.ok(Math.abs(v - u[i]!) <= 1e-4 * (1 + Math.abs(v)), `${dir} ${k}[${i}]`),
        );
      }
    });
  }
});
