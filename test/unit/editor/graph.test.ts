import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MemorySource } from "../../../src/core/io.js";
import { chainModel } from "../../../src/core/savedmodel/builder.js";
import { SavedModelReader } from "../../../src/core/savedmodel/index.js";
import { buildGraph, nodeDetails } from "../../../src/editor-model/graph.js";
import { FsSource } from "../../../src/node/fsSource.js";
import type { GraphView } from "../../../src/protocol/editor.js";
import { DEFAULT_UNIT_LIMIT, FLAT_LIMIT, ScopeTree } from "../../../src/webview/graph/collapse.js";
import { findHubs, HUB_MIN_UNITS, layoutUnits } from "../../../src/webview/graph/layout.js";
import { FIXTURES } from "../helpers/fixtures.js";

const open = (name: string) => SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", name));

function checkEdges(g: GraphView): void {
  for (const [a, b] of g.edges) {
    assert.ok(a >= 0 && a < g.nodes.length && b >= 0 && b < g.nodes.length, `edge ${a}->${b} in range`);
    assert.notEqual(a, b);
  }
  assert.equal(new Set(g.nodes.map((n) => n.name)).size, g.nodes.length, "unique node names");
}

/** Every node reaches one of the output nodes (the pruned graph is the outputs' closure). */
function allReach(g: GraphView, outputs: readonly number[]): boolean {
  const preds = new Map<number, number[]>();
  for (const [a, b] of g.edges) (preds.get(b) ?? preds.set(b, []).get(b)!).push(a);
  const seen = new Set<number>(outputs);
  const stack = [...outputs];
  while (stack.length) {
    for (const p of preds.get(stack.pop()!) ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(p);
    }
  }
  return seen.size === g.nodes.length;
}

describe("graph models", () => {
  it("TF1 signature: the graph pruned to the outputs' closure, stopping at the feeds", async () => {
    const r = await open("serving_half_plus_two_cpu");
    const { view } = buildGraph(r, { metaGraph: 0, target: { kind: "signature", key: "regress_x2_to_y3" }, expand: [], inlineDepth: 0 });
    checkEdges(view);
    assert.ok(view.nodes.length < view.totalNodes, `${view.nodes.length} < ${view.totalNodes}`);
    const outs = view.nodes.flatMap((n, i) => (n.role === "output" ? [i] : []));
    assert.ok(outs.length > 0);
    assert.ok(allReach(view, outs));
    const sig = r.metaGraphs()[0]!.signatures.find((s) => s.key === "regress_x2_to_y3")!;
    const feed = view.nodes.findIndex((n) => n.name === sig.inputs[0]!.name!.split(":")[0]);
    assert.ok(feed >= 0, "the feed is in the graph");
    assert.ok(!view.edges.some(([, to]) => to === feed), "nothing feeds the fed tensor");
    assert.match(view.note ?? "", /Pruned/);
  });

  it("TF2 signature: call nodes inline into the function bodies; depth 0 keeps the call node", async () => {
    const r = await open("keras_mnist");
    const shallow = buildGraph(r, { metaGraph: 0, target: { kind: "signature", key: "serving_default" }, expand: [], inlineDepth: 0 }).view;
    const call = shallow.nodes.find((n) => n.call !== null);
    assert.ok(call, "a StatefulPartitionedCall into the signature function");
    assert.deepEqual(shallow.expanded, []);
    const deep = buildGraph(r, { metaGraph: 0, target: { kind: "signature", key: "serving_default" }, expand: [], inlineDepth: 2 }).view;
    checkEdges(deep);
    assert.ok(deep.expanded.includes(call.name));
    assert.ok(
      deep.nodes.some((n) => n.op === "MatMul" && n.name.startsWith(call.name + "/")),
      "Dense layers' MatMul inside the inlined body",
    );
    assert.ok(!deep.nodes.some((n) => n.name === call.name), "the inlined call node is replaced by its body");
    const sigOut = r.metaGraphs()[0]!.signatures.find((s) => s.key === "serving_default")!.outputs.length;
    const outs = deep.nodes.flatMap((n, i) => (n.role === "output" && n.op === "_Retval" && n.name.split("/").length === 2 ? [i] : []));
    assert.equal(outs.length, sigOut, "the signature's outputs are the inlined function's return nodes");
    assert.ok(
      allReach(
        deep,
        deep.nodes.flatMap((n, i) => (n.role === "output" ? [i] : [])),
      ),
    );
    // explicit expansion of just that call node gives the same first level as depth 1
    const one = buildGraph(r, {
      metaGraph: 0,
      target: { kind: "signature", key: "serving_default" },
      expand: [call.name],
      inlineDepth: 0,
    }).view;
    const d1 = buildGraph(r, { metaGraph: 0, target: { kind: "signature", key: "serving_default" }, expand: [], inlineDepth: 1 }).view;
    assert.deepEqual(one.nodes.map((n) => n.name).sort(), d1.nodes.map((n) => n.name).sort());
  });

  it("library function: arguments, body and returns; node details with attribute defaults", async () => {
    const r = await open("keras_mnist");
    const lib = r.metaGraphDef(0).graph_def!.library!.function!;
    const fn = lib.find((f) => (f.node_def ?? []).some((n) => n.op === "MatMul"))!;
    const built = buildGraph(r, { metaGraph: 0, target: { kind: "function", name: fn.signature!.name! }, expand: [], inlineDepth: 0 });
    const g = built.view;
    checkEdges(g);
    assert.equal(
      g.nodes.length,
      (fn.node_def?.length ?? 0) + (fn.signature?.input_arg?.length ?? 0) + (fn.signature?.output_arg?.length ?? 0),
    );
    assert.equal(g.nodes.filter((n) => n.role === "input").length, fn.signature?.input_arg?.length);
    const mm = g.nodes.find((n) => n.op === "MatMul")!;
    const d = nodeDetails(r, built, mm.name);
    assert.equal(d.op, "MatMul");
    assert.equal(d.inputs.length, 2);
    assert.ok(d.attrs.some((a) => a.name === "T" && a.value === "DT_FLOAT" && !a.isDefault));
    const ta = d.attrs.find((a) => a.name === "transpose_a");
    assert.ok(ta, "transpose_a shown (stored or default)");
    assert.ok(d.attrs.every((a) => typeof a.value === "string"));
    assert.throws(() => nodeDetails(r, built, "no/such/node"), /no node/);
    assert.throws(
      () => buildGraph(r, { metaGraph: 0, target: { kind: "function", name: "nope" }, expand: [], inlineDepth: 0 }),
      /no library function/,
    );
  });

  it("MobileNet (4,570 nodes): collapse by scope keeps the layout within the unit limit", async () => {
    const r = await open("teachable_machine_mobilenet_2shards");
    const g = buildGraph(r, { metaGraph: 0, target: { kind: "graph" }, expand: [], inlineDepth: 0 }).view;
    assert.equal(g.nodes.length, 4570);
    const tree = new ScopeTree(g);
    const c = tree.collapse(tree.autoExpand(DEFAULT_UNIT_LIMIT));
    assert.ok(c.units.length <= DEFAULT_UNIT_LIMIT, `${c.units.length} units`);
    assert.equal(
      c.units.reduce((a, u) => a + u.size, 0),
      g.nodes.length,
      "every node in exactly one unit",
    );
    const folded = [...tree.folded].filter((x) => x >= 0).length;
    assert.ok(folded > 100, `${folded} constants/variables folded into their consumers`);
    for (let i = 0; i < g.nodes.length; i++) {
      const into = tree.folded[i]!;
      if (into >= 0) {
        assert.ok(["Const", "VarHandleOp", "VariableV2", "Variable"].includes(g.nodes[i]!.op));
        assert.equal(c.unitOf[i], c.unitOf[into], "a folded parameter shares its consumer's box");
        continue;
      }
      const u = c.units[c.unitOf[i]!]!;
      assert.ok(
        u.kind === "node" ? u.node === i : g.nodes[i]!.name.startsWith(u.id.replace(/\/?[^/]*….*$/, "")),
        `${g.nodes[i]!.name} in ${u.id}`,
      );
    }
    // revealing a node expands exactly its scopes
    const deep = g.nodes.findIndex((n) => n.name.split("/").length >= 3);
    const c2 = tree.collapse(new Set([...tree.autoExpand(DEFAULT_UNIT_LIMIT), ...tree.scopesOf(deep)]));
    assert.equal(c2.units[c2.unitOf[deep]!]!.kind, "node");
  });

  it("a synthetic 20,000-node flat chain gets synthetic scopes and lays out collapsed", async () => {
    const r = await SavedModelReader.open(new MemorySource({ "m/saved_model.pb": chainModel({ adds: 10_000, constElements: 1 }) }), "m");
    const g = buildGraph(r, { metaGraph: 0, target: { kind: "signature", key: "serving_default" }, expand: [], inlineDepth: 0 }).view;
    assert.equal(g.nodes.length, 20_002);
    const tree = new ScopeTree(g);
    const top = tree.collapse(new Set());
    assert.ok(top.units.length <= FLAT_LIMIT, `${top.units.length} top-level units`);
    const c = tree.collapse(tree.autoExpand(DEFAULT_UNIT_LIMIT));
    assert.ok(c.units.length <= DEFAULT_UNIT_LIMIT);
    const l = layoutUnits(c);
    assert.equal(l.boxes.length, c.units.length * 4);
    for (let i = 0; i < c.units.length; i++) assert.ok(Number.isFinite(l.boxes[i * 4]!) && l.boxes[i * 4 + 2]! > 0);
  });

  it("layout: boxes do not overlap and hubs are taken out of the layered layout (big levels only)", () => {
    const N = HUB_MIN_UNITS + 20;
    const units = Array.from({ length: N }, (_, i) => ({ id: `n${i}`, label: `n${i}`, op: "Op", kind: "node" as const }));
    const edges: [number, number, number, number][] = [];
    for (let i = 1; i < N - 1; i++) edges.push([i, i + 1, 1, 0], [0, i, 1, 0]); // node 0 feeds everything: a hub
    assert.deepEqual([...findHubs(units.length, edges)], [0]);
    const l = layoutUnits({ units, edges });
    assert.deepEqual(l.hubs, [0]);
    for (let a = 1; a < N; a++) {
      for (let b = a + 1; b < N; b++) {
        const [ax, ay, aw, ah] = [l.boxes[a * 4]!, l.boxes[a * 4 + 1]!, l.boxes[a * 4 + 2]!, l.boxes[a * 4 + 3]!];
        const [bx, by, bw, bh] = [l.boxes[b * 4]!, l.boxes[b * 4 + 1]!, l.boxes[b * 4 + 2]!, l.boxes[b * 4 + 3]!];
        const overlap = Math.abs(ax - bx) * 2 < aw + bw && Math.abs(ay - by) * 2 < ah + bh;
        assert.ok(!overlap, `units ${a} and ${b} overlap`);
      }
    }
    for (let i = 1; i < N - 1; i++) assert.ok(l.boxes[(i + 1) * 4 + 1]! > l.boxes[i * 4 + 1]!, "chain goes down");
    assert.ok(l.boxes[0]! > l.boxes[4]!, "the hub sits in the column to the right");
    const small = layoutUnits({ units: units.slice(0, 30), edges: edges.filter(([a, b]) => a < 30 && b < 30) });
    assert.deepEqual(small.hubs, [], "a small level keeps its hub in the layout (its edges drawn)");
  });
});
