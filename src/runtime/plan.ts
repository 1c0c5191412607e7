/**
 * Signature -> executable plan. Pure: works on decoded protos, never touches bytes.
 *
 *  1. `GraphIndex` expands a GraphDef once per loaded meta graph: every (Stateful)PartitionedCall and
 *     function-named op is inlined recursively (nested functions <= MAX_FUNCTION_DEPTH), FunctionDef
 *     references `node:out_arg:idx` become flat indices through the OpDef table, stripped default
 *     attributes are filled. Control-flow ops (If/While/Case and their stateless twins) keep their
 *     branch/body functions; those are planned as separate `PlanFunction`s.
 *  2. `prune` keeps the closure of the wanted tensors (data and control inputs), stopping at fed
 *     tensors (any tensor may be fed, not only placeholders), and orders it topologically. A TF1
 *     while loop's back edges (NextIteration -> Merge) are left out of the order (engines/frames.ts
 *     runs such plans by dataflow); any other cycle is a typed error.
 */
import { LimitError, StudioError, type ErrorCode } from "../core/errors.js";
import {
  attrDefaults,
  flatOutputIndex,
  opDef,
  opDefEntryFromProto,
  outputLayout,
  toAttrValue,
  type OpDefEntry,
} from "../core/ops/index.js";
import { tensorflow as tfproto } from "../core/proto/index.js";
import type { tensorflow } from "../core/proto/index.js";

export const MAX_FUNCTION_DEPTH = 64;
/** Default most nodes of an expanded graph (see RunLimits.maxPlanNodes). */
export const MAX_PLAN_NODES = 500_000;

export type AttrMap = Record<string, tensorflow.AttrValue.$Properties>;

export interface TensorRef {
  readonly node: string;
  readonly index: number;
}

export interface PlanNode {
  readonly name: string;
  readonly op: string;
  readonly inputs: readonly TensorRef[];
  readonly control: readonly string[];
  readonly attrs: AttrMap;
  /** Function this node was inlined from (for error messages), "" at graph level. */
  readonly origin: string;
}

export interface PlanGraph {
  /** Topologically ordered, pruned to the wanted closure. */
  readonly nodes: readonly PlanNode[];
}

export interface PlanFunction {
  readonly name: string;
  /** Node names (op `_Arg`) that receive the arguments, in order. */
  readonly args: readonly string[];
  readonly rets: readonly TensorRef[];
  readonly graph: PlanGraph;
}

/** Ops whose function attributes are run by the engine (not inlined). */
export const CONTROL_FLOW_OPS: ReadonlyMap<string, readonly string[]> = new Map([
  ["If", ["then_branch", "else_branch"]],
  ["StatelessIf", ["then_branch", "else_branch"]],
  ["While", ["cond", "body"]],
  ["StatelessWhile", ["cond", "body"]],
  ["Case", ["branches"]],
  ["StatelessCase", ["branches"]],
]);

const CALL_OPS = new Set(["PartitionedCall", "StatefulPartitionedCall"]);

interface RawNode {
  name: string;
  op: string;
  /** Final-namespace input strings ("n:i", "n", "^n", or "!error"). */
  inputs: string[];
  attrs: AttrMap;
  origin: string;
}

export function refKey(r: TensorRef): string {
  return `${r.node}:${r.index}`;
}

/** "name:3" / "name" / "^name" -> parts. */
export function parseTensorName(s: string): { node: string; index: number; control: boolean } {
  if (s.startsWith("^")) return { node: s.slice(1), index: -1, control: true };
  const m = /^(.*):(\d+)$/.exec(s);
  if (m) return { node: m[1]!, index: Number(m[2]), control: false };
  return { node: s, index: 0, control: false };
}

/** Library + op signatures of one meta graph. */
class Library {
  readonly functions = new Map<string, tensorflow.FunctionDef.$Properties>();
  private readonly stripped = new Map<string, OpDefEntry>();
  private readonly fnDefs = new Map<string, OpDefEntry>();

  constructor(graph: tensorflow.GraphDef.$Properties, strippedOps: readonly tensorflow.OpDef.$Properties[]) {
    for (const f of graph.library?.function ?? []) {
      const name = f.signature?.name;
      if (name) this.functions.set(name, f);
    }
    for (const o of strippedOps) {
      if (o.name) {
        try {
          this.stripped.set(o.name, opDefEntryFromProto(o));
        } catch {
          /* an OpDef we cannot read: the op stays unknown */
        }
      }
    }
  }

  /** OpDef for an op or function name: core table, then stripped_op_list, then the function signature. */
  def(op: string): OpDefEntry | undefined {
    const fn = this.functions.get(op);
    if (fn?.signature) {
      let d = this.fnDefs.get(op);
      if (!d) {
        d = opDefEntryFromProto(fn.signature);
        this.fnDefs.set(op, d);
      }
      return d;
    }
    return opDef(op) ?? this.stripped.get(op);
  }
}

const defaultsCache = new Map<string, readonly (readonly [string, tensorflow.AttrValue.$Properties])[]>();

/** Attributes with the op's stripped defaults filled in (default values are shared, read-only). */
function fillDefaults(op: string, attrs: AttrMap | null | undefined): AttrMap {
  let defs = defaultsCache.get(op);
  if (!defs) {
    defs = Object.entries(attrDefaults(op)).map(([k, d]) => [k, toAttrValue(d)] as const);
    defaultsCache.set(op, defs);
  }
  const out: AttrMap = { ...(attrs ?? {}) };
  for (const [k, v] of defs) if (!(k in out)) out[k] = v;
  return out;
}

export function funcAttrName(v: tensorflow.AttrValue.$Properties | undefined): string | undefined {
  return v?.func?.name ?? undefined;
}

/**
 * The expanded (all calls inlined) graph of one meta graph. Built once per loaded model;
 * signatures prune it to their closure.
 */
export class GraphIndex {
  private readonly lib: Library;
  readonly nodes = new Map<string, RawNode>();
  /** "call:k" -> final-namespace tensor string of the function's k-th return. */
  private readonly alias = new Map<string, string>();
  /** Planned control-flow functions by name. */
  private readonly planned = new Map<string, PlanFunction>();
  private readonly planning = new Set<string>();
  /** Nodes emitted so far (inlining included), against `maxNodes`. */
  private emitted = 0;
  private readonly maxNodes: number;

  constructor(
    graph: tensorflow.GraphDef.$Properties,
    strippedOps: readonly tensorflow.OpDef.$Properties[] = [],
    opts: { readonly maxNodes?: number } = {},
  ) {
    this.maxNodes = opts.maxNodes ?? MAX_PLAN_NODES;
    this.lib = new Library(graph, strippedOps);
    const size = this.inlinedSize(graph.node ?? []);
    if (size > this.maxNodes) {
      throw new LimitError(
        undefined,
        `the graph has more than ${this.maxNodes} nodes once function calls are inlined; functions calling functions several times each grow exponentially`,
      );
    }
    const input = (s: string) => s;
    for (const n of graph.node ?? []) this.emit(n, n.name ?? "", input, "", 0, []);
  }

  /**
   * Nodes `nodes` expand to with every call inlined, computed per function (memoized) before anything
   * is inlined, so a fan-out of calls is refused at once; stops counting past the limit.
   */
  private inlinedSize(nodes: readonly tensorflow.NodeDef.$Properties[]): number {
    const memo = new Map<string, number>();
    const active = new Set<string>();
    const cap = this.maxNodes + 1;
    const sizeOf = (list: readonly tensorflow.NodeDef.$Properties[]): number => {
      let total = 0;
      for (const n of list) {
        if (total >= cap) break;
        const op = n.op ?? "";
        const callee = CALL_OPS.has(op) ? funcAttrName(n.attr?.["f"]) : this.lib.functions.has(op) ? op : undefined;
        const fn = callee === undefined ? undefined : this.lib.functions.get(callee);
        if (!fn || callee === undefined || active.has(callee)) {
          total += 1; // recursion is reported by the inliner (depth limit)
          continue;
        }
        let s = memo.get(callee);
        if (s === undefined) {
          active.add(callee);
          s = sizeOf(fn.node_def ?? []);
          active.delete(callee);
          memo.set(callee, s);
        }
        total = Math.min(cap, total + 1 + s);
      }
      return total;
    };
    return sizeOf(nodes);
  }

  get library(): ReadonlyMap<string, tensorflow.FunctionDef.$Properties> {
    return this.lib.functions;
  }

  hasNode(name: string): boolean {
    return this.nodes.has(name);
  }

  private emit(
    n: tensorflow.NodeDef.$Properties,
    finalName: string,
    translate: (s: string) => string,
    origin: string,
    depth: number,
    extraControl: readonly string[],
  ): void {
    const op = n.op ?? "";
    if (++this.emitted > this.maxNodes) {
      throw new LimitError(
        undefined,
        `the graph has more than ${this.maxNodes} nodes once function calls are inlined (at ${finalName}); functions calling functions several times each grow exponentially`,
      );
    }
    const inputs = (n.input ?? []).map(translate);
    const callee = CALL_OPS.has(op) ? funcAttrName(n.attr?.["f"]) : this.lib.functions.has(op) ? op : undefined;
    if (callee !== undefined) {
      const fn = this.lib.functions.get(callee);
      if (!fn) {
        this.nodes.set(finalName, { name: finalName, op: op, inputs, attrs: n.attr ?? {}, origin });
        return;
      }
      if (depth >= MAX_FUNCTION_DEPTH) {
        throw new StudioError("GRAPH", `function calls nested deeper than ${MAX_FUNCTION_DEPTH} (at ${finalName} -> ${callee})`);
      }
      const data = inputs.filter((s) => !s.startsWith("^"));
      const control = [...inputs.filter((s) => s.startsWith("^")), ...extraControl];
      const { rets, controlRets } = this.expand(fn, finalName, data, control, depth + 1);
      rets.forEach((r, k) => this.alias.set(`${finalName}:${k}`, r));
      // A NoOp standing for the call: `^call` waits for every return and every control return.
      const waits = [
        ...rets.filter((r) => !r.startsWith("!")).map((r) => "^" + parseTensorName(r).node),
        ...controlRets.map((c) => "^" + c),
      ];
      this.nodes.set(finalName, { name: finalName, op: "NoOp", inputs: waits, attrs: {}, origin });
      return;
    }
    const attrs = fillDefaults(op, n.attr);
    const all = extraControl.length > 0 && inputs.length === 0 ? [...extraControl] : inputs;
    this.nodes.set(finalName, { name: finalName, op, inputs: all, attrs, origin });
  }

  /** Inlines `fn` under `prefix`; returns its return tensors and control returns (final names). */
  private expand(
    fn: tensorflow.FunctionDef.$Properties,
    prefix: string,
    args: readonly string[],
    control: readonly string[],
    depth: number,
  ): { rets: string[]; controlRets: string[] } {
    const sig = fn.signature ?? {};
    const fname = sig.name ?? "";
    const argIndex = new Map<string, number>();
    (sig.input_arg ?? []).forEach((a, i) => argIndex.set(a.name ?? "", i));
    const bodies = new Map<string, tensorflow.NodeDef.$Properties>();
    for (const n of fn.node_def ?? []) bodies.set(n.name ?? "", n);
    const translate = (s: string): string => {
      if (s.startsWith("^")) {
        const inner = s.slice(1);
        const ai = argIndex.get(inner);
        if (ai !== undefined) {
          const a = args[ai];
          return a === undefined ? deferred("GRAPH", `${fname}: missing argument ${inner}`) : "^" + parseTensorName(a).node;
        }
        return `^${prefix}/${inner}`;
      }
      const parts = s.split(":");
      if (parts.length === 1) {
        const ai = argIndex.get(s);
        if (ai === undefined) return deferred("GRAPH", `${fname}: reference to unknown argument '${s}'`);
        return args[ai] ?? deferred("GRAPH", `${fname}: call passes no value for argument '${s}'`);
      }
      const [nodeName, outArg, idxStr] = parts.length === 3 ? parts : [parts[0]!, undefined, parts[1]];
      const body = bodies.get(nodeName!);
      if (!body) return deferred("GRAPH", `${fname}: reference to unknown node '${nodeName}'`);
      const idx = Number(idxStr);
      if (outArg === undefined) return `${prefix}/${nodeName}:${idx}`;
      try {
        return `${prefix}/${nodeName}:${this.flatIndex(body, outArg, idx)}`;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        return deferred(e instanceof StudioError ? e.code : "GRAPH", `${fname}: ${body.op}: ${msg}`);
      }
    };
    for (const n of fn.node_def ?? []) {
      this.emit(n, `${prefix}/${n.name ?? ""}`, translate, fname, depth, control);
    }
    const rets = (sig.output_arg ?? []).map((a) => {
      const r = fn.ret?.[a.name ?? ""];
      return r === undefined ? deferred("GRAPH", `${fname}: no return value for ${a.name}`) : translate(r);
    });
    const controlRets = Object.values(fn.control_ret ?? {}).map((c) => `${prefix}/${c}`);
    return { rets, controlRets };
  }

  private flatIndex(n: tensorflow.NodeDef.$Properties, outArg: string, idx: number): number {
    const op = n.op ?? "";
    const callee = CALL_OPS.has(op) ? undefined : this.lib.functions.get(op);
    if (callee) {
      const outs = callee.signature?.output_arg ?? [];
      const i = outs.findIndex((a) => a.name === outArg);
      if (i < 0) throw new StudioError("GRAPH", `function ${op} has no output ${outArg}`);
      return i + idx;
    }
    const def = this.lib.def(op);
    if (!def) {
      throw new StudioError("UNSUPPORTED_OP", `unknown op ${op} (not a core TensorFlow op; it needs a custom op library)`);
    }
    return flatOutputIndex(def, fillDefaults(op, n.attr), outArg, idx);
  }

  /** Resolves a final-namespace tensor string through call aliases. `owners` collects passed calls. */
  resolve(s: string, owners?: Set<string>): TensorRef {
    let cur = s;
    for (let guard = 0; guard < 100000; guard++) {
      if (cur.startsWith("!")) {
        const tab = cur.indexOf("\t");
        throw new StudioError(cur.slice(1, tab) as ErrorCode, cur.slice(tab + 1));
      }
      const p = parseTensorName(cur);
      const key = `${p.node}:${p.index}`;
      const next = this.alias.get(key);
      if (next === undefined) {
        if (!this.nodes.has(p.node)) throw new StudioError("GRAPH", `tensor '${s}' refers to node '${p.node}', which is not in the graph`);
        return { node: p.node, index: p.index };
      }
      owners?.add(p.node);
      cur = next;
    }
    throw new StudioError("GRAPH", `tensor '${s}': function returns form a cycle`);
  }

  /**
   * The closure of `wanted` (tensor strings or "^node" for side-effect targets), stopping at `fed`
   * refKeys, topologically ordered.
   */
  prune(wanted: readonly string[], fed: ReadonlySet<string> = new Set()): PlanGraph {
    const needed = new Map<string, PlanNode>();
    const stack: string[] = [];
    const resolved = (s: string): { ref?: TensorRef; control?: string } => {
      if (s.startsWith("^")) return { control: s.slice(1) };
      const owners = new Set<string>();
      const ref = this.resolve(s, owners);
      for (const o of owners) stack.push(o); // the call's control returns run when any output is used
      return { ref };
    };
    const want = (s: string) => {
      const r = resolved(s);
      if (r.control !== undefined) stack.push(r.control);
      else if (r.ref && !fed.has(refKey(r.ref))) stack.push(r.ref.node);
    };
    for (const w of wanted) want(w);
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (needed.has(name)) continue;
      const raw = this.nodes.get(name);
      if (!raw) throw new StudioError("GRAPH", `node '${name}' is not in the graph`);
      const inputs: TensorRef[] = [];
      const control: string[] = [];
      for (const s of raw.inputs) {
        const r = resolved(s);
        if (r.control !== undefined) {
          // Waiting on a placeholder orders nothing (and it may be fed): drop such edges.
          const op = this.nodes.get(r.control)?.op;
          if (op === "Placeholder" || op === "PlaceholderWithDefault" || op === "_Arg") continue;
          control.push(r.control);
          stack.push(r.control);
        } else if (r.ref) {
          inputs.push(r.ref);
          if (!fed.has(refKey(r.ref))) stack.push(r.ref.node);
        }
      }
      needed.set(name, { name, op: raw.op, inputs, control, attrs: raw.attrs, origin: raw.origin });
    }
    return { nodes: topoSort(needed, fed) };
  }

  /** Plans a control-flow branch/body function (cached). */
  planFunction(name: string, depth = 0): PlanFunction {
    const done = this.planned.get(name);
    if (done) return done;
    if (depth >= MAX_FUNCTION_DEPTH)
      throw new StudioError("GRAPH", `control-flow functions nested deeper than ${MAX_FUNCTION_DEPTH} (at ${name})`);
    if (this.planning.has(name)) throw new StudioError("GRAPH", `function ${name} calls itself recursively`);
    const fn = this.lib.functions.get(name);
    if (!fn) throw new StudioError("GRAPH", `function ${name} is not in the graph's library`);
    this.planning.add(name);
    try {
      const prefix = `__fn__${name}`;
      const args = (fn.signature?.input_arg ?? []).map((_, i) => `${prefix}/_arg${i}`);
      for (const [i, a] of args.entries()) {
        const dt = fn.signature?.input_arg?.[i]?.type;
        this.nodes.set(a, { name: a, op: "_Arg", inputs: [], attrs: { index: { i }, T: { type: dt ?? 0 } }, origin: name });
      }
      const { rets, controlRets } = this.expand(
        fn,
        prefix,
        args.map((a) => `${a}:0`),
        [],
        depth + 1,
      );
      const graph = this.prune([...rets, ...controlRets.map((c) => "^" + c)]);
      const retRefs = rets.map((r) => this.resolve(r));
      const pf: PlanFunction = { name, args, rets: retRefs, graph };
      // Nested bodies first, while `name` is still being planned: a body that runs itself
      // (directly or through another function) is found here, not as a stack overflow at run time.
      for (const n of graph.nodes) this.planNested(n, depth + 1);
      this.planned.set(name, pf);
      return pf;
    } finally {
      this.planning.delete(name);
    }
  }

  /** Plans the functions of control-flow nodes in `graph` (so errors surface before running). */
  planNested(n: PlanNode, depth = 0): void {
    const keys = CONTROL_FLOW_OPS.get(n.op);
    if (!keys) return;
    for (const k of keys) {
      const v = n.attrs[k];
      const names = k === "branches" ? (v?.list?.func ?? []).map((f) => f.name ?? "") : [funcAttrName(v) ?? ""];
      for (const f of names) this.planFunction(f, depth);
    }
  }

  functionPlan(name: string): PlanFunction {
    return this.planFunction(name);
  }
}

/** The DataType of output `index` of a node, from its OpDef and attributes (0 when unknown). */
export function outputDtype(op: string, attrs: AttrMap, index: number): number {
  const def = opDef(op);
  if (!def) return 0;
  try {
    const layout = outputLayout(def, attrs);
    const k = layout.findIndex((a) => index >= a.start && index < a.start + a.count);
    const arg = def.outputs[k];
    if (!arg) return 0;
    if (arg.type) return tfproto.DataType[arg.type] ?? 0;
    if (arg.type_attr) return attrs[arg.type_attr]?.type ?? 0;
    if (arg.type_list_attr) return attrs[arg.type_list_attr]?.list?.type?.[index - layout[k]!.start] ?? 0;
  } catch {
    return 0;
  }
  return 0;
}

/** Whether an edge from an op of this kind is a TF1 loop back edge (NextIteration -> Merge). */
export function isBackEdge(producerOp: string | undefined): boolean {
  return producerOp === "NextIteration" || producerOp === "RefNextIteration";
}

function topoSort(nodes: ReadonlyMap<string, PlanNode>, fed: ReadonlySet<string>): PlanNode[] {
  const state = new Map<string, 1 | 2>();
  const order: PlanNode[] = [];
  for (const start of [...nodes.keys()].sort()) {
    if (state.has(start)) continue;
    const stack: { name: string; deps: string[]; i: number }[] = [];
    const push = (name: string) => {
      const n = nodes.get(name)!;
      const deps = [
        ...n.inputs.filter((r) => !fed.has(refKey(r)) && !isBackEdge(nodes.get(r.node)?.op)).map((r) => r.node),
        ...n.control,
      ].filter((d) => nodes.has(d));
      state.set(name, 1);
      stack.push({ name, deps, i: 0 });
    };
    push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i < top.deps.length) {
        const d = top.deps[top.i++]!;
        const s = state.get(d);
        if (s === 1) {
          throw new StudioError(
            "GRAPH",
            `the graph has a cycle through '${d}' that is not a TF1 while loop (only NextIteration -> Merge edges may close a cycle)`,
          );
        }
        if (s === undefined) push(d);
      } else {
        stack.pop();
        state.set(top.name, 2);
        order.push(nodes.get(top.name)!);
      }
    }
  }
  return order;
}

/**
 * An error found while translating a function body, kept in place of a tensor name and thrown (with
 * its code: an unknown op stays UNSUPPORTED_OP) only if a plan reaches that tensor.
 */
function deferred(code: ErrorCode, message: string): string {
  return `!${code}\t${message}`;
}
