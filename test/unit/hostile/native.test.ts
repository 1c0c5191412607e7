// Issue 17, item 6: the native engine gets the same checks as the embedded one, before tfjs-node
// (libtensorflow) sees the directory. tfjs-node cannot be installed here: the checks are tested with
// the package absent and with a stand-in at the loader seam.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import type { MemorySource } from "../../../src/core/io.js";
import { buildSavedModel, placeholder } from "../../../src/core/savedmodel/builder.js";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { loadNative, type TfNode } from "../../../src/runtime/engines/native.js";
import { fanOut, hostileModel } from "./generators.js";

const tmp = mkdtempSync(join(tmpdir(), "hostile-native-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const readFileModel = (): MemorySource =>
  hostileModel(
    [placeholder("path", DataType.DT_STRING, []), { name: "read", op: "ReadFile", input: ["path"] }],
    { y: ["read:0", DataType.DT_STRING] },
    { path: ["path:0", DataType.DT_STRING, []] },
  );

/** A stand-in for tfjs-node that records what it was asked to load. */
function fakeTf(): { tf: TfNode; loaded: string[] } {
  const loaded: string[] = [];
  const tf: TfNode = {
    tensor: () => {
      throw new Error("not used");
    },
    node: {
      loadSavedModel: async (path) => {
        loaded.push(path);
        return { predict: () => ({}), dispose: () => undefined };
      },
    },
  };
  return { tf, loaded };
}

const isCode = (code: string) => (e: unknown) => e instanceof StudioError && e.code === code;

void test("native engine: a signature with ReadFile is refused (UNSAFE_OP) before libtensorflow is asked", async () => {
  const reader = await SavedModelReader.open(readFileModel(), "m");
  const { tf, loaded } = fakeTf();
  const native = await loadNative(reader, 0, {}, async () => tf);
  await assert.rejects(native.prepare("serving_default"), isCode("UNSAFE_OP"));
  assert.deepEqual(loaded, []);
  const allowed = await loadNative(reader, 0, { allowUnsafeOps: true }, async () => tf);
  await allowed.prepare("serving_default");
  assert.deepEqual(loaded, ["m"]);
});

void test("native engine: plan budget (function fan-out) and files outside the model are refused before loading", async () => {
  const { tf, loaded } = fakeTf();
  const fan = await SavedModelReader.open(fanOut(20), "m");
  await assert.rejects(
    loadNative(fan, 0, {}, async () => tf),
    isCode("LIMIT_EXCEEDED"),
  );

  const dir = join(tmp, "model");
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "saved_model.pb"), buildSavedModel({ nodes: [placeholder("x", DataType.DT_FLOAT, [-1])], signatures: {} }));
  const outsideDir = join(tmp, "outside");
  mkdirSync(outsideDir);
  writeFileSync(join(outsideDir, "secret"), "s");
  symlinkSync(join(outsideDir, "secret"), join(dir, "assets", "vocab.txt"));
  const reader = await SavedModelReader.open(new FsSource("/"), dir);
  await assert.rejects(
    loadNative(reader, 0, {}, async () => tf),
    isCode("OUTSIDE_MODEL"),
  );
  rmSync(join(dir, "assets", "vocab.txt"));
  symlinkSync(outsideDir, join(dir, "assets", "linked-dir"));
  await assert.rejects(
    loadNative(reader, 0, {}, async () => tf),
    isCode("OUTSIDE_MODEL"),
  );
  assert.deepEqual(loaded, []);
  rmSync(join(dir, "assets", "linked-dir"));
  await loadNative(reader, 0, {}, async () => tf); // clean again: loads
});
