/** A recorded run (debug/launch.ts) as table rows, capped: what the engine worker hands back for a trace. */
import { record, type LaunchArgs } from "../debug/launch.js";
import { traceRows } from "../debug/traceTable.js";
import { MAX_TRACE_ROWS, type TraceResult } from "./engine-protocol.js";

export async function recordTrace(args: LaunchArgs): Promise<TraceResult> {
  const rec = await record(args);
  try {
    const rows = traceRows(rec.records);
    return {
      signature: rec.signature,
      rows: rows.slice(0, MAX_TRACE_ROWS),
      omitted: Math.max(0, rows.length - MAX_TRACE_ROWS),
      ...(rec.error !== undefined ? { error: rec.error } : {}),
    };
  } finally {
    rec.dispose();
  }
}
