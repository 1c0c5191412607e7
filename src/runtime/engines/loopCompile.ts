/**
 * Compiles the body and condition functions of a While loop (a Keras LSTM / GRU / SimpleRNN step:
 * per step `x_t @ kernel`, `h @ recurrent_kernel`, bias, a split into gates, sigmoid / tanh, the
 * element-wise state update, TensorList reads and writes, int32 counters) into a fixed sequence of
 * steps over buffers in the fast path's shared memory, planned once per input signature:
 *  - MatMul by a loop-invariant weight runs on the SIMD GEMM kernel with the weight packed once;
 *    when its left operand is the step's slice of a loop-invariant input list, the products of all
 *    time steps are computed before the loop as one GEMM (the "input projection") and the step only
 *    points at its rows;
 *  - element-wise float ops are fused: every maximal run of them over one shape (through Split
 *    views and broadcast vectors, e.g. the whole LSTM cell after its GEMMs) is generated as one
 *    JavaScript loop that keeps intermediates in registers and writes only what is read later;
 *  - int32 scalars (time, loop counter, bounds) live in a JS register file.
 * Anything else makes the compiler give up (`Unsupported`): the caller then runs the loop the
 * ordinary way, node by node, with the same results.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { refKey, type PlanFunction, type PlanNode, type TensorRef } from "../plan.js";
import type { SimdRuntime } from "../wasm/pool.js";
import { aBool, aInt } from "./attrs.js";
import { packPanels, placeFloats } from "./simdMemory.js";

/** The compiler does not take this loop (the message says why, for tests and diagnostics). */
export class Unsupported extends Error {}

const fail = (why: string): never => {
  throw new Unsupported(why);
};

/** A float32 value: a buffer (register `r` holds its byte address), a constant, or an expression. */
export interface F {
  readonly t: "f";
  readonly id: number;
  readonly shape: readonly number[];
  readonly n: number;
  /** Register of the byte address, -1 while the value has no buffer. */
  r: number;
  /** Host values of a constant. */
  readonly data?: Float32Array;
  /** An element-wise op of other values. */
  readonly ew?: { readonly op: string; readonly ins: readonly F[] };
  /** Part `k` of a Split of `src` along its last axis. */
  readonly part?: { readonly src: F; readonly k: number };
  /** Readers that are fused element-wise ops / anything else (steps, returned values). */
  ewUses: number;
  otherUses: number;
}

export interface I {
  readonly t: "i";
  readonly r: number;
  readonly dtype: "int32" | "bool";
}

/** A TensorList held as one buffer of `length` elements of `elem` shape. */
export interface ListVar {
  readonly t: "l";
  /** Register of the buffer's byte address (set once the element shape is known). */
  readonly r: number;
  readonly length: number;
  elem: readonly number[] | null;
  readonly invariant: boolean;
  /** SetItem nodes writing it (at most one per loop iteration). */
  writers: number;
}

/** A compile-time constant that is not (yet) a float or int value (split_dim, element_shape). */
interface K {
  readonly t: "k";
  readonly tensor: tf.Tensor;
  readonly node: PlanNode;
}

export type V = F | I | ListVar | K;

/** Register files and the memory view the generated steps read (the view is refreshed per run). */
export interface Regs {
  f: Float32Array;
  readonly I: number[];
  readonly P: number[];
}

/** Shared state of one loop's compilation: registers, memory blocks, steps run once per run. */
export class LoopBuilder {
  readonly regs: Regs;
  readonly blocks: [number, number][] = [];
  /** Steps run once per run before the loop (hoisted input projections). */
  readonly pre: (() => void)[] = [];
  flops = 0;
  flopsPerStep = 0;
  private nextId = 0;

  constructor(
    readonly rt: SimdRuntime,
    readonly constOf: (n: PlanNode) => tf.Tensor,
  ) {
    this.regs = { f: rt.f32(), I: [], P: [] };
  }

  int(dtype: "int32" | "bool", value = 0): I {
    this.regs.I.push(value);
    return { t: "i", r: this.regs.I.length - 1, dtype };
  }

  ptr(addr = 0): number {
    this.regs.P.push(addr);
    return this.regs.P.length - 1;
  }

  f(shape: readonly number[], extra: Partial<Pick<F, "data" | "ew" | "part">> = {}): F {
    const n = shape.reduce((a, b) => a * b, 1);
    return { t: "f", id: this.nextId++, shape: [...shape], n, r: -1, ewUses: 0, otherUses: 0, ...extra };
  }

  /** A zeroed block of `floats` floats (plus vector over-read room); returns its byte address. */
  alloc(floats: number): number {
    const bytes = (floats + 16) * 4;
    if (!Number.isSafeInteger(bytes) || bytes > 1 << 30) fail("a loop buffer over 1 GiB");
    const at = this.rt.alloc(bytes);
    this.blocks.push([at, bytes]);
    this.regs.f = this.rt.f32();
    this.regs.f.fill(0, at >> 2, (at + bytes) >> 2);
    return at;
  }

  /** Matrices of fewer than 4 rows whose buffers hold 4 (zeros below): the GEMM's 4-row tile reads them whole. */
  readonly padded = new Set<F>();

  /** Gives `v` a buffer of its own (constants: their values). */
  materialize(v: F): void {
    if (v.r >= 0) return;
    if (v.part) fail("a Split part read by a non-element-wise op");
    let at: number;
    if (v.data) at = placeFloats(this.rt, v.data, this.blocks);
    else if (v.shape.length === 2 && v.shape[0]! < 4) {
      at = this.alloc(4 * v.shape[1]!);
      this.padded.add(v);
    } else at = this.alloc(v.n);
    this.regs.f = this.rt.f32();
    v.r = this.ptr(at);
  }

  /** A loop-invariant weight packed in 8-column panels for the GEMM kernel (memoized per value). */
  private readonly packed = new Map<F, number>();
  pack(b: F, transposed: boolean): number {
    let at = this.packed.get(b);
    if (at === undefined) {
      const [r, c] = b.shape as [number, number];
      at = packPanels(this.rt, b.data!, transposed ? c : r, transposed ? r : c, transposed, this.blocks);
      this.regs.f = this.rt.f32();
      this.packed.set(b, at);
    }
    return at;
  }

  /**
   * A GEMM of A [m x k] (address args[0], the caller may move it) by packed B into C [m x n], on
   * the calling thread: a step's product is too small to share, and the worker threads spin after
   * each shared call, which on a loaded machine takes the core the loop itself needs (measured:
   * 2 threads cost the four-layer LSTM 50% more CPU time per run than 1, for no gain in wall time).
   */
  gemmCall(a: number, m: number, k: number, packed: number, out: number, n: number): { args: number[]; run: () => void } {
    const args = [a, k, packed, out, n, 0, m, 0, Math.ceil(n / 8), n, k, 0, 0, 0, 0];
    const rt = this.rt;
    return { args, run: () => rt.call("gemm", args) };
  }
}

/** The SIMD activation kernel's kinds (wasm/as/kernels.ts `act`). */
const ACTIVATIONS: Readonly<Record<string, number>> = { Sigmoid: 0, Tanh: 1 };

/** Element-wise float ops: one JS expression each (computed in double, stored as float32). */
const UNARY: Readonly<Record<string, (a: string) => string>> = {
  Relu: (a) => `(${a} > 0 ? ${a} : 0)`,
  Relu6: (a) => `Math.min(Math.max(${a}, 0), 6)`,
  Neg: (a) => `-${a}`,
  Exp: (a) => `Math.exp(${a})`,
};
const BINARY: Readonly<Record<string, (a: string, b: string) => string>> = {
  Add: (a, b) => `${a} + ${b}`,
  AddV2: (a, b) => `${a} + ${b}`,
  BiasAdd: (a, b) => `${a} + ${b}`,
  Sub: (a, b) => `${a} - ${b}`,
  Mul: (a, b) => `${a} * ${b}`,
  RealDiv: (a, b) => `${a} / ${b}`,
  Maximum: (a, b) => `Math.max(${a}, ${b})`,
  Minimum: (a, b) => `Math.min(${a}, ${b})`,
};
/** Int32 / bool scalar ops (loop counters and conditions). */
const INT_OPS: Readonly<Record<string, { fn: (a: number, b: number) => number; bool?: boolean }>> = {
  Add: { fn: (a, b) => (a + b) | 0 },
  AddV2: { fn: (a, b) => (a + b) | 0 },
  Sub: { fn: (a, b) => (a - b) | 0 },
  Mul: { fn: (a, b) => Math.imul(a, b) },
  Maximum: { fn: (a, b) => Math.max(a, b) },
  Minimum: { fn: (a, b) => Math.min(a, b) },
  Less: { fn: (a, b) => +(a < b), bool: true },
  LessEqual: { fn: (a, b) => +(a <= b), bool: true },
  Greater: { fn: (a, b) => +(a > b), bool: true },
  GreaterEqual: { fn: (a, b) => +(a >= b), bool: true },
  Equal: { fn: (a, b) => +(a === b), bool: true },
  NotEqual: { fn: (a, b) => +(a !== b), bool: true },
  LogicalAnd: { fn: (a, b) => +(a !== 0 && b !== 0), bool: true },
  LogicalOr: { fn: (a, b) => +(a !== 0 || b !== 0), bool: true },
};
const ALIASES = new Set(["Identity", "Snapshot", "StopGradient", "PreventGradient"]);

/** One entry of a function's program before fusion: a step, or a fused element-wise value. */
type Item = { readonly kind: "step"; readonly run: () => void; readonly reads: readonly F[] } | { readonly kind: "ew"; readonly v: F };

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** How `x` is indexed inside an op whose output has shape `out`: "same", "row" (a last-axis vector) or "one". */
function broadcastOf(x: F, out: readonly number[]): "same" | "row" | "one" {
  const n = out.reduce((a, b) => a * b, 1);
  if (x.n === n && x.shape.length <= out.length) return "same";
  if (x.n === 1) return "one";
  const c = out[out.length - 1];
  if (x.n === c && x.shape[x.shape.length - 1] === c && x.shape.length <= out.length) return "row";
  return fail(`a broadcast of [${x.shape.join(",")}] to [${out.join(",")}]`);
}

/** NumPy broadcasting of two shapes (the op's output shape). */
function binaryShape(a: F, b: F): readonly number[] {
  const rank = Math.max(a.shape.length, b.shape.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a.shape[a.shape.length - rank + i] ?? 1;
    const y = b.shape[b.shape.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) fail(`shapes [${a.shape.join(",")}] and [${b.shape.join(",")}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Compiles one function (body or cond) over values bound to its arguments. */
export class FunctionCompiler {
  private readonly vals = new Map<string, V>();
  private readonly items: Item[] = [];

  constructor(
    private readonly b: LoopBuilder,
    private readonly fn: PlanFunction,
    args: readonly V[],
    /** The loop's TensorList index register per list (for the input projection hoist). */
    private readonly invariantLists: ReadonlySet<ListVar>,
  ) {
    fn.args.forEach((a, i) => this.vals.set(refKey({ node: a, index: 0 }), args[i]!));
  }

  /** Reads every node; returns the values of the function's results. */
  read(): V[] {
    for (const n of this.fn.graph.nodes) {
      if (n.op === "_Arg" || n.op === "NoOp") continue;
      const outs = this.node(n);
      outs.forEach((v, i) => this.vals.set(refKey({ node: n.name, index: i }), v));
    }
    return this.fn.rets.map((r) => {
      const v = this.get(r);
      if (v.t === "f") v.otherUses++;
      return v;
    });
  }

  private get(r: TensorRef): V {
    const v = this.vals.get(refKey(r));
    if (!v) return fail(`no value for ${r.node}:${r.index}`);
    return v;
  }

  private asF(v: V, reader: "ew" | "other"): F {
    let f: F;
    if (v.t === "f") f = v;
    else if (v.t === "k" && v.tensor.dtype === "float32") {
      f = this.b.f(v.tensor.shape, { data: v.tensor.dataSync() as Float32Array });
      this.vals.set(refKey({ node: v.node.name, index: 0 }), f);
    } else return fail("a float op on a non-float value");
    if (reader === "ew") f.ewUses++;
    else f.otherUses++;
    return f;
  }

  private asI(v: V): I {
    if (v.t === "i") return v;
    if (v.t === "k" && (v.tensor.dtype === "int32" || v.tensor.dtype === "bool") && v.tensor.size === 1) {
      return this.b.int(v.tensor.dtype, (v.tensor.dataSync() as Int32Array | Uint8Array)[0]!);
    }
    return fail("an int op on a non-int32 scalar");
  }

  private konst(v: V): tf.Tensor {
    return v.t === "k" ? v.tensor : fail("an attribute-like input that is not a constant");
  }

  private step(run: () => void, reads: readonly F[] = []): void {
    this.items.push({ kind: "step", run, reads });
  }

  private node(n: PlanNode): V[] {
    const ins = n.inputs.map((r) => this.get(r));
    if (n.op === "Const") {
      const t = this.b.constOf(n);
      return [{ t: "k", tensor: t, node: n }];
    }
    if (ALIASES.has(n.op)) return [ins[0] ?? fail(`${n.op} without input`)];
    const isInt = ins.some((v) => v.t === "i" || (v.t === "k" && v.tensor.dtype !== "float32"));
    if (INT_OPS[n.op] && isInt) return [this.intOp(n, ins)];
    if (n.op === "LogicalNot") return [this.intNot(ins)];
    if (ACTIVATIONS[n.op] !== undefined && ins.length === 1) return [this.activation(ACTIVATIONS[n.op]!, ins[0]!)];
    if (UNARY[n.op] && ins.length === 1) {
      const a = this.asF(ins[0]!, "ew");
      return [this.ew(n.op, [a], a.shape)];
    }
    if (BINARY[n.op] && ins.length === 2) {
      const a = this.asF(ins[0]!, "ew");
      const c = this.asF(ins[1]!, "ew");
      return [this.ew(n.op, [a, c], binaryShape(a, c))];
    }
    const handler = NODE_OPS[n.op];
    return handler ? handler.call(this, n, ins) : fail(`op ${n.op}`);
  }

  private ew(op: string, ins: F[], shape: readonly number[]): F {
    const v = this.b.f(shape, { ew: { op, ins } });
    for (const x of ins) broadcastOf(x, shape);
    this.items.push({ kind: "ew", v });
    return v;
  }

  private intOp(n: PlanNode, ins: V[]): I {
    const spec = INT_OPS[n.op]!;
    const [a, c] = [this.asI(ins[0]!), this.asI(ins[1]!)];
    const out = this.b.int(spec.bool ? "bool" : a.dtype);
    const I = this.b.regs.I;
    const [ra, rc, ro, fn] = [a.r, c.r, out.r, spec.fn];
    this.step(() => {
      I[ro] = fn(I[ra]!, I[rc]!);
    });
    return out;
  }

  private intNot(ins: V[]): I {
    const a = this.asI(ins[0]!);
    const out = this.b.int("bool");
    const I = this.b.regs.I;
    this.step(() => {
      I[out.r] = I[a.r] ? 0 : 1;
    });
    return out;
  }

  /**
   * Sigmoid / tanh on the SIMD kernel (the gates' exponentials are most of a cell's element-wise
   * work): the input is read in place, a Split part as a strided view of the matrix it splits.
   */
  private activation(kind: number, x: V): F {
    let src: F;
    let offset = 0;
    if (x.t === "f" && x.part) {
      src = x.part.src;
      offset = x.part.k * x.shape[x.shape.length - 1]!;
      src.otherUses++;
    } else src = this.asF(x, "other");
    const shape = x.t === "f" ? x.shape : src.shape;
    const cols = shape[shape.length - 1] ?? 1;
    const ld = src.shape[src.shape.length - 1] ?? 1;
    const out = this.b.f(shape);
    const rows = out.n / Math.max(cols, 1);
    const P = this.b.regs.P;
    const rt = this.b.rt;
    let args: number[] | undefined;
    this.step(() => {
      args ??= [0, ld, P[out.r]!, cols, cols, 0, rows, kind];
      args[0] = P[src.r]! + offset * 4;
      rt.call("act", args);
    }, [src, out]);
    return out;
  }

  matMul(n: PlanNode, ins: V[]): V[] {
    if (aBool(n, "transpose_a")) fail("MatMul with transpose_a");
    const transposeB = aBool(n, "transpose_b");
    const w = this.asF(ins[1]!, "other");
    if (!w.data || w.shape.length !== 2) fail("MatMul by a value that is not a loop-invariant matrix");
    const [k, nOut] = transposeB ? [w.shape[1]!, w.shape[0]!] : [w.shape[0]!, w.shape[1]!];
    const a0 = ins[0]!;
    const hoist = a0.t === "f" && this.hoistable.get(a0);
    const a = this.asF(a0, "other");
    if (a.shape.length !== 2 || a.shape[1] !== k) fail(`MatMul of [${a.shape.join(",")}] by [${w.shape.join(",")}]`);
    const m = a.shape[0]!;
    const packed = this.b.pack(w, transposeB);
    const out = this.b.f([m, nOut]);
    this.b.flopsPerStep += 2 * m * k * nOut;
    if (hoist) {
      // The step's rows of one GEMM over every element of the list, computed before the loop.
      const { list, index } = hoist;
      const total = list.length * m;
      const proj = this.b.alloc(total * nOut);
      const P = this.b.regs.P;
      let g: { args: number[]; run: () => void } | undefined;
      this.b.pre.push(() => {
        g ??= this.b.gemmCall(0, total, k, packed, proj, nOut);
        g.args[0] = P[list.r]!;
        g.run();
      });
      this.b.flops += 2 * total * k * nOut;
      this.b.flopsPerStep -= 2 * m * k * nOut;
      out.r = this.b.ptr(proj);
      const [I, ro, ri, len, rowBytes] = [this.b.regs.I, out.r, index.r, list.length, m * nOut * 4];
      this.step(() => {
        const t = I[ri]!;
        if (t < 0 || t >= len) throw new Unsupported("TensorListGetItem index out of range");
        P[ro] = proj + t * rowBytes;
      });
      return [out];
    }
    this.b.materialize(out);
    this.step(this.gemmStep(a, m, k, packed, out, nOut), [a]);
    return [out];
  }

  private gemmStep(a: F, m: number, k: number, packed: number, out: F, n: number): () => void {
    const P = this.b.regs.P;
    // Buffers are laid out after every function was read: the call is built on the first run. A
    // product of 1-3 rows whose operands have 4 rows of room runs as one 4-row tile (its extra
    // rows are zeros in, ignored out): twice the multiply-adds per B load of the 1-row loop.
    let g: { args: number[]; run: () => void } | undefined;
    return () => {
      g ??= this.b.gemmCall(0, this.b.padded.has(a) && this.b.padded.has(out) ? 4 : m, k, packed, P[out.r]!, n);
      g.args[0] = P[a.r]!;
      g.run();
    };
  }

  /** GetItem results of loop-invariant lists, by value: candidates for the input projection hoist. */
  private readonly hoistable = new Map<F, { list: ListVar; index: I }>();

  getItem(_n: PlanNode, ins: V[]): V[] {
    const list = ins[0]!;
    if (list.t !== "l") return fail("TensorListGetItem of a value that is not a list");
    if (!list.elem) return fail("TensorListGetItem of a list whose element shape is unknown");
    const index = this.asI(ins[1]!);
    const out = this.b.f(list.elem);
    out.r = this.b.ptr();
    const [P, I, ro, rl, ri, len, bytes] = [this.b.regs.P, this.b.regs.I, out.r, list.r, index.r, list.length, out.n * 4];
    this.step(() => {
      const t = I[ri]!;
      if (t < 0 || t >= len) throw new Unsupported("TensorListGetItem index out of range");
      P[ro] = P[rl]! + t * bytes;
    });
    if (this.invariantLists.has(list)) this.hoistable.set(out, { list, index });
    return [out];
  }

  setItem(_n: PlanNode, ins: V[]): V[] {
    const list = ins[0]!;
    if (list.t !== "l" || list.invariant) return fail("TensorListSetItem of a list that is not a loop variable");
    if (++list.writers > 1) fail("a list written twice per iteration");
    const index = this.asI(ins[1]!);
    const x = this.asF(ins[2]!, "other");
    if (list.elem && !sameShape(list.elem, x.shape)) fail("TensorListSetItem of a different element shape");
    list.elem = x.shape;
    const [P, I, rl, ri, len, n, regs] = [this.b.regs.P, this.b.regs.I, list.r, index.r, list.length, x.n, this.b.regs];
    this.step(() => {
      const t = I[ri]!;
      if (t < 0 || t >= len) throw new Unsupported("TensorListSetItem index out of range");
      const src = P[x.r]! >> 2;
      regs.f.copyWithin((P[rl]! >> 2) + t * n, src, src + n);
    }, [x]);
    return [list];
  }

  split(n: PlanNode, ins: V[]): V[] {
    const axis = this.konst(ins[0]!);
    const x = this.asF(ins[1]!, "ew");
    const parts = aInt(n, "num_split", 1);
    const rank = x.shape.length;
    const ax = (axis.dataSync() as Int32Array)[0]!;
    if (rank === 0 || (ax !== rank - 1 && ax !== -1)) fail("Split on an axis other than the last");
    const c = x.shape[rank - 1]!;
    if (parts < 1 || c % parts !== 0) fail("an uneven Split");
    const shape = [...x.shape.slice(0, -1), c / parts];
    return Array.from({ length: parts }, (_, k) => this.b.f(shape, { part: { src: x, k } }));
  }

  /** The steps of this function, element-wise runs fused; call after every function was read. */
  emit(): (() => void)[] {
    const steps: (() => void)[] = [];
    let group: F[] = [];
    const flush = () => {
      if (group.length > 0) steps.push(fusedLoop(group, this.b.regs));
      group = [];
    };
    for (const it of this.items) {
      if (it.kind === "step") {
        if (it.reads.some((r) => group.includes(r))) flush();
        steps.push(it.run);
        continue;
      }
      const v = it.v;
      if (v.otherUses === 0 && v.ewUses === 1) continue; // inlined into its one reader
      if (group.length > 0 && !sameShape(group[0]!.shape, v.shape)) flush();
      group.push(v);
    }
    flush();
    return steps;
  }

  /** Buffers for every value that needs one (after every function of the loop was read). */
  layout(): void {
    for (const it of this.items) {
      if (it.kind === "ew") {
        if (!(it.v.otherUses === 0 && it.v.ewUses === 1)) this.b.materialize(it.v);
        // Constant vectors the fused loop reads (scalars become literals).
        for (const x of it.v.ew!.ins) {
          const src = x.part ? x.part.src : x;
          if (src.data && src.n > 1) this.b.materialize(src);
        }
      }
      if (it.kind === "step") for (const r of it.reads) this.b.materialize(r);
    }
  }
}

type Handler = (this: FunctionCompiler, n: PlanNode, ins: V[]) => V[];
const NODE_OPS: Readonly<Record<string, Handler>> = {
  MatMul: FunctionCompiler.prototype.matMul,
  TensorListGetItem: FunctionCompiler.prototype.getItem,
  TensorListSetItem: FunctionCompiler.prototype.setItem,
  Split: FunctionCompiler.prototype.split,
};

/**
 * One generated loop computing a run of element-wise values of one shape: values read once are
 * inlined into their reader's expression (through Split parts and broadcasts), the others are kept
 * in locals and stored to their buffers.
 */
function fusedLoop(group: readonly F[], regs: Regs): () => void {
  const shape = group[0]!.shape;
  const c = shape[shape.length - 1] ?? 1;
  const rows = group[0]!.n / Math.max(c, 1);
  const members = new Set(group);
  const bases = new Map<F, string>();
  const base = (v: F): string => {
    let name = bases.get(v);
    if (!name) {
      if (v.r < 0) fail("a fused value without a buffer");
      name = `b${bases.size}`;
      bases.set(v, name);
    }
    return name;
  };
  const expr = (v: F, r: string, j: string): string => {
    if (v.data && v.n === 1) return `(${v.data[0]!})`;
    if (members.has(v) && r === "r" && j === "j") return `v${v.id}`;
    if (v.part) return expr(v.part.src, r, `${v.part.k * v.shape[v.shape.length - 1]!} + ${j}`);
    if (v.ew && !members.has(v) && v.r < 0) return inline(v, r, j);
    const vc = v.shape[v.shape.length - 1] ?? 1;
    return `f[${base(v)} + (${r}) * ${vc} + ${j}]`;
  };
  const inline = (v: F, r: string, j: string): string => {
    const args = v.ew!.ins.map((x) => {
      const how = broadcastOf(x, v.shape);
      return how === "same" ? expr(x, r, j) : how === "row" ? expr(x, "0", j) : expr(x, "0", "0");
    });
    const op = v.ew!.op;
    return `(${args.length === 1 ? UNARY[op]!(args[0]!) : BINARY[op]!(args[0]!, args[1]!)})`;
  };
  const body: string[] = [];
  for (const v of group) {
    body.push(`const v${v.id} = ${inline(v, "r", "j")};`);
    body.push(`f[${base(v)} + i] = v${v.id};`);
  }
  const decls = [...bases].map(([v, name]) => `const ${name} = P[${v.r}] >> 2;`);
  const code = [
    "const f = regs.f;",
    "const P = regs.P;",
    ...decls,
    `for (let r = 0, i = 0; r < ${rows}; r++) {`,
    `  for (let j = 0; j < ${c}; j++, i++) {`,
    ...body.map((l) => "    " + l),
    "  }",
    "}",
  ].join("\n");
  const fn = new Function("regs", code) as (regs: Regs) => void;
  return () => fn(regs);
}
