// Issue 17: AddN with 20,000 inputs on the wasm backend trapped ("memory access out of bounds") and
// left the backend broken for every later run in the process. Its own file: the backend is per process.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel } from "../../../src/runtime/index.js";
import { REPO_ROOT } from "../helpers/fixtures.js";
import { wideAddN } from "./generators.js";

const WASM = join(REPO_ROOT, "node_modules/@tensorflow/tfjs-backend-wasm/dist/") + "/";
const f32 = (values: number[]): HostTensor => ({ dtype: DataType.DT_FLOAT, shape: [values.length], data: Float32Array.from(values) });

async function sum(n: number, x: number[]): Promise<number[]> {
  const m = await loadModel(wideAddN(n), "m", { backend: "wasm", wasmPaths: WASM, fastPath: false });
  try {
    assert.equal(m.backend, "wasm");
    const r = await (await m.prepare("serving_default")).run({ x: f32(x) });
    return Array.from(r.outputs["y"]!.data as Float32Array);
  } finally {
    m.dispose();
  }
}

void test("wasm: AddN over 20,000 inputs gives the sum, and later runs in the process still work", async () => {
  assert.deepEqual(await sum(20_000, [1, 0.5]), [20_000, 10_000]);
  assert.deepEqual(await sum(2, [3]), [6]);
});
