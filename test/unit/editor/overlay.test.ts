// Run with Trace on the graph: a real recording of keras_mnist (node by node) overlaid on the editor's
// graph view of serving_default — the actual batch of 2 replaces the static `?`, times are on the nodes.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { record } from "../../../src/debug/launch.js";
import { traceRows } from "../../../src/debug/traceTable.js";
import { applyOverlay, overlayOf } from "../../../src/editor-model/overlay.js";
import { EditorSession } from "../../../src/editor-model/session.js";
import { FsSource } from "../../../src/node/fsSource.js";
import type { GraphView } from "../../../src/protocol/editor.js";
import { traceHtml } from "../../../src/extension/run/traceHtml.js";
import { FIXTURES } from "../helpers/fixtures.js";

const MODEL = join(FIXTURES, "savedmodels", "keras_mnist");
const CONV = "StatefulPartitionedCall/StatefulPartitionedCall/sequential/conv2d/Conv2D";

void test("keras_mnist: the traced shapes (batch 2) and times replace the static ones on nodes and on the edges leaving them", async () => {
  const rec = await record({
    model: MODEL,
    signature: "serving_default",
    inputs: { conv2d_input: join(FIXTURES, "cases", "keras_mnist__serving_default", "inputs", "conv2d_input.npy") },
    backend: "cpu",
  });
  const rows = traceRows(rec.records);
  rec.dispose();
  const reader = await SavedModelReader.open(new FsSource(), MODEL);
  const noop = () => Promise.resolve("");
  const session = new EditorSession(reader, "m", { runSignature: noop, debugSignature: noop, copyRequest: noop, copyText: noop });
  const res = await session.handle({
    id: 1,
    type: "getGraph",
    metaGraph: 0,
    target: { kind: "signature", key: "serving_default" },
    expand: [],
    inlineDepth: 2,
  });
  assert.equal(res.kind, "graph");
  const view = (res as { graph: GraphView }).graph;
  const before = view.nodes.find((n) => n.name === CONV)!;
  assert.equal(before.tensor, "float32[?,26,26,32]");
  const o = overlayOf("serving_default", rows, Date.UTC(2026, 11, 7, 6, 0, 0));
  const after = applyOverlay(view, o);
  const conv = after.nodes.find((n) => n.name === CONV)!;
  assert.equal(conv.tensor, "float32[2,26,26,32]");
  assert.ok(conv.ranMs !== undefined && conv.ranMs >= 0);
  const i = view.nodes.indexOf(before);
  const out = after.edges.map((e, k) => [e, after.edgeTensors![k]!] as const).filter(([[from, , control]]) => from === i && control === 0);
  assert.ok(out.length > 0);
  for (const [, t] of out) assert.deepEqual(t, ["float32[2,26,26,32]", 2 * 26 * 26 * 32]);
  assert.match(after.runNote ?? "", /from the run at .* \(\d+ of \d+ nodes traced\)/);
  assert.ok(after.nodes.filter((n) => n.ranMs !== undefined).length >= 20, "most executed nodes matched by name");
  assert.equal(view.nodes.find((n) => n.name === CONV)!.ranMs, undefined, "the cached view itself is untouched");

  // The panel: one row per execution, model strings escaped, one nonce'd script.
  const html = traceHtml("Trace: <img src=x>", [{ ...rows[0]!, node: `<img src=x onerror="1">` }, ...rows.slice(1)], {
    nonce: "n",
    cspSource: "https://w",
    cssHref: "c.css",
  });
  assert.ok(!html.includes("<img"));
  assert.equal(html.match(/<tr/g)!.length, rows.length + 1);
  assert.equal(html.match(/<script\b/g)?.length, 1);
});
