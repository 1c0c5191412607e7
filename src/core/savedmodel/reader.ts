/**
 * SavedModel reader: match/open contract with typed errors (netron-style), lazy decoding.
 *  - `open` reads saved_model.pb (or parses saved_model.pbtxt) and decodes nothing else.
 *  - `metaGraphs()` decodes only meta_info_def / signature_def / asset_file_def / saver_def /
 *    collections through the SavedModelHead projection: graph_def and object_graph_def bytes are skipped.
 *  - object graph, op lists, full MetaGraphDefs, variables, Keras metadata load on first use and are cached.
 */
import textformat from "protobufjs/ext/textformat.js";
import { TensorBundle } from "../bundle/index.js";
import { FormatError, LimitError, PbtxtError, StudioError } from "../errors.js";
import { joinPath, type ModelSource } from "../io.js";
import { DEFAULT_LIMITS, type Limits } from "../limits.js";
import { keras, reflectionType, savedmodel_studio, tensorflow } from "../proto/index.js";
import { num, signatureSummary, structuredRepr, u64 } from "./convert.js";
import { readHeadBytes } from "./ranged.js";
import type {
  AssetSummary,
  FingerprintSummary,
  FunctionSummary,
  KerasLayerSummary,
  KerasSummary,
  MetaGraphSummary,
  VariableSummary,
} from "./types.js";

export interface OpenOptions {
  readonly limits?: Limits;
  /**
   * Read only the MetaGraph heads (tags, signatures, assets, init op) of a binary saved_model.pb,
   * through ranged reads: graph and object-graph bytes are never read. Listing a 100 MB model then
   * costs a few small reads. Call `await reader.loadBody()` before methods that need the rest
   * (ops, objectGraph, functions, savedModel, ...); they throw a clear error otherwise.
   */
  readonly headOnly?: boolean;
}

export interface OpsSummary {
  /** Op type -> number of nodes, over the graph and every library function. */
  readonly counts: ReadonlyMap<string, number>;
  readonly graphNodes: number;
  readonly functionCount: number;
  /** Names of the library functions (a node whose op is one of these calls that function). */
  readonly functionNames: ReadonlySet<string>;
  readonly producer: number;
}

export interface FunctionIndexEntry {
  readonly name: string;
  readonly nodeCount: number;
  /** Library functions this function calls (through `f` attributes or function-named ops). */
  readonly callees: readonly string[];
  /** Library functions (or "<graph>") that call this one. */
  readonly callers: readonly string[];
}

const MODEL_FILES = ["saved_model.pb", "saved_model.pbtxt"] as const;

/** Wraps a protobufjs decode so corruption becomes a FormatError naming the file. */
function decodeOrThrow<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StudioError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    const why = /call stack/i.test(msg) ? "messages nested too deeply" : msg;
    throw new FormatError(file, `not a valid ${what} (truncated or corrupted protobuf: ${why})`, { cause: e });
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  // Binary SavedModels start with field 1 (varint, 0x08) or field 2 (0x12); text starts with a field name or comment.
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  const c = bytes[i];
  return c !== undefined && ((c >= 0x61 && c <= 0x7a) || c === 0x23);
}

export class SavedModelReader {
  private headCache: MetaGraphSummary[] | undefined;
  private fullCache: tensorflow.SavedModel | undefined;
  private objectsCache: (tensorflow.SavedObjectGraph.$Properties | null)[] | undefined;
  private opsCache: OpsSummary[] | undefined;
  private bundlePromise: Promise<TensorBundle | null> | undefined;
  private kerasPromise: Promise<KerasSummary | null> | undefined;
  private schemaVersionValue = 0;

  private constructor(
    readonly source: ModelSource,
    /** The SavedModel directory. */
    readonly dir: string,
    /** saved_model.pb or saved_model.pbtxt (full path). */
    readonly modelFile: string,
    readonly format: "pb" | "pbtxt",
    readonly fileSize: number,
    private bytes: Uint8Array | undefined,
    parsed: tensorflow.SavedModel | undefined,
    readonly limits: Limits,
    private headBytes?: Uint8Array,
  ) {
    this.fullCache = parsed;
  }

  /** False when opened head-only and the body has not been loaded yet. */
  get bodyLoaded(): boolean {
    return this.bytes !== undefined || this.fullCache !== undefined;
  }

  /** Reads the whole saved_model.pb (a no-op unless opened with `headOnly`). */
  async loadBody(): Promise<void> {
    if (this.bodyLoaded) return;
    const bytes = await this.source.read(this.modelFile);
    if (bytes.length !== this.fileSize)
      throw new FormatError(this.modelFile, `short read: expected ${this.fileSize} bytes, got ${bytes.length}`);
    this.bytes = bytes;
  }

  private body(): Uint8Array {
    if (!this.bytes) {
      throw new StudioError(
        "USAGE",
        `${this.modelFile}: opened head-only; call loadBody() before reading graphs or the object graph`,
        this.modelFile,
      );
    }
    return this.bytes;
  }

  /** Opens the SavedModel in `dir`: reads saved_model.pb, or parses saved_model.pbtxt. */
  static async open(anySource: ModelSource, dir: string, opts: OpenOptions = {}): Promise<SavedModelReader> {
    const limits = opts.limits ?? DEFAULT_LIMITS;
    // Every file the reader (and the engine, through `reader.source`) opens must stay inside `dir`.
    const source = anySource.confine?.(dir) ?? anySource;
    let found: { file: string; size: number } | undefined;
    for (const name of MODEL_FILES) {
      const file = joinPath(dir, name);
      const st = await source.stat(file).catch(() => undefined);
      if (st?.kind === "file") {
        found = { file, size: st.size };
        break;
      }
    }
    if (!found) {
      const st = await source.stat(dir).catch(() => undefined);
      if (!st) throw new StudioError("NOT_FOUND", `${dir}: no such directory`, dir);
      throw new StudioError("NOT_A_SAVEDMODEL", `${dir}: not a SavedModel directory (no saved_model.pb or saved_model.pbtxt)`, dir);
    }
    if (found.size > limits.maxFileBytes) {
      throw new LimitError(found.file, `file is ${found.size} bytes, over the ${limits.maxFileBytes}-byte limit`);
    }
    if (opts.headOnly && !found.file.endsWith(".pbtxt")) {
      const probe = await source.read(found.file, 0, 64);
      if (probe.length > 0 && !looksLikeText(probe)) {
        const { head } = await readHeadBytes(source, found.file, found.size);
        const reader = new SavedModelReader(source, dir, found.file, "pb", found.size, undefined, undefined, limits, head);
        reader.metaGraphs();
        return reader;
      }
    }
    const bytes = await source.read(found.file);
    if (bytes.length !== found.size) throw new FormatError(found.file, `short read: expected ${found.size} bytes, got ${bytes.length}`);
    if (bytes.length === 0) throw new FormatError(found.file, "file is empty");
    if (found.file.endsWith(".pbtxt") || looksLikeText(bytes)) {
      const parsed = parseSavedModelText(found.file, new TextDecoder("utf-8").decode(bytes));
      return new SavedModelReader(source, dir, found.file, "pbtxt", found.size, undefined, parsed, limits);
    }
    const reader = new SavedModelReader(source, dir, found.file, "pb", found.size, bytes, undefined, limits);
    reader.metaGraphs(); // validate eagerly: a corrupt file fails at open, with the file's name
    return reader;
  }

  get schemaVersion(): number {
    this.metaGraphs();
    return this.schemaVersionValue;
  }

  /** Meta graphs with tags, versions and signatures; decodes no graph or function bodies. */
  metaGraphs(): readonly MetaGraphSummary[] {
    if (this.headCache) return this.headCache;
    let metas: savedmodel_studio.MetaGraphHead.$Properties[];
    if (this.fullCache) {
      metas = this.fullCache.meta_graphs as savedmodel_studio.MetaGraphHead.$Properties[];
      this.schemaVersionValue = num(this.fullCache.saved_model_schema_version);
    } else {
      const head = decodeOrThrow(this.modelFile, "SavedModel", () =>
        savedmodel_studio.SavedModelHead.decode(this.headBytes ?? this.body()),
      );
      metas = head.meta_graphs;
      this.schemaVersionValue = num(head.saved_model_schema_version);
    }
    if (metas.length === 0) throw new FormatError(this.modelFile, "not a valid SavedModel (no MetaGraphDef)");
    this.headCache = metas.map((m, index) => metaGraphSummary(index, m));
    return this.headCache;
  }

  /** The meta graph whose tag set equals `tags` (order-insensitive). */
  findMetaGraph(tags: readonly string[]): MetaGraphSummary {
    const want = [...tags].sort().join(",");
    const mg = this.metaGraphs().find((m) => [...m.tags].sort().join(",") === want);
    if (!mg) {
      const avail = this.metaGraphs()
        .map((m) => `'${m.tags.join(",")}'`)
        .join(", ");
      throw new StudioError(
        "TAG_SET_NOT_FOUND",
        `${this.modelFile}: MetaGraphDef associated with tag-set '${tags.join(",")}' could not be found; available tag-sets: ${avail}`,
        this.modelFile,
      );
    }
    return mg;
  }

  /** Fully decoded SavedModel (graphs and function bodies). Cached; costly on big models. */
  savedModel(): tensorflow.SavedModel {
    this.fullCache ??= decodeOrThrow(this.modelFile, "SavedModel", () => tensorflow.SavedModel.decode(this.body()));
    return this.fullCache;
  }

  metaGraphDef(index: number): tensorflow.MetaGraphDef.$Properties {
    const mg = this.savedModel().meta_graphs[index];
    if (!mg) throw new StudioError("TAG_SET_NOT_FOUND", `${this.modelFile}: no MetaGraphDef #${index}`, this.modelFile);
    return mg;
  }

  /** The TF2 object graph of meta graph `index`, or null (TF1 models). */
  objectGraph(index: number): tensorflow.SavedObjectGraph.$Properties | null {
    if (!this.objectsCache) {
      if (this.fullCache) {
        this.objectsCache = this.fullCache.meta_graphs.map((m) => m.object_graph_def ?? null);
      } else {
        const objs = decodeOrThrow(this.modelFile, "SavedModel", () => savedmodel_studio.SavedModelObjects.decode(this.body()));
        this.objectsCache = objs.meta_graphs.map((m) => m.object_graph_def ?? null);
      }
    }
    return this.objectsCache[index] ?? null;
  }

  /** Functions attached to the root object (what `saved_model_cli show --all` lists). */
  functions(index: number): FunctionSummary[] {
    const og = this.objectGraph(index);
    if (!og) return [];
    const nodes = og.nodes ?? [];
    const concrete = og.concrete_functions ?? {};
    const cf = (name: string) => {
      const c = concrete[name];
      return {
        name,
        inputSignature: c?.canonicalized_input_signature ? structuredRepr(c.canonicalized_input_signature) : null,
        outputSignature: c?.output_signature ? structuredRepr(c.output_signature) : null,
        boundInputs: c?.bound_inputs ?? [],
      };
    };
    const out: FunctionSummary[] = [];
    for (const child of nodes[0]?.children ?? []) {
      const node = nodes[child.node_id ?? -1];
      if (!node) continue;
      const name = child.local_name ?? "";
      if (node.function) {
        out.push({ name, kind: "function", concreteFunctions: [...(node.function.concrete_functions ?? [])].sort().map(cf) });
      } else if (node.bare_concrete_function) {
        out.push({
          name,
          kind: "bare_concrete_function",
          concreteFunctions: [cf(node.bare_concrete_function.concrete_function_name ?? "")],
        });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Op types used by the graph and every library function, without decoding attributes. */
  ops(index: number): OpsSummary {
    if (!this.opsCache) {
      const metas: savedmodel_studio.MetaGraphOps.$Properties[] = this.fullCache
        ? (this.fullCache.meta_graphs as savedmodel_studio.MetaGraphOps.$Properties[])
        : decodeOrThrow(this.modelFile, "SavedModel", () => savedmodel_studio.SavedModelOps.decode(this.body())).meta_graphs;
      this.opsCache = metas.map((m) => {
        const counts = new Map<string, number>();
        const add = (op: string | null | undefined) => {
          if (op) counts.set(op, (counts.get(op) ?? 0) + 1);
        };
        const g = m.graph_def;
        for (const n of g?.node ?? []) add(n.op);
        const fns = g?.library?.function ?? [];
        for (const f of fns) for (const n of f.node_def ?? []) add(n.op);
        const functionNames = new Set(fns.map((f) => f.signature?.name ?? ""));
        for (const name of functionNames) counts.delete(name);
        return { counts, graphNodes: g?.node?.length ?? 0, functionCount: fns.length, functionNames, producer: g?.versions?.producer ?? 0 };
      });
    }
    const o = this.opsCache[index];
    if (!o) throw new StudioError("TAG_SET_NOT_FOUND", `${this.modelFile}: no MetaGraphDef #${index}`, this.modelFile);
    return o;
  }

  /** Library functions with their callers and callees (decodes the full graph). */
  functionIndex(index: number): FunctionIndexEntry[] {
    const g = this.metaGraphDef(index).graph_def;
    const fns = g?.library?.function ?? [];
    const names = new Set(fns.map((f) => f.signature?.name ?? ""));
    const callees = new Map<string, Set<string>>();
    const callers = new Map<string, Set<string>>();
    const record = (from: string, nodes: readonly tensorflow.NodeDef.$Properties[]) => {
      for (const n of nodes) {
        for (const target of calledFunctions(n, names)) {
          if (!callees.has(from)) callees.set(from, new Set());
          callees.get(from)!.add(target);
          if (!callers.has(target)) callers.set(target, new Set());
          callers.get(target)!.add(from);
        }
      }
    };
    record("<graph>", g?.node ?? []);
    for (const f of fns) record(f.signature?.name ?? "", f.node_def ?? []);
    return fns
      .map((f) => {
        const name = f.signature?.name ?? "";
        return {
          name,
          nodeCount: f.node_def?.length ?? 0,
          callees: [...(callees.get(name) ?? [])].sort(),
          callers: [...(callers.get(name) ?? [])].sort(),
        };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The variables TensorBundle (index only until values are read), or null without variables/. */
  variables(): Promise<TensorBundle | null> {
    this.bundlePromise ??= (async () => {
      const prefix = joinPath(this.dir, "variables", "variables");
      const st = await this.source.stat(prefix + ".index").catch(() => undefined);
      if (!st) return null;
      return TensorBundle.open(this.source, prefix, { limits: this.limits });
    })();
    return this.bundlePromise;
  }

  /**
   * Every variable in the bundle (the _CHECKPOINTABLE_OBJECT_GRAPH entry excluded), with its
   * object path, name and trainability from the TF2 object graph or the TF1 collections.
   */
  async variableSummaries(index = 0): Promise<VariableSummary[]> {
    const bundle = await this.variables();
    if (!bundle) return [];
    const byKey = new Map<string, { name: string; path?: string; trainable?: boolean }>();
    const og = this.objectGraph(index);
    if (og) {
      // The object graph lives in a data shard: when that shard is missing, list from the index alone.
      const ckpt = await bundle.objectGraph().catch((e: unknown) => {
        if (e instanceof StudioError && e.code === "BUNDLE_MISSING_SHARD") return undefined;
        throw e;
      });
      const nodes = og.nodes ?? [];
      for (const [id, path] of objectPaths(nodes)) {
        const v = nodes[id]?.variable;
        if (!v) continue;
        const attr = ckpt?.nodes?.[id]?.attributes?.find((a) => a.name === "VARIABLE_VALUE");
        if (attr?.checkpoint_key) byKey.set(attr.checkpoint_key, { name: v.name ?? "", path, trainable: v.trainable ?? false });
      }
    } else {
      const trainable = new Set<string>();
      const mg = this.metaGraphs()[index];
      if (mg?.collectionKeys.includes("trainable_variables")) {
        for (const raw of this.collectionBytes(index, "trainable_variables")) {
          const vd = decodeOrThrow(this.modelFile, "VariableDef", () => tensorflow.VariableDef.decode(raw));
          trainable.add((vd.variable_name ?? "").replace(/:\d+$/, ""));
        }
      }
      for (const e of bundle.entries()) byKey.set(e.key, { name: e.key, trainable: trainable.has(e.key) });
    }
    return bundle.variableEntries().map((e) => {
      const info = byKey.get(e.key);
      return {
        checkpointKey: e.key,
        name: info?.name ?? e.key,
        ...(info?.path !== undefined ? { path: info.path } : {}),
        ...(info?.trainable !== undefined ? { trainable: info.trainable } : {}),
        dtype: e.dtype,
        shape: [...e.shape],
        shardId: e.shardId,
        sizeBytes: e.size,
      };
    });
  }

  private collectionBytes(index: number, key: string): Uint8Array[] {
    const head = this.fullCache
      ? (this.fullCache.meta_graphs[index] as savedmodel_studio.MetaGraphHead.$Properties | undefined)
      : decodeOrThrow(this.modelFile, "SavedModel", () => savedmodel_studio.SavedModelHead.decode(this.headBytes ?? this.body()))
          .meta_graphs[index];
    return head?.collection_def?.[key]?.bytes_list?.value ?? [];
  }

  /** Keras layer metadata: keras_metadata.pb (TF 2.5+) or user_object.metadata (TF 2.0–2.4). */
  keras(index = 0): Promise<KerasSummary | null> {
    this.kerasPromise ??= (async () => {
      const file = joinPath(this.dir, "keras_metadata.pb");
      const st = await this.source.stat(file).catch(() => undefined);
      if (st?.kind === "file") {
        if (st.size > this.limits.maxFileBytes) throw new LimitError(file, `file is ${st.size} bytes, over the limit`);
        const bytes = await this.source.read(file);
        const meta = decodeOrThrow(file, "Keras SavedMetadata", () => keras.SavedMetadata.decode(bytes));
        const layers = meta.nodes.map((n) => kerasLayer(file, n.node_id ?? 0, n.node_path ?? "", n.identifier ?? "", n.metadata ?? ""));
        return kerasSummary("keras_metadata.pb", layers);
      }
      const og = this.objectGraph(index);
      if (!og) return null;
      const nodes = og.nodes ?? [];
      const layers: KerasLayerSummary[] = [];
      for (const [id, path] of objectPaths(nodes)) {
        const u = nodes[id]?.user_object;
        if (!u?.metadata || !(u.identifier ?? "").startsWith("_tf_keras")) continue;
        layers.push(kerasLayer(this.modelFile, id, path, u.identifier ?? "", u.metadata));
      }
      if (layers.length === 0) return null;
      layers.sort((a, b) => a.nodeId - b.nodeId);
      return kerasSummary("object_graph user_object.metadata", layers);
    })();
    return this.kerasPromise;
  }

  async fingerprint(): Promise<FingerprintSummary | null> {
    const file = joinPath(this.dir, "fingerprint.pb");
    const st = await this.source.stat(file).catch(() => undefined);
    if (st?.kind !== "file") return null;
    if (st.size > 1 << 20) throw new LimitError(file, `file is ${st.size} bytes, too large for a fingerprint`);
    const bytes = await this.source.read(file);
    const fp = decodeOrThrow(file, "FingerprintDef", () => tensorflow.FingerprintDef.decode(bytes));
    return {
      savedModelChecksum: u64(fp.saved_model_checksum),
      graphDefProgramHash: u64(fp.graph_def_program_hash),
      signatureDefHash: u64(fp.signature_def_hash),
      savedObjectGraphHash: u64(fp.saved_object_graph_hash),
      checkpointHash: u64(fp.checkpoint_hash),
    };
  }

  /** Files under assets/ (paths relative to it), recursively, sorted. */
  assetFiles(): Promise<string[]> {
    return listFilesRecursive(this.source, joinPath(this.dir, "assets"));
  }

  /** Files under assets.extra/ (paths relative to it). */
  assetsExtraFiles(): Promise<string[]> {
    return listFilesRecursive(this.source, joinPath(this.dir, "assets.extra"));
  }

  /** Every file of the model directory, relative to it, sorted. */
  allFiles(): Promise<string[]> {
    return listFilesRecursive(this.source, this.dir);
  }
}

/** Most files one recursive listing returns (a directory of links fanning out stops here). */
const MAX_LISTED_FILES = 100_000;

/** Files under `dir`, recursively; a directory reached through a link is entered once (no loops). */
async function listFilesRecursive(source: ModelSource, dir: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > 32 || out.length >= MAX_LISTED_FILES) return;
    let entries;
    try {
      entries = await source.list(rel ? joinPath(dir, rel) : dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.kind === "file") {
        if (out.length < MAX_LISTED_FILES) out.push(name);
      } else if (e.id === undefined || !seen.has(e.id)) {
        if (e.id !== undefined) seen.add(e.id);
        await walk(name, depth + 1);
      }
    }
  };
  await walk("", 0);
  return out.sort();
}

/** Object paths from the root, breadth-first (first path wins), guarded against cycles. */
export function objectPaths(nodes: readonly tensorflow.SavedObject.$Properties[]): Map<number, string> {
  const paths = new Map<number, string>([[0, "root"]]);
  const queue = [0];
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const c of nodes[id]?.children ?? []) {
      const cid = c.node_id ?? -1;
      if (cid < 0 || cid >= nodes.length || paths.has(cid)) continue;
      paths.set(cid, `${paths.get(id)}.${c.local_name ?? ""}`);
      queue.push(cid);
    }
  }
  return paths;
}

function calledFunctions(n: tensorflow.NodeDef.$Properties, names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (n.op && names.has(n.op)) out.push(n.op);
  const visit = (v: tensorflow.AttrValue.$Properties | undefined) => {
    if (!v) return;
    if (v.func?.name && names.has(v.func.name)) out.push(v.func.name);
    for (const f of v.list?.func ?? []) if (f.name && names.has(f.name)) out.push(f.name);
  };
  for (const v of Object.values(n.attr ?? {})) visit(v);
  return out;
}

function metaGraphSummary(index: number, m: savedmodel_studio.MetaGraphHead.$Properties): MetaGraphSummary {
  const info = m.meta_info_def;
  const sigs = Object.entries(m.signature_def ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, s]) => signatureSummary(k, s));
  const collections = m.collection_def ?? {};
  const initFromSig = m.signature_def?.["__saved_model_init_op"]?.outputs?.["__saved_model_init_op"]?.name;
  const initFromCollection = (key: string) => collections[key]?.node_list?.value?.[0];
  const initOp = initFromSig || initFromCollection("saved_model_main_op") || initFromCollection("legacy_init_op") || null;
  const assetFiles: AssetSummary[] = (m.asset_file_def ?? []).map((a) => ({
    filename: a.filename ?? "",
    ...(a.tensor_info?.name ? { tensorName: a.tensor_info.name } : {}),
  }));
  const saver = m.saver_def;
  return {
    index,
    tags: [...(info?.tags ?? [])],
    tfVersion: info?.tensorflow_version ?? "",
    tfGitVersion: info?.tensorflow_git_version ?? "",
    metaGraphVersion: info?.meta_graph_version ?? "",
    strippedDefaultAttrs: info?.stripped_default_attrs ?? false,
    signatures: sigs,
    initOp,
    assetFiles,
    hasSaverDef: saver !== null && saver !== undefined,
    ...(saver
      ? {
          saver: {
            restoreOpName: saver.restore_op_name ?? "",
            filenameTensorName: saver.filename_tensor_name ?? "",
            saveTensorName: saver.save_tensor_name ?? "",
          },
        }
      : {}),
    collectionKeys: Object.keys(collections).sort(),
  };
}

function kerasLayer(file: string, nodeId: number, nodePath: string, identifier: string, json: string): KerasLayerSummary {
  let meta: Record<string, unknown> = {};
  if (json) {
    try {
      const parsed: unknown = JSON.parse(json);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) meta = parsed as Record<string, unknown>;
    } catch (e) {
      // Keras writes NaN/Infinity into metadata JSON; accept those the way Python's json module does.
      try {
        const again: unknown = JSON.parse(json.replace(/\b(NaN|-?Infinity)\b/g, "null"));
        if (again && typeof again === "object" && !Array.isArray(again)) meta = again as Record<string, unknown>;
      } catch {
        throw new FormatError(file, `Keras metadata of node ${nodeId} (${nodePath}) is not valid JSON`, { cause: e });
      }
    }
  }
  const rawClass = typeof meta["class_name"] === "string" ? (meta["class_name"] as string) : "";
  const registered = rawClass.includes(">") ? rawClass : null;
  const className = registered ? rawClass.slice(rawClass.lastIndexOf(">") + 1) : rawClass;
  return {
    nodeId,
    nodePath,
    identifier,
    className,
    name: typeof meta["name"] === "string" ? (meta["name"] as string) : "",
    registeredName: registered,
    buildInputShape: meta["build_input_shape"] ?? null,
    isBuiltinIdentifier: identifier.startsWith("_tf_keras"),
    metadata: meta,
  };
}

function kerasSummary(source: KerasSummary["source"], layers: KerasLayerSummary[]): KerasSummary {
  const classNames = [...new Set(layers.map((l) => l.registeredName ?? l.className).filter((c) => c.length > 0))].sort();
  return { source, layers, classNames };
}

/** Parses protobuf text format into a SavedModel; syntax errors carry the line number. */
export function parseSavedModelText(file: string, text: string): tensorflow.SavedModel {
  const type = reflectionType("tensorflow.SavedModel");
  let msg;
  try {
    msg = textformat.fromText(type, text);
  } catch (e) {
    const m = e instanceof Error ? e.message : String(e);
    const line = /\(line (\d+)\)/.exec(m);
    throw new PbtxtError(file, line ? Number(line[1]) : 1, 1, m.replace(/\s*\(line \d+\)/, ""));
  }
  // Re-decode through the static code so callers get one object shape for .pb and .pbtxt.
  const bytes = type.encode(msg).finish();
  return decodeOrThrow(file, "SavedModel", () => tensorflow.SavedModel.decode(bytes));
}

/** Protobuf text format of a SavedModel (what TensorFlow writes as saved_model.pbtxt). */
export function savedModelToText(model: tensorflow.SavedModel.$Properties): string {
  const type = reflectionType("tensorflow.SavedModel");
  return textformat.toText(type, type.fromObject(model as Record<string, unknown>));
}
