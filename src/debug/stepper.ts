/**
 * Where a debug session stops next, on a recorded run (PURE). Positions are "before node i runs"
 * (breakpoints, steps, entry) or "after node i ran" (exceptions). `next` stops at the next node of the
 * same function activation (or of a caller, once it returned), `stepIn` at the very next node,
 * `stepOut` at the next node of a caller; every mode stops at breakpoints and exceptions on the way.
 */
import { hits, type Breakpoint } from "./breakpoints.js";
import { within, type FrameRecord, type NodeRecord } from "./trace.js";

export type Phase = "before" | "after";
export type ResumeMode = "continue" | "next" | "stepIn" | "stepOut";
export type ExceptionFilter = "nonfinite" | "error";

export interface Stop {
  readonly reason: "entry" | "breakpoint" | "step" | "exception";
  readonly index: number;
  readonly phase: Phase;
  readonly description?: string;
  readonly exceptionId?: ExceptionFilter;
  readonly breakpointIds?: readonly number[];
}

export type Outcome = Stop | { readonly reason: "end" };

/**
 * Step targets. Inlined calls' nodes interleave with their callers' in topological order, so a
 * caller's node counts as "after the call returned" only once its frame has no nodes left (`done`).
 */
const STEP_TARGET: Readonly<Record<Exclude<ResumeMode, "continue">, (from: NodeRecord, to: NodeRecord, done: boolean) => boolean>> = {
  next: (from, to, done) => to.frame === from.frame || (done && within(from.frame, to.frame)),
  stepIn: () => true,
  stepOut: (from, to, done) => done && to.frame !== from.frame && within(from.frame, to.frame),
};

function counts(r: NodeRecord): { nan: number; inf: number } {
  let nan = 0;
  let inf = 0;
  for (const o of r.outputs ?? []) {
    nan += o?.stats?.nanCount ?? 0;
    inf += o?.stats?.infCount ?? 0;
  }
  return { nan, inf };
}

const hasNonfinite = (r: NodeRecord) => (r.outputs ?? []).some((o) => (o?.nonfinite ?? 0) > 0);

export class Stepper {
  private readonly firstNonfinite: number;
  private readonly entries = new Set<number>();
  /** Frame id -> index of the last node run in it or in a function it called. */
  private readonly last = new Map<number, number>();

  constructor(
    readonly records: readonly NodeRecord[],
    public breakpoints: readonly Breakpoint[] = [],
    public filters: ReadonlySet<ExceptionFilter> = new Set(["error"]),
  ) {
    this.firstNonfinite = records.findIndex(hasNonfinite);
    const seen = new Set<number>();
    for (const r of records) {
      if (seen.has(r.frame.id)) continue;
      seen.add(r.frame.id);
      this.entries.add(r.index);
    }
    for (const r of records) for (let f: FrameRecord | undefined = r.frame; f; f = f.parent) this.last.set(f.id, r.index);
  }

  /** The first stop of a session. */
  start(stopOnEntry: boolean): Outcome {
    if (this.records.length === 0) return { reason: "end" };
    if (stopOnEntry) return { reason: "entry", index: 0, phase: "before" };
    return this.breakpointAt(0) ?? this.resume({ index: 0, phase: "before" }, "continue");
  }

  resume(from: { index: number; phase: Phase }, mode: ResumeMode): Outcome {
    const origin = this.records[from.index];
    if (!origin) return { reason: "end" };
    for (let i = from.index; i < this.records.length; i++) {
      if (i !== from.index || from.phase === "before") {
        const ex = this.exceptionAt(i);
        if (ex) return ex;
      }
      const next = this.records[i + 1];
      if (!next) break;
      const bp = this.breakpointAt(i + 1);
      if (bp) return bp;
      const done = next.index > (this.last.get(origin.frame.id) ?? -1);
      if (mode !== "continue" && STEP_TARGET[mode](origin, next, done)) return { reason: "step", index: i + 1, phase: "before" };
    }
    return { reason: "end" };
  }

  private breakpointAt(i: number): Stop | undefined {
    const r = this.records[i]!;
    const hit = hits(this.breakpoints, r, this.entries.has(i));
    if (hit.length === 0) return undefined;
    return { reason: "breakpoint", index: i, phase: "before", breakpointIds: hit.map((b) => b.id), description: `${r.name} (${r.op})` };
  }

  /** Exceptions after node i ran: it failed, or it is the first (or a fresh) source of NaN / Inf. */
  private exceptionAt(i: number): Stop | undefined {
    const r = this.records[i]!;
    if (r.error !== undefined) {
      return this.filters.has("error")
        ? {
            reason: "exception",
            index: i,
            phase: "after",
            exceptionId: "error",
            // Named like the other stops; TensorFlow-style messages name the node inside ({{node …}}).
            description: r.error.startsWith(r.name) ? r.error : `${r.name} (${r.op}): ${r.error}`,
          }
        : undefined;
    }
    if (!this.filters.has("nonfinite") || !hasNonfinite(r)) return undefined;
    const fresh = i === this.firstNonfinite || !r.inputs.some((x) => (x.value?.nonfinite ?? 0) > 0);
    if (!fresh) return undefined;
    const { nan, inf } = counts(r);
    return {
      reason: "exception",
      index: i,
      phase: "after",
      exceptionId: "nonfinite",
      description: `${r.name} (${r.op}) produced ${nan} NaN and ${inf} Inf`,
    };
  }
}
