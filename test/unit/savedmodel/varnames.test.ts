// Display paths for grouping variables, on the real keras_mnist checkpoint (weights, Adam slots, metric state).
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { variableDisplayPaths } from "../../../src/core/savedmodel/varnames.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { FIXTURES } from "../helpers/fixtures.js";

void test("keras_mnist: weights by name, optimizer slots and state under Optimizer, metrics under Metrics, all distinct", async () => {
  const r = await SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", "keras_mnist"));
  const vars = await r.variableSummaries();
  const paths = variableDisplayPaths(vars);
  const byKey = new Map(vars.map((v, i) => [v.checkpointKey, paths[i]!]));
  assert.equal(new Set(paths).size, paths.length, "no two variables share a path");
  assert.equal(byKey.get("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE"), "conv2d/kernel");
  assert.equal(
    byKey.get("layer_with_weights-0/kernel/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE"),
    "Optimizer/conv2d/kernel/m",
  );
  assert.equal(byKey.get("keras_api/metrics/1/total/.ATTRIBUTES/VARIABLE_VALUE"), "Metrics/1/total");
  // Every slot sits under Optimizer next to a path of a real variable of the model.
  const weights = new Set(paths.filter((p) => !/^(Optimizer|Metrics)\//.test(p)));
  for (const p of paths.filter((x) => /^Optimizer\/.+\/(m|v)$/.test(x))) assert.ok(weights.has(p.replace(/^Optimizer\/|\/(m|v)$/g, "")), p);
  assert.ok(!paths.some((p) => p.includes("layer_with_weights")), "no checkpoint-only scopes left");
});

void test("names two variables share fall back to their checkpoint keys", () => {
  const v = (checkpointKey: string, name: string) => ({ checkpointKey, name, dtype: 1, shape: [], shardId: 0, sizeBytes: 4 });
  assert.deepEqual(
    variableDisplayPaths([
      v("a/x/.ATTRIBUTES/VARIABLE_VALUE", "x:0"),
      v("b/x/.ATTRIBUTES/VARIABLE_VALUE", "x:0"),
      v("c/.ATTRIBUTES/VARIABLE_VALUE", "y:0"),
    ]),
    ["a/x", "b/x", "y"],
  );
});
