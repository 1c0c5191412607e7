/**
 * Prepare-time fusion for the embedded engine: Conv2D / DepthwiseConv2dNative / MatMul followed by a
 * bias (BiasAdd or Add of a constant vector), an inference FusedBatchNorm (folded into the filter
 * and bias) and a Relu / Relu6 become one tfjs fused kernel. Only constant weights are folded
 * (Const, or variables when the plan never assigns a variable), so results are unchanged up to
 * float rounding.
 */
import * as tf from "@tensorflow/tfjs-core";
import { aBool, aFloat, aInts, aStr } from "./attrs.js";
import { refKey, type PlanGraph, type PlanNode, type TensorRef } from "../plan.js";

export interface FusedPlanNode extends PlanNode {
  readonly fused: FusedWeights;
  /** The model's node the fused node stands for (error messages name it, not the fused op). */
  readonly source: { readonly name: string; readonly op: string; readonly inputs: readonly TensorRef[] };
}

export interface FusedWeights {
  readonly filter: tf.Tensor;
  readonly bias: tf.Tensor | undefined;
  readonly activation: "linear" | "relu" | "relu6";
  /** Explicit [[0,0],[top,bottom],[left,right],[0,0]] when a zero Pad was folded into a VALID conv. */
  readonly pad?: [[number, number], [number, number], [number, number], [number, number]];
  /** The conv's data input (the Pad's input when one was folded). */
  readonly input: TensorRef;
}

const BASES = new Set(["Conv2D", "DepthwiseConv2dNative", "MatMul"]);
const BN = new Set(["FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"]);

export const FUSED_OPS: Readonly<Record<string, string>> = {
  Conv2D: "_SmsFusedConv2D",
  DepthwiseConv2dNative: "_SmsFusedDepthwiseConv2D",
  MatMul: "_SmsFusedMatMul",
};

/**
 * Returns the rewritten graph and the folded weights by fused node name (tensors the caller keeps
 * and disposes). `constant` gives the value of a constant tensor ref, or undefined.
 */
export function fuseGraph(
  graph: PlanGraph,
  wanted: readonly TensorRef[],
  constant: (r: TensorRef) => tf.Tensor | undefined,
): { graph: PlanGraph; weights: Map<string, FusedWeights> } {
  const weights = new Map<string, FusedWeights>();
  const uses = new Map<string, number>();
  const consumers = new Map<string, PlanNode[]>();
  const controlled = new Set<string>();
  const nodeUseCount = new Map<string, number>();
  const use = (r: TensorRef) => {
    const k = refKey(r);
    uses.set(k, (uses.get(k) ?? 0) + 1);
    nodeUseCount.set(r.node, (nodeUseCount.get(r.node) ?? 0) + 1);
  };
  for (const n of graph.nodes) {
    for (const r of n.inputs) {
      use(r);
      const list = consumers.get(r.node) ?? [];
      list.push(n);
      consumers.set(r.node, list);
    }
    for (const c of n.control) controlled.add(c);
  }
  for (const r of wanted) use(r);
  const nodeUses = (n: PlanNode) => nodeUseCount.get(n.name) ?? 0;
  /** The single consumer of `n:0`, when n's outputs have exactly that one use and nothing waits on n. */
  const sole = (n: PlanNode): PlanNode | undefined => {
    if (controlled.has(n.name) || (uses.get(`${n.name}:0`) ?? 0) !== 1 || nodeUses(n) !== 1) return undefined;
    const c = consumers.get(n.name);
    return c && c.length === 1 ? c[0] : undefined;
  };
  const replaced = new Map<string, PlanNode>();
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const removed = new Set<string>();
  for (const base of graph.nodes) {
    if (!BASES.has(base.op) || removed.has(base.name)) continue;
    if (aStr(base, "data_format", "NHWC") !== "NHWC" || base.inputs.length !== 2) continue;
    const filter0 = constant(base.inputs[1]!);
    if (!filter0 || filter0.dtype !== "float32") continue;
    const chain: PlanNode[] = [base];
    let bias: tf.Tensor | undefined;
    let bn: { scale: tf.Tensor; offset: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor; eps: number } | undefined;
    let activation: FusedWeights["activation"] = "linear";
    let cur = base;
    let next = sole(cur);
    const outChannels = filter0.shape[filter0.rank - 1]! * (base.op === "DepthwiseConv2dNative" ? filter0.shape[2]! : 1);
    const channels =
      base.op === "DepthwiseConv2dNative"
        ? outChannels
        : base.op === "MatMul" && aBool(base, "transpose_b")
          ? filter0.shape[0]!
          : filter0.shape[filter0.rank - 1]!;
    const isVector = (t: tf.Tensor | undefined) => !!t && t.dtype === "float32" && t.rank === 1 && t.shape[0] === channels;
    if (
      next &&
      (next.op === "BiasAdd" || next.op === "Add" || next.op === "AddV2") &&
      next.inputs[0]?.node === cur.name &&
      next.inputs[0].index === 0
    ) {
      const b = constant(next.inputs[1]!);
      if (isVector(b)) {
        bias = b;
        chain.push(next);
        cur = next;
        next = sole(cur);
      }
    }
    if (next && BN.has(next.op) && base.op !== "MatMul" && !aBool(next, "is_training") && next.inputs[0]?.node === cur.name) {
      const [scale, offset, mean, variance] = [1, 2, 3, 4].map((k) => constant(next!.inputs[k]!));
      if ([scale, offset, mean, variance].every(isVector)) {
        bn = { scale: scale!, offset: offset!, mean: mean!, variance: variance!, eps: aFloat(next, "epsilon", 1e-4) };
        chain.push(next);
        cur = next;
        next = sole(cur);
      }
    }
    if (next && (next.op === "Relu" || next.op === "Relu6") && next.inputs[0]?.node === cur.name) {
      activation = next.op === "Relu" ? "relu" : "relu6";
      chain.push(next);
    }
    // A zero Pad feeding a VALID conv (Keras ZeroPadding2D) becomes the conv's explicit padding.
    let input = base.inputs[0]!;
    let pad: FusedWeights["pad"];
    const padNode = byName.get(input.node);
    const validPadding = aStr(base, "padding", "VALID") === "VALID";
    if (
      base.op === "Conv2D" &&
      validPadding &&
      padNode &&
      (padNode.op === "Pad" || padNode.op === "PadV2") &&
      input.index === 0 &&
      sole(padNode) === base
    ) {
      const p = constant(padNode.inputs[1]!);
      const value = padNode.op === "PadV2" ? constant(padNode.inputs[2]!) : undefined;
      const pv = p && p.size === 8 ? Array.from(p.dataSync()) : undefined;
      const zero = padNode.op === "Pad" || (value !== undefined && value.size === 1 && value.dataSync()[0] === 0);
      if (pv && zero && pv[0] === 0 && pv[1] === 0 && pv[6] === 0 && pv[7] === 0) {
        pad = [
          [0, 0],
          [pv[2]!, pv[3]!],
          [pv[4]!, pv[5]!],
          [0, 0],
        ];
        input = padNode.inputs[0]!;
        removed.add(padNode.name);
      }
    }
    if (chain.length === 1 && !pad) continue;
    const folded = tf.tidy(() => {
      let filter = filter0;
      let b: tf.Tensor | undefined = bias;
      if (bn) {
        const s = tf.div(bn.scale, tf.sqrt(tf.add(bn.variance, bn.eps)));
        if (base.op === "DepthwiseConv2dNative") filter = tf.mul(filter, tf.reshape(s, [filter.shape[2]!, filter.shape[3]!]));
        else filter = tf.mul(filter, s);
        b = tf.add(tf.mul(tf.sub(b ?? tf.zerosLike(bn.mean), bn.mean), s), bn.offset);
      }
      return {
        filter: tf.keep(filter === filter0 ? tf.clone(filter) : filter),
        bias: b ? tf.keep(b === bias ? tf.clone(b) : b) : undefined,
      };
    });
    const last = chain[chain.length - 1]!;
    for (const c of chain.slice(0, -1)) removed.add(c.name);
    const fused: FusedWeights = { filter: folded.filter, bias: folded.bias, activation, input, ...(pad ? { pad } : {}) };
    const node: FusedPlanNode = {
      name: last.name,
      op: FUSED_OPS[base.op]!,
      inputs: [input],
      control: [...new Set(chain.flatMap((c) => c.control))],
      attrs: base.attrs,
      origin: base.origin,
      fused,
      source: { name: base.name, op: base.op, inputs: base.inputs },
    };
    replaced.set(last.name, node);
    weights.set(last.name, fused);
  }
  const rewritten = graph.nodes.filter((n) => !removed.has(n.name)).map((n) => replaced.get(n.name) ?? n);
  return { graph: { nodes: dropDead(collapseIdentities(rewritten), wanted) }, weights };
}

/** Consumers of Identity nodes read the Identity's source directly (the Identity then goes unless wanted). */
function collapseIdentities(nodes: readonly PlanNode[]): PlanNode[] {
  const source = new Map<string, TensorRef>();
  for (const n of nodes) {
    if (n.op !== "Identity" || n.inputs.length !== 1) continue;
    const src = n.inputs[0]!;
    source.set(n.name, (src.index === 0 && source.get(src.node)) || src);
  }
  if (source.size === 0) return [...nodes];
  return nodes.map((n) => {
    if (!n.inputs.some((r) => r.index === 0 && source.has(r.node))) return n;
    return { ...n, inputs: n.inputs.map((r) => (r.index === 0 ? (source.get(r.node) ?? r) : r)) };
  });
}

/** Ops kept even when nothing reads them: effects on state, checks, control flow (bodies may have effects). */
const EFFECTS =
  /^(Assign|ResourceApply|ResourceScatter|Scatter|InitializeTable|LookupTableImport|LookupTableInsert|LookupTableRemove|Assert|If$|While$|Case$|StatelessIf$|StatelessWhile$|StatelessCase$)/;

/**
 * Removes nodes whose values nobody reads any more once weights were folded (reverse topological
 * sweep); nodes with effects stay, with everything whose values they read.
 */
export function dropDead(nodes: readonly PlanNode[], wanted: readonly TensorRef[]): PlanNode[] {
  const needed = new Set(wanted.map((r) => r.node));
  const keep: boolean[] = new Array<boolean>(nodes.length).fill(false);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (!EFFECTS.test(n.op) && !needed.has(n.name)) continue;
    keep[i] = true;
    // Control edges need no value: effect nodes are kept on their own, and removing nodes never
    // reorders the ones that stay, so "after" relations still hold.
    for (const r of n.inputs) needed.add(r.node);
  }
  return nodes.filter((_, i) => keep[i]);
}

export function stridesOf(n: PlanNode): [number, number] {
  const s = aInts(n, "strides");
  return [s[1] ?? 1, s[2] ?? 1];
}

export function dilationsOf(n: PlanNode): [number, number] {
  const d = aInts(n, "dilations");
  return [d[1] ?? 1, d[2] ?? 1];
}
