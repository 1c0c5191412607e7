/**
 * A synthetic scoped graph for the graph view's scale tests and benchmark (issue 18). PURE.
 * `blocks × layers × ops` nodes named `block_b/layer_l/op_k`, one input and one output; every layer
 * is a short chain and every block also feeds a side branch into the next block, so levels have
 * real edges (not only a line).
 */
import type { GraphNodeView, GraphView } from "../protocol/editor.js";

export function syntheticScopedGraph(blocks: number, layers: number, ops: number): GraphView {
  const nodes: GraphNodeView[] = [{ name: "input", op: "Placeholder", role: "input", call: null, device: "", tensor: "float32[?,128]" }];
  const edges: [number, number, number][] = [];
  let prev = 0;
  let blockIn = 0;
  for (let b = 0; b < blocks; b++) {
    for (let l = 0; l < layers; l++) {
      for (let k = 0; k < ops; k++) {
        nodes.push({ name: `block_${b}/layer_${l}/op_${k}`, op: k % 2 ? "Relu" : "MatMul", role: "op", call: null, device: "" });
        edges.push([prev, nodes.length - 1, 0]);
        prev = nodes.length - 1;
      }
    }
    // residual: the block's input joins its output
    nodes.push({ name: `block_${b}/add`, op: "AddV2", role: "op", call: null, device: "" });
    edges.push([prev, nodes.length - 1, 0], [blockIn, nodes.length - 1, 0]);
    prev = blockIn = nodes.length - 1;
  }
  nodes.push({ name: "output", op: "Identity", role: "output", call: null, device: "" });
  edges.push([prev, nodes.length - 1, 0]);
  return { metaGraph: 0, target: { kind: "graph" }, title: "synthetic", nodes, edges, expanded: [], totalNodes: nodes.length, note: null };
}
