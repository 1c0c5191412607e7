/**
 * The custom objects a Keras model file names (src/core/savedmodel/keras-file.ts), on files real Keras wrote:
 * Keras 3.15.1 (scripts/gen-keras-files.py), a Keras 3.8 app model, a tf.keras 2.2 book model and a Keras 1.2
 * research model (test/fixtures/keras-files/README.md says where each comes from and what it names).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { LimitError, NpyError, StudioError } from "../../../src/core/errors.js";
import { readZipMember } from "../../../src/core/npy/npz.js";
import { kerasFileObjects } from "../../../src/core/savedmodel/keras-file.js";

const dir = join(__dirname, "..", "..", "fixtures", "keras-files");
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const objectsOf = (name: string) => kerasFileObjects(read(name), name, name.endsWith(".keras") ? "keras" : "h5");

test("Keras 3 files: unregistered and registered layers, a custom activation, a custom loss only the compile config names", () => {
  for (const name of ["custom.keras", "custom.h5"]) {
    const r = objectsOf(name);
    assert.deepEqual(
      r && { objects: r.objects, compile: r.compile },
      { objects: ["Gate", "my_act", "shop>Reg"], compile: ["dice_loss"] },
      name,
    );
  }
  for (const name of ["plain.keras", "plain.h5"]) {
    const r = objectsOf(name);
    assert.deepEqual(r && [r.objects, r.compile], [[], []], `${name}: built-ins, "relu", "mse", "mae", "accuracy" are not custom`);
  }
});

test("real public files: a user module's class named like a Keras one, a tf.keras 2 layer, a Keras 1 metric", () => {
  assert.deepEqual(objectsOf("siamese_model.keras")?.objects, ["CosineSimilarity"]);
  assert.deepEqual(objectsOf("linear_model_tf22.h5")?.objects, ["Linear"]);
  const countnet = objectsOf("countnet_F-CRNN.h5");
  assert.deepEqual(countnet && [countnet.objects, countnet.compile], [[], ["class_mae"]], "Convolution1D is a Keras alias");
});

test("files that are not what their name says get typed errors", () => {
  assert.throws(
    () => objectsOf("lfs_pointer.h5"),
    (e: unknown) => e instanceof StudioError && e.code === "KERAS_FILE" && /not an HDF5 file/.test(e.message),
  );
  const zip = read("custom.keras");
  assert.throws(() => kerasFileObjects(zip.subarray(0, zip.length - 30), "cut.keras", "keras"), NpyError);
  const hdf5 = read("custom.h5");
  assert.throws(
    () => kerasFileObjects(hdf5.subarray(0, 600), "cut.h5", "h5"),
    (e: unknown) => e instanceof StudioError && e.code === "KERAS_FILE",
  );
  // an HDF5 file is not a zip archive, and the reverse
  assert.throws(() => kerasFileObjects(hdf5, "x.keras", "keras"), NpyError);
  assert.throws(
    () => kerasFileObjects(zip, "x.h5", "h5"),
    (e: unknown) => e instanceof StudioError && e.code === "KERAS_FILE",
  );
  // a config.json over the limit is refused from its declared size, before inflating
  assert.throws(() => readZipMember(zip, "custom.keras", "config.json", 100), LimitError);
  assert.equal(readZipMember(zip, "custom.keras", "no-such-member.json", 100), undefined);
});
