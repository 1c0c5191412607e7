/** Pure pieces of the Python analysis: block splitting, incremental documents, version inference, quick fixes. */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FsSource } from "../../../src/node/fsSource.js";
import { analyzePython, codeActionsFor } from "../../../src/server/python/analyze.js";
import { splitBlocks } from "../../../src/server/python/blocks.js";
import { collectBindings } from "../../../src/server/python/imports.js";
import { PythonDocument } from "../../../src/server/python/document.js";
import { DiskModelCache, MODEL_FILE_WORKER, modelFileReads, readDiskModel } from "../../../src/server/python/models.js";
import { inferKerasVersion, majorOf, parsePins } from "../../../src/server/python/version.js";
import { analyze, applyEdits, codesByLine, fixturesDir, getParser, parse } from "./harness.js";

test("blocks: decorators, else/except continuations, strings and brackets never split", () => {
  const src = [
    "import os",
    "@decorator",
    "class A:",
    "    x = 1",
    "if x:",
    "    pass",
    "else:",
    "    pass",
    'doc = """',
    "class NotABlock:",
    '"""',
    "value = call(",
    "1,",
    ")",
    "try:",
    "    pass",
    "except E:",
    "    pass",
    "finally:",
    "    pass",
    "y = 'a' \\",
    "+ 'b'",
  ].join("\n");
  const blocks = splitBlocks(src);
  assert.deepEqual(
    blocks.map((b) => b.row),
    [0, 1, 4, 8, 11, 14, 20],
  );
  assert.equal(blocks.map((b) => b.text).join(""), src);
});

test("blocks: column-0 comments after an indented body open the next block (tree-sitter is quadratic over them inside one)", () => {
  const commented = Array.from({ length: 2000 }, (_, i) => `# old_${i} = model.predict(x)`).join("\n");
  const src = [
    "def f(a):",
    "    # indented comment stays",
    "# a column-0 comment inside the body, code follows indented: stays",
    "    return a",
    "",
    commented,
    "",
    "@decorator",
    "# between decorator and def: stays with the decorator",
    "def g():",
    "    pass",
    "# trailing commented-out code",
    "# up to the end of the file",
  ].join("\n");
  const blocks = splitBlocks(src);
  assert.deepEqual(
    blocks.map((b) => b.row),
    [0, 5, 2010],
  );
  assert.equal(blocks.map((b) => b.text).join(""), src);
  assert.match(blocks[0]!.text, /return a\n\n$/);
  assert.match(blocks[1]!.text, /^# old_0 = [\s\S]*\n@decorator\n# between decorator[\s\S]*\n {4}pass\n$/);
  assert.equal(blocks[2]!.text, "# trailing commented-out code\n# up to the end of the file");
});

test("document: unchanged blocks are reused, a changed block is re-parsed incrementally, results equal a fresh parse", async () => {
  const base =
    "from tensorflow import keras\n\nclass M(keras.Model):\n    def call(self, x):\n        return x\n\nm = M()\nm.save('out')\n";
  const doc = new PythonDocument(await getParser());
  doc.update(base);
  const edited = base.replace("return x", "return x * 2").replace("m = M()", "# a new line above\nm = M()");
  const stats = doc.update(edited);
  assert.ok(stats.reused >= 1, JSON.stringify(stats));
  assert.ok(stats.incremental >= 1, JSON.stringify(stats));
  const inc = analyzePython({ uri: "file:///x.py", source: edited, statements: doc.statements() });
  const fresh = await analyze(edited);
  assert.deepEqual(codesByLine(inc), codesByLine(fresh));
  assert.deepEqual(codesByLine(fresh), ["9:SMS101"]);
  doc.dispose();
});

test("document: positions are UTF-16 columns (LSP default)", async () => {
  const src = "import tensorflow as tf\nclass M(tf.keras.Model):\n    pass\nm = M()\nlabel = 'é'; m.save('x')\n";
  const r = await analyze(src);
  assert.equal(r.findings.length, 1);
  assert.deepEqual(r.findings[0]!.diagnostic.range.start, { line: 4, character: 13 }); // 14 if counted in UTF-8 bytes
});

test("version: modules only one Keras has (removed standalone modules are Keras 2, keras.src.legacy is Keras 3)", async () => {
  const version = async (src: string) => inferKerasVersion("auto", collectBindings((await parse(src)).statements()), src, []);
  for (const src of [
    "from keras.layers.core import Dense\n",
    "from keras.layers.merge import concatenate\n",
    "from keras.engine.topology import Layer\n",
    "import keras.layers.convolutional as conv\n",
  ]) {
    const v = await version(src);
    assert.equal(v.version, 2, src);
    assert.match(v.reason, /a module Keras 3 removed/);
  }
  const k3 = await version("from keras.src.legacy.preprocessing.image import ImageDataGenerator\n");
  assert.equal(k3.version, 3);
  // tf.keras paths, Keras 2.13's keras.src.legacy_tf_layers and the modules both versions have decide nothing
  for (const src of [
    "from tensorflow.keras.layers.core import Dense\n",
    "from keras.src.legacy_tf_layers import core\n",
    "from keras.layers import Dense\nfrom keras.preprocessing.image import load_img\n",
  ])
    assert.equal((await version(src)).version, "unknown", src);
});

test("version: imports, pins and the setting", async () => {
  const doc = await parse("import tf_keras as keras\n");
  assert.equal(inferKerasVersion("auto", collectBindings(doc.statements()), "", []).version, 2);
  assert.equal(inferKerasVersion("3", collectBindings(doc.statements()), "", []).version, 3);
  const plain = collectBindings((await parse("import tensorflow as tf\n")).statements());
  assert.equal(inferKerasVersion("auto", plain, "", []).version, "unknown");
  assert.equal(inferKerasVersion("auto", plain, "", [{ path: "requirements.txt", text: "tensorflow==2.15.1\n" }]).version, 2);
  assert.equal(inferKerasVersion("auto", plain, "", [{ path: "requirements.txt", text: "tensorflow>=2.16,<2.18\n" }]).version, 3);
  assert.equal(
    inferKerasVersion("auto", plain, "", [{ path: "pyproject.toml", text: 'dependencies = ["keras>=3.0.0", "numpy"]\n' }]).version,
    3,
  );
  assert.equal(
    inferKerasVersion("auto", plain, "", [{ path: "requirements.txt", text: "tensorflow>=2.16\ntf-keras\n" }]).version,
    "unknown",
  );
  assert.equal(majorOf("<3"), 2);
  assert.equal(majorOf(">=2.4,<3.0"), 2);
  assert.equal(majorOf("~=3.1"), 3);
  assert.equal(parsePins("keras[tf] == 3.3.3 ; python_version>'3.9'").get("keras"), "== 3.3.3");
});

/** Applies every fix of the first finding with `code`, re-analyses, and checks the finding is gone. */
async function fixRemoves(source: string, code: string, opts: Parameters<typeof analyze>[1] = {}, pick = 0): Promise<string> {
  const r = await analyze(source, opts);
  const f = r.findings.find((x) => x.diagnostic.code === code);
  assert.ok(f, `${code} reported: ${codesByLine(r).join(" ")}`);
  const actions = codeActionsFor("file:///project/snippet.py", [f], f.diagnostic.range);
  assert.ok(actions.length > pick, "a quick fix is offered");
  const edits = actions[pick]!.edit!.changes!["file:///project/snippet.py"]!;
  const fixed = applyEdits(source, edits);
  const again = await analyze(fixed, opts);
  assert.ok(!again.findings.some((x) => x.diagnostic.code === code), `after the fix:\n${fixed}\n${codesByLine(again).join(" ")}`);
  return fixed;
}

const SUBCLASS =
  "from tensorflow import keras\n\nclass Enc(keras.Model):\n    def __init__(self):\n        super().__init__()\n        self.d = keras.layers.Dense(4)\n\n    def call(self, x):\n        return self.d(x)\n\n";

test("quick fix SMS101: inserts a build call with the shape of a nearby Input", async () => {
  const src = SUBCLASS + "def main():\n    inputs = keras.Input(shape=(28, 28))\n    enc = Enc()\n    enc.save('enc')\n";
  const fixed = await fixRemoves(src, "SMS101");
  assert.match(fixed, /\n {4}enc\(keras\.Input\(shape=\(28, 28\)\)\)\n {4}enc\.save\('enc'\)/);
});

test("quick fix SMS101: the per-example shape of nearby training data (array constructors, tf.data)", async () => {
  const np = "import numpy as np\nimport tensorflow as tf\n";
  const fixed = await fixRemoves(
    np + SUBCLASS + "x_train = np.random.rand(100, 32).astype('float32')\nenc = Enc()\nenc.save('enc')\n",
    "SMS101",
  );
  assert.match(fixed, /\nenc\(keras\.Input\(shape=\(32,\)\)\)\nenc\.save/);
  const viaDataset = await fixRemoves(
    np +
      SUBCLASS +
      "images = np.zeros((64, 28, 28))\nlabels = np.zeros((64,))\nds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)\nenc = Enc()\nenc.save('enc')\n",
    "SMS101",
  );
  assert.match(viaDataset, /enc\(keras\.Input\(shape=\(28, 28\)\)\)/);
  // Sizes that are names (maybe not in scope at the save) are not copied into the fix.
  const named = await fixRemoves(np + SUBCLASS + "n = 32\nx = np.zeros((100, n))\nenc = Enc()\nenc.save('enc')\n", "SMS101");
  assert.match(named, /enc\(keras\.Input\(shape=\.\.\.\)\) {2}# TODO/);
  // An array whose name says nothing about inputs is not taken for the data.
  const unrelated = await fixRemoves(np + SUBCLASS + "kernel = np.ones((3, 3))\nenc = Enc()\nenc.save('enc')\n", "SMS101");
  assert.match(unrelated, /enc\(keras\.Input\(shape=\.\.\.\)\) {2}# TODO/);
});

test("quick fix SMS101: placeholder when no shape is known", async () => {
  const fixed = await fixRemoves(SUBCLASS + "enc = Enc()\nenc.save('enc')\n", "SMS101");
  assert.match(fixed, /enc\(keras\.Input\(shape=\.\.\.\)\) {2}# TODO/);
});

test("quick fix SMS102: the build shape without its batch dimension", async () => {
  const src = SUBCLASS + "import tensorflow as tf\nenc = Enc()\nenc.build((None, 16))\ntf.saved_model.save(enc, 'enc')\n";
  const fixed = await fixRemoves(src, "SMS102");
  assert.match(fixed, /enc\(keras\.Input\(shape=\(16,\)\)\)/);
});

test("quick fix SMS201: custom_objects entry, or registration with the file's alias", async () => {
  const src =
    "import tensorflow as tf\nfrom tensorflow import keras\n\nclass Gate(keras.layers.Layer):\n    def call(self, x):\n        return x\n\n" +
    "m = keras.Sequential([keras.Input(shape=(2,)), Gate()])\nm.save('g.keras')\nr = keras.models.load_model('g.keras')\n";
  // .keras: only Keras 3 fails in the same process (tf.keras imports __main__), so the rule needs version 3
  const k3 = { settings: { kerasVersion: "3" as const } };
  const withObjects = await fixRemoves(src, "SMS201", k3, 0);
  assert.match(withObjects, /load_model\('g\.keras', custom_objects=\{"Gate": Gate\}\)/);
  const registered = await fixRemoves(src, "SMS201", k3, 1);
  assert.match(registered, /@keras\.saving\.register_keras_serializable\(package="snippet"\)\nclass Gate/);
});

test("quick fix SMS202 and SMS203", async () => {
  const src =
    "import tensorflow as tf\n\n@tf.keras.utils.register_keras_serializable\nclass Gate(tf.keras.layers.Layer):\n    pass\n\nclass Other(tf.keras.layers.Layer):\n    pass\n\ni = tf.keras.Input(shape=(2,))\nnet = tf.keras.Model(i, Other()(i))\nnet.save('x.h5')\nm = tf.keras.models.load_model('x.h5', custom_objects={'Otter': Other})\n";
  const a = await fixRemoves(src, "SMS203");
  assert.match(a, /@tf\.keras\.utils\.register_keras_serializable\(\)\n/);
  const b = await fixRemoves(src, "SMS202");
  assert.match(b, /custom_objects=\{"Other": Other\}/);
});

test("quick fix SMS204: get_config skeleton from __init__", async () => {
  const src =
    "import tensorflow as tf\n\n@tf.keras.utils.register_keras_serializable(package='p')\nclass Scale(tf.keras.layers.Layer):\n    def __init__(self, factor, bias=0.0, **kwargs):\n        super().__init__(**kwargs)\n        self.k = factor\n        self.bias = bias\n\n    def call(self, x):\n        return x * self.k + self.bias\n\nscale = Scale(tf.constant(2.0))\n";
  const fixed = await fixRemoves(src, "SMS204", { settings: { kerasVersion: "2" } });
  assert.match(
    fixed,
    /def get_config\(self\):\n {8}config = super\(\)\.get_config\(\)\n {8}config\.update\(\{\n {12}"factor": self\.k,\n {12}"bias": self\.bias,/,
  );
});

test("quick fix SMS103 and SMS302", async () => {
  const k3 = { settings: { kerasVersion: "3" as const } };
  const fixed = await fixRemoves(
    "import keras\nm = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])\nm.save('out')\n",
    "SMS103",
    k3,
  );
  assert.match(fixed, /m\.save\('out\.keras'\)/);
  const model = {
    dir: "/w/exported",
    format: "savedmodel" as const,
    keras: true,
    savedNames: ["Dense", "Sequential"],
    signatures: ["__saved_model_init_op", "serving_default"],
  };
  const disk = (lit: string) => (lit === "exported" ? { state: "ready" as const, model } : { state: "none" as const });
  const src = "import keras\nm = keras.models.load_model('exported')\n";
  const r = await analyze(src, { ...k3, disk });
  assert.deepEqual(codesByLine(r), ["2:SMS302"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /endpoints: serving_default\)/);
  const edits = codeActionsFor("file:///project/snippet.py", r.findings, r.findings[0]!.diagnostic.range)[0]!.edit!.changes![
    "file:///project/snippet.py"
  ]!;
  assert.equal(applyEdits(src, edits), 'import keras\nm = keras.layers.TFSMLayer("exported", call_endpoint="serving_default")\n');
});

test("disk SMS202/SMS301 against registered saved names, with the custom_objects fix", async () => {
  const model = {
    dir: "/w/m",
    format: "savedmodel" as const,
    keras: true,
    savedNames: ["Custom>Gate", "Dense", "Functional", "Swish"],
    signatures: ["serving_default"],
  };
  const disk = (lit: string) => (lit === "m" ? { state: "ready" as const, model } : { state: "none" as const });
  const src =
    "import tensorflow as tf\nfrom blocks import Swish\nclass Gate(tf.keras.layers.Layer):\n    pass\nm = tf.keras.models.load_model('m', custom_objects={'Gate': Gate})\n";
  const r = await analyze(src, { disk });
  assert.deepEqual(codesByLine(r).sort(), ["5:SMS202", "5:SMS301"]);
  const s301 = r.findings.find((f) => f.diagnostic.code === "SMS301")!;
  assert.match(String(s301.diagnostic.message), /"Swish"/);
  assert.doesNotMatch(String(s301.diagnostic.message), /Gate|Dense/);
  const fixed = await fixRemoves(src, "SMS301", { disk });
  assert.match(fixed, /custom_objects=\{'Gate': Gate, "Swish": Swish\}/);
});

test("disk cache: pending then ready, invalidated when the model changes on disk", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sms-disk-"));
  try {
    cpSync(join(fixturesDir, "savedmodels", "keras_mnist"), join(dir, "models", "mnist"), { recursive: true });
    let changes = 0;
    let now = 0;
    const cache = new DiskModelCache(new FsSource("/"), { roots: (d) => [d], revalidateMs: 10, now: () => now });
    cache.onDidChange(() => changes++);
    assert.equal(cache.lookup(dir, "models/mnist").state, "pending");
    await cache.settle();
    const r = cache.lookup(dir, "models/mnist");
    assert.equal(r.state, "ready");
    assert.ok(r.state === "ready" && r.model.savedNames.includes("Conv2D"));
    assert.equal(cache.lookup(dir, "models/nothing").state, "pending");
    await cache.settle();
    assert.equal(cache.lookup(dir, "models/nothing").state, "none");
    const before = changes;
    utimesSync(join(dir, "models", "mnist", "keras_metadata.pb"), new Date(), new Date(Date.now() + 5000));
    now += 100;
    cache.lookup(dir, "models/mnist"); // starts a revalidation
    await cache.settle();
    assert.ok(changes > before, "change on disk fires onDidChange");
    assert.equal(cache.lookup(dir, "models/mnist").state, "pending"); // re-read
    await cache.settle();
    assert.equal(cache.lookup(dir, "models/mnist").state, "ready");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("settings: disabled analysis reports nothing; a syntax error elsewhere does not hide diagnostics", async () => {
  const src = SUBCLASS + "def broken(:\n    pass\n\nenc = Enc()\nenc.save('enc')\n";
  assert.deepEqual(codesByLine(await analyze(src)), ["15:SMS101"]);
  assert.deepEqual(codesByLine(await analyze(src, { settings: { enable: false } })), []);
});

test("path values through names: a self-referencing chain resolves to the last binding before each use (bounded depth)", async () => {
  const head =
    'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\nmodel = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\np = "w"\n';
  const chain = Array.from({ length: 200 }, (_, i) => `p = p + "${i}"\nmodel.save_weights(p)\n`).join("");
  const fine = 'q = "final"\nq = q + ".weights.h5"\nmodel.save_weights(q)\n';
  const r = await analyze(head + chain + fine);
  const lines = codesByLine(r);
  assert.equal(lines.length, 200, "every save_weights(p) in the chain, not the last one");
  assert.ok(lines.every((l) => l.endsWith(":SMS103")));
  assert.ok(!lines.includes(`${5 + 400 + 3}:SMS103`), "q ends in .weights.h5");
});

test("path values through parameters: chained helpers with many call sites and a recursive helper (one answer per parameter)", async () => {
  // save_3(path) is called 300 times by save_2(path), itself called 300 times by save_1: 300^3 evaluations
  // without one answer per parameter; again() passes its own parameter to itself
  const calls = (callee: string): string => Array.from({ length: 300 }, () => `    ${callee}(model, path)\n`).join("");
  const src =
    "import tensorflow as tf\n\n\nclass Net(tf.keras.Model):\n    def call(self, x):\n        return x\n\n\n" +
    `def save_1(model, path):\n${calls("save_2")}\n\ndef save_2(model, path):\n${calls("save_3")}\n\n` +
    "def save_3(model, path):\n    model.save(path)\n\n\ndef again(model, path):\n    again(model, path)\n    model.save(path)\n\n\n" +
    'net = Net()\nnet.fit(x, y)\nsave_1(net, "net.h5")\nagain(net, "other.h5")\n';
  const lines = codesByLine(await analyze(src));
  const at = src.split("\n").indexOf("    model.save(path)") + 1;
  assert.deepEqual(lines, [`${at}:SMS104`], "save_3 saves net.h5 (every caller passes it); again()'s path stays unknown");
});

test("disk SMS201: a .keras / .h5 file next to the script names custom objects the load does not provide", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sms-files-"));
  try {
    for (const f of ["custom.keras", "custom.h5", "siamese_model.keras", "plain.h5", "lfs_pointer.h5"])
      cpSync(join(__dirname, "..", "..", "fixtures", "keras-files", f), join(dir, f));
    const cache = new DiskModelCache(new FsSource("/"), { roots: (d) => [d] });
    const disk = cache.lookupFor(dir);
    const run = async (src: string, settings = {}) => {
      await analyze(src, { disk, settings });
      await cache.settle();
      return analyze(src, { disk, settings });
    };
    const load = (path: string, kw = "", head = "import tensorflow as tf\n"): string =>
      `${head}model = tf.keras.models.load_model("${path}"${kw})\n`;
    // .h5: fails in both versions; the compile-only loss counts only when the load compiles
    const h5 = await run(load("custom.h5"));
    assert.deepEqual(codesByLine(h5), ["2:SMS201"]);
    assert.match(String(h5.findings[0]!.diagnostic.message), /"Gate", "my_act", "shop>Reg", "dice_loss" \(read from the file\)/);
    assert.match(
      String((await run(load("custom.h5", ", compile=False"))).findings[0]!.diagnostic.message),
      /"Gate", "my_act", "shop>Reg" \(/,
    );
    const passed = ', custom_objects={"Gate": Gate, "my_act": my_act, "shop>Reg": Reg, "dice_loss": dice_loss}';
    assert.deepEqual(codesByLine(await run(load("custom.h5", passed))), []);
    // the fix passes what the file can reach
    const defs = "import tensorflow as tf\nfrom blocks import Gate, Reg, my_act\n";
    const fixed = await fixRemoves(load("custom.h5", ", compile=False", defs), "SMS201", { disk });
    assert.match(fixed, /custom_objects=\{"Gate": Gate, "my_act": my_act\}/);
    // .keras: a class from a user module; Keras 3 fails, tf.keras finds it when this file defines or imports it
    const siamese = load("siamese_model.keras");
    assert.deepEqual(codesByLine(await run(siamese)), ["2:SMS201"]);
    const imported = load("siamese_model.keras", "", "import tensorflow as tf\nfrom siamese import CosineSimilarity\n");
    assert.deepEqual(codesByLine(await run(imported)), []);
    assert.deepEqual(codesByLine(await run(imported, { kerasVersion: "3" })), ["3:SMS201"]);
    // a loader's default path is the file it reads unless a caller names another
    const loader = (call: string, body = "    return tf.keras.models.load_model(path)\n"): string =>
      `import tensorflow as tf\n\n\ndef load_prediction_model(path="custom.h5"):\n${body}\n\n${call}\n`;
    assert.deepEqual(codesByLine(await run(loader("model = load_prediction_model()"))), ["5:SMS201"]);
    assert.deepEqual(codesByLine(await run(loader('model = load_prediction_model("plain.h5")'))), []);
    const rebound = '    path = "plain.h5"\n    return tf.keras.models.load_model(path)\n';
    assert.deepEqual(codesByLine(await run(loader("model = load_prediction_model()", rebound))), []);
    // a path the file spells from an option's default (`os.path.join(".", args.model + ".h5")`) is the file read
    // when the script runs without that option
    const option = (dflt: string): string =>
      `import os\nimport argparse\nimport tensorflow as tf\n\nparser = argparse.ArgumentParser()\nparser.add_argument("--model", default="${dflt}")\nargs = parser.parse_args()\nmodel = tf.keras.models.load_model(os.path.join(".", args.model + ".h5"))\n`;
    assert.deepEqual(codesByLine(await run(option("custom"))), ["8:SMS201"]);
    assert.deepEqual(codesByLine(await run(option("plain"))), []);
    // the file is read in a worker with a heap cap and a time limit: one that runs out of either is no model
    const limits = { ...MODEL_FILE_WORKER };
    MODEL_FILE_WORKER.timeoutMs = 0;
    try {
      const t0 = Date.now();
      assert.equal(await readDiskModel(new FsSource("/"), join(dir, "custom.h5")), undefined);
      assert.ok(Date.now() - t0 < 5_000);
    } finally {
      Object.assign(MODEL_FILE_WORKER, limits);
    }
    assert.deepEqual((await readDiskModel(new FsSource("/"), join(dir, "custom.h5")))?.savedNames, ["Gate", "my_act", "shop>Reg"]);
    // many model files at once are read two at a time (bytes and a worker each), all of them in the end
    let settled = false;
    const many = Promise.all(Array.from({ length: 8 }, () => readDiskModel(new FsSource("/"), join(dir, "custom.h5"))));
    void many.finally(() => (settled = true));
    let most = 0;
    let queued = 0;
    while (!settled) {
      most = Math.max(most, modelFileReads().running);
      queued = Math.max(queued, modelFileReads().queued);
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(most <= 2 && queued > 0, `at most two reads at once (saw ${most} running, ${queued} queued)`);
    assert.deepEqual(
      (await many).map((m) => m?.savedNames.length),
      Array.from({ length: 8 }, () => 3),
    );
    // nothing custom, or not a model file at all (an LFS pointer): silent
    assert.deepEqual(codesByLine(await run(load("plain.h5"))), []);
    assert.deepEqual(codesByLine(await run(load("lfs_pointer.h5"))), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
