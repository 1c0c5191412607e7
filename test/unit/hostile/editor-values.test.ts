// Issue 17, item 1 (editor work on large values): the editor's statistics/preview and Show Variable read a
// variable in the extension host, so what they may read is bounded by its cost in memory (bytes plus an
// object per string element), checked before reading; within the bound, the preview is capped.
import assert from "node:assert/strict";
import { test } from "node:test";
import { writeBundle } from "../../../src/core/bundle/writer.js";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { MemorySource } from "../../../src/core/io.js";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { variableValues } from "../../../src/editor-model/views.js";
import { hostValueBytes, MAX_VALUE_BYTES } from "../../../src/editor-model/valueBudget.js";
import { hostileModel } from "./generators.js";

async function modelWith(vars: [string, { dtype: number; shape: number[]; data: Uint8Array[] }][]): Promise<SavedModelReader> {
  const pb = await hostileModel([], {}).read("m/saved_model.pb");
  const { index, shards } = await writeBundle(vars);
  return SavedModelReader.open(
    new MemorySource({
      "m/saved_model.pb": pb,
      "m/variables/variables.index": index,
      "m/variables/variables.data-00000-of-00001": shards[0]!,
    }),
    "m",
  );
}

void test("millions of tiny strings (few bytes on disk, an object each in memory): refused before reading", async () => {
  const n = 5_000_000;
  const empty = new Uint8Array(0);
  const r = await modelWith([["many", { dtype: DataType.DT_STRING, shape: [n], data: new Array<Uint8Array>(n).fill(empty) }]]);
  const entry = (await r.variables())!.get("many")!;
  assert.ok(entry.size < 64 * 1024 * 1024, `${entry.size} bytes on disk`);
  assert.ok(hostValueBytes(entry) > MAX_VALUE_BYTES);
  const t0 = performance.now();
  await assert.rejects(
    variableValues(r, "many"),
    (e: unknown) => e instanceof StudioError && e.code === "LIMIT_EXCEEDED" && /preview budget/.test(e.message),
  );
  assert.ok(performance.now() - t0 < 1000);
});

void test("a 250 MB string variable (inside the budget): statistics and a capped preview, not 250 MB of text", async () => {
  const big = new Uint8Array(250 * 1000 * 1000).fill(0x61);
  const r = await modelWith([["big", { dtype: DataType.DT_STRING, shape: [1], data: [big] }]]);
  const v = await variableValues(r, "big");
  assert.ok(v.preview.length < 10_000, `${v.preview.length} characters`);
  assert.match(v.preview, /MiB more/);
  assert.equal(v.type, "string[1]");
});
