/**
 * The optional native engine: @tensorflow/tfjs-node (libtensorflow) through tf.node.loadSavedModel.
 * The package is an optionalDependency whose installer downloads libtensorflow; it is loaded lazily
 * and its absence is a typed error. Not exercised in CI (the package cannot be installed there).
 * It needs `dir` to be a local file system path (libtensorflow reads the files itself).
 */
import { StudioError } from "../../core/errors.js";
import { DataType, baseType } from "../../core/dtype.js";
import { joinPath } from "../../core/io.js";
import { runLimits } from "../budget.js";
import { GraphIndex, parseTensorName } from "../plan.js";
import { collectOps, refuseUnsafeOps } from "../safety.js";
import type { SavedModelReader } from "../../core/savedmodel/reader.js";
import type { HostTensor } from "../../core/tensor.js";
import type { LoadOptions, LoadedModel, PreparedSignature, RunOptions, RunResult, TensorSpec } from "../types.js";
import { validateFeeds } from "../validate.js";

interface NativeTensor {
  dtype: string;
  shape: number[];
  dataSync(): ArrayLike<number> | Uint8Array[];
  dispose(): void;
}
interface NativeModel {
  predict(inputs: Record<string, NativeTensor>): NativeTensor | NativeTensor[] | Record<string, NativeTensor>;
  dispose(): void;
}
export interface TfNode {
  tensor(values: unknown, shape: number[], dtype: string): NativeTensor;
  node: { loadSavedModel(path: string, tags: string[], signature: string): Promise<NativeModel> };
}

export const NATIVE_PACKAGE = "@tensorflow/tfjs-node";

async function loadTfNode(): Promise<TfNode> {
  const name = NATIVE_PACKAGE;
  try {
    return (await import(/* @vite-ignore */ name)) as TfNode;
  } catch (e) {
    throw new StudioError(
      "ENGINE",
      `the native engine needs ${NATIVE_PACKAGE}, which is not installed (npm install ${NATIVE_PACKAGE}; its installer downloads libtensorflow). Use --engine embedded instead.`,
      undefined,
      { cause: e },
    );
  }
}

function toNative(tf: TfNode, h: HostTensor): NativeTensor {
  const dt = baseType(h.dtype);
  const shape = [...h.shape];
  if (Array.isArray(h.data)) return tf.tensor(h.data, shape, "string");
  if (dt === DataType.DT_INT64)
    return tf.tensor(
      Int32Array.from(h.data as BigInt64Array, (v) => Number(v)),
      shape,
      "int32",
    );
  if (dt === DataType.DT_BOOL) return tf.tensor(h.data, shape, "bool");
  if (dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE) return tf.tensor(Float32Array.from(h.data as Float32Array), shape, "float32");
  return tf.tensor(Int32Array.from(h.data as Int32Array), shape, "int32");
}

function fromNative(t: NativeTensor, declared: number): HostTensor {
  const raw = t.dataSync();
  if (t.dtype === "string") return { dtype: DataType.DT_STRING, shape: [...t.shape], data: raw as Uint8Array[] };
  const dt = baseType(declared);
  const nums = raw as ArrayLike<number>;
  if (dt === DataType.DT_INT64) return { dtype: dt, shape: [...t.shape], data: BigInt64Array.from(Array.from(nums), (v) => BigInt(v)) };
  if (dt === DataType.DT_UINT8) return { dtype: dt, shape: [...t.shape], data: Uint8Array.from(nums) };
  if (dt === DataType.DT_DOUBLE) return { dtype: dt, shape: [...t.shape], data: Float64Array.from(nums) };
  if (t.dtype === "float32") return { dtype: DataType.DT_FLOAT, shape: [...t.shape], data: Float32Array.from(nums) };
  if (t.dtype === "bool") return { dtype: DataType.DT_BOOL, shape: [...t.shape], data: Uint8Array.from(nums) };
  return { dtype: DataType.DT_INT32, shape: [...t.shape], data: Int32Array.from(nums) };
}

/**
 * What the native engine checks before libtensorflow sees the directory (it reads the files and runs
 * the graph itself): every file of the model resolves inside it, the inlined graph is within the
 * plan budget, and the init op has no op with effects outside the model. Returns the graph index,
 * for the per-signature check.
 */
async function checkNativeModel(reader: SavedModelReader, metaIndex: number, opts: LoadOptions): Promise<GraphIndex> {
  // A confined source lists links that leave the directory as files and refuses to stat them.
  for (const f of await reader.allFiles()) await reader.source.stat(joinPath(reader.dir, f));
  const meta = reader.metaGraphDef(metaIndex);
  const graph = new GraphIndex(meta.graph_def ?? {}, meta.meta_info_def?.stripped_op_list?.op ?? [], {
    maxNodes: runLimits(opts.limits).maxPlanNodes,
  });
  const summary = reader.metaGraphs()[metaIndex];
  const init = [
    ...(summary?.initOp ? [parseTensorName(summary.initOp).node] : []),
    ...(meta.collection_def?.["table_initializer"]?.node_list?.value ?? []).map((v) => parseTensorName(v).node),
  ].filter((t) => graph.hasNode(t));
  if (init.length > 0)
    refuseUnsafeOps(collectOps(graph, graph.prune(init.map((t) => "^" + t)), new Set()), "the init op", opts.allowUnsafeOps);
  return graph;
}

/** The unsafe-op check of one signature's closure. */
function checkNativeSignature(graph: GraphIndex, outputs: readonly (string | null)[], key: string, opts: LoadOptions): void {
  const wanted = outputs.filter((n): n is string => !!n);
  refuseUnsafeOps(collectOps(graph, graph.prune(wanted), new Set()), `signature '${key}'`, opts.allowUnsafeOps);
}

/**
 * Loads `reader`'s meta graph on tfjs-node. The checks run first, so a hostile model is refused the
 * same way whether or not the package is installed; `loadTf` is the seam tests replace.
 */
export async function loadNative(
  reader: SavedModelReader,
  metaIndex: number,
  opts: LoadOptions,
  loadTf: () => Promise<TfNode> = loadTfNode,
): Promise<LoadedModel> {
  const t0 = performance.now();
  const graph = await checkNativeModel(reader, metaIndex, opts);
  const tf = await loadTf();
  const summary = reader.metaGraphs()[metaIndex]!;
  const tags = [...summary.tags];
  const open: NativeModel[] = [];
  const keys = summary.signatures.map((s) => s.key).filter((k) => k !== "__saved_model_init_op");
  return {
    engine: "native",
    backend: "tensorflow",
    tags,
    signatureKeys: keys,
    loadMs: performance.now() - t0,
    async prepare(signatureKey: string): Promise<PreparedSignature> {
      const sig = summary.signatures.find((s) => s.key === signatureKey);
      if (!sig) throw new StudioError("SIGNATURE_NOT_FOUND", `signature '${signatureKey}' not found; available: ${keys.join(", ")}`);
      checkNativeSignature(
        graph,
        sig.outputs.map((o) => o.name),
        signatureKey,
        opts,
      );
      const model = await tf.node.loadSavedModel(reader.dir, tags, signatureKey);
      open.push(model);
      const spec = (x: (typeof sig.inputs)[number]): TensorSpec => ({ key: x.key, name: x.name ?? "", dtype: x.dtype, shape: x.shape });
      const inputs = sig.inputs.map(spec);
      const outputs = sig.outputs.map(spec);
      return {
        key: signatureKey,
        inputs,
        outputs,
        ops: [],
        warnings: [],
        async run(feeds: Readonly<Record<string, HostTensor>>, ro: RunOptions = {}): Promise<RunResult> {
          const s = performance.now();
          const warnings = validateFeeds(signatureKey, inputs, feeds);
          if (ro.signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
          const ins: Record<string, NativeTensor> = {};
          for (const [k, v] of Object.entries(feeds)) ins[k] = toNative(tf, v);
          const e0 = performance.now();
          const res = model.predict(ins);
          const execMs = performance.now() - e0;
          const out: Record<string, HostTensor> = {};
          const byKey: Record<string, NativeTensor> = Array.isArray(res)
            ? Object.fromEntries(outputs.map((o, i) => [o.key, res[i]!]))
            : "dtype" in res
              ? { [outputs[0]!.key]: res as NativeTensor }
              : (res as Record<string, NativeTensor>);
          for (const o of outputs) {
            const t = byKey[o.key];
            if (t) out[o.key] = fromNative(t, o.dtype);
          }
          for (const t of [...Object.values(ins), ...Object.values(byKey)]) t.dispose();
          return { outputs: out, timings: { totalMs: performance.now() - s, execMs, opsExecuted: 0 }, warnings };
        },
      };
    },
    prepareTensors(): Promise<PreparedSignature> {
      return Promise.reject(
        new StudioError("USAGE", "the native engine runs signatures only; use --engine embedded for --feeds/--fetches"),
      );
    },
    dispose(): void {
      for (const m of open) m.dispose();
    },
  };
}
