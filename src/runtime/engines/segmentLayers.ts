/**
 * The fast path's layers (segments.ts): what each computes, its output shape for an input shape
 * (TensorFlow's geometry for SAME / VALID / explicit padding), and the kernel calls that run it on
 * the SIMD kernels, split across threads (one emitter per layer kind).
 */
import type { KernelCall, SimdRuntime } from "../wasm/pool.js";

export const ACT = { linear: 0, relu: 1, relu6: 2 } as const;

export type Padding = "SAME" | "VALID" | readonly [number, number, number, number];

/** Addresses (bytes) of per-channel vectors in the shared memory, 0 when absent. */
export interface Epilogue {
  bias: number;
  act: number;
  scale: number;
  shift: number;
}

export type Layer =
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
export interface Step {
  readonly layer: Layer;
  readonly inputs: readonly number[];
}

/** Bytes a scratch block of `bytes` takes in an arena (64-byte aligned, vector over-reads allowed). */
export function scratchBlock(bytes: number): number {
  return Math.ceil((bytes + 16) / 64) * 64;
}

export interface Geometry {
  readonly oh: number;
  readonly ow: number;
  readonly pt: number;
  readonly pl: number;
}

/** TensorFlow's output size and top/left padding for SAME / VALID / explicit padding. */
export function geometry(shape: readonly number[], kh: number, kw: number, sh: number, sw: number, pad: Padding): Geometry {
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

export function isPointwise(l: { kh: number; kw: number; sh: number; sw: number }, g: Geometry): boolean {
  return l.kh === 1 && l.kw === 1 && l.sh === 1 && l.sw === 1 && g.pt === 0 && g.pl === 0;
}

export function outShapeOf(layer: Layer, ins: readonly (readonly number[])[]): number[] | null {
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

/** Work (multiply-adds) below which a call stays on one thread. */
const MIN_PARALLEL_MACS = 16384;

/** What a layer's kernel calls read and write (addresses in the shared memory). */
export interface EmitContext {
  readonly rt: SimdRuntime;
  /** Shapes of the layer's first input and of its output. */
  readonly s: readonly number[];
  readonly o: readonly number[];
  readonly src: number;
  readonly dst: number;
  /** Address of the layer's second input (add). */
  readonly src2: number;
  readonly geo: Geometry | undefined;
  /** The patch matrix (im2col) shared by the convolutions. */
  readonly scratch: number;
}

/** A layer's step (none for a reshape, which only renames its input's buffer) and its FLOPs. */
export interface Emitted {
  readonly run?: () => void;
  readonly flops: number;
}

const count = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

type Emitter<K extends Layer["kind"]> = (layer: Extract<Layer, { kind: K }>, c: EmitContext) => Emitted;

function emitConv(layer: Extract<Layer, { kind: "conv" }>, c: EmitContext): Emitted {
  const { rt, s, o, src, dst } = c;
  const g = c.geo!;
  const m = o[0]! * g.oh * g.ow;
  const k = layer.kh * layer.kw * layer.ci;
  const panels = Math.ceil(layer.co / 8);
  const flops = 2 * m * k * layer.co;
  // A pointwise conv reads its input as the A matrix; others gather patches first (im2col).
  // Both calls of a chunk cover the same rows, so no barrier sits between them.
  const pointwise = isPointwise(layer, g);
  const a = pointwise ? src : c.scratch;
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
    return { run: () => rt.parallel(pointwise ? [gemm] : [patches, gemm], m, 4, minRows), flops };
  }
  // Few rows (a 1x1 output): split the output channels instead.
  const byPanel: KernelCall = { fn: "gemm", args: gemm.args.slice(), split: 7 };
  const minPanels = Math.ceil(MIN_PARALLEL_MACS / (m * k * 8));
  return {
    run: () => {
      if (!pointwise) rt.call("im2col", patches.args);
      rt.parallel([byPanel], panels, 1, minPanels);
    },
    flops,
  };
}

function emitDepthwise(layer: Extract<Layer, { kind: "depthwise" }>, c: EmitContext): Emitted {
  const { rt, s, o, src, dst } = c;
  const g = c.geo!;
  const m = o[0]! * g.oh * g.ow;
  const args = [src, s[1]!, s[2]!, layer.c, layer.kh, layer.kw, layer.sh, layer.sw, g.pt, g.pl, g.oh, g.ow];
  const call: KernelCall = {
    fn: "depthwise",
    args: [...args, layer.filter, dst, 0, m, layer.bias, layer.act, layer.scale, layer.shift],
    split: 14,
  };
  return {
    run: () => rt.parallel([call], m, 1, Math.ceil(MIN_PARALLEL_MACS / (layer.kh * layer.kw * layer.c))),
    flops: 2 * m * layer.kh * layer.kw * layer.c,
  };
}

function emitMatmul(layer: Extract<Layer, { kind: "matmul" }>, c: EmitContext): Emitted {
  const { rt, s, src, dst } = c;
  const m = s[0]!;
  const panels = Math.ceil(layer.n / 8);
  const flops = 2 * m * layer.k * layer.n;
  const args = [src, layer.k, layer.packed, dst, layer.n, 0, m, 0, panels, layer.n, layer.k];
  const call: KernelCall = { fn: "gemm", args: [...args, layer.bias, layer.act, layer.scale, layer.shift], split: 5 };
  if (m >= 16) return { run: () => rt.parallel([call], m, 4, Math.ceil(MIN_PARALLEL_MACS / (layer.k * layer.n))), flops };
  return { run: () => rt.parallel([{ ...call, split: 7 }], panels, 1, Math.ceil(MIN_PARALLEL_MACS / (m * layer.k * 8))), flops };
}

/** Pooling, and a global mean as an average pool over the whole image. */
function emitPool(layer: Extract<Layer, { kind: "pool" | "mean" }>, c: EmitContext): Emitted {
  const { rt, s, src, dst } = c;
  const [kh, kw, sh, sw, g] =
    layer.kind === "pool" ? [layer.kh, layer.kw, layer.sh, layer.sw, c.geo!] : [s[1]!, s[2]!, 1, 1, { oh: 1, ow: 1, pt: 0, pl: 0 }];
  const m = s[0]! * g.oh * g.ow;
  const max = layer.kind === "pool" && layer.max;
  const call: KernelCall = {
    fn: "pool",
    args: [src, s[1]!, s[2]!, s[3]!, kh, kw, sh, sw, g.pt, g.pl, g.oh, g.ow, dst, 0, m, max ? 0 : 1],
    split: 13,
  };
  return { run: () => rt.parallel([call], m, 1, Math.ceil(MIN_PARALLEL_MACS / (kh * kw * s[3]!))), flops: 0 };
}

function emitPad(layer: Extract<Layer, { kind: "pad" }>, c: EmitContext): Emitted {
  const { rt, s, o, src, dst } = c;
  const rows = o[0]! * o[1]!;
  const call: KernelCall = {
    fn: "padrows",
    args: [src, s[1]!, s[2]!, s[3]!, layer.t, layer.l, o[1]!, o[2]!, dst, 0, rows],
    split: 9,
  };
  return { run: () => rt.parallel([call], rows, 1, Math.ceil(MIN_PARALLEL_MACS / (o[2]! * o[3]!))), flops: 0 };
}

function emitAdd(_layer: Extract<Layer, { kind: "add" }>, c: EmitContext): Emitted {
  const n = count(c.o);
  const call: KernelCall = { fn: "add", args: [c.src, c.src2, c.dst, 0, n], split: 3 };
  return { run: () => c.rt.parallel([call], n, 4, MIN_PARALLEL_MACS), flops: 0 };
}

function emitAffine(layer: Extract<Layer, { kind: "affine" }>, c: EmitContext): Emitted {
  const { rt, s, src, dst } = c;
  const ch = layer.c > 0 ? layer.c : s[s.length - 1]!;
  const rows = count(s) / ch;
  return { run: () => rt.call("affine", [src, dst, ch, 0, rows, layer.act, layer.scale, layer.shift]), flops: 0 };
}

function emitSoftmax(_layer: Extract<Layer, { kind: "softmax" }>, c: EmitContext): Emitted {
  const { rt, s, src, dst } = c;
  const ch = s[s.length - 1]!;
  const rows = count(s) / ch;
  return { run: () => rt.call("softmax", [src, dst, ch, 0, rows]), flops: 0 };
}

const EMITTERS: { readonly [K in Layer["kind"]]: Emitter<K> } = {
  conv: emitConv,
  depthwise: emitDepthwise,
  matmul: emitMatmul,
  pool: emitPool,
  mean: emitPool,
  pad: emitPad,
  add: emitAdd,
  affine: emitAffine,
  softmax: emitSoftmax,
  reshape: () => ({ flops: 0 }),
};

/** The kernel calls of one layer. */
export function emitLayer(layer: Layer, c: EmitContext): Emitted {
  return (EMITTERS[layer.kind] as Emitter<Layer["kind"]>)(layer as never, c);
}
