import assert from "node:assert/strict";
import { statNumber } from "../../../src/core/display.js";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { MemorySource } from "../../../src/core/io.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { SavedModelReader } from "../../../src/core/savedmodel/index.js";
import { EditorSession } from "../../../src/editor-model/session.js";
import {
  buildKeras,
  buildOps,
  buildOverview,
  buildSignatures,
  isCustomKerasClass,
  variableRow,
  variablesPage,
} from "../../../src/editor-model/views.js";
import { FsSource } from "../../../src/node/fsSource.js";
import type { Request, ResultBody, VariableRow } from "../../../src/protocol/editor.js";
import { FIXTURES, loadModelsJson } from "../helpers/fixtures.js";

const MODELS = loadModelsJson();
const facts = (name: string) => {
  const m = MODELS.find((x) => x.name === name);
  assert.ok(m, name);
  return m;
};
const open = (name: string) => SavedModelReader.open(new FsSource(), join(FIXTURES, facts(name).path));

const noActions = {
  runSignature: () => Promise.resolve("run"),
  debugSignature: () => Promise.resolve("debug"),
  copyRequest: () => Promise.resolve("copied"),
  copyText: () => Promise.resolve("copied"),
};

async function ask<K extends ResultBody["kind"]>(s: EditorSession, req: Request, kind: K): Promise<Extract<ResultBody, { kind: K }>> {
  const res = await s.handle(req);
  if (res.kind === "error") assert.fail(`${req.type}: ${res.code} ${res.message}`);
  assert.equal(res.kind, kind);
  return res as Extract<ResultBody, { kind: K }>;
}

describe("editor view models on the fixtures", () => {
  for (const name of [
    "keras_mnist",
    "teachable_machine_mobilenet_2shards",
    "tfx_chicago_taxi_estimator_serving",
    "serving_half_plus_two_cpu",
    "tf1_pbtxt_mnist_cnn",
  ]) {
    it(`${name}: overview, signatures, ops and variables agree with models.json`, async () => {
      const f = facts(name);
      const r = await open(name);
      const o = await buildOverview(r, name);
      assert.equal(o.format, f.format);
      assert.deepEqual(
        o.metaGraphs.map((m) => [...m.tags]),
        f.tags,
      );
      assert.equal(o.metaGraphs[0]?.tfVersion, f.tf_version);
      assert.equal(o.metaGraphs[0]?.graphNodes, f.graph_nodes);
      assert.equal(o.metaGraphs[0]?.opCount, f.op_count);
      assert.deepEqual(
        o.files.map((x) => x.path),
        [...f.files].sort(),
      );
      const onDisk = f.files.reduce((a, p) => a + statSync(join(FIXTURES, f.path, p)).size, 0);
      assert.equal(o.totalBytes, onDisk);
      assert.equal(o.fingerprint !== null, f.has_fingerprint);
      assert.equal(o.variables?.shards ?? 0, f.variables.num_shards);
      assert.match(o.showAll, f.tags[0]?.length ? /MetaGraphDef with tag-set/ : /./);

      const sigs = buildSignatures(r).filter((s) => s.metaGraph === 0);
      assert.deepEqual(sigs.map((s) => s.key).sort(), Object.keys(f.signatures).sort());
      for (const s of sigs) {
        const want = f.signatures[s.key]!;
        assert.equal(s.method, want.method_name);
        assert.deepEqual(s.inputs.map((t) => t.key).sort(), Object.keys(want.inputs).sort());
        assert.deepEqual(s.outputs.map((t) => t.key).sort(), Object.keys(want.outputs).sort());
      }

      const ops = buildOps(r, 0);
      assert.equal(ops.ops.length, f.op_count);
      assert.deepEqual(
        ops.ops
          .filter((x) => x.custom)
          .map((x) => x.op)
          .sort(),
        [...f.custom_ops].sort(),
      );
      for (let i = 1; i < ops.ops.length; i++) assert.ok(ops.ops[i - 1]!.count >= ops.ops[i]!.count, "ops sorted by count");

      const s = new EditorSession(r, name, noActions);
      const page = (
        await ask(s, { id: 1, type: "getVariables", offset: 0, limit: 5000, filter: "", sort: "bytes", descending: true }, "variables")
      ).page;
      assert.equal(page.total, f.variables.count - (f.variables.includes_object_graph_entry ? 1 : 0));
      const bytes = page.rows.reduce((a, x) => a + x.bytes, 0);
      assert.ok(bytes <= f.variables.total_bytes, `${bytes} <= ${f.variables.total_bytes}`);
      for (let i = 1; i < page.rows.length; i++) assert.ok(page.rows[i - 1]!.bytes >= page.rows[i]!.bytes, "sorted by bytes, descending");
    });
  }

  it("variables: filter words must all match; pages slice the sorted rows", () => {
    const rows = [
      { checkpointKey: "dense/kernel", name: "dense/kernel", dtype: 1, shape: [4, 3], shardId: 0, sizeBytes: 48 },
      { checkpointKey: "dense/bias", name: "dense/bias", dtype: 1, shape: [3], shardId: 0, sizeBytes: 12 },
      { checkpointKey: "conv/kernel", name: "conv/kernel", dtype: 1, shape: [3, 3, 1, 8], shardId: 1, sizeBytes: 288 },
      { checkpointKey: "step", name: "step", dtype: 9, shape: [], shardId: 1, sizeBytes: 8 },
    ].map((v) => variableRow(v));
    const p = (filter: string, sort: "name" | "bytes" | "shape" | "dtype" | "shard", descending = false, offset = 0, limit = 10) =>
      variablesPage(rows, { filter, sort, descending, offset, limit });
    assert.deepEqual(
      p("kernel", "name").rows.map((r) => r.key),
      ["conv/kernel", "dense/kernel"],
    );
    assert.deepEqual(
      p("KERNEL dense", "name").rows.map((r) => r.key),
      ["dense/kernel"],
    );
    assert.deepEqual(
      p("DT_INT64", "name").rows.map((r) => r.key),
      ["step"],
    );
    assert.deepEqual(
      p("", "shape").rows.map((r) => r.key),
      ["step", "dense/bias", "dense/kernel", "conv/kernel"],
    );
    assert.deepEqual(
      p("", "bytes", true, 1, 2).rows.map((r) => r.key),
      ["dense/kernel", "dense/bias"],
    );
    assert.equal(p("zzz", "name").matched, 0);
    assert.equal(p("zzz", "name").total, 4);
    assert.equal(rows[2]?.shape, "[3, 3, 1, 8]");
    assert.equal(rows[3]?.shape, "[]");
  });

  it("variables: rows are named, sorted and filtered like the tree groups them (keras_mnist: Optimizer/…, Metrics/…)", async () => {
    const reader = await SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", "keras_mnist"));
    const noop = () => Promise.resolve("");
    const session = new EditorSession(reader, "m", { runSignature: noop, debugSignature: noop, copyRequest: noop, copyText: noop });
    const res = await session.handle({ id: 1, type: "getVariables", offset: 0, limit: 500, filter: "", sort: "name", descending: false });
    assert.equal(res.kind, "variables");
    const rows = (res as unknown as { page: { rows: readonly VariableRow[] } }).page.rows;
    const names = rows.map((r) => r.display);
    assert.deepEqual(names, [...names].sort(), "sorted by the grouped name");
    assert.ok(names.includes("conv2d/kernel") && names.includes("Optimizer/conv2d/kernel/m") && names.includes("Metrics/0/count"));
    assert.equal(new Set(names).size, names.length, "no duplicate count/total rows");
    const opt = await session.handle({
      id: 2,
      type: "getVariables",
      offset: 0,
      limit: 500,
      filter: "optimizer conv2d/kernel",
      sort: "name",
      descending: false,
    });
    assert.deepEqual(
      (opt as unknown as { page: { rows: readonly VariableRow[] } }).page.rows.map((r) => r.display),
      ["Optimizer/conv2d/kernel/m", "Optimizer/conv2d/kernel/v"],
    );
  });

  it("loads ONE variable's values lazily: stats, histogram and preview match the tensor", async () => {
    const r = await open("keras_mnist");
    const s = new EditorSession(r, "keras_mnist", noActions);
    const page = (
      await ask(s, { id: 1, type: "getVariables", offset: 0, limit: 50, filter: "kernel", sort: "bytes", descending: true }, "variables")
    ).page;
    const top = page.rows[0]!;
    const bundle = (await r.variables())!;
    const t = await bundle.readTensor(top.key);
    const data = t.data as Float32Array;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    const v = (await ask(s, { id: 2, type: "getVariableValues", key: top.key }, "variableValues")).values;
    const cell = (k: string) => v.stats?.find(([name]) => name === k)?.[1];
    assert.equal(cell("count"), String(data.length));
    assert.equal(cell("min"), statNumber(min));
    assert.equal(cell("max"), statNumber(max));
    assert.equal(cell("mean"), statNumber(sum / data.length));
    assert.equal(v.shape, `[${t.shape.join(", ")}]`);
    assert.equal(
      v.histogram?.counts.reduce((a, b) => a + b, 0),
      data.length,
    );
    assert.equal(v.histogram?.counts.length, 20);
    assert.match(v.preview, /^\[\[/);
    assert.ok(v.preview.includes("..."), "big tensors are summarized");
    const missing = await s.handle({ id: 3, type: "getVariableValues", key: "no/such/variable" });
    assert.equal(missing.kind, "error");
  });

  it("Debug… on a signature reaches the host action; a signature that cannot run is refused", async () => {
    const s = new EditorSession(await open("serving_half_plus_two_cpu"), "half", noActions);
    assert.equal((await ask(s, { id: 1, type: "debugSignature", metaGraph: 0, key: "serving_default" }, "done")).message, "debug");
    const bad = await s.handle({ id: 2, type: "debugSignature", metaGraph: 0, key: "no_such_signature" });
    assert.equal(bad.kind, "error");
  });

  it("Keras layer tree: classes from the metadata, custom classes flagged against Keras' exports", async () => {
    const r = await open("keras_mnist");
    const k = await buildKeras(r);
    assert.ok(k);
    assert.deepEqual(
      [...new Set(k.layers.map((l) => l.registeredName ?? l.className))].filter(Boolean).sort(),
      [...facts("keras_mnist").keras_classes].sort(),
    );
    assert.deepEqual(k.customClasses, []);
    assert.ok(k.layers.some((l) => l.className === "Dense" && l.config.includes('"units"')));
    assert.equal(isCustomKerasClass("Dense", null), false);
    assert.equal(isCustomKerasClass("MyBlock", null), true);
    assert.equal(isCustomKerasClass("Dense", "my_pkg>Dense"), true);
    const tfdf = await buildKeras(await open("tfdf_adult_rf"));
    assert.ok(tfdf && tfdf.customClasses.length > 0, "TF-DF's model class is not a Keras built-in");
    assert.equal(await buildKeras(await open("serving_half_plus_two_cpu")), null);
  });

  it("ops: deny-listed ops are flagged; custom ops are not core ops", async () => {
    const r = await open("serving_half_plus_two_cpu");
    const ops = buildOps(r, 0, ["RestoreV2", "SaveV2"]);
    assert.deepEqual(
      ops.ops
        .filter((o) => o.denied)
        .map((o) => o.op)
        .sort(),
      ["RestoreV2", "SaveV2"],
    );
    const text = buildOps(await open("serving_tf_text_regression"), 0);
    assert.deepEqual(
      text.ops
        .filter((o) => o.custom)
        .map((o) => o.op)
        .sort(),
      [...facts("serving_tf_text_regression").custom_ops].sort(),
    );
  });

  it("assets and assets.extra list the files with their sizes", async () => {
    const r = await open("serving_half_plus_two_cpu");
    const s = new EditorSession(r, "x", noActions);
    const a = (await ask(s, { id: 1, type: "getAssets" }, "assets")).assets;
    assert.deepEqual(
      a.assets.map((x) => x.path),
      facts("serving_half_plus_two_cpu").assets,
    );
    for (const f of a.assets)
      assert.equal(f.bytes, statSync(join(FIXTURES, facts("serving_half_plus_two_cpu").path, "assets", f.path)).size);
    assert.deepEqual(a.assetsExtra, []);
    const tfdf = (await ask(new EditorSession(await open("tfdf_adult_rf"), "x", noActions), { id: 2, type: "getAssets" }, "assets")).assets;
    assert.deepEqual(
      tfdf.assets.map((x) => x.path),
      facts("tfdf_adult_rf").assets,
    );
    for (const x of tfdf.assets) assert.equal(x.bytes, statSync(join(FIXTURES, facts("tfdf_adult_rf").path, "assets", x.path)).size);
    assert.ok(tfdf.assets.some((x) => x.bytes > 1000));
  });

  it("functions: concrete functions with specs, library functions with callers and callees", async () => {
    const r = await open("keras_mnist");
    const s = new EditorSession(r, "x", noActions);
    const f = (await ask(s, { id: 1, type: "getFunctions", metaGraph: 0 }, "functions")).functions;
    assert.equal(f.library.length, facts("keras_mnist").functions);
    assert.ok(f.attached.some((a) => a.concrete.some((c) => c.inputSignature.includes("TensorSpec"))));
    const wrapper = f.library.find((x) => x.name.includes("signature_wrapper"));
    assert.ok(wrapper && wrapper.callers.includes("<graph>") && wrapper.callees.length > 0);
    for (const callee of wrapper.callees) assert.ok(f.library.find((x) => x.name === callee)?.callers.includes(wrapper.name));
  });

  it("a .pbtxt model gives the same views as the same model in binary", async () => {
    const f = facts("tf1_pbtxt_mnist_cnn");
    const dir = join(FIXTURES, f.path);
    const files: Record<string, Uint8Array> = {};
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files["m/" + relative(dir, p)] = new Uint8Array(readFileSync(p));
      }
    };
    walk(dir);
    const text = await SavedModelReader.open(new MemorySource(files), "m");
    assert.equal(text.format, "pbtxt");
    const binFiles = { ...files };
    delete binFiles["m/saved_model.pbtxt"];
    binFiles["m/saved_model.pb"] = tensorflow.SavedModel.encode(text.savedModel()).finish();
    const bin = await SavedModelReader.open(new MemorySource(binFiles), "m");
    assert.equal(bin.format, "pb");
    const strip = <T extends { files: unknown; totalBytes: unknown; modelFile: unknown; format: unknown }>(o: T) => ({
      ...o,
      files: null,
      totalBytes: null,
      modelFile: null,
      format: null,
    });
    assert.deepEqual(strip(await buildOverview(bin, "m")), strip(await buildOverview(text, "m")));
    assert.deepEqual(buildSignatures(bin), buildSignatures(text));
    assert.deepEqual(buildOps(bin, 0), buildOps(text, 0));
    const req: Request = { id: 1, type: "getGraph", metaGraph: 0, target: { kind: "graph" }, expand: [], inlineDepth: 0 };
    const gt = (await ask(new EditorSession(text, "m", noActions), req, "graph")).graph;
    const gb = (await ask(new EditorSession(bin, "m", noActions), req, "graph")).graph;
    assert.deepEqual(gb, gt);
    assert.equal(gt.nodes.length, f.graph_nodes);
  });
});
