/**
 * Reductions, ordering and index ops with TensorFlow's semantics: TopKV2, InTopKV2, ReverseV2,
 * Cumsum / Cumprod, segment reductions (sorted and unsorted), Bincount, OneHot, ClipByValue,
 * Bucketize, BroadcastArgs, Einsum. Index inputs are checked on the host first (TensorFlow's errors).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../../plan.js";
import { aBool, aFloats, aInt, aStr, aType } from "../attrs.js";
import { readRaw, tfjsDtype } from "../convert.js";
import { broadcastShapes } from "../checks.js";
import type { Kernel } from "../values.js";
import { axisIn, invalid, numbersIn, product, tensorIn, unsupported, type KernelTable } from "./util.js";

const topK: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const k = numbersIn(node, inputs, 1)[0] ?? 0;
  if (x.rank < 1) throw invalid(node, `input must be >= 1-D, got shape [${x.shape.join(",")}]`);
  if (k < 0) throw invalid(node, `Need k >= 0, got ${k}`);
  const last = x.shape[x.rank - 1]!;
  if (last < k) throw invalid(node, `input must have at least k columns. Had ${last}, needed ${k}`);
  const outShape = [...x.shape.slice(0, -1), k];
  if (x.size === 0 || k === 0) return [tf.tensor([], outShape, x.dtype), tf.tensor([], outShape, "int32")];
  // tfjs's topk breaks ties by the lower index, as TensorFlow does (sorted or not, we return sorted).
  const { values, indices } = tf.topk(x, k, true);
  return [values, indices];
};

const inTopK: Kernel = (_c, node, inputs) => {
  const p = tensorIn(node, inputs, 0);
  const targets = numbersIn(node, inputs, 1);
  const k = numbersIn(node, inputs, 2)[0] ?? 0;
  if (p.rank !== 2 || targets.length !== p.shape[0]) throw invalid(node, "predictions must be 2-D and targets [batch]");
  const [rows, cols] = p.shape as [number, number];
  const v = readRaw(p) as Float32Array;
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const t = targets[r]!;
    if (t < 0 || t >= cols || !Number.isFinite(v[r * cols + t]!)) continue;
    const target = v[r * cols + t]!;
    let above = 0;
    for (let c = 0; c < cols; c++) {
      const x = v[r * cols + c]!;
      if (!Number.isFinite(x)) {
        above = k; // TensorFlow: a row with a non-finite prediction is never "in top k".
        break;
      }
      if (x > target) above++;
    }
    out[r] = above < k ? 1 : 0;
  }
  return [tf.tensor(out, [rows], "bool")];
};

const reverse: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const axes = numbersIn(node, inputs, 1).map((a) => axisIn(node, a, x.rank));
  if (new Set(axes).size !== axes.length) throw invalid(node, `axis ${axes.join(", ")} specified more than once`);
  return [axes.length === 0 || x.rank === 0 ? x : tf.reverse(x, axes)];
};

function cumulative(kind: "sum" | "prod"): Kernel {
  return (_c, node, inputs) => {
    const x = tensorIn(node, inputs, 0);
    const axis = axisIn(node, numbersIn(node, inputs, 1)[0] ?? 0, x.rank);
    const ex = aBool(node, "exclusive");
    const rev = aBool(node, "reverse");
    if (x.rank === 0 || x.size === 0) return [x];
    return [kind === "sum" ? tf.cumsum(x, axis, ex, rev) : tf.cumprod(x, axis, ex, rev)];
  };
}

type Combine = "sum" | "prod" | "max" | "min" | "mean" | "sqrtn";

const INITIAL: Record<Combine, (dtype: tf.DataType) => number> = {
  sum: () => 0,
  mean: () => 0,
  sqrtn: () => 0,
  prod: () => 1,
  // TensorFlow: lowest / highest value of the type for empty unsorted segments.
  max: (d) => (d === "int32" ? -2147483648 : -3.4028234663852886e38),
  min: (d) => (d === "int32" ? 2147483647 : 3.4028234663852886e38),
};

const STEP: Record<Combine, (a: number, b: number) => number> = {
  sum: (a, b) => a + b,
  mean: (a, b) => a + b,
  sqrtn: (a, b) => a + b,
  prod: (a, b) => a * b,
  max: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  min: (a, b) => (a < b || Number.isNaN(a) ? a : b),
};

/** Segment reduction on the host: rows of `data` (after the ids' dims) combined per segment id. */
function segmentReduce(
  node: PlanNode,
  data: tf.Tensor,
  ids: number[],
  idsRank: number,
  segments: number,
  how: Combine,
  emptyIsZero: boolean,
): tf.Tensor {
  const inner = data.shape.slice(idsRank);
  const width = product(inner);
  const src = readRaw(data) as ArrayLike<number>;
  const out = new Float64Array(segments * width).fill(INITIAL[how](data.dtype));
  const counts = new Int32Array(segments);
  ids.forEach((id, row) => {
    if (id < 0) return; // unsorted ops drop negative ids (sorted ops refused them already)
    if (id >= segments) throw invalid(node, `segment_ids[${row}] = ${id} is out of range [0, ${segments})`);
    counts[id]!++;
    for (let j = 0; j < width; j++) out[id * width + j] = STEP[how](out[id * width + j]!, src[row * width + j]!);
  });
  for (let s = 0; s < segments; s++) {
    for (let j = 0; j < width; j++) {
      const k = s * width + j;
      if (counts[s] === 0 && emptyIsZero) out[k] = 0;
      else if (how === "mean" && counts[s]! > 0) out[k] = out[k]! / counts[s]!;
      else if (how === "sqrtn" && counts[s]! > 0) out[k] = out[k]! / Math.sqrt(counts[s]!);
    }
  }
  const shape = [segments, ...inner];
  const values = data.dtype === "int32" ? Int32Array.from(out, (v) => Math.trunc(v)) : Float32Array.from(out);
  return tf.tensor(values, shape, data.dtype === "int32" ? "int32" : "float32");
}

function numericData(node: PlanNode, t: tf.Tensor): tf.Tensor {
  if (t.dtype !== "float32" && t.dtype !== "int32") throw unsupported(node, `a ${t.dtype} segment reduction`);
  return t;
}

function unsortedSegment(how: Combine): Kernel {
  return (_c, node, inputs) => {
    const data = numericData(node, tensorIn(node, inputs, 0));
    const idsT = tensorIn(node, inputs, 1);
    const n = numbersIn(node, inputs, 2)[0] ?? 0;
    if (n < 0) throw invalid(node, `num_segments must be non-negative, got ${n}`);
    if (idsT.rank > data.rank || idsT.shape.some((d, i) => d !== data.shape[i]))
      throw invalid(node, `data.shape = [${data.shape.join(",")}] does not start with segment_ids.shape = [${idsT.shape.join(",")}]`);
    return [segmentReduce(node, data, numbersIn(node, inputs, 1), idsT.rank, n, how, false)];
  };
}

function sortedSegment(how: Combine): Kernel {
  return (_c, node, inputs) => {
    const data = numericData(node, tensorIn(node, inputs, 0));
    const idsT = tensorIn(node, inputs, 1);
    if (idsT.rank !== 1 || data.rank < 1 || idsT.shape[0] !== data.shape[0])
      throw invalid(
        node,
        `segment_ids should be the same size as dimension 0 of input: [${idsT.shape.join(",")}] vs [${data.shape.join(",")}]`,
      );
    const ids = numbersIn(node, inputs, 1);
    for (let i = 0; i < ids.length; i++) {
      if (ids[i]! < 0) throw invalid(node, `segment ids must be >= 0`);
      if (i > 0 && ids[i]! < ids[i - 1]!) throw invalid(node, `segment ids are not increasing`);
    }
    const n = ids.length === 0 ? 0 : ids[ids.length - 1]! + 1;
    // TensorFlow's sorted segment ops write 0 for ids that no row uses.
    return [segmentReduce(node, data, ids, 1, n, how, true)];
  };
}

const bincount: Kernel = (_c, node, inputs) => {
  const arr = numbersIn(node, inputs, 0);
  const size = numbersIn(node, inputs, 1)[0] ?? 0;
  const w = tensorIn(node, inputs, 2);
  if (size < 0) throw invalid(node, `size (${size}) must be non-negative`);
  const weights = w.size > 0 ? (readRaw(w) as ArrayLike<number>) : undefined;
  if (weights && weights.length !== arr.length) throw invalid(node, "weights must be empty or the same shape as arr");
  const out = new Float64Array(size);
  arr.forEach((v, i) => {
    if (v >= 0 && v < size) out[v] = out[v]! + (weights ? weights[i]! : 1);
  });
  const dt = tfjsDtype(aType(node, "T", 3));
  return [tf.tensor(dt === "float32" ? Float32Array.from(out) : Int32Array.from(out), [size], dt === "float32" ? "float32" : "int32")];
};

const oneHot: Kernel = (_c, node, inputs) => {
  const idx = tensorIn(node, inputs, 0);
  const depth = numbersIn(node, inputs, 1)[0] ?? 0;
  const on = tensorIn(node, inputs, 2);
  const off = tensorIn(node, inputs, 3);
  if (depth < 0) throw invalid(node, `depth must be non-negative, got: ${depth}`);
  const rank = idx.rank + 1;
  const rawAxis = aInt(node, "axis", -1);
  if (rawAxis < -1 || rawAxis >= rank) throw invalid(node, `Expected axis to be -1 or between [0, ${rank}).  But received: ${rawAxis}`);
  const axis = rawAxis === -1 ? rank - 1 : rawAxis;
  // Indices outside [0, depth) give an all-off row, as in TensorFlow.
  // (tfjs's oneHot needs depth >= 2; TensorFlow allows 0 and 1.)
  const mask = tf.equal(tf.expandDims(tf.cast(idx, "int32"), -1), tf.range(0, depth, 1, "int32"));
  let out = tf.where(mask, tf.broadcastTo(on, mask.shape), tf.broadcastTo(off, mask.shape));
  if (axis !== rank - 1) {
    const perm = [...Array(rank - 1).keys()];
    perm.splice(axis, 0, rank - 1);
    out = tf.transpose(out, perm);
  }
  return [out];
};

const clipByValue: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const lo = tensorIn(node, inputs, 1);
  const hi = tensorIn(node, inputs, 2);
  for (const b of [lo, hi])
    if (b.rank > 0 && b.shape.some((d, i) => d !== x.shape[i]))
      throw invalid(
        node,
        `clip_value_min and clip_value_max must be either scalars or have the same shape as the input: [${b.shape.join(",")}] vs [${x.shape.join(",")}]`,
      );
  return [tf.minimum(tf.maximum(x, lo), hi)];
};

const bucketize: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const bounds = aFloats(node, "boundaries");
  for (let i = 1; i < bounds.length; i++) if (bounds[i]! < bounds[i - 1]!) throw invalid(node, "Expected sorted boundaries");
  const vals = readRaw(x) as ArrayLike<number>;
  const out = new Int32Array(vals.length);
  for (let i = 0; i < vals.length; i++) {
    // upper_bound: the number of boundaries <= value.
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bounds[mid]! <= vals[i]!) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return [tf.tensor(out, [...x.shape], "int32")];
};

const broadcastArgs: Kernel = (_c, node, inputs) => {
  const a = numbersIn(node, inputs, 0);
  const b = numbersIn(node, inputs, 1);
  const out = broadcastShapes(a, b);
  if (!out) throw invalid(node, `Incompatible shapes: [${a.join(",")}] vs. [${b.join(",")}]`);
  return [tf.tensor(Int32Array.from(out), [out.length], "int32")];
};

const einsum: Kernel = (_c, node, inputs) => {
  const eq = aStr(node, "equation").replace(/\s+/g, "");
  if (eq.includes(".")) throw unsupported(node, `the einsum equation '${eq}' (ellipsis)`);
  const xs = inputs.map((_, i) => tensorIn(node, inputs, i));
  const [lhs = "", rhs] = eq.split("->");
  const terms = lhs.split(",");
  if (terms.length !== xs.length || rhs === undefined) throw invalid(node, `equation '${eq}' does not fit ${xs.length} inputs`);
  const sizes = new Map<string, number>();
  terms.forEach((t, i) => {
    if (t.length !== xs[i]!.rank) throw invalid(node, `Expected input ${i} to have rank ${t.length} but got: ${xs[i]!.rank}`);
    [...t].forEach((ch, j) => {
      const d = xs[i]!.shape[j]!;
      const known = sizes.get(ch);
      if (known !== undefined && known !== d && known !== 1 && d !== 1)
        throw invalid(node, `Expected dimension ${known} at axis ${j} of input ${i}, but got dimension ${d}`);
      sizes.set(ch, Math.max(known ?? 1, d));
    });
  });
  if (new Set(rhs).size !== rhs.length || [...rhs].some((ch) => !sizes.has(ch))) throw invalid(node, `invalid output subscripts '${rhs}'`);
  return [einsumBroadcast(node, terms, rhs, xs, sizes)];
};

/** Largest intermediate (elements) the broadcast einsum builds before refusing. */
const EINSUM_MAX_ELEMENTS = 1 << 26;

/**
 * Einsum on any backend (tfjs has it on cpu only): every operand is laid out over all letters
 * (diagonals taken for repeated letters, size-1 axes for absent ones), multiplied with broadcasting,
 * summed over the letters not in the output, and transposed to the output's order.
 */
function einsumBroadcast(node: PlanNode, terms: string[], rhs: string, xs: tf.Tensor[], sizes: Map<string, number>): tf.Tensor {
  const letters = [...rhs, ...[...sizes.keys()].filter((ch) => !rhs.includes(ch))];
  if (product(letters.map((ch) => sizes.get(ch)!)) > EINSUM_MAX_ELEMENTS) throw unsupported(node, "an einsum this large");
  const laid = terms.map((t, i) => {
    let x = xs[i]!;
    let subs = t;
    // A repeated letter in one operand ("ii->i") takes the diagonal.
    for (let dup = [...subs].find((ch, j) => subs.indexOf(ch) !== j); dup; dup = [...subs].find((ch, j) => subs.indexOf(ch) !== j)) {
      const a = subs.indexOf(dup);
      const b = subs.indexOf(dup, a + 1);
      const n = x.shape[a]!;
      const eye = tf.reshape(
        tf.eye(n),
        x.shape.map((d, j) => (j === a || j === b ? n : 1)),
      );
      x = tf.sum(tf.mul(x, eye), b);
      subs = subs.slice(0, b) + subs.slice(b + 1);
    }
    const present = letters.filter((ch) => subs.includes(ch));
    x = tf.transpose(
      x,
      present.map((ch) => subs.indexOf(ch)),
    );
    return tf.reshape(
      x,
      letters.map((ch) => (subs.includes(ch) ? sizes.get(ch)! : 1)),
    );
  });
  let prod = laid[0]!;
  for (const x of laid.slice(1)) prod = tf.mul(prod, x);
  const summed =
    letters.length > rhs.length
      ? tf.sum(
          prod,
          [...Array(letters.length - rhs.length).keys()].map((k) => k + rhs.length),
        )
      : prod;
  return tf.reshape(
    summed,
    [...rhs].map((ch) => sizes.get(ch)!),
  );
}

/**
 * BoostedTreesBucketize: per feature, each value's bucket is the first boundary >= the value
 * (lower bound), the last bucket for values past every boundary, 0 with no boundaries.
 */
const boostedTreesBucketize: Kernel = (_c, node, inputs) => {
  const n = aInt(node, "num_features", inputs.length / 2);
  if (inputs.length !== 2 * n) throw invalid(node, `expected ${2 * n} inputs for num_features=${n}, got ${inputs.length}`);
  return Array.from({ length: n }, (_, f) => {
    const b = tensorIn(node, inputs, n + f);
    if (b.rank !== 1) throw invalid(node, "Buckets should be flat vectors.");
    const bounds = readRaw(b) as ArrayLike<number>;
    const vals = numbersIn(node, inputs, f);
    const out = Int32Array.from(vals, (v) => {
      if (bounds.length === 0) return 0;
      let lo = 0;
      let hi = bounds.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (bounds[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      return Math.min(lo, bounds.length - 1);
    });
    return tf.tensor1d(out, "int32");
  });
};

export const REDUCTION_KERNELS: KernelTable = [
  ["TopKV2", topK],
  ["InTopKV2", inTopK],
  ["ReverseV2", reverse],
  ["Cumsum", cumulative("sum")],
  ["Cumprod", cumulative("prod")],
  ["UnsortedSegmentSum", unsortedSegment("sum")],
  ["UnsortedSegmentProd", unsortedSegment("prod")],
  ["UnsortedSegmentMax", unsortedSegment("max")],
  ["UnsortedSegmentMin", unsortedSegment("min")],
  ["SegmentSum", sortedSegment("sum")],
  ["SegmentProd", sortedSegment("prod")],
  ["SegmentMean", sortedSegment("mean")],
  ["SegmentMax", sortedSegment("max")],
  ["SegmentMin", sortedSegment("min")],
  ["Bincount", bincount],
  ["OneHot", oneHot],
  ["ClipByValue", clipByValue],
  ["Bucketize", bucketize],
  ["BoostedTreesBucketize", boostedTreesBucketize],
  ["BroadcastArgs", broadcastArgs],
  ["Einsum", einsum],
];
