/**
 * Analysis caches: an edit re-converts and re-extracts only the edited block, and the cached result
 * is always the same as a fresh analysis of the new text (positions included).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzePython, type AnalysisResult } from "../../../src/server/python/analyze.js";
import { PythonDocument } from "../../../src/server/python/document.js";
import { analysisStats, resetAnalysisStats } from "../../../src/server/python/stats.js";
import { analyze, getParser } from "./harness.js";

const uri = "file:///project/snippet.py";

function run(doc: PythonDocument): AnalysisResult {
  return analyzePython({ uri, source: doc.text, statements: doc.statements() });
}

function messageOf(m: string | { value: string }): string {
  return typeof m === "string" ? m : m.value;
}

/** Diagnostics and fixes as plain data (ranges, codes, messages, related locations, edits). */
function shape(r: AnalysisResult): unknown {
  return JSON.parse(JSON.stringify(r.findings));
}

const header = ["import tensorflow as tf", "from tensorflow import keras", ""];

function modelClass(name: string, builtInInit: boolean): string[] {
  return [
    `class ${name}(keras.Model):`,
    "    def __init__(self):",
    "        super().__init__()",
    "        self.dense = keras.layers.Dense(1)",
    ...(builtInInit ? ["        self(tf.zeros((1, 4)))"] : []),
    "",
    "    def call(self, x):",
    "        return self.dense(x)",
    "",
  ];
}

function saver(i: number, cls: string, built: boolean): string[] {
  return [`def save_${i}(x):`, `    m = ${cls}()`, ...(built ? ["    m(x)"] : []), `    m.save("out/m_${i}")`, ""];
}

/** Ten independent functions saving two model classes; even ones save an unbuilt model. */
function source(opts: { builtA?: boolean; extra?: string } = {}): string {
  const lines = [...header, ...modelClass("A", opts.builtA ?? false), ...modelClass("B", false)];
  for (let i = 0; i < 10; i++) lines.push(...saver(i, i < 5 ? "A" : "B", i % 2 === 1));
  if (opts.extra) lines.push(opts.extra);
  return lines.join("\n");
}

test("cache: a keystroke inside one function converts and re-analyses only that block", async () => {
  const doc = new PythonDocument(await getParser());
  try {
    const src = source();
    doc.update(src);
    const before = run(doc);
    assert.deepEqual(
      before.findings.map((f) => f.diagnostic.code),
      ["SMS101", "SMS101", "SMS101", "SMS101", "SMS101"],
    );
    // Type inside save_6's body: add a build call (save_6 is odd: already built; use save_4, unbuilt).
    const at = src.indexOf('    m.save("out/m_4")');
    const edited = src.slice(0, at) + "    m(x)\n" + src.slice(at);
    resetAnalysisStats();
    const stats = doc.update(edited);
    const after = run(doc);
    assert.equal(stats.reused, stats.blocks - 1, "every other block is reused");
    assert.equal(analysisStats.conversions, 1, "only the edited block is converted");
    assert.equal(analysisStats.statementFacts, 1, "only the edited block's statement has its facts extracted");
    assert.equal(analysisStats.classFacts, 0, "no class is re-extracted");
    assert.equal(analysisStats.flowScopes, 1, "only the edited function is re-run through the flow analysis");
    assert.equal(after.findings.length, 4, "the edited function's save is no longer reported");
    assert.deepEqual(shape(after), shape(await analyze(edited, { uri })));
  } finally {
    doc.dispose();
  }
});

test("cache: a line inserted at the top moves every block; nothing below is re-extracted and ranges follow", async () => {
  const doc = new PythonDocument(await getParser());
  try {
    const src = source();
    doc.update(src);
    const before = run(doc);
    const moved = "# a comment line\n" + src;
    resetAnalysisStats();
    doc.update(moved);
    const after = run(doc);
    assert.equal(analysisStats.conversions, 1, "only the first block (which holds the new line) is converted");
    assert.equal(analysisStats.flowScopes, 0, "no function is re-run: their classes and imports did not change");
    assert.deepEqual(
      after.findings.map((f) => f.diagnostic.range.start.line),
      before.findings.map((f) => f.diagnostic.range.start.line + 1),
    );
    assert.deepEqual(shape(after), shape(await analyze(moved, { uri })));
  } finally {
    doc.dispose();
  }
});

test("cache: editing a class re-runs exactly the functions that use it", async () => {
  const doc = new PythonDocument(await getParser());
  try {
    doc.update(source());
    run(doc);
    // A's constructor now calls the model: instances of A are built at construction.
    const edited = source({ builtA: true });
    resetAnalysisStats();
    doc.update(edited);
    const after = run(doc);
    assert.equal(analysisStats.conversions, 1);
    // A's own methods (__init__, call) save nothing and call no file function: never walked (flow.ts quietScope)
    assert.equal(analysisStats.flowScopes, 5, "the five functions creating A");
    assert.deepEqual(
      after.findings.map((f) => messageOf(f.diagnostic.message).includes("`B`")),
      [true, true],
      "only the unbuilt saves of B remain",
    );
    assert.deepEqual(shape(after), shape(await analyze(edited, { uri })));
  } finally {
    doc.dispose();
  }
});

test("cache: adding a class named like a called function invalidates the functions calling it", async () => {
  const doc = new PythonDocument(await getParser());
  try {
    const base = source().replace('    m = B()\n    m.save("out/m_8")', '    m = C()\n    m.save("out/m_8")');
    doc.update(base);
    const before = run(doc);
    const withC = base + "\n" + modelClass("C", false).join("\n");
    doc.update(withC);
    const after = run(doc);
    assert.equal(after.findings.length, before.findings.length + 1, "save_8 now saves an unbuilt C");
    assert.deepEqual(shape(after), shape(await analyze(withC, { uri })));
  } finally {
    doc.dispose();
  }
});

test("cache: an import edit re-runs what looked the name up, and only that", async () => {
  const doc = new PythonDocument(await getParser());
  try {
    const src = source();
    doc.update(src);
    const before = run(doc);
    // A new import nobody uses: every class, load and scope stays valid.
    const withOs = "import os\n" + src;
    resetAnalysisStats();
    doc.update(withOs);
    const unused = run(doc);
    assert.equal(analysisStats.flowScopes, 0);
    assert.equal(analysisStats.classFacts, 0);
    assert.deepEqual(
      unused.findings.map((f) => f.diagnostic.range.start.line),
      before.findings.map((f) => f.diagnostic.range.start.line + 1),
    );
    assert.deepEqual(shape(unused), shape(await analyze(withOs, { uri })));
    // `keras` no longer bound: the classes are not Keras models any more, nothing is reported.
    const aliased = withOs.replace("from tensorflow import keras\n", "from tensorflow import keras as tfk\n");
    doc.update(aliased);
    const gone = run(doc);
    assert.equal(gone.findings.length, 0);
    assert.deepEqual(shape(gone), shape(await analyze(aliased, { uri })));
    // And back: the saves are reported again, exactly as a fresh analysis does.
    doc.update(withOs);
    assert.deepEqual(shape(run(doc)), shape(unused));
  } finally {
    doc.dispose();
  }
});

test("cache: a function scope that instantiates an imported name is re-run once the workspace defines that class", async () => {
  const doc = new PythonDocument(await getParser());
  const model = await analyze(
    ["import tensorflow as tf", "", "", ...modelClass("UNet", false).map((l) => l.replace("keras.Model", "tf.keras.Model"))].join("\n"),
    {
      uri: "file:///project/nets.py",
    },
  );
  try {
    doc.update(
      ["import tensorflow as tf", "from nets import UNet", "", "", "def export():", "    m = UNet()", '    m.save("out/unet")', ""].join(
        "\n",
      ),
    );
    const alone = analyzePython({ uri, source: doc.text, statements: doc.statements() });
    assert.deepEqual(alone.findings, [], "nets.py not analysed yet: nothing known of UNet");
    resetAnalysisStats();
    const linked = analyzePython({ uri, source: doc.text, statements: doc.statements(), workspaceDefs: [model.defs] });
    assert.equal(analysisStats.flowScopes, 1, "the cached scope is not replayed");
    assert.deepEqual(
      linked.findings.map((f) => `${f.diagnostic.range.start.line + 1}:${f.diagnostic.code}`),
      ["7:SMS101"],
    );
  } finally {
    doc.dispose();
  }
});

test("cache: a factory's carried parts follow edits to its helper, its imports and the file's classes", async () => {
  const doc = new PythonDocument(await getParser());
  const defsOf = (r: AnalysisResult): unknown => JSON.parse(JSON.stringify(r.defs.objects));
  const steps = [
    "import keras\nfrom .layers import Block\n\n\ndef helper(x):\n    return Block()(x)\n\n\ndef build():\n    i = keras.Input((4,))\n    return keras.Model(i, helper(i))\n",
    // the helper now builds another imported class
    "import keras\nfrom .layers import Block, Gate\n\n\ndef helper(x):\n    return Gate()(x)\n\n\ndef build():\n    i = keras.Input((4,))\n    return keras.Model(i, helper(i))\n",
    // the import binding of Gate changes
    "import keras\nfrom .blocks import Block, Gate\n\n\ndef helper(x):\n    return Gate()(x)\n\n\ndef build():\n    i = keras.Input((4,))\n    return keras.Model(i, helper(i))\n",
    // a class of the file now shadows the import
    "import keras\nfrom .blocks import Block\n\n\nclass Gate(keras.layers.Layer):\n    pass\n\n\ndef helper(x):\n    return Gate()(x)\n\n\ndef build():\n    i = keras.Input((4,))\n    return keras.Model(i, helper(i))\n",
  ];
  try {
    const carried: unknown[] = [];
    for (const src of steps) {
      doc.update(src);
      const r = run(doc);
      assert.deepEqual(defsOf(r), defsOf(await analyze(src, { uri })), "the same as a fresh analysis");
      carried.push((r.defs.objects.find(([n]) => n === "build")?.[1] as { carries?: unknown }).carries);
    }
    assert.deepEqual(carried, [
      [["Block", "class", ".layers.Block"]],
      [["Gate", "class", ".layers.Gate"]],
      [["Gate", "class", ".blocks.Gate"]],
      [["Gate", "class", ""]],
    ]);
  } finally {
    doc.dispose();
  }
});
