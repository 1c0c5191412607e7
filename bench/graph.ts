/**
 * Graph view at scale (issue 18): the visible level of a synthetic 100,000-node graph and of the
 * largest real signatures — building the scope tree (once per graph), collapsing to the first-paint
 * level, laying it out (the code the webview's worker runs), and expanding one group in place.
 * Run alone: `node --import tsx bench/graph.ts`.
 */
import { join, resolve } from "node:path";
import { SavedModelReader } from "../src/core/savedmodel/index.js";
import { buildGraph } from "../src/editor-model/graph.js";
import { syntheticScopedGraph } from "../src/editor-model/synthetic.js";
import { FsSource } from "../src/node/fsSource.js";
import type { GraphView } from "../src/protocol/editor.js";
import { DEFAULT_UNIT_LIMIT, ScopeTree } from "../src/webview/graph/collapse.js";
import { layoutUnits } from "../src/webview/graph/layout.js";
import type { EditorBenchRow } from "./editor.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function time(f: () => void, reps: number): number {
  f(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function levelRows(name: string, g: GraphView, reps: number): EditorBenchRow[] {
  const rows: EditorBenchRow[] = [];
  const row = (n: string, value: number, target?: number) =>
    rows.push({ name: n, value, unit: "ms", ...(target !== undefined ? { target: `≤ ${target} ms`, ok: value <= target } : {}) });
  let tree = new ScopeTree(g);
  row(
    `${name} (${g.nodes.length} nodes): scope tree, once per graph`,
    time(() => (tree = new ScopeTree(g)), reps),
  );
  const scopes = tree.autoExpand(DEFAULT_UNIT_LIMIT);
  const c = tree.collapse(scopes);
  row(
    `${name}: visible level, collapse + layout (${c.units.length} boxes)`,
    time(() => layoutUnits(tree.collapse(scopes)), reps),
    1000,
  );
  const group = c.units.find((u) => u.kind === "group");
  if (group) {
    const more = new Set([...scopes, group.id]);
    const c2 = tree.collapse(more);
    row(
      `${name}: expand one group in place, collapse + layout (${c2.units.length} boxes)`,
      time(() => layoutUnits(tree.collapse(more)), reps),
      1000,
    );
  }
  return rows;
}

export async function graphBenchmarks(repoRoot: string): Promise<EditorBenchRow[]> {
  const fixtures = resolve(repoRoot, "../shared/fixtures/savedmodels");
  const rows = levelRows("Synthetic scoped graph", syntheticScopedGraph(100, 100, 10), 5);
  for (const [model, key] of [
    ["serving_tf_text_regression", "serving_default"],
    ["tfx_chicago_taxi_estimator_serving", "classification"],
  ] as const) {
    const r = await SavedModelReader.open(new FsSource(), join(fixtures, model));
    const g = buildGraph(r, { metaGraph: 0, target: { kind: "signature", key }, expand: [], inlineDepth: 2 }).view;
    rows.push(...levelRows(`${model} ${key}`, g, 9));
  }
  return rows;
}

if (process.argv[1]?.endsWith("graph.ts")) {
  void graphBenchmarks(resolve(__dirname, "..")).then((rows) => {
    for (const r of rows)
      console.log(
        `| ${r.name} | ${r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(1)} ms | ${r.target ?? ""} | ${r.ok === undefined ? "" : r.ok ? "✅" : "❌"} |`,
      );
  });
}
