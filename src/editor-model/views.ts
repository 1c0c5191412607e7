/**
 * View models of the SavedModel editor, built from a SavedModelReader. PURE (no vscode, no DOM, no fs):
 * bytes only come through the reader's ModelSource. Each builder decodes only what its view needs.
 */
import { dtypeName } from "../core/dtype.js";
import { joinPath } from "../core/io.js";
import { isCoreOp } from "../core/ops/index.js";
import type { SavedModelReader } from "../core/savedmodel/reader.js";
import { pyRepr } from "../core/savedmodel/convert.js";
import { showAll } from "../core/savedmodel/show.js";
import type { Shape, SignatureSummary, TensorInfoSummary, VariableSummary } from "../core/savedmodel/types.js";
import type { TensorBundle } from "../core/bundle/bundle.js";
import { DEFAULT_PREVIEW, shapeText, tensorDisplay } from "../core/display.js";
import { histogram } from "../core/tensor-format.js";
import { checkHostValue } from "./valueBudget.js";
import { StudioError } from "../core/errors.js";
import type {
  AssetsView,
  FileRow,
  FunctionsView,
  GetVariablesParams,
  KerasLayerView,
  KerasView,
  MetaGraphView,
  OpsView,
  OverviewView,
  SignatureView,
  TensorRow,
  VariableRow,
  VariablesPage,
  VariableValuesView,
} from "../protocol/editor.js";
import kerasBuiltins from "../core/savedmodel/keras-builtins.json";

/** saved_model_cli's default op deny list (`saved_model_cli scan`). */
export const DEFAULT_DENYLIST: readonly string[] = ["ReadFile", "WriteFile", "PrintV2"];

export { MAX_VALUE_BYTES } from "./valueBudget.js";

/** Count and bytes of the variables as the tree and the Variables tab count them (no object graph, no slices). */
function variablesTotal(bundle: TensorBundle): { count: number; bytes: number; shards: number } {
  const vars = bundle.variableEntries();
  return { count: vars.length, bytes: vars.reduce((a, e) => a + e.size, 0), shards: bundle.numShards };
}

/** A signature tensor's shape; "unknown (not recorded)" when the TensorInfo has none. */
function signatureShape(shape: Shape, absent: boolean): string {
  return absent ? "unknown (not recorded)" : shapeText(shape);
}

function tensorRow(t: TensorInfoSummary, defaults: readonly string[]): TensorRow {
  return {
    key: t.key,
    dtype: t.dtypeName,
    shape: signatureShape(t.shape, t.shapeAbsent),
    name: t.name ?? (t.cooSparse ? `coo_sparse(${t.cooSparse.values})` : t.composite ? `composite(${t.composite.typeSpecClass})` : ""),
    hasDefault: defaults.includes(t.key),
  };
}

export function signatureView(metaGraph: number, tags: readonly string[], s: SignatureSummary): SignatureView {
  return {
    metaGraph,
    tags: [...tags],
    key: s.key,
    method: s.methodName,
    inputs: s.inputs.map((t) => tensorRow(t, s.defaults)),
    outputs: s.outputs.map((t) => tensorRow(t, s.defaults)),
    defaults: [...s.defaults],
    runnable: !s.key.startsWith("__saved_model_init_op"),
  };
}

/** Every signature of every meta graph, in tag-set then key order. */
export function buildSignatures(r: SavedModelReader): SignatureView[] {
  return r.metaGraphs().flatMap((mg) => mg.signatures.map((s) => signatureView(mg.index, mg.tags, s)));
}

async function fileRows(r: SavedModelReader, dir: string, names: readonly string[]): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  for (const name of names) {
    const st = await r.source.stat(joinPath(dir, name)).catch(() => undefined);
    rows.push({ path: name, bytes: st?.size ?? 0 });
  }
  return rows;
}

export async function buildOverview(r: SavedModelReader, title: string): Promise<OverviewView> {
  const metaGraphs: MetaGraphView[] = r.metaGraphs().map((mg) => {
    let ops: ReturnType<SavedModelReader["ops"]> | undefined;
    let hasObjectGraph: boolean | null = null;
    if (r.bodyLoaded) {
      ops = r.ops(mg.index);
      hasObjectGraph = r.objectGraph(mg.index) !== null;
    }
    return {
      index: mg.index,
      tags: [...mg.tags],
      tfVersion: mg.tfVersion,
      tfGitVersion: mg.tfGitVersion,
      signatureCount: mg.signatures.length,
      opCount: ops ? ops.counts.size : null,
      graphNodes: ops ? ops.graphNodes : null,
      functionCount: ops ? ops.functionCount : null,
      hasObjectGraph,
      initOp: mg.initOp,
    };
  });
  const files = await fileRows(r, r.dir, await r.allFiles());
  const bundle = await r.variables();
  const fp = await r.fingerprint();
  const keras = await r.keras().catch(() => null);
  return {
    title,
    dir: r.dir,
    modelFile: r.modelFile,
    format: r.format,
    schemaVersion: r.schemaVersion,
    metaGraphs,
    files,
    totalBytes: files.reduce((a, f) => a + f.bytes, 0),
    variables: bundle ? variablesTotal(bundle) : null,
    fingerprint: fp ? { ...fp } : null,
    kerasClasses: keras ? [...keras.classNames] : [],
    showAll: r.bodyLoaded ? showAll(r) : "",
  };
}

export function buildFunctions(r: SavedModelReader, metaGraph: number): FunctionsView {
  const attached = r.functions(metaGraph).map((f) => ({
    name: f.name,
    kind: f.kind,
    concrete: f.concreteFunctions.map((c) => ({
      name: c.name,
      inputSignature: c.inputSignature ? pyRepr(c.inputSignature) : "",
      outputSignature: c.outputSignature ? pyRepr(c.outputSignature) : "",
    })),
  }));
  const library = r
    .functionIndex(metaGraph)
    .map((f) => ({ name: f.name, nodeCount: f.nodeCount, callers: [...f.callers], callees: [...f.callees] }));
  return { attached, library };
}

// ------------------------------------------------------------------------------------------------
// variables

/** A row of the Variables tab; `display` is the variable's path in the tree's grouping (its key when not given). */
export function variableRow(v: VariableSummary, display = v.checkpointKey): VariableRow {
  return {
    key: v.checkpointKey,
    display,
    name: v.name,
    path: v.path ?? "",
    dtype: dtypeName(v.dtype),
    shape: shapeText(v.shape),
    elements: v.shape.reduce((a, d) => a * d, 1),
    bytes: v.sizeBytes,
    shard: v.shardId,
    trainable: v.trainable ?? null,
  };
}

function compareRows(col: GetVariablesParams["sort"]): (a: VariableRow, b: VariableRow) => number {
  const cmpStr = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  switch (col) {
    case "name":
      return (a, b) => cmpStr(a.display, b.display) || cmpStr(a.key, b.key);
    case "dtype":
      return (a, b) => cmpStr(a.dtype, b.dtype) || cmpStr(a.key, b.key);
    case "shape":
      return (a, b) => a.elements - b.elements || cmpStr(a.shape, b.shape) || cmpStr(a.key, b.key);
    case "bytes":
      return (a, b) => a.bytes - b.bytes || cmpStr(a.key, b.key);
    case "shard":
      return (a, b) => a.shard - b.shard || cmpStr(a.key, b.key);
  }
}

/**
 * One page of the variables table. `filter` is a case-insensitive substring over display path, key, name, path,
 * dtype and shape; whitespace-separated words must all match.
 */
export function variablesPage(rows: readonly VariableRow[], p: GetVariablesParams): VariablesPage {
  const words = p.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matched =
    words.length === 0
      ? [...rows]
      : rows.filter((r) => {
          const hay = `${r.display}\n${r.key}\n${r.name}\n${r.path}\n${r.dtype}\n${r.shape}`.toLowerCase();
          return words.every((w) => hay.includes(w));
        });
  const cmp = compareRows(p.sort);
  matched.sort(p.descending ? (a, b) => cmp(b, a) : cmp);
  return {
    total: rows.length,
    matched: matched.length,
    offset: p.offset,
    rows: matched.slice(p.offset, p.offset + p.limit),
    totalBytes: rows.reduce((a, r) => a + r.bytes, 0),
  };
}

/** Reads ONE variable's value and summarizes it (statistics, 20-bin histogram, numpy-style preview). */
export async function variableValues(r: SavedModelReader, key: string): Promise<VariableValuesView> {
  const bundle = await r.variables();
  if (!bundle) throw new StudioError("NOT_FOUND", `${r.dir}: the model has no variables`, r.dir);
  const entry = bundle.get(key);
  if (!entry) throw new StudioError("NOT_FOUND", `${bundle.indexPath}: no variable '${key}'`, bundle.indexPath);
  checkHostValue(entry, key, bundle.indexPath);
  const t0 = performance.now();
  const t = await bundle.readTensor(key);
  const readMs = performance.now() - t0;
  const h = histogram(t, 20);
  return { key, ...tensorDisplay(t, DEFAULT_PREVIEW, entry.size), histogram: h ? { edges: h.edges, counts: h.counts } : null, readMs };
}

// ------------------------------------------------------------------------------------------------
// Keras

const BUILTIN_CLASSES: ReadonlySet<string> = new Set((kerasBuiltins as { classes: string[] }).classes);

/** True when `className` is not a class Keras itself exports (a user's or a third party's class). */
export function isCustomKerasClass(className: string, registeredName: string | null): boolean {
  if (registeredName !== null && !registeredName.startsWith("keras>")) return true;
  return className !== "" && !BUILTIN_CLASSES.has(className);
}

export async function buildKeras(r: SavedModelReader): Promise<KerasView | null> {
  const k = await r.keras();
  if (!k) return null;
  const layers: KerasLayerView[] = k.layers.map((l) => {
    const config = l.metadata["config"];
    return {
      nodeId: l.nodeId,
      path: l.nodePath,
      depth: l.nodePath === "root" ? 0 : l.nodePath.split(".").length - 1,
      name: l.name,
      className: l.className,
      registeredName: l.registeredName,
      custom: isCustomKerasClass(l.className, l.registeredName),
      config: config === undefined ? "" : JSON.stringify(config, null, 2),
    };
  });
  const customClasses = [...new Set(layers.filter((l) => l.custom).map((l) => l.registeredName ?? l.className))].sort();
  return { source: k.source, layers, customClasses };
}

// ------------------------------------------------------------------------------------------------
// ops, assets

export function buildOps(r: SavedModelReader, metaGraph: number, denylist: readonly string[] = DEFAULT_DENYLIST): OpsView {
  const o = r.ops(metaGraph);
  const deny = new Set(denylist);
  const ops = [...o.counts]
    .map(([op, count]) => ({
      op,
      count,
      custom: !isCoreOp(op) && !o.functionNames.has(op),
      denied: deny.has(op),
      isFunction: o.functionNames.has(op),
    }))
    .sort((a, b) => b.count - a.count || (a.op < b.op ? -1 : a.op > b.op ? 1 : 0));
  return { metaGraph, total: ops.reduce((a, x) => a + x.count, 0), ops, denylist: [...denylist] };
}

export async function buildAssets(r: SavedModelReader): Promise<AssetsView> {
  const assets = await fileRows(r, joinPath(r.dir, "assets"), await r.assetFiles());
  const assetsExtra = await fileRows(r, joinPath(r.dir, "assets.extra"), await r.assetsExtraFiles());
  const assetTensors = r
    .metaGraphs()
    .flatMap((mg) => mg.assetFiles.filter((a) => a.tensorName).map((a) => ({ filename: a.filename, tensorName: a.tensorName ?? "" })));
  return { assets, assetsExtra, assetTensors };
}
