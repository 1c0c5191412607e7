/**
 * Dtypes and shapes of graph tensors for the graph view's edges. PURE, best effort: a shape is known
 * from the node's `_output_shapes` attribute, from a function argument's TensorSpec (`_output_shapes`
 * in the FunctionDef's arg_attr), from Placeholder / Const / VarHandleOp attributes, or inferred from
 * the inputs by the rules below (a table per op family). Anything else stays unknown (never throws).
 */
import { dtypeFromName, dtypeShortName } from "../core/dtype.js";
import { attrDefaults, opDef } from "../core/ops/index.js";
import type { tensorflow } from "../core/proto/index.js";
import { BROADCASTING_BINARY_OPS } from "../core/ops/broadcast.js";

type NodeDef = tensorflow.NodeDef.$Properties;
type ShapeProto = tensorflow.TensorShapeProto.$Properties;

/** dtype 0: unknown; shape null: unknown rank; -1: unknown dimension. */
export interface TensorInfo {
  readonly dtype: number;
  readonly shape: readonly number[] | null;
}

export const UNKNOWN: TensorInfo = { dtype: 0, shape: null };

export function shapeOf(s: ShapeProto | null | undefined): number[] | null {
  if (!s || s.unknown_rank) return null;
  return (s.dim ?? []).map((d) => {
    const n = Number(d.size ?? 0);
    return n < 0 ? -1 : n;
  });
}

/** `float32[?,784]`, `int64[]`, `float32[…]` (unknown rank), "" when nothing is known. */
export function tensorText(t: TensorInfo): string {
  if (t.dtype === 0 && t.shape === null) return "";
  const dt = t.dtype === 0 ? "?" : dtypeShortName(t.dtype);
  return `${dt}[${t.shape === null ? "…" : t.shape.map((d) => (d < 0 ? "?" : String(d))).join(",")}]`;
}

/** Element count with unknown dimensions counted as 1 (-1: unknown rank). */
export function elementsOf(t: TensorInfo): number {
  if (t.shape === null) return -1;
  return t.shape.reduce((n, d) => n * (d < 0 ? 1 : d), 1);
}

/** A type attribute, or the op's default for it (SavedModels strip default-valued attributes). */
function attrType(n: NodeDef, k: string): number {
  const v = n.attr?.[k]?.type;
  if (v) return v;
  const d = attrDefaults(n.op ?? "")[k];
  return d && "type" in d ? (dtypeFromName(d.type) ?? 0) : 0;
}
const attrShape = (n: NodeDef, k: string): number[] | null => (n.attr?.[k]?.shape ? shapeOf(n.attr[k]!.shape) : null);
const attrInts = (n: NodeDef, k: string): number[] => (n.attr?.[k]?.list?.i ?? []).map(Number);
const attrBool = (n: NodeDef, k: string): boolean => n.attr?.[k]?.b === true;
const attrStr = (n: NodeDef, k: string): string => new TextDecoder().decode(n.attr?.[k]?.s ?? new Uint8Array());

/** Dtype of flat output `k` from the op definition and the node's type attributes. */
export function outputDtype(n: NodeDef, k: number): number {
  const def = opDef(n.op ?? "");
  if (!def) return n.attr?.["Tout"]?.list?.type?.[k] ?? 0;
  let i = 0;
  for (const arg of def.outputs) {
    const count = arg.number_attr
      ? Number(n.attr?.[arg.number_attr]?.i ?? 1)
      : arg.type_list_attr
        ? (n.attr?.[arg.type_list_attr]?.list?.type?.length ?? 0)
        : 1;
    if (k < i + count) {
      if (arg.type_list_attr) return n.attr?.[arg.type_list_attr]?.list?.type?.[k - i] ?? 0;
      if (arg.type_attr) return attrType(n, arg.type_attr);
      return arg.type ? (dtypeFromName(arg.type) ?? 0) : 0;
    }
    i += count;
  }
  return 0;
}

function broadcast(a: readonly number[] | null, b: readonly number[] | null): number[] | null {
  if (!a || !b) return null;
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : x === y ? x : -1);
  }
  return out;
}

/** Integer values of a small Const tensor (Reshape's shape, reduction axes). */
function constInts(n: NodeDef | null): number[] | null {
  const t = n?.op === "Const" ? n.attr?.["value"]?.tensor : undefined;
  if (!t) return null;
  if ((t.int_val?.length ?? 0) > 0) return t.int_val!.map(Number);
  if ((t.int64_val?.length ?? 0) > 0) return t.int64_val!.map(Number);
  const b = t.tensor_content;
  if (b && b.length > 0 && t.dtype === 3) return Array.from(new Int32Array(b.slice().buffer));
  if (b && b.length > 0 && t.dtype === 9) return Array.from(new BigInt64Array(b.slice().buffer), Number);
  return (shapeOf(t.tensor_shape) ?? []).length === 0 ? [] : null;
}

function window(size: number, k: number, stride: number, pad: string): number {
  if (size < 0) return -1;
  return pad === "VALID" ? Math.floor((size - k) / stride) + 1 : Math.ceil(size / stride);
}

/** NHWC convolution / pooling output shape. */
function spatial(n: NodeDef, x: readonly number[] | null, kh: number, kw: number, channels: number): number[] | null {
  if (!x || x.length !== 4 || attrStr(n, "data_format") === "NCHW") return null;
  const st = attrInts(n, "strides");
  const pad = attrStr(n, "padding");
  return [x[0]!, window(x[1]!, kh, st[1] ?? 1, pad), window(x[2]!, kw, st[2] ?? 1, pad), channels];
}

export interface RuleArgs {
  readonly node: NodeDef;
  readonly ins: readonly TensorInfo[];
  /** The node producing data input i (for constant operands). */
  readonly producer: (i: number) => NodeDef | null;
}
type Rule = (a: RuleArgs) => readonly number[] | null;

const same: Rule = ({ ins }) => ins[0]?.shape ?? null;
const bcast: Rule = ({ ins }) => broadcast(ins[0]?.shape ?? null, ins[1]?.shape ?? null);

function reduce({ node, ins, producer }: RuleArgs): number[] | null {
  const x = ins[0]?.shape;
  const axes = constInts(producer(1));
  if (!x || !axes) return null;
  const ax = new Set(axes.map((a) => (a < 0 ? a + x.length : a)));
  const keep = attrBool(node, "keep_dims");
  return x.flatMap((d, i) => (ax.has(i) ? (keep ? [1] : []) : [d]));
}

const SAME_OPS = [
  "Identity",
  "Relu",
  "Relu6",
  "Elu",
  "Selu",
  "Sigmoid",
  "Tanh",
  "Softmax",
  "LogSoftmax",
  "Softplus",
  "LeakyRelu",
  "BiasAdd",
  "Neg",
  "Exp",
  "Log",
  "Sqrt",
  "Rsqrt",
  "Square",
  "Abs",
  "Cast",
  "StopGradient",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "Erf",
  "FusedBatchNorm",
  "FusedBatchNormV3",
  "ReadVariableOp",
  "_Retval",
  "PreventGradient",
  "CheckNumerics",
  "Snapshot",
  "ZerosLike",
  "OnesLike",
  "Reciprocal",
  "IsNan",
  "LogicalNot",
  "Sin",
  "Cos",
];
/** Broadcasting binary ops, and BiasAddV1 (its bias broadcasts over the last dimension). */
const BCAST_OPS = [...BROADCASTING_BINARY_OPS, "BiasAddV1"];

/** Shape rules by op (output 0). */
const RULES: Record<string, Rule> = {
  ...Object.fromEntries(SAME_OPS.map((o) => [o, same])),
  ...Object.fromEntries(BCAST_OPS.map((o) => [o, bcast])),
  MatMul: ({ node, ins }) => {
    const a = ins[0]?.shape;
    const b = ins[1]?.shape;
    if (!a || !b || a.length !== 2 || b.length !== 2) return null;
    return [attrBool(node, "transpose_a") ? a[1]! : a[0]!, attrBool(node, "transpose_b") ? b[0]! : b[1]!];
  },
  Conv2D: (a) => {
    const f = a.ins[1]?.shape;
    return f && f.length === 4 ? spatial(a.node, a.ins[0]?.shape ?? null, f[0]!, f[1]!, f[3]!) : null;
  },
  DepthwiseConv2dNative: (a) => {
    const f = a.ins[1]?.shape;
    const x = a.ins[0]?.shape;
    return f && f.length === 4 && x && x.length === 4 ? spatial(a.node, x, f[0]!, f[1]!, x[3]! < 0 ? -1 : x[3]! * f[3]!) : null;
  },
  MaxPool: (a) => {
    const k = attrInts(a.node, "ksize");
    const x = a.ins[0]?.shape ?? null;
    return spatial(a.node, x, k[1] ?? 1, k[2] ?? 1, x?.[3] ?? -1);
  },
  Reshape: ({ ins, producer }) => {
    const target = constInts(producer(1));
    const x = ins[0]?.shape;
    if (!target) return null;
    const known = x && !x.includes(-1) ? x.reduce((p, d) => p * d, 1) : -1;
    const rest = target.reduce((p, d) => (d < 0 ? p : p * d), 1);
    return target.map((d) => (d >= 0 ? d : known >= 0 && rest > 0 ? known / rest : -1));
  },
  Shape: ({ ins }) => (ins[0]?.shape ? [ins[0].shape.length] : null),
  Mean: reduce,
  Sum: reduce,
  Max: reduce,
  Min: reduce,
  Prod: reduce,
  ArgMax: ({ ins, producer }) => {
    const x = ins[0]?.shape;
    const ax = constInts(producer(1));
    if (!x || !ax || ax.length !== 1) return null;
    const a = ax[0]! < 0 ? ax[0]! + x.length : ax[0]!;
    return x.filter((_, i) => i !== a);
  },
  ExpandDims: ({ ins, producer }) => {
    const x = ins[0]?.shape;
    const ax = constInts(producer(1));
    if (!x || !ax || ax.length !== 1) return null;
    const a = ax[0]! < 0 ? ax[0]! + x.length + 1 : ax[0]!;
    return [...x.slice(0, a), 1, ...x.slice(a)];
  },
  Squeeze: ({ node, ins }) => {
    const x = ins[0]?.shape;
    const dims = new Set(attrInts(node, "squeeze_dims").map((a) => (x && a < 0 ? a + x.length : a)));
    if (!x || (dims.size === 0 && x.includes(-1))) return null;
    return x.filter((d, i) => (dims.size === 0 ? d !== 1 : !dims.has(i)));
  },
};

/**
 * Output infos of one node: `_output_shapes` first, then node attributes (Placeholder, Const,
 * VarHandleOp), then the op's rule for output 0.
 */
export function inferOutputs(a: RuleArgs): TensorInfo[] {
  const n = a.node;
  const op = n.op ?? "";
  const listed = n.attr?.["_output_shapes"]?.list?.shape ?? [];
  if (listed.length > 0) return listed.map((s, k) => ({ dtype: outputDtype(n, k), shape: shapeOf(s) }));
  if (op === "Placeholder" || op === "PlaceholderWithDefault")
    return [{ dtype: attrType(n, "dtype") || (a.ins[0]?.dtype ?? 0), shape: attrShape(n, "shape") }];
  if (op === "Const") {
    const t = n.attr?.["value"]?.tensor;
    return [{ dtype: t?.dtype ?? attrType(n, "dtype"), shape: shapeOf(t?.tensor_shape) }];
  }
  if (op === "VarHandleOp" || op === "VariableV2") return [{ dtype: attrType(n, "dtype"), shape: attrShape(n, "shape") }];
  const rule = RULES[op];
  let dtype = outputDtype(n, 0);
  if (dtype === 0) dtype = a.ins[0]?.dtype ?? 0;
  let shape: readonly number[] | null;
  try {
    shape = rule ? rule(a) : null;
  } catch {
    shape = null;
  }
  return [{ dtype, shape }];
}
