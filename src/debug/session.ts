/**
 * The `savedmodel` debug adapter (DAP, @vscode/debugadapter): a thin layer over a recorded run
 * (launch.ts), the stepper (stepper.ts), breakpoints (breakpoints.ts) and tensor views (view.ts).
 * One thread; frames are `<node> (<Op>)` in their function, callers outwards.
 */
import {
  BreakpointEvent,
  DebugSession,
  Handles,
  InitializedEvent,
  OutputEvent,
  Scope,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from "@vscode/debugadapter";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { describeError } from "../core/errors.js";
import { isStringData } from "../core/tensor.js";
import { formatTensor } from "../core/tensor-format.js";
import { parseBreakpoint, type Breakpoint } from "./breakpoints.js";
import { checkLaunchArgs, record, type Recording } from "./launch.js";
import { Listings } from "./listing.js";
import { Stepper, type ExceptionFilter, type Outcome, type ResumeMode, type Stop } from "./stepper.js";
import { frameChain, localName, namesNode, type FrameRecord, type NodeRecord, type TensorRecord } from "./trace.js";
import { statsVars, tensorChildren, tensorVar, type VarView } from "./view.js";

const THREAD = 1;
/** Output elements sent as data with the run's results. */
const MAX_DATA = 100_000;

function jsonNumber(x: number | bigint): number | string {
  return typeof x === "bigint" || !Number.isFinite(x) ? String(x) : x;
}
const FILTERS: readonly DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: "nonfinite", label: "NaN / Inf", description: "Stop after the first node whose output holds NaN or ±Inf", default: false },
  { filter: "error", label: "Op errors", description: "Stop at the node that fails", default: true },
];

/** What a variables reference stands for. */
type Ref =
  | { readonly kind: "inputs"; readonly frame: number }
  | { readonly kind: "computed"; readonly frame: number }
  | { readonly kind: "variables" }
  | { readonly kind: "tensor"; readonly tensor: TensorRecord }
  | { readonly kind: "stats"; readonly tensor: TensorRecord };

/** A stack frame of the current stop: the node it is at and the function activation it is in. */
interface FrameView {
  readonly name: string;
  readonly fn: string;
  readonly frame: FrameRecord;
  /** The node the frame is at (the stop's node, or the call in a caller). */
  readonly at: string;
  /** The record whose inputs the Inputs scope shows (the node, or the control-flow call). */
  readonly node?: NodeRecord;
}

export class SavedModelDebugSession extends DebugSession {
  private recording: Recording | undefined;
  private stepper: Stepper | undefined;
  private listings: Listings | undefined;
  private stopped: Stop | undefined;
  private breakpoints: Breakpoint[] = [];
  private filters = new Set<ExceptionFilter>(["error"]);
  private readonly refs = new Handles<Ref>();
  private frames: FrameView[] = [];
  private nextBreakpointId = 1;
  private configured!: () => void;
  private readonly configuration = new Promise<void>((r) => (this.configured = r));

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsExceptionInfoRequest: true,
      supportsEvaluateForHovers: false,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: [...FILTERS],
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured();
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    const result: DebugProtocol.Breakpoint[] = [];
    this.breakpoints = [];
    for (const b of args.breakpoints) {
      const id = this.nextBreakpointId++;
      try {
        const bp = parseBreakpoint(id, b.name, b.condition);
        this.breakpoints.push(bp);
        result.push({ id, verified: this.known(bp) });
      } catch (e) {
        result.push({ id, verified: false, message: describeError(e) });
      }
    }
    if (this.stepper) this.stepper.breakpoints = this.breakpoints;
    response.body = { breakpoints: result };
    this.sendResponse(response);
  }

  /** A breakpoint is verified when the recorded run has a node it matches (before launch: assumed). */
  private known(bp: Breakpoint): boolean {
    const recs = this.recording?.records;
    return !recs || recs.some((r) => bp.matches(r, true));
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    const message = "set function breakpoints instead: a node name, op:<OpType> or fn:<function>";
    response.body = { breakpoints: (args.breakpoints ?? []).map(() => ({ verified: false, message })) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.filters = new Set(args.filters.filter((f): f is ExceptionFilter => FILTERS.some((x) => x.filter === f)));
    if (this.stepper) this.stepper.filters = this.filters;
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, raw: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      const args = checkLaunchArgs(raw as Record<string, unknown>);
      this.sendEvent(new OutputEvent(`Recording ${args.signature ?? "serving_default"} of ${args.model} node by node…\n`, "console"));
      const t0 = performance.now();
      const rec = await record(args);
      this.recording = rec;
      const ms = (performance.now() - t0).toFixed(0);
      this.sendEvent(new OutputEvent(`Recorded ${rec.records.length} node executions in ${ms} ms (load included).\n`, "console"));
      for (const bp of this.breakpoints.filter((b) => !this.known(b))) {
        const message = `no node of the recorded run matches '${bp.spec}'`;
        this.sendEvent(new BreakpointEvent("changed", { id: bp.id, verified: false, message }));
      }
      for (const w of rec.warnings) this.sendEvent(new OutputEvent(`warning: ${w}\n`, "console"));
      if (rec.records.length === 0 && rec.error !== undefined) throw new Error(rec.error);
      await Promise.race([this.configuration, new Promise((r) => setTimeout(r, 5000))]);
      this.stepper = new Stepper(rec.records, this.breakpoints, this.filters);
      this.listings = new Listings(rec.records, rec.signature);
      this.sendResponse(response);
      this.settle(this.stepper.start(args.stopOnEntry ?? false));
    } catch (e) {
      this.recording?.dispose();
      this.recording = undefined;
      this.sendErrorResponse(response, { id: 1, format: describeError(e).replace(/[{}]/g, ""), showUser: true });
    }
  }

  private settle(o: Outcome): void {
    this.refs.reset();
    this.frames = [];
    if (o.reason === "end") {
      this.stopped = undefined;
      this.report();
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.stopped = o;
    const ev = new StoppedEvent(o.reason, THREAD, o.reason === "exception" ? o.description : undefined) as DebugProtocol.StoppedEvent;
    if (o.description !== undefined) ev.body.description = o.description;
    if (o.breakpointIds) ev.body.hitBreakpointIds = [...o.breakpointIds];
    this.sendEvent(ev);
  }

  /** The run's outputs (or its error) in the Debug Console when the session ends. */
  private report(): void {
    const rec = this.recording;
    if (!rec) return;
    if (rec.error !== undefined) this.sendEvent(new OutputEvent(`error: ${rec.error}\n`, "stderr"));
    for (const [k, t] of Object.entries(rec.outputs ?? {})) {
      // `data` carries the values for DAP clients and tests (numbers; non-finite ones as text).
      const values =
        isStringData(t.data) || t.data.length > MAX_DATA ? undefined : Array.from(t.data as ArrayLike<number | bigint>, jsonNumber);
      const ev = new OutputEvent(`${k} = ${formatTensor(t, { threshold: 100 })}\n`, "stdout", { output: k, shape: t.shape, values });
      this.sendEvent(ev);
    }
  }

  private resume(response: DebugProtocol.Response, mode: ResumeMode): void {
    this.sendResponse(response);
    if (!this.stepper || !this.stopped) return;
    this.settle(this.stepper.resume(this.stopped, mode));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.resume(response, "continue");
  }
  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.resume(response, "next");
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.resume(response, "stepIn");
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.resume(response, "stepOut");
  }
  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response); // the run is recorded; there is nothing running to pause
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD, `signature ${this.recording?.signature ?? ""}`)] };
    this.sendResponse(response);
  }

  private current(): NodeRecord | undefined {
    return this.stopped ? this.recording?.records[this.stopped.index] : undefined;
  }

  private buildFrames(): FrameView[] {
    const cur = this.current();
    if (!cur) return [];
    const recs = this.recording!.records;
    const views: FrameView[] = [
      { name: `${localName(cur.frame, cur.name)} (${cur.op})`, fn: cur.frame.fn, frame: cur.frame, at: cur.name, node: cur },
    ];
    for (const f of frameChain(cur.frame)) {
      if (!f.parent) break;
      const it = f.iteration !== undefined ? ` iteration ${f.iteration}` : "";
      const via = f.viaIndex !== undefined ? recs[f.viaIndex] : undefined;
      views.push({
        name: `${localName(f.parent, f.via)} (${f.viaOp})${it}`,
        fn: f.parent.fn,
        frame: f.parent,
        at: f.via,
        ...(via ? { node: via } : {}),
      });
    }
    return views;
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.frames = this.buildFrames();
    const start = args.startFrame ?? 0;
    const count = args.levels ? args.levels : this.frames.length;
    const sig = this.recording?.signature ?? "";
    const stackFrames = this.frames.slice(start, start + count).map((f, k) => {
      const sf: DebugProtocol.StackFrame = new StackFrame(start + k, f.name);
      sf.moduleId = f.fn || `signature ${sig}`;
      // The Python line that created the op (debug info), else the node's line in the function's listing.
      const py = this.recording?.locate?.(localName(f.frame, f.at), f.frame.fn);
      if (py) {
        sf.source = { name: py.file.split(/[\\/]/).pop() ?? py.file, path: py.file };
        sf.line = py.line;
        sf.column = py.column + 1;
        return sf;
      }
      const { listing, line } = this.listings?.locate(f.frame, f.at) ?? { listing: undefined, line: 1 };
      sf.line = line;
      sf.column = 1;
      if (listing) sf.source = { name: listing.title, sourceReference: listing.id, origin: "SavedModel graph listing" };
      return sf;
    });
    response.body = { stackFrames, totalFrames: this.frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const scopes = [
      new Scope("Inputs", this.refs.create({ kind: "inputs", frame: args.frameId }), false),
      new Scope("Computed", this.refs.create({ kind: "computed", frame: args.frameId }), false),
      new Scope("Model variables", this.refs.create({ kind: "variables" }), true),
    ];
    response.body = { scopes };
    this.sendResponse(response);
  }

  /** Tensors computed so far in a frame's activation, by node name (`name:k` for outputs after the first). */
  private computed(frame: FrameRecord): [string, TensorRecord | undefined][] {
    // (names relative to the frame: the function's own node names)
    const stop = this.stopped;
    if (!stop) return [];
    const end = stop.phase === "after" ? stop.index + 1 : stop.index;
    const out: [string, TensorRecord | undefined][] = [];
    for (const r of this.recording!.records.slice(0, end)) {
      if (r.frame !== frame || !r.outputs) continue;
      const name = localName(frame, r.name);
      r.outputs.forEach((t, k) => out.push([k === 0 ? name : `${name}:${k}`, t]));
    }
    return out;
  }

  private scopeVars(ref: Ref): VarView[] {
    if (ref.kind === "variables") return [...(this.recording?.variables() ?? [])].map(([k, t]) => tensorVar(k, t));
    if (ref.kind === "stats") return statsVars(ref.tensor);
    if (ref.kind === "tensor") return tensorChildren(ref.tensor);
    const f = this.frames[ref.frame] ?? this.buildFrames()[ref.frame];
    if (!f) return [];
    if (ref.kind === "inputs") return (f.node?.inputs ?? []).map((x) => tensorVar(localName(f.node!.frame, x.ref), x.value));
    return this.computed(f.frame).map(([n, t]) => tensorVar(n, t));
  }

  private toDap(v: VarView): DebugProtocol.Variable {
    const ref = v.expand ? this.refs.create({ kind: v.expand.kind, tensor: v.expand.tensor }) : 0;
    return {
      name: v.name,
      value: v.value,
      variablesReference: ref,
      ...(v.indexedVariables ? { indexedVariables: v.indexedVariables } : {}),
      ...(v.namedVariables && ref ? { namedVariables: v.namedVariables } : {}),
    };
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const ref = this.refs.get(args.variablesReference);
    let views: VarView[] = [];
    if (ref?.kind === "tensor") views = tensorChildren(ref.tensor, args.filter, args.start ?? 0, args.count || undefined);
    else if (ref) views = this.scopeVars(ref);
    response.body = { variables: views.map((v) => this.toDap(v)) };
    this.sendResponse(response);
  }

  /** A computed node (`dense_1/BiasAdd`, `dense_1/BiasAdd:0`) or a signature input, as of the current stop. */
  private lookup(expr: string): TensorRecord | undefined {
    const stop = this.stopped;
    const rec = this.recording;
    if (!stop || !rec) return undefined;
    const m = /^(.*?)(?::(\d+))?$/.exec(expr.trim())!;
    const name = m[1]!;
    const k = Number(m[2] ?? 0);
    const end = stop.phase === "after" ? stop.index : stop.index - 1;
    for (let i = end; i >= 0; i--) {
      const r = rec.records[i]!;
      if (namesNode(r.name, name) && r.outputs) return r.outputs[k];
    }
    return k === 0 ? rec.feeds.get(name) : undefined;
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const t = this.lookup(args.expression);
    if (!t) {
      this.sendErrorResponse(response, {
        id: 2,
        format: `'${args.expression.replace(/[{}]/g, "")}' is not a tensor computed so far (a node name, name:k or an input key)`,
        showUser: false,
      });
      return;
    }
    const v = this.toDap(tensorVar(args.expression, t));
    response.body = {
      result: v.value,
      variablesReference: v.variablesReference,
      ...(v.indexedVariables ? { indexedVariables: v.indexedVariables } : {}),
      ...(v.namedVariables ? { namedVariables: v.namedVariables } : {}),
    };
    this.sendResponse(response);
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    const content = this.listings?.text(args.source?.sourceReference ?? args.sourceReference);
    if (content === undefined) {
      this.sendErrorResponse(response, { id: 3, format: "no such listing", showUser: false });
      return;
    }
    response.body = { content, mimeType: "text/plain" };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const s = this.stopped;
    response.body = {
      exceptionId: s?.exceptionId ?? "none",
      description: s?.description ?? "",
      breakMode: s?.exceptionId === "error" ? "always" : "userUnhandled",
    };
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.recording?.dispose();
    this.recording = undefined;
    this.stepper = undefined;
    this.stopped = undefined;
    this.sendResponse(response);
  }
}
