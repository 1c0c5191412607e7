/** SMS202 across files: a serving script's custom_objects key vs the name the training script saved (issue 16). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, applyEdits, codesByLine } from "./harness.js";

const train = (decorator: string, path: string, head = "import tensorflow as tf"): string =>
  `${head}\n\n\n${decorator}\nclass Gate(tf.keras.layers.Layer):\n    def call(self, x):\n        return x\n\n\n` +
  `inputs = tf.keras.Input(shape=(4,))\nmodel = tf.keras.Model(inputs, Gate()(inputs))\nmodel.save("${path}")\n`;

const serve = (path: string, key = "Gate", head = "import tensorflow as tf"): string =>
  `${head}\n\n\nclass Gate(tf.keras.layers.Layer):\n    def call(self, x):\n        return x\n\n\n` +
  `model = tf.keras.models.load_model("${path}", custom_objects={"${key}": Gate})\n`;

async function pair(trainSrc: string, serveSrc: string, settings = {}) {
  const t = await analyze(trainSrc, { uri: "file:///ws/train.py", settings });
  return analyze(serveSrc, { uri: "file:///ws/serve.py", settings, workspaceSaves: t.saves });
}

test("registered with package= and saved to .h5: the serving key 'Gate' never matches 'shop>Gate'", async () => {
  const r = await pair(train('@tf.keras.utils.register_keras_serializable(package="shop")', "models/gate.h5"), serve("models/gate.h5"));
  const f = r.findings.find((x) => x.diagnostic.code === "SMS202");
  assert.ok(f, codesByLine(r).join(" "));
  assert.equal(f.diagnostic.range.start.line, 8);
  assert.match(String(f.diagnostic.message), /train\.py registers `Gate`.*"shop>Gate"/);
  const fixed = applyEdits(serve("models/gate.h5"), f.fixes[0]!.edits);
  assert.match(fixed, /custom_objects=\{"shop>Gate": Gate\}/);
  const t = await analyze(train('@tf.keras.utils.register_keras_serializable(package="shop")', "models/gate.h5"), {
    uri: "file:///ws/train.py",
  });
  const again = await analyze(fixed, { uri: "file:///ws/serve.py", workspaceSaves: t.saves });
  assert.deepEqual(codesByLine(again), []);
});

test("default package and name= are linked too", async () => {
  const byDefault = await pair(train("@tf.keras.utils.register_keras_serializable()", "gate.h5"), serve("gate.h5"));
  assert.ok(byDefault.findings.some((x) => x.diagnostic.code === "SMS202" && /"Custom>Gate"/.test(String(x.diagnostic.message))));
  const named = await pair(train('@tf.keras.utils.register_keras_serializable(package="p", name="G")', "gate.h5"), serve("gate.h5"));
  assert.ok(named.findings.some((x) => x.diagnostic.code === "SMS202" && /"p>G"/.test(String(x.diagnostic.message))));
});

test(".keras: only Keras 3 fails (tf.keras imports __main__, the serving script's copy)", async () => {
  const dec = '@tf.keras.utils.register_keras_serializable(package="shop")';
  const unknown = await pair(train(dec, "gate.keras"), serve("gate.keras"));
  assert.deepEqual(codesByLine(unknown), []);
  const k3 = await pair(train(dec, "gate.keras"), serve("gate.keras"), { kerasVersion: "3" });
  assert.ok(
    k3.findings.some((x) => x.diagnostic.code === "SMS202"),
    codesByLine(k3).join(" "),
  );
});

test("no link: other path, the right key, or a registered copy", async () => {
  const dec = '@tf.keras.utils.register_keras_serializable(package="shop")';
  assert.deepEqual(codesByLine(await pair(train(dec, "a.h5"), serve("b.h5"))), []);
  assert.deepEqual(codesByLine(await pair(train(dec, "a.h5"), serve("a.h5", "shop>Gate"))), []);
  const registeredCopy = serve("a.h5").replace("class Gate", `${dec}\nclass Gate`);
  assert.deepEqual(codesByLine(await pair(train(dec, "a.h5"), registeredCopy)), []);
  assert.deepEqual(codesByLine(await pair(train("", "a.h5"), serve("a.h5"))), []);
});

test("registered only in the training script: a serving script that never imports it cannot find the class (SMS201)", async () => {
  const dec = '@tf.keras.utils.register_keras_serializable(package="shop")';
  const bare = (path: string, head = "import tensorflow as tf"): string => `${head}\n\nmodel = tf.keras.models.load_model("${path}")\n`;
  const h5 = await pair(train(dec, "models/gate.h5"), bare("models/gate.h5"));
  assert.deepEqual(codesByLine(h5), ["3:SMS201"]);
  assert.match(String(h5.findings[0]!.diagnostic.message), /`Gate` \("shop>Gate"\), registered only while train\.py runs/);
  // .keras: tf.keras imports the class's module, `__main__` here (a module-level save): fails in both versions
  assert.deepEqual(codesByLine(await pair(train(dec, "gate.keras"), bare("gate.keras"))), ["3:SMS201"]);
  // ... but a save inside a function of an imported module: tf.keras imports that module and finds the class
  const inFunction = train(dec, "gate.keras").replace(
    /\ninputs = [^]*$/,
    '\n\ndef export():\n    inputs = tf.keras.Input(shape=(4,))\n    model = tf.keras.Model(inputs, Gate()(inputs))\n    model.save("gate.keras")\n',
  );
  assert.deepEqual(codesByLine(await pair(inFunction, bare("gate.keras"))), []);
  assert.deepEqual(codesByLine(await pair(inFunction, bare("gate.keras"), { kerasVersion: "3" })), ["3:SMS201"]);
  // importing the training script runs its registration; the class passed under its saved name is found
  assert.deepEqual(codesByLine(await pair(train(dec, "gate.h5"), bare("gate.h5", "import tensorflow as tf\nfrom train import Gate"))), []);
  assert.deepEqual(codesByLine(await pair(train(dec, "gate.h5"), bare("gate.h5", "import tensorflow as tf\nimport train"))), []);
  const lazy =
    'import tensorflow as tf\n\n\ndef restore():\n    import train  # noqa: F401\n    return tf.keras.models.load_model("gate.h5")\n';
  assert.deepEqual(codesByLine(await pair(train(dec, "gate.h5"), lazy)), [], "imported inside the loading function");
  const passed = `import tensorflow as tf\nfrom layers import Gate\n\nmodel = tf.keras.models.load_model("gate.h5", custom_objects={"shop>Gate": Gate})\n`;
  assert.deepEqual(codesByLine(await pair(train(dec, "gate.h5"), passed)), []);
});

test("the server workspace links open documents and says when a file's saves or definitions change", async () => {
  const { PythonWorkspace } = await import("../../../src/server/workspace.js");
  const { DEFAULT_SETTINGS } = await import("../../../src/server/python/analyze.js");
  const { getParser } = await import("./harness.js");
  const ws = new PythonWorkspace(await getParser(), () => {});
  try {
    const dec = '@tf.keras.utils.register_keras_serializable(package="shop")';
    ws.update("untitled:serve.py", serve("models/gate.h5"));
    ws.update("untitled:train.py", train(dec, "models/gate.h5"));
    ws.analyze("untitled:serve.py", DEFAULT_SETTINGS);
    assert.equal(ws.savesChanged, true, "serve.py's class Gate is new to the workspace (files may import it)");
    ws.analyze("untitled:serve.py", DEFAULT_SETTINGS);
    assert.equal(ws.savesChanged, false, "nothing changed");
    ws.analyze("untitled:train.py", DEFAULT_SETTINGS);
    assert.equal(ws.savesChanged, true);
    const r = ws.analyze("untitled:serve.py", DEFAULT_SETTINGS)!;
    assert.ok(
      r.findings.some((x) => x.diagnostic.code === "SMS202"),
      r.findings.map((x) => String(x.diagnostic.code)).join(" "),
    );
    ws.analyze("untitled:train.py", DEFAULT_SETTINGS);
    assert.equal(ws.savesChanged, false);
  } finally {
    ws.dispose();
  }
});

test("a file without version markers takes the Keras version of the workspace modules it imports, when they agree", async () => {
  const k3 = await analyze(
    'import os\nimport keras\n\nos.environ["KERAS_BACKEND"] = "jax"\n\n\ndef load():\n    return keras.Sequential([keras.layers.Dense(1)])\n',
    {
      uri: "file:///ws/src/model.py",
    },
  );
  const k2 = await analyze("import tf_keras as keras\n\n\ndef helper():\n    return keras.layers.Dense(1)\n", {
    uri: "file:///ws/src/legacy.py",
  });
  const train = (imports: string) => `${imports}\n\nmodel = load()\nmodel.save_weights("out/weights.h5")\n`;
  const alone = await analyze(train("from src.model import load"), { uri: "file:///ws/train.py" });
  assert.equal(alone.version.version, "unknown");
  assert.deepEqual(codesByLine(alone), []);
  const inherited = await analyze(train("from src.model import load"), { uri: "file:///ws/train.py", workspaceDefs: [k3.defs, k2.defs] });
  assert.equal(inherited.version.version, 3);
  assert.match(inherited.version.reason, /imports model\.py, which sets KERAS_BACKEND=jax/);
  assert.deepEqual(codesByLine(inherited), ["4:SMS103"]);
  const both = await analyze(train("from src.model import load\nfrom src.legacy import helper"), {
    uri: "file:///ws/train.py",
    workspaceDefs: [k3.defs, k2.defs],
  });
  assert.equal(both.version.version, "unknown", "modules that disagree decide nothing");
});

test("class attribute paths: `Config.MODEL_PATH` and `cfg = Config()` ... `cfg.MODEL_PATH`, in the file and imported", async () => {
  const cfg = 'class Config:\n    EPOCHS = 1\n    MODEL_PATH = "models/net.h5"\n';
  const head = 'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\n';
  const use =
    'model = keras.Sequential([keras.layers.Dense(1)])\nif __name__ == "__main__":\n    cfg = Config()\n    model.save_weights(cfg.MODEL_PATH)\n    model.save_weights(Config.MODEL_PATH)\n';
  const local = await analyze(`${head}${cfg}${use}`);
  assert.deepEqual(codesByLine(local), ["10:SMS103", "11:SMS103"]);
  const config = await analyze(cfg, { uri: "file:///project/utils/config.py" });
  const imported = await analyze(`${head}from utils.config import Config\n${use}`, { workspaceDefs: [config.defs] });
  assert.deepEqual(codesByLine(imported), ["8:SMS103", "9:SMS103"]);
  // an attribute the file assigns again, or a name bound to something else, is not a constant
  const changed = await analyze(`${head}${cfg}    def __init__(self, p):\n        self.MODEL_PATH = p\n${use}`);
  assert.deepEqual(codesByLine(changed), []);
  const rebound = await analyze(`${head}${cfg}${use.replace("    cfg = Config()\n", "    cfg = Config()\n    cfg = load_cfg()\n")}`);
  assert.deepEqual(codesByLine(rebound), ["12:SMS103"]);
});

test("a save through an imported path constant links once the loading file's workspace knows the module (SMS201)", async () => {
  const dec = '@tf.keras.utils.register_keras_serializable(package="shop")';
  const config = await analyze('MODEL_FILE = "models/gate.h5"\nOTHER = "models/other.h5"\n', { uri: "file:///ws/config.py" });
  // the training script is summarised alone (as the index does): its path is only a name it imports
  const trainSrc = train(dec, "X")
    .replace('model.save("X")', "model.save(MODEL_FILE)")
    .replace("import tensorflow as tf", "import tensorflow as tf\nfrom config import MODEL_FILE");
  const t = await analyze(trainSrc, { uri: "file:///ws/train.py" });
  assert.deepEqual(
    t.saves.map((s) => [s.key, s.ref, s.ext]),
    [["", "config.MODEL_FILE", "unknown"]],
  );
  const bare = (path: string): string => `import tensorflow as tf\n\nmodel = tf.keras.models.load_model("${path}")\n`;
  const link = (src: string, defs = [config.defs]) =>
    analyze(src, { uri: "file:///ws/serve.py", workspaceSaves: t.saves, workspaceDefs: defs });
  assert.deepEqual(codesByLine(await link(bare("models/gate.h5"))), ["3:SMS201"]);
  // the loader reaches the same path through the constant too
  const viaConfig = "import tensorflow as tf\nfrom config import MODEL_FILE\n\nmodel = tf.keras.models.load_model(MODEL_FILE)\n";
  assert.deepEqual(codesByLine(await link(viaConfig)), ["4:SMS201"]);
  // another path, or a config module the workspace has not analysed: no link
  assert.deepEqual(codesByLine(await link(bare("models/other.h5"))), []);
  assert.deepEqual(codesByLine(await link(bare("models/gate.h5"), [])), []);
});

test("a load whose path only run time knows: SMS201 when every model the workspace saves needs what it leaves out", async () => {
  const trainer = (save: string): string =>
    "import os\nimport sys\nimport tensorflow as tf\n\n\ndef focal(y_true, y_pred):\n    return tf.reduce_mean(y_true - y_pred)\n\n\n" +
    'model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss=focal)\n' +
    `model.fit(x, y)\n${save}\n`;
  const h5 = await analyze(trainer('model.save(os.path.join(sys.argv[1], "model.h5"))'), { uri: "file:///ws/train.py" });
  assert.deepEqual(
    h5.saves.map((s) => [s.key, s.ext]),
    [["", "h5"]],
  );
  const serve = (load: string): string => `import sys\nimport tensorflow as tf\n\nmodel = ${load}\n`;
  const link = async (src: string, saves = h5.saves) =>
    analyze(src, { uri: "file:///ws/serve.py", workspaceSaves: saves, workspaceDefs: [h5.defs] });
  const r = await link(serve("tf.keras.models.load_model(sys.argv[1])"));
  assert.deepEqual(codesByLine(r), ["4:SMS201"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /known only at run time.*\(train\.py\) uses `focal`/);
  assert.equal(r.findings[0]!.diagnostic.severity, 2);
  // the loss is only needed to compile; passed, or the model has no such need: silent
  assert.deepEqual(codesByLine(await link(serve("tf.keras.models.load_model(sys.argv[1], compile=False)"))), []);
  assert.deepEqual(codesByLine(await link(serve('tf.keras.models.load_model(sys.argv[1], custom_objects={"focal": f})'))), []);
  // another model of the workspace would load, or its format is a directory we cannot judge: silent
  const plain = await analyze(
    'import tensorflow as tf\n\nm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nm.fit(x, y)\nm.save("other.h5")\n',
    { uri: "file:///ws/other.py" },
  );
  assert.deepEqual(codesByLine(await link(serve("tf.keras.models.load_model(sys.argv[1])"), [...h5.saves, ...plain.saves])), []);
  const dir = await analyze(trainer("model.save(sys.argv[1])"), { uri: "file:///ws/train.py" });
  assert.deepEqual(codesByLine(await link(serve("tf.keras.models.load_model(sys.argv[1])"), dir.saves)), []);
  // a literal path that no save names is not a run-time path
  assert.deepEqual(codesByLine(await link(serve('tf.keras.models.load_model("pretrained.h5")'))), []);
});

test("an imported metric class handed to a model factory is needed only to compile", async () => {
  const metrics = await analyze(
    "import tensorflow as tf\n\n\nclass F1Score(tf.keras.metrics.Metric):\n    def update_state(self, y, p, sample_weight=None):\n        pass\n\n    def result(self):\n        return 0.0\n",
    { uri: "file:///ws/custom/metrics.py" },
  );
  const train = await analyze(
    'import tensorflow as tf\nfrom custom.metrics import F1Score\nfrom models import build\n\nmodel = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(loss="mse", metrics=[F1Score(name="f1")])\nmodel.fit(x, y)\nmodel.save("out/model.h5")\n',
    { uri: "file:///ws/train.py", workspaceDefs: [metrics.defs] },
  );
  const load = (kw: string) =>
    analyze(`import tensorflow as tf\n\nmodel = tf.keras.models.load_model("out/model.h5"${kw})\n`, {
      uri: "file:///ws/serve.py",
      workspaceSaves: train.saves,
      workspaceDefs: [metrics.defs, train.defs],
    });
  assert.deepEqual(codesByLine(await load("")), ["3:SMS201"]);
  assert.deepEqual(codesByLine(await load(", compile=False")), []);
});

test("command-line options: an option's default is the path (linked across files, and judged for its format)", async () => {
  const dec = '@tf.keras.utils.register_keras_serializable(package="shop")';
  const cli = (dest: string, dflt: string): string =>
    `import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--${dest.replace(/_/g, "-")}", default="${dflt}")\nargs = parser.parse_args()\n`;
  const trainSrc = train(dec, "X").replace('model.save("X")', "model.save(args.out_path)") + cli("out_path", "models/gate.h5");
  const t = await analyze(trainSrc, { uri: "file:///ws/train.py" });
  assert.deepEqual(
    t.saves.map((s) => [s.key, s.ext]),
    [["models/gate.h5", "h5"]],
  );
  const serve = `import tensorflow as tf\n${cli("model", "models/gate.h5")}model = tf.keras.models.load_model(args.model)\n`;
  const r = await analyze(serve, { uri: "file:///ws/serve.py", workspaceSaves: t.saves });
  assert.deepEqual(codesByLine(r), ["6:SMS201"]);
  // Keras 3: the default path has no .keras extension
  const k3 = `import keras\n${cli("out", "models/net")}model = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit(x, y)\nmodel.save(args.out)\n`;
  assert.deepEqual(codesByLine(await analyze(k3, { settings: { kerasVersion: "3" } })), ["8:SMS103"]);
  // an option declared twice with different defaults, or without a default: no path
  const twice = k3.replace("args = parser", 'parser.add_argument("--out", default="other")\nargs = parser');
  assert.deepEqual(codesByLine(await analyze(twice, { settings: { kerasVersion: "3" } })), []);
  assert.deepEqual(codesByLine(await analyze(k3.replace(', default="models/net"', ""), { settings: { kerasVersion: "3" } })), []);
});

test("a computed path the file fixes is no run-time path; one taking an option's default is", async () => {
  const trainer =
    "import os\nimport sys\nimport tensorflow as tf\n\n\ndef focal(y_true, y_pred):\n    return tf.reduce_mean(y_true - y_pred)\n\n\n" +
    'model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss=focal)\n' +
    'model.fit(x, y)\nmodel.save(os.path.join(sys.argv[1], "model.h5"))\n';
  const t = await analyze(trainer, { uri: "file:///ws/train.py" });
  const serve = (head: string, path: string): string =>
    `import os\nimport tensorflow as tf\n${head}model = tf.keras.models.load_model(${path})\n`;
  const link = async (src: string) =>
    codesByLine(await analyze(src, { uri: "file:///ws/serve.py", workspaceSaves: t.saves, workspaceDefs: [t.defs] }));
  // a pretrained file next to a constant folder: not the model train.py writes
  assert.deepEqual(await link(serve('BASE = "weights"\n', 'os.path.join(BASE, "pretrained.h5")')), []);
  const cli = 'import argparse\np = argparse.ArgumentParser()\np.add_argument("--model", default="model.h5")\nargs = p.parse_args()\n';
  assert.deepEqual(await link(serve(cli, 'os.path.join("out", args.model)')), ["7:SMS201"]);
});

test("a factory table: a model picked from MODELS[name] may carry what any of its factories builds in", async () => {
  const models = await analyze(
    "import tensorflow as tf\n\n\nclass CopyChannels(tf.keras.layers.Layer):\n    def call(self, x):\n        return x\n\n\n" +
      "def plain(shape):\n    inputs = tf.keras.Input(shape=shape)\n    return tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))\n\n\n" +
      "def hsv(shape):\n    inputs = tf.keras.Input(shape=shape)\n    return tf.keras.Model(inputs, CopyChannels()(inputs))\n\n\n" +
      'MODELS = {"plain": {"base": plain, "pretrained": False}, "hsv": {"base": hsv, "pretrained": False}}\n' +
      "NAMED = dict(plain=plain, hsv=hsv, size=3)\n",
    { uri: "file:///ws/models.py" },
  );
  assert.deepEqual(
    models.defs.objects.filter(([, f]) => f.kind === "table"),
    [
      ["MODELS", { registered: false, kind: "table", table: ["plain", "hsv"] }],
      ["NAMED", { registered: false, kind: "table", table: ["plain", "hsv"] }],
    ],
  );
  const train = await analyze(
    "import sys\nimport tensorflow as tf\nfrom models import MODELS\n\n" +
      'model = MODELS[sys.argv[1]]["base"]((64, 64, 3))\nmodel.fit(x, y)\nmodel.save(f"out/{sys.argv[1]}.h5")\n',
    { uri: "file:///ws/train.py", workspaceDefs: [models.defs] },
  );
  const serve = (objects: string): string =>
    "import sys\nimport tensorflow as tf\n\n\nclass Controller:\n" +
    `    custom_objects = ${objects}\n\n    @staticmethod\n    def load(path):\n` +
    "        return tf.keras.models.load_model(path, Controller.custom_objects)\n";
  const link = (src: string) =>
    analyze(src, { uri: "file:///ws/serve.py", workspaceSaves: train.saves, workspaceDefs: [models.defs, train.defs] });
  const r = await link(serve('{"f1": f1}'));
  assert.deepEqual(codesByLine(r), ["10:SMS201"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /may use `CopyChannels` \(it picks its factory from `MODELS`/);
  // the class attribute gives it (positionally): silent; a class attribute changed later is not judged
  assert.deepEqual(codesByLine(await link(serve('{"CopyChannels": CopyChannels}'))), []);
  assert.deepEqual(codesByLine(await link(serve("{}") + "\n\nController.custom_objects.update(extra)\n")), []);
});

test("a training function saves the model its callers pass, to the option default's extension kept through splitext", async () => {
  const networks = await analyze(
    "import tensorflow as tf\n\n\ndef adjusted_mse(y_true, y_pred):\n    return tf.reduce_mean(y_true - y_pred)\n\n\n" +
      "def small(shape):\n    m = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n    m.compile(loss='mse')\n    return m\n\n\n" +
      "def nvidia(shape):\n    m = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n    m.compile(loss='mse', metrics=[adjusted_mse])\n    return m\n\n\n" +
      "MODEL_CONSTRUCTORS = dict(small=small, nvidia=nvidia)\n",
    { uri: "file:///ws/networks.py" },
  );
  const training =
    "import os\nimport argparse\nfrom networks import MODEL_CONSTRUCTORS\n\n\n" +
    "def train_model(args, model, fold=None):\n    model.fit(x, y)\n    output_path = args.output_path\n" +
    '    name, ext = os.path.splitext(output_path)\n    if fold is not None:\n        output_path = f"{name}-fold-{fold}{ext}"\n' +
    "    model.save(output_path)\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n" +
    '    parser.add_argument("--output-path", default="model.h5")\n    args = parser.parse_args()\n' +
    "    model = MODEL_CONSTRUCTORS[args.model_name]((3, 3))\n    train_model(args, model)\n";
  const train = await analyze(training, { uri: "file:///ws/training.py", workspaceDefs: [networks.defs] });
  assert.deepEqual([...new Set(train.saves.map((s) => s.ext))], ["h5"]);
  assert.ok(train.saves.every((s) => s.needs.some((n) => n.name === "MODEL_CONSTRUCTORS")));
  const evalSrc = "import sys\nfrom keras.models import load_model\n\nmodel = load_model(sys.argv[1])\n";
  const r = await analyze(evalSrc, { uri: "file:///ws/eval.py", workspaceSaves: train.saves, workspaceDefs: [networks.defs, train.defs] });
  assert.deepEqual(codesByLine(r), ["4:SMS201"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /may use `adjusted_mse`.*loading one built with it fails/);
  // the ending no longer kept (a fixed ".ckpt"): the save's format is not .h5, and nothing is judged
  const renamed = await analyze(training.replace('f"{name}-fold-{fold}{ext}"', 'f"{name}-fold-{fold}.ckpt"'), {
    uri: "file:///ws/training.py",
    workspaceDefs: [networks.defs],
  });
  assert.ok(renamed.saves.every((s) => s.ext !== "h5"));
});
