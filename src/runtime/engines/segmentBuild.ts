/**
 * Building fast-path segments from a plan (segments.ts runs them): which nodes a layer can take
 * (drafts: weights still host arrays), the connected regions of such nodes with one input and one
 * output, the folding of bias / batch norm / activation into the layer before them and of zero
 * padding into a VALID convolution, and the placement of the weights in the shared memory.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../core/errors.js";
import { refKey, type PlanGraph, type PlanNode, type TensorRef } from "../plan.js";
import type { SimdRuntime } from "../wasm/pool.js";
import { aBool, aFloat, aInts, aStr } from "./attrs.js";
import { dilationsOf, dropDead, stridesOf, type FusedPlanNode } from "./fuse.js";
import { ACT, type Epilogue, type Layer, type Padding, type Step } from "./segmentLayers.js";
import { SEGMENT_OP, Segment, type Original, type SegmentPlanNode } from "./segments.js";
import { packPanels, placeFloats } from "./simdMemory.js";

const HEAVY = new Set(["conv", "depthwise", "matmul"]);

/** Layer description of a node before any memory is allocated (weights as host arrays). */
type Draft =
  | {
      kind: "conv";
      kh: number;
      kw: number;
      ci: number;
      co: number;
      sh: number;
      sw: number;
      pad: Padding;
      filter: Float32Array;
      ep: DraftEpilogue;
    }
  | { kind: "depthwise"; kh: number; kw: number; c: number; sh: number; sw: number; pad: Padding; filter: Float32Array; ep: DraftEpilogue }
  | { kind: "matmul"; k: number; n: number; b: Float32Array; transposeB: boolean; ep: DraftEpilogue }
  | { kind: "pool"; max: boolean; kh: number; kw: number; sh: number; sw: number; pad: Padding }
  | { kind: "affine"; c: number; ep: DraftEpilogue }
  | { kind: "reshape"; shape: number[] }
  | { kind: "softmax" }
  | { kind: "add" }
  | { kind: "pad"; t: number; b: number; l: number; r: number }
  | { kind: "mean"; keepDims: boolean };

interface DraftEpilogue {
  bias?: Float32Array;
  act: number;
  scale?: Float32Array;
  shift?: Float32Array;
}

function paddingOf(n: PlanNode, explicit?: FusedPlanNode["fused"]["pad"]): Padding | null {
  if (explicit) return [explicit[1][0], explicit[1][1], explicit[2][0], explicit[2][1]];
  const p = aStr(n, "padding") || "VALID";
  return p === "SAME" || p === "VALID" ? p : null;
}

function nhwc(n: PlanNode): boolean {
  const f = aStr(n, "data_format");
  return f === "" || f === "NHWC";
}

function f32Of(t: tf.Tensor | undefined): Float32Array | undefined {
  return t && t.dtype === "float32" ? (t.dataSync() as Float32Array) : undefined;
}

/** The layer a node computes, or null when the fast path does not take it. */
function draftOf(n: PlanNode, consts: readonly (tf.Tensor | undefined)[]): Draft | null {
  const d = draftOfUnchecked(n, consts);
  // Window sizes and strides must be positive integers (a malformed model goes to the ordinary
  // kernels, which report it).
  if (d && "sh" in d && ![d.kh, d.kw, d.sh, d.sw].every((v) => Number.isInteger(v) && v >= 1)) return null;
  return d;
}

function draftOfUnchecked(n: PlanNode, consts: readonly (tf.Tensor | undefined)[]): Draft | null {
  const fused = (n as Partial<FusedPlanNode>).fused;
  const act = fused ? ACT[fused.activation] : 0;
  const ep: DraftEpilogue = { act, ...(fused?.bias ? { bias: f32Of(fused.bias)! } : {}) };
  switch (n.op) {
    case "Conv2D":
    case "_SmsFusedConv2D": {
      const filterT = fused ? fused.filter : consts[0];
      const filter = f32Of(filterT);
      if (!filter || !filterT || filterT.rank !== 4 || !nhwc(n) || dilationsOf(n).some((d) => d !== 1)) return null;
      const pad = paddingOf(n, fused?.pad);
      if (!pad) return null;
      const [kh, kw, ci, co] = filterT.shape as [number, number, number, number];
      const [sh, sw] = stridesOf(n);
      return { kind: "conv", kh, kw, ci, co, sh, sw, pad, filter, ep };
    }
    case "DepthwiseConv2dNative":
    case "_SmsFusedDepthwiseConv2D": {
      const filterT = fused ? fused.filter : consts[0];
      const filter = f32Of(filterT);
      if (!filter || !filterT || filterT.rank !== 4 || filterT.shape[3] !== 1 || !nhwc(n) || dilationsOf(n).some((d) => d !== 1))
        return null;
      const pad = paddingOf(n);
      if (!pad) return null;
      const [kh, kw, c] = filterT.shape as [number, number, number];
      const [sh, sw] = stridesOf(n);
      return { kind: "depthwise", kh, kw, c, sh, sw, pad, filter, ep };
    }
    case "MatMul":
    case "_SmsFusedMatMul": {
      const bT = fused ? fused.filter : consts[0];
      const b = f32Of(bT);
      if (!b || !bT || bT.rank !== 2 || aBool(n, "transpose_a")) return null;
      const transposeB = aBool(n, "transpose_b");
      const [r, c] = bT.shape as [number, number];
      return { kind: "matmul", k: transposeB ? c : r, n: transposeB ? r : c, b, transposeB, ep };
    }
    case "FusedBatchNorm":
    case "FusedBatchNormV2":
    case "FusedBatchNormV3": {
      // Inference only (the OpDef default is training mode, as the kernel reads it).
      if (aBool(n, "is_training", true) || !nhwc(n)) return null;
      const [scale, offset, mean, variance] = consts.slice(0, 4).map(f32Of);
      if (!scale || !offset || !mean || !variance) return null;
      const c = scale.length;
      if ([offset, mean, variance].some((v) => v.length !== c)) return null;
      const eps = aFloat(n, "epsilon", 1e-4);
      const s = new Float32Array(c);
      const t = new Float32Array(c);
      for (let i = 0; i < c; i++) {
        s[i] = scale[i]! / Math.sqrt(variance[i]! + eps);
        t[i] = offset[i]! - mean[i]! * s[i]!;
      }
      return { kind: "affine", c, ep: { act: 0, scale: s, shift: t } };
    }
    case "BiasAdd":
    case "Add":
    case "AddV2": {
      // x + a constant per-channel vector (the data input first, as the chain links it).
      const v = consts[0];
      const bias = v && v.rank === 1 ? f32Of(v) : undefined;
      if (!bias || (n.op === "BiasAdd" && !nhwc(n))) return null;
      return { kind: "affine", c: bias.length, ep: { act: 0, bias } };
    }
    case "Relu":
    case "Relu6":
      return { kind: "affine", c: -1, ep: { act: n.op === "Relu" ? 1 : 2 } };
    case "MaxPool":
    case "AvgPool": {
      const k = aInts(n, "ksize");
      const s = aInts(n, "strides");
      const pad = paddingOf(n);
      if (!pad || !nhwc(n) || k.length !== 4 || s.length !== 4 || k[0] !== 1 || k[3] !== 1 || s[0] !== 1 || s[3] !== 1) return null;
      return { kind: "pool", max: n.op === "MaxPool", kh: k[1]!, kw: k[2]!, sh: s[1]!, sw: s[2]!, pad };
    }
    case "Reshape": {
      const t = consts[0];
      if (!t || (t.dtype !== "int32" && t.dtype !== "float32") || t.rank !== 1) return null;
      const shape = Array.from(t.dataSync());
      if (shape.filter((d) => d === -1).length > 1 || shape.some((d) => d < -1 || !Number.isInteger(d))) return null;
      return { kind: "reshape", shape };
    }
    case "Identity":
      return { kind: "reshape", shape: [] };
    case "Pad":
    case "PadV2": {
      // Zero padding of the spatial axes of an NHWC tensor.
      const p = consts[0];
      const value = n.op === "PadV2" ? consts[1] : undefined;
      if (!p || p.size !== 8 || (value && (value.size !== 1 || value.dataSync()[0] !== 0))) return null;
      const v = Array.from(p.dataSync());
      if (v[0] !== 0 || v[1] !== 0 || v[6] !== 0 || v[7] !== 0 || v.some((x) => x < 0 || !Number.isInteger(x))) return null;
      return { kind: "pad", t: v[2]!, b: v[3]!, l: v[4]!, r: v[5]! };
    }
    case "Mean": {
      // A global average over height and width (Keras GlobalAveragePooling2D).
      const axes = consts[0] ? Array.from(consts[0].dataSync()).sort() : [];
      if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) return null;
      return { kind: "mean", keepDims: aBool(n, "keep_dims") };
    }
    case "Softmax":
      return { kind: "softmax" };
    default:
      return null;
  }
}

/** The channel count a following per-channel layer must match, when a layer fixes it. */
function channelsOut(d: Draft): number | undefined {
  if (d.kind === "conv") return d.co;
  if (d.kind === "depthwise") return d.c;
  if (d.kind === "matmul") return d.n;
  if (d.kind === "affine" && d.c > 0) return d.c;
  return undefined;
}

/** Merges `next` (an affine: BN or activation) into `prev`'s epilogue when the order allows it. */
function mergeEpilogue(prev: Draft, next: Draft): boolean {
  if (next.kind !== "affine" || !("ep" in prev)) return false;
  const c = channelsOut(prev);
  if (next.c > 0 && c !== undefined && next.c !== c) return false;
  const p = prev.ep;
  const q = next.ep;
  if (q.bias) {
    // A bias: added to the accumulator before the activation, so only onto a plain epilogue.
    if (p.act !== 0 || p.scale || c === undefined) return false;
    const sum = new Float32Array(q.bias);
    if (p.bias) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + p.bias[i]!;
    p.bias = sum;
    return true;
  }
  if (q.scale) {
    // A post affine (after the activation): one per layer, on a layer with a known channel count.
    if (p.scale || q.act || c === undefined) return false;
    p.scale = q.scale;
    p.shift = q.shift!;
    return true;
  }
  // an activation: only onto an epilogue with none and no post affine.
  if (p.act !== 0 || p.scale) return false;
  p.act = q.act;
  return true;
}

/**
 * Rewrites `graph`, replacing regions of fast-path nodes with segment nodes. A region is a
 * connected set of fast-path nodes (a chain, or blocks with residual adds) with one input tensor
 * from outside and one node whose value leaves it, its last; a connected set that does not have
 * that shape is cut into plain chains. `constant` gives a constant input's value (or undefined).
 * Returns the rewritten graph and the segments (the caller disposes them with the model).
 */
export function segmentGraph(
  graph: PlanGraph,
  wanted: readonly TensorRef[],
  constant: (r: TensorRef) => tf.Tensor | undefined,
  rt: SimdRuntime,
): { graph: PlanGraph; segments: Segment[] } {
  const controlled = new Set<string>();
  for (const n of graph.nodes) for (const c of n.control) controlled.add(c);
  const wantedNodes = new Set(wanted.map((r) => r.node));
  // Nodes whose outputs other than :0 are read (a batch norm's statistics) stay outside segments.
  const sideOutputs = new Set<string>();
  for (const n of graph.nodes) for (const r of n.inputs) if (r.index !== 0) sideOutputs.add(r.node);
  for (const r of wanted) if (r.index !== 0) sideOutputs.add(r.node);

  const links = new Map<string, Link>();
  for (const n of graph.nodes) {
    const link = linkOf(n, constant);
    if (link && !sideOutputs.has(n.name)) links.set(n.name, link);
  }
  // Connected sets: a link joins the links its data inputs come from.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const name of links.keys()) parent.set(name, name);
  for (const link of links.values()) {
    for (const r of link.data) if (r.index === 0 && links.has(r.node)) parent.set(find(link.node.name), find(r.node));
  }
  const groups = new Map<string, Link[]>();
  for (const n of graph.nodes) {
    const link = links.get(n.name);
    if (!link) continue;
    const root = find(n.name);
    const g = groups.get(root);
    if (g) g.push(link);
    else groups.set(root, [link]);
  }
  // Who reads each node, for the region checks.
  const readers = new Map<string, Set<string>>();
  for (const n of graph.nodes) {
    for (const r of n.inputs) {
      const set = readers.get(r.node) ?? new Set<string>();
      set.add(n.name);
      readers.set(r.node, set);
    }
  }
  const useCount = new Map<string, number>();
  for (const n of graph.nodes) for (const r of n.inputs) useCount.set(r.node, (useCount.get(r.node) ?? 0) + 1);
  /** The node's value is read exactly once, by a node, and nothing waits on it. */
  const soleUse = (name: string) => !controlled.has(name) && !wantedNodes.has(name) && useCount.get(name) === 1;
  const leaves = (name: string, inside: ReadonlySet<string>) =>
    wantedNodes.has(name) || controlled.has(name) || [...(readers.get(name) ?? [])].some((m) => !inside.has(m));

  const regions: Link[][] = [];
  for (const group of groups.values()) {
    const inside = new Set(group.map((l) => l.node.name));
    const external = new Set(group.flatMap((l) => l.data.filter((r) => !inside.has(r.node) || r.index !== 0).map((r) => refKey(r))));
    const exits = group.filter((l) => leaves(l.node.name, inside));
    if (external.size === 1 && exits.length === 1 && exits[0] === group[group.length - 1]) regions.push(group);
    else regions.push(...linearChains(group, soleUse));
  }

  const segments: Segment[] = [];
  const replaced = new Map<string, SegmentPlanNode>();
  const removed = new Set<string>();
  for (const region0 of regions) {
    const region = trimPlumbing(region0);
    if (!region.some((l) => HEAVY.has(l.draft.kind))) continue;
    const built = buildSteps(region);
    if (!built) continue;
    const { layers, blocks } = place(rt, built.drafts);
    const steps: Step[] = layers.map((layer, i) => ({ layer, inputs: built.inputs[i]! }));
    const segment = new Segment(rt, originalsOf(region), steps, blocks);
    segments.push(segment);
    const lastLink = region[region.length - 1]!;
    for (const l of region.slice(0, -1)) removed.add(l.node.name);
    replaced.set(lastLink.node.name, {
      name: lastLink.node.name,
      op: SEGMENT_OP,
      inputs: [externalInput(region)],
      control: [...new Set(region.flatMap((l) => l.node.control))],
      attrs: {},
      origin: region[0]!.node.origin,
      segment,
    });
  }
  if (segments.length === 0) return { graph, segments };
  const nodes = graph.nodes.filter((n) => !removed.has(n.name)).map((n) => replaced.get(n.name) ?? n);
  // The constants the replaced nodes read are not needed at run time any more.
  return { graph: { ...graph, nodes: dropDead(nodes, wanted) }, segments };
}

/** A fast-path node: its data inputs (refs) and its layer. */
interface Link {
  readonly node: PlanNode;
  /** Per input: the constant value, or undefined for a data input. */
  readonly consts: readonly (tf.Tensor | undefined)[];
  readonly data: readonly TensorRef[];
  readonly draft: Draft;
}

function linkOf(n: PlanNode, constant: (r: TensorRef) => tf.Tensor | undefined): Link | null {
  if (n.inputs.length === 0) return null;
  const consts = n.inputs.map((r, i) => (i === 0 ? undefined : constant(r)));
  if ((n.op === "Add" || n.op === "AddV2") && n.inputs.length === 2 && consts[1] === undefined && constant(n.inputs[0]!) === undefined) {
    // The sum of two computed tensors of one shape (a residual connection).
    return { node: n, consts, data: [n.inputs[0]!, n.inputs[1]!], draft: { kind: "add" } };
  }
  if (consts.slice(1).some((c) => c === undefined)) return null;
  const draft = draftOf(n, consts.slice(1));
  return draft ? { node: n, consts, data: [n.inputs[0]!], draft } : null;
}

/** Plain chains within a group whose shape a single segment cannot take. */
function linearChains(group: readonly Link[], soleUse: (name: string) => boolean): Link[][] {
  const chains: Link[][] = [];
  const open = new Map<string, Link[]>(); // chain by the name of its last node
  for (const link of group) {
    if (link.data.length !== 1) continue;
    const src = link.data[0]!;
    const prev = src.index === 0 ? open.get(src.node) : undefined;
    if (prev && soleUse(src.node)) {
      open.delete(src.node);
      prev.push(link);
      open.set(link.node.name, prev);
    } else {
      const chain = [link];
      chains.push(chain);
      open.set(link.node.name, chain);
    }
  }
  return chains;
}

/** Drops reshapes / identities at either end of a linear region (they cost a copy, do nothing). */
function trimPlumbing(region: readonly Link[]): Link[] {
  const out = [...region];
  const linear = out.every((l) => l.data.length === 1);
  if (!linear) return out;
  while (out.length > 0 && out[0]!.draft.kind === "reshape") out.shift();
  while (out.length > 0 && out[out.length - 1]!.draft.kind === "reshape") out.pop();
  return out;
}

/** The one tensor a region reads from outside. */
function externalInput(region: readonly Link[]): TensorRef {
  const inside = new Set(region.map((l) => l.node.name));
  for (const l of region) for (const r of l.data) if (!inside.has(r.node) || r.index !== 0) return r;
  throw new StudioError("ENGINE", "a fast-path region without an input");
}

function originalsOf(region: readonly Link[]): Original[] {
  const index = new Map(region.map((l, k) => [l.node.name, k + 1]));
  return region.map((l) => ({
    node: l.node,
    args: l.node.inputs.map((r, i) => {
      const c = l.consts[i];
      if (c) return { constant: c };
      return { value: r.index === 0 ? (index.get(r.node) ?? 0) : 0 };
    }),
  }));
}

/**
 * Drafts in order with their input values (0 = the region's input, i + 1 = draft i): bias, batch
 * norm and activation nodes fold into the layer before them when nothing else reads that layer;
 * a zero Pad read only by a VALID convolution becomes its explicit padding; identities vanish.
 */
function buildSteps(region: readonly Link[]): { drafts: Draft[]; inputs: number[][] } | null {
  const readers = new Map<string, number>();
  for (const l of region) for (const r of l.data) readers.set(r.node, (readers.get(r.node) ?? 0) + 1);
  const inside = new Set(region.map((l) => l.node.name));
  const drafts: Draft[] = [];
  const inputs: number[][] = [];
  const valueOf = new Map<string, number>();
  const dead = new Set<number>();
  const val = (r: TensorRef) => (inside.has(r.node) && r.index === 0 ? valueOf.get(r.node)! : 0);
  for (const l of region) {
    const d = cloneDraft(l.draft);
    const ins = l.data.map(val);
    if (d.kind === "reshape" && d.shape.length === 0) {
      valueOf.set(l.node.name, ins[0]!); // Identity
      continue;
    }
    const src = ins[0]!;
    const prev = src > 0 ? drafts[src - 1] : undefined;
    const single = l.data.length === 1 && (readers.get(l.data[0]!.node) ?? 0) === 1 && inside.has(l.data[0]!.node);
    if (d.kind === "affine" && prev && single && !dead.has(src - 1) && mergeEpilogue(prev, d)) {
      valueOf.set(l.node.name, src);
      continue;
    }
    if ((d.kind === "conv" || d.kind === "depthwise") && d.pad === "VALID" && prev?.kind === "pad" && single) {
      d.pad = [prev.t, prev.b, prev.l, prev.r];
      dead.add(src - 1);
      ins[0] = inputs[src - 1]![0]!;
    }
    drafts.push(d);
    inputs.push(ins);
    valueOf.set(l.node.name, drafts.length);
  }
  if (drafts.length === 0) return null;
  // Renumber without the folded pads.
  if (dead.size === 0) return { drafts, inputs };
  const renum = new Map<number, number>([[0, 0]]);
  const outD: Draft[] = [];
  const outI: number[][] = [];
  drafts.forEach((d, i) => {
    if (dead.has(i)) return;
    outD.push(d);
    outI.push(inputs[i]!.map((v) => renum.get(v)!));
    renum.set(i + 1, outD.length);
  });
  return { drafts: outD, inputs: outI };
}

function cloneDraft(d: Draft): Draft {
  return "ep" in d ? ({ ...d, ep: { ...d.ep } } as Draft) : { ...d };
}

/** Copies weights into the shared memory (B packed in 8-column panels) and returns the layers. */
function place(rt: SimdRuntime, drafts: readonly Draft[]): { layers: Layer[]; blocks: [number, number][] } {
  const blocks: [number, number][] = [];
  const put = (values: Float32Array, padTo: number): number => placeFloats(rt, values, blocks, padTo);
  const vec = (v: Float32Array | undefined, n: number) => (v ? put(v, Math.ceil(n / 8) * 8) : 0);
  const epilogue = (ep: DraftEpilogue, n: number): Epilogue => ({
    bias: vec(ep.bias, n),
    act: ep.act,
    scale: vec(ep.scale, n),
    shift: ep.scale ? vec(ep.shift ?? new Float32Array(n), n) : 0,
  });
  /** [K x N] (or [N x K] when transposed) -> panels of 8 columns. */
  const pack = (b: Float32Array, k: number, n: number, transposed: boolean): number => packPanels(rt, b, k, n, transposed, blocks);
  const placed: Layer[] = drafts.map((d): Layer => {
    switch (d.kind) {
      case "conv":
        return {
          ...pick(d, ["kh", "kw", "ci", "co", "sh", "sw", "pad"]),
          kind: "conv",
          packed: pack(d.filter, d.kh * d.kw * d.ci, d.co, false),
          ...epilogue(d.ep, d.co),
        };
      case "depthwise":
        return { ...pick(d, ["kh", "kw", "c", "sh", "sw", "pad"]), kind: "depthwise", filter: put(d.filter, 0), ...epilogue(d.ep, d.c) };
      case "matmul":
        return { kind: "matmul", k: d.k, n: d.n, packed: pack(d.b, d.k, d.n, d.transposeB), ...epilogue(d.ep, d.n) };
      case "affine": {
        // The affine kernel has no bias slot: a lone bias is a post affine with scale 1.
        const ep = d.ep.bias ? { act: d.ep.act, scale: new Float32Array(d.c).fill(1), shift: d.ep.bias } : d.ep;
        return { kind: "affine", c: d.c, ...epilogue(ep, Math.max(d.c, 1)) };
      }
      default:
        return d;
    }
  });
  return { layers: placed, blocks };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}
