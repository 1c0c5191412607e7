/**
 * Trainer classes: a plain class of a workspace module that keeps the model it is given (`self.model = model` in
 * `__init__`) and checkpoints it in a method (`self.model.fit(..., callbacks=[ModelCheckpoint(...)])`, or
 * `self.model.save(path)`). A file that hands its model to such a class and calls that method saves the model
 * there, to a path whose ending the class fixes (`.../checkpoints/{epoch:02d}.keras`): aertslab/CREsted's
 * `Crested(model=m, ...)` ... `trainer.fit(epochs=10)`, then `load_model(".../checkpoints/03.keras")`.
 */
import { args, dotted, enclosing, field, offsetOf, text, walk, type PyNode } from "./ast.js";
import { extOf, parameterNames, pathValue, workspaceMember, type FileContext, type PathExt } from "./context.js";
import { classMethods } from "./facts.js";
import { resolve } from "./imports.js";
import { checkpointSaves } from "./k3-paths.js";
import type { WorkspaceDefs } from "./workspace-needs.js";

/** [class, `__init__` parameter, its position (after self), method that saves, path ending (pathValue form)]. */
export type TrainerFact = readonly [string, string, number, string, string];

const TRAIN_METHODS = /^(fit|fit_generator|save)$/;
/** A class body that could be a trainer: it keeps an attribute and fits or saves it. */
const KEEPS_AND_SAVES = /self\.\w+\.(?:fit|fit_generator|save)\(/;

/** The file's trainer classes (see the module comment), one fact per saving method and path. */
export function trainerFacts(ctx: FileContext): TrainerFact[] {
  if (!ctx.source.includes("self.")) return [];
  const out: TrainerFact[] = [];
  for (const st of ctx.statements) {
    const cls = st.type === "decorated_definition" ? field(st, "definition") : st;
    const name = cls?.type === "class_definition" ? text(field(cls, "name")!) : undefined;
    if (!cls || !name || ctx.classes.has(name) || !KEEPS_AND_SAVES.test(text(cls))) continue;
    const methods = classMethods(cls);
    const init = methods.get("__init__");
    const params = init ? parameterNames(init).slice(1) : [];
    const kept = keptParameters(init, params);
    for (const [method, def] of kept.size > 0 ? methods : [])
      for (const [attr, ending] of savedEndings(ctx, def, kept))
        out.push([name, kept.get(attr)!, params.indexOf(kept.get(attr)!), method, ending]);
  }
  return out;
}

/** `self.model = model` in `__init__`: attribute → the parameter it keeps. */
function keptParameters(init: PyNode | undefined, params: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!init) return out;
  walk(init, (n) => {
    if (n.type !== "assignment") return true;
    const left = dotted(field(n, "left"));
    const right = field(n, "right");
    if (left?.startsWith("self.") && right?.type === "identifier" && params.includes(text(right))) out.set(left.slice(5), text(right));
    return true;
  });
  return out;
}

/** [kept attribute, path ending] of each save of `self.<attr>` in a method: its checkpoints when it fits, its path when it saves. */
function savedEndings(ctx: FileContext, def: PyNode, kept: ReadonlyMap<string, string>): [string, string][] {
  const out: [string, string][] = [];
  walk(def, (n) => {
    const fn = n.type === "call" ? field(n, "function") : undefined;
    const owner = fn?.type === "attribute" ? dotted(field(fn, "object")) : undefined;
    const attr = owner?.startsWith("self.") ? owner.slice(5) : undefined;
    const method = attr !== undefined && kept.has(attr) ? text(field(fn!, "attribute")!) : undefined;
    if (!method || !TRAIN_METHODS.test(method)) return true;
    const paths = method === "save" ? [args(n).positional[0]] : checkpointSaves(ctx, n).map((c) => c.pathNode);
    for (const p of paths) {
      const ending = p && pathValue(ctx, p);
      if (ending !== undefined && extOf(ending) !== "unknown" && !out.some(([a, e]) => a === attr && e === ending))
        out.push([attr!, ending]);
    }
    return true;
  });
  return out;
}

/** A save of this file made by a workspace trainer class: the model handed to it, where its method writes. */
export interface TrainerSave {
  readonly model: string;
  /** The path's ending (pathValue form: "\u0000" + the known tail). */
  readonly ending: string;
  readonly ext: PathExt;
  /** The call of the saving method: what the file hands to Keras before it belongs to the model. */
  readonly at: number;
  readonly call: PyNode;
  /** `Crested.fit`: the class and method that save it. */
  readonly savedBy: string;
}

/** `t = Trainer(model=m, ...)` ... `t.fit(...)` where Trainer is a workspace trainer class (trainerFacts). */
export function trainerSaves(ctx: FileContext, defs: readonly WorkspaceDefs[]): TrainerSave[] {
  if (!defs.some((d) => d.trainers)) return [];
  // one walk: the assignments of calls, and every `<name>.<method>(...)` call by "name.method"
  const made: PyNode[] = [];
  const calls = new Map<string, PyNode[]>();
  for (const st of ctx.statements)
    walk(st, (n) => {
      if (n.type === "assignment" && field(n, "left")?.type === "identifier" && field(n, "right")?.type === "call") made.push(n);
      const fn = n.type === "call" ? field(n, "function") : undefined;
      const owner = fn?.type === "attribute" ? field(fn, "object") : undefined;
      if (owner?.type === "identifier") {
        const key = `${text(owner)}.${text(field(fn!, "attribute")!)}`;
        calls.set(key, [...(calls.get(key) ?? []), n]);
      }
      return true;
    });
  const out: TrainerSave[] = [];
  for (const n of made) {
    const left = field(n, "left")!;
    const right = field(n, "right")!;
    const m = workspaceMember(resolve(ctx.bindings, field(right, "function")), defs, ctx.uri);
    for (const [cls, param, index, method, ending] of m?.home.trainers ?? []) {
      if (cls !== m!.name) continue;
      const given = args(right).keywords.get(param) ?? args(right).positional[index];
      if (given?.type !== "identifier") continue;
      // the method called on that instance later in the same function (or at module level)
      const scope = enclosing(n, "function_definition");
      for (const call of calls.get(`${text(left)}.${method}`) ?? [])
        if (offsetOf(call) > offsetOf(n) && enclosing(call, "function_definition") === scope)
          out.push({ model: text(given), ending, ext: extOf(ending), at: offsetOf(call), call, savedBy: `${cls}.${method}` });
    }
  }
  return out;
}

/** Longest file-name component, and most placeholders in one, that endingNames matches (bounded regex work). */
const MAX_COMPONENT = 128;
const MAX_PLACEHOLDERS = 3;

/**
 * Whether a literal load path is a file the ending names: `.../checkpoints/03.keras` for `\u0000/{epoch:02d}.keras`.
 * Compared folder by folder from the end; a placeholder never spans a "/".
 */
export function endingNames(ending: string, key: string): boolean {
  const tail = ending.startsWith("\u0000") ? ending.slice(1) : undefined;
  // only an ending that fixes the whole file name (placeholders aside) says which file it is
  if (tail === undefined || !tail.startsWith("/") || tail.length < 3) return false;
  const want = tail.slice(1).split("/");
  const have = key.split("/").slice(-want.length);
  return have.length === want.length && want.every((w, i) => componentNames(w, have[i]!));
}

function componentNames(pattern: string, name: string): boolean {
  const holes = pattern.match(/\{[^{}]*\}/g) ?? [];
  if (holes.length === 0) return pattern === name;
  if (holes.length > MAX_PLACEHOLDERS || name.length > MAX_COMPONENT) return false;
  // `{epoch:02d}` is a number; another placeholder (`{val_loss:.2f}`, `{name}`) any text
  const source = pattern.replace(/\{([^{}]*)\}|[.*+?^$()|[\]\\{}]/g, (m, inner: string | undefined) =>
    inner === undefined ? `\\${m}` : /^epoch\b|:\d*d$/.test(inner) ? "\\d+" : ".+",
  );
  return new RegExp(`^${source}$`).test(name);
}
