/**
 * Kernels of the embedded engine: TensorFlow op semantics on tfjs-core, plus what tfjs lacks
 * (tf.Example parsing, variable state, hash tables, string ops, tensor lists, control flow).
 * Each kernel takes the node (attributes with stripped defaults filled) and its input values.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../core/errors.js";
import { DataType, dtypeName } from "../../core/dtype.js";
import type { PlanNode } from "../plan.js";
import { decodeTensorProto } from "../tensorproto.js";
import { dilationsOf, stridesOf, type FusedPlanNode, type FusedWeights } from "./fuse.js";
import { SEGMENT_OP, type SegmentPlanNode } from "./segments.js";
import { LOOP_OP, type LoopPlanNode } from "./loops.js";
import { aBool, aFloat, aFunc, aInt, aInts, aStr, aTensor, aType } from "./attrs.js";
import { checkNode, kernelFailure } from "./checks.js";
import { MORE_KERNELS } from "./kernels/index.js";
import { ints, product as productOf, resource, scalar, stringSparseToDense, strings, tensorIn as T } from "./kernels/util.js";
import { readVar } from "./kernels/variables.js";
import { elementCount } from "../../core/tensor.js";
import { readRaw, tfjsDtype, toTfTensor, NarrowingError } from "./convert.js";
import { chunkedAddN } from "../budget.js";
import { bytesKey, isTensor, keyBytes, type Kernel, type KernelContext, type Value } from "./values.js";
import { bigs, narrowOrWide, wideAware, wideElementwise, wideMove } from "./kernels/wide.js";

// ---------- input helpers (attribute readers: attrs.ts; tensor inputs: kernels/util.ts) ----------

function axisOf(a: number, rank: number): number {
  return a < 0 ? a + rank : a;
}
function padding(node: PlanNode): "same" | "valid" {
  const p = aStr(node, "padding", "VALID");
  if (p === "EXPLICIT") {
    const e = aInts(node, "explicit_paddings");
    return [0, 1, 2, 3].map((i) => [e[2 * i] ?? 0, e[2 * i + 1] ?? 0]) as unknown as "valid";
  }
  return p === "SAME" ? "same" : "valid";
}

function requireNHWC(node: PlanNode): void {
  const f = aStr(node, "data_format", "NHWC");
  if (f !== "NHWC")
    throw new StudioError(
      "UNSUPPORTED_OP",
      `${node.name} (${node.op}): data_format ${f} is not supported by the embedded engine (NHWC only)`,
    );
}

function castTo(t: tf.Tensor, dt: number, node: PlanNode): tf.Tensor {
  const target = tfjsDtype(dt);
  if (t.dtype === target) return t;
  if (t.dtype === "string" || target === "string")
    throw new StudioError("UNSUPPORTED_OP", `${node.name}: Cast between string and ${dtypeName(dt)}`);
  if (target === "int32" && t.dtype === "float32") {
    const v = readRaw(t) as Float32Array;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (Number.isFinite(x) && (x >= 2147483648 || x < -2147483648)) {
        throw new NarrowingError(`${node.name}: Cast of ${x} to ${dtypeName(dt)} does not fit the embedded engine's int32`);
      }
    }
    // TensorFlow truncates toward zero.
    return tf.tidy(() => tf.cast(tf.where(tf.less(t, 0), tf.ceil(t), tf.floor(t)), "int32"));
  }
  return tf.cast(t, target);
}

// ---------- the table ----------

const unary =
  (fn: (x: tf.Tensor) => tf.Tensor): Kernel =>
  (_c, n, i) => [fn(T(n, i, 0))];
const binary =
  (fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Kernel =>
  (_c, n, i) => [fn(T(n, i, 0), T(n, i, 1))];
const identity: Kernel = (_c, _n, i) => [i[0]!];
const reduction =
  (fn: (x: tf.Tensor, axis: number[], keep: boolean) => tf.Tensor): Kernel =>
  (_c, n, i) => {
    const x = T(n, i, 0);
    const axes = ints(T(n, i, 1)).map((a) => axisOf(a, x.rank));
    return [fn(x, axes, aBool(n, "keep_dims"))];
  };

function stringEqual(a: tf.Tensor, b: tf.Tensor, negate: boolean): tf.Tensor {
  const av = strings(a).map(bytesKey);
  const bv = strings(b).map(bytesKey);
  const shape = a.size >= b.size ? a.shape : b.shape;
  const n = Math.max(av.length, bv.length);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (av[av.length === 1 ? 0 : i] === bv[bv.length === 1 ? 0 : i]) !== negate ? 1 : 0;
  return tf.tensor(out, [...shape], "bool");
}

function fusedBatchNorm(v3: boolean): Kernel {
  return (_c, n, i) => {
    requireNHWC(n);
    if (aBool(n, "is_training", true)) {
      throw new StudioError("UNSUPPORTED_OP", `${n.name}: ${n.op} in training mode is not supported by the embedded engine`);
    }
    const [x, scale, offset, mean, variance] = [0, 1, 2, 3, 4].map((k) => T(n, i, k));
    const y = tf.batchNorm(x!, mean!, variance!, offset!, scale!, aFloat(n, "epsilon", 1e-4));
    const outs: Value[] = [y, mean!, variance!, mean!, variance!];
    if (v3) outs.push(tf.zeros([0]));
    return outs;
  };
}

function fusedOf(n: PlanNode): FusedWeights {
  const f = (n as Partial<FusedPlanNode>).fused;
  if (!f) throw new StudioError("ENGINE", `${n.name}: fused node without weights`);
  return f;
}

/** A fast-path segment; its fallback runs the original nodes through these kernels. */
/** A fused 2-D convolution (regular or depthwise) with its folded bias and activation (fuse.ts). */
function fusedConv(depthwise: boolean): Kernel {
  return (_c, n, i) => {
    const f = fusedOf(n);
    const args = {
      x: T(n, i, 0) as tf.Tensor4D,
      filter: f.filter as tf.Tensor4D,
      strides: stridesOf(n),
      dataFormat: "NHWC" as const,
      dilations: dilationsOf(n),
      ...(f.bias ? { bias: f.bias } : {}),
      activation: f.activation,
    };
    // Only the regular convolution takes the explicit padding fusion folds in.
    return [depthwise ? tf.fused.depthwiseConv2d({ ...args, pad: padding(n) }) : tf.fused.conv2d({ ...args, pad: f.pad ?? padding(n) })];
  };
}

/** Pad's `paddings` input ([rank, 2]) as [before, after] pairs. */
function padPairs(n: PlanNode, i: readonly Value[]): [number, number][] {
  const p = ints(T(n, i, 1));
  return Array.from({ length: p.length / 2 }, (_, k) => [p[2 * k]!, p[2 * k + 1]!]);
}

const segmentKernel: Kernel = (ctx, n, i) => {
  const seg = (n as Partial<SegmentPlanNode>).segment;
  if (!seg) throw new StudioError("ENGINE", `${n.name}: segment node without its program`);
  return [
    seg.run(T(n, i, 0), (node, inputs) => {
      const kernel = KERNELS.get(node.op);
      if (!kernel) throw new StudioError("UNSUPPORTED_OP", `op ${node.op} (${node.name}) is not supported by the embedded engine`);
      checkNode(node, inputs);
      try {
        return T(node, kernel(ctx, node, inputs), 0);
      } catch (e) {
        throw kernelFailure(node, e);
      }
    }),
  ];
};

/** A While loop on the fast path (loops.ts), the ordinary While kernel as its fallback. */
const loopKernel: Kernel = (ctx, n, i) => {
  const loop = (n as Partial<LoopPlanNode>).loop;
  if (!loop) throw new StudioError("ENGINE", `${n.name}: loop node without its program`);
  return loop.run(i, {
    iteration: (fn, it) => {
      if (it > MAX_WHILE_ITERATIONS) throw new StudioError("ENGINE", `${n.name}: while loop ran over ${MAX_WHILE_ITERATIONS} iterations`);
      ctx.loopIteration?.(fn);
    },
    ordinary: (vars) => whileKernel(ctx, n, vars),
    kernel: (node, inputs) => {
      const kernel = KERNELS.get(node.op);
      if (!kernel) throw new StudioError("UNSUPPORTED_OP", `op ${node.op} (${node.name}) is not supported by the embedded engine`);
      try {
        return kernel(ctx, node, inputs);
      } catch (e) {
        throw kernelFailure(node, e);
      }
    },
  });
};

const ENTRIES: [string, Kernel][] = [
  [SEGMENT_OP, segmentKernel],
  [LOOP_OP, loopKernel],
  ["_SmsFusedConv2D", fusedConv(false)],
  ["_SmsFusedDepthwiseConv2D", fusedConv(true)],
  [
    "_SmsFusedMatMul",
    (_c, n, i) => {
      const f = fusedOf(n);
      return [
        tf.fused.matMul({
          a: T(n, i, 0) as tf.Tensor2D,
          b: f.filter as tf.Tensor2D,
          transposeA: aBool(n, "transpose_a"),
          transposeB: aBool(n, "transpose_b"),
          ...(f.bias ? { bias: f.bias } : {}),
          activation: f.activation,
        }),
      ];
    },
  ],
  // graph plumbing
  ["Identity", identity],
  ["Snapshot", identity],
  ["StopGradient", identity],
  ["PreventGradient", identity],
  ["EnsureShape", identity],
  ["CheckNumerics", identity],
  ["PlaceholderWithDefault", identity],
  ["IdentityN", (_c, _n, i) => [...i]],
  ["NoOp", () => []],
  ["DisableCopyOnRead", () => []],
  [
    "Assert",
    (_c, n, i) => {
      const c = T(n, i, 0);
      if (!scalar(c)) throw new StudioError("ENGINE", `${n.name}: assertion failed`);
      return [];
    },
  ],
  // arithmetic
  ["Add", wideAware(binary(tf.add), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! + b!)])],
  ["AddV2", wideAware(binary(tf.add), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! + b!)])],
  ["Sub", wideAware(binary(tf.sub), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! - b!)])],
  ["Mul", wideAware(binary(tf.mul), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! * b!)])],
  ["RealDiv", binary(tf.div)],
  ["Div", binary((a, b) => (a.dtype === "int32" ? tf.floorDiv(a, b) : tf.div(a, b)))],
  ["DivNoNan", binary(tf.divNoNan)],
  ["FloorDiv", binary(tf.floorDiv)],
  ["FloorMod", binary(tf.mod)],
  ["Maximum", wideAware(binary(tf.maximum), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => (a! > b! ? a! : b!))])],
  ["Minimum", wideAware(binary(tf.minimum), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => (a! < b! ? a! : b!))])],
  ["Pow", binary(tf.pow)],
  ["SquaredDifference", binary(tf.squaredDifference)],
  ["AddN", (_c, n, i) => [chunkedAddN(i.map((_, k) => T(n, i, k)))]],
  ["BiasAdd", (_c, n, i) => (requireNHWC(n), [tf.add(T(n, i, 0), T(n, i, 1))])],
  ["Neg", unary(tf.neg)],
  ["Abs", unary(tf.abs)],
  ["Square", unary(tf.square)],
  ["Sqrt", unary(tf.sqrt)],
  ["Rsqrt", unary(tf.rsqrt)],
  ["Exp", unary(tf.exp)],
  ["Log", unary(tf.log)],
  ["Log1p", unary(tf.log1p)],
  ["Floor", unary(tf.floor)],
  ["Ceil", unary(tf.ceil)],
  ["Round", unary(tf.round)],
  ["Sign", unary(tf.sign)],
  ["Reciprocal", unary(tf.reciprocal)],
  ["Sigmoid", unary(tf.sigmoid)],
  ["Tanh", unary(tf.tanh)],
  ["Relu", unary(tf.relu)],
  ["Relu6", unary(tf.relu6)],
  ["Elu", unary(tf.elu)],
  ["Selu", unary(tf.selu)],
  ["Softplus", unary(tf.softplus)],
  ["Erf", unary(tf.erf)],
  ["LeakyRelu", (_c, n, i) => [tf.leakyRelu(T(n, i, 0), aFloat(n, "alpha", 0.2))]],
  ["IsNan", unary(tf.isNaN)],
  ["IsFinite", unary(tf.isFinite)],
  ["IsInf", unary(tf.isInf)],
  // comparison / logic
  ["Equal", (_c, n, i) => [T(n, i, 0).dtype === "string" ? stringEqual(T(n, i, 0), T(n, i, 1), false) : tf.equal(T(n, i, 0), T(n, i, 1))]],
  [
    "NotEqual",
    (_c, n, i) => [T(n, i, 0).dtype === "string" ? stringEqual(T(n, i, 0), T(n, i, 1), true) : tf.notEqual(T(n, i, 0), T(n, i, 1))],
  ],
  ["Less", wideAware(binary(tf.less), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! < b!)])],
  ["LessEqual", wideAware(binary(tf.lessEqual), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! <= b!)])],
  ["Greater", wideAware(binary(tf.greater), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! > b!)])],
  ["GreaterEqual", wideAware(binary(tf.greaterEqual), (n, i) => [wideElementwise(n, i, 0, 2, ([a, b]) => a! >= b!)])],
  ["LogicalAnd", binary(tf.logicalAnd)],
  ["LogicalOr", binary(tf.logicalOr)],
  ["LogicalNot", unary(tf.logicalNot)],
  [
    "Select",
    (_c, n, i) => {
      let c = T(n, i, 0);
      const t = T(n, i, 1);
      if (c.rank === 1 && t.rank > 1) c = tf.reshape(c, [c.shape[0]!, ...Array<number>(t.rank - 1).fill(1)]);
      return [tf.where(c as tf.Tensor, t, T(n, i, 2))];
    },
  ],
  [
    "SelectV2",
    wideAware(
      (_c, n, i) => [tf.where(T(n, i, 0), T(n, i, 1), T(n, i, 2))],
      (n, i) => {
        const c = T(n, i, 0);
        const cv = readRaw(c) as Uint8Array;
        return [wideElementwise(n, i, 1, 2, ([a, b], e) => (cv[cv.length === 1 ? 0 : e] ? a! : b!))];
      },
    ),
  ],
  // matrices / nn
  ["MatMul", (_c, n, i) => [tf.matMul(T(n, i, 0), T(n, i, 1), aBool(n, "transpose_a"), aBool(n, "transpose_b"))]],
  ["BatchMatMul", (_c, n, i) => [tf.matMul(T(n, i, 0), T(n, i, 1), aBool(n, "adj_x"), aBool(n, "adj_y"))]],
  ["BatchMatMulV2", (_c, n, i) => [tf.matMul(T(n, i, 0), T(n, i, 1), aBool(n, "adj_x"), aBool(n, "adj_y"))]],
  [
    "Conv2D",
    (_c, n, i) => {
      requireNHWC(n);
      const s = aInts(n, "strides");
      const d = aInts(n, "dilations");
      return [
        tf.conv2d(T(n, i, 0) as tf.Tensor4D, T(n, i, 1) as tf.Tensor4D, [s[1] ?? 1, s[2] ?? 1], padding(n), "NHWC", [d[1] ?? 1, d[2] ?? 1]),
      ];
    },
  ],
  [
    "DepthwiseConv2dNative",
    (_c, n, i) => {
      requireNHWC(n);
      const s = aInts(n, "strides");
      const d = aInts(n, "dilations");
      return [
        tf.depthwiseConv2d(T(n, i, 0) as tf.Tensor4D, T(n, i, 1) as tf.Tensor4D, [s[1] ?? 1, s[2] ?? 1], padding(n), "NHWC", [
          d[1] ?? 1,
          d[2] ?? 1,
        ]),
      ];
    },
  ],
  [
    "MaxPool",
    (_c, n, i) => {
      requireNHWC(n);
      const k = aInts(n, "ksize");
      const s = aInts(n, "strides");
      return [tf.maxPool(T(n, i, 0) as tf.Tensor4D, [k[1] ?? 1, k[2] ?? 1], [s[1] ?? 1, s[2] ?? 1], padding(n))];
    },
  ],
  [
    "AvgPool",
    (_c, n, i) => {
      requireNHWC(n);
      const k = aInts(n, "ksize");
      const s = aInts(n, "strides");
      return [tf.avgPool(T(n, i, 0) as tf.Tensor4D, [k[1] ?? 1, k[2] ?? 1], [s[1] ?? 1, s[2] ?? 1], padding(n))];
    },
  ],
  ["FusedBatchNorm", fusedBatchNorm(false)],
  ["FusedBatchNormV2", fusedBatchNorm(false)],
  ["FusedBatchNormV3", fusedBatchNorm(true)],
  ["Softmax", unary((x) => tf.softmax(x))],
  ["LogSoftmax", unary((x) => tf.logSoftmax(x))],
  // shapes
  ["Shape", (_c, n, i) => [tf.tensor1d(T(n, i, 0).shape, "int32")]],
  ["ShapeN", (_c, n, i) => i.map((_, k) => tf.tensor1d(T(n, i, k).shape, "int32"))],
  ["Size", (_c, n, i) => [tf.scalar(T(n, i, 0).size, "int32")]],
  ["Rank", (_c, n, i) => [tf.scalar(T(n, i, 0).rank, "int32")]],
  [
    "Reshape",
    wideAware(
      (_c, n, i) => [tf.reshape(T(n, i, 0), ints(T(n, i, 1)))],
      (n, i) => {
        const v = bigs(n, i, 0);
        const shape = ints(T(n, i, 1));
        const known = shape.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
        return [{ kind: "int64", data: v.data, shape: shape.map((d) => (d < 0 ? v.data.length / Math.max(known, 1) : d)) }];
      },
    ),
  ],
  [
    "Squeeze",
    (_c, n, i) => {
      const x = T(n, i, 0);
      const dims = aInts(n, "squeeze_dims").map((a) => axisOf(a, x.rank));
      return [tf.squeeze(x, dims.length > 0 ? dims : undefined)];
    },
  ],
  ["ExpandDims", (_c, n, i) => [tf.expandDims(T(n, i, 0), scalar(T(n, i, 1)))]],
  [
    "ConcatV2",
    (_c, n, i) => {
      const parts = i.slice(0, -1).map((_, k) => T(n, i, k));
      const axis = axisOf(scalar(T(n, i, i.length - 1)), parts[0]!.rank);
      if (parts[0]!.dtype === "string") return [stringConcat(parts, axis)];
      return [parts.length === 1 ? parts[0]! : tf.concat(parts, axis)];
    },
  ],
  [
    "Pack",
    (_c, n, i) => {
      const parts = i.map((_, k) => T(n, i, k));
      const axis = aInt(n, "axis");
      if (parts[0]!.dtype === "string")
        return [
          stringConcat(
            parts.map((p) => tf.expandDims(p, axisOf(axis, p.rank + 1))),
            axisOf(axis, parts[0]!.rank + 1),
          ),
        ];
      return [tf.stack(parts, axis)];
    },
  ],
  ["Unpack", (_c, n, i) => tf.unstack(T(n, i, 0), aInt(n, "axis"))],
  [
    "Split",
    (_c, n, i) => {
      const x = T(n, i, 1);
      return tf.split(x, aInt(n, "num_split"), axisOf(scalar(T(n, i, 0)), x.rank));
    },
  ],
  [
    "SplitV",
    (_c, n, i) => {
      const x = T(n, i, 0);
      return tf.split(x, ints(T(n, i, 1)), axisOf(scalar(T(n, i, 2)), x.rank));
    },
  ],
  [
    "StridedSlice",
    (_c, n, i) => [
      tf.stridedSlice(
        T(n, i, 0),
        ints(T(n, i, 1)),
        ints(T(n, i, 2)),
        ints(T(n, i, 3)),
        aInt(n, "begin_mask"),
        aInt(n, "end_mask"),
        aInt(n, "ellipsis_mask"),
        aInt(n, "new_axis_mask"),
        aInt(n, "shrink_axis_mask"),
      ),
    ],
  ],
  ["Slice", (_c, n, i) => [tf.slice(T(n, i, 0), ints(T(n, i, 1)), ints(T(n, i, 2)))]],
  ["Transpose", (_c, n, i) => [tf.transpose(T(n, i, 0), ints(T(n, i, 1)))]],
  ["Tile", (_c, n, i) => [tile(T(n, i, 0), ints(T(n, i, 1)))]],
  ["Fill", (_c, n, i) => [fill(ints(T(n, i, 0)), T(n, i, 1))]],
  ["ZerosLike", unary((x) => tf.zerosLike(x))],
  ["OnesLike", unary((x) => tf.onesLike(x))],
  ["BroadcastTo", (_c, n, i) => [tf.broadcastTo(T(n, i, 0), (elementCount(ints(T(n, i, 1)), n.name), ints(T(n, i, 1))))]],
  [
    "Range",
    (_c, n, i) => {
      const dt = tfjsDtype(aType(n, "Tidx", DataType.DT_FLOAT));
      const [start, limit, delta] = [0, 1, 2].map((k) => scalar(T(n, i, k)));
      if (!delta) throw new StudioError("ENGINE", `${n.name}: Range with delta 0`);
      elementCount([Math.max(0, Math.ceil((limit! - start!) / delta))], n.name);
      return [tf.range(scalar(T(n, i, 0)), scalar(T(n, i, 1)), scalar(T(n, i, 2)), dt === "float32" ? "float32" : "int32")];
    },
  ],
  [
    "Cast",
    wideAware(
      (_c, n, i) => [castTo(T(n, i, 0), aType(n, "DstT", DataType.DT_FLOAT), n)],
      (n, i) => {
        const v = bigs(n, i, 0);
        const dt = aType(n, "DstT", DataType.DT_FLOAT);
        if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) return [i[0]!];
        if (tfjsDtype(dt) === "float32")
          return [
            tf.tensor(
              Float32Array.from(v.data, (x) => Number(x)),
              [...v.shape],
              "float32",
            ),
          ];
        throw new NarrowingError(`${n.name}: Cast of int64 values beyond int32 to ${dtypeName(dt)}`);
      },
    ),
  ],
  ["Pad", (_c, n, i) => [tf.pad(T(n, i, 0), padPairs(n, i))]],
  ["PadV2", (_c, n, i) => [tf.pad(T(n, i, 0), padPairs(n, i), scalar(T(n, i, 2)))]],
  [
    "BroadcastGradientArgs",
    (_c, n, i) => {
      const a = ints(T(n, i, 0));
      const b = ints(T(n, i, 1));
      const rank = Math.max(a.length, b.length);
      const pa = [...Array<number>(rank - a.length).fill(1), ...a];
      const pb = [...Array<number>(rank - b.length).fill(1), ...b];
      const ra: number[] = [];
      const rb: number[] = [];
      for (let k = 0; k < rank; k++) {
        if (pa[k] !== pb[k] && pa[k] !== 1 && pb[k] !== 1)
          throw new StudioError("ENGINE", `${n.name}: incompatible shapes [${a.join(", ")}] and [${b.join(", ")}]`);
        if (pa[k] === 1) ra.push(k);
        if (pb[k] === 1) rb.push(k);
      }
      return [tf.tensor1d(ra, "int32"), tf.tensor1d(rb, "int32")];
    },
  ],
  // reductions
  ["Sum", reduction((x, a, k) => tf.sum(x, a, k))],
  ["Mean", reduction((x, a, k) => tf.mean(x, a, k))],
  ["Max", reduction((x, a, k) => tf.max(x, a, k))],
  ["Min", reduction((x, a, k) => tf.min(x, a, k))],
  ["Prod", reduction((x, a, k) => tf.prod(x, a, k))],
  ["All", reduction((x, a, k) => tf.all(x, a, k))],
  ["Any", reduction((x, a, k) => tf.any(x, a, k))],
  ["ArgMax", (_c, n, i) => [tf.argMax(T(n, i, 0), axisOf(scalar(T(n, i, 1)), T(n, i, 0).rank))]],
  ["ArgMin", (_c, n, i) => [tf.argMin(T(n, i, 0), axisOf(scalar(T(n, i, 1)), T(n, i, 0).rank))]],
  // gather
  [
    "GatherV2",
    (_c, n, i) => {
      const x = T(n, i, 0);
      return [gather(x, T(n, i, 1), axisOf(scalar(T(n, i, 2)), x.rank), aInt(n, "batch_dims"))];
    },
  ],
  ["Gather", (_c, n, i) => [gather(T(n, i, 0), T(n, i, 1), 0, 0)]],
  ["GatherNd", (_c, n, i) => [tf.gatherND(T(n, i, 0), T(n, i, 1))]],
  ["ResourceGather", (c, n, i) => [gather(readVar(c, n, resource(n, i, 0, "variable")), T(n, i, 1), 0, aInt(n, "batch_dims"))]],
  [
    "Where",
    (_c, n, i) => {
      const x = T(n, i, 0);
      const v = readRaw(x) as ArrayLike<number>;
      const coords: number[] = [];
      const strides = x.shape.map((_, k) => productOf(x.shape.slice(k + 1)));
      let count = 0;
      for (let e = 0; e < v.length; e++) {
        if (!v[e]) continue;
        count++;
        strides.forEach((s, k) => coords.push(Math.floor(e / s) % (x.shape[k] ?? 1)));
      }
      return [tf.tensor(Int32Array.from(coords), [count, x.rank], "int32")];
    },
  ],
  [
    "Unique",
    (_c, n, i) => {
      const x = T(n, i, 0);
      const r = tf.unique(x);
      return [r.values, r.indices];
    },
  ],
  ["UpperBound", (_c, n, i) => [tf.upperBound(T(n, i, 0), T(n, i, 1))]],
  ["LowerBound", (_c, n, i) => [tf.lowerBound(T(n, i, 0), T(n, i, 1))]],
  // sparse
  [
    "SparseToDense",
    wideAware(
      (_c, n, i) => {
        const idx = T(n, i, 0);
        const shape = ints(T(n, i, 1));
        elementCount(shape, n.name);
        // tfjs's wasm backend aborts on string values: strings are placed on the host.
        if (T(n, i, 2).dtype === "string") return [stringSparseToDense(n, ints(idx), shape, strings(T(n, i, 2)), strings(T(n, i, 3)))];
        return [tf.sparseToDense(idx, T(n, i, 2), shape, T(n, i, 3) as tf.Scalar)];
      },
      (n, i) => {
        const idx = ints(T(n, i, 0));
        const shape = ints(T(n, i, 1));
        elementCount(shape, n.name);
        const vals = bigs(n, i, 2).data;
        const def = bigs(n, i, 3).data[0] ?? 0n;
        const out = new BigInt64Array(productOf(shape)).fill(def);
        const rank = shape.length;
        const count = rank === 0 ? 1 : idx.length / Math.max(rank, 1);
        for (let e = 0; e < count; e++) {
          let off = 0;
          for (let k = 0; k < rank; k++) off = off * shape[k]! + idx[e * rank + k]!;
          out[off] = vals[vals.length === 1 ? 0 : e]!;
        }
        return [narrowOrWide(out, shape)];
      },
    ),
  ],
  [
    "SparseReshape",
    (_c, n, i) => {
      const r = tf.sparse.sparseReshape(T(n, i, 0) as tf.Tensor2D, T(n, i, 1) as tf.Tensor1D, T(n, i, 2) as tf.Tensor1D);
      return [r.outputIndices, r.outputShape] as Value[];
    },
  ],
  [
    "SparseFillEmptyRows",
    (_c, n, i) => {
      const r = tf.sparse.sparseFillEmptyRows(
        T(n, i, 0) as tf.Tensor2D,
        T(n, i, 1) as tf.Tensor1D,
        T(n, i, 2) as tf.Tensor1D,
        T(n, i, 3) as tf.Scalar,
      );
      return [r.outputIndices, r.outputValues, r.emptyRowIndicator, r.reverseIndexMap] as Value[];
    },
  ],
  ["SparseSegmentSum", (_c, n, i) => [tf.sparse.sparseSegmentSum(T(n, i, 0), T(n, i, 1) as tf.Tensor1D, T(n, i, 2) as tf.Tensor1D)]],
  ["SparseSegmentMean", (_c, n, i) => [tf.sparse.sparseSegmentMean(T(n, i, 0), T(n, i, 1) as tf.Tensor1D, T(n, i, 2) as tf.Tensor1D)]],
  // optionals (kept only as values)
  ["OptionalFromValue", (_c, _n, i) => [{ kind: "optional", items: [...i] }]],
  ["OptionalNone", () => [{ kind: "optional", items: null }]],
  [
    "OptionalHasValue",
    (_c, n, i) => {
      const o = i[0];
      return [tf.scalar(!!(o && !isTensor(o) && o.kind === "optional" && o.items), "bool")];
    },
  ],
  // control flow
  ["If", ifKernel],
  ["StatelessIf", ifKernel],
  ["While", whileKernel],
  ["StatelessWhile", whileKernel],
];

/** Ops that only move elements: they accept wide int64 data through `wideMove`. */
const WIDE_MOVE_OPS = new Set([
  "Squeeze",
  "ExpandDims",
  "Transpose",
  "GatherV2",
  "Gather",
  "GatherNd",
  "Slice",
  "StridedSlice",
  "Tile",
  "BroadcastTo",
]);

export const KERNELS: ReadonlyMap<string, Kernel> = new Map<string, Kernel>(
  [...ENTRIES, ...MORE_KERNELS].map(([op, k]) => [op, WIDE_MOVE_OPS.has(op) ? wideMove(k) : k]),
);

function ifKernel(ctx: KernelContext, node: PlanNode, inputs: readonly Value[]): Value[] {
  const cond = T(node, inputs, 0);
  const v = cond.dtype === "string" ? strings(cond).length > 0 : cond.size === 1 ? !!scalar(cond) : cond.size > 0;
  const fn = aFunc(node, v ? "then_branch" : "else_branch");
  return ctx.callFunction(fn, inputs.slice(1));
}

const MAX_WHILE_ITERATIONS = 10_000_000;

function whileKernel(ctx: KernelContext, node: PlanNode, inputs: readonly Value[]): Value[] {
  const condFn = aFunc(node, "cond");
  const bodyFn = aFunc(node, "body");
  let vars: Value[] = [...inputs];
  for (let it = 0; ; it++) {
    if (it > MAX_WHILE_ITERATIONS) throw new StudioError("ENGINE", `${node.name}: while loop ran over ${MAX_WHILE_ITERATIONS} iterations`);
    const c = ctx.callFunction(condFn, vars)[0];
    if (!isTensor(c)) throw new StudioError("ENGINE", `${node.name}: loop condition is not a tensor`);
    if (!scalar(c)) return vars;
    vars = ctx.callFunction(bodyFn, vars);
  }
}

function gather(x: tf.Tensor, idx: tf.Tensor, axis: number, batchDims: number): tf.Tensor {
  if (x.dtype === "string") {
    if (axis !== 0 || batchDims !== 0) throw new StudioError("UNSUPPORTED_OP", "GatherV2 of strings is supported on axis 0 only");
    const rows = tf.unstack(x);
    const ids = Array.from(readRaw(idx) as ArrayLike<number>);
    const picked = ids.map((k) => {
      const r = rows[k];
      if (!r) throw new StudioError("ENGINE", `GatherV2: index ${k} out of range [0, ${rows.length})`);
      return strings(r);
    });
    const rowShape = x.shape.slice(1);
    return tf.tensor(picked.flat(), [...idx.shape, ...rowShape], "string");
  }
  return tf.gather(x, idx, axis, batchDims);
}

function tile(x: tf.Tensor, reps: number[]): tf.Tensor {
  elementCount(
    x.shape.map((d, k) => d * (reps[k] ?? 1)),
    "Tile",
  );
  if (x.dtype !== "string") return tf.tile(x, reps);
  // String tiling on the host (tfjs tiles strings on cpu only).
  const src = strings(x);
  const outShape = x.shape.map((d, k) => d * (reps[k] ?? 1));
  const n = elementCount(outShape, "Tile");
  const out: Uint8Array[] = [];
  for (let e = 0; e < n; e++) {
    let rem = e;
    let srcIdx = 0;
    for (let k = 0; k < outShape.length; k++) {
      const stride = productOf(outShape.slice(k + 1));
      const coord = Math.floor(rem / stride);
      rem %= stride;
      srcIdx = srcIdx * x.shape[k]! + (coord % x.shape[k]!);
    }
    out.push(src[srcIdx]!);
  }
  return tf.tensor(out, outShape, "string");
}

function fill(shape: number[], v: tf.Tensor): tf.Tensor {
  elementCount(shape, "Fill");
  if (v.dtype === "string") return tf.tensor(Array<Uint8Array>(productOf(shape)).fill(strings(v)[0]!), shape, "string");
  return tf.fill(shape, scalar(v), v.dtype);
}

function stringConcat(parts: tf.Tensor[], axis: number): tf.Tensor {
  const outer = productOf(parts[0]!.shape.slice(0, axis));
  const out: Uint8Array[] = [];
  const chunks = parts.map((p) => ({ data: strings(p), inner: productOf(p.shape.slice(axis)) }));
  for (let o = 0; o < outer; o++) for (const c of chunks) out.push(...c.data.slice(o * c.inner, (o + 1) * c.inner));
  const shape = [...parts[0]!.shape];
  shape[axis] = parts.reduce((a, p) => a + (p.shape[axis] ?? 0), 0);
  return tf.tensor(out, shape, "string");
}

/** Const nodes -> tensors (decoded once per model). */
export function constTensor(node: PlanNode): tf.Tensor {
  const v = aTensor(node, "value");
  if (!v) throw new StudioError("GRAPH", `${node.name}: Const without a value`);
  return toTfTensor(decodeTensorProto(v, node.name), `${node.name} (Const)`);
}

export { keyBytes };
