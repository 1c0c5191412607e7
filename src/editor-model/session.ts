/**
 * The editor's data layer: answers the webview's data requests from one SavedModelReader, decoding
 * lazily and caching per request kind. PURE: host-only actions (run, clipboard) are delegated to the
 * `HostActions` the provider injects. The provider only validates, dispatches and posts.
 */
import { describeError, isStudioError } from "../core/errors.js";
import type { SavedModelReader } from "../core/savedmodel/reader.js";
import type { ErrorBody, GraphTarget, Request, ResultBody, SignatureView, VariableRow } from "../protocol/editor.js";
import { buildGraph, nodeDetails, type BuiltGraph, type GraphRequest } from "./graph.js";
import { applyOverlay, type RunOverlay } from "./overlay.js";
import { variableDisplayPaths } from "../core/savedmodel/varnames.js";
import {
  buildAssets,
  buildFunctions,
  buildKeras,
  buildOps,
  buildOverview,
  buildSignatures,
  variableRow,
  variablesPage,
  variableValues,
} from "./views.js";

export interface HostActions {
  runSignature(sig: SignatureView): Promise<string>;
  debugSignature(sig: SignatureView): Promise<string>;
  copyRequest(sig: SignatureView): Promise<string>;
  copyText(text: string): Promise<string>;
  /** The overlay of the last traced run of a signature, if any (Run with Trace). */
  runOverlay?(metaGraph: number, signature: string): RunOverlay | undefined;
}

/** A graph the host asked an open editor to show. */
export interface Reveal {
  readonly metaGraph: number;
  readonly target: GraphTarget;
}

/**
 * Reveals waiting for the webview's long poll (`awaitReveal`): the newest one wins, and a reveal asked
 * for before the webview polls is kept until it does.
 */
export class RevealQueue {
  private pending: Reveal | undefined;
  private waiting: ((r: Reveal) => void) | undefined;

  push(r: Reveal): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w(r);
    else this.pending = r;
  }

  next(): Promise<Reveal> {
    const p = this.pending;
    this.pending = undefined;
    return p ? Promise.resolve(p) : new Promise((resolve) => (this.waiting = resolve));
  }
}

function graphKey(g: GraphRequest): string {
  return JSON.stringify([g.metaGraph, g.target, [...g.expand].sort(), g.inlineDepth]);
}

export class EditorSession {
  private rows: Promise<VariableRow[]> | undefined;
  private graphs = new Map<string, BuiltGraph>();
  private static readonly GRAPH_CACHE = 4;
  private readonly reveals = new RevealQueue();

  constructor(
    readonly reader: SavedModelReader,
    readonly title: string,
    private readonly actions: HostActions,
  ) {}

  /** Shows `target` in this editor's Graph tab (answers the webview's pending `awaitReveal`). */
  reveal(r: Reveal): void {
    this.reveals.push(r);
  }

  private async body(): Promise<void> {
    if (!this.reader.bodyLoaded) await this.reader.loadBody();
  }

  private variableRows(): Promise<VariableRow[]> {
    // Rows carry the tree's grouping (Optimizer/…, Metrics/…), so the table sorts and filters by it too.
    this.rows ??= this.reader.variableSummaries(0).then((vs) => {
      const paths = variableDisplayPaths(vs);
      return vs.map((v, i) => variableRow(v, paths[i]));
    });
    return this.rows;
  }

  graph(g: GraphRequest): BuiltGraph {
    const key = graphKey(g);
    let built = this.graphs.get(key);
    if (!built) {
      built = buildGraph(this.reader, g);
      this.graphs.set(key, built);
      if (this.graphs.size > EditorSession.GRAPH_CACHE) {
        const oldest = this.graphs.keys().next().value;
        if (oldest !== undefined) this.graphs.delete(oldest);
      }
    }
    return built;
  }

  private signature(metaGraph: number, key: string): SignatureView {
    const sig = buildSignatures(this.reader).find((s) => s.metaGraph === metaGraph && s.key === key);
    if (!sig) throw new RequestFailed("NOT_FOUND", `no signature '${key}' in meta graph ${metaGraph}`);
    return sig;
  }

  /** Answers one validated request; failures become `{kind: "error"}` (never thrown). */
  async handle(req: Request): Promise<ResultBody | ErrorBody> {
    try {
      return await this.dispatch(req);
    } catch (e) {
      if (e instanceof RequestFailed) return { kind: "error", code: e.code, message: e.message };
      if (isStudioError(e)) return { kind: "error", code: e.code, message: e.message };
      return { kind: "error", code: "INTERNAL", message: describeError(e) };
    }
  }

  private async dispatch(req: Request): Promise<ResultBody> {
    switch (req.type) {
      case "ready":
        return { kind: "ready", title: this.title, format: this.reader.format };
      case "getOverview":
        await this.body();
        return { kind: "overview", overview: await buildOverview(this.reader, this.title) };
      case "getSignatures":
        return { kind: "signatures", signatures: buildSignatures(this.reader) };
      case "getFunctions":
        await this.body();
        return { kind: "functions", functions: buildFunctions(this.reader, req.metaGraph) };
      case "getVariables":
        return { kind: "variables", page: variablesPage(await this.variableRows(), req) };
      case "getVariableValues":
        return { kind: "variableValues", values: await variableValues(this.reader, req.key) };
      case "getKeras":
        await this.body();
        return { kind: "keras", keras: await buildKeras(this.reader) };
      case "getOps":
        await this.body();
        return { kind: "ops", ops: buildOps(this.reader, req.metaGraph) };
      case "getAssets":
        return { kind: "assets", assets: await buildAssets(this.reader) };
      case "getGraph": {
        await this.body();
        const view = this.graph(req).view;
        const o = req.target.kind === "signature" ? this.actions.runOverlay?.(req.metaGraph, req.target.key) : undefined;
        return { kind: "graph", graph: o ? applyOverlay(view, o) : view };
      }
      case "getNodeDetails": {
        await this.body();
        const built = this.graph(req);
        return { kind: "nodeDetails", details: nodeDetails(this.reader, built, req.node) };
      }
      case "runSignature": {
        const sig = this.signature(req.metaGraph, req.key);
        if (!sig.runnable) throw new RequestFailed("BAD_REQUEST", `'${req.key}' is not a runnable signature`);
        return { kind: "done", message: await this.actions.runSignature(sig) };
      }
      case "debugSignature": {
        const sig = this.signature(req.metaGraph, req.key);
        if (!sig.runnable) throw new RequestFailed("BAD_REQUEST", `'${req.key}' is not a runnable signature`);
        return { kind: "done", message: await this.actions.debugSignature(sig) };
      }
      case "copyRequest":
        return { kind: "done", message: await this.actions.copyRequest(this.signature(req.metaGraph, req.key)) };
      case "copyText":
        return { kind: "done", message: await this.actions.copyText(req.text) };
      case "awaitReveal":
        return { kind: "reveal", ...(await this.reveals.next()) };
    }
  }
}

export class RequestFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RequestFailed";
  }
}
