/**
 * Display paths of checkpoint variables, for grouping them by scope (tree, editor): a TF2 variable by
 * its name (`conv2d/kernel`); an optimizer slot next to nothing else but its optimizer
 * (`Optimizer/conv2d/kernel/m`, its owner found by checkpoint key); the optimizer's own state
 * (`Optimizer/iter`); Keras metric state by metric (`Metrics/0/count`); anything else by its checkpoint
 * key without the `/.ATTRIBUTES/VARIABLE_VALUE` tail. Names two variables share fall back to their keys,
 * so no two variables get the same path. Pure.
 */
import type { VariableSummary } from "./types.js";

const VALUE_TAIL = /\/\.ATTRIBUTES\/VARIABLE_VALUE$/;
const SLOT = /^(.*)\/\.OPTIMIZER_SLOT\/[^/]+\/([^/]+)$/;

/** Rules tried in order on the checkpoint key without its tail; the first that matches names the path. */
const KEY_RULES: readonly { readonly re: RegExp; readonly path: (m: RegExpExecArray, owner: (key: string) => string) => string }[] = [
  { re: SLOT, path: (m, owner) => `Optimizer/${owner(m[1]!)}/${m[2]}` },
  { re: /^optimizer\/(.+)$/, path: (m) => `Optimizer/${m[1]}` },
  { re: /^keras_api\/metrics\/(.+)$/, path: (m) => `Metrics/${m[1]}` },
];

/** One display path per variable, in the order given; distinct whenever the checkpoint keys are. */
export function variableDisplayPaths(vars: readonly VariableSummary[]): string[] {
  const bare = (v: VariableSummary) => v.checkpointKey.replace(VALUE_TAIL, "");
  const nameOf = (v: VariableSummary) => (v.name ?? "").replace(/:\d+$/, "");
  const nameCount = new Map<string, number>();
  for (const v of vars) if (nameOf(v)) nameCount.set(nameOf(v), (nameCount.get(nameOf(v)) ?? 0) + 1);
  const byKey = new Map(vars.map((v) => [bare(v), v]));
  const plain = (v: VariableSummary): string => {
    const n = nameOf(v);
    return n && nameCount.get(n) === 1 ? n : bare(v);
  };
  const owner = (key: string) => {
    const v = byKey.get(key);
    return v ? plain(v) : key;
  };
  return vars.map((v) => {
    const key = bare(v);
    for (const rule of KEY_RULES) {
      const m = rule.re.exec(key);
      if (m) return rule.path(m, owner);
    }
    return plain(v);
  });
}
