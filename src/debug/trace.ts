/**
 * Recording a run for the debugger: every node the engine executes (function bodies included), with
 * its frame (inlined calls and control-flow calls), inputs, outputs and statistics. PURE: fed from
 * the engine's per-node events (RunOptions.onNode); the debug session replays the recording, so
 * stepping, conditions and evaluate never re-run the model and results equal the normal run.
 */
import { LimitError } from "../core/errors.js";
import { isStringData, type HostTensor, type TensorData } from "../core/tensor.js";
import { tensorStats, type TensorStats } from "../core/tensor-format.js";
import type { NodeEvent } from "../runtime/index.js";

/** A recorded tensor: always its statistics; its elements while the recording budget allows. */
export interface TensorRecord {
  readonly dtype: number;
  readonly shape: readonly number[];
  readonly stats: TensorStats | undefined;
  /** NaN + ±Inf elements. */
  readonly nonfinite: number;
  /** Absent when the tensor was over the recording budget. */
  readonly data?: TensorData;
}

/** One activation of a function: the graph itself, an inlined call or a control-flow body. */
export interface FrameRecord {
  readonly id: number;
  /** Function name ("" for the signature's graph). */
  readonly fn: string;
  /** The node that called it and its op ("" for the graph). */
  readonly via: string;
  readonly viaOp: string;
  /** While loops: the iteration this cond/body call belongs to. */
  readonly iteration?: number;
  readonly parent?: FrameRecord;
  /** What its nodes' names start with (`<call>` for inlined calls, `__fn__<fn>` for bodies). */
  readonly prefix: string;
  /** Index of the calling node's record for control-flow calls. */
  readonly viaIndex?: number;
}

export interface NodeRecord {
  readonly index: number;
  readonly name: string;
  readonly op: string;
  readonly frame: FrameRecord;
  readonly inputs: readonly { readonly ref: string; readonly value: TensorRecord | undefined }[];
  /** Undefined entries: resources, lists and other non-tensor values. */
  outputs?: (TensorRecord | undefined)[];
  /** Set on the node that failed (the last one recorded). */
  error?: string;
  /** Wall time of the node, ms (function bodies it runs included, copying its own inputs/outputs not). */
  ms?: number;
}

/** A call node inlined by the planner: its final name -> original op and callee. */
export type InlineCalls = ReadonlyMap<string, { readonly op: string; readonly fn: string }>;

/** Nodes one recording holds at most (a loop running millions of nodes is stopped with a LimitError). */
export const MAX_RECORDS = 1_000_000;

/** Default budget of recorded element data (statistics are always kept). */
export const DEFAULT_RECORD_BYTES = 256 * 1024 * 1024;

const WHILE_OPS = new Set(["While", "StatelessWhile"]);

function byteSize(d: TensorData): number {
  return isStringData(d) ? d.reduce((a, b) => a + b.length + 16, 0) : d.byteLength;
}

/** Builds the record list from engine events. */
export class Recorder {
  readonly records: NodeRecord[] = [];
  private bytes = 0;
  private nextFrame = 1;
  readonly root: FrameRecord;
  /** Control-flow frames (innermost last), each with the prefix its nodes are named under. */
  private readonly runtime: { frame: FrameRecord; computed: Map<string, (TensorRecord | undefined)[]> }[];
  private readonly running: { rec: NodeRecord; t0: number }[] = [];
  private readonly inlineFrames = new Map<string, FrameRecord>();
  private readonly callCounts = new Map<number, number>();

  constructor(
    private readonly calls: InlineCalls,
    private readonly budget = DEFAULT_RECORD_BYTES,
  ) {
    this.root = { id: 0, fn: "", via: "", viaOp: "", prefix: "" };
    this.runtime = [{ frame: this.root, computed: new Map() }];
  }

  /** The engine observer (RunOptions.onNode). */
  readonly observe = (e: NodeEvent): void => {
    if (e.kind === "before") this.before(e);
    else if (e.kind === "after") this.after(e);
    else if (e.kind === "call") this.call(e.fn);
    else this.runtime.pop();
  };

  tensor(h: HostTensor | undefined): TensorRecord | undefined {
    if (!h) return undefined;
    const stats = tensorStats(h);
    const size = byteSize(h.data);
    const keep = this.bytes + size <= this.budget;
    if (keep) this.bytes += size;
    const base = { dtype: h.dtype, shape: h.shape, stats, nonfinite: stats ? stats.nanCount + stats.infCount : 0 };
    return keep ? { ...base, data: h.data } : base;
  }

  private get top() {
    return this.runtime[this.runtime.length - 1]!;
  }

  private before(e: Extract<NodeEvent, { kind: "before" }>): void {
    if (this.records.length >= MAX_RECORDS)
      throw new LimitError(undefined, `the run executes more than ${MAX_RECORDS} nodes: too many to record for debugging`);
    const top = this.top;
    const inputs = e.node.inputs.map((r, i) => {
      const known = top.computed.get(r.node)?.[r.index];
      return { ref: `${r.node}:${r.index}`, value: known ?? this.tensor(e.input(i)) };
    });
    const rec: NodeRecord = { index: this.records.length, name: e.node.name, op: e.node.op, frame: this.frameOf(e.node.name), inputs };
    this.records.push(rec);
    this.running.push({ rec, t0: performance.now() });
  }

  private after(e: Extract<NodeEvent, { kind: "after" }>): void {
    const run = this.running.pop();
    if (!run) return;
    const rec = run.rec;
    rec.ms = performance.now() - run.t0;
    rec.outputs = Array.from({ length: e.outputs }, (_, i) => this.tensor(e.output(i)));
    this.top.computed.set(rec.name, rec.outputs);
  }

  private call(fn: string): void {
    const via = this.running[this.running.length - 1]?.rec;
    const parent = via?.frame ?? this.top.frame;
    let iteration: number | undefined;
    if (via && WHILE_OPS.has(via.op)) {
      const k = this.callCounts.get(via.index) ?? 0;
      this.callCounts.set(via.index, k + 1);
      iteration = Math.floor(k / 2); // cond, body, cond, body, ..., cond
    }
    const frame: FrameRecord = {
      id: this.nextFrame++,
      fn,
      via: via?.name ?? "",
      viaOp: via?.op ?? "",
      prefix: `__fn__${fn}`,
      parent,
      ...(via ? { viaIndex: via.index } : {}),
      ...(iteration !== undefined ? { iteration } : {}),
    };
    this.runtime.push({ frame, computed: new Map() });
  }

  /** The innermost frame of a node: its control-flow frame, then the inlined calls its name passes. */
  private frameOf(name: string): FrameRecord {
    const top = this.top;
    let frame = top.frame;
    const parts = name.split("/");
    let prefix = "";
    for (let k = 0; k < parts.length - 1; k++) {
      prefix = prefix ? `${prefix}/${parts[k]}` : parts[k]!;
      const call = this.calls.get(prefix);
      if (!call) continue;
      const key = `${top.frame.id}\u0000${prefix}`;
      let f = this.inlineFrames.get(key);
      if (!f) {
        f = { id: this.nextFrame++, fn: call.fn, via: prefix, viaOp: call.op, prefix, parent: frame };
        this.inlineFrames.set(key, f);
      }
      frame = f;
    }
    return frame;
  }
}

/** Frames from the innermost outwards. */
export function frameChain(f: FrameRecord): FrameRecord[] {
  const out: FrameRecord[] = [];
  for (let c: FrameRecord | undefined = f; c; c = c.parent) out.push(c);
  return out;
}

/** True when `outer` is `f` or one of its callers. */
export function within(f: FrameRecord, outer: FrameRecord): boolean {
  for (let c: FrameRecord | undefined = f; c; c = c.parent) if (c === outer) return true;
  return false;
}

/** A name relative to the frame it is in (`sequential/dense/MatMul` inside the call that inlined it). */
export function localName(frame: FrameRecord, name: string): string {
  return frame.prefix && name.startsWith(frame.prefix + "/") ? name.slice(frame.prefix.length + 1) : name;
}

/** A breakpoint or expression naming a node: its full name or a trailing part of it at a `/`. */
export function namesNode(full: string, wanted: string): boolean {
  return full === wanted || (full.endsWith(wanted) && full[full.length - wanted.length - 1] === "/");
}
