/**
 * While loops on the fast path. At prepare time every top-level `While` / `StatelessWhile` becomes a
 * `_SmsLoop` node carrying a RecurrentLoop; the `TensorListFromTensor` feeding it and the
 * `TensorListStack` reading it are folded in (the loop reads the tensor and returns the stacked
 * tensor, so no list of per-step tensors is built on either side). At run time the loop's cond and
 * body are compiled once per input signature (loopCompile.ts) and run as a fixed sequence of steps
 * on the SIMD kernels; a loop the compiler does not take, or a step that fails (an index out of
 * range), runs the original way: the list adapters, then the While kernel node by node.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../core/errors.js";
import { DataType } from "../../core/dtype.js";
import { refKey, type PlanFunction, type PlanGraph, type PlanNode, type TensorRef } from "../plan.js";
import type { SimdRuntime } from "../wasm/pool.js";
import { aFunc, aType } from "./attrs.js";
import { dropDead } from "./fuse.js";
import { FunctionCompiler, LoopBuilder, Unsupported, type F, type I, type ListVar, type V } from "./loopCompile.js";
import { isTensor, type TensorListValue, type Value } from "./values.js";

export const LOOP_OP = "_SmsLoop";

export interface LoopPlanNode extends PlanNode {
  readonly loop: RecurrentLoop;
}

/** What a loop needs from the interpreter running it. */
export interface LoopHooks {
  /** Counts one cond or body call against the run's budgets (iteration `it`). */
  iteration(fn: string, it: number): void;
  /** The ordinary While kernel over these loop variables. */
  ordinary(vars: readonly Value[]): Value[];
  /** Runs one original node through its kernel. */
  kernel(node: PlanNode, inputs: readonly Value[]): Value[];
}

/** A TensorListFromTensor / TensorListStack folded into the loop, with its constant inputs. */
interface Adapter {
  readonly node: PlanNode;
  readonly rest: readonly tf.Tensor[];
}

type Slot =
  | { readonly kind: "int"; readonly v: I }
  | { readonly kind: "f32"; readonly v: F; readonly buf: number }
  | { readonly kind: "const"; readonly v: F }
  | { readonly kind: "list"; readonly v: ListVar; readonly source: "tensor" | "items" | "empty" };

interface Program {
  readonly key: string;
  /** The loop-invariant float inputs the program packed (weights), by position. */
  readonly invariants: readonly (Invariant | undefined)[];
  readonly b: LoopBuilder;
  readonly slots: readonly Slot[];
  readonly cond: readonly (() => void)[];
  readonly condReg: number;
  readonly body: readonly (() => void)[];
  readonly carry: () => void;
}

interface Failed {
  readonly key: string;
  readonly invariants: readonly (Invariant | undefined)[];
  readonly failed: string;
}

/** A weight a program was compiled with: its tensor's dataId (fast check) and its values. */
interface Invariant {
  dataId: unknown;
  readonly data: Float32Array;
}

function invariantOf(t: tf.Tensor): Invariant {
  return { dataId: t.dataId, data: (t.dataSync() as Float32Array).slice() };
}

/**
 * Whether the loop-invariant inputs are the ones a program was compiled with: the same tensor data
 * (a weight read from a constant or variable), or equal values (a weight computed each run, such as
 * Keras GRU's bias halves from Unpack), after which the new dataId is remembered.
 */
function sameInvariants(invariants: readonly (Invariant | undefined)[], inputs: readonly Value[]): boolean {
  return invariants.every((inv, i) => {
    if (!inv) return true;
    const v = inputs[i];
    if (!isTensor(v) || v.dtype !== "float32") return false;
    if (v.dataId === inv.dataId) return true;
    const d = v.dataSync() as Float32Array;
    if (d.length !== inv.data.length || d.some((x, k) => !Object.is(x, inv.data[k]))) return false;
    inv.dataId = v.dataId;
    return true;
  });
}

const MAX_PROGRAMS = 4;

export class RecurrentLoop {
  private readonly programs: (Program | Failed)[] = [];
  private disposed = false;
  /** Why the last compilation was refused or a program abandoned (tests, diagnostics). */
  reason: string | undefined;
  /** Whether the last run took the fast path. */
  lastFast = false;
  /** Programs compiled so far (tests check that a loop is planned once per signature). */
  compiled = 0;
  /** FLOPs of the GEMMs of the last fast run (input projection + per-step products). */
  lastFlops = 0;

  constructor(
    private readonly rt: SimdRuntime,
    readonly node: PlanNode,
    private readonly cond: PlanFunction,
    private readonly body: PlanFunction,
    private readonly constOf: (n: PlanNode) => tf.Tensor,
    private readonly fromTensor: ReadonlyMap<number, Adapter>,
    private readonly toStack: ReadonlyMap<number, Adapter>,
    private readonly used: ReadonlySet<number>,
  ) {}

  run(inputs: readonly Value[], hooks: LoopHooks): Value[] {
    if (this.disposed) throw new StudioError("ENGINE", "loop used after its model was disposed");
    const fast = this.runFast(inputs, hooks);
    this.lastFast = fast !== null;
    if (fast) return fast;
    const vars = inputs.map((v, i) => {
      const a = this.fromTensor.get(i);
      return a ? hooks.kernel(a.node, [v, ...a.rest])[0]! : v;
    });
    const outs = hooks.ordinary(vars);
    return outs.map((v, k) => {
      const a = this.toStack.get(k);
      return a ? hooks.kernel(a.node, [v, ...a.rest])[0]! : v;
    });
  }

  private runFast(inputs: readonly Value[], hooks: LoopHooks): Value[] | null {
    const key = inputs.map((v, i) => describe(v, this.fromTensor.has(i))).join("|");
    let prog = this.programs.find((p) => p.key === key && sameInvariants(p.invariants, inputs));
    if (!prog) {
      const invariants = inputs.map((v, i) =>
        this.isInvariant(i) && !this.fromTensor.has(i) && isTensor(v) && v.dtype === "float32" ? invariantOf(v) : undefined,
      );
      prog = this.compileOrReason(key, invariants, inputs);
      if (this.programs.length >= MAX_PROGRAMS) this.release(this.programs.shift()!);
      this.programs.push(prog);
    }
    if ("failed" in prog) {
      this.reason = prog.failed;
      return null;
    }
    try {
      return this.execute(prog, inputs, hooks);
    } catch (e) {
      if (e instanceof StudioError) throw e; // budgets, cancellation
      if (e instanceof Unsupported) {
        this.reason = e.message;
        return null;
      }
      // A kernel trap means a bug in the fast path: remember it and keep the model usable.
      this.reason = e instanceof Error ? e.message : String(e);
      this.release(prog);
      this.programs[this.programs.indexOf(prog)] = { key, invariants: prog.invariants, failed: this.reason };
      return null;
    }
  }

  private isInvariant(i: number): boolean {
    const r = this.body.rets[i];
    return !!r && r.node === this.body.args[i] && r.index === 0;
  }

  private compileOrReason(key: string, invariants: readonly (Invariant | undefined)[], inputs: readonly Value[]): Program | Failed {
    const b = new LoopBuilder(this.rt, this.constOf);
    this.compiled++;
    try {
      return this.compile(b, key, invariants, inputs);
    } catch (e) {
      for (const [at, bytes] of b.blocks) this.rt.release(at, bytes);
      if (e instanceof Unsupported || e instanceof RangeError) return { key, invariants, failed: e.message };
      throw e;
    }
  }

  private compile(b: LoopBuilder, key: string, invariants: readonly (Invariant | undefined)[], inputs: readonly Value[]): Program {
    const slots = inputs.map((v, i) => this.slotOf(b, v, i));
    const args: V[] = slots.map((s) => s.v);
    const lists = new Set(slots.flatMap((s) => (s.kind === "list" && s.v.invariant ? [s.v] : [])));
    const condC = new FunctionCompiler(b, this.cond, args, lists);
    const condRet = condC.read()[0];
    const bodyC = new FunctionCompiler(b, this.body, args, lists);
    const rets = bodyC.read();
    if (condRet?.t !== "i") throw new Unsupported("a loop condition that is not a bool scalar");
    for (const s of slots) {
      if (s.kind !== "list") continue;
      const l = s.v;
      if (!l.elem || l.length === 0) throw new Unsupported("a TensorList of unknown element shape");
      b.regs.P[l.r] = b.alloc(l.length * l.elem.reduce((x, y) => x * y, 1));
    }
    condC.layout();
    bodyC.layout();
    const cond = condC.emit();
    const body = bodyC.emit();
    return { key, invariants, b, slots, cond, condReg: condRet.r, body, carry: carryOf(b, slots, rets) };
  }

  private slotOf(b: LoopBuilder, v: Value, i: number): Slot {
    const invariant = this.isInvariant(i);
    if (this.fromTensor.has(i)) {
      if (!isTensor(v) || v.dtype !== "float32" || v.rank < 1) throw new Unsupported("a list from a non-float tensor");
      const list: ListVar = { t: "l", r: b.ptr(), length: v.shape[0]!, elem: v.shape.slice(1), invariant, writers: 0 };
      return { kind: "list", v: list, source: "tensor" };
    }
    if (isTensor(v)) {
      if ((v.dtype === "int32" || v.dtype === "bool") && v.size === 1 && v.rank === 0) return { kind: "int", v: b.int(v.dtype) };
      if (v.dtype !== "float32") throw new Unsupported(`a ${v.dtype} loop variable`);
      if (invariant) return { kind: "const", v: b.f(v.shape, { data: v.dataSync() as Float32Array }) };
      const f = b.f(v.shape);
      b.materialize(f);
      return { kind: "f32", v: f, buf: b.regs.P[f.r]! };
    }
    if (v.kind === "list" && v.dtype === "float32") {
      const items = v.items;
      const first = items.find((x) => x);
      const empty = !first;
      if (!empty && items.some((x) => !x || x.dtype !== "float32" || x.shape.join() !== first.shape.join()))
        throw new Unsupported("a list of mixed elements");
      const list: ListVar = { t: "l", r: b.ptr(), length: items.length, elem: first ? first.shape : null, invariant, writers: 0 };
      return { kind: "list", v: list, source: empty ? "empty" : "items" };
    }
    throw new Unsupported("a loop variable that is not a float tensor, an int32 scalar or a float list");
  }

  private execute(p: Program, inputs: readonly Value[], hooks: LoopHooks): Value[] {
    const regs = p.b.regs;
    regs.f = this.rt.f32();
    const f = regs.f;
    p.slots.forEach((s, i) => load(f, regs, s, inputs[i]!));
    for (const s of p.b.pre) s();
    const condName = this.cond.name;
    const bodyName = this.body.name;
    for (let it = 0; ; it++) {
      hooks.iteration(condName, it);
      for (const s of p.cond) s();
      if (!regs.I[p.condReg]) break;
      hooks.iteration(bodyName, it);
      for (const s of p.body) s();
      p.carry();
    }
    this.lastFlops = p.b.flops + p.b.flopsPerStep;
    return p.slots.map((s, i) => this.output(p, s, i, inputs[i]!, hooks));
  }

  private output(p: Program, s: Slot, i: number, input: Value, hooks: LoopHooks): Value {
    if (!this.used.has(i) || s.kind === "const") return input;
    const adapter = this.fromTensor.get(i);
    // A list the loop read from a tensor and passed through unchanged, read after the loop.
    if (adapter && s.kind === "list" && s.v.invariant) return hooks.kernel(adapter.node, [input, ...adapter.rest])[0]!;
    const { f, I, P } = p.b.regs;
    if (s.kind === "int") return tf.scalar(I[s.v.r]!, s.v.dtype);
    if (s.kind === "f32") return tf.tensor(f.slice(s.buf >> 2, (s.buf >> 2) + s.v.n), [...s.v.shape], "float32");
    const l = s.v;
    if (l.invariant) return input;
    const elem = [...l.elem!];
    const n = elem.reduce((x, y) => x * y, 1);
    const at = P[l.r]! >> 2;
    if (this.toStack.has(i)) return tf.tensor(f.slice(at, at + l.length * n), [l.length, ...elem], "float32");
    const items = Array.from({ length: l.length }, (_, t) => tf.tensor(f.slice(at + t * n, at + (t + 1) * n), elem, "float32"));
    return { kind: "list", items, dtype: "float32" } satisfies TensorListValue;
  }

  private release(p: Program | { failed: string }): void {
    if ("b" in p) for (const [at, bytes] of p.b.blocks) this.rt.release(at, bytes);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.programs) this.release(p);
    this.programs.length = 0;
  }
}

/** The program key of one loop input: kind, dtype and shape (values are read at run time). */
function describe(v: Value, fromTensor: boolean): string {
  if (isTensor(v)) return `${fromTensor ? "L" : ""}${v.dtype}[${v.shape.join(",")}]`;
  if (v.kind === "list") {
    const first = v.items.find((x) => x);
    return `list${v.items.length}:${v.dtype}:${first ? first.shape.join(",") : "-"}:${v.items.every((x) => x) ? "full" : "sparse"}`;
  }
  return v.kind;
}

/** Copies one input into its slot. */
function load(f: Float32Array, regs: LoopBuilder["regs"], s: Slot, v: Value): void {
  if (s.kind === "const") return;
  if (s.kind === "int") {
    regs.I[s.v.r] = (isTensor(v) ? (v.dataSync() as Int32Array | Uint8Array)[0] : 0)!;
    return;
  }
  if (s.kind === "f32") {
    f.set((v as tf.Tensor).dataSync() as Float32Array, s.buf >> 2);
    return;
  }
  const at = regs.P[s.v.r]! >> 2;
  const n = s.v.elem!.reduce((x, y) => x * y, 1);
  if (s.source === "tensor") f.set((v as tf.Tensor).dataSync() as Float32Array, at);
  else if (s.source === "empty") f.fill(0, at, at + s.v.length * n);
  else (v as TensorListValue).items.forEach((x, t) => f.set(x!.dataSync() as Float32Array, at + t * n));
}

/** Moves the body's results into the loop variables (all read before any is written). */
function carryOf(b: LoopBuilder, slots: readonly Slot[], rets: readonly V[]): () => void {
  const ints: [number, number][] = [];
  const floats: [F, number][] = [];
  slots.forEach((s, i) => {
    const r = rets[i];
    if (s.kind === "const") return;
    if (s.kind === "list") {
      if (r !== s.v) throw new Unsupported("a list loop variable replaced by another value");
      return;
    }
    if (s.kind === "int") {
      if (r?.t !== "i") throw new Unsupported("an int loop variable given a non-int value");
      if (r !== s.v) ints.push([s.v.r, r.r]);
      return;
    }
    if (r?.t !== "f" || r.n !== s.v.n || r.shape.join() !== s.v.shape.join()) throw new Unsupported("a float loop variable changing shape");
    if (r === s.v) return;
    if (slots.some((o) => o.v === r)) throw new Unsupported("loop variables exchanging values");
    b.materialize(r);
    floats.push([r, s.buf]);
  });
  const { I, P } = b.regs;
  const tmp = new Array<number>(ints.length).fill(0);
  const regs = b.regs;
  return () => {
    for (let k = 0; k < ints.length; k++) tmp[k] = I[ints[k]![1]]!;
    for (let k = 0; k < ints.length; k++) I[ints[k]![0]] = tmp[k]!;
    const f = regs.f;
    for (const [r, buf] of floats) {
      const src = P[r.r]! >> 2;
      f.copyWithin(buf >> 2, src, src + r.n);
    }
  };
}

// ---------- the graph rewrite ----------

const WHILE_OPS = new Set(["While", "StatelessWhile"]);

/**
 * Replaces top-level While nodes with loop nodes (see the file comment). `constant` gives a
 * constant input's value; `functionPlan` plans a library function; `constOf` decodes a Const node.
 */
export function loopGraph(
  graph: PlanGraph,
  wanted: readonly TensorRef[],
  constant: (r: TensorRef) => tf.Tensor | undefined,
  rt: SimdRuntime,
  functionPlan: (name: string) => PlanFunction,
  constOf: (n: PlanNode) => tf.Tensor,
): { graph: PlanGraph; loops: RecurrentLoop[] } {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const readers = new Map<string, { node: PlanNode; slot: number }[]>();
  for (const n of graph.nodes)
    n.inputs.forEach((r, slot) => readers.set(refKey(r), [...(readers.get(refKey(r)) ?? []), { node: n, slot }]));
  const wantedKeys = new Set(wanted.map(refKey));
  const controlled = new Set(graph.nodes.flatMap((n) => n.control));
  const consts = (rs: readonly TensorRef[]): tf.Tensor[] | undefined => {
    const out = rs.map(constant);
    return out.every((t) => t) ? (out as tf.Tensor[]) : undefined;
  };
  const replaced = new Map<string, PlanNode>();
  const loops: RecurrentLoop[] = [];
  for (const n of graph.nodes) {
    if (!WHILE_OPS.has(n.op)) continue;
    let cond: PlanFunction;
    let body: PlanFunction;
    try {
      cond = functionPlan(aFunc(n, "cond"));
      body = functionPlan(aFunc(n, "body"));
    } catch {
      continue; // the ordinary kernel reports it
    }
    const inputs = [...n.inputs];
    const fromTensor = new Map<number, Adapter>();
    n.inputs.forEach((r, i) => {
      const src = byName.get(r.node);
      const k = refKey(r);
      if (src?.op !== "TensorListFromTensor" || r.index !== 0 || readers.get(k)?.length !== 1 || wantedKeys.has(k)) return;
      const rest = consts(src.inputs.slice(1));
      if (!rest || controlled.has(src.name) || src.control.length > 0) return;
      fromTensor.set(i, { node: src, rest });
      inputs[i] = src.inputs[0]!;
    });
    const toStack = new Map<number, Adapter>();
    const used = new Set<number>();
    n.inputs.forEach((_, k) => {
      const key = refKey({ node: n.name, index: k });
      const rs = readers.get(key) ?? [];
      if (rs.length > 0 || wantedKeys.has(key)) used.add(k);
      const s = rs[0]?.node;
      if (rs.length !== 1 || wantedKeys.has(key) || s?.op !== "TensorListStack" || rs[0]!.slot !== 0 || s.control.length > 0) return;
      const rest = consts(s.inputs.slice(1));
      if (!rest || !isFloatList(s)) return;
      toStack.set(k, { node: s, rest });
      replaced.set(s.name, {
        name: s.name,
        op: "Identity",
        inputs: [{ node: n.name, index: k }],
        control: [],
        attrs: {},
        origin: s.origin,
      });
    });
    const loop = new RecurrentLoop(rt, n, cond, body, constOf, fromTensor, toStack, used);
    loops.push(loop);
    replaced.set(n.name, { ...n, op: LOOP_OP, inputs, loop } as LoopPlanNode);
  }
  if (loops.length === 0) return { graph, loops };
  const nodes = graph.nodes.map((n) => replaced.get(n.name) ?? n);
  return { graph: { ...graph, nodes: dropDead(nodes, wanted) }, loops };
}

function isFloatList(stack: PlanNode): boolean {
  const t = aType(stack, "element_dtype", -1);
  return t === -1 || t === DataType.DT_FLOAT;
}
