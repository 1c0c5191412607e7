/** Build quick fixes never hide a bug, and messages spell Input the way the file imports Keras (issue 16). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyze, applyEdits, codesByLine } from "./harness.js";

const model = (imports: string, base: string, dense: string): string =>
  `${imports}\n\nclass Net(${base}):\n    def __init__(self):\n        super().__init__()\n        self.d = ${dense}(3)\n\n    def call(self, x):\n        return self.d(x)\n\n\nnet = Net()\n`;

test("a file that only imports tf is told tf.keras.Input", async () => {
  const src = model("import tensorflow as tf", "tf.keras.Model", "tf.keras.layers.Dense") + 'net.build((None, 4))\nnet.save("net_dir")\n';
  const r = await analyze(src);
  const f = r.findings.find((x) => x.diagnostic.code === "SMS102");
  assert.ok(f, codesByLine(r).join(" "));
  assert.match(String(f.diagnostic.message), /net\(tf\.keras\.Input\(shape=\.\.\.\)\)/);
  assert.doesNotMatch(String(f.diagnostic.message), /[^.]keras\.Input/);
  // the shape of build() is known: the fix uses it and the file is then clean
  const fixed = applyEdits(src, f.fixes[0]!.edits);
  assert.match(fixed, /net\(tf\.keras\.Input\(shape=\(4,\)\)\)/);
  assert.deepEqual(codesByLine(await analyze(fixed)), []);
});

test("a file that imports Input directly is told Input", async () => {
  const src =
    model("from tensorflow import keras\nfrom tensorflow.keras import Input", "keras.Model", "keras.layers.Dense") +
    'net.save("net_dir")\n';
  const r = await analyze(src, { settings: { kerasVersion: "2" } });
  const f = r.findings.find((x) => x.diagnostic.code === "SMS101");
  assert.ok(f, codesByLine(r).join(" "));
  assert.match(String(f.diagnostic.message), /net\(Input\(shape=\.\.\.\)\)/);
});

test("the placeholder fix keeps a 'fill in the input shape' diagnostic until a shape is written", async () => {
  const src = model("import tensorflow as tf", "tf.keras.Model", "tf.keras.layers.Dense") + 'net.save("net_dir")\n';
  const r = await analyze(src, { settings: { kerasVersion: "2" } });
  const f = r.findings.find((x) => x.diagnostic.code === "SMS101");
  assert.ok(f);
  const placeholder = applyEdits(src, f.fixes[0]!.edits);
  assert.match(placeholder, /shape=\.\.\./);
  const after = await analyze(placeholder, { settings: { kerasVersion: "2" } });
  const left = after.findings.find((x) => x.diagnostic.code === "SMS105");
  assert.ok(left, codesByLine(after).join(" "));
  assert.match(String(left.diagnostic.message), /Fill in the input shape/);
  const filled = placeholder.replace("shape=...", "shape=(4,)");
  assert.deepEqual(codesByLine(await analyze(filled, { settings: { kerasVersion: "2" } })), []);
});

test("the placeholder diagnostic is found inside a function scope too", async () => {
  const body = model("import tensorflow as tf", "tf.keras.Model", "tf.keras.layers.Dense");
  const src = `${body}\ndef export():\n    m = Net()\n    m(tf.keras.Input(shape=...))\n    m.save("m_dir")\n`;
  const r = await analyze(src, { settings: { kerasVersion: "2" } });
  assert.ok(
    codesByLine(r).some((c) => c.endsWith("SMS105")),
    codesByLine(r).join(" "),
  );
});

test("rule registry: every diagnostic code has one family and a reporting function in rules.ts", async () => {
  const { RULES } = await import("../../../src/server/python/rules.js");
  const { Codes } = await import("../../../src/server/python/codes.js");
  const known = new Set<string>(Object.values(Codes));
  for (const code of known)
    assert.ok(
      RULES.some((r) => r.code === code),
      `${code} is reported by no rule`,
    );
  for (const r of RULES) assert.ok(known.has(r.code) && r.family.length > 0, `${r.code}: unknown code or no family`);
  const families = new Map<string, string>();
  for (const r of RULES) {
    assert.equal(families.get(r.code) ?? r.family, r.family, `${r.code} has two families`);
    families.set(r.code, r.family);
  }
});
