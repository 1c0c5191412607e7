/**
 * The real-world corpus (test/python-corpus, issue 16): manifest integrity, the fixed split rule, and
 * the train-split score as a floor so that a regression fails. The held-out split is not scored here.
 * The files themselves come from fetched repository snapshots and are not committed (see the corpus
 * README): checks that read them run where a local copy is in test/python-corpus/files.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpusRoot, precision, readManifest, recall, scoreSplit } from "./corpus-score.js";

/** An SPDX id, or "none (...)" for a repository without a licence file (its local copy is only measured, never shared). */
const LICENCE = /^(none \(.+\)|[A-Za-z0-9.+-]+(?: (?:OR|AND) [A-Za-z0-9.+-]+)*)$/;
/**
 * Floors reached on the train split (raise them when the rules improve; never lower them to pass). Until
 * batch 3 the train split held no labelled pitfall (recall 1 was vacuous); after batch 8 it holds 27 (20 found):
 * of the 7 misses, 3 need a model class defined in a module outside the corpus (or a README-only Keras version),
 * 3 a training script or model file that is not in the repository, 1 a loss nested in a model-building function
 * and a save/load path pair that differ by a working directory. (Adding batch 8 moved recall from 0.78 to 0.74.)
 * The corpus now gives each file the workspace modules it imports; with them, factories, module constants and
 * load-usage inference the train split reached 23 of 27 before batch 9; batch 9's train part adds 14 labels
 * (the 9 SMS104 ones found by the checkpoint case of SMS104, written after the collectors' reports described
 * these files; of its 5 custom_objects misses — runtime paths, an argparse default, a commented save cell — one
 * is now found, and the key-mismatch one): 34 of 41. Batch 10's train part adds 6 (4 build-only checkpoints of models
 * whose train_step never calls them, found after its held-out part was measured): 38 of 47. Batch 11's train part
 * adds 2 (a subclassed generator checkpointed to .h5 from a method, a segmentation_models loss): 38 of 49.
 * Batch 12's train part adds 10 (2 found at the first look, still 2 after its misses were read): runtime paths
 * (argparse, a path handed to a class in another file), a library method (CREsted), a model downloaded from the
 * Hugging Face hub, models kept in attributes of plain wrapper classes (siamese x2, phygnn), an import that does
 * not resolve at that commit (DA-RNN): 40 of 59, so the floor is re-based to 0.67. Batch 13's train part adds 6
 * (0 found at the first look, which also raised 2 false alarms, fixed since: a notebook reloading a file it saved
 * through a model the flow walk does not follow); its 6 misses (intel/unet converters, a registered loss in a
 * module the predictor never imports) were not read this session: 40 of 65, floor 0.61. On 2026-12-07 the
 * context became the workspace the server's index gives a file (its imports plus the repository's saving scripts
 * and notebooks): still 40 of 65 and no false alarm; a file now takes the Keras version of the workspace modules
 * it imports and reads class attribute paths (`cfg = Config()` ... `cfg.MODEL_PATH`): 41 of 65. Batch 14's train
 * part adds 6 (1 found at the first look, which also raised 4 false alarms, fixed since: an activation registered
 * as an instance under a key, `get_custom_objects().update({"mish": Mish(mish)})`, counted as a `Mish` layer): 4
 * get_config labels on layer classes of a module whose model another file saves, and a load of a placeholder
 * path: 42 of 71, floor 0.59. Session 9: loads of a path only run time knows, weighed against every model the
 * workspace saves (43), and the models the repositories commit, read from disk (scripts/python-corpus-disk.ts;
 * the siamese app's two loads): 45 of 71. Batch 15's train part adds 3 (1 found at the first look, no false
 * alarm; the 2 misses are get_config labels that hold only for TensorFlow before 2.11, which the rules do not
 * model): 46 of 74. A loader's default path read from disk (`def load(path="models/model.h5")`): 47 of 74.
 * Session 10: a wrapper class's methods handed to compile through its attributes, saved by a fit_generator
 * checkpoint at an imported option's default (intel/unet 3D), and a constructor keeping its **kwargs; the
 * context follows imports six levels (as the index, which sees every module): 52 of 74, no false alarm (one
 * raised on the way, a ModelMGPU wrapper that hands save to its serial model, fixed). A layer constructed in
 * another file with a non-plain argument (through a star import): 53 of 74 (2 false alarms raised on the way by
 * the star-imported factories, fixed: a saved model the walk did not track). Batch 16's train part adds 2 (0 found
 * at the first look, no false alarm); losses per output (a dict comprehension of loss factories): 54 of 76,
 * floor 0.71. Session 11: training functions saving the model their callers pass, with the extension kept through
 * splitext (badisa/optpresso predict.py): 55 of 76; batch 17's train part adds 1 (missed at the first look: a
 * tensorflow_addons optimizer, outside the custom-class families; no false alarm on its 29 files): 55 of 77,
 * floor 0.71.
 */
const TRAIN_FLOOR = { precision: 1, recall: 0.71, maxFalsePositives: 0 };
const local = existsSync(join(corpusRoot, "files"))
  ? false
  : "the corpus files are local copies, not committed (test/python-corpus/README.md)";

test("corpus manifest: ≥150 files with provenance and licence, a third held out by the fixed rule", () => {
  const files = readManifest();
  assert.ok(files.length >= 150, `${files.length} files`);
  for (const f of files) {
    assert.match(f.licence, LICENCE, `${f.file}: licence ${f.licence}`);
    assert.match(f.commit, /^[0-9a-f]{40}$/);
    assert.ok(f.repository.includes("/") && f.path.length > 0, f.file);
  }
  const key = (f: { repository: string; path: string }): string => createHash("sha256").update(`${f.repository}/${f.path}`).digest("hex");
  for (const batch of new Set(files.map((f) => f.batch))) {
    const sorted = files.filter((f) => f.batch === batch).sort((a, b) => key(a).localeCompare(key(b)));
    const held = Math.ceil(sorted.length / 3);
    sorted.forEach((f, i) => assert.equal(f.split, i < held ? "heldout" : "train", `batch ${batch}: ${f.file}`));
  }
  assert.ok(files.filter((f) => f.split === "heldout").length * 3 >= files.length);
});

test("corpus local copies: each file is the manifest's, with its source line, licence and labelled lines", { skip: local }, () => {
  for (const f of readManifest()) {
    const text = readFileSync(join(corpusRoot, "files", f.file), "utf8");
    assert.ok(text.startsWith(`# corpus-source: https://github.com/${f.repository}/blob/${f.commit}/`), f.file);
    if (!f.licence.startsWith("none"))
      assert.ok(existsSync(join(corpusRoot, "LICENSES", `${f.repository.replace("/", "+")}.txt`)), f.repository);
    for (const l of f.labels) assert.ok(l.line >= 1 && l.line <= text.split("\n").length && l.why.length > 20, `${f.file}:${l.line}`);
  }
});

test("corpus train split stays at or above its floor", { skip: local }, async () => {
  const s = await scoreSplit(readManifest(), "train");
  const detail = [...s.misses.map((m) => `miss ${m}`), ...s.falseAlarms.map((f) => `false alarm ${f}`)].join("\n");
  assert.ok(precision(s.total) >= TRAIN_FLOOR.precision, detail);
  assert.ok(recall(s.total) >= TRAIN_FLOOR.recall, detail);
  assert.ok(s.total.fp <= TRAIN_FLOOR.maxFalsePositives, detail);
});
