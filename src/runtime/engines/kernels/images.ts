/**
 * Image and spatial ops with TensorFlow's semantics: resizes (align_corners / half_pixel_centers),
 * depth <-> space, batch <-> space, transposed and 3-D convolutions, mirror padding. Shapes are checked
 * here first, with TensorFlow's messages, so no tfjs kernel sees an input it would trap on.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../../plan.js";
import { aBool, aInt, aInts, aStr } from "../attrs.js";
import type { Kernel, Value } from "../values.js";
import { invalid, numbersIn, product, tensorIn, unsupported, type KernelTable } from "./util.js";

function nhwcOnly(node: PlanNode): void {
  const f = aStr(node, "data_format", "NHWC");
  if (f !== "NHWC" && f !== "NDHWC") throw unsupported(node, `data_format ${f}`);
}

/** images [b,h,w,c] and the int32 size [2] input, checked. */
function resizeInputs(node: PlanNode, inputs: readonly Value[]): { x: tf.Tensor4D; size: [number, number] } {
  const x = tensorIn(node, inputs, 0);
  if (x.rank !== 4) throw invalid(node, `input must be 4-dimensional, got shape [${x.shape.join(",")}]`);
  const size = numbersIn(node, inputs, 1);
  if (size.length !== 2) throw invalid(node, `shape_t must have two elements, got ${size.length}`);
  const [h, w] = size as [number, number];
  if (h <= 0 || w <= 0) throw invalid(node, `output dimensions must be positive, got [${h}, ${w}]`);
  if (x.shape[1] === 0 || x.shape[2] === 0) throw invalid(node, `input image must be of non-zero size`);
  const align = aBool(node, "align_corners");
  if (align && aBool(node, "half_pixel_centers")) throw invalid(node, "If half_pixel_centers is True, align_corners must be False.");
  return { x: x as tf.Tensor4D, size: [h, w] };
}

const resizeBilinear: Kernel = (_c, node, inputs) => {
  const { x, size } = resizeInputs(node, inputs);
  // TensorFlow computes in float and always returns float32.
  const xf = x.dtype === "float32" ? x : tf.cast(x, "float32");
  return [tf.image.resizeBilinear(xf, size, aBool(node, "align_corners"), aBool(node, "half_pixel_centers"))];
};

const resizeNearest: Kernel = (_c, node, inputs) => {
  const { x, size } = resizeInputs(node, inputs);
  return [tf.image.resizeNearestNeighbor(x, size, aBool(node, "align_corners"), aBool(node, "half_pixel_centers"))];
};

function blockSize(node: PlanNode): number {
  const b = aInt(node, "block_size");
  if (b < 2) throw invalid(node, `Value for attr 'block_size' of ${b} must be at least 2`);
  return b;
}

/** DepthToSpace / SpaceToDepth's checked input: an NHWC rank-4 tensor, its dims and the block size. */
function blockInput(node: PlanNode, inputs: readonly Value[]): { x: tf.Tensor; b: number; dims: [number, number, number, number] } {
  nhwcOnly(node);
  const x = tensorIn(node, inputs, 0);
  const b = blockSize(node);
  if (x.rank !== 4) throw invalid(node, `input rank should be 4 instead of ${x.rank}`);
  return { x, b, dims: x.shape as [number, number, number, number] };
}

const depthToSpace: Kernel = (_c, node, inputs) => {
  const { x, b, dims } = blockInput(node, inputs);
  const [n, h, w, c] = dims;
  if (c % (b * b) !== 0) throw invalid(node, `Input depth dimension ${c} should be divisible by: ${b * b}`);
  if (x.size === 0) return [tf.tensor([], [n, h * b, w * b, c / (b * b)], x.dtype)];
  // Any dtype (tfjs's depthToSpace is float32 only): [n, h, w, b, b, c'] -> [n, h, b, w, b, c'].
  const t = tf.transpose(tf.reshape(x, [n, h, w, b, b, c / (b * b)]), [0, 1, 3, 2, 4, 5]);
  return [tf.reshape(t, [n, h * b, w * b, c / (b * b)])];
};

const spaceToDepth: Kernel = (_c, node, inputs) => {
  const { x, b, dims } = blockInput(node, inputs);
  const [n, h, w, c] = dims;
  if (h % b !== 0 || w % b !== 0) throw invalid(node, `Image width ${w} and height ${h} should be divisible by block_size: ${b}`);
  if (x.size === 0) return [tf.tensor([], [n, h / b, w / b, b * b * c], x.dtype)];
  // [n, h/b, b, w/b, b, c] -> [n, h/b, w/b, b, b, c]: depth index = (row * b + col) * c + channel.
  const t = tf.transpose(tf.reshape(x, [n, h / b, b, w / b, b, c]), [0, 1, 3, 2, 4, 5]);
  return [tf.reshape(t, [n, h / b, w / b, b * b * c])];
};

/** block_shape [M] and a [M, 2] crops / paddings input, checked against the input's shape. */
function blockArgs(node: PlanNode, inputs: readonly Value[], what: string): { x: tf.Tensor; block: number[]; pairs: [number, number][] } {
  const x = tensorIn(node, inputs, 0);
  const block = numbersIn(node, inputs, 1);
  const flat = numbersIn(node, inputs, 2);
  const m = block.length;
  if (m < 1 || x.rank < m + 1) throw invalid(node, `input rank should be >= ${m + 1} instead of ${x.rank}`);
  if (flat.length !== 2 * m) throw invalid(node, `${what} should have shape [${m}, 2] instead of ${flat.length} values`);
  if (block.some((b) => b < 1)) throw invalid(node, `block_shape must be positive, got [${block.join(", ")}]`);
  const pairs = block.map((_, i) => [flat[2 * i]!, flat[2 * i + 1]!] as [number, number]);
  if (pairs.some(([a, b]) => a < 0 || b < 0)) throw invalid(node, `${what} must be non-negative`);
  return { x, block, pairs };
}

const spaceToBatch: Kernel = (_c, node, inputs) => {
  const { x, block, pairs } = blockArgs(node, inputs, "paddings");
  block.forEach((b, i) => {
    const padded = x.shape[i + 1]! + pairs[i]![0] + pairs[i]![1];
    if (padded % b !== 0) throw invalid(node, `padded_shape[${i}]=${padded} is not divisible by block_shape[${i}]=${b}`);
  });
  return [tf.spaceToBatchND(x, block, pairs)];
};

const batchToSpace: Kernel = (_c, node, inputs) => {
  const { x, block, pairs } = blockArgs(node, inputs, "crops");
  const prod = product(block);
  if (x.shape[0]! % prod !== 0)
    throw invalid(node, `Input batch dimension (${x.shape[0]}) is not divisible by product of block sizes (${prod})`);
  block.forEach((b, i) => {
    const full = x.shape[i + 1]! * b;
    if (pairs[i]![0] + pairs[i]![1] > full)
      throw invalid(node, `crops must be non-negative and at most the block-multiplied size: ${pairs[i]!.join(", ")} vs ${full}`);
  });
  return [tf.batchToSpaceND(x, block, pairs)];
};

function spatial(node: PlanNode, name: string, rank: number): number[] {
  const v = aInts(node, name);
  return v.length === rank + 2 ? v.slice(1, rank + 1) : new Array<number>(rank).fill(1);
}

function padOf(node: PlanNode): "same" | "valid" {
  const p = aStr(node, "padding", "VALID");
  if (p !== "SAME" && p !== "VALID") throw unsupported(node, `padding ${p}`);
  return p === "SAME" ? "same" : "valid";
}

/** Conv2DBackpropInput (a transposed convolution): input_sizes, filter [h,w,in,out], out_backprop. */
const conv2dBackpropInput: Kernel = (_c, node, inputs) => {
  nhwcOnly(node);
  const sizes = numbersIn(node, inputs, 0);
  const filter = tensorIn(node, inputs, 1);
  const dy = tensorIn(node, inputs, 2);
  if (spatial(node, "dilations", 2).some((d) => d !== 1)) throw unsupported(node, "a dilated transposed convolution");
  if (filter.rank !== 4 || dy.rank !== 4) throw invalid(node, "filter and out_backprop must be 4-dimensional");
  const full = sizes.length === 4 ? sizes : [dy.shape[0]!, sizes[0]!, sizes[1]!, filter.shape[2]!];
  if (full.length !== 4 || full.some((d) => d <= 0)) throw invalid(node, `input_sizes must be 4 positive sizes, got [${sizes.join(", ")}]`);
  if (full[3] !== filter.shape[2] || dy.shape[3] !== filter.shape[3])
    throw invalid(
      node,
      `filter [${filter.shape.join(",")}] does not fit input_sizes [${full.join(",")}] and out_backprop [${dy.shape.join(",")}]`,
    );
  const strides = spatial(node, "strides", 2) as [number, number];
  const pad = padOf(node);
  // The forward conv of input_sizes must produce out_backprop's spatial shape.
  for (const i of [0, 1]) {
    const n = full[i + 1]!;
    const k = filter.shape[i]!;
    const want = pad === "same" ? Math.ceil(n / strides[i]!) : Math.floor((n - k) / strides[i]!) + 1;
    if (n - (pad === "valid" ? k : 0) < 0 || want !== dy.shape[i + 1])
      throw invalid(
        node,
        `Conv2DSlowBackpropInput: Size of out_backprop doesn't match computed: actual = ${dy.shape[i + 1]}, computed = ${want}`,
      );
  }
  return [tf.conv2dTranspose(dy as tf.Tensor4D, filter as tf.Tensor4D, full as [number, number, number, number], strides, pad)];
};

const conv3d: Kernel = (_c, node, inputs) => {
  nhwcOnly(node);
  const x = tensorIn(node, inputs, 0);
  const f = tensorIn(node, inputs, 1);
  if (x.rank !== 5 || f.rank !== 5) throw invalid(node, "input and filter must be 5-dimensional");
  if (x.shape[4] !== f.shape[3]) throw invalid(node, `Input depth ${x.shape[4]} does not match filter depth ${f.shape[3]}`);
  const pad = padOf(node);
  const strides = spatial(node, "strides", 3) as [number, number, number];
  const dil = spatial(node, "dilations", 3) as [number, number, number];
  if (pad === "valid")
    for (let i = 0; i < 3; i++) {
      const eff = (f.shape[i]! - 1) * dil[i]! + 1;
      if (x.shape[i + 1]! < eff) throw invalid(node, `Negative dimension size caused by subtracting ${eff} from ${x.shape[i + 1]}`);
    }
  return [tf.conv3d(x as tf.Tensor5D, f as tf.Tensor5D, strides, pad, "NDHWC", dil)];
};

function pool3d(kind: "max" | "avg"): Kernel {
  return (_c, node, inputs) => {
    nhwcOnly(node);
    const x = tensorIn(node, inputs, 0);
    if (x.rank !== 5) throw invalid(node, "input must be 5-dimensional");
    const k = spatial(node, "ksize", 3) as [number, number, number];
    const s = spatial(node, "strides", 3) as [number, number, number];
    const pad = padOf(node);
    if (pad === "valid")
      for (let i = 0; i < 3; i++)
        if (x.shape[i + 1]! < k[i]!) throw invalid(node, `Negative dimension size caused by subtracting ${k[i]} from ${x.shape[i + 1]}`);
    const x5 = x as tf.Tensor5D;
    // tfjs-wasm's maxPool3d starts from the smallest positive float (wrong for negative inputs).
    if (kind === "max") return [maxPool3d(x5, k, s, pad)];
    return [tf.avgPool3d(x5, k, s, pad, undefined, "NDHWC")];
  };
}

/** Max pooling over [d, h, w] windows on the host (exact on every backend). */
function maxPool3d(x: tf.Tensor5D, k: readonly number[], s: readonly number[], pad: "same" | "valid"): tf.Tensor {
  const [n, d, h, w, c] = x.shape;
  const dims = [d, h, w];
  const outs = dims.map((size, i) => (pad === "same" ? Math.ceil(size / s[i]!) : Math.floor((size - k[i]!) / s[i]!) + 1));
  const before = dims.map((size, i) => (pad === "same" ? Math.floor(Math.max((outs[i]! - 1) * s[i]! + k[i]! - size, 0) / 2) : 0));
  const src = x.dataSync();
  const out = new Float32Array(n * outs[0]! * outs[1]! * outs[2]! * c);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let z = 0; z < outs[0]!; z++)
      for (let y = 0; y < outs[1]!; y++)
        for (let xx = 0; xx < outs[2]!; xx++)
          for (let ch = 0; ch < c; ch++) {
            let m = -Infinity;
            for (let i = 0; i < k[0]!; i++) {
              const zi = z * s[0]! + i - before[0]!;
              if (zi < 0 || zi >= d) continue;
              for (let j = 0; j < k[1]!; j++) {
                const yi = y * s[1]! + j - before[1]!;
                if (yi < 0 || yi >= h) continue;
                for (let l = 0; l < k[2]!; l++) {
                  const xi = xx * s[2]! + l - before[2]!;
                  if (xi < 0 || xi >= w) continue;
                  const v = src[(((b * d + zi) * h + yi) * w + xi) * c + ch]!;
                  if (v > m || Number.isNaN(v)) m = v;
                }
              }
            }
            out[o++] = m;
          }
  return tf.tensor(out, [n, outs[0]!, outs[1]!, outs[2]!, c], "float32");
}

const conv3dBackpropInput: Kernel = (_c, node, inputs) => {
  nhwcOnly(node);
  const sizes = numbersIn(node, inputs, 0);
  const f = tensorIn(node, inputs, 1);
  const dy = tensorIn(node, inputs, 2);
  if (spatial(node, "dilations", 3).some((d) => d !== 1)) throw unsupported(node, "a dilated transposed convolution");
  if (sizes.length !== 5 || f.rank !== 5 || dy.rank !== 5)
    throw invalid(node, "input_sizes, filter and out_backprop must be 5-dimensional");
  const strides = spatial(node, "strides", 3) as [number, number, number];
  return [tf.conv3dTranspose(dy as tf.Tensor5D, f as tf.Tensor5D, sizes as [number, number, number, number, number], strides, padOf(node))];
};

const mirrorPad: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const flat = numbersIn(node, inputs, 1);
  const mode = aStr(node, "mode", "REFLECT");
  if (mode !== "REFLECT" && mode !== "SYMMETRIC") throw invalid(node, `mode must be REFLECT or SYMMETRIC, got ${mode}`);
  if (flat.length !== 2 * x.rank)
    throw invalid(node, `The first dimension of paddings must be the rank of inputs: ${flat.length / 2} vs ${x.rank}`);
  const pairs = x.shape.map((_, i) => [flat[2 * i]!, flat[2 * i + 1]!] as [number, number]);
  const offset = mode === "REFLECT" ? 1 : 0;
  pairs.forEach(([a, b], i) => {
    const limit = x.shape[i]! - offset;
    if (a < 0 || b < 0 || a > limit || b > limit)
      throw invalid(node, `paddings must be no greater than the dimension size: ${a}, ${b} greater than ${limit}`);
  });
  if (x.rank === 0) return [x];
  return [tf.mirrorPad(x, pairs, mode === "REFLECT" ? "reflect" : "symmetric")];
};

export const IMAGE_KERNELS: KernelTable = [
  ["ResizeBilinear", resizeBilinear],
  ["ResizeNearestNeighbor", resizeNearest],
  ["DepthToSpace", depthToSpace],
  ["SpaceToDepth", spaceToDepth],
  ["SpaceToBatchND", spaceToBatch],
  ["BatchToSpaceND", batchToSpace],
  ["Conv2DBackpropInput", conv2dBackpropInput],
  ["Conv3D", conv3d],
  ["MaxPool3D", pool3d("max")],
  ["AvgPool3D", pool3d("avg")],
  ["Conv3DBackpropInputV2", conv3dBackpropInput],
  ["MirrorPad", mirrorPad],
];
