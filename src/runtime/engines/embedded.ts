/**
 * The embedded engine: a small interpreter over the plan, executing each node with a kernel on
 * tfjs-core (wasm backend with SIMD, or cpu). Variables live in a per-model store so stateful
 * signatures keep state across runs on one loaded model; hash tables are filled by the init op.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ensureBackend, tfjsThreads } from "./backend.js";
import { StudioError } from "../../core/errors.js";
import { DataType, baseType } from "../../core/dtype.js";
import { joinPath } from "../../core/io.js";
import { isCoreOp } from "../../core/ops/index.js";
import type { tensorflow } from "../../core/proto/index.js";
import type { SavedModelReader } from "../../core/savedmodel/reader.js";
import type { TensorBundle } from "../../core/bundle/bundle.js";
import type { HostTensor } from "../../core/tensor.js";
import {
  CONTROL_FLOW_OPS,
  GraphIndex,
  funcAttrName,
  outputDtype,
  parseTensorName,
  refKey,
  type PlanGraph,
  type PlanNode,
  type TensorRef,
} from "../plan.js";
import { decodeTensorProto, shapeFromProto } from "../tensorproto.js";
import { RunBudget, runLimits, tensorProtoBytes } from "../budget.js";
import { splatTensor } from "./splat.js";
import { ConstantMemory } from "./constMemory.js";
import { collectOps, refuseUnsafeOps } from "../safety.js";
import type { LoadOptions, LoadedModel, NodeObserver, PreparedSignature, RunOptions, RunResult, RunThreads, TensorSpec } from "../types.js";
import { signatureFeedSpecs } from "../feeds.js";
import { validateFeeds } from "../validate.js";
import { NarrowingError, toTfTensor } from "./convert.js";
import { checkNode, kernelFailure } from "./checks.js";
import { fuseGraph } from "./fuse.js";
import type { Segment } from "./segments.js";
import { segmentGraph } from "./segmentBuild.js";
import { loopGraph, type RecurrentLoop } from "./loops.js";
import { SimdRuntime } from "../wasm/pool.js";
import { KERNELS, constTensor } from "./kernels.js";
import { DEAD, isDead, isTensor, type HashTable, type KernelContext, type Value } from "./values.js";
import { observedCall, observedStep } from "./observe.js";
import { hasFrames, runFrames } from "./frames.js";
import { directSegment, feedValues, hostOutputs, selectOutputs, type IOBinding } from "./bindings.js";
import { aStr, aTensor } from "./attrs.js";

/** Ops with effects outside the model (the list lives in runtime/safety.ts, shared with the native engine). */
export { UNSAFE_OPS } from "../safety.js";

const SOURCE_OPS = new Set(["Const", "Placeholder", "_Arg"]);
const MERGE_OPS = new Set(["Merge", "RefMerge"]);
/** Feeds as a function body sees them: none (its values are its arguments), so no per-input key is built. */
const NO_FEEDS: ReadonlyMap<string, Value> = new Map();
/** The outputs of a node that did not run (a tf.cond branch not taken): every output reads as DEAD. */
const ALL_DEAD: Value[] = [];
const TABLE_INIT_OPS = new Set([
  "InitializeTableFromTextFileV2",
  "InitializeTableFromTextFile",
  "LookupTableImportV2",
  "InitializeTableV2",
  "InitializeTable",
]);
const VARIABLE_OPS = new Set(["VarHandleOp", "VariableV2", "Variable"]);
const REF_UPDATE_OPS = new Set(["Assign", "AssignAdd", "AssignSub", "IsVariableInitialized"]);
const OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

/** One execution of a plan: what is fed, what is wanted, and what to make of the values. */
interface Execution<T> {
  readonly plan: PlanGraph;
  readonly feeds: ReadonlyMap<string, Value>;
  readonly wanted: readonly TensorRef[];
  readonly signal: AbortSignal | undefined;
  readonly consume: (values: Value[]) => T;
  readonly seed?: number | undefined;
  readonly observe?: NodeObserver | undefined;
}

export class EmbeddedModel implements LoadedModel {
  readonly engine = "embedded" as const;
  readonly variables = new Map<string, tf.Tensor>();
  readonly tables = new Map<string, HashTable>();
  private readonly consts = new Map<string, tf.Tensor>();
  private readonly varKeys = new Map<string, string>();
  private assets = new Map<string, Uint8Array>();
  private disposed = false;
  loadMs = 0;

  private constructor(
    readonly reader: SavedModelReader,
    readonly metaIndex: number,
    readonly meta: tensorflow.MetaGraphDef.$Properties,
    readonly graph: GraphIndex,
    readonly bundle: TensorBundle | null,
    readonly backend: string,
    readonly opts: LoadOptions,
  ) {}

  get tags(): readonly string[] {
    return this.meta.meta_info_def?.tags ?? [];
  }

  get signatureKeys(): readonly string[] {
    return Object.keys(this.meta.signature_def ?? {})
      .filter((k) => k !== "__saved_model_init_op")
      .sort();
  }

  static async load(reader: SavedModelReader, metaIndex: number, opts: LoadOptions): Promise<EmbeddedModel> {
    const t0 = performance.now();
    const backend = await ensureBackend(opts.backend ?? "wasm", opts.wasmPaths, opts.wasmBinaries);
    const meta = reader.metaGraphDef(metaIndex);
    const graph = new GraphIndex(meta.graph_def ?? {}, meta.meta_info_def?.stripped_op_list?.op ?? [], {
      maxNodes: runLimits(opts.limits).maxPlanNodes,
    });
    const bundle = await reader.variables();
    const model = new EmbeddedModel(reader, metaIndex, meta, graph, bundle, backend, opts);
    await model.bindVariables();
    await model.runInitOp();
    model.loadMs = performance.now() - t0;
    return model;
  }

  // ---------- variables ----------

  /** Graph variable node -> checkpoint key (TF2: through the object graph; TF1: node names / saver). */
  private async bindVariables(): Promise<void> {
    const keys = new Set(this.bundle?.entries().map((e) => e.key) ?? []);
    const og = this.reader.objectGraph(this.metaIndex);
    if (og && this.bundle && keys.has(OBJECT_GRAPH_KEY)) {
      const ckpt = await this.bundle.objectGraph();
      const ckptKey = (id: number) => ckpt?.nodes?.[id]?.attributes?.find((a) => a.name === "VARIABLE_VALUE")?.checkpoint_key ?? undefined;
      // Captured inputs of each concrete function come from the object graph's bound_inputs, in order.
      const concrete = og.concrete_functions ?? {};
      for (const n of this.meta.graph_def?.node ?? []) {
        const f = funcAttrName(n.attr?.["f"]) ?? (this.graph.library.has(n.op ?? "") ? n.op! : undefined);
        const bound = f ? concrete[f]?.bound_inputs : undefined;
        if (!bound || bound.length === 0) continue;
        const data = (n.input ?? []).filter((s) => !s.startsWith("^"));
        const captured = data.slice(data.length - bound.length);
        captured.forEach((s, j) => {
          const key = ckptKey(bound[j]!);
          const src = parseTensorName(s).node;
          if (key && !this.varKeys.has(src)) this.varKeys.set(src, key);
        });
      }
      // Fallback: SavedVariable names against VarHandleOp shared names.
      const byName = new Map<string, string>();
      (og.nodes ?? []).forEach((node, id) => {
        const k = ckptKey(id);
        if (node.variable && k) byName.set((node.variable.name ?? "").replace(/:\d+$/, ""), k);
      });
      for (const n of this.meta.graph_def?.node ?? []) {
        if (n.op !== "VarHandleOp" || this.varKeys.has(n.name ?? "")) continue;
        const shared = n.attr?.["shared_name"]?.s;
        const name = shared ? new TextDecoder().decode(shared) : (n.name ?? "");
        const k = byName.get(name) ?? byName.get(n.name ?? "");
        if (k) this.varKeys.set(n.name ?? "", k);
      }
    }
    // TF1: the saver's restore op assigns RestoreV2 output i (tensor_names[i]) to a variable.
    const nodes = new Map((this.meta.graph_def?.node ?? []).map((n) => [n.name ?? "", n]));
    for (const n of nodes.values()) {
      if (n.op !== "Assign" && n.op !== "AssignVariableOp") continue;
      const [target, first] = (n.input ?? []).map((s) => parseTensorName(s));
      let value = first;
      let src = value ? nodes.get(value.node) : undefined;
      for (let hop = 0; src && src.op === "Identity" && hop < 8; hop++) {
        value = parseTensorName(src.input?.[0] ?? "");
        src = nodes.get(value.node);
      }
      if (!target || !src || (src.op !== "RestoreV2" && src.op !== "RestoreSlice")) continue;
      const namesNode = nodes.get(parseTensorName(src.input?.[1] ?? "").node);
      const names = namesNode?.attr?.["value"]?.tensor?.string_val;
      const key = names?.[value!.index];
      if (key && !this.varKeys.has(target.node)) this.varKeys.set(target.node, new TextDecoder().decode(key));
    }
  }

  variableKey(node: PlanNode): string {
    const target = node;
    if (REF_UPDATE_OPS.has(node.op)) {
      // Ref-consuming TF1 ops update the variable their first input is (possibly through Identity).
      let ref = node.inputs[0];
      for (let guard = 0; ref && guard < 64; guard++) {
        const src = this.graph.nodes.get(ref.node);
        if (!src) break;
        if (VARIABLE_OPS.has(src.op)) return this.keyOfVariableNode(src.name, src.attrs);
        if (src.op !== "Identity" && src.op !== "RefIdentity") break;
        ref = this.graph.resolve(src.inputs[0] ?? "");
      }
      throw new StudioError("ENGINE", `${node.name} (${node.op}): cannot find the variable it updates`);
    }
    return this.keyOfVariableNode(target.name, target.attrs);
  }

  private keyOfVariableNode(name: string, attrs: Record<string, tensorflow.AttrValue.$Properties>): string {
    const bound = this.varKeys.get(name);
    if (bound) return bound;
    if (this.bundle?.has(name)) return name;
    const sn = aStr({ attrs }, "shared_name");
    if (sn && this.bundle?.has(sn)) return sn;
    return sn || name;
  }

  /** Reads the checkpoint values of the variables a plan uses (once per model). */
  private async loadVariables(nodes: readonly PlanNode[]): Promise<void> {
    const bundle = this.bundle;
    if (!bundle) return;
    // Mutable hash tables saved with the checkpoint (TF1 saveables `<table>-keys` / `-values`) load too.
    const tableKeys = nodes.filter((n) => n.op.startsWith("MutableHashTable")).flatMap((n) => [`${n.name}-keys`, `${n.name}-values`]);
    const keys = [...new Set([...nodes.filter((n) => VARIABLE_OPS.has(n.op)).map((n) => this.variableKey(n)), ...tableKeys])].filter(
      (k) => !this.variables.has(k) && bundle.has(k),
    );
    // Reads overlap (a few at a time): shards are read by byte range, one entry each.
    for (let i = 0; i < keys.length; i += 16) {
      const chunk = keys.slice(i, i + 16);
      const hosts = await Promise.all(chunk.map((k) => bundle.readTensor(k)));
      chunk.forEach((k, j) => {
        if (!this.variables.has(k)) this.variables.set(k, tf.keep(toTfTensor(hosts[j]!, `variable '${k}'`)));
      });
    }
  }

  // ---------- init op ----------

  private async runInitOp(): Promise<void> {
    const summary = this.reader.metaGraphs()[this.metaIndex];
    if (!summary) return;
    // The init op (main_op / legacy_init_op / TF2 __saved_model_init_op), plus the TF1
    // table_initializer collection (tf.Transform graphs carry no init op and rely on it).
    const targets = [
      ...(summary.initOp ? [parseTensorName(summary.initOp).node] : []),
      ...(this.meta.collection_def?.["table_initializer"]?.node_list?.value ?? []).map((v) => parseTensorName(v).node),
    ].filter((t) => this.graph.hasNode(t));
    if (targets.length === 0) return;
    const closure = this.graph.prune(targets.map((t) => "^" + t));
    const inits: string[] = [];
    const visit = (g: PlanGraph) => {
      for (const n of g.nodes) {
        if (TABLE_INIT_OPS.has(n.op)) inits.push(n.name);
      }
    };
    visit(closure);
    if (inits.length === 0) return;
    // Asset files (vocabularies) are read once, only for models whose init op needs them.
    for (const f of await this.reader.assetFiles()) {
      const bytes = await this.reader.source.read(joinPath(this.reader.dir, "assets", f));
      this.assets.set(f, bytes);
      this.assets.set(f.split("/").pop() ?? f, bytes);
    }
    const feeds = new Map<string, Value>();
    for (const a of summary.assetFiles) {
      if (!a.tensorName) continue;
      feeds.set(refKey(this.graph.resolve(a.tensorName)), tf.tensor([new TextEncoder().encode(a.filename)], [], "string"));
    }
    const plan = this.graph.prune(
      inits.map((n) => "^" + n),
      new Set(feeds.keys()),
    );
    this.checkOps(plan, "the init op");
    await this.loadVariables(plan.nodes);
    try {
      await this.execute({ plan, feeds, wanted: [], signal: undefined, consume: () => undefined });
    } finally {
      for (const v of feeds.values()) if (isTensor(v)) v.dispose();
    }
  }

  // ---------- preparing ----------

  private allNodes(g: PlanGraph, out: PlanNode[] = [], seen = new Set<string>()): PlanNode[] {
    for (const n of g.nodes) {
      out.push(n);
      for (const k of CONTROL_FLOW_OPS.get(n.op) ?? []) {
        const v = n.attrs[k];
        const names = k === "branches" ? (v?.list?.func ?? []).map((f) => f.name ?? "") : [funcAttrName(v) ?? ""];
        for (const f of names) {
          if (seen.has(f)) continue;
          seen.add(f);
          this.allNodes(this.graph.functionPlan(f).graph, out, seen);
        }
      }
    }
    return out;
  }

  /** Refuses unsafe and unsupported ops before anything runs. */
  private checkOps(g: PlanGraph, what: string): string[] {
    const ops = collectOps(this.graph, g, new Set<string>());
    refuseUnsafeOps(ops, what, this.opts.allowUnsafeOps);
    const missing = [...ops].filter((o) => !SOURCE_OPS.has(o) && !KERNELS.has(o)).sort();
    if (missing.length > 0) {
      const custom = missing.filter((o) => !isCoreOp(o));
      const hint =
        custom.length > 0
          ? `${custom.join(", ")} ${custom.length === 1 ? "is a custom op" : "are custom ops"} (not core TensorFlow): load the model where its op library is available (e.g. the native engine with the library)`
          : "try the native engine (--engine native, needs @tensorflow/tfjs-node)";
      throw new StudioError("UNSUPPORTED_OP", `${what} uses ops the embedded engine does not support: ${missing.join(", ")}; ${hint}`);
    }
    return [...ops].sort();
  }

  async prepare(signatureKey: string): Promise<PreparedSignature> {
    this.assertAlive();
    const sig = this.meta.signature_def?.[signatureKey];
    if (!sig || signatureKey === "__saved_model_init_op") {
      throw new StudioError(
        "SIGNATURE_NOT_FOUND",
        `signature '${signatureKey}' not found in the MetaGraphDef with tags '${this.tags.join(",")}'; available: ${this.signatureKeys.join(", ") || "(none)"}`,
      );
    }
    const inputs: IOBinding[] = [];
    const checked = signatureFeedSpecs(this.meta, signatureKey);
    for (const [key, ti] of Object.entries(sig.inputs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const dtype = checked.specs.get(key)?.dtype ?? baseType(ti.dtype ?? 0);
      const shape = checked.specs.get(key)?.shape ?? (ti.tensor_shape ? shapeFromProto(ti.tensor_shape) : null);
      if (ti.name) {
        inputs.push({ key, name: ti.name, dtype, shape, ref: this.graph.resolve(ti.name), hasDefault: !!sig.defaults?.[key] });
      } else if (ti.coo_sparse) {
        const c = ti.coo_sparse;
        const parts: [string, string | null | undefined, number][] = [
          ["indices", c.indices_tensor_name, DataType.DT_INT64],
          ["values", c.values_tensor_name, dtype],
          ["dense_shape", c.dense_shape_tensor_name, DataType.DT_INT64],
        ];
        for (const [suffix, name, dt] of parts) {
          if (name) inputs.push({ key: `${key}/${suffix}`, name, dtype: dt, shape: null, ref: this.graph.resolve(name) });
        }
      } else {
        throw new StudioError(
          "UNSUPPORTED_OP",
          `signature '${signatureKey}' input '${key}' is a composite tensor, which the embedded engine cannot feed`,
        );
      }
    }
    const outputs: IOBinding[] = [];
    for (const [key, ti] of Object.entries(sig.outputs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!ti.name) throw new StudioError("UNSUPPORTED_OP", `signature '${signatureKey}' output '${key}' is not a dense tensor`);
      outputs.push({
        key,
        name: ti.name,
        dtype: baseType(ti.dtype ?? 0),
        shape: ti.tensor_shape ? shapeFromProto(ti.tensor_shape) : null,
        ref: this.graph.resolve(ti.name),
      });
    }
    const defaults = new Map<string, HostTensor>();
    for (const [k, v] of Object.entries(sig.defaults ?? {}))
      defaults.set(k, decodeTensorProto(v, `signature '${signatureKey}' default for '${k}'`));
    return this.prepared(signatureKey, inputs, outputs, defaults, checked.warnings);
  }

  async prepareTensors(feeds: readonly string[], fetches: readonly string[]): Promise<PreparedSignature> {
    this.assertAlive();
    const placeholderType = (ref: TensorRef) => {
      const n = this.graph.nodes.get(ref.node);
      return n ? baseType(outputDtype(n.op, n.attrs, ref.index)) : 0;
    };
    const bind = (name: string): IOBinding => {
      const ref = this.graph.resolve(name);
      const n = this.graph.nodes.get(ref.node);
      const shape = n?.attrs["shape"]?.shape;
      return { key: name, name, dtype: placeholderType(ref), shape: shape && ref.index === 0 ? shapeFromProto(shape) : null, ref };
    };
    if (fetches.length === 0) throw new StudioError("USAGE", "no tensors to fetch");
    return this.prepared("(tensors)", feeds.map(bind), fetches.map(bind), new Map());
  }

  private async prepared(
    key: string,
    inputs: IOBinding[],
    outputs: IOBinding[],
    defaults: Map<string, HostTensor>,
    warnings: string[] = [],
  ): Promise<PreparedSignature> {
    const plans = new Map<string, { graph: PlanGraph; ops: string[] }>();
    const planFor = async (fed: readonly IOBinding[], outs: readonly IOBinding[]) => {
      const id = fed.map((f) => f.key).join("\u0000") + "\u0001" + outs.map((o) => o.key).join("\u0000");
      let p = plans.get(id);
      if (!p) {
        const graph = this.graph.prune(
          outs.map((o) => `${o.ref.node}:${o.ref.index}`),
          new Set(fed.map((f) => refKey(f.ref))),
        );
        const ops = this.checkOps(graph, `signature '${key}'`);
        await this.loadVariables(this.allNodes(graph));
        this.checkWeightsPresent(key, this.allNodes(graph), ops);
        const fusedGraph = this.fuse(
          graph,
          outs.map((o) => o.ref),
          ops,
        );
        p = { graph: fusedGraph, ops };
        plans.set(id, p);
      }
      return p;
    };
    const fedInputs = inputs.filter((i) => {
      const n = this.graph.nodes.get(i.ref.node);
      return !(n?.op === "PlaceholderWithDefault" && !defaults.has(i.key));
    });
    const main = await planFor(
      inputs.filter((i) => fedInputs.includes(i)),
      outputs,
    );
    const specs = (xs: IOBinding[]): TensorSpec[] =>
      xs.map((x) => ({ key: x.key, name: x.name, dtype: x.dtype, shape: x.shape, ...(x.hasDefault ? { hasDefault: true } : {}) }));
    return {
      key,
      inputs: specs(inputs),
      outputs: specs(outputs),
      ops: main.ops,
      warnings,
      run: async (feeds: Readonly<Record<string, HostTensor>>, opts: RunOptions = {}): Promise<RunResult> => {
        this.assertAlive();
        const t0 = performance.now();
        const runWarnings = validateFeeds(key, specs(inputs), feeds);
        const given = inputs.filter((i) => feeds[i.key] !== undefined || defaults.has(i.key));
        const outs = selectOutputs(outputs, opts.outputs);
        const plan = await planFor(given, outs);
        this.refuseUnfed(plan.graph, inputs, given);
        const direct = opts.onNode ? undefined : await this.runDirect(plan.graph, given, outs, feeds, defaults, opts.signal);
        const threads = this.threads();
        if (direct) return { ...direct, timings: { ...direct.timings, totalMs: performance.now() - t0 }, warnings: runWarnings, threads };
        const feedMap = feedValues(given, feeds, defaults);
        const e0 = performance.now();
        let execMs = 0;
        const { result, count } = await this.execute({
          plan: plan.graph,
          feeds: feedMap,
          wanted: outs.map((o) => o.ref),
          signal: opts.signal,
          consume: (values) => {
            execMs = performance.now() - e0;
            return hostOutputs(outs, values);
          },
          seed: opts.seed,
          observe: opts.onNode,
        }).finally(() => {
          for (const v of feedMap.values()) if (isTensor(v)) v.dispose();
        });
        return {
          outputs: result,
          timings: { totalMs: performance.now() - t0, execMs, opsExecuted: count },
          warnings: runWarnings,
          threads,
        };
      },
    };
  }

  /** A placeholder the plan needs that no fed input or default covers: a typed error naming the signature key. */
  private refuseUnfed(graph: PlanGraph, inputs: readonly IOBinding[], given: readonly IOBinding[]): void {
    for (const n of graph.nodes) {
      if (n.op !== "Placeholder") continue;
      // TF1 signatures often name a tensor computed from the placeholder (an Identity of it): the
      // user feeds by signature key, so name the unfed key whose tensor comes from it.
      const inp = inputs.find((i) => !given.includes(i) && this.dependsOn(i.ref.node, n.name));
      throw new StudioError(
        "INVALID_INPUT",
        inp ? `input '${inp.key}' (${inp.name}) was not fed and has no default` : `placeholder '${n.name}' is needed but not fed`,
      );
    }
  }

  /** One fast-path segment from the fed input to the output: host data in, host data out (or undefined). */
  private async runDirect(
    graph: PlanGraph,
    given: readonly IOBinding[],
    outs: readonly IOBinding[],
    feeds: Readonly<Record<string, HostTensor>>,
    defaults: ReadonlyMap<string, HostTensor>,
    signal: AbortSignal | undefined,
  ): Promise<Omit<RunResult, "warnings"> | undefined> {
    const direct = directSegment(graph, given, outs);
    if (!direct) return undefined;
    const h = feeds[direct.input.key] ?? defaults.get(direct.input.key)!;
    const o = direct.output;
    if (!(h.data instanceof Float32Array) || (o.dtype !== DataType.DT_FLOAT && o.dtype !== DataType.DT_INVALID)) return undefined;
    const e0 = performance.now();
    const out = await this.serialized(() => {
      if (signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
      return direct.node.segment.runHost(h.data as Float32Array, h.shape);
    });
    if (!out) return undefined;
    const execMs = performance.now() - e0;
    return {
      outputs: { [o.key]: { dtype: DataType.DT_FLOAT, shape: out.shape, data: out.data } },
      timings: { totalMs: execMs, execMs, opsExecuted: 1 },
    };
  }

  /**
   * A signature that reads variables of a SavedModel saved without its variables/ directory (a common
   * way models are shared: only saved_model.pb committed) is refused before running, saying so, unless
   * the plan assigns variables itself.
   */
  private checkWeightsPresent(key: string, nodes: readonly PlanNode[], ops: readonly string[]): void {
    if (this.bundle || ops.some((o) => /^Assign/.test(o))) return;
    const unread = [...new Set(nodes.filter((n) => VARIABLE_OPS.has(n.op)).map((n) => this.variableKey(n)))].filter(
      (k) => !this.variables.has(k),
    );
    if (unread.length === 0) return;
    const index = joinPath(this.reader.dir, "variables/variables.index");
    throw new StudioError(
      "NOT_FOUND",
      `signature '${key}' reads ${unread.length} variable(s) (e.g. '${unread[0]}'), but the SavedModel has no ${index}: its weights were not saved or copied with it`,
      index,
    );
  }

  /** Whether graph node `from` reads `target` within a few hops (bounded: for error messages only). */
  private dependsOn(from: string, target: string): boolean {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0 && seen.size < 64) {
      const name = queue.shift()!;
      if (name === target) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      for (const s of this.graph.nodes.get(name)?.inputs ?? []) if (!s.startsWith("^")) queue.push(this.graph.resolve(s).node);
    }
    return false;
  }

  // ---------- fusion ----------

  private readonly fusedWeights: tf.Tensor[] = [];

  /** Folds constant conv/matmul epilogues into fused kernels (see fuse.ts). */
  private fuse(graph: PlanGraph, wanted: readonly TensorRef[], ops: readonly string[]): PlanGraph {
    const stateful = ops.some((o) => /^(Assign|ResourceApply|ApplyGradient|ResourceScatter|ScatterUpdate)/.test(o));
    const constant = (r: TensorRef): tf.Tensor | undefined => {
      for (let guard = 0; guard < 16; guard++) {
        const n = this.graph.nodes.get(r.node);
        if (!n) return undefined;
        if (n.op === "Const") return this.constOf({ name: n.name, op: n.op, inputs: [], control: [], attrs: n.attrs, origin: n.origin });
        if (stateful) return undefined;
        if (n.op === "Identity" || n.op === "ReadVariableOp") {
          const src = n.inputs[0];
          if (!src || src.startsWith("^")) return undefined;
          r = this.graph.resolve(src);
          continue;
        }
        if (VARIABLE_OPS.has(n.op)) return this.variables.get(this.keyOfVariableNode(n.name, n.attrs));
        return undefined;
      }
      return undefined;
    };
    if (this.opts.fuse === false || hasFrames(graph)) return graph;
    const { graph: fused, weights } = fuseGraph(graph, wanted, constant);
    for (const w of weights.values()) {
      this.fusedWeights.push(w.filter);
      if (w.bias) this.fusedWeights.push(w.bias);
    }
    if (this.opts.fastPath === false) return fused;
    const rt = SimdRuntime.get(this.opts.threads);
    this.pool = rt ?? undefined;
    if (!rt) return fused;
    const { graph: segmented, segments } = segmentGraph(fused, wanted, this.constMemory.forFastPath(constant), rt);
    this.segments.push(...segments);
    const { graph: looped, loops } = loopGraph(
      segmented,
      wanted,
      constant,
      rt,
      (f) => this.graph.functionPlan(f),
      (n) => this.constOf(n),
    );
    this.loops.push(...loops);
    return looped;
  }

  /** Fast-path segments of every prepared plan (released with the model). */
  readonly segments: Segment[] = [];
  /** Fast-path While loops of every prepared plan (released with the model). */
  readonly loops: RecurrentLoop[] = [];
  /** The fast path's thread pool, once a plan was compiled with it. */
  private pool: SimdRuntime | undefined;

  /** Threads of this model's kernels: the fast path's pool when segments or loops use it, tfjs-backend-wasm's pool. */
  private threads(): RunThreads {
    const fast = this.segments.length > 0 || this.loops.length > 0;
    return { fastPath: this.pool && fast ? this.pool.threads : 0, tfjs: tfjsThreads(this.backend) };
  }

  // ---------- execution ----------

  private persistentSet(): Set<tf.Tensor> {
    return new Set([...this.variables.values(), ...this.consts.values()]);
  }

  private constMemoryOf?: ConstantMemory;
  /** The constants' memory and the fast path's copies (constMemory.ts). */
  private get constMemory(): ConstantMemory {
    return (this.constMemoryOf ??= new ConstantMemory(runLimits(this.opts.limits).maxRunBytes));
  }

  private constOf(n: PlanNode, budget?: RunBudget): tf.Tensor {
    let c = this.consts.get(n.name);
    if (!c) {
      // A splat (one value, a huge shape) is checked before it is expanded; in a run, the run's budget
      // counts it with everything else the run holds.
      const bytes = tensorProtoBytes(aTensor(n, "value"));
      if (!budget) this.constMemory.checkDecode(n.name, bytes);
      budget?.reserve(2 * bytes, `${n.name} (Const)`);
      c = tf.keep(splatTensor(aTensor(n, "value"), `${n.name} (Const)`) ?? constTensor(n));
      this.consts.set(n.name, c);
      this.constMemory.decoded(bytes);
    }
    return c;
  }

  /** Runs serialize per model: one tfjs scope per run, and stateful signatures see a consistent order. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Runs `plan` with `feeds` (refKey -> value) and hands the values of `wanted` to `consume` before
   * everything the run created is released (one tfjs scope per run). Yields to the event loop every
   * ~25 ms so an AbortSignal can cancel between op executions.
   */
  /** Runs `fn` in this model's run queue (after the runs before it). */
  private serialized<T>(fn: () => T | Promise<T>): Promise<T> {
    const job = this.queue.then(fn);
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Runs one execution after the ones already queued on this model (one at a time). */
  private execute<T>(req: Execution<T>): Promise<{ result: T; count: number }> {
    return this.serialized(() => this.executeNow(req));
  }

  private async executeNow<T>({
    plan,
    feeds,
    wanted,
    signal,
    consume,
    seed,
    observe,
  }: Execution<T>): Promise<{ result: T; count: number }> {
    const retired: tf.Tensor[] = [];
    let count = 0;
    const budget = new RunBudget(runLimits(this.opts.limits), signal, this.constMemory.held());
    const ctx: KernelContext = {
      variables: this.variables,
      tables: this.tables,
      assets: this.assets,
      variableKey: (node) => this.variableKey(node),
      retire: (t) => retired.push(t),
      ...(seed !== undefined ? { seed } : {}),
      loopIteration: (name) => budget.functionCall(name),
      callFunction: observedCall((name, args) => {
        budget.functionCall(name);
        const fn = this.graph.functionPlan(name);
        if (args.length !== fn.args.length)
          throw new StudioError("ENGINE", `function ${name} takes ${fn.args.length} arguments, got ${args.length}`);
        const local = new Map<string, Value[]>();
        fn.args.forEach((a, i) => local.set(a, [args[i]!]));
        for (const n of fn.graph.nodes) {
          if (n.op === "_Arg") continue;
          local.set(n.name, runNode(n, local, NO_FEEDS));
        }
        return fn.rets.map((r) => lookup(r, local, NO_FEEDS, name));
      }, observe),
    };
    const lookup = (r: TensorRef, vals: Map<string, Value[]>, fed: ReadonlyMap<string, Value>, where: string): Value => {
      if (fed.size > 0) {
        const f = fed.get(refKey(r));
        if (f !== undefined) {
          if (!isTensor(f) && f.kind === "poison") throw new NarrowingError(`${f.error.message} (used by ${where})`);
          return f;
        }
      }
      const produced = vals.get(r.node);
      if (produced === ALL_DEAD) return DEAD;
      const v = produced?.[r.index];
      if (v === undefined) throw new StudioError("ENGINE", `${where}: tensor ${r.node}:${r.index} has no value`);
      if (!isTensor(v) && v.kind === "poison") throw new NarrowingError(`${v.error.message} (used by ${where})`);
      return v;
    };
    const evalNode = (n: PlanNode, vals: Map<string, Value[]>, fed: ReadonlyMap<string, Value>): Value[] => {
      if (n.op === "Const" || n.op === "Placeholder") return evalWith(n, []);
      const inputs = n.inputs.map((r) => lookup(r, vals, fed, n.name));
      // TF1 tf.cond: an op on the branch not taken (a dead input or control input) does not run.
      if (!MERGE_OPS.has(n.op) && (inputs.some(isDead) || n.control.some((c) => vals.get(c) === ALL_DEAD))) {
        count++;
        return ALL_DEAD;
      }
      return evalWith(n, inputs);
    };
    /** Runs one node on its input values (the TF1 loop executor, frames.ts, calls this directly). */
    const evalWith = (n: PlanNode, inputs: Value[]): Value[] => {
      count++;
      if (n.op === "Const") return [this.constOf(n, budget)];
      if (n.op === "Placeholder") throw new StudioError("INVALID_INPUT", `placeholder '${n.name}' is needed but not fed`);
      const kernel = KERNELS.get(n.op);
      if (!kernel) throw new StudioError("UNSUPPORTED_OP", `op ${n.op} (${n.name}) is not supported by the embedded engine`);
      checkNode(n, inputs);
      budget.beforeNode(n, inputs);
      try {
        return kernel(ctx, n, inputs);
      } catch (e) {
        throw kernelFailure(n, e);
      }
    };
    const observed = observedStep<readonly [Map<string, Value[]>, ReadonlyMap<string, Value>]>(
      (n, [vals, fed]) => evalNode(n, vals, fed),
      (n, i, [vals, fed]) => lookup(n.inputs[i]!, vals, fed, n.name),
      observe,
    );
    // Without an observer the interpreter calls evalNode directly (no per-node allocation).
    const runNode = observe
      ? (n: PlanNode, vals: Map<string, Value[]>, fed: ReadonlyMap<string, Value>) => observed(n, [vals, fed])
      : evalNode;
    const vals = new Map<string, Value[]>();
    let lastYield = performance.now();
    const engine = tf.engine();
    engine.startScope("savedmodel-run");
    try {
      if (hasFrames(plan)) {
        // TF1 while loops: dataflow execution with frames (frames.ts).
        const step = observedStep<Value[]>(evalWith, (_n, i, inputs) => inputs[i]!, observe);
        const values = await runFrames(plan, feeds, wanted, { step, budget, signal });
        return { result: consume(values), count };
      }
      for (const n of plan.nodes) {
        if (signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
        budget.startTopLevel();
        vals.set(n.name, runNode(n, vals, feeds));
        if (performance.now() - lastYield > 25) {
          await new Promise<void>((r) => setTimeout(r, 0));
          lastYield = performance.now();
        }
      }
      if (signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
      const result = consume(wanted.map((r) => lookup(r, vals, feeds, "output")));
      return { result, count };
    } finally {
      // Everything the run created goes, except what variables and constants now own (kept tensors).
      engine.endScope();
      const live = this.persistentSet();
      for (const t of retired) if (!live.has(t)) t.dispose();
    }
  }

  private assertAlive(): void {
    if (this.disposed) throw new StudioError("ENGINE", "the model was disposed");
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.variables.values()) t.dispose();
    for (const t of this.consts.values()) t.dispose();
    for (const t of this.fusedWeights) t.dispose();
    for (const seg of this.segments) seg.dispose();
    for (const loop of this.loops) loop.dispose();
    this.variables.clear();
    this.consts.clear();
    this.tables.clear();
  }
}
