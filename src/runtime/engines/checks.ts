/**
 * Shape checks that run before a kernel, so a node TensorFlow would refuse gets TensorFlow's kind of
 * error (naming the model's own node and op) instead of a wasm trap, an abort or silently wrong
 * numbers; and the labels every engine error uses (a fused node reports the node it came from).
 * One table: op -> check over the input shapes (and, for index-like inputs, their values).
 */
import { StudioError } from "../../core/errors.js";
import { dtypeName } from "../../core/dtype.js";
import { toNumber } from "../tensorproto.js";
import type { PlanNode, TensorRef } from "../plan.js";
import { aBool, aInts, aStr } from "./attrs.js";
import type { FusedPlanNode } from "./fuse.js";
import type { SegmentPlanNode } from "./segments.js";
import { isTensor, isWide, type Value } from "./values.js";
import { BROADCASTING_BINARY_OPS } from "../../core/ops/broadcast.js";

/** The model's own node behind a plan node (a fused node names the conv / matmul it came from). */
export function nodeLabel(node: PlanNode): { name: string; op: string; inputs?: readonly TensorRef[] } {
  const src = (node as Partial<FusedPlanNode>).source;
  if (src) return src;
  const last = (node as Partial<SegmentPlanNode>).segment?.originals.at(-1)?.node;
  return last ? nodeLabel(last) : { name: node.name, op: node.op };
}

/** `name (Op in function)` for messages. */
export function describeNode(node: PlanNode): string {
  const { name, op } = nodeLabel(node);
  return `${name} (${op}${node.origin ? ` in ${node.origin}` : ""})`;
}

/**
 * A kernel failure as the user sees it: StudioErrors pass through; anything else (a JS TypeError, a
 * wasm RuntimeError) is a bug on our side and says so, naming the model's node.
 */
export function kernelFailure(node: PlanNode, e: unknown): StudioError {
  if (e instanceof StudioError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new StudioError(
    "ENGINE",
    `internal error in the embedded engine while running ${describeNode(node)}: ${msg} (please report it; --debug shows the stack)`,
    undefined,
    { cause: e },
  );
}

type Shape = readonly number[];
type Check = (node: PlanNode, shapes: readonly (Shape | undefined)[], inputs: readonly Value[]) => void;

const fmt = (s: Shape | undefined) => (s ? `[${s.join(",")}]` : "?");

function attrText(node: PlanNode): string {
  const parts: string[] = [];
  for (const k of Object.keys(node.attrs).sort()) {
    if (k.startsWith("_")) continue;
    const v = node.attrs[k]!;
    let text: string | undefined;
    if (v.type) text = dtypeName(v.type);
    else if (v.s) text = JSON.stringify(new TextDecoder().decode(v.s));
    else if (v.list?.i) text = `[${v.list.i.map((x) => toNumber(x)).join(", ")}]`;
    else if (v.b !== undefined && v.b !== null) text = String(v.b);
    else if (v.i !== undefined && v.i !== null) text = String(toNumber(v.i));
    else if (v.f !== undefined && v.f !== null) text = String(v.f);
    if (text !== undefined) parts.push(`${k}=${text}`);
  }
  return parts.join(", ");
}

/** TensorFlow's shape-function error: "... for '{{node X}} = Op[attrs](inputs)' with input shapes: ...". */
function shapeError(node: PlanNode, shapes: readonly (Shape | undefined)[], what: string): StudioError {
  const { name, op, inputs } = nodeLabel(node);
  const ins = (inputs ?? node.inputs).map((r) => (r.index === 0 ? r.node : `${r.node}:${r.index}`)).join(", ");
  const where = node.origin ? ` (in function ${node.origin})` : "";
  return new StudioError(
    "INVALID_INPUT",
    `${what} for '{{node ${name}}} = ${op}[${attrText(node)}](${ins})' with input shapes: ${shapes.map(fmt).join(", ")}${where}.`,
  );
}

function shapeOf(v: Value | undefined): Shape | undefined {
  if (isTensor(v)) return v.shape;
  if (isWide(v)) return v.shape;
  return undefined;
}

/** Output size along one spatial dim; throws TensorFlow's negative-dimension error. */
function windowed(
  node: PlanNode,
  shapes: readonly (Shape | undefined)[],
  size: number,
  k: number,
  stride: number,
  dil: number,
  pad: string,
  extra: number,
): void {
  const eff = (k - 1) * dil + 1;
  if (pad === "VALID" && size + extra - eff < 0) {
    throw shapeError(node, shapes, `Negative dimension size caused by subtracting ${eff} from ${size + extra}`);
  }
  if (stride <= 0) throw shapeError(node, shapes, `Strides must be positive, got ${stride}`);
}

/** The padding a fused node really uses (an explicit folded Pad counts as VALID over a bigger input). */
function padOf(node: PlanNode): { pad: string; extra: [number, number] } {
  const f = (node as Partial<FusedPlanNode>).fused;
  if (f?.pad) return { pad: "VALID", extra: [f.pad[1][0] + f.pad[1][1], f.pad[2][0] + f.pad[2][1]] };
  const pad = aStr(node, "padding", "VALID");
  if (pad === "EXPLICIT") {
    // explicit_paddings: [before, after] per dimension of the data format (NHWC: H at 2-3, W at 4-5).
    const e = aInts(node, "explicit_paddings");
    const [h, w] = aStr(node, "data_format", "NHWC") === "NCHW" ? [4, 6] : [2, 4];
    return { pad: "VALID", extra: [(e[h] ?? 0) + (e[h + 1] ?? 0), (e[w] ?? 0) + (e[w + 1] ?? 0)] };
  }
  return { pad, extra: [0, 0] };
}

function requireRank(node: PlanNode, shapes: readonly (Shape | undefined)[], i: number, rank: number, what = "input"): Shape | undefined {
  const s = shapes[i];
  if (s && s.length !== rank) throw shapeError(node, shapes, `Shape must be rank ${rank} but is rank ${s.length} (${what})`);
  return s;
}

/** Conv2D / DepthwiseConv2dNative (and their fused forms): rank, channels, window. */
function convCheck(depthwise: boolean): Check {
  return (node, shapes) => {
    const x = requireRank(node, shapes, 0, 4);
    const w = requireRank(node, shapes, 1, 4, "filter");
    if (!x || !w) return;
    const nchw = aStr(node, "data_format", "NHWC") === "NCHW";
    const [hAxis, wAxis, cAxis] = nchw ? [2, 3, 1] : [1, 2, 3];
    const cin = x[cAxis]!;
    if (depthwise ? cin !== w[2] : w[2]! <= 0 || cin % w[2]! !== 0) {
      const want = depthwise
        ? `Dimensions must be equal, but are ${cin} and ${w[2]}`
        : `Depth of input (${cin}) is not a multiple of input depth of filter (${w[2]})`;
      throw shapeError(node, shapes, want);
    }
    if (cin !== w[2]) {
      throw new StudioError(
        "UNSUPPORTED_OP",
        `${describeNode(node)}: grouped convolution (input depth ${cin}, filter depth ${w[2]}) is not supported by the embedded engine`,
      );
    }
    const s = aInts(node, "strides");
    const d = aInts(node, "dilations");
    const { pad, extra } = padOf(node);
    windowed(node, shapes, x[hAxis]!, w[0]!, s[hAxis] ?? 1, d[hAxis] ?? 1, pad, extra[0]);
    windowed(node, shapes, x[wAxis]!, w[1]!, s[wAxis] ?? 1, d[wAxis] ?? 1, pad, extra[1]);
  };
}

const poolCheck: Check = (node, shapes) => {
  const x = requireRank(node, shapes, 0, 4);
  if (!x) return;
  const k = aInts(node, "ksize");
  const s = aInts(node, "strides");
  const pad = aStr(node, "padding", "VALID");
  for (const axis of [1, 2]) windowed(node, shapes, x[axis]!, k[axis] ?? 1, s[axis] ?? 1, 1, pad, 0);
};

/** Shapes broadcast like numpy / TensorFlow's BCast. */
export function broadcastShapes(a: Shape, b: Shape): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

const binaryCheck: Check = (node, shapes) => {
  const [a, b] = shapes;
  if (a && b && !broadcastShapes(a, b)) {
    const { name, op } = nodeLabel(node);
    throw new StudioError("INVALID_INPUT", `Incompatible shapes: ${fmt(a)} vs. ${fmt(b)} [[{{node ${name}}} = ${op}]]`);
  }
};

function matmulCheck(batched: boolean): Check {
  return (node, shapes) => {
    const [a, b] = shapes;
    if (!a || !b) return;
    if (!batched) {
      requireRank(node, shapes, 0, 2);
      requireRank(node, shapes, 1, 2);
    } else if (a.length < 2 || b.length < 2) {
      throw shapeError(node, shapes, "Shape must be at least rank 2");
    }
    const ta = aBool(node, batched ? "adj_x" : "transpose_a");
    const tb = aBool(node, batched ? "adj_y" : "transpose_b");
    const ka = a[ta ? a.length - 2 : a.length - 1]!;
    const kb = b[tb ? b.length - 1 : b.length - 2]!;
    const batchOk = !batched || broadcastShapes(a.slice(0, -2), b.slice(0, -2)) !== undefined;
    if (ka !== kb || !batchOk) {
      const { name, op } = nodeLabel(node);
      throw new StudioError("INVALID_INPUT", `Matrix size-incompatible: In[0]: ${fmt(a)}, In[1]: ${fmt(b)} [[{{node ${name}}} = ${op}]]`);
    }
  };
}

const fusedMatmulCheck: Check = (node, shapes) => {
  const f = (node as Partial<FusedPlanNode>).fused;
  matmulCheck(false)(node, [shapes[0], f?.filter.shape], []);
};

function fusedConvCheck(depthwise: boolean): Check {
  return (node, shapes) => {
    const f = (node as Partial<FusedPlanNode>).fused;
    convCheck(depthwise)(node, [shapes[0], f?.filter.shape], []);
  };
}

const biasAddCheck: Check = (node, shapes) => {
  const [x, b] = shapes;
  if (!x || !b) return;
  const c = aStr(node, "data_format", "NHWC") === "NCHW" ? x[1] : x[x.length - 1];
  if (x.length < 2 || b.length !== 1 || c !== b[0]) {
    throw shapeError(node, shapes, `Must provide as many biases as the channel dimension of the input tensor: ${fmt(b)} vs. ${fmt(x)}`);
  }
};

/** Small int tensors (shapes, indices) read on the host. */
function intValues(v: Value | undefined): number[] | undefined {
  if (isTensor(v) && v.dtype === "int32") return Array.from(v.dataSync() as Int32Array);
  if (isWide(v)) return Array.from(v.data, (x) => Number(x));
  return undefined;
}

const reshapeCheck: Check = (node, shapes, inputs) => {
  const x = shapes[0];
  const want = intValues(inputs[1]);
  if (!x || !want) return;
  const count = x.reduce((a, b) => a * b, 1);
  const free = want.filter((d) => d === -1).length;
  const known = want.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const bad = want.some((d) => d < -1) || free > 1;
  const ok = !bad && (free === 0 ? known === count : known === 0 ? count === 0 : count % known === 0);
  if (!ok) {
    const { name, op } = nodeLabel(node);
    throw new StudioError(
      "INVALID_INPUT",
      `Input to reshape is a tensor with ${count} values, but the requested shape ${free ? `requires a multiple of ${known}` : `has ${known}`} [[{{node ${name}}} = ${op}]]`,
    );
  }
};

function gatherCheck(indexInput: number, axisInput: number | undefined): Check {
  return (node, shapes, inputs) => {
    const x = shapes[0];
    const idx = intValues(inputs[indexInput]);
    if (!x || !idx) return;
    let axis = axisInput === undefined ? 0 : (intValues(inputs[axisInput])?.[0] ?? 0);
    if (axis < 0) axis += x.length;
    const limit = x[axis];
    if (limit === undefined) throw shapeError(node, shapes, `Expected axis in the range [${-x.length}, ${x.length}), but got ${axis}`);
    const bad = idx.findIndex((i) => i < 0 || i >= limit);
    if (bad >= 0) {
      const { name, op } = nodeLabel(node);
      throw new StudioError("INVALID_INPUT", `indices[${bad}] = ${idx[bad]} is not in [0, ${limit}) [[{{node ${name}}} = ${op}]]`);
    }
  };
}

const gatherNdCheck: Check = (node, shapes, inputs) => {
  const [x, is] = shapes;
  const idx = intValues(inputs[1]);
  if (!x || !is || !idx) return;
  const k = is[is.length - 1] ?? 0;
  if (k > x.length) throw shapeError(node, shapes, `index innermost dimension length must be <= params rank; saw: ${k} vs. ${x.length}`);
  for (let i = 0; i < idx.length; i++) {
    const d = i % k;
    if (idx[i]! < 0 || idx[i]! >= x[d]!) {
      const { name, op } = nodeLabel(node);
      const row = Math.floor(i / k);
      throw new StudioError(
        "INVALID_INPUT",
        `indices[${row}] = [${idx.slice(row * k, row * k + k).join(", ")}] does not index into param shape ${fmt(x)} [[{{node ${name}}} = ${op}]]`,
      );
    }
  }
};

const concatCheck: Check = (node, shapes, inputs) => {
  const n = inputs.length - 1;
  let axis = intValues(inputs[n])?.[0];
  const parts = shapes.slice(0, n);
  const first = parts.find((s) => s !== undefined);
  if (axis === undefined || !first) return;
  if (axis < 0) axis += first.length;
  parts.forEach((s, i) => {
    if (!s) return;
    const same = s.length === first.length && s.every((d, j) => j === axis || d === first[j]);
    if (!same) {
      const { name, op } = nodeLabel(node);
      throw new StudioError(
        "INVALID_INPUT",
        `ConcatOp : Dimensions of inputs should match: shape[0] = ${fmt(first)} vs. shape[${i}] = ${fmt(s)} [[{{node ${name}}} = ${op}]]`,
      );
    }
  });
};

const padCheck: Check = (node, shapes, inputs) => {
  const x = shapes[0];
  const p = intValues(inputs[1]);
  if (!x || !p) return;
  if (p.length !== x.length * 2) throw shapeError(node, shapes, `The first dimension of paddings must be the rank of inputs`);
  if (p.some((v) => v < 0)) throw shapeError(node, shapes, `Paddings must be non-negative`);
};

const CHECKS: ReadonlyMap<string, Check> = new Map<string, Check>([
  ["Conv2D", convCheck(false)],
  ["DepthwiseConv2dNative", convCheck(true)],
  ["_SmsFusedConv2D", fusedConvCheck(false)],
  ["_SmsFusedDepthwiseConv2D", fusedConvCheck(true)],
  ["MaxPool", poolCheck],
  ["AvgPool", poolCheck],
  ["MatMul", matmulCheck(false)],
  ["_SmsFusedMatMul", fusedMatmulCheck],
  ["BatchMatMul", matmulCheck(true)],
  ["BatchMatMulV2", matmulCheck(true)],
  ["BatchMatMulV3", matmulCheck(true)],
  ["BiasAdd", biasAddCheck],
  ["Reshape", reshapeCheck],
  ["GatherV2", gatherCheck(1, 2)],
  ["Gather", gatherCheck(1, undefined)],
  ["GatherNd", gatherNdCheck],
  ["ConcatV2", concatCheck],
  ["Pad", padCheck],
  ["PadV2", padCheck],
  ["MirrorPad", padCheck],
  ...BROADCASTING_BINARY_OPS.map((op): [string, Check] => [op, binaryCheck]),
]);

/** Throws TensorFlow's error for inputs the node's op does not accept; silent otherwise. */
export function checkNode(node: PlanNode, inputs: readonly Value[]): void {
  const check = CHECKS.get(node.op);
  if (!check) return;
  check(node, inputs.map(shapeOf), inputs);
}
