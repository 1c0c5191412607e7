/**
 * Random ops on Philox4x32-10 (TensorFlow's generator), reproducible run to run. Stateless ops take
 * their key and counter from the seed input as TensorFlow does (key = seed[0], counter words 2-3 =
 * seed[1]) and map bits to floats as TensorFlow does (23 mantissa bits; Box-Muller for normals), so
 * uniform values follow TensorFlow's stream; we do not claim bit equality (float32 vs float64 maths).
 * Stateful ops (RandomUniform, ...) use their seed / seed2 attributes, or the run's seed when both are
 * 0 (RunOptions.seed / --seed), mixed with the node's name: same inputs and seed, same values.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../../plan.js";
import { aInt, aType } from "../attrs.js";
import { tfjsDtype, readRaw } from "../convert.js";
import type { Kernel, KernelContext, Value } from "../values.js";
import { invalid, numbersIn, product, tensorIn, unsupported, type KernelTable } from "./util.js";

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High and low 32 bits of a 32x32-bit product. */
function mulhilo(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  const aH = a >>> 16;
  const aL = a & 0xffff;
  const bH = b >>> 16;
  const bL = b & 0xffff;
  const t = aL * bL;
  const m1 = aH * bL + (t >>> 16);
  const m2 = aL * bH + (m1 & 0xffff);
  return [(aH * bH + Math.floor(m1 / 65536) + Math.floor(m2 / 65536)) >>> 0, lo];
}

/** One Philox4x32-10 block: 4 random words for (counter, key). */
export function philox(counter: readonly number[], key: readonly number[]): number[] {
  let [c0, c1, c2, c3] = counter.map((x) => x >>> 0) as [number, number, number, number];
  let [k0, k1] = key.map((x) => x >>> 0) as [number, number];
  for (let r = 0; r < 10; r++) {
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** A stream of 32-bit words: successive Philox blocks, the 128-bit counter incremented per block. */
class Stream {
  private buf: number[] = [];
  private readonly counter: number[];
  constructor(
    private readonly key: [number, number],
    counter: readonly number[],
  ) {
    this.counter = [...counter];
  }
  next(): number {
    if (this.buf.length === 0) {
      this.buf = philox(this.counter, this.key);
      for (let i = 0; i < 4; i++) {
        this.counter[i] = (this.counter[i]! + 1) >>> 0;
        if (this.counter[i] !== 0) break;
      }
    }
    return this.buf.shift()!;
  }
  /** TensorFlow's Uint32ToFloat: 23 random mantissa bits, a float in [0, 1). */
  uniform(): number {
    return (this.next() & 0x7fffff) / 0x800000;
  }
  /** TensorFlow's BoxMullerFloat over two words, both results. */
  normalPair(): [number, number] {
    const u1 = Math.max(this.uniform(), 1e-7);
    const v1 = 2 * Math.PI * this.uniform();
    const u2 = Math.sqrt(-2 * Math.log(u1));
    return [Math.sin(v1) * u2, Math.cos(v1) * u2];
  }
}

/** 32-bit FNV-1a of the node name: different ops with the same seed draw different values. */
function nameHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A stateful op's stream: its seed / seed2 attributes, or the run's seed when both are 0. */
function statefulStream(ctx: KernelContext, node: PlanNode): Stream {
  const seed = aInt(node, "seed");
  const seed2 = aInt(node, "seed2");
  const s = seed === 0 && seed2 === 0 ? (ctx.seed ?? 0) : seed;
  return new Stream([s >>> 0, Math.floor(s / 2 ** 32) >>> 0], [0, 0, (seed2 ^ nameHash(node.name)) >>> 0, 0]);
}

/** A stateless op's stream from its int [2] seed input (key from seed[0], counter from seed[1]). */
function statelessStream(node: PlanNode, inputs: readonly Value[], i: number): Stream {
  const seed = numbersIn(node, inputs, i);
  if (seed.length !== 2) throw invalid(node, `seed must have shape [2], not [${seed.length}]`);
  const [a, b] = seed as [number, number];
  return new Stream([a >>> 0, Math.floor(a / 2 ** 32) >>> 0], [0, 0, b >>> 0, Math.floor(b / 2 ** 32) >>> 0]);
}

/** A stateless V2 op's stream from its key [1] and counter [2] (uint64 each) inputs. */
function keyCounterStream(node: PlanNode, inputs: readonly Value[]): Stream {
  const key = numbersIn(node, inputs, 1);
  const counter = numbersIn(node, inputs, 2);
  const alg = numbersIn(node, inputs, 3)[0] ?? 1;
  if (alg !== 1) throw unsupported(node, `RNG algorithm ${alg} (Philox only)`);
  const k = key[0] ?? 0;
  const c0 = counter[0] ?? 0;
  const c1 = counter[1] ?? 0;
  return new Stream(
    [k >>> 0, Math.floor(k / 2 ** 32) >>> 0],
    [c0 >>> 0, Math.floor(c0 / 2 ** 32) >>> 0, c1 >>> 0, Math.floor(c1 / 2 ** 32) >>> 0],
  );
}

type Dist = "uniform" | "normal" | "truncated";

function sample(stream: Stream, n: number, dist: Dist): Float32Array {
  const out = new Float32Array(n);
  if (dist === "uniform") {
    for (let i = 0; i < n; i++) out[i] = stream.uniform();
    return out;
  }
  for (let i = 0; i < n;) {
    const pair = stream.normalPair();
    for (const v of pair) {
      if (i >= n) break;
      // Truncated: values beyond two standard deviations are dropped and redrawn.
      if (dist === "truncated" && Math.abs(v) >= 2) continue;
      out[i++] = v;
    }
  }
  return out;
}

function shapeIn(node: PlanNode, inputs: readonly Value[]): number[] {
  const shape = numbersIn(node, inputs, 0);
  if (shape.some((d) => d < 0)) throw invalid(node, `shape must be non-negative, got [${shape.join(", ")}]`);
  return shape;
}

function floatOut(node: PlanNode, values: Float32Array, shape: number[]): tf.Tensor {
  const dt = tfjsDtype(aType(node, "dtype", 1));
  if (dt !== "float32") throw unsupported(node, `dtype ${dt} for a random float op`);
  return tf.tensor(values, shape, "float32");
}

function stateful(dist: Dist): Kernel {
  return (ctx, node, inputs) => {
    const shape = shapeIn(node, inputs);
    return [floatOut(node, sample(statefulStream(ctx, node), product(shape), dist), shape)];
  };
}

function stateless(dist: Dist, v2: boolean): Kernel {
  return (_c, node, inputs) => {
    const shape = shapeIn(node, inputs);
    const stream = v2 ? keyCounterStream(node, inputs) : statelessStream(node, inputs, 1);
    return [floatOut(node, sample(stream, product(shape), dist), shape)];
  };
}

/** Integers in [lo, hi): TensorFlow's UniformDistribution<int32> (a word modulo the range). */
function uniformInts(stream: Stream, n: number, lo: number, hi: number, node: PlanNode): Int32Array {
  if (!(lo < hi)) throw invalid(node, `Need minval < maxval: ${lo} >= ${hi}`);
  const range = hi - lo;
  return Int32Array.from({ length: n }, () => lo + (stream.next() % range));
}

const randomUniformInt: Kernel = (ctx, node, inputs) => {
  const shape = shapeIn(node, inputs);
  const lo = numbersIn(node, inputs, 1)[0] ?? 0;
  const hi = numbersIn(node, inputs, 2)[0] ?? 0;
  return [tf.tensor(uniformInts(statefulStream(ctx, node), product(shape), lo, hi, node), shape, "int32")];
};

function statelessUniformInt(v2: boolean): Kernel {
  return (_c, node, inputs) => {
    const shape = shapeIn(node, inputs);
    const stream = v2 ? keyCounterStream(node, inputs) : statelessStream(node, inputs, 1);
    const [loAt, hiAt] = v2 ? [4, 5] : [2, 3];
    const lo = numbersIn(node, inputs, loAt)[0] ?? 0;
    const hi = numbersIn(node, inputs, hiAt)[0] ?? 0;
    return [tf.tensor(uniformInts(stream, product(shape), lo, hi, node), shape, "int32")];
  };
}

/** Categorical sampling from logits [batch, classes]: inverse CDF on uniform draws. */
function multinomialFrom(stream: (ctx: KernelContext, node: PlanNode, inputs: readonly Value[]) => Stream): Kernel {
  return (ctx, node, inputs) => {
    const logits = tensorIn(node, inputs, 0);
    const n = numbersIn(node, inputs, 1)[0] ?? 0;
    if (logits.rank !== 2) throw invalid(node, `logits should be a matrix, got shape [${logits.shape.join(",")}]`);
    if (n < 0) throw invalid(node, `num_samples should be nonnegative, got ${n}`);
    const [rows, cols] = logits.shape as [number, number];
    if (cols === 0 && n > 0) throw invalid(node, "num_classes should be positive");
    const v = readRaw(logits) as Float32Array;
    const s = stream(ctx, node, inputs);
    const out = new Int32Array(rows * n);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(v.subarray(r * cols, (r + 1) * cols));
      const max = Math.max(...row.filter((x) => Number.isFinite(x)));
      const w = row.map((x) => (Number.isFinite(x) ? Math.exp(x - max) : 0));
      const total = w.reduce((a, b) => a + b, 0);
      for (let k = 0; k < n; k++) {
        let u = s.uniform() * total;
        let c = 0;
        while (c < cols - 1 && u >= w[c]!) u -= w[c++]!;
        out[r * n + k] = c;
      }
    }
    return [tf.tensor(out, [rows, n], "int32")];
  };
}

export const RANDOM_KERNELS: KernelTable = [
  ["RandomUniform", stateful("uniform")],
  ["RandomStandardNormal", stateful("normal")],
  ["TruncatedNormal", stateful("truncated")],
  ["RandomUniformInt", randomUniformInt],
  ["StatelessRandomUniform", stateless("uniform", false)],
  ["StatelessRandomNormal", stateless("normal", false)],
  ["StatelessTruncatedNormal", stateless("truncated", false)],
  ["StatelessRandomUniformInt", statelessUniformInt(false)],
  ["StatelessRandomUniformV2", stateless("uniform", true)],
  ["StatelessRandomNormalV2", stateless("normal", true)],
  ["StatelessTruncatedNormalV2", stateless("truncated", true)],
  ["StatelessRandomUniformIntV2", statelessUniformInt(true)],
  ["Multinomial", multinomialFrom((ctx, node) => statefulStream(ctx, node))],
  ["StatelessMultinomial", multinomialFrom((_ctx, node, inputs) => statelessStream(node, inputs, 2))],
];
