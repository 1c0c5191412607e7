/**
 * A recorded run as a table (PURE): one row per executed node with its function, output dtype/shape,
 * statistics, non-finite counts and time — `savedmodel trace` writes it as CSV or JSON.
 */
import { dtypeShortName } from "../core/dtype.js";
import type { NodeRecord } from "./trace.js";

export interface TraceRow {
  readonly index: number;
  readonly node: string;
  readonly op: string;
  /** Function the node ran in ("" for the signature's graph). */
  readonly function: string;
  /** While loops: the iteration of the body / cond call. */
  readonly iteration: number | null;
  /** Of each output: "float32[2, 10]" (or "resource"); min / max / mean are the first output's. */
  readonly outputs: string;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly nan: number;
  readonly inf: number;
  readonly ms: number | null;
  readonly error: string | null;
}

export const TRACE_COLUMNS: readonly (keyof TraceRow)[] = [
  "index",
  "node",
  "op",
  "function",
  "iteration",
  "outputs",
  "min",
  "max",
  "mean",
  "nan",
  "inf",
  "ms",
  "error",
];

const finite = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

export function traceRows(records: readonly NodeRecord[]): TraceRow[] {
  return records.map((r) => {
    const outs = r.outputs ?? [];
    const first = outs[0]?.stats;
    return {
      index: r.index,
      node: r.name,
      op: r.op,
      function: r.frame.fn,
      iteration: r.frame.iteration ?? null,
      outputs: outs.map((o) => (o ? `${dtypeShortName(o.dtype)}[${o.shape.join(", ")}]` : "resource")).join(" "),
      min: finite(first?.min),
      max: finite(first?.max),
      mean: finite(first?.mean),
      nan: outs.reduce((a, o) => a + (o?.stats?.nanCount ?? 0), 0),
      inf: outs.reduce((a, o) => a + (o?.stats?.infCount ?? 0), 0),
      ms: r.ms === undefined ? null : Math.round(r.ms * 1000) / 1000,
      error: r.error ?? null,
    };
  });
}

/** Names come from the model: a cell a spreadsheet would read as a formula gets a leading quote. */
function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row. */
export function traceCsv(rows: readonly TraceRow[]): string {
  const lines = [TRACE_COLUMNS.join(","), ...rows.map((r) => TRACE_COLUMNS.map((c) => csvField(r[c])).join(","))];
  return lines.join("\n") + "\n";
}
