/** SMS201 across files: a serving script loads a path whose model needs unregistered custom objects (issue 16). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, codesByLine } from "./harness.js";

type Files = Record<string, string>;

/** Analyses every file of a small workspace, then `target` with the others' saves and definitions. */
async function lint(files: Files, target: string, settings = {}): Promise<string[]> {
  return codesByLine(await lintResult(files, target, settings));
}

async function lintResult(files: Files, target: string, settings = {}): Promise<Awaited<ReturnType<typeof analyze>>> {
  const uri = (name: string): string => `file:///ws/${name}`;
  const others = await Promise.all(
    Object.entries(files)
      .filter(([n]) => n !== target)
      .map(([n, src]) => analyze(src, { uri: uri(n), settings })),
  );
  const r = await analyze(files[target]!, {
    uri: uri(target),
    settings,
    workspaceSaves: others.flatMap((o) => o.saves),
    workspaceDefs: others.map((o) => o.defs),
  });
  return r;
}

const layerModule = (registered: boolean): string =>
  `import tensorflow as tf\n\n${registered ? "@tf.keras.utils.register_keras_serializable()\n" : ""}class Attention(tf.keras.layers.Layer):\n    def call(self, x):\n        return x\n`;

const trainWithImport = (path: string): string =>
  `import tensorflow as tf\nfrom layers.attention import Attention\n\ninputs = tf.keras.Input(shape=(4,))\nmodel = tf.keras.Model(inputs, Attention()(inputs))\nmodel.save("${path}")\n`;

const serveImport = (path: string, extra = ""): string =>
  `import tensorflow as tf\nfrom layers.attention import Attention\n\nmodel = tf.keras.models.load_model("${path}"${extra})\n`;

test("an imported, unregistered layer: importing it in the serving script is not registering it", async () => {
  const files = { "layers/attention.py": layerModule(false), "train.py": trainWithImport("out/m.h5"), "serve.py": serveImport("out/m.h5") };
  assert.deepEqual(await lint(files, "serve.py"), ["4:SMS201"]);
  const provided = { ...files, "serve.py": serveImport("out/m.h5", ', custom_objects={"Attention": Attention}') };
  assert.deepEqual(await lint(provided, "serve.py"), []);
  assert.deepEqual(await lint({ ...files, "layers/attention.py": layerModule(true) }, "serve.py"), [], "registered in its module");
  const { ["layers/attention.py"]: _unseen, ...withoutModule } = files;
  assert.deepEqual(await lint(withoutModule, "serve.py"), [], "a module we have not analysed stays silent");
});

test("the same file saves and loads a model with an imported, unregistered layer", async () => {
  const both = trainWithImport("m.h5") + 'again = tf.keras.models.load_model("m.h5")\n';
  assert.deepEqual(await lint({ "layers/attention.py": layerModule(false), "run.py": both }, "run.py"), ["7:SMS201"]);
});

test("a layer registered in its module: a serving script that never imports that module never runs the decorator", async () => {
  const serveAlone = (path: string, head = ""): string =>
    `import tensorflow as tf\n${head}\nmodel = tf.keras.models.load_model("${path}")\n`;
  const files = { "layers/attention.py": layerModule(true), "train.py": trainWithImport("out/m.h5"), "serve.py": serveAlone("out/m.h5") };
  assert.deepEqual(await lint(files, "serve.py"), ["3:SMS201"]);
  // importing the module (directly, or through a workspace module that imports it) runs the registration
  assert.deepEqual(await lint({ ...files, "serve.py": serveAlone("out/m.h5", "import layers.attention") }, "serve.py"), []);
  const helpers = "from layers.attention import Attention\n";
  assert.deepEqual(
    await lint(
      { ...files, "utils/helpers.py": helpers, "serve.py": serveAlone("out/m.h5", "from utils.helpers import prepare") },
      "serve.py",
    ),
    [],
  );
  // a module of a workspace package we have not analysed may import it: silent
  assert.deepEqual(await lint({ ...files, "serve.py": serveAlone("out/m.h5", "from layers.blocks import prepare") }, "serve.py"), []);
  // .keras: tf.keras imports the class's recorded module itself, Keras 3 only imports Keras packages
  const keras = { ...files, "train.py": trainWithImport("m.keras"), "serve.py": serveAlone("m.keras") };
  assert.deepEqual(await lint(keras, "serve.py"), []);
  assert.deepEqual(await lint(keras, "serve.py", { kerasVersion: "3" }), ["3:SMS201"]);
});

test(".keras: only Keras 3 fails for an imported class (tf.keras imports the class's module)", async () => {
  const files = { "layers/attention.py": layerModule(false), "train.py": trainWithImport("m.keras"), "serve.py": serveImport("m.keras") };
  assert.deepEqual(await lint(files, "serve.py"), []);
  assert.deepEqual(await lint(files, "serve.py", { kerasVersion: "3" }), ["4:SMS201"]);
});

const trainWithCheckpoint =
  "import tensorflow as tf\n\n\ndef iou(y_true, y_pred):\n    return tf.reduce_mean(y_true * y_pred)\n\n\n" +
  'model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss="mse", metrics=[iou])\n' +
  'checkpoint = tf.keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)\nmodel.fit(x, y, callbacks=[checkpoint])\n';

test("a ModelCheckpoint given to fit() saves the model: the serving load needs its custom metric", async () => {
  const serve = (extra: string): string =>
    `import tensorflow as tf\nfrom train import iou\n\nmodel = tf.keras.models.load_model("best.h5"${extra})\n`;
  assert.deepEqual(await lint({ "train.py": trainWithCheckpoint, "serve.py": serve("") }, "serve.py"), ["4:SMS201"]);
  assert.deepEqual(
    await lint({ "train.py": trainWithCheckpoint, "serve.py": serve(", compile=False") }, "serve.py"),
    [],
    "metrics only matter when compiling",
  );
  assert.deepEqual(await lint({ "train.py": trainWithCheckpoint, "serve.py": serve(', custom_objects={"iou": iou}') }, "serve.py"), []);
  const weightsOnly = trainWithCheckpoint.replace("save_best_only=True", "save_weights_only=True");
  assert.deepEqual(await lint({ "train.py": weightsOnly, "serve.py": serve("") }, "serve.py"), [], "weights only: no model saved there");
  assert.deepEqual(await lint({ "train.py": trainWithCheckpoint }, "train.py"), [], "the checkpoint itself is not reported as a save");
});

test("custom_objects bound to a name: the dict literal it holds counts, unless the file changes it or it is a parameter", async () => {
  const serve = (body: string): string => `import tensorflow as tf\nfrom train import iou\n\n${body}`;
  const load = 'model = tf.keras.models.load_model("best.h5", custom_objects=objs)\n';
  const lintServe = (body: string) => lint({ "train.py": trainWithCheckpoint, "serve.py": serve(body) }, "serve.py");
  assert.deepEqual(await lintServe(`objs = {"iou": iou}\n${load}`), []);
  assert.deepEqual(await lintServe(`objs = {"IoU": iou}\n${load}`), ["4:SMS202"], "the literal's key is judged");
  assert.deepEqual(await lintServe(`objs = {}\n${load}`), ["5:SMS201"]);
  assert.deepEqual(await lintServe(`objs = {}\nobjs["iou"] = iou\n${load}`), [], "changed after binding: not a literal any more");
  assert.deepEqual(
    await lintServe(`objs = {}\n\n\ndef restore(objs):\n    return tf.keras.models.load_model("best.h5", custom_objects=objs)\n`),
    [],
  );
});

test("a bare file name loads the workspace's one save of that name (a Colab save to Drive, downloaded)", async () => {
  const drive = trainWithCheckpoint.replace('"best.h5"', '"/content/drive/MyDrive/run1/best.h5"');
  const serve = 'import tensorflow as tf\n\nmodel = tf.keras.models.load_model("best.h5")\n';
  assert.deepEqual(await lint({ "train.py": drive, "serve.py": serve }, "serve.py"), ["3:SMS201"]);
  const other = 'import tensorflow as tf\n\nm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nm.save("exports/best.h5")\n';
  assert.deepEqual(
    await lint({ "train.py": drive, "other.py": other, "serve.py": serve }, "serve.py"),
    [],
    "two saves of that name: no link",
  );
});

test(".keras in tf.keras: a function of the training script is looked up in the serving script's __main__", async () => {
  const trainSrc =
    "import tensorflow as tf\n\n\ndef dice_loss(y_true, y_pred):\n    return tf.reduce_mean(y_true - y_pred)\n\n\n" +
    'model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss=dice_loss)\nmodel.fit(x, y)\nmodel.save("unet.keras")\n';
  const serve = (head: string): string => `import tensorflow as tf\n${head}\nmodel = tf.keras.models.load_model("unet.keras")\n`;
  assert.deepEqual(await lint({ "train.py": trainSrc, "serve.py": serve("") }, "serve.py"), ["3:SMS201"], "fails in both versions");
  assert.deepEqual(
    await lint({ "train.py": trainSrc, "serve.py": serve("from train import dice_loss") }, "serve.py"),
    [],
    "tf.keras finds it: Keras 3 only",
  );
  assert.deepEqual(
    await lint({ "train.py": trainSrc, "serve.py": serve("from train import dice_loss") }, "serve.py", { kerasVersion: "3" }),
    ["3:SMS201"],
  );
});

test("a layer instance bound to a name before the model is part of that model", async () => {
  const trainSrc =
    "import tensorflow as tf\n\n\nclass Attention(tf.keras.layers.Layer):\n    def call(self, x):\n        return x\n\n\n" +
    'inputs = tf.keras.Input(shape=(4,))\nattention = Attention()\nmodel = tf.keras.Model(inputs, attention(inputs))\nmodel.save("m.keras")\n';
  const serveSrc = 'from tensorflow.keras.models import load_model\n\nmodel = load_model("m.keras")\n';
  assert.deepEqual(await lint({ "train.py": trainSrc, "serve.py": serveSrc }, "serve.py"), ["3:SMS201"]);
});

test("a loss made by a factory of the training script is saved under the inner function's name", async () => {
  const trainSrc =
    "import tensorflow as tf\n\n\ndef focal_loss(gamma=2.0):\n    def focal_loss_fixed(y_true, y_pred):\n        return tf.reduce_mean((y_true - y_pred) ** gamma)\n\n    return focal_loss_fixed\n\n\n" +
    'model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss=focal_loss(gamma=2.0))\n' +
    'callbacks = [tf.keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)]\nmodel.fit(x, y, callbacks=callbacks)\n';
  const serve = (extra: string): string => `import tensorflow as tf\n\nmodel = tf.keras.models.load_model("best.h5"${extra})\n`;
  const codes = await lint({ "train.py": trainSrc, "serve.py": serve("") }, "serve.py");
  assert.deepEqual(codes, ["3:SMS201"]);
  assert.deepEqual(await lint({ "train.py": trainSrc, "serve.py": serve(', custom_objects={"focal_loss_fixed": None}') }, "serve.py"), []);
});

test("`model, base = build_model()` is a model when the file compiles or fits it", async () => {
  const trainSrc =
    "import tensorflow as tf\nfrom nets import build_model\n\n\ndef iou(y_true, y_pred):\n    return tf.reduce_mean(y_true * y_pred)\n\n\n" +
    'model, base = build_model()\nmodel.compile(optimizer="adam", loss="mse", metrics=[iou])\nmodel.fit(x, y)\nmodel.save("seg.h5")\n';
  const serveSrc = 'import tensorflow as tf\n\nmodel = tf.keras.models.load_model("seg.h5")\n';
  assert.deepEqual(await lint({ "train.py": trainSrc, "serve.py": serveSrc }, "serve.py"), ["3:SMS201"]);
  const unpackedOnly = trainSrc.replace('model.compile(optimizer="adam", loss="mse", metrics=[iou])\nmodel.fit(x, y)\n', "");
  assert.deepEqual(
    await lint({ "train.py": unpackedOnly, "serve.py": serveSrc }, "serve.py"),
    [],
    "never compiled or fit: not known to be a model",
  );
});

test("tensorflow_hub's KerasLayer is no registered Keras class: an .h5 load must pass it", async () => {
  const trainSrc =
    'import tensorflow as tf\nimport tensorflow_hub as hub\n\nmodel = tf.keras.Sequential([hub.KerasLayer("https://tfhub.dev/x", trainable=False), tf.keras.layers.Dense(2)])\n' +
    'model.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y)\nmodel.save("classifier.h5")\n';
  const serve = (extra: string): string =>
    `import tensorflow as tf\nimport tensorflow_hub as hub\n\nmodel = tf.keras.models.load_model("classifier.h5"${extra})\n`;
  assert.deepEqual(await lint({ "train.py": trainSrc, "serve.py": serve("") }, "serve.py"), ["4:SMS201"]);
  assert.deepEqual(
    await lint({ "train.py": trainSrc, "serve.py": serve(', custom_objects={"KerasLayer": hub.KerasLayer}') }, "serve.py"),
    [],
  );
  const same = trainSrc + 'again = tf.keras.models.load_model("classifier.h5")\n';
  assert.deepEqual(await lint({ "train.py": same }, "train.py"), ["8:SMS201"], "the saving file's own load too");
});

test("the needed function passed under another key: SMS202 on that key, not SMS201", async () => {
  const trainSrc =
    "import tensorflow as tf\n\n\ndef dice_coefficients_loss(y_true, y_pred):\n    return 1 - tf.reduce_mean(y_true * y_pred)\n\n\n" +
    'model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])\nmodel.compile(optimizer="adam", loss=dice_coefficients_loss)\n' +
    'model.fit(x, y, callbacks=[tf.keras.callbacks.ModelCheckpoint("unet.hdf5")])\n';
  const serveSrc =
    "import tensorflow as tf\nfrom train import dice_coefficients_loss\n\nmodel = tf.keras.models.load_model(\n" +
    '    "unet.hdf5", custom_objects={"dice_coef_loss": dice_coefficients_loss}\n)\n';
  assert.deepEqual(await lint({ "train.py": trainSrc, "serve.py": serveSrc }, "serve.py"), ["5:SMS202"]);
});

test("imported helpers the training script calls are no custom objects; an imported layer used after a save is not in it", async () => {
  const helpers =
    "import tensorflow as tf\nfrom layers.attention import Attention\n\n\ndef load_data(path):\n    return path\n\n\n" +
    "def build_model():\n    inputs = tf.keras.Input(shape=(4,))\n    return tf.keras.Model(inputs, Attention()(inputs))\n";
  const train =
    "import tensorflow as tf\nfrom helpers import load_data, build_model\nfrom layers.attention import Attention\n\n" +
    'data = load_data("d.csv")\nplain = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])\nplain.fit(data)\nplain.save("plain.h5")\n' +
    'inputs = tf.keras.Input(shape=(4,))\nlater = tf.keras.Model(inputs, Attention()(inputs))\nlater.save("later.h5")\n';
  const serve =
    'import tensorflow as tf\n\nplain = tf.keras.models.load_model("plain.h5")\nlater = tf.keras.models.load_model("later.h5")\n';
  const files = { "layers/attention.py": layerModule(false), "helpers.py": helpers, "train.py": train, "serve.py": serve };
  assert.deepEqual(await lint(files, "serve.py"), ["4:SMS201"], "only the model saved after Attention is used needs it");
});

test("a subclassed model imported from a workspace module is tracked like one of the file (SMS101 / SMS104 / silent)", async () => {
  const unet = (trainStep: string): string =>
    "import tensorflow as tf\n\n\nclass Base(tf.keras.Model):\n    def __init__(self, inner):\n        super().__init__()\n        self.inner = inner\n\n" +
    `    def train_step(self, data):\n        x, y = data\n        ${trainStep}\n        return {}\n\n\nclass UNet(Base):\n    def summary(self):\n        self.inner.summary()\n`;
  const train = (path: string): string =>
    "import tensorflow as tf\nfrom datetime import datetime\nfrom models.unet import UNet\n\n" +
    'stamp = datetime.now().strftime("%H%M")\nmodel = UNet(tf.keras.Sequential([tf.keras.layers.Dense(1)]))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.summary()\nmodel.fit(ds)\n' +
    `model.save(${path})\n`;
  const innerOnly = unet("self.inner(x, training=True)");
  assert.deepEqual(await lint({ "models/unet.py": innerOnly, "train.py": train('"out/model(" + stamp + ")"') }, "train.py"), ["10:SMS101"]);
  assert.deepEqual(await lint({ "models/unet.py": innerOnly, "train.py": train('"unet.h5"') }, "train.py"), ["10:SMS104"]);
  assert.deepEqual(
    await lint({ "models/unet.py": unet("self(x, training=True)"), "train.py": train('"out/model(" + stamp + ")"') }, "train.py"),
    [],
    "its train_step calls the model: fit builds it",
  );
  assert.deepEqual(
    await lint({ "train.py": train('"out/model(" + stamp + ")"') }, "train.py"),
    [],
    "a module we have not analysed stays silent",
  );
});

test("module attributes: `resnet.ResNet()` from a workspace package and a save path from config.py", async () => {
  const net = "import tensorflow as tf\n\n\nclass ResNet(tf.keras.Model):\n    def call(self, x):\n        return x\n";
  const train = (path: string): string =>
    "import tensorflow as tf\nfrom models import resnet\nimport config\nfrom config import EXPORT_DIR\n\n" +
    `model = resnet.ResNet()\nmodel.build((None, 4))\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(ds)\nmodel.save(${path})\n`;
  const files = (path: string): Files => ({
    "models/resnet.py": net,
    "config.py": 'MODEL_PATH = "resnet_model.h5"\nEXPORT_DIR = "export/resnet.keras"\n',
    "train.py": train(path),
  });
  assert.deepEqual(await lint(files("config.MODEL_PATH"), "train.py"), ["10:SMS104"], "a subclassed model to HDF5");
  assert.deepEqual(await lint(files("EXPORT_DIR"), "train.py"), [], "a .keras file after fit: fine");
});

test("a class whose base comes from a workspace module inherits its constructor and get_config (SMS204)", async () => {
  const base = (getConfig: boolean): string =>
    "import keras\n\n\nclass Base(keras.Model):\n    def __init__(self, units, depth=2, **kwargs):\n        super().__init__(**kwargs)\n        self.units = units\n\n    def call(self, x):\n        return x\n" +
    (getConfig ? '\n    def get_config(self):\n        return {**super().get_config(), "units": self.units}\n' : "");
  const train =
    'import os\n\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\nfrom nets.base import Base\n\n\nclass Child(Base):\n    def call(self, x):\n        return 2 * x\n\n\n' +
    'model = Child(units=4)\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(x, y)\nmodel.save("child.keras")\n';
  assert.deepEqual(await lint({ "nets/base.py": base(false), "train.py": train }, "train.py"), ["8:SMS204"]);
  assert.deepEqual(await lint({ "nets/base.py": base(true), "train.py": train }, "train.py"), [], "the inherited get_config serializes it");
  assert.deepEqual(await lint({ "train.py": train }, "train.py"), [], "a base we have not analysed stays silent");
});

test("a custom_objects key that names nothing in the workspace, for an unregistered imported class (SMS202)", async () => {
  const layer = "import tensorflow as tf\n\n\nclass GCNLayer(tf.keras.layers.Layer):\n    def call(self, x):\n        return x\n";
  const predict = (key: string): string =>
    `import tensorflow as tf\nfrom models.graphlayer import GCNLayer\n\nmodel = tf.keras.models.load_model(path, custom_objects={"${key}": GCNLayer})\n`;
  const files = (key: string): Files => ({ "models/graphlayer.py": layer, "predict.py": predict(key) });
  assert.deepEqual(await lint(files("AlexGraphLayer"), "predict.py"), ["4:SMS202"]);
  assert.deepEqual(await lint(files("GCNLayer"), "predict.py"), []);
  const renamed = { ...files("OldGraphLayer"), "models/old.py": "def OldGraphLayer():\n    pass\n" };
  assert.deepEqual(await lint(renamed, "predict.py"), [], "a name the workspace still defines may be what an older model saved");
  // a Keras name as the key replaces how the saved built-in layers are rebuilt (a Dense subclass that drops a config key)
  assert.deepEqual(await lint(files("Dense"), "predict.py"), [], "the saved model's Dense layers");
});

test("a class re-exported by a package's __init__.py resolves to the module that defines it", async () => {
  const net = "import tensorflow as tf\n\n\nclass SeqModel(tf.keras.Model):\n    def call(self, x):\n        return x\n";
  const train =
    'import tensorflow as tf\nfrom models import SeqModel\n\nmodel = SeqModel()\nmodel.compile(optimizer="adam", loss="mse")\nmodel.fit(ds)\nmodel.save("final.h5")\n';
  const files = { "models/__init__.py": "from .seq import SeqModel\n", "models/seq.py": net, "train.py": train };
  assert.deepEqual(await lint(files, "train.py"), ["7:SMS104"]);
});

test("a serving script's absolute path names the training script's relative save (os.path.join of fixed parts)", async () => {
  const train =
    "import os\nimport tensorflow as tf\n\n\ndef combined_loss(y_true, y_pred):\n    return tf.reduce_mean(y_true - y_pred)\n\n\n" +
    'def main():\n    save_dir = r"trained_models"\n    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])\n    model.compile(optimizer="adam", loss=combined_loss)\n' +
    '    best = tf.keras.callbacks.ModelCheckpoint(filepath=os.path.join(save_dir, "best.h5"), save_best_only=True)\n    model.fit(x, y, callbacks=[best])\n';
  const serve = (path: string): string => `import tensorflow as tf\n\nmodel = tf.keras.models.load_model(r"${path}")\n`;
  assert.deepEqual(await lint({ "train.py": train, "predict.py": serve("C:\\proj\\trained_models\\best.h5") }, "predict.py"), ["3:SMS201"]);
  assert.deepEqual(await lint({ "train.py": train, "predict.py": serve("C:\\proj\\other\\best.h5") }, "predict.py"), [], "another folder");
});

// the layers module registers them; the factory module builds the model from them through a helper
const factoryModule =
  "import keras\nfrom .layers import Block\n\n\ndef conv_block(x):\n    return Block()(x)\n\n\n" +
  "def build_model():\n    inputs = keras.Input(shape=(4,))\n    return keras.Model(inputs, conv_block(inputs))\n\n\n" +
  "def evaluate(model, x):\n    return Block()(x)\n";
const registeredLayers = "import keras\n\n\n@keras.saving.register_keras_serializable()\nclass Block(keras.layers.Layer):\n    pass\n";
const trainWith = (call: string): string =>
  `import keras\nfrom nets.models import build_model, evaluate\n\nmodel = ${call}\nmodel.compile(loss="mse")\nmodel.save("out/m.h5")\n`;

test("a model built by an imported factory carries the classes the factory's helpers instantiate", async () => {
  const serve = (head = ""): string => `import keras\n${head}\nmodel = keras.models.load_model("out/m.h5")\n`;
  const files = {
    "nets/layers.py": registeredLayers,
    "nets/models.py": factoryModule,
    "train.py": trainWith("build_model()"),
    "serve.py": serve(),
  };
  assert.deepEqual(await lint(files, "serve.py"), ["3:SMS201"], "Block is registered in nets/layers.py, which serve.py never imports");
  assert.deepEqual(
    await lint({ ...files, "serve.py": serve("import nets.models") }, "serve.py"),
    [],
    "imported through the factory module",
  );
  assert.deepEqual(
    await lint({ ...files, "nets/layers.py": registeredLayers.replace("@keras.saving.register_keras_serializable()\n", "") }, "serve.py"),
    ["3:SMS201"],
    "unregistered: only custom_objects finds it",
  );
  const notFactory = {
    ...files,
    "train.py": trainWith("keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])\nevaluate(model, 1)"),
  };
  assert.deepEqual(await lint(notFactory, "serve.py"), [], "a function that returns no model hands nothing to the saved one");
});

test("an import root decides what an unanalysed import may run: a deep folder named like a library is not that library", async () => {
  const serve = (head: string): string => `import keras\n${head}\nmodel = keras.models.load_model("out/m.h5")\n`;
  const files = {
    "nets/layers.py": registeredLayers,
    "nets/models.py": factoryModule,
    "train.py": trainWith("build_model()"),
    "nets/data/torch/loader.py": "import numpy\n",
    "nets/data/feed.py": "import torch.utils.data\n",
  };
  assert.deepEqual(await lint({ ...files, "serve.py": serve("import nets.data.feed") }, "serve.py"), ["3:SMS201"]);
  // `nets.data.unseen` is a workspace package's module we have not analysed: it may import the layers
  assert.deepEqual(await lint({ ...files, "serve.py": serve("import nets.data.unseen") }, "serve.py"), []);
});

test("a wrapper's methods handed to compile through its attributes, saved by a checkpoint at an imported option's default", async () => {
  const wrapper =
    "import tensorflow as tf\n\n\nclass unet(object):\n    def __init__(self):\n        self.loss = self.dice_ce\n        self.metrics = ['accuracy', self.soft_dice]\n" +
    "        self.model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n\n    def dice_ce(self, t, p):\n        return t - p\n\n    def soft_dice(self, t, p):\n        return t * p\n";
  const options = (dflt: string): string =>
    `import argparse\nimport os\nparser = argparse.ArgumentParser()\nparser.add_argument("--saved_model", default=${dflt})\nargs = parser.parse_args()\n`;
  const train =
    "import tensorflow as tf\nfrom argparser import args\nfrom model import unet\n\nunet_model = unet()\nunet_model.model.compile(optimizer='adam', loss=unet_model.loss, metrics=unet_model.metrics)\n" +
    "checkpoint = tf.keras.callbacks.ModelCheckpoint(args.saved_model)\nunet_model.model.fit_generator(batches, callbacks=[checkpoint])\n";
  const convert = (objects: string): string =>
    `import argparse\nimport os\nimport keras\nparser = argparse.ArgumentParser()\nparser.add_argument("--input", default=os.path.join("saved_model", "unet.hdf5"))\nargs = parser.parse_args()\nmodel = keras.models.load_model(args.input, custom_objects={${objects}})\n`;
  const files = {
    // another module of the same dotted name, listed first: the training script's own folder decides
    "2D/argparser.py": options('"other/unet.hdf5"'),
    "3D/model.py": wrapper,
    "3D/argparser.py": options('"./saved_model/unet.hdf5"'),
    "3D/train.py": train,
    "3D/convert.py": convert('"dice_ce": dice_ce'),
  };
  const r = await lintResult(files, "3D/convert.py");
  assert.deepEqual(codesByLine(r), ["7:SMS201"], "soft_dice is missing");
  assert.match(String(r.findings[0]!.diagnostic.message), /^The model train\.py saves to this path uses `soft_dice`/);
  assert.deepEqual(await lint({ ...files, "3D/convert.py": convert('"dice_ce": dice_ce, "soft_dice": soft_dice') }, "3D/convert.py"), []);
  assert.deepEqual(
    await lint({ ...files, "3D/train.py": train.replace("fit_generator", "predict") }, "3D/convert.py"),
    [],
    "nothing saved",
  );
});

test("a loss factory imported from a module: Keras saves the nested function the call returns, under its own name", async () => {
  const losses =
    "import tensorflow as tf\n\n\ndef focal_loss(gamma=2.0):\n    def focal_loss_fixed(y, p):\n        return tf.reduce_mean(y - p) * gamma\n\n    return focal_loss_fixed\n";
  const train = (loss: string): string =>
    `import tensorflow as tf\nfrom losses import focal_loss\n\ninputs = tf.keras.Input(shape=(4,))\nmodel = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))\nmodel.compile(loss=${loss})\nmodel.save("m.h5")\n`;
  const serve = (extra: string): string =>
    `import tensorflow as tf\nfrom losses import focal_loss\n\nmodel = tf.keras.models.load_model("m.h5"${extra})\n`;
  const files = { "losses.py": losses, "train.py": train("focal_loss(2.0)") };
  const r = await lintResult({ ...files, "serve.py": serve("") }, "serve.py");
  assert.deepEqual(codesByLine(r), ["4:SMS201"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /uses `focal_loss_fixed`/);
  assert.deepEqual(await lint({ ...files, "serve.py": serve(', custom_objects={"focal_loss_fixed": focal_loss(2.0)}') }, "serve.py"), []);
  // handed uncalled, the outer function is the loss itself
  const direct = { ...files, "train.py": train("focal_loss") };
  assert.deepEqual(await lint({ ...direct, "serve.py": serve(', custom_objects={"focal_loss": focal_loss}') }, "serve.py"), []);
  assert.deepEqual(await lint({ ...direct, "serve.py": serve(', custom_objects={"focal_loss_fixed": focal_loss(2.0)}') }, "serve.py"), [
    "4:SMS201",
  ]);
});

test("SMS204 across files: a layer without get_config that another file constructs with a non-plain argument and saves", async () => {
  const metrics =
    "import tensorflow as tf\nfrom tensorflow.keras.layers import Layer\n\n\nclass ArcFace(Layer):\n    def __init__(self, n_classes=10, regularizer=None, **kwargs):\n        super().__init__(**kwargs)\n        self.n_classes = n_classes\n        self.regularizer = regularizer\n\n    def call(self, x):\n        return x\n";
  const train = (args: string, path = "models/model.hdf5"): string =>
    `import tensorflow as tf\nfrom tensorflow.keras import regularizers\nfrom metrics import ArcFace\n\ninputs = tf.keras.Input(shape=(4,))\nmodel = tf.keras.Model(inputs, ArcFace(${args})(inputs))\nmodel.compile(loss="mse")\nmodel.fit(x, y, callbacks=[tf.keras.callbacks.ModelCheckpoint("${path}")])\n`;
  const r = await lintResult({ "metrics.py": metrics, "train.py": train("10, regularizer=regularizers.l2(1e-4)") }, "metrics.py");
  assert.deepEqual(codesByLine(r), ["5:SMS204"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /receives `regularizers\.l2\(1e-4\)` in train\.py, which saves the model/);
  assert.deepEqual(await lint({ "metrics.py": metrics, "train.py": train("10") }, "metrics.py"), [], "plain arguments are auto-configured");
  const star = train("10, regularizer=regularizers.l2(1e-4)").replace(
    "from metrics import ArcFace",
    "from scheduler import *\nfrom metrics import *",
  );
  assert.deepEqual(await lint({ "metrics.py": metrics, "train.py": star }, "metrics.py"), ["5:SMS204"], "through a star import");
  assert.deepEqual(
    await lint({ "metrics.py": metrics, "train.py": train("10, regularizer=regularizers.l2(1e-4)", "models/best") }, "metrics.py"),
    [],
    "a SavedModel directory keeps no config to rebuild from",
  );
});

test("a runtime path weighs every model file the workspace writes, also one of a model the walk does not track", async () => {
  const model =
    "import keras\n\n\nclass LossLayer(keras.layers.Layer):\n    def call(self, x):\n        return x\n\n\n" +
    "def create_pred_model():\n    i = keras.Input((4,))\n    return keras.Model(i, keras.layers.Dense(1)(i))\n\n\n" +
    "def create_train_model(pred):\n    i = keras.Input((4,))\n    return keras.Model(i, LossLayer()(pred(i)))\n";
  const train = (save: string): string =>
    "import keras\nfrom model import *\n\n\ndef main(args):\n    pred_model = create_pred_model()\n    train_model = create_train_model(pred_model)\n" +
    "    train_model.compile(loss=None)\n    train_model.fit(x, callbacks=[keras.callbacks.ModelCheckpoint('checkpoint.hdf5')])\n" +
    save;
  const evaluate = "import sys\nfrom keras.models import load_model\n\nmodel = load_model(sys.argv[1])\n";
  const files = { "model.py": model, "evaluate.py": evaluate };
  // the prediction model (no custom layer) is saved too: the load may read that one
  assert.deepEqual(await lint({ ...files, "train.py": train("    pred_model.save('%s.hdf5' % args.output)\n") }, "evaluate.py"), []);
  assert.deepEqual(
    await lint({ ...files, "train.py": train("") }, "evaluate.py"),
    ["4:SMS201"],
    "only the checkpoint, which needs LossLayer",
  );
});

test("losses handed per output: a dict's values and a dict comprehension's element are what the model saves", async () => {
  const train = (loss: string): string =>
    "import tensorflow as tf\n\n\ndef dice_loss(y, p):\n    return tf.reduce_mean(y - p)\n\n\n" +
    "def weighted(key):\n    def loss(y, p):\n        return tf.reduce_mean(y - p)\n\n    return loss\n\n\n" +
    `inputs = tf.keras.Input(shape=(4,))\nmodel = tf.keras.Model(inputs, [tf.keras.layers.Dense(1)(inputs), tf.keras.layers.Dense(1)(inputs)])\n${loss}model.save("m.h5")\n`;
  const serve = 'import tensorflow as tf\n\nmodel = tf.keras.models.load_model("m.h5")\n';
  const message = async (loss: string): Promise<string> => {
    const r = await lintResult({ "train.py": train(loss), "serve.py": serve }, "serve.py");
    assert.deepEqual(codesByLine(r), ["3:SMS201"]);
    return String(r.findings[0]!.diagnostic.message);
  };
  assert.match(await message('model.compile(loss={"mask": dice_loss, "label": "mse"})\n'), /uses `dice_loss`/);
  assert.match(await message('losses = {k: weighted(k) for k in ["a", "b"]}\nmodel.compile(loss=losses)\n'), /uses `loss`/);
  assert.deepEqual(await lint({ "train.py": train('model.compile(loss={"mask": "mse"})\n'), "serve.py": serve }, "serve.py"), []);
});

test("a trainer's methods: the model one method builds and another restores, the callbacks a third returns (SMS104)", async () => {
  const trainer = (head: string): string =>
    `${head}\nfrom pkg.gnn import Net\n\n\nclass Trainer:\n` +
    "    def __compiled(self, info):\n        net = Net(info)\n        net.compile(loss='mse')\n        return net\n\n" +
    "    def __restore(self, net, sample, warm=False):\n        if warm:\n            net.load_weights('w')\n        return net\n\n" +
    "    def __callbacks(self, out):\n        os.mkdir(out + '/ckpt')\n" +
    "        return [tf.keras.callbacks.ModelCheckpoint(filepath=out + '/ckpt/w.{epoch:02d}.hdf5', monitor='loss')]\n\n" +
    "    def build(self, sample):\n        net = self.__compiled(self.info)\n        self.net = self.__restore(net, sample=sample)\n\n" +
    "    def train(self, data, out):\n        callbacks = self.__callbacks(out)\n        self.net.fit(data, callbacks=callbacks)\n";
  const files = {
    "pkg/gnn.py": "import tensorflow as tf\n\n\nclass Net(tf.keras.Model):\n    def call(self, x):\n        return x\n",
    "pkg/utils.py": "import os\nimport tensorflow as tf\n\n\ndef log(x):\n    print(x)\n",
  };
  assert.deepEqual(await lint({ ...files, "pkg/model.py": trainer("import os\nimport tensorflow as tf") }, "pkg/model.py"), ["19:SMS104"]);
  // `tf` reaches the file only through `from pkg.utils import *` (that module imports it)
  assert.deepEqual(await lint({ ...files, "pkg/model.py": trainer("from pkg.utils import *") }, "pkg/model.py"), ["18:SMS104"]);
  // without the star import `tf` is nothing we know: silent
  assert.deepEqual(await lint({ ...files, "pkg/model.py": trainer("import os") }, "pkg/model.py"), []);
});

test("`import keras` is the library, not a workspace subpackage named keras (tornet/models/keras/)", async () => {
  const files = {
    "tornet/models/keras/__init__.py": "from tornet.models.keras.layers import FillNaNs\n",
    "tornet/models/keras/layers.py":
      "import keras\n\n\n@keras.saving.register_keras_serializable()\nclass FillNaNs(keras.layers.Layer):\n    def call(self, x):\n        return x\n",
    "scripts/train.py":
      "import keras\nfrom tornet.models.keras.layers import FillNaNs\n\ninputs = keras.Input(shape=(4,))\n" +
      'model = keras.Model(inputs, FillNaNs()(inputs))\nmodel.save("tornado.h5")\n',
    "notebooks/serve.py": 'import keras\n\nmodel = keras.models.load_model("tornado.h5")\n',
  };
  const r = await lintResult(files, "notebooks/serve.py");
  assert.deepEqual(codesByLine(r), ["3:SMS201"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /`FillNaNs`, registered in layers\.py, which this file never imports/);
  // importing the package that registers it is another matter
  const imported = { ...files, "notebooks/serve.py": `import tornet.models.keras\n${files["notebooks/serve.py"]}` };
  assert.deepEqual(await lint(imported, "notebooks/serve.py"), []);
});

test("a trainer class of the workspace checkpoints the model it is given: loading a checkpoint needs its custom layers", async () => {
  const files: Files = {
    "src/pkg/__init__.py": "from . import zoo\nfrom .trainer import Trainer\n",
    "src/pkg/zoo/__init__.py": "from ._net import net\n",
    "src/pkg/zoo/_net.py":
      "import keras\nfrom pkg.zoo.utils import block\n\n\ndef net(n):\n    inputs = keras.Input(shape=(n,))\n    return keras.Model(inputs, block(inputs))\n",
    "src/pkg/zoo/utils/__init__.py": "from ._layers import *  # noqa: F403\n",
    "src/pkg/zoo/utils/_layers.py":
      "import keras\n\n\nclass Attn(keras.layers.Layer):\n    def call(self, x):\n        return x\n\n\ndef block(x):\n    return Attn()(x)\n",
    "src/pkg/trainer.py":
      "import os\nimport keras\n\n\nclass Trainer:\n    def __init__(self, data, model=None, project='p'):\n        self.model = model\n        self.save_dir = os.path.join(project, 'run')\n\n" +
      "    @staticmethod\n    def _callbacks(save_dir, checkpointing=True):\n        callbacks = []\n        if checkpointing:\n" +
      "            ckpt = keras.callbacks.ModelCheckpoint(filepath=os.path.join(save_dir, 'checkpoints', '{epoch:02d}.keras'))\n" +
      "            callbacks.append(ckpt)\n        return callbacks\n\n" +
      "    def fit(self, epochs=1):\n        callbacks = self._callbacks(self.save_dir)\n        self.model.fit(x, epochs=epochs, callbacks=callbacks)\n",
  };
  const notebook = (load: string): string =>
    `import keras\nimport pkg\n\nbase = pkg.zoo.net(8)\ntrainer = pkg.Trainer(data, model=base, project="p")\ntrainer.fit(epochs=3)\nm = keras.models.load_model("${load}")\n`;
  const k3 = { kerasVersion: "3" };
  const r = await lintResult({ ...files, "docs/tutorial.py": notebook("p/run/checkpoints/03.keras") }, "docs/tutorial.py", k3);
  assert.deepEqual(codesByLine(r), ["7:SMS201"]);
  assert.match(String(r.findings[0]!.diagnostic.message), /hands to `Trainer.fit`, which checkpoints it to this path, uses `Attn`/);
  // a file the checkpoint pattern does not name, a model never given to the trainer, or its method never called: silent
  assert.deepEqual(await lint({ ...files, "docs/tutorial.py": notebook("p/run/best.keras") }, "docs/tutorial.py", k3), []);
  const other = notebook("p/run/checkpoints/03.keras").replace("model=base", "model=None");
  assert.deepEqual(await lint({ ...files, "docs/tutorial.py": other }, "docs/tutorial.py", k3), []);
  const unfit = notebook("p/run/checkpoints/03.keras").replace("trainer.fit(epochs=3)", "trainer.summary()");
  assert.deepEqual(await lint({ ...files, "docs/tutorial.py": unfit }, "docs/tutorial.py", k3), []);
  // registered where it is defined (and imported through pkg): silent
  const registered = {
    ...files,
    "src/pkg/zoo/utils/_layers.py": files["src/pkg/zoo/utils/_layers.py"]!.replace(
      "class Attn",
      "@keras.saving.register_keras_serializable()\nclass Attn",
    ),
  };
  assert.deepEqual(await lint({ ...registered, "docs/tutorial.py": notebook("p/run/checkpoints/03.keras") }, "docs/tutorial.py", k3), []);
});

test("a checkpoint ending names a load's file folder by folder, within bounds", async () => {
  const { endingNames } = await import("../../../src/server/python/trainers.js");
  assert.ok(endingNames("\u0000/checkpoints/{epoch:02d}.keras", "proj/run/checkpoints/03.keras"));
  assert.ok(endingNames("\u0000/w-{epoch:02d}-{val_loss:.2f}.h5", "out/w-07-0.31.h5"));
  assert.ok(!endingNames("\u0000/checkpoints/{epoch:02d}.keras", "proj/run/checkpoints/best.keras"), "an epoch is a number");
  assert.ok(!endingNames("\u0000/checkpoints/{epoch:02d}.keras", "proj/run/other/03.keras"), "another folder");
  assert.ok(!endingNames("\u0000.keras", "proj/03.keras"), "an ending without the file name names nothing");
  assert.ok(!endingNames("\u0000/{a}{b}{c}{d}.keras", "x.keras"), "too many placeholders in one name");
  // a crafted name and pattern stay linear: a long component is refused before any regex runs
  assert.ok(!endingNames("\u0000/{a}{b}{c}x.keras", `${"a".repeat(100_000)}.keras`));
  assert.ok(endingNames("\u0000/{a}[{b}].(keras)", "1[2].(keras)"), "regex characters of the path are literal");
});
