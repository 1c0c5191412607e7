/**
 * A run's overlay on the graph view (after Run with Trace): each traced node shows the shape that
 * actually flowed out of it and the time it took; edges leaving it carry that shape. Pure.
 */
import type { GraphView } from "../protocol/editor.js";

export interface RunOverlay {
  readonly signature: string;
  /** When the run finished (ms since the epoch). */
  readonly at: number;
  /** Node name (as the plan and the graph view name it) → first output and total time over its executions. */
  readonly nodes: ReadonlyMap<string, { readonly tensor: string; readonly ms: number }>;
}

/** One row of a recorded run (debug/traceTable.ts TraceRow, the fields used here). */
export interface TracedNode {
  readonly node: string;
  readonly outputs: string;
  readonly ms: number | null;
}

/** The overlay of a recorded run; a node run several times (loop bodies) sums its time. */
export function overlayOf(signature: string, rows: readonly TracedNode[], at: number): RunOverlay {
  const nodes = new Map<string, { tensor: string; ms: number }>();
  for (const r of rows) {
    // "float32[2, 26, 26, 32] int32[]" → the first output in the graph's notation, "float32[2,26,26,32]"
    const first = (r.outputs.split(/ (?=[a-z])/)[0] ?? "").replace(/\s+/g, "");
    const prev = nodes.get(r.node);
    nodes.set(r.node, { tensor: first, ms: (prev?.ms ?? 0) + (r.ms ?? 0) });
  }
  return { signature, at, nodes };
}

/** Element count of "float32[2,26,26,32]"; -1 when a dimension is unknown. */
function elements(tensor: string): number {
  const m = /\[([^\]]*)\]/.exec(tensor);
  if (!m) return -1;
  if (m[1] === "") return 1;
  const dims = m[1]!.split(",").map(Number);
  return dims.every((d) => Number.isInteger(d) && d >= 0) ? dims.reduce((a, b) => a * b, 1) : -1;
}

/** `view` with the run's shapes and times on its nodes and on the edges leaving them. */
export function applyOverlay(view: GraphView, o: RunOverlay): GraphView {
  const nodes = view.nodes.map((n) => {
    const r = o.nodes.get(n.name);
    return r ? { ...n, tensor: r.tensor, ranMs: r.ms } : n;
  });
  const edgeTensors = view.edges.map(([from], i) => {
    const r = o.nodes.get(view.nodes[from]?.name ?? "");
    return r && r.tensor !== "resource" ? ([r.tensor, elements(r.tensor)] as const) : (view.edgeTensors?.[i] ?? (["", -1] as const));
  });
  const traced = nodes.filter((n) => n.ranMs !== undefined).length;
  const when = new Date(o.at).toLocaleTimeString(undefined, { hour12: false });
  return { ...view, nodes, edgeTensors, runNote: `shapes and times from the run at ${when} (${traced} of ${nodes.length} nodes traced)` };
}
