import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseNpy } from "../../../src/core/npy/index.js";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { byName, fitWarning, incompatibility } from "../../../src/extension/run/compat.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../../shared/fixtures");

async function input(model: string, sig: string, key: string) {
  const r = await SavedModelReader.open(new FsSource(), join(fixtures, "savedmodels", model));
  const t = r
    .metaGraphs()[0]!
    .signatures.find((s) => s.key === sig)!
    .inputs.find((i) => i.key === key);
  assert.ok(t, `${model} ${sig} ${key}`);
  return t;
}

function info(file: string) {
  const a = parseNpy(readFileSync(join(fixtures, file)), file);
  return { dtype: a.dtype, descr: a.descr, shape: a.shape };
}

void test("fixture .npy files against real signature inputs", async () => {
  const x = await input("serving_half_plus_two_cpu", "serving_default", "x");
  const xNpy = info("cases/serving_half_plus_two_cpu__serving_default/inputs/x.npy");
  assert.equal(incompatibility(x, xNpy), undefined);
  assert.equal(incompatibility(x, info("cases/tfjs_int64_multiply__serving_default/inputs/x.npy")), "dtype int64 ≠ float32");
  // Shapes the placeholder does not declare run (as in TensorFlow's runtime), with a warning.
  assert.equal(incompatibility(x, { ...xNpy, shape: [2, 3] }), undefined);
  assert.equal(fitWarning(x, { ...xNpy, shape: [2, 3] }), "shape [2, 3] does not fit [?, 1] (dim 1)");
  assert.equal(fitWarning(x, { ...xNpy, shape: [4] }), "rank 1 [4] ≠ rank 2 [?, 1]");
  assert.equal(incompatibility(x, { dtype: undefined, descr: "|O", shape: [1] }), "unsupported array type '|O'");
  // Unknown-rank string input (serialized tf.Example): any string array fits, numbers do not.
  const ex = await input("serving_half_plus_two_cpu", "classify_x_to_y", "inputs");
  assert.equal(ex.shape, null);
  assert.equal(incompatibility(ex, { dtype: 7, descr: "|S5", shape: [3] }), undefined);
  assert.equal(incompatibility(ex, xNpy), "dtype float32 ≠ string");
  // tfjs's test feeds rank-1 arrays into a scalar ([]) signature input and TensorFlow runs it: the
  // picker offers such files with the same warning the run prints (one policy: runtime/feedPolicy.ts).
  const s = await input("tfjs_times_three_float", "serving_default", "x");
  assert.deepEqual(s.shape, []);
  const rank1 = info("cases/tfjs_times_three_float__serving_default/inputs/x.npy");
  assert.equal(incompatibility(s, rank1), undefined);
  assert.equal(fitWarning(s, rank1), "rank 1 [3] ≠ rank 0 []");
});

void test("input files named like the input come first (file stem, npz member), the rest keep their order", () => {
  const c = (path: string, member?: string) => ({ uri: { path }, ...(member !== undefined ? { member } : {}) });
  const cands = [c("/w/a.npy"), c("/w/data.npz", "images"), c("/w/x_batch.npy"), c("/w/data.npz", "x"), c("/w/x.npy"), c("/w/b.npy")];
  assert.deepEqual(
    byName(cands, "x").map((k) => k.uri.path + (k.member ? `[${k.member}]` : "")),
    ["/w/data.npz[x]", "/w/x.npy", "/w/x_batch.npy", "/w/a.npy", "/w/data.npz[images]", "/w/b.npy"],
  );
});
