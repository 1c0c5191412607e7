/**
 * Keyboard moves and search paths over a laid-out collapsed graph. DOM-free (unit-tested in Node).
 */
import type { Collapsed } from "./collapse.js";
import type { LayoutResult } from "./layout.js";

export type Move = "up" | "down" | "left" | "right";

const cx = (l: LayoutResult, u: number) => l.boxes[u * 4] ?? 0;
const cy = (l: LayoutResult, u: number) => l.boxes[u * 4 + 1] ?? 0;

/**
 * The unit a key moves to from `from`: up/down follow the edges (to the producer / consumer nearest
 * in x), left/right go to the nearest unit of the same row. -1: nowhere to go.
 */
export function moveAlong(c: Collapsed, l: LayoutResult, from: number, move: Move): number {
  const cands: number[] = [];
  if (move === "up" || move === "down") {
    for (const [a, b] of c.edges) {
      if (move === "up" && b === from) cands.push(a);
      if (move === "down" && a === from) cands.push(b);
    }
  } else {
    const y = cy(l, from);
    const x = cx(l, from);
    c.units.forEach((_, u) => {
      if (u === from || Math.abs(cy(l, u) - y) > 4) return;
      if (move === "left" ? cx(l, u) < x : cx(l, u) > x) cands.push(u);
    });
  }
  let best = -1;
  let bestD = Infinity;
  for (const u of cands) {
    const d = Math.abs(cx(l, u) - cx(l, from)) + (move === "left" || move === "right" ? 0 : Math.abs(cy(l, u) - cy(l, from)) * 0.01);
    if (d < bestD) {
      bestD = d;
      best = u;
    }
  }
  return best;
}

/**
 * Unit edges (indices into `c.edges`) of a shortest path over data edges to `target` from the
 * signature's inputs (the pinned units), or from any unit with no producers when nothing is pinned.
 */
export function pathFromInputs(c: Collapsed, target: number): number[] {
  const pinned = c.units.some((u) => u.pin === "input");
  const inEdges = new Map<number, number[]>();
  c.edges.forEach(([a, b, , control], i) => {
    if (control || a === b) return;
    let l = inEdges.get(b);
    if (!l) inEdges.set(b, (l = []));
    l.push(i);
    void a;
  });
  // breadth-first backwards; the first unit reached with no producers ends the path
  const via = new Map<number, number>([[target, -1]]);
  const queue = [target];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    const ins = inEdges.get(u) ?? [];
    if (u !== target && (pinned ? c.units[u]?.pin === "input" : ins.length === 0)) {
      const path: number[] = [];
      for (let v = u; v !== target;) {
        const e = via.get(v)!;
        path.push(e);
        v = c.edges[e]![1];
      }
      return path;
    }
    for (const e of ins) {
      const a = c.edges[e]![0];
      if (via.has(a)) continue;
      via.set(a, e);
      queue.push(a);
    }
  }
  return [];
}
