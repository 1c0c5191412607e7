/**
 * TF1 while loops (tf.while_loop without TF2 control flow: Enter / Merge / Switch / LoopCond /
 * NextIteration / Exit) run by dataflow execution with frames, as TensorFlow's executor does.
 *
 * A value is tagged with its frame instance and iteration. A node runs once per (frame, iteration)
 * when all its inputs for that tag have arrived; Merge runs on its first live input (or when every
 * input that is not a back edge is dead). Enter moves a value into iteration 0 of a child frame (a
 * constant Enter into every iteration of it), NextIteration into the next iteration of its frame,
 * Exit into the parent frame. Deadness propagates as in tf.cond; a dead NextIteration is dropped and
 * an Exit that saw only dead values sends one dead value out when its frame ends.
 *
 * A frame runs at most `parallel_iterations` iterations at once; an iteration is done when nothing of
 * it is left to run, the one before it is done and (iteration 0) every Enter of the frame has fired.
 * Each new iteration is charged to the run's budget (runtime/budget.ts) like a control-flow call, so
 * endless loops, time limits and cancellation end a run with a typed error.
 */
import { StudioError } from "../../core/errors.js";
import { isBackEdge, refKey, type PlanGraph, type PlanNode, type TensorRef } from "../plan.js";
import type { RunBudget } from "../budget.js";
import { aBool, aInt, aStr } from "./attrs.js";
import { DEAD, isDead, type Value } from "./values.js";

const ENTER = new Set(["Enter", "RefEnter"]);
const EXIT = new Set(["Exit", "RefExit"]);
const NEXT = new Set(["NextIteration", "RefNextIteration"]);
const MERGE = new Set(["Merge", "RefMerge"]);

/** Whether a plan holds TF1 loop frames (and so needs this executor). */
export function hasFrames(plan: PlanGraph): boolean {
  return plan.nodes.some((n) => ENTER.has(n.op));
}

interface Edge {
  readonly node: PlanNode;
  /** Input slot, or -1 for a control edge. */
  readonly slot: number;
}

/** The plan's edges and counts, computed once per plan. */
interface Shape {
  readonly byName: ReadonlyMap<string, PlanNode>;
  /** `node:index` -> data consumers; `node` -> control consumers (slot -1). */
  readonly out: ReadonlyMap<string, readonly Edge[]>;
  /** Nodes with no inputs at all (constants): computed once, read from any frame. */
  readonly sources: ReadonlySet<string>;
  /** Enter nodes per frame name. */
  readonly enters: ReadonlyMap<string, number>;
  /** Data inputs of a Merge that are not back edges. */
  readonly forward: ReadonlyMap<string, number>;
}

const shapes = new WeakMap<PlanGraph, Shape>();

function shapeOf(plan: PlanGraph): Shape {
  let s = shapes.get(plan);
  if (s) return s;
  const byName = new Map(plan.nodes.map((n) => [n.name, n]));
  const out = new Map<string, Edge[]>();
  const add = (key: string, e: Edge) => {
    const l = out.get(key);
    if (l) l.push(e);
    else out.set(key, [e]);
  };
  const enters = new Map<string, number>();
  const forward = new Map<string, number>();
  const sources = new Set<string>();
  for (const n of plan.nodes) {
    n.inputs.forEach((r, slot) => add(refKey(r), { node: n, slot }));
    for (const c of n.control) add(c, { node: n, slot: -1 });
    if (n.inputs.length === 0 && n.control.length === 0) sources.add(n.name);
    if (ENTER.has(n.op)) {
      const f = aStr(n, "frame_name");
      enters.set(f, (enters.get(f) ?? 0) + 1);
    }
    if (MERGE.has(n.op)) forward.set(n.name, n.inputs.filter((r) => !isBackEdge(byName.get(r.node)?.op)).length);
  }
  s = { byName, out, sources, enters, forward };
  shapes.set(plan, s);
  return s;
}

/** One node waiting for its inputs in one iteration. */
interface Pending {
  readonly inputs: Value[];
  data: number;
  control: number;
  deadControl: boolean;
  live: boolean;
  dead: number;
  done: boolean;
}

interface Iteration {
  readonly nodes: Map<string, Pending>;
  /** Items of this iteration queued or running, and child frames started in it. */
  outstanding: number;
}

interface Frame {
  readonly id: number;
  readonly name: string;
  readonly parent: Frame | undefined;
  readonly parentIter: number;
  readonly parallel: number;
  readonly iters: Map<number, Iteration>;
  readonly children: Map<string, Frame>;
  readonly constants: { edge: Edge; value: Value }[];
  /** Tokens for an iteration not started yet (over parallel_iterations). */
  readonly deferred: Map<number, { edge: Edge; value: Value }[]>;
  /** Next iteration number to start; first iteration not yet done. */
  next: number;
  oldest: number;
  /** Enters of this frame that have not fired yet. */
  enters: number;
  /** Queued items, child frames and deferred tokens of the whole frame. */
  outstanding: number;
  readonly exits: Map<string, boolean>;
}

interface Item {
  readonly node: PlanNode;
  readonly frame: Frame;
  readonly iter: number;
  readonly inputs: Value[];
  readonly dead: boolean;
}

export interface FrameHooks {
  /** Runs one node on its inputs (checks, budget, kernel); never called with a dead input. */
  readonly step: (n: PlanNode, inputs: Value[]) => Value[];
  readonly budget: RunBudget;
  readonly signal: AbortSignal | undefined;
}

/** Runs `plan` by dataflow with frames; returns the values of `wanted` (root frame, or fed). */
export async function runFrames(
  plan: PlanGraph,
  feeds: ReadonlyMap<string, Value>,
  wanted: readonly TensorRef[],
  hooks: FrameHooks,
): Promise<Value[]> {
  const shape = shapeOf(plan);
  const { step, budget, signal } = hooks;
  const globals = new Map<string, Value[]>();
  const rootVals = new Map<string, Value[] | "dead">();
  const queue: Item[] = [];
  let head = 0;
  let frameIds = 0;

  const newFrame = (name: string, parent: Frame | undefined, parentIter: number, parallel: number): Frame => ({
    id: frameIds++,
    name,
    parent,
    parentIter,
    parallel: Math.max(1, parallel),
    iters: new Map(),
    children: new Map(),
    constants: [],
    deferred: new Map(),
    next: 0,
    oldest: 0,
    enters: shape.enters.get(name) ?? 0,
    outstanding: 0,
    exits: new Map(),
  });
  const root = newFrame("", undefined, 0, Number.MAX_SAFE_INTEGER);

  const global = (name: string): Value[] => {
    let v = globals.get(name);
    if (!v) {
      v = step(shape.byName.get(name)!, []);
      globals.set(name, v);
    }
    return v;
  };

  const startIteration = (f: Frame): Iteration => {
    const k = f.next++;
    if (f !== root) budget.functionCall(`${f.name} (iteration ${k})`);
    const it: Iteration = { nodes: new Map(), outstanding: 0 };
    f.iters.set(k, it);
    for (const c of f.constants) arrive(f, k, c.edge, c.value);
    for (const t of f.deferred.get(k) ?? []) {
      f.outstanding--;
      arrive(f, k, t.edge, t.value);
    }
    f.deferred.delete(k);
    return it;
  };

  const iteration = (f: Frame, k: number): Iteration => {
    const it = f.iters.get(k);
    if (it) return it;
    if (k !== f.next) throw new StudioError("ENGINE", `TF1 loop frame '${f.name}': a value arrived for iteration ${k}, which has ended`);
    return startIteration(f);
  };

  const pendingOf = (f: Frame, k: number, n: PlanNode): Pending => {
    const it = iteration(f, k);
    let p = it.nodes.get(n.name);
    if (p) return p;
    const inputs: Value[] = new Array<Value>(n.inputs.length);
    let data = 0;
    let control = 0;
    n.inputs.forEach((r, i) => {
      const fed = feeds.get(refKey(r));
      if (fed !== undefined) inputs[i] = fed;
      else if (shape.sources.has(r.node)) inputs[i] = global(r.node)[r.index] ?? DEAD;
      else if (shape.byName.has(r.node)) data++;
      else throw new StudioError("ENGINE", `${n.name}: tensor ${r.node}:${r.index} has no value`);
    });
    for (const c of n.control) if (!shape.sources.has(c) && shape.byName.has(c)) control++;
    p = { inputs, data, control, deadControl: false, live: false, dead: 0, done: false };
    it.nodes.set(n.name, p);
    return p;
  };

  /** Whether a waiting node can run: Merge on its first live input (or all forward inputs dead), others when complete. */
  const ready = (n: PlanNode, p: Pending): boolean => {
    if (p.control > 0) return false;
    if (!MERGE.has(n.op)) return p.data === 0;
    return p.live || p.dead >= (shape.forward.get(n.name) ?? n.inputs.length);
  };

  const enqueue = (f: Frame, k: number, node: PlanNode, inputs: Value[], dead: boolean) => {
    f.iters.get(k)!.outstanding++;
    for (let g: Frame | undefined = f; g; g = g.parent) g.outstanding++;
    queue.push({ node, frame: f, iter: k, inputs, dead });
  };

  /** A value (or a control token) reaches one consumer in (f, k). */
  const arrive = (f: Frame, k: number, e: Edge, value: Value) => {
    const n = e.node;
    const p = pendingOf(f, k, n);
    if (p.done) return;
    if (e.slot < 0) {
      if (isDead(value)) p.deadControl = true;
    } else {
      p.inputs[e.slot] = value;
      if (MERGE.has(n.op)) {
        if (isDead(value)) p.dead++;
        else p.live = true;
      }
    }
    if (e.slot < 0) p.control--;
    else p.data--;
    if (!ready(n, p)) return;
    p.done = true;
    if (MERGE.has(n.op)) {
      for (let i = 0; i < p.inputs.length; i++) p.inputs[i] ??= DEAD;
      enqueue(f, k, n, p.inputs, !p.live || p.deadControl);
    } else enqueue(f, k, n, p.inputs, p.deadControl || p.inputs.some(isDead));
  };

  const child = (f: Frame, k: number, enter: PlanNode): Frame => {
    const name = aStr(enter, "frame_name");
    const key = `${name}\u0000${k}`;
    let c = f.children.get(key);
    if (!c) {
      c = newFrame(name, f, k, aInt(enter, "parallel_iterations", 10));
      f.children.set(key, c);
      f.iters.get(k)!.outstanding++;
      for (let g: Frame | undefined = f; g; g = g.parent) g.outstanding++;
      if (f === root) budget.startTopLevel();
    }
    return c;
  };

  /** The outputs of `n` run in (f, k) go to its consumers, moved between frames by Enter / Exit / NextIteration. */
  const deliver = (f: Frame, k: number, n: PlanNode, outs: Value[] | "dead") => {
    const valueAt = (i: number): Value => (outs === "dead" ? DEAD : (outs[i] ?? DEAD));
    const token: Value = outs === "dead" ? DEAD : (outs.find((v) => v !== undefined) ?? DEAD);
    const send = (to: (e: Edge, v: Value) => void) => {
      const outputs = outs === "dead" ? 1 : Math.max(outs.length, 1);
      for (let i = 0; i < outputs; i++) for (const e of shape.out.get(`${n.name}:${i}`) ?? []) to(e, valueAt(i));
      for (const e of shape.out.get(n.name) ?? []) to(e, isDead(token) ? DEAD : token);
    };
    // An Exit's value belongs to the frame it leaves to (the root frame's values are the results).
    if (EXIT.has(n.op) ? f.parent === root && !(outs === "dead" || isDead(valueAt(0))) : f === root) rootVals.set(n.name, outs);
    if (ENTER.has(n.op)) {
      const c = child(f, k, n);
      c.enters--;
      if (aBool(n, "is_constant")) {
        send((e, v) => {
          c.constants.push({ edge: e, value: v });
          for (const j of c.iters.keys()) arrive(c, j, e, v);
        });
        if (c.iters.size === 0) iteration(c, 0);
      } else send((e, v) => arrive(c, 0, e, v));
      maybeFinish(c);
    } else if (EXIT.has(n.op)) {
      const parent = f.parent;
      if (!parent) throw new StudioError("GRAPH", `${n.name} (${n.op}) is not inside a TF1 while loop`);
      if (outs === "dead" || isDead(valueAt(0))) {
        if (!f.exits.has(n.name)) f.exits.set(n.name, false);
      } else {
        f.exits.set(n.name, true);
        send((e, v) => arrive(parent, f.parentIter, e, v));
      }
    } else if (NEXT.has(n.op)) {
      if (outs === "dead" || isDead(valueAt(0))) return;
      const target = k + 1;
      if (f.iters.has(target)) send((e, v) => arrive(f, target, e, v));
      else if (target === f.next && f.iters.size < f.parallel) {
        iteration(f, target);
        send((e, v) => arrive(f, target, e, v));
      } else {
        const list = f.deferred.get(target) ?? [];
        send((e, v) => {
          list.push({ edge: e, value: v });
          f.outstanding++;
        });
        f.deferred.set(target, list);
      }
    } else send((e, v) => arrive(f, k, e, v));
  };

  /** Ends finished iterations of `f` (oldest first) and `f` itself when nothing of it is left. */
  const maybeFinish = (f: Frame) => {
    for (;;) {
      const k = f.oldest;
      const it = f.iters.get(k);
      if (!it || it.outstanding > 0 || (k === 0 && f.enters > 0)) break;
      f.iters.delete(k);
      f.oldest++;
      if (f.deferred.has(f.next) && f.iters.size < f.parallel) startIteration(f);
    }
    if (f === root || f.outstanding > 0 || f.enters > 0 || f.iters.size > 0) return;
    const parent = f.parent!;
    parent.children.delete(`${f.name}\u0000${f.parentIter}`);
    // An Exit that never saw a live value sends one dead value out (a loop in a branch not taken).
    for (const [exit, live] of f.exits) {
      if (live) continue;
      const n = shape.byName.get(exit)!;
      if (parent === root) rootVals.set(exit, "dead");
      for (const e of shape.out.get(`${exit}:0`) ?? []) arrive(parent, f.parentIter, e, DEAD);
      for (const e of shape.out.get(n.name) ?? []) arrive(parent, f.parentIter, e, DEAD);
    }
    parent.iters.get(f.parentIter)!.outstanding--;
    for (let g: Frame | undefined = parent; g; g = g.parent) g.outstanding--;
    maybeFinish(parent);
  };

  // Nodes with nothing to wait for start in the root frame.
  iteration(root, 0);
  for (const n of plan.nodes) {
    if (shape.sources.has(n.name)) continue;
    const p = pendingOf(root, 0, n);
    if (!p.done && p.data === 0 && p.control === 0) {
      p.done = true;
      enqueue(root, 0, n, p.inputs, p.inputs.some(isDead));
    }
  }
  let lastYield = performance.now();
  while (head < queue.length) {
    if (signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
    const item = queue[head++]!;
    if (head > 4096) {
      queue.splice(0, head);
      head = 0;
    }
    const { node, frame, iter } = item;
    if (item.dead) deliver(frame, iter, node, "dead");
    else deliver(frame, iter, node, step(node, item.inputs));
    frame.iters.get(iter)!.outstanding--;
    for (let g: Frame | undefined = frame; g; g = g.parent) g.outstanding--;
    maybeFinish(frame);
    if (performance.now() - lastYield > 25) {
      await new Promise<void>((r) => setTimeout(r, 0));
      lastYield = performance.now();
    }
  }
  return wanted.map((r) => {
    const fed = feeds.get(refKey(r));
    if (fed !== undefined) return fed;
    const outs = shape.sources.has(r.node) ? global(r.node) : rootVals.get(r.node);
    if (outs === "dead") return DEAD;
    const v = outs?.[r.index];
    if (v === undefined)
      throw new StudioError("ENGINE", `tensor ${r.node}:${r.index} was not computed: the TF1 loop feeding it did not finish`);
    return v;
  });
}
