// One tensor, four views: the tree, the model editor, the results panel and Show Variable print the
// same type, shape, size and statistics (core/display.ts), on a real fixture's largest variable.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tensorDisplay } from "../../../src/core/display.js";
import { SavedModelReader } from "../../../src/core/savedmodel/index.js";
import { EditorSession } from "../../../src/editor-model/session.js";
import { variableDescription } from "../../../src/extension/format.js";
import type { RunRecord } from "../../../src/extension/run/results.js";
import { runPage, variablePage } from "../../../src/extension/run/tensorPage.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { FIXTURES, loadModelsJson } from "../helpers/fixtures.js";

const noop = () => Promise.resolve("");

describe("one tensor display", () => {
  for (const name of ["keras_mnist", "tfx_chicago_taxi_estimator_serving", "teachable_machine_mobilenet_2shards"]) {
    const facts = loadModelsJson().find((m) => m.name === name);
    if (!facts) continue;
    it(`${name}: tree, editor, results panel and Show Variable agree on the largest variable`, async () => {
      const r = await SavedModelReader.open(new FsSource(), join(FIXTURES, facts.path));
      const vars = await r.variableSummaries();
      const v = vars.reduce((a, b) => (b.sizeBytes > a.sizeBytes ? b : a));
      const tree = variableDescription(v);

      const session = new EditorSession(r, name, { runSignature: noop, debugSignature: noop, copyRequest: noop, copyText: noop });
      const res = await session.handle({ id: 1, type: "getVariableValues", key: v.checkpointKey });
      assert.equal(res.kind, "variableValues");
      const editor = (res as Extract<typeof res, { kind: "variableValues" }>).values;

      const t = await (await r.variables())!.readTensor(v.checkpointKey);
      const limits = { maxElements: 200, maxStringLength: 200 };
      const shown = variablePage({ model: name, key: v.checkpointKey, shard: v.shardId, readMs: 1 }, tensorDisplay(t, limits, v.sizeBytes));
      const record = {
        id: "r",
        modelLabel: name,
        modelUri: { toString: () => "file:///m" },
        tags: ["serve"],
        signature: "serving_default",
        inputs: [],
        outputs: { out: t },
        engine: "embedded",
        backend: "wasm",
        timings: { loadMs: 0, prepareMs: 0, runMs: 0, execMs: 0, opsExecuted: 0 },
        warnings: [],
        at: 0,
      } as unknown as RunRecord;
      const results = runPage(record, limits);

      // type and size: the tree's line is the editor's type and size, and Show Variable's
      const variable = shown.tensors[0]!.display;
      const output = results.tensors[0]!.display;
      assert.equal(tree, `${editor.type} · ${editor.size}`);
      assert.equal(variable.type, editor.type);
      assert.equal(variable.size, editor.size);
      assert.equal(output.type, editor.type, "results panel type");
      assert.equal(output.shape, editor.shape);
      assert.match(editor.shape, /^\[\d+(, \d+)*\]$/);
      // statistics: the same cells everywhere
      assert.ok(editor.stats && editor.stats.length === 8);
      assert.deepEqual(variable.stats, editor.stats);
      assert.deepEqual(output.stats, editor.stats);
      // previews: the same numpy text for the same limits
      assert.equal(variable.preview, output.preview);
    });
  }
});
