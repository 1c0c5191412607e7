/**
 * Models handed to the file's own functions: `train(model, data)`, `save_results(model, path)`. The flow walk
 * tracks names per scope, so a parameter starts unknown; when a call site passes a tracked model, that
 * parameter is seeded with the model's state (class kept, build status unknown: "maybe") and the function's
 * scope is walked again for the seeded names only. Only what does not depend on the build status can then
 * report (a subclassed model to .h5, a Keras 3 path without .keras).
 */
import { args, field, text, type PyNode } from "./ast.js";
import { parameterNames, topLevelFunction, type FileContext } from "./context.js";
import type { State, VarState } from "./flow-state.js";

/** The parameter of top-level function `fname` that receives `arg` at `call` (by position or keyword). */
export function parameterFor(ctx: FileContext, fname: string, call: PyNode, arg: PyNode): string | undefined {
  const def = topLevelFunction(ctx, fname);
  if (!def) return undefined;
  const kw = arg.parent?.type === "keyword_argument" ? text(field(arg.parent, "name")!) : undefined;
  const names = parameterNames(def);
  if (kw !== undefined) return names.includes(kw) ? kw : undefined;
  const index = args(call).positional.indexOf(arg);
  return index >= 0 ? names[index] : undefined;
}

/** Seeds per function: parameter → the state its callers pass (merged: different classes keep none). */
export class Seeds {
  private readonly byFunction = new Map<string, Map<string, VarState>>();
  private readonly walked = new Map<string, string>();

  add(fname: string, param: string, v: VarState): void {
    const m = this.byFunction.get(fname) ?? new Map<string, VarState>();
    const prev = m.get(param);
    m.set(param, prev && prev.cls !== v.cls ? { ...prev, cls: undefined, status: "maybe" } : { ...v, status: "maybe" });
    this.byFunction.set(fname, m);
  }

  /** The next function whose seeds changed since it was last walked, with its initial state; at most `limit` walks. */
  next(ctx: FileContext, limit: number): { body: readonly PyNode[]; state: State } | undefined {
    if (this.walked.size >= limit) return undefined;
    for (const [fname, m] of this.byFunction) {
      const sig = [...m].map(([p, v]) => `${p}:${v.cls?.name ?? ""}`).join(",");
      if (this.walked.get(fname) === sig) continue;
      this.walked.set(fname, sig);
      const def = topLevelFunction(ctx, fname);
      const body = def ? field(def, "body") : undefined;
      if (body) return { body: body.children, state: new Map(m) };
    }
    return undefined;
  }
}
