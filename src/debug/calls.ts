/**
 * Which plan node names are inlined function calls (PURE). The planner (runtime/plan.ts) inlines every
 * (Stateful)PartitionedCall and function-named op, naming the callee's nodes `<call>/<inner>`;
 * control-flow bodies are planned under `__fn__<function>`. Walking the GraphDef the same way gives
 * the debugger its function frames without a heuristic on names.
 */
import type { tensorflow } from "../core/proto/index.js";
import { MAX_FUNCTION_DEPTH } from "../runtime/index.js";
import type { InlineCalls } from "./trace.js";

const CALL_OPS = new Set(["PartitionedCall", "StatefulPartitionedCall"]);
/** Guard against a hostile library whose calls fan out exponentially. */
const MAX_CALLS = 1_000_000;

export function inlineCalls(graph: tensorflow.GraphDef.$Properties): InlineCalls {
  const lib = new Map<string, tensorflow.FunctionDef.$Properties>();
  for (const f of graph.library?.function ?? []) if (f.signature?.name) lib.set(f.signature.name, f);
  const out = new Map<string, { op: string; fn: string }>();
  const walk = (nodes: readonly tensorflow.NodeDef.$Properties[], prefix: string, depth: number): void => {
    for (const n of nodes) {
      const op = n.op ?? "";
      const callee = CALL_OPS.has(op) ? (n.attr?.["f"]?.func?.name ?? undefined) : lib.has(op) ? op : undefined;
      const body = callee ? lib.get(callee) : undefined;
      if (!callee || !body || depth >= MAX_FUNCTION_DEPTH || out.size >= MAX_CALLS) continue;
      const name = prefix ? `${prefix}/${n.name ?? ""}` : (n.name ?? "");
      out.set(name, { op, fn: callee });
      walk(body.node_def ?? [], name, depth + 1);
    }
  };
  walk(graph.node ?? [], "", 0);
  for (const [name, f] of lib) walk(f.node_def ?? [], `__fn__${name}`, 1);
  return out;
}
