/**
 * Trainer classes: a plain class of a workspace module that keeps the model it is given (`self.model = model` in
 * `__init__`) and checkpoints it in a method (`self.model.fit(..., callbacks=[ModelCheckpoint(...)])`, or
 * `self.model.save(path)`). A file that hands its model to such a class and calls that method saves the model
 * there, to a path whose ending the class fixes (`.../checkpoints/{epoch:02d}.keras`): aertslab/CREsted's
 * `Crested(model=m, ...)` ... `trainer.fit(epochs=10)`, then `load_model(".../checkpoints/03.keras")`.
 */
import { args, dotted, enclosing, field, offsetOf, text, walk, type PyNode } from "./ast.js";
import { extOf, parameterNames, pathValue, workspaceMember, type FileContext, type PathExt } from "./context.js";
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
    const methods = methodsOf(cls);
    const init = methods.get("__init__");
    const params = init ? parameterNames(init).slice(1) : [];
    for (const [attr, param] of keptParameters(init, params))
      for (const [method, def] of methods)
        for (const ending of savedEndings(ctx, def, attr)) out.push([name, param, params.indexOf(param), method, ending]);
  }
  return out;
}

function methodsOf(cls: PyNode): Map<string, PyNode> {
  const out = new Map<string, PyNode>();
  for (const member of field(cls, "body")?.children ?? []) {
    const def = member.type === "decorated_definition" ? field(member, "definition") : member;
    if (def?.type === "function_definition") out.set(text(field(def, "name")!), def);
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

/** The path endings a method saves `self.<attr>` to: its checkpoints when it fits, its path when it saves. */
function savedEndings(ctx: FileContext, def: PyNode, attr: string): string[] {
  const out: string[] = [];
  walk(def, (n) => {
    const fn = n.type === "call" ? field(n, "function") : undefined;
    const method = fn?.type === "attribute" && dotted(field(fn, "object")) === `self.${attr}` ? text(field(fn, "attribute")!) : undefined;
    if (!method || !TRAIN_METHODS.test(method)) return true;
    const paths = method === "save" ? [args(n).positional[0]] : checkpointSaves(ctx, n).map((c) => c.pathNode);
    for (const p of paths) {
      const ending = p && pathValue(ctx, p);
      if (ending !== undefined && extOf(ending) !== "unknown" && !out.includes(ending)) out.push(ending);
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
  const out: TrainerSave[] = [];
  for (const st of ctx.statements)
    walk(st, (n) => {
      if (n.type !== "assignment") return true;
      const left = field(n, "left");
      const right = field(n, "right");
      if (left?.type !== "identifier" || right?.type !== "call") return true;
      const m = workspaceMember(resolve(ctx.bindings, field(right, "function")), defs, ctx.uri);
      for (const [cls, param, index, method, ending] of m?.home.trainers ?? []) {
        if (cls !== m!.name) continue;
        const given = args(right).keywords.get(param) ?? args(right).positional[index];
        if (given?.type !== "identifier") continue;
        for (const call of methodCalls(ctx, text(left), method, n))
          out.push({ model: text(given), ending, ext: extOf(ending), at: offsetOf(call), call, savedBy: `${cls}.${method}` });
      }
      return true;
    });
  return out;
}

/** Calls `<name>.<method>(...)` after `from`, in the same function (or at module level). */
function methodCalls(ctx: FileContext, name: string, method: string, from: PyNode): PyNode[] {
  const scope = enclosing(from, "function_definition");
  const out: PyNode[] = [];
  for (const st of ctx.statements)
    walk(st, (n) => {
      const fn = n.type === "call" ? field(n, "function") : undefined;
      if (fn?.type === "attribute" && dotted(field(fn, "object")) === name && text(field(fn, "attribute")!) === method)
        if (offsetOf(n) > offsetOf(from) && enclosing(n, "function_definition") === scope) out.push(n);
      return true;
    });
  return out;
}

/** Whether a literal load path is a file the ending names: `.../checkpoints/03.keras` for `\u0000/{epoch:02d}.keras`. */
export function endingNames(ending: string, key: string): boolean {
  const tail = ending.startsWith("\u0000") ? ending.slice(1) : undefined;
  // only an ending that fixes the whole file name (placeholders aside) says which file it is
  if (tail === undefined || !tail.startsWith("/") || tail.length < 3) return false;
  // `{epoch:02d}` is a number; another placeholder (`{val_loss:.2f}`, `{name}`) any text of one folder
  const pattern = tail.replace(/\{([^{}]*)\}|[.*+?^$()|[\]\\]/g, (m, inner: string | undefined) =>
    inner === undefined ? `\\${m}` : /^epoch\b|:\d*d$/.test(inner) ? "\\d+" : "[^/]+",
  );
  return new RegExp(`${pattern}$`).test(`/${key}`);
}
