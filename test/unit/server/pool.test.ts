/**
 * Parse worker: a document parsed with the worker's help has the same blocks, trees and findings as
 * one parsed inline; edits after a worker parse still match a fresh analysis; a worker that dies
 * (between jobs or holding claimed blocks) costs nothing but time: the blocks are parsed inline.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { generateKerasFile } from "../../../bench/python-analysis.js";
import { analyzePython } from "../../../src/server/python/analyze.js";
import type { PyNode } from "../../../src/server/python/ast.js";
import { PythonDocument } from "../../../src/server/python/document.js";
import { ParsePool } from "../../../src/server/python/parse-pool.js";
import { getParser, repoRoot } from "./harness.js";

const uri = "file:///project/big.py";

function shape(n: PyNode): unknown {
  return [n.type, n.field, n.si, n.ei, n.sr, n.sc, n.er, n.ec, n.children.map(shape)];
}

function snapshot(doc: PythonDocument): { trees: string; findings: string } {
  const trees = JSON.stringify(doc.blocks.map((b) => [b.ref.row, b.ref.offset, b.hasError, shape(b.root)]));
  const findings = JSON.stringify(analyzePython({ uri, source: doc.text, statements: doc.statements() }).findings);
  return { trees, findings };
}

async function inline(src: string): Promise<{ trees: string; findings: string }> {
  const doc = new PythonDocument(await getParser(), null);
  try {
    doc.update(src);
    return snapshot(doc);
  } finally {
    doc.dispose();
  }
}

/** The whole labelled corpus as one file (with syntax errors and all), so every kind of block is shared. */
function corpusFile(): string {
  const dir = join(repoRoot, "test", "python");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".py"))
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"))
    .join("\n\n");
}

const pools: ParsePool[] = [];
function pool(opts: ConstructorParameters<typeof ParsePool>[0] = {}): ParsePool {
  const p = new ParsePool({ minChars: 0, minBlocks: 1, ...opts });
  pools.push(p);
  return p;
}
after(() => {
  for (const p of pools) p.dispose();
});

test("pool: worker-parsed documents equal inline ones (corpus, generated file)", async () => {
  const parser = await getParser();
  const p = pool();
  assert.ok(await p.whenReady(), "worker started");
  for (const src of [corpusFile(), generateKerasFile(5000)]) {
    const doc = new PythonDocument(parser, p);
    try {
      const st = doc.update(src);
      assert.ok(st.worker > 0, `the worker parsed some blocks (${st.worker} of ${st.blocks})`);
      const got = snapshot(doc);
      const want = await inline(src);
      assert.equal(got.trees, want.trees);
      assert.equal(got.findings, want.findings);
    } finally {
      doc.dispose();
    }
  }
});

test("pool: edits after a worker parse (blocks without a tree) match a fresh analysis", async () => {
  const parser = await getParser();
  const p = pool();
  assert.ok(await p.whenReady());
  const doc = new PythonDocument(parser, p);
  try {
    let src = generateKerasFile(600);
    assert.ok(doc.update(src).worker > 0);
    const at = src.indexOf("epochs=epochs, verbose=0", src.length >> 1);
    for (const edit of ["x", "(", ")", "\n"]) {
      src = src.slice(0, at) + edit + src.slice(at);
      doc.update(src);
      assert.deepEqual(snapshot(doc), await inline(src), `after inserting ${JSON.stringify(edit)}`);
    }
    src = "import os\n" + src;
    doc.update(src);
    assert.deepEqual(snapshot(doc), await inline(src));
  } finally {
    doc.dispose();
  }
});

test("pool: a worker that died between jobs: parsed inline, then a new worker", async () => {
  const parser = await getParser();
  const p = pool();
  assert.ok(await p.whenReady());
  p.crashWorkerForTest();
  await new Promise((r) => setTimeout(r, 300)); // the exit event
  const src = generateKerasFile(800);
  const doc = new PythonDocument(parser, p);
  try {
    assert.equal(doc.update(src).worker, 0, "no worker: all inline");
    assert.deepEqual(snapshot(doc), await inline(src));
  } finally {
    doc.dispose();
  }
  assert.ok(await p.whenReady(), "a new worker was started");
  const again = new PythonDocument(parser, p);
  try {
    assert.ok(again.update(src).worker > 0);
    assert.deepEqual(snapshot(again), await inline(src));
  } finally {
    again.dispose();
  }
});

test("pool: a worker that dies holding claimed blocks: they are parsed inline, same result", async () => {
  const parser = await getParser();
  const p = pool({ progressTimeoutMs: 200 });
  assert.ok(await p.whenReady());
  const src = generateKerasFile(3000);
  const doc = new PythonDocument(parser, p);
  try {
    doc.crashAfterForTest = 3;
    const st = doc.update(src);
    assert.ok(st.worker <= 3, `at most the blocks it posted before dying (${st.worker})`);
    assert.deepEqual(snapshot(doc), await inline(src));
  } finally {
    doc.dispose();
  }
});

test("pool: many small jobs back to back never wait for a claim left from the previous job", async () => {
  // The worker's last claim of a job (the one that finds the job done) can land after the next job started;
  // that claim must not take an index of the new job, or the server thread waits for a block nobody parses.
  const p = pool({ progressTimeoutMs: 5_000 });
  assert.ok(await p.whenReady());
  const texts = ["x = 1\n", "def f():\n    return 2\n", "class A:\n    pass\n", "y = [1, 2]\n"];
  const parser = await getParser();
  let recovered = 0;
  let slowest = 0;
  for (let job = 0; job < 400; job++) {
    const t0 = performance.now();
    const stats = p.run(texts, {
      inline: (i) => parser.parse(texts[i]!)?.delete(),
      received: () => undefined,
    });
    slowest = Math.max(slowest, performance.now() - t0);
    recovered += stats.recovered;
  }
  assert.equal(recovered, 0, "no block had to be recovered");
  assert.ok(slowest < 1_000, `slowest job ${slowest.toFixed(0)} ms`);
});
