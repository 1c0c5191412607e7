/**
 * Layered DAG layout of collapsed graph units with @dagrejs/dagre. DOM-free: runs in the webview's
 * layout worker, on the main thread as a fallback, and in Node for the benchmark.
 */
import dagre from "@dagrejs/dagre";

export interface LayoutInput {
  readonly units: readonly {
    readonly id: string;
    readonly label: string;
    readonly op: string;
    readonly kind: "node" | "group";
    readonly pin?: "input" | "output";
    readonly side?: boolean;
  }[];
  readonly edges: readonly (readonly [number, number, number, number])[];
}

export interface LayoutResult {
  /** Units taken out of the layered layout because of their degree (drawn in a side column). */
  readonly hubs: readonly number[];
  /** Centre x/y, width, height per unit (same order as the input). */
  readonly boxes: Float64Array;
  /** Polyline points per edge: flat [x0, y0, x1, y1, …]. */
  readonly paths: readonly number[][];
  readonly width: number;
  readonly height: number;
  readonly ms: number;
  readonly ranker: string;
}

/** Average advance of the 13 px label font and of the 11 px op line (editor.css), estimated without DOM. */
export const CHAR_W = 7.4;
const OP_CHAR_W = 6.3;
export const NODE_H = 38;
export const GROUP_H = 44;

/** Box size of a unit: wide enough for its label and op (one estimate, no DOM). */
export function unitSize(u: LayoutInput["units"][number]): [number, number] {
  const text = Math.max(u.label.length * CHAR_W, Math.min(u.op.length, 48) * OP_CHAR_W);
  const w = Math.min(380, Math.max(60, 18 + text));
  return [w, u.kind === "group" ? GROUP_H : NODE_H];
}

/** Levels with at most this many units are laid out with every edge (no hubs). */
export const HUB_MIN_UNITS = 80;

/** Degree above which a unit is a hub (TensorBoard's "extract high-degree nodes"). */
export const HUB_DEGREE = 12;

/**
 * Units whose edges would span the whole drawing (keras_learning_phase, save/restore, init):
 * their edges would add thousands of dummy nodes to the layered layout (the cost of crossing
 * minimization grows with them), so they are laid out apart and their edges drawn on demand.
 */
export function findHubs(units: number, edges: LayoutInput["edges"], threshold = HUB_DEGREE): Set<number> {
  const deg = new Int32Array(units);
  for (const [a, b] of edges) {
    deg[a] = (deg[a] ?? 0) + 1;
    deg[b] = (deg[b] ?? 0) + 1;
  }
  const hubs = new Set<number>();
  deg.forEach((d, i) => {
    if (d > threshold) hubs.add(i);
  });
  return hubs;
}

/**
 * Lays out the units top to bottom. Big graphs use dagre's longest-path ranker (linear) instead of
 * network simplex, which is what keeps thousands of nodes within the time budget.
 */
export function layoutUnits(
  input: LayoutInput,
  opts: { ranker?: "network-simplex" | "tight-tree" | "longest-path"; hubDegree?: number } = {},
): LayoutResult {
  const t0 = Date.now();
  // small levels keep every edge in the layout (a hidden hub reads as disconnected boxes)
  const hubs =
    input.units.length > HUB_MIN_UNITS ? findHubs(input.units.length, input.edges, opts.hubDegree ?? HUB_DEGREE) : new Set<number>();
  for (const [i, u] of input.units.entries()) if (u.side && input.units.length > 2) hubs.add(i);
  const ranker = opts.ranker ?? (input.units.length > 600 ? "longest-path" : "network-simplex");
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: "TB", nodesep: 18, ranksep: 36, edgesep: 8, marginx: 20, marginy: 20, ranker });
  g.setDefaultEdgeLabel(() => ({}));
  input.units.forEach((u, i) => {
    if (hubs.has(i)) return;
    const [width, height] = unitSize(u);
    g.setNode(String(i), { width, height });
  });
  for (const [a, b, mult] of input.edges) {
    if (hubs.has(a) || hubs.has(b)) continue;
    g.setEdge(String(a), String(b), { weight: Math.min(mult, 8), minlen: 1 });
  }
  dagre.layout(g);
  const boxes = new Float64Array(input.units.length * 4);
  input.units.forEach((_, i) => {
    if (hubs.has(i)) return;
    const n = g.node(String(i)) as { x: number; y: number; width: number; height: number };
    boxes.set([n.x, n.y, n.width, n.height], i * 4);
  });
  const gl = g.graph() as { width?: number; height?: number };
  let width = gl.width ?? 0;
  let height = gl.height ?? 0;
  // hubs: a column to the right, each at the mean height of its laid-out neighbours
  const hubList = [...hubs];
  if (hubList.length > 0) {
    const sumY = new Map<number, [number, number]>();
    for (const [a, b] of input.edges) {
      for (const [h, o] of [
        [a, b],
        [b, a],
      ] as const) {
        if (!hubs.has(h) || hubs.has(o)) continue;
        const acc = sumY.get(h) ?? [0, 0];
        acc[0] += boxes[o * 4 + 1] ?? 0;
        acc[1]++;
        sumY.set(h, acc);
      }
    }
    const x0 = width + 60;
    let colW = 0;
    let lastBottom = 0;
    const ordered = hubList.map((h) => {
      const acc = sumY.get(h);
      return [h, acc && acc[1] > 0 ? acc[0] / acc[1] : 0] as const;
    });
    ordered.sort((p, q) => p[1] - q[1]);
    for (const [h, y] of ordered) {
      const u = input.units[h];
      if (!u) continue;
      const [w, hh] = unitSize(u);
      const cy = Math.max(y, lastBottom + 12 + hh / 2);
      boxes.set([x0 + w / 2, cy, w, hh], h * 4);
      lastBottom = cy + hh / 2;
      colW = Math.max(colW, w);
    }
    width = x0 + colW + 20;
    height = Math.max(height, lastBottom + 20);
  }
  const paths0 = input.edges.map(([a, b]) => {
    if (hubs.has(a) || hubs.has(b)) {
      // drawn straight, on demand
      return [boxes[a * 4] ?? 0, boxes[a * 4 + 1] ?? 0, boxes[b * 4] ?? 0, boxes[b * 4 + 1] ?? 0];
    }
    const e = g.edge(String(a), String(b)) as { points?: { x: number; y: number }[] } | undefined;
    return (e?.points ?? []).flatMap((p) => [p.x, p.y]);
  });
  const pinned = pinRows(input, boxes, paths0, hubs, height);
  for (let i = 0; i < input.units.length; i++) width = Math.max(width, (boxes[i * 4] ?? 0) + (boxes[i * 4 + 2] ?? 0) / 2 + 20);
  return { boxes, paths: pinned.paths, hubs: hubList, width, height: pinned.height, ms: Date.now() - t0, ranker };
}

const ROW_GAP = 36;

/** Places units in a row at `y` (centre), keeping their x order and at least `gap` apart. */
function row(units: readonly number[], boxes: Float64Array, y: number, gap: number): void {
  const order = [...units].sort((a, b) => (boxes[a * 4] ?? 0) - (boxes[b * 4] ?? 0));
  let right = -Infinity;
  for (const u of order) {
    const w = boxes[u * 4 + 2] ?? 0;
    const x = Math.max(boxes[u * 4] ?? 0, right + gap + w / 2);
    boxes[u * 4] = x;
    boxes[u * 4 + 1] = y;
    right = x + w / 2;
  }
}

/**
 * Signature inputs go to a row above everything, outputs to a row below (dagre ranks a source just
 * above its first consumer); the edges touching them start / end at the new place.
 */
function pinRows(
  input: LayoutInput,
  boxes: Float64Array,
  paths: number[][],
  hubs: ReadonlySet<number>,
  height: number,
): { paths: number[][]; height: number } {
  const ins: number[] = [];
  const outs: number[] = [];
  input.units.forEach((u, i) => {
    if (hubs.has(i)) return;
    if (u.pin === "input") ins.push(i);
    else if (u.pin === "output") outs.push(i);
  });
  if (ins.length + outs.length === 0 || ins.length + outs.length === input.units.length) return { paths, height };
  const pinnedSet = new Set([...ins, ...outs]);
  let top = Infinity;
  let bottom = -Infinity;
  input.units.forEach((_, i) => {
    if (pinnedSet.has(i)) return;
    top = Math.min(top, (boxes[i * 4 + 1] ?? 0) - (boxes[i * 4 + 3] ?? 0) / 2);
    bottom = Math.max(bottom, (boxes[i * 4 + 1] ?? 0) + (boxes[i * 4 + 3] ?? 0) / 2);
  });
  if (!Number.isFinite(top)) return { paths, height };
  const shift = ins.length > 0 ? NODE_H + ROW_GAP + 20 - top : 0;
  if (shift !== 0) {
    for (let i = 0; i < input.units.length; i++) if (!pinnedSet.has(i)) boxes[i * 4 + 1] = (boxes[i * 4 + 1] ?? 0) + shift;
    paths = paths.map((p) => p.map((v, k) => (k % 2 === 1 ? v + shift : v)));
  }
  row(ins, boxes, 20 + NODE_H / 2, 18);
  row(outs, boxes, bottom + shift + ROW_GAP + NODE_H / 2, 18);
  const out = input.edges.map(([a, b], i) => {
    const p = paths[i] ?? [];
    if (p.length < 4) return p;
    const q = [...p];
    if (pinnedSet.has(a)) q.splice(0, 2, boxes[a * 4] ?? 0, (boxes[a * 4 + 1] ?? 0) + (boxes[a * 4 + 3] ?? 0) / 2);
    if (pinnedSet.has(b)) q.splice(q.length - 2, 2, boxes[b * 4] ?? 0, (boxes[b * 4 + 1] ?? 0) - (boxes[b * 4 + 3] ?? 0) / 2);
    return q;
  });
  return { paths: out, height: Math.max(height + shift, bottom + shift + (outs.length > 0 ? ROW_GAP + NODE_H : 0) + 20) };
}
