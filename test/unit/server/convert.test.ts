/**
 * Tree conversion: the raw wasm cursor walk (raw-cursor.ts) encodes exactly what the public
 * TreeCursor walk encodes, on the corpus and on the generated benchmark file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generateKerasFile } from "../../../bench/python-analysis.js";
import { encodeTree } from "../../../src/server/python/ast.js";
import { splitBlocks } from "../../../src/server/python/blocks.js";
import { rawCursor, setRawCursorEnabled } from "../../../src/server/python/raw-cursor.js";
import { getParser, repoRoot } from "./harness.js";

function sources(): [string, string][] {
  const dir = join(repoRoot, "test", "python");
  const out: [string, string][] = readdirSync(dir)
    .filter((f) => f.endsWith(".py"))
    .map((f) => [f, readFileSync(join(dir, f), "utf8")]);
  out.push(["generated", generateKerasFile(1000)]);
  return out;
}

test("convert: the raw cursor walk is bound and encodes every block as the public cursor does", async () => {
  const parser = await getParser();
  assert.ok(rawCursor(), "raw cursor functions bound and the start-up probe agreed");
  let blocks = 0;
  try {
    for (const [name, src] of sources()) {
      for (const b of splitBlocks(src)) {
        const tree = parser.parse(b.text)!;
        setRawCursorEnabled(true);
        const raw = encodeTree(tree);
        setRawCursorEnabled(false);
        const plain = encodeTree(tree);
        tree.delete();
        assert.equal(raw.count, plain.count, name);
        assert.equal(raw.hasError, plain.hasError, name);
        assert.deepEqual(raw.data.subarray(0, raw.count * 5), plain.data.subarray(0, plain.count * 5), name);
        blocks++;
      }
    }
  } finally {
    setRawCursorEnabled(true);
  }
  assert.ok(blocks > 100);
});
