/**
 * The embedded engine's fast path: chains of float32 layers (convolutions, depthwise convolutions,
 * matmuls with their fused epilogues, batch norms, activations, pooling, reshapes, softmax) become
 * one `_SmsSegment` node that runs on our own SIMD kernels (../wasm) in a shared memory, split
 * across threads. The activations stay in that memory from the segment's input to its output, so a
 * Sequential CNN costs two copies and one node dispatch instead of a tfjs kernel per op.
 *
 * A chain only takes a node when its data input is the previous node's sole-use output and every
 * other input is a constant known at prepare time. Programs are compiled per input shape; an input
 * that is not float32, or a shape a layer does not accept, runs the original nodes through the
 * ordinary kernels instead (the same results, the tfjs way).
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../core/errors.js";
import { refKey, type PlanGraph, type PlanNode, type TensorRef } from "../plan.js";
import { SimdRuntime, type KernelCall } from "../wasm/pool.js";
import { aInts, aStr } from "./attrs.js";
import { dilationsOf, dropDead, stridesOf, type FusedPlanNode } from "./fuse.js";

export const SEGMENT_OP = "_SmsSegment";

const ACT = { linear: 0, relu: 1, relu6: 2 } as const;

type Padding = "SAME" | "VALID" | readonly [number, number, number, number];

/** Addresses (bytes) of per-channel vectors in the shared memory, 0 when absent. */
interface Epilogue {
  bias: number;
  act: number;
  scale: number;
  shift: number;
}

type Layer =
  | ({ kind: "conv"; kh: number; kw: number; ci: number; co: number; sh: number; sw: number; pad: Padding; packed: number } & Epilogue)
  | ({ kind: "depthwise"; kh: number; kw: number; c: number; sh: number; sw: number; pad: Padding; filter: number } & Epilogue)
  | ({ kind: "matmul"; k: number; n: number; packed: number } & Epilogue)
  | { kind: "pool"; max: boolean; kh: number; kw: number; sh: number; sw: number; pad: Padding }
  | ({ kind: "affine"; c: number } & Epilogue)
  | { kind: "reshape"; shape: readonly number[] }
  | { kind: "softmax" }
  | { kind: "add" }
  | { kind: "pad"; t: number; b: number; l: number; r: number }
  | { kind: "mean"; keepDims: boolean };

/** A layer and the values it reads: 0 is the segment's input, i + 1 the output of step i. */
interface Step {
  readonly layer: Layer;
  readonly inputs: readonly number[];
}

/** An original node and where its inputs come from (for the fallback). */
interface Original {
  readonly node: PlanNode;
  /** Per input: a value (0 = the segment input, k + 1 = original k's output) or a constant. */
  readonly args: readonly ({ value: number } | { constant: tf.Tensor })[];
}

export interface SegmentPlanNode extends PlanNode {
  readonly segment: Segment;
}

/** Runs one original node through the ordinary kernels (the fallback evaluates them in order). */
export type Fallback = (node: PlanNode, inputs: tf.Tensor[]) => tf.Tensor;

interface Program {
  readonly steps: (() => void)[];
  readonly input: number;
  readonly output: number;
  readonly outShape: number[];
  readonly arena: number;
  readonly arenaBytes: number;
  readonly flops: number;
}

const MAX_PROGRAMS = 8;
/** Work (multiply-adds) below which a call stays on one thread. */
const MIN_PARALLEL_MACS = 16384;

export class Segment {
  /** Names of the nodes this segment replaces, in order (error messages, tests). */
  readonly names: string[];
  private readonly blocks: [number, number][] = [];
  private readonly programs = new Map<string, Program | null>();
  private disposed = false;

  constructor(
    private readonly rt: SimdRuntime,
    readonly originals: readonly Original[],
    private readonly steps: readonly Step[],
    blocks: [number, number][],
  ) {
    this.names = originals.map((o) => o.node.name);
    this.blocks = blocks;
  }

  /** FLOPs (2 per multiply-add of conv / depthwise / matmul layers) of the last program run. */
  lastFlops = 0;
  /** Why a program was abandoned for the ordinary kernels (a fast-path failure), if one was. */
  disabledReason: string | undefined;

  run(x: tf.Tensor, fallback: Fallback): tf.Tensor {
    if (x.dtype === "float32") {
      const out = this.runHost(x.dataSync() as Float32Array, x.shape);
      if (out) return tf.tensor(out.data, out.shape, "float32");
    }
    this.assertAlive();
    return this.runOriginals(x, fallback);
  }

  /**
   * Runs the program for a float32 input given as host data, or returns null when the layers do not
   * take this shape (or a kernel failed): the caller then runs the original nodes.
   */
  runHost(data: Float32Array, shape: readonly number[]): { data: Float32Array; shape: number[] } | null {
    this.assertAlive();
    const key = shape.join(",");
    let prog = this.programs.get(key);
    if (prog === undefined) {
      prog = this.compile(shape);
      if (this.programs.size >= MAX_PROGRAMS) this.evictOne();
      this.programs.set(key, prog);
    }
    if (!prog) return null;
    this.rt.f32().set(data, prog.input >> 2);
    try {
      for (const s of prog.steps) s();
    } catch (e) {
      // A kernel trap means a bug in the fast path: remember it (tests assert there is none) and
      // keep the model usable the ordinary way, with the same results.
      this.programs.set(key, null);
      this.rt.release(prog.arena, prog.arenaBytes);
      this.disabledReason = e instanceof Error ? e.message : String(e);
      return null;
    }
    this.lastFlops = prog.flops;
    const n = prog.outShape.reduce((a, b) => a * b, 1);
    return { data: this.rt.f32().slice(prog.output >> 2, (prog.output >> 2) + n), shape: [...prog.outShape] };
  }

  private assertAlive(): void {
    if (this.disposed) throw new StudioError("ENGINE", "segment used after its model was disposed");
  }

  /** The ordinary way: every original node through its kernel. */
  private runOriginals(x: tf.Tensor, fallback: Fallback): tf.Tensor {
    const values: tf.Tensor[] = [x];
    for (const o of this.originals) {
      values.push(
        fallback(
          o.node,
          o.args.map((a) => ("value" in a ? values[a.value]! : a.constant)),
        ),
      );
    }
    return values[values.length - 1]!;
  }

  private evictOne(): void {
    for (const [k, p] of this.programs) {
      this.programs.delete(k);
      if (p) this.rt.release(p.arena, p.arenaBytes);
      return;
    }
  }

  /** A program for this input shape, or null when a layer does not accept it. */
  private compile(inShape: readonly number[]): Program | null {
    const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
    // Shapes first (no allocation): every value's shape, the largest one, the patch matrix.
    const shapes: number[][] = [[...inShape]];
    const geos: (Geometry | undefined)[] = [];
    let maxAct = count(inShape);
    let scratchBytes = 0;
    for (const step of this.steps) {
      const ins = step.inputs.map((v) => shapes[v]!);
      const out = outShapeOf(step.layer, ins);
      if (!out) return null;
      const layer = step.layer;
      const s = ins[0]!;
      let geo: Geometry | undefined;
      if (layer.kind === "conv" || layer.kind === "depthwise" || layer.kind === "pool") {
        geo = geometry(s, layer.kh, layer.kw, layer.sh, layer.sw, layer.pad);
        if (layer.kind === "conv" && !isPointwise(layer, geo)) {
          // The patch matrix: one buffer shared by the layers (they run one after the other).
          scratchBytes = Math.max(scratchBytes, scratchBlock(out[0]! * geo.oh * geo.ow * layer.kh * layer.kw * layer.ci * 4));
        }
      }
      geos.push(geo);
      shapes.push(out);
      maxAct = Math.max(maxAct, count(out));
    }
    // Buffers by liveness: a value's slot is free again after its last reader ran; a reshape
    // shares its input's slot. A step's output never shares a slot with its inputs.
    const last = new Array<number>(shapes.length).fill(-1);
    this.steps.forEach((st, i) => {
      for (const v of st.inputs) last[v] = i;
    });
    last[shapes.length - 1] = this.steps.length; // the result outlives every step
    const slotOf: number[] = [0];
    const refs: number[] = [1];
    const freeSlots: number[] = [];
    const release = (v: number) => {
      const sl = slotOf[v]!;
      if (--refs[sl]! === 0) freeSlots.push(sl);
    };
    if (last[0] === -1) release(0);
    this.steps.forEach((st, i) => {
      const v = i + 1;
      if (st.layer.kind === "reshape") {
        const sl = slotOf[st.inputs[0]!]!;
        slotOf[v] = sl;
        refs[sl]!++;
      } else {
        const sl = freeSlots.length > 0 ? freeSlots.pop()! : refs.length;
        if (sl === refs.length) refs.push(0);
        slotOf[v] = sl;
        refs[sl]!++;
      }
      for (const u of new Set(st.inputs)) if (last[u] === i) release(u);
      if (last[v] === -1) release(v);
    });
    const nSlots = refs.length;
    if (!Number.isSafeInteger(maxAct * 4) || maxAct * 4 * nSlots + scratchBytes > 1 << 30) return null;
    const actBytes = Math.ceil((maxAct * 4 + 16) / 64) * 64;
    const arenaBytes = actBytes * nSlots + scratchBytes + 64;
    let arena: number;
    try {
      arena = this.rt.alloc(arenaBytes);
    } catch {
      return null;
    }
    const addr = (v: number) => arena + slotOf[v]! * actBytes;
    const scratch = arena + nSlots * actBytes;
    let flops = 0;
    const steps: (() => void)[] = [];
    const rt = this.rt;
    this.steps.forEach((st, i) => {
      const layer = st.layer;
      const s = shapes[st.inputs[0]!]!;
      const o = shapes[i + 1]!;
      const src = addr(st.inputs[0]!);
      const dst = addr(i + 1);
      const geo = geos[i];
      switch (layer.kind) {
        case "conv": {
          const g = geo!;
          const m = o[0]! * g.oh * g.ow;
          const k = layer.kh * layer.kw * layer.ci;
          const panels = Math.ceil(layer.co / 8);
          flops += 2 * m * k * layer.co;
          // A pointwise conv reads its input as the A matrix; others gather patches first (im2col).
          // Both calls of a chunk cover the same rows, so no barrier sits between them.
          const pointwise = isPointwise(layer, g);
          const a = pointwise ? src : scratch;
          const gemm: KernelCall = {
            fn: "gemm",
            args: [a, k, layer.packed, dst, layer.co, 0, m, 0, panels, layer.co, k, layer.bias, layer.act, layer.scale, layer.shift],
            split: 5,
          };
          const patches: KernelCall = {
            fn: "im2col",
            args: [src, s[1]!, s[2]!, s[3]!, layer.kh, layer.kw, layer.sh, layer.sw, g.pt, g.pl, g.oh, g.ow, a, 0, m],
            split: 13,
          };
          if (m >= 8 || panels < 2) {
            const minRows = Math.ceil(MIN_PARALLEL_MACS / (k * layer.co));
            steps.push(() => rt.parallel(pointwise ? [gemm] : [patches, gemm], m, 4, minRows));
          } else {
            // Few rows (a 1x1 output): split the output channels instead.
            const byPanel: KernelCall = { fn: "gemm", args: gemm.args.slice(), split: 7 };
            const minPanels = Math.ceil(MIN_PARALLEL_MACS / (m * k * 8));
            steps.push(() => {
              if (!pointwise) rt.call("im2col", patches.args);
              rt.parallel([byPanel], panels, 1, minPanels);
            });
          }
          break;
        }
        case "depthwise": {
          const g = geo!;
          const m = o[0]! * g.oh * g.ow;
          flops += 2 * m * layer.kh * layer.kw * layer.c;
          const args = [src, s[1]!, s[2]!, layer.c, layer.kh, layer.kw, layer.sh, layer.sw, g.pt, g.pl, g.oh, g.ow];
          const call: KernelCall = {
            fn: "depthwise",
            args: [...args, layer.filter, dst, 0, m, layer.bias, layer.act, layer.scale, layer.shift],
            split: 14,
          };
          steps.push(() => rt.parallel([call], m, 1, Math.ceil(MIN_PARALLEL_MACS / (layer.kh * layer.kw * layer.c))));
          break;
        }
        case "matmul": {
          const m = s[0]!;
          const panels = Math.ceil(layer.n / 8);
          flops += 2 * m * layer.k * layer.n;
          const args = [src, layer.k, layer.packed, dst, layer.n, 0, m, 0, panels, layer.n, layer.k];
          const call: KernelCall = { fn: "gemm", args: [...args, layer.bias, layer.act, layer.scale, layer.shift], split: 5 };
          if (m >= 16) steps.push(() => rt.parallel([call], m, 4, Math.ceil(MIN_PARALLEL_MACS / (layer.k * layer.n))));
          else steps.push(() => rt.parallel([{ ...call, split: 7 }], panels, 1, Math.ceil(MIN_PARALLEL_MACS / (m * layer.k * 8))));
          break;
        }
        case "pool":
        case "mean": {
          // A global mean is an average pool over the whole image.
          const [kh, kw, sh, sw, g] =
            layer.kind === "pool" ? [layer.kh, layer.kw, layer.sh, layer.sw, geo!] : [s[1]!, s[2]!, 1, 1, { oh: 1, ow: 1, pt: 0, pl: 0 }];
          const m = s[0]! * g.oh * g.ow;
          const max = layer.kind === "pool" && layer.max;
          const call: KernelCall = {
            fn: "pool",
            args: [src, s[1]!, s[2]!, s[3]!, kh, kw, sh, sw, g.pt, g.pl, g.oh, g.ow, dst, 0, m, max ? 0 : 1],
            split: 13,
          };
          steps.push(() => rt.parallel([call], m, 1, Math.ceil(MIN_PARALLEL_MACS / (kh * kw * s[3]!))));
          break;
        }
        case "pad": {
          const rows = o[0]! * o[1]!;
          const call: KernelCall = {
            fn: "padrows",
            args: [src, s[1]!, s[2]!, s[3]!, layer.t, layer.l, o[1]!, o[2]!, dst, 0, rows],
            split: 9,
          };
          steps.push(() => rt.parallel([call], rows, 1, Math.ceil(MIN_PARALLEL_MACS / (o[2]! * o[3]!))));
          break;
        }
        case "add": {
          const n = count(o);
          const call: KernelCall = { fn: "add", args: [src, addr(st.inputs[1]!), dst, 0, n], split: 3 };
          steps.push(() => rt.parallel([call], n, 4, MIN_PARALLEL_MACS));
          break;
        }
        case "affine": {
          const c = layer.c > 0 ? layer.c : s[s.length - 1]!;
          const rows = count(s) / c;
          steps.push(() => rt.call("affine", [src, dst, c, 0, rows, layer.act, layer.scale, layer.shift]));
          break;
        }
        case "softmax": {
          const c = s[s.length - 1]!;
          const rows = count(s) / c;
          steps.push(() => rt.call("softmax", [src, dst, c, 0, rows]));
          break;
        }
        case "reshape":
          break;
      }
    });
    const result = shapes.length - 1;
    return { steps, input: addr(0), output: addr(result), outShape: shapes[result]!, arena, arenaBytes, flops };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.programs.values()) if (p) this.rt.release(p.arena, p.arenaBytes);
    this.programs.clear();
    for (const [start, bytes] of this.blocks) this.rt.release(start, bytes);
  }
}

/** Bytes a scratch block of `bytes` takes in an arena (64-byte aligned, vector over-reads allowed). */
function scratchBlock(bytes: number): number {
  return Math.ceil((bytes + 16) / 64) * 64;
}

interface Geometry {
  readonly oh: number;
  readonly ow: number;
  readonly pt: number;
  readonly pl: number;
}

/** TensorFlow's output size and top/left padding for SAME / VALID / explicit padding. */
function geometry(shape: readonly number[], kh: number, kw: number, sh: number, sw: number, pad: Padding): Geometry {
  const h = shape[1]!;
  const w = shape[2]!;
  let oh: number;
  let ow: number;
  let pt = 0;
  let pl = 0;
  if (pad === "VALID") {
    oh = Math.floor((h - kh) / sh) + 1;
    ow = Math.floor((w - kw) / sw) + 1;
  } else if (pad === "SAME") {
    oh = Math.ceil(h / sh);
    ow = Math.ceil(w / sw);
    pt = Math.floor(Math.max((oh - 1) * sh + kh - h, 0) / 2);
    pl = Math.floor(Math.max((ow - 1) * sw + kw - w, 0) / 2);
  } else {
    const [t, b, l, r] = pad;
    oh = Math.floor((h + t + b - kh) / sh) + 1;
    ow = Math.floor((w + l + r - kw) / sw) + 1;
    pt = t;
    pl = l;
  }
  return { oh, ow, pt, pl };
}

function isPointwise(l: { kh: number; kw: number; sh: number; sw: number }, g: Geometry): boolean {
  return l.kh === 1 && l.kw === 1 && l.sh === 1 && l.sw === 1 && g.pt === 0 && g.pl === 0;
}

function outShapeOf(layer: Layer, ins: readonly (readonly number[])[]): number[] | null {
  const s = ins[0]!;
  const count = s.reduce((a, b) => a * b, 1);
  switch (layer.kind) {
    case "conv":
    case "depthwise":
    case "pool": {
      if (s.length !== 4 || s.some((d) => d <= 0)) return null;
      const c = layer.kind === "conv" ? layer.ci : layer.kind === "depthwise" ? layer.c : s[3]!;
      if (s[3] !== c) return null;
      const g = geometry(s, layer.kh, layer.kw, layer.sh, layer.sw, layer.pad);
      if (g.oh <= 0 || g.ow <= 0) return null;
      return [s[0]!, g.oh, g.ow, layer.kind === "conv" ? layer.co : c];
    }
    case "mean":
      if (s.length !== 4 || s.some((d) => d <= 0)) return null;
      return layer.keepDims ? [s[0]!, 1, 1, s[3]!] : [s[0]!, s[3]!];
    case "pad":
      if (s.length !== 4 || s.some((d) => d <= 0)) return null;
      return [s[0]!, s[1]! + layer.t + layer.b, s[2]! + layer.l + layer.r, s[3]!];
    case "add": {
      const t = ins[1];
      return t && t.length === s.length && t.every((d, i) => d === s[i]) && count > 0 ? [...s] : null;
    }
    case "matmul":
      return s.length === 2 && s[1] === layer.k && s[0]! > 0 ? [s[0]!, layer.n] : null;
    case "affine":
      return s.length >= 1 && (layer.c < 0 || s[s.length - 1] === layer.c) && count > 0 ? [...s] : null;
    case "softmax":
      return s.length >= 1 && s[s.length - 1]! > 0 && count > 0 ? [...s] : null;
    case "reshape": {
      const want = [...layer.shape];
      const free = want.indexOf(-1);
      const known = want.reduce((a, d) => (d === -1 ? a : a * d), 1);
      if (free >= 0) {
        if (known === 0 || count % known !== 0) return null;
        want[free] = count / known;
      }
      return want.reduce((a, b) => a * b, 1) === count ? want : null;
    }
  }
}

// ---------- building segments from a plan ----------

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
      if (!b || !bT || bT.rank !== 2 || n.attrs["transpose_a"]?.b) return null;
      const transposeB = !!n.attrs["transpose_b"]?.b;
      const [r, c] = bT.shape as [number, number];
      return { kind: "matmul", k: transposeB ? c : r, n: transposeB ? r : c, b, transposeB, ep };
    }
    case "FusedBatchNorm":
    case "FusedBatchNormV2":
    case "FusedBatchNormV3": {
      // Inference only (the OpDef default is training mode, as the kernel reads it).
      if ((n.attrs["is_training"]?.b ?? true) || !nhwc(n)) return null;
      const [scale, offset, mean, variance] = consts.slice(0, 4).map(f32Of);
      if (!scale || !offset || !mean || !variance) return null;
      const c = scale.length;
      if ([offset, mean, variance].some((v) => v.length !== c)) return null;
      const eps = n.attrs["epsilon"]?.f ?? 1e-4;
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
      return { kind: "mean", keepDims: !!n.attrs["keep_dims"]?.b };
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
  const put = (values: Float32Array, padTo: number): number => {
    const len = Math.max(values.length, padTo);
    const bytes = (len + 8) * 4;
    const at = rt.alloc(bytes);
    blocks.push([at, bytes]);
    const f = rt.f32();
    f.fill(0, at >> 2, (at >> 2) + len + 8);
    f.set(values, at >> 2);
    return at;
  };
  const vec = (v: Float32Array | undefined, n: number) => (v ? put(v, Math.ceil(n / 8) * 8) : 0);
  const epilogue = (ep: DraftEpilogue, n: number): Epilogue => ({
    bias: vec(ep.bias, n),
    act: ep.act,
    scale: vec(ep.scale, n),
    shift: ep.scale ? vec(ep.shift ?? new Float32Array(n), n) : 0,
  });
  /** [K x N] (or [N x K] when transposed) -> panels of 8 columns. */
  const pack = (b: Float32Array, k: number, n: number, transposed: boolean): number => {
    const panels = Math.ceil(n / 8);
    const packed = new Float32Array(panels * k * 8);
    for (let p = 0; p < panels; p++) {
      for (let kk = 0; kk < k; kk++) {
        for (let j = 0; j < 8; j++) {
          const col = p * 8 + j;
          if (col < n) packed[(p * k + kk) * 8 + j] = transposed ? b[col * k + kk]! : b[kk * n + col]!;
        }
      }
    }
    return put(packed, 0);
  };
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
