/**
 * Custom editor protocol (GUIDE §2.4): the webview pulls its data with requests after `ready`; the host
 * answers each request with exactly one response carrying the same `id`, either a typed result or
 * `{kind: "error", code, message}`. Every message crossing the boundary is checked at runtime
 * (`parseRequest` on the host, `parseResponse` in the webview): a malformed message is rejected, never
 * half-used. All strings are plain text: the webview inserts them with textContent only.
 *
 * PURE: no vscode, no DOM; from core only types (the webview bundles this file).
 */
import type { TensorDisplay } from "../core/display.js";

// ------------------------------------------------------------------------------------------------
// view models (plain JSON data)

export interface TensorRow {
  readonly key: string;
  readonly dtype: string;
  /** "(-1, 28, 28)", "unknown rank". */
  readonly shape: string;
  readonly name: string;
  readonly hasDefault: boolean;
}

export interface SignatureView {
  readonly metaGraph: number;
  readonly tags: readonly string[];
  readonly key: string;
  readonly method: string;
  readonly inputs: readonly TensorRow[];
  readonly outputs: readonly TensorRow[];
  readonly defaults: readonly string[];
  /** False for internal signatures (`__saved_model_init_op`) that cannot be run. */
  readonly runnable: boolean;
}

export interface MetaGraphView {
  readonly index: number;
  readonly tags: readonly string[];
  readonly tfVersion: string;
  readonly tfGitVersion: string;
  readonly signatureCount: number;
  readonly opCount: number | null;
  readonly graphNodes: number | null;
  readonly functionCount: number | null;
  readonly hasObjectGraph: boolean | null;
  readonly initOp: string | null;
}

export interface FileRow {
  readonly path: string;
  readonly bytes: number;
}

export interface OverviewView {
  readonly title: string;
  readonly dir: string;
  readonly modelFile: string;
  readonly format: "pb" | "pbtxt";
  readonly schemaVersion: number;
  readonly metaGraphs: readonly MetaGraphView[];
  readonly files: readonly FileRow[];
  readonly totalBytes: number;
  readonly variables: { readonly count: number; readonly bytes: number; readonly shards: number } | null;
  readonly fingerprint: Readonly<Record<string, string>> | null;
  readonly kerasClasses: readonly string[];
  /** `saved_model_cli show --all` text (ours). */
  readonly showAll: string;
}

export interface ConcreteFunctionView {
  readonly name: string;
  readonly inputSignature: string;
  readonly outputSignature: string;
}

export interface FunctionsView {
  /** Functions attached to the root object (TF2 only). */
  readonly attached: readonly { readonly name: string; readonly kind: string; readonly concrete: readonly ConcreteFunctionView[] }[];
  /** Library functions with call relations. */
  readonly library: readonly {
    readonly name: string;
    readonly nodeCount: number;
    readonly callers: readonly string[];
    readonly callees: readonly string[];
  }[];
}

export type VariableSortColumn = "name" | "dtype" | "shape" | "bytes" | "shard";

export interface VariableRow {
  readonly key: string;
  /** Where the tree groups it (core/savedmodel/varnames.ts): `conv2d/kernel`, `Optimizer/conv2d/kernel/m`. */
  readonly display: string;
  readonly name: string;
  readonly path: string;
  readonly dtype: string;
  readonly shape: string;
  readonly elements: number;
  readonly bytes: number;
  readonly shard: number;
  readonly trainable: boolean | null;
}

export interface VariablesPage {
  readonly total: number;
  readonly matched: number;
  readonly offset: number;
  readonly rows: readonly VariableRow[];
  readonly totalBytes: number;
}

/** One variable's values: the core/display.ts notation every view shows, plus a histogram. */
export interface VariableValuesView extends TensorDisplay {
  readonly key: string;
  readonly histogram: { readonly edges: readonly number[]; readonly counts: readonly number[] } | null;
  readonly readMs: number;
}

export interface KerasLayerView {
  readonly nodeId: number;
  readonly path: string;
  readonly depth: number;
  readonly name: string;
  readonly className: string;
  readonly registeredName: string | null;
  readonly custom: boolean;
  /** Pretty-printed config JSON. */
  readonly config: string;
}

export interface KerasView {
  readonly source: string;
  readonly layers: readonly KerasLayerView[];
  readonly customClasses: readonly string[];
}

export interface OpRow {
  readonly op: string;
  readonly count: number;
  readonly custom: boolean;
  readonly denied: boolean;
  readonly isFunction: boolean;
}

export interface OpsView {
  readonly metaGraph: number;
  readonly total: number;
  readonly ops: readonly OpRow[];
  readonly denylist: readonly string[];
}

export interface AssetsView {
  readonly assets: readonly FileRow[];
  readonly assetsExtra: readonly FileRow[];
  /** TF1 asset_file_def entries (file → tensor fed with its path). */
  readonly assetTensors: readonly { readonly filename: string; readonly tensorName: string }[];
}

export type GraphTarget =
  { readonly kind: "signature"; readonly key: string } | { readonly kind: "function"; readonly name: string } | { readonly kind: "graph" };

export interface GraphNodeView {
  /** Unique full name (inlined function bodies are prefixed with the call node's name). */
  readonly name: string;
  readonly op: string;
  /** "input" | "output" mark signature/function inputs and outputs. */
  readonly role: "op" | "input" | "output" | "const";
  /** Library function this node calls (expandable), if any. */
  readonly call: string | null;
  readonly device: string;
  /** Captured variable or resource: its name in the object graph / checkpoint (`dense/kernel`). */
  readonly variable?: string;
  /** The variable's object path, the prefix of its checkpoint keys (`layer_with_weights-0/kernel`). */
  readonly variablePath?: string;
  /** Dtype and shape of the first output, where known (`float32[?,10]`); after a traced run, the actual one. */
  readonly tensor?: string;
  /** After Run with Trace: the milliseconds this node took (summed over its executions). */
  readonly ranMs?: number;
}

export interface GraphView {
  readonly metaGraph: number;
  readonly target: GraphTarget;
  readonly title: string;
  readonly nodes: readonly GraphNodeView[];
  /** [from, to, control ? 1 : 0] by node index. */
  readonly edges: readonly (readonly [number, number, number])[];
  /** Per edge: the tensor it carries (`float32[?,784]`, "" when unknown) and its element count (-1: unknown). */
  readonly edgeTensors?: readonly (readonly [string, number])[];
  /** Call nodes that were inlined (their bodies are in `nodes`). */
  readonly expanded: readonly string[];
  /** Nodes of the whole graph before pruning to the signature's closure. */
  readonly totalNodes: number;
  readonly note: string | null;
  /** Set when a traced run's shapes and times are overlaid. */
  readonly runNote?: string;
}

export interface NodeDetailsView {
  readonly name: string;
  readonly op: string;
  readonly device: string;
  readonly call: string | null;
  /** Every library function named in the node's attributes (calls, If/While branches). */
  readonly functions: readonly string[];
  readonly custom: boolean;
  readonly inputs: readonly string[];
  readonly controlInputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: readonly { readonly name: string; readonly value: string; readonly isDefault: boolean }[];
}

// ------------------------------------------------------------------------------------------------
// webview → host

export interface GetVariablesParams {
  readonly offset: number;
  readonly limit: number;
  readonly filter: string;
  readonly sort: VariableSortColumn;
  readonly descending: boolean;
}

export type RequestBody =
  | { readonly type: "ready" }
  | { readonly type: "getOverview" }
  | { readonly type: "getSignatures" }
  | { readonly type: "getFunctions"; readonly metaGraph: number }
  | ({ readonly type: "getVariables" } & GetVariablesParams)
  | { readonly type: "getVariableValues"; readonly key: string }
  | { readonly type: "getKeras" }
  | { readonly type: "getOps"; readonly metaGraph: number }
  | { readonly type: "getAssets" }
  | {
      readonly type: "getGraph";
      readonly metaGraph: number;
      readonly target: GraphTarget;
      readonly expand: readonly string[];
      readonly inlineDepth: number;
    }
  | {
      readonly type: "getNodeDetails";
      readonly metaGraph: number;
      readonly target: GraphTarget;
      readonly expand: readonly string[];
      readonly inlineDepth: number;
      readonly node: string;
    }
  | { readonly type: "runSignature"; readonly metaGraph: number; readonly key: string }
  | { readonly type: "debugSignature"; readonly metaGraph: number; readonly key: string }
  | { readonly type: "copyRequest"; readonly metaGraph: number; readonly key: string }
  | { readonly type: "copyText"; readonly text: string }
  /** Long poll: answered when the host asks this editor to show a graph ("Show in Graph" from the tree). */
  | { readonly type: "awaitReveal" };

export type RequestType = RequestBody["type"];
export type Request = RequestBody & { readonly id: number };

// ------------------------------------------------------------------------------------------------
// host → webview

export type ResultBody =
  | { readonly kind: "ready"; readonly title: string; readonly format: "pb" | "pbtxt" }
  | { readonly kind: "overview"; readonly overview: OverviewView }
  | { readonly kind: "signatures"; readonly signatures: readonly SignatureView[] }
  | { readonly kind: "functions"; readonly functions: FunctionsView }
  | { readonly kind: "variables"; readonly page: VariablesPage }
  | { readonly kind: "variableValues"; readonly values: VariableValuesView }
  | { readonly kind: "keras"; readonly keras: KerasView | null }
  | { readonly kind: "ops"; readonly ops: OpsView }
  | { readonly kind: "assets"; readonly assets: AssetsView }
  | { readonly kind: "graph"; readonly graph: GraphView }
  | { readonly kind: "nodeDetails"; readonly details: NodeDetailsView }
  | { readonly kind: "done"; readonly message: string }
  | { readonly kind: "reveal"; readonly metaGraph: number; readonly target: GraphTarget };

export type ErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "LIMIT" | "FORMAT" | "INTERNAL" | string;
export type ErrorBody = { readonly kind: "error"; readonly code: ErrorCode; readonly message: string };

/** What each request type answers with. */
export interface ResultFor {
  ready: "ready";
  getOverview: "overview";
  getSignatures: "signatures";
  getFunctions: "functions";
  getVariables: "variables";
  getVariableValues: "variableValues";
  getKeras: "keras";
  getOps: "ops";
  getAssets: "assets";
  getGraph: "graph";
  getNodeDetails: "nodeDetails";
  runSignature: "done";
  debugSignature: "done";
  copyRequest: "done";
  copyText: "done";
  awaitReveal: "reveal";
}

export type ResultOf<T extends RequestType> = Extract<ResultBody, { kind: ResultFor[T] }>;
export type Response = (ResultBody | ErrorBody) & { readonly id: number };

// ------------------------------------------------------------------------------------------------
// runtime validation

export const MAX_STRING = 4096;
export const MAX_TEXT = 1 << 22;
export const MAX_PAGE = 5000;
export const MAX_EXPAND = 256;

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(o: Obj, k: string, max = MAX_STRING): string {
  const v = o[k];
  if (typeof v !== "string") throw new ProtocolError(`'${k}' must be a string`);
  if (v.length > max) throw new ProtocolError(`'${k}' is longer than ${max} characters`);
  return v;
}

function int(o: Obj, k: string, min: number, max: number): number {
  const v = o[k];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw new ProtocolError(`'${k}' must be an integer in [${min}, ${max}]`);
  return v;
}

function bool(o: Obj, k: string): boolean {
  const v = o[k];
  if (typeof v !== "boolean") throw new ProtocolError(`'${k}' must be a boolean`);
  return v;
}

function strList(o: Obj, k: string, maxItems: number): string[] {
  const v = o[k];
  if (!Array.isArray(v) || v.length > maxItems) throw new ProtocolError(`'${k}' must be an array of at most ${maxItems} strings`);
  return v.map((s, i) => {
    if (typeof s !== "string" || s.length > MAX_STRING) throw new ProtocolError(`'${k}[${i}]' must be a string`);
    return s;
  });
}

function target(o: Obj): GraphTarget {
  const t = o["target"];
  if (!isObj(t)) throw new ProtocolError("'target' must be an object");
  switch (t["kind"]) {
    case "signature":
      return { kind: "signature", key: str(t, "key") };
    case "function":
      return { kind: "function", name: str(t, "name") };
    case "graph":
      return { kind: "graph" };
    default:
      throw new ProtocolError("'target.kind' must be signature, function or graph");
  }
}

const SORT_COLUMNS: readonly VariableSortColumn[] = ["name", "dtype", "shape", "bytes", "shard"];
const MAX_META = 1 << 16;

/** Validates a webview → host message; throws ProtocolError. The result is a fresh object (no extra fields). */
export function parseRequest(msg: unknown): Request {
  if (!isObj(msg)) throw new ProtocolError("message must be an object");
  const id = int(msg, "id", 0, Number.MAX_SAFE_INTEGER);
  const type = msg["type"];
  const mg = () => int(msg, "metaGraph", 0, MAX_META);
  const graphQuery = () => ({
    metaGraph: mg(),
    target: target(msg),
    expand: strList(msg, "expand", MAX_EXPAND),
    inlineDepth: int(msg, "inlineDepth", 0, 8),
  });
  switch (type) {
    case "ready":
    case "getOverview":
    case "getSignatures":
    case "getKeras":
    case "getAssets":
    case "awaitReveal":
      return { id, type };
    case "getFunctions":
    case "getOps":
      return { id, type, metaGraph: mg() };
    case "getVariables": {
      const sort = msg["sort"];
      if (typeof sort !== "string" || !(SORT_COLUMNS as readonly string[]).includes(sort))
        throw new ProtocolError(`'sort' must be one of ${SORT_COLUMNS.join(", ")}`);
      return {
        id,
        type,
        offset: int(msg, "offset", 0, Number.MAX_SAFE_INTEGER),
        limit: int(msg, "limit", 1, MAX_PAGE),
        filter: str(msg, "filter", 512),
        sort: sort as VariableSortColumn,
        descending: bool(msg, "descending"),
      };
    }
    case "getVariableValues":
      return { id, type, key: str(msg, "key") };
    case "getGraph":
      return { id, type, ...graphQuery() };
    case "getNodeDetails":
      return { id, type, ...graphQuery(), node: str(msg, "node") };
    case "runSignature":
    case "debugSignature":
    case "copyRequest":
      return { id, type, metaGraph: mg(), key: str(msg, "key") };
    case "copyText":
      return { id, type, text: str(msg, "text", MAX_TEXT) };
    default:
      throw new ProtocolError(`unknown request type ${typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : typeof type}`);
  }
}

const RESULT_KINDS = new Set<string>([
  "ready",
  "overview",
  "signatures",
  "functions",
  "variables",
  "variableValues",
  "keras",
  "ops",
  "assets",
  "graph",
  "nodeDetails",
  "done",
  "reveal",
]);

/**
 * Validates a host → webview message's envelope (id, kind, error fields). Payloads come from our own
 * host, so their shape is trusted; their strings are still only ever rendered as text.
 */
export function parseResponse(msg: unknown): Response {
  if (!isObj(msg)) throw new ProtocolError("message must be an object");
  const id = int(msg, "id", 0, Number.MAX_SAFE_INTEGER);
  const kind = msg["kind"];
  if (kind === "error") return { id, kind, code: str(msg, "code", 64), message: str(msg, "message", MAX_TEXT) };
  if (typeof kind !== "string" || !RESULT_KINDS.has(kind)) throw new ProtocolError("unknown response kind");
  const payloadKey: Record<string, string | undefined> = {
    overview: "overview",
    signatures: "signatures",
    functions: "functions",
    variables: "page",
    variableValues: "values",
    keras: "keras",
    ops: "ops",
    assets: "assets",
    graph: "graph",
    nodeDetails: "details",
    reveal: "target",
  };
  const pk = payloadKey[kind];
  if (pk !== undefined && !(pk in msg)) throw new ProtocolError(`'${kind}' response without '${pk}'`);
  return msg as unknown as Response;
}

/** The result kind a request type expects (used by the webview to check responses). */
export const RESULT_FOR: ResultFor = {
  ready: "ready",
  getOverview: "overview",
  getSignatures: "signatures",
  getFunctions: "functions",
  getVariables: "variables",
  getVariableValues: "variableValues",
  getKeras: "keras",
  getOps: "ops",
  getAssets: "assets",
  getGraph: "graph",
  getNodeDetails: "nodeDetails",
  runSignature: "done",
  debugSignature: "done",
  copyRequest: "done",
  copyText: "done",
  awaitReveal: "reveal",
};
