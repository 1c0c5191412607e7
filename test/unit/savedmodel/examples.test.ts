// The tf.Example features a model parses, read from real fixture graphs: a TF1 ParseExample (TF Serving's
// half_plus_two: x required, x2 with a default) and a ParseExampleV2 (the TFX Chicago taxi Estimator export).
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { exampleFeatures } from "../../../src/core/savedmodel/examples.js";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { FIXTURES } from "../helpers/fixtures.js";

async function featuresOf(model: string) {
  const r = await SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", model));
  await r.loadBody();
  return exampleFeatures(r.metaGraphDef(0));
}

void test("TF1 ParseExample: dense keys, dtypes and shapes from the graph; an empty default marks a required feature", async () => {
  const f = await featuresOf("serving_half_plus_two_cpu");
  assert.deepEqual(
    f.map((x) => [x.name, x.kind, x.dtype, x.shape, x.required]),
    [
      ["x", "dense", 1, [1], true],
      ["x2", "dense", 1, [1], false],
    ],
  );
  assert.equal(f[0]!.node, "ParseExample/ParseExample");
});

void test("ParseExampleV2 (TFX Estimator export): every sparse feature with its dtype", async () => {
  const f = await featuresOf("tfx_chicago_taxi_estimator_serving");
  const byName = new Map(f.map((x) => [x.name, x]));
  assert.ok(f.length >= 10, `${f.length} features`);
  assert.ok(f.every((x) => x.node === "ParseExample/ParseExampleV2"));
  assert.deepEqual([byName.get("company")?.kind, byName.get("company")?.dtype], ["sparse", 7]);
  assert.equal(byName.get("dropoff_census_tract")?.dtype, 9);
  assert.equal(byName.get("fare")?.dtype, 1);
  assert.equal(new Set(f.map((x) => x.name)).size, f.length, "each feature once");
});

void test("a model that parses no tf.Example has no features", async () => {
  assert.deepEqual(await featuresOf("keras_mnist"), []);
});
