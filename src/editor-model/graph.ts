/**
 * Graph models for the editor's graph view. PURE.
 *  - signature: TF1 and TF2 alike, the meta graph's graph_def pruned to the closure of the signature's
 *    outputs (stopping at its feeds); TF2 signatures are then a call node into the signature's function,
 *    which is inlined (`inlineDepth`) so the view shows the function body.
 *  - function: the body of a library function (arguments and returns as input/output nodes).
 *  - graph: the whole graph_def (TF1 models without signatures).
 * Function-call nodes ((Stateful)PartitionedCall, or an op that is a library function) are inlined when
 * listed in `expand` or within `inlineDepth` levels; their bodies are prefixed with the call node's name,
 * so they collapse as one name scope.
 */
import { dtypeName } from "../core/dtype.js";
import { StudioError } from "../core/errors.js";
import { attrDefaults, flatOutputIndex, isCoreOp, toAttrValue } from "../core/ops/index.js";
import type { tensorflow } from "../core/proto/index.js";
import type { SavedModelReader } from "../core/savedmodel/reader.js";
import type { GraphTarget, GraphView, NodeDetailsView } from "../protocol/editor.js";
import { capturedVariables, objectPaths, objectVariable, type VariableInfo } from "./variables.js";
import { elementsOf, inferOutputs, shapeOf, tensorText, UNKNOWN, type TensorInfo } from "./tensors.js";

type NodeDef = tensorflow.NodeDef.$Properties;
type FunctionDef = tensorflow.FunctionDef.$Properties;
type AttrValue = tensorflow.AttrValue.$Properties;

/** Nodes emitted at most (inlining stops beyond this; the note says so). */
export const MAX_GRAPH_NODES = 200_000;

interface Ref {
  readonly name: string;
  /** Output spec after the node name ("0", "output:0", "identity:0"), "" for the first output. */
  readonly out: string;
  readonly control: boolean;
}

interface BNode {
  readonly name: string;
  readonly op: string;
  readonly role: "op" | "input" | "output" | "const";
  readonly call: string | null;
  readonly device: string;
  readonly def: NodeDef | null;
  readonly refs: Ref[];
  /** Function arguments: the argument's dtype and TensorSpec shape. */
  readonly arg?: TensorInfo;
  /** Top-level captured argument of a function target: the variable it stands for. */
  variable?: VariableInfo;
}

interface Inlined {
  readonly fn: FunctionDef;
  readonly prefix: string;
}

export interface BuiltGraph {
  readonly view: GraphView;
  /** Node index by name. */
  readonly byName: ReadonlyMap<string, number>;
  readonly defs: readonly (NodeDef | null)[];
  readonly inputs: readonly (readonly string[])[];
  readonly controlInputs: readonly (readonly string[])[];
  /** Output 0 dtype/shape per node (UNKNOWN when not known). */
  readonly tensors: readonly TensorInfo[];
  /** Variable per node (captured arguments and the graph's variable handles). */
  readonly variables: readonly (VariableInfo | undefined)[];
}

export interface GraphRequest {
  readonly metaGraph: number;
  readonly target: GraphTarget;
  readonly expand: readonly string[];
  readonly inlineDepth: number;
}

function parseRef(raw: string): Ref {
  if (raw.startsWith("^")) return { name: raw.slice(1), out: "", control: true };
  const i = raw.indexOf(":");
  return i < 0 ? { name: raw, out: "", control: false } : { name: raw.slice(0, i), out: raw.slice(i + 1), control: false };
}

const CALL_OPS = new Set(["PartitionedCall", "StatefulPartitionedCall"]);

/** The library function a node calls in a way that inlines (not control flow branches). */
function callee(n: NodeDef, lib: ReadonlyMap<string, FunctionDef>): string | null {
  const op = n.op ?? "";
  if (lib.has(op)) return op;
  if (CALL_OPS.has(op)) {
    const f = n.attr?.["f"]?.func?.name;
    if (f && lib.has(f)) return f;
  }
  return null;
}

/** Every library function named anywhere in a node's attributes (If/While branches included). */
export function referencedFunctions(n: NodeDef, lib: ReadonlyMap<string, FunctionDef>): string[] {
  const out = new Set<string>();
  if (lib.has(n.op ?? "")) out.add(n.op ?? "");
  for (const v of Object.values(n.attr ?? {})) {
    if (v.func?.name && lib.has(v.func.name)) out.add(v.func.name);
    for (const f of v.list?.func ?? []) if (f.name && lib.has(f.name)) out.add(f.name);
  }
  return [...out].sort();
}

function roleOf(op: string): BNode["role"] {
  if (op === "Placeholder" || op === "PlaceholderWithDefault" || op === "_Arg") return "input";
  if (op === "_Retval") return "output";
  if (op === "Const") return "const";
  return "op";
}

class Builder {
  readonly nodes: BNode[] = [];
  readonly byName = new Map<string, number>();
  readonly inlined = new Map<string, Inlined>();
  readonly expanded: string[] = [];
  truncated = false;

  constructor(
    readonly lib: ReadonlyMap<string, FunctionDef>,
    readonly expand: ReadonlySet<string>,
    readonly inlineDepth: number,
  ) {}

  add(n: BNode): void {
    if (this.byName.has(n.name)) return;
    this.byName.set(n.name, this.nodes.length);
    this.nodes.push(n);
  }

  private wantInline(fullName: string, depth: number, fn: FunctionDef): boolean {
    if (!(this.expand.has(fullName) || depth < this.inlineDepth)) return false;
    if (this.nodes.length + (fn.node_def?.length ?? 0) > MAX_GRAPH_NODES) {
      this.truncated = true;
      return false;
    }
    return true;
  }

  /** Emits graph_def-style nodes (refs "name:idx") under `prefix`. */
  emitNodes(prefix: string, defs: readonly NodeDef[], depth: number, resolve: (r: Ref) => Ref): void {
    for (const n of defs) {
      const full = prefix + (n.name ?? "");
      const refs = (n.input ?? []).map((s) => resolve(parseRef(s)));
      const f = callee(n, this.lib);
      const fn = f ? this.lib.get(f) : undefined;
      if (f && fn && this.wantInline(full, depth, fn)) {
        this.expanded.push(full);
        this.inlineFunction(
          full + "/",
          fn,
          refs.filter((r) => !r.control),
          depth + 1,
        );
        this.inlined.set(full, { fn, prefix: full + "/" });
        continue;
      }
      const op = n.op ?? "";
      this.add({ name: full, op, role: roleOf(op), call: f, device: n.device ?? "", def: n, refs });
    }
  }

  /** Emits a function body under `prefix`; its arguments are fed by `args` (null: top-level inputs). */
  inlineFunction(prefix: string, fn: FunctionDef, args: readonly Ref[] | null, depth: number): void {
    const sig = fn.signature;
    const argNames = new Set((sig?.input_arg ?? []).map((a) => a.name ?? ""));
    (sig?.input_arg ?? []).forEach((a, i) => {
      const feed = args?.[i];
      const spec = fn.arg_attr?.[i]?.attr?.["_output_shapes"]?.list?.shape?.[0];
      this.add({
        name: prefix + (a.name ?? ""),
        op: "_Arg",
        role: "input",
        call: null,
        device: "",
        def: null,
        refs: feed ? [feed] : [],
        arg: { dtype: a.type ?? 0, shape: spec ? shapeOf(spec) : null },
      });
    });
    const resolve = (r: Ref): Ref => {
      // Inside a function: "arg", "node:out_arg:idx", "^node".
      if (!r.control && argNames.has(r.name)) return { name: prefix + r.name, out: "", control: false };
      return { name: prefix + r.name, out: r.out, control: r.control };
    };
    this.emitNodes(prefix, fn.node_def ?? [], depth, resolve);
    for (const a of sig?.output_arg ?? []) {
      const ret = fn.ret?.[a.name ?? ""];
      this.add({
        name: prefix + (a.name ?? ""),
        op: "_Retval",
        role: "output",
        call: null,
        device: "",
        def: null,
        refs: ret ? [resolve(parseRef(ret))] : [],
      });
    }
  }

  /** Maps a reference to an inlined call node onto the function's return node. */
  target(r: Ref): string | undefined {
    let name = r.name;
    let out = r.out;
    for (let guard = 0; guard < 64; guard++) {
      const inl = this.inlined.get(name);
      if (!inl) return this.byName.has(name) ? name : undefined;
      const outs = inl.fn.signature?.output_arg ?? [];
      if (r.control) return outs[0] ? inl.prefix + (outs[0].name ?? "") : undefined;
      const parts = out === "" ? [] : out.split(":");
      let k = 0;
      if (parts.length === 1) k = Number(parts[0]);
      else if (parts.length >= 2) {
        const byName = outs.findIndex((a) => a.name === parts[0]);
        k = byName >= 0 ? byName : Number(parts[1]);
      }
      const arg = outs[Number.isInteger(k) ? k : 0];
      if (!arg) return undefined;
      name = inl.prefix + (arg.name ?? "");
      out = "";
    }
    return undefined;
  }
}

function libraryOf(g: tensorflow.GraphDef.$Properties | null | undefined): Map<string, FunctionDef> {
  return new Map((g?.library?.function ?? []).map((f) => [f.signature?.name ?? "", f]));
}

/** Node names in the closure of `outputs` over data and control inputs, not crossing `feeds`. */
function closure(nodes: readonly NodeDef[], outputs: readonly string[], feeds: ReadonlySet<string>): Set<string> {
  const byName = new Map(nodes.map((n) => [n.name ?? "", n]));
  const seen = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const n = byName.get(name);
    if (!n) continue;
    seen.add(name);
    if (feeds.has(name)) continue;
    for (const i of n.input ?? []) stack.push(parseRef(i).name);
  }
  return seen;
}

export function buildGraph(r: SavedModelReader, req: GraphRequest): BuiltGraph {
  const mg = r.metaGraphDef(req.metaGraph);
  const g = mg.graph_def;
  const lib = libraryOf(g);
  const b = new Builder(lib, new Set(req.expand), req.inlineDepth);
  const all = g?.node ?? [];
  const varByName = new Map<string, VariableInfo>();
  let title: string;
  let totalNodes = all.length;
  const outputNames = new Set<string>();
  let kept = -1;
  if (req.target.kind === "function") {
    const fn = lib.get(req.target.name);
    if (!fn) throw new StudioError("NOT_FOUND", `${r.modelFile}: no library function '${req.target.name}'`, r.modelFile);
    title = req.target.name;
    totalNodes = fn.node_def?.length ?? 0;
    b.inlineFunction("", fn, null, 0);
    const captured = capturedVariables(r.objectGraph(req.metaGraph), req.target.name);
    const args = fn.signature?.input_arg ?? [];
    captured.forEach((v, j) => {
      const a = args[args.length - captured.length + j];
      if (v && a) varByName.set(a.name ?? "", v);
    });
  } else if (req.target.kind === "signature") {
    const key = req.target.key;
    const sig = r.metaGraphs()[req.metaGraph]?.signatures.find((s) => s.key === key);
    if (!sig) throw new StudioError("NOT_FOUND", `${r.modelFile}: no signature '${key}' in meta graph ${req.metaGraph}`, r.modelFile);
    title = key;
    const tensorNames = (ts: typeof sig.inputs) =>
      ts
        .flatMap((t) => [
          t.name,
          t.cooSparse?.values,
          t.cooSparse?.indices,
          t.cooSparse?.denseShape,
          ...(t.composite?.components.map((c) => c.name) ?? []),
        ])
        .filter((n): n is string => !!n);
    const outRefs = tensorNames(sig.outputs).map(parseRef);
    const outs = outRefs.map((x) => x.name);
    const feeds = new Set(tensorNames(sig.inputs).map((n) => parseRef(n).name));
    const keep = closure(all, outs, feeds);
    kept = keep.size;
    b.emitNodes(
      "",
      all.filter((n) => keep.has(n.name ?? "")),
      0,
      (x) => x,
    );
    // signature outputs, through inlined call nodes to the return nodes that produce them
    for (const ref of outRefs) {
      const t = b.target(ref);
      if (t !== undefined) outputNames.add(t);
    }
  } else {
    title = "graph";
    b.emitNodes("", all, 0, (x) => x);
  }
  if (req.target.kind !== "function") graphVariables(r.objectGraph(req.metaGraph), all, lib, varByName);
  // resolve edges
  const edges: [number, number, number][] = [];
  const inputs: string[][] = [];
  const controlInputs: string[][] = [];
  const dataIn: [number, number][][] = [];
  b.nodes.forEach((n, to) => {
    const ins: string[] = [];
    const ctl: string[] = [];
    const seen = new Set<number>();
    const din: [number, number][] = [];
    dataIn.push(din);
    for (const ref of n.refs) {
      const src = b.target(ref);
      if (src === undefined) continue;
      (ref.control ? ctl : ins).push(src + (ref.control || ref.out === "" || ref.out === "0" ? "" : ":" + ref.out));
      const from = b.byName.get(src);
      if (from !== undefined && !ref.control) din.push([from, src === ref.name ? outIndex(b.nodes[from]?.def ?? null, ref.out) : 0]);
      if (from === undefined || from === to) continue;
      const k = from * 2 + (ref.control ? 1 : 0);
      if (seen.has(k)) continue;
      seen.add(k);
      edges.push([from, to, ref.control ? 1 : 0]);
    }
    inputs.push(ins);
    controlInputs.push(ctl);
  });
  const { tensors, outs, variables } = annotate(b.nodes, dataIn, varByName);
  const edgeTensors = edges.map(([from, to, control]): [string, number] => {
    if (control) return ["", -1];
    const k = dataIn[to]?.find(([f]) => f === from)?.[1] ?? 0;
    const t = outs[from]?.[k] ?? UNKNOWN;
    return [tensorText(t), elementsOf(t)];
  });
  const notes: string[] = [];
  if (b.truncated) notes.push(`Function bodies were not inlined beyond ${MAX_GRAPH_NODES} nodes.`);
  if (kept >= 0 && kept < totalNodes) notes.push(`Pruned to the signature's outputs: ${kept} of ${totalNodes} graph nodes.`);
  const view: GraphView = {
    metaGraph: req.metaGraph,
    target: req.target,
    title,
    nodes: b.nodes.map((n, i) => ({
      name: n.name,
      op: n.op,
      role: outputNames.has(n.name) && n.role !== "input" ? "output" : n.role,
      call: n.call,
      device: n.device,
      ...(variables[i] ? { variable: variables[i].name, variablePath: variables[i].path } : {}),
      ...(tensorText(tensors[i] ?? UNKNOWN) ? { tensor: tensorText(tensors[i] ?? UNKNOWN) } : {}),
    })),
    edges,
    edgeTensors,
    expanded: b.expanded,
    totalNodes,
    note: notes.length > 0 ? notes.join(" ") : null,
  };
  return { view, byName: b.byName, defs: b.nodes.map((n) => n.def), inputs, controlInputs, tensors, variables };
}

/** Flat output index of a reference ("", "1", "output:0" in function bodies). */
function outIndex(def: NodeDef | null, out: string): number {
  if (out === "") return 0;
  const parts = out.split(":");
  if (parts.length === 1) return Number(parts[0]) || 0;
  if (!def) return 0;
  try {
    return flatOutputIndex(def.op ?? "", def.attr, parts[0] ?? "", Number(parts[1]));
  } catch {
    return 0;
  }
}

/** Graph-level nodes that feed a call's captured inputs (and variable handles by shared name). */
function graphVariables(
  og: tensorflow.SavedObjectGraph.$Properties | null,
  all: readonly NodeDef[],
  lib: ReadonlyMap<string, FunctionDef>,
  out: Map<string, VariableInfo>,
): void {
  if (!og) return;
  const paths = objectPaths(og);
  for (const n of all) {
    const f = callee(n, lib);
    const captured = f ? capturedVariables(og, f, paths) : [];
    if (captured.length === 0) continue;
    const data = (n.input ?? []).filter((x) => !x.startsWith("^"));
    data.slice(data.length - captured.length).forEach((x, j) => {
      const v = captured[j];
      const src = parseRef(x).name;
      if (v && !out.has(src)) out.set(src, v);
    });
  }
  const byName = new Map<string, VariableInfo>();
  (og.nodes ?? []).forEach((_, id) => {
    const v = objectVariable(og, paths, id);
    if (v?.kind === "variable") byName.set(v.name, v);
  });
  for (const n of all) {
    if (n.op !== "VarHandleOp" || out.has(n.name ?? "")) continue;
    const shared = n.attr?.["shared_name"]?.s;
    const v = byName.get(shared ? new TextDecoder().decode(shared) : (n.name ?? "")) ?? byName.get(n.name ?? "");
    if (v) out.set(n.name ?? "", v);
  }
}

/** Topological order over data inputs (nodes on cycles come last, in index order). */
function topoOrder(n: number, dataIn: readonly (readonly [number, number])[][]): number[] {
  const indeg = new Int32Array(n);
  const succ: number[][] = Array.from({ length: n }, () => []);
  dataIn.forEach((ins, to) => {
    for (const [from] of ins) {
      indeg[to]!++;
      succ[from]!.push(to);
    }
  });
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let q = 0; q < order.length; q++) for (const t of succ[order[q]!]!) if (--indeg[t]! === 0) order.push(t);
  if (order.length < n) {
    const seen = new Uint8Array(n);
    for (const i of order) seen[i] = 1;
    for (let i = 0; i < n; i++) if (!seen[i]) order.push(i);
  }
  return order;
}

/**
 * Dtypes/shapes of every node's outputs (in topological order, see tensors.ts) and the variable each
 * node stands for: captured arguments and variable handles by name, and arguments fed by them.
 */
function annotate(
  nodes: readonly BNode[],
  dataIn: readonly (readonly [number, number])[][],
  varByName: ReadonlyMap<string, VariableInfo>,
): { tensors: TensorInfo[]; outs: TensorInfo[][]; variables: (VariableInfo | undefined)[] } {
  const outs: TensorInfo[][] = new Array<TensorInfo[]>(nodes.length);
  const variables: (VariableInfo | undefined)[] = nodes.map((n) => varByName.get(n.name));
  for (const i of topoOrder(nodes.length, dataIn)) {
    const n = nodes[i]!;
    const ins = (dataIn[i] ?? []).map(([f, k]) => outs[f]?.[k] ?? UNKNOWN);
    if (n.op === "_Arg" || n.op === "_Retval") {
      const feed = dataIn[i]?.[0];
      if (feed && !variables[i]) variables[i] = variables[feed[0]];
      const v = variables[i];
      const fromArg = n.arg && (n.arg.dtype !== 0 || n.arg.shape) ? n.arg : undefined;
      outs[i] = [v && v.kind === "variable" ? { dtype: v.dtype, shape: v.shape } : (ins[0] ?? fromArg ?? UNKNOWN)];
      if (fromArg && ins[0] && ins[0].shape === null) outs[i] = [fromArg];
      continue;
    }
    if (!n.def) {
      outs[i] = [UNKNOWN];
      continue;
    }
    const v = variables[i];
    outs[i] =
      v && v.kind === "variable"
        ? [{ dtype: v.dtype, shape: v.shape }]
        : inferOutputs({ node: n.def, ins, producer: (j) => nodes[dataIn[i]?.[j]?.[0] ?? -1]?.def ?? null });
  }
  return { tensors: outs.map((o) => o?.[0] ?? UNKNOWN), outs, variables };
}

// ------------------------------------------------------------------------------------------------
// node details

function bytesText(b: Uint8Array): string {
  const s = new TextDecoder("utf-8", { fatal: false }).decode(b);
  const printable = /^[\x20-\x7e\t\n\r\u00a0-\uffff]*$/.test(s) && !s.includes("\ufffd");
  const text = printable ? s : Array.from(b.subarray(0, 64), (x) => "\\x" + x.toString(16).padStart(2, "0")).join("");
  return JSON.stringify(text.length > 200 ? text.slice(0, 200) + "…" : text);
}

function shapeAttr(s: tensorflow.TensorShapeProto.$Properties | null | undefined): string {
  if (!s) return "?";
  if (s.unknown_rank) return "<unknown>";
  return `[${(s.dim ?? []).map((d) => (Number(d.size ?? 0) < 0 ? "?" : String(d.size ?? 0))).join(",")}]`;
}

/** A short human-readable rendering of an attribute value. */
export function formatAttr(v: AttrValue): string {
  const has = (k: keyof AttrValue) => (v.value !== undefined ? v.value === k : Object.prototype.hasOwnProperty.call(v, k) && v[k] !== null);
  if (has("s")) return bytesText(v.s ?? new Uint8Array());
  if (has("i")) return String(v.i ?? 0);
  if (has("f")) return String(v.f ?? 0);
  if (has("b")) return String(v.b ?? false);
  if (has("type")) return dtypeName(v.type ?? 0);
  if (has("shape")) return shapeAttr(v.shape);
  if (has("tensor")) {
    const t = v.tensor;
    return `tensor<${dtypeName(t?.dtype ?? 0)}${shapeAttr(t?.tensor_shape)}>`;
  }
  if (has("func")) return `${v.func?.name ?? ""}()`;
  if (has("placeholder")) return `$${v.placeholder ?? ""}`;
  if (has("list")) {
    const l = v.list ?? {};
    const items: string[] = [
      ...(l.s ?? []).map(bytesText),
      ...(l.i ?? []).map((x) => String(x)),
      ...(l.f ?? []).map((x) => String(x)),
      ...(l.b ?? []).map((x) => String(x)),
      ...(l.type ?? []).map((x) => dtypeName(x)),
      ...(l.shape ?? []).map(shapeAttr),
      ...(l.tensor ?? []).map((t) => `tensor<${dtypeName(t.dtype ?? 0)}${shapeAttr(t.tensor_shape)}>`),
      ...(l.func ?? []).map((f) => `${f.name ?? ""}()`),
    ];
    const shown = items.length > 32 ? [...items.slice(0, 32), `… ${items.length - 32} more`] : items;
    return `[${shown.join(", ")}]`;
  }
  return "";
}

export function nodeDetails(r: SavedModelReader, built: BuiltGraph, name: string): NodeDetailsView {
  const i = built.byName.get(name);
  const node = i === undefined ? undefined : built.view.nodes[i];
  if (i === undefined || !node) throw new StudioError("NOT_FOUND", `${r.modelFile}: no node '${name}' in this graph`, r.modelFile);
  const def = built.defs[i] ?? null;
  const outputs: string[] = [];
  for (const [from, to, control] of built.view.edges)
    if (from === i) outputs.push((control ? "^" : "") + (built.view.nodes[to]?.name ?? ""));
  const attrs: { name: string; value: string; isDefault: boolean }[] = [];
  const present = def?.attr ?? {};
  for (const k of Object.keys(present).sort()) {
    const v = present[k];
    if (v) attrs.push({ name: k, value: formatAttr(v), isDefault: false });
  }
  for (const [k, d] of Object.entries(attrDefaults(node.op)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!(k in present)) attrs.push({ name: k, value: formatAttr(toAttrValue(d)), isDefault: true });
  }
  const lib = libraryOf(r.metaGraphDef(built.view.metaGraph).graph_def);
  return {
    name,
    op: node.op,
    device: node.device,
    call: node.call,
    functions: def ? referencedFunctions(def, lib) : [],
    custom: node.op !== "_Arg" && node.op !== "_Retval" && !isCoreOp(node.op) && !lib.has(node.op),
    inputs: [...(built.inputs[i] ?? [])],
    controlInputs: [...(built.controlInputs[i] ?? [])],
    outputs,
    attrs,
  };
}
