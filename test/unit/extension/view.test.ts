import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseNpy } from "../../../src/core/npy/index.js";
import { ExcludeMatcher, globToRegExp } from "../../../src/extension/globs.js";
import { dtypeTextOfName, humanBytes, shapeText, statNumber, tensorDisplay } from "../../../src/core/display.js";
import { tensorLabel } from "../../../src/extension/format.js";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../../shared/fixtures");

void test("labels: dtype short names, unknown dims and ranks, sizes in binary units", () => {
  assert.equal(dtypeTextOfName("DT_FLOAT"), "float32");
  assert.equal(dtypeTextOfName("DT_INT64"), "int64");
  assert.equal(dtypeTextOfName("DT_FLOAT_REF"), "float32_ref");
  assert.equal(shapeText([-1, 1]), "[?, 1]");
  assert.equal(shapeText([]), "[]");
  assert.equal(shapeText(null), "[…]");
  assert.equal(
    tensorLabel({ key: "x", dtype: 1, dtypeName: "DT_FLOAT", shape: [-1, 1], shapeAbsent: false, name: "x:0" }),
    "x: float32[?, 1]",
  );
  assert.equal(humanBytes(20), "20 B");
  assert.equal(humanBytes(1536), "1.50 KiB");
  assert.equal(humanBytes(5 * 1024 * 1024), "5.00 MiB");
});

void test("stats and preview of every fixture output: counts right, previews bounded whatever the rank", () => {
  const cases = JSON.parse(readFileSync(join(fixtures, "cases.json"), "utf8")) as {
    id: string;
    expected?: Record<string, { file?: string }>;
  }[];
  for (const c of cases) {
    for (const e of Object.values(c.expected ?? {})) {
      if (!e.file) continue;
      const t = parseNpy(readFileSync(join(fixtures, e.file)), e.file);
      const n = t.shape.reduce((a, b) => a * b, 1);
      const d = tensorDisplay(t, { maxElements: 5, maxStringLength: 20 });
      assert.equal(d.elements, n);
      if (d.stats) assert.equal(d.stats[0]?.[1], String(n), c.id);
      if (!Array.isArray(t.data) && n > 0 && typeof t.data[0] === "number" && t.dtype !== 19) {
        const vals = [...(t.data as Float32Array)].filter((v) => Number.isFinite(v));
        if (vals.length > 0) assert.equal(d.stats?.[1]?.[1], statNumber(Math.min(...vals)), c.id);
      }
      assert.equal(d.summarized, n > 5, c.id);
      if (n > 5) assert.match(d.preview, /\.\.\./, c.id);
      // numpy shows 2·edge items per axis: with 5 allowed, at most 2 per axis of length > 1
      const shown = t.shape.reduce((a, dim) => a * Math.min(dim, n > 5 ? 2 : dim), 1);
      assert.ok(shown <= Math.max(5, 2 ** t.shape.filter((x) => x > 1).length), c.id);
    }
  }
});

void test("exclude globs prune folders by name and filter by path", () => {
  const m = new ExcludeMatcher(["**/node_modules/**", "data/raw/**", "**/*.tmp"]);
  assert.ok(m.dirNames.has("node_modules"));
  assert.ok(m.excludesDir("a/node_modules/b"));
  assert.ok(m.excludesDir("data/raw"));
  assert.ok(m.excludesDir("data/raw/x/model"));
  assert.ok(!m.excludesDir("data/rawer"));
  assert.ok(!m.excludesDir("models/half"));
  assert.ok(globToRegExp("**/{a,b}/*.pb").test("x/y/b/saved_model.pb"));
});
