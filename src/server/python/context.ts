/**
 * Facts about one file shared by all rules, and the finding type the rules produce.
 */
import type { Diagnostic, DiagnosticRelatedInformation, TextEdit } from "vscode-languageserver";
import {
  args,
  dotted,
  enclosing,
  field,
  hasSplat,
  offsetOf,
  pathTail,
  stringValue,
  text,
  walk,
  walkStatements,
  type PyNode,
  range,
  type Rng,
} from "./ast.js";
import { collectClasses, customObjectAssignments, type CustomClass } from "./classes.js";
import { SOURCE, type Code, type SeverityValue } from "./codes.js";
import { classMethods, memo } from "./facts.js";
import { addStarBindings, collectBindings, resolve, starImports, type Bindings } from "./imports.js";
import type { KerasVersion } from "./version.js";
import type { WorkspaceDefs } from "./workspace-needs.js";

export interface Fix {
  readonly title: string;
  readonly edits: TextEdit[];
  readonly preferred?: boolean;
}

export interface Finding {
  readonly diagnostic: Diagnostic;
  readonly fixes: Fix[];
}

/** What is known about a SavedModel directory on disk. */
export interface DiskModel {
  /** Directory or file (absolute, as resolved). */
  readonly dir: string;
  /** A SavedModel directory, or a Keras model file (core/savedmodel/keras-file.ts). */
  readonly format: "savedmodel" | "keras" | "h5";
  /** Keras metadata present. */
  readonly keras: boolean;
  /**
   * Saved class names as Keras wrote them: `Name` or `Package>Name` (a SavedModel's Keras layers; a model
   * file's custom objects, functions included).
   */
  readonly savedNames: readonly string[];
  /** A model file's custom objects that only its compile config names (loss, metrics). */
  readonly compileNames?: readonly string[];
  /** Signature keys (serving endpoints). */
  readonly signatures: readonly string[];
}

export type DiskLookupResult =
  { readonly state: "ready"; readonly model: DiskModel } | { readonly state: "pending" } | { readonly state: "none" };

/** Resolves a `load_model` path literal; must not block (pending results trigger a later re-analysis). */
export type DiskLookup = (pathLiteral: string) => DiskLookupResult;

export interface FileContext {
  readonly uri: string;
  readonly source: string;
  readonly statements: readonly PyNode[];
  readonly bindings: Bindings;
  readonly classes: Map<string, CustomClass>;
  readonly customObjectKeys: Map<string, { key: string; node: PyNode }>;
  /**
   * Module-level `NAME = "literal"` never assigned anything else (a notebook may repeat the same assignment), and
   * class-level ones of top-level classes as `Class.NAME` (`class Config: MODEL_PATH = "..."`).
   */
  readonly constants: Map<string, string>;
  /** Top-level function names (custom losses/metrics/activations). */
  readonly functions: Set<string>;
  /** Names bound once (module level or the `__main__` guard) to `Class(...)`: name → the class as written. */
  readonly instances: ReadonlyMap<string, string>;
  readonly version: KerasVersion;
  /** File stem, used as the default registration package. */
  readonly stem: string;
  /**
   * A string constant of a workspace module this file imports (`config.MODEL_PATH`, `from config import MODEL_PATH`),
   * or a class attribute read through a module-level instance (`cfg = Config()` ... `cfg.MODEL_PATH`).
   */
  readonly importedConstant: (n: PyNode) => string | undefined;
}

/** One view per class of a workspace module: the same object while that class is unchanged (caches compare identity). */
const views = new WeakMap<CustomClass, CustomClass>();

/**
 * The workspace class a name or dotted name of this file refers to (`from models.unet import UNet`,
 * `resnet.ResNet`), when the module that defines it is a workspace file we have analysed: a view of it
 * whose bases are looked up in that module (`home`).
 */
export function importedClass(b: Bindings, n: PyNode, defs: readonly WorkspaceDefs[]): CustomClass | undefined {
  if (defs.length === 0 || (n.type !== "identifier" && n.type !== "attribute")) return undefined;
  return workspaceClass(resolve(b, n), defs);
}

/** The workspace class of a dotted import (`models.unet.UNet`), as importedClass. */
export function workspaceClass(from: string | undefined, defs: readonly WorkspaceDefs[]): CustomClass | undefined {
  const m = workspaceMember(from, defs);
  const home = m?.home.classes;
  const cls = home?.get(m!.name);
  if (!cls || !home) return undefined;
  let view = views.get(cls);
  if (!view) views.set(cls, (view = { ...cls, home }));
  return view;
}

/** A finding without related locations: the diagnostic and its fixes. */
export function finding(ctx: FileContext, code: Code, severity: SeverityValue, at: PyNode, message: string, fixes: Fix[] = []): Finding {
  return { diagnostic: diag(ctx, code, severity, at, message), fixes };
}

/**
 * A save in an `except` clause whose `try` body saves the same object: a fallback that runs only when the
 * first save failed (`try: model.save("m.h5", save_format="h5") except: model.save_weights("m.h5")`).
 */
export function isFallbackSave(call: PyNode): boolean {
  const receiver = (c: PyNode): string | undefined => {
    const fn = field(c, "function");
    return fn?.type === "attribute" && /^(save|save_weights|export)$/.test(text(field(fn, "attribute")!))
      ? text(field(fn, "object")!)
      : undefined;
  };
  const mine = receiver(call);
  if (mine === undefined) return false;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type !== "except_clause" || p.parent?.type !== "try_statement") continue;
    let found = false;
    walk(field(p.parent, "body") ?? p.parent, (n) => {
      if (n.type === "call" && receiver(n) === mine) found = true;
      return !found;
    });
    if (found) return true;
  }
  return false;
}

/** Whether `defs` is the file of dotted module `mod` (`a.b` → …/a/b.py or …/a/b/__init__.py). */
export function isModule(defs: { readonly uri: string }, mod: string): boolean {
  const p = mod.replace(/^\.+/, "").replace(/\./g, "/");
  return p.length > 0 && (defs.uri.endsWith(`/${p}.py`) || defs.uri.endsWith(`/${p}/__init__.py`));
}

/** Other libraries Keras code imports, whose names a workspace's own subpackages often reuse (`models/keras/`). */
const LIBRARY_ROOTS = new Set(["tensorflow_hub", "numpy", "torch", "jax", "sklearn"]);

/** Whether a dotted module is Keras' own (KERAS_MODULE) or one of those libraries: never a workspace module. */
export const isLibraryModule = (mod: string): boolean => KERAS_MODULE.test(mod) || LIBRARY_ROOTS.has(mod.split(".")[0]!);

/** moduleOf answers per workspace snapshot (the defs array one analysis receives): a workspace holds thousands. */
const moduleCache = new WeakMap<readonly WorkspaceDefs[], Map<string, readonly WorkspaceDefs[]>>();

/**
 * The workspace file that is dotted module `mod` (isModule); of several (`2D/model.py`, `3D/model.py`), the one
 * sharing the most folders with the importing file `near`, else the first.
 */
export function moduleOf(defs: readonly WorkspaceDefs[], mod: string, near?: string): WorkspaceDefs | undefined {
  // `import keras` is the library, not the workspace's `tornet/models/keras/__init__.py`
  if (isLibraryModule(mod)) return undefined;
  let cache = moduleCache.get(defs);
  if (!cache) moduleCache.set(defs, (cache = new Map()));
  let found = cache.get(mod);
  if (!found) cache.set(mod, (found = defs.filter((d) => isModule(d, mod))));
  if (found.length < 2 || near === undefined) return found[0];
  const shared = (uri: string): number => {
    let i = 0;
    while (i < uri.length && uri[i] === near[i]) i++;
    return uri.lastIndexOf("/", i);
  };
  return found.reduce((best, d) => (shared(d.uri) > shared(best.uri) ? d : best));
}

/** `utils.config.Config.MODEL_PATH`: the class attribute constant `Config.MODEL_PATH` of module utils.config. */
function classConstant(
  from: string,
  mod: string,
  defs: readonly WorkspaceDefs[],
  near: string | undefined,
): { home: WorkspaceDefs; name: string } | undefined {
  const owner = mod.lastIndexOf(".");
  if (owner < 0) return undefined;
  const home = moduleOf(defs, mod.slice(0, owner), near);
  const name = from.slice(owner + 1);
  return home?.constants?.some(([n]) => n === name) ? { home, name } : undefined;
}

/** workspaceMember answers per workspace snapshot (the defs array one analysis receives). */
const memberCache = new WeakMap<readonly WorkspaceDefs[], Map<string, { home: WorkspaceDefs; name: string } | undefined>>();

/**
 * The workspace module and the name in it that a dotted import refers to (`config.MODEL_PATH`); `near` is the
 * importing file, which decides between modules of the same dotted name (moduleOf).
 */
export function workspaceMember(
  from: string | undefined,
  defs: readonly WorkspaceDefs[],
  near?: string,
): { home: WorkspaceDefs; name: string } | undefined {
  if (!from) return undefined;
  let cache = memberCache.get(defs);
  if (!cache) memberCache.set(defs, (cache = new Map()));
  const key = near === undefined ? from : `${from}\u0000${near}`;
  if (!cache.has(key)) cache.set(key, memberOf(from, defs, 0, near));
  return cache.get(key);
}

/** Whether this file defines (class, function) or imports a name: loading code here can reach it. */
export function knownHere(ctx: FileContext, name: string): boolean {
  return ctx.classes.has(name) || ctx.functions.has(name) || ctx.bindings.names.has(name);
}

/** Keras' and TensorFlow's own modules: never a workspace module. */
export const KERAS_MODULE = /^(tensorflow|keras|tf_keras|keras_core)(\.|$)/;

/** Star imports of one module followed when looking a name up (three levels deep: bounded work per lookup). */
const MAX_STARS = 16;

function memberOf(
  from: string | undefined,
  defs: readonly WorkspaceDefs[],
  depth: number,
  near: string | undefined,
): { home: WorkspaceDefs; name: string } | undefined {
  if (!from || KERAS_MODULE.test(from)) return undefined;
  const cut = from.lastIndexOf(".");
  if (cut < 0) return undefined;
  const mod = from.slice(0, cut);
  const home = moduleOf(defs, mod, near);
  if (!home) return classConstant(from, mod, defs, near);
  const name = from.slice(cut + 1);
  // `from .msa_seqlevel import MSASeqLevelModel` in models/__init__.py: follow the re-export
  const defined = home.objects.some(([n]) => n === name) || home.constants?.some(([n]) => n === name);
  const again = defined || depth >= 3 ? undefined : home.reexports?.find(([n]) => n === name)?.[1];
  if (again) return memberOf(again, defs, depth + 1, home.uri) ?? { home, name };
  // `from ._layers import *` in utils/__init__.py: the star-imported module that defines it
  for (const star of defined || depth >= 3 ? [] : (home.stars ?? []).slice(0, MAX_STARS)) {
    const found = memberOf(`${star}.${name}`, defs, depth + 1, home.uri);
    if (found?.home.objects.some(([n]) => n === found.name)) return found;
  }
  return { home, name };
}

export function buildContext(
  uri: string,
  source: string,
  statements: readonly PyNode[],
  version: (b: Bindings) => KerasVersion,
  workspace: readonly WorkspaceDefs[] = [],
): FileContext {
  const bindings = collectBindings(statements);
  addStarBindings(
    bindings,
    starImports(source).map((m) => moduleOf(workspace, m, uri)?.aliases ?? []),
  );
  const classes = collectClasses(statements, bindings, (n) => importedClass(bindings, n, workspace));
  const constants = new Map<string, string>();
  const seen = new Set<string>();
  const functions = new Set<string>();
  const instances = moduleInstances(statements);
  for (const s of statements) {
    const def = s.type === "decorated_definition" ? field(s, "definition") : s;
    if (def?.type === "function_definition") {
      const nm = field(def, "name");
      if (nm) functions.add(text(nm));
    }
    if (def?.type === "class_definition") classAttributes(def, source, constants);
    if (s.type !== "expression_statement") continue;
    const a = s.children[0];
    if (a?.type !== "assignment") continue;
    const left = field(a, "left");
    if (left?.type !== "identifier") continue;
    const name = text(left);
    const v = stringValue(field(a, "right"));
    // a notebook re-running `path = "out/x"` in a later cell keeps the constant; any other value ends it
    if (seen.has(name) && constants.get(name) !== v) constants.delete(name);
    else if (!seen.has(name) && v !== undefined) constants.set(name, v);
    seen.add(name);
  }
  // A constant reassigned anywhere (e.g. inside a function with `global`) is not a constant.
  if (source.includes("global") && /^\s*global\s/m.test(source)) {
    for (const s of statements) {
      walkStatements(s, (n) => {
        if (n.type === "global_statement") for (const c of n.children) constants.delete(text(c));
      });
    }
  }
  const base = uri.slice(uri.lastIndexOf("/") + 1).replace(/\.pyi?$/, "");
  const stem = /^[A-Za-z_][A-Za-z0-9_]*$/.test(base) ? base : "Custom";
  return {
    uri,
    source,
    statements,
    bindings,
    classes,
    customObjectKeys: source.includes("get_custom_objects") ? customObjectAssignments(statements, bindings) : new Map(),
    constants,
    functions,
    instances,
    version: version(bindings),
    stem,
    importedConstant: (n) => {
      if (n.type !== "identifier" && n.type !== "attribute") return undefined;
      const obj = n.type === "attribute" ? field(n, "object") : undefined;
      const own = obj?.type === "identifier" ? constants.get(text(n)) : undefined; // `Config.MODEL_PATH` of this file
      if (own !== undefined) return own;
      const cls = obj?.type === "identifier" ? instances.get(text(obj)) : undefined;
      const attr = cls !== undefined ? field(n, "attribute") : undefined;
      if (cls !== undefined && attr) {
        const local = constants.get(`${cls}.${text(attr)}`);
        if (local !== undefined || workspace.length === 0) return local;
        const imported = bindings.names.get(cls);
        return imported ? memberConstant(`${imported}.${text(attr)}`, workspace, uri) : undefined;
      }
      return workspace.length === 0 ? undefined : memberConstant(resolve(bindings, n), workspace, uri);
    },
  };
}

/**
 * Names bound once, at module level or in a top-level `if` (the `__main__` guard), to `Class(...)`: name → class
 * as written (`config = Config()`), so `config.MODEL_PATH` reads the class attribute.
 */
function moduleInstances(statements: readonly PyNode[]): Map<string, string> {
  const out = new Map<string, string>();
  const assigned = new Set<string>();
  const visit = (st: PyNode): void => {
    const a = st.type === "expression_statement" ? st.children[0] : undefined;
    const left = a?.type === "assignment" ? field(a, "left") : undefined;
    if (left?.type !== "identifier") return;
    const right = field(a!, "right");
    const made = right?.type === "call" ? field(right, "function") : undefined;
    const name = text(left);
    if (made?.type === "identifier" && !assigned.has(name)) out.set(name, text(made));
    else out.delete(name);
    assigned.add(name);
  };
  for (const st of statements) {
    if (st.type === "if_statement") field(st, "consequence")?.children.forEach(visit);
    else visit(st);
  }
  return out;
}

/** The string constant a dotted import names (`config.MODEL_PATH`), when a workspace module defines it. */
export function memberConstant(from: string | undefined, workspace: readonly WorkspaceDefs[], near?: string): string | undefined {
  const m = workspaceMember(from, workspace, near);
  return m?.home.constants?.find(([k]) => k === m.name)?.[1];
}

/**
 * `NAME = "literal"` in the body of a top-level class, as `Class.NAME`, when the file assigns that name once (an
 * instance's `self.NAME = ...` elsewhere would change it).
 */
function classAttributes(cls: PyNode, source: string, constants: Map<string, string>): void {
  const cname = field(cls, "name");
  const body = field(cls, "body");
  if (!cname || !body) return;
  for (const st of body.children) {
    const a = st.type === "expression_statement" ? st.children[0] : undefined;
    const left = a?.type === "assignment" ? field(a, "left") : undefined;
    if (left?.type !== "identifier") continue;
    const v = stringValue(field(a!, "right"));
    const name = text(left);
    if (v !== undefined && source.split(new RegExp(`\\b${name}\\s*=[^=]`)).length === 2) constants.set(`${text(cname)}.${name}`, v);
  }
}

export function diag(
  ctx: FileContext,
  code: Code,
  severity: SeverityValue,
  at: PyNode | Rng,
  message: string,
  related: { node: PyNode; message: string }[] = [],
): Diagnostic {
  const relatedInformation: DiagnosticRelatedInformation[] = related.map((r) => ({
    location: { uri: ctx.uri, range: range(r.node) },
    message: r.message,
  }));
  return {
    range: "si" in at ? range(at) : at,
    severity,
    code,
    source: SOURCE,
    message,
    ...(relatedInformation.length > 0 ? { relatedInformation } : {}),
  };
}

/**
 * The value of a path argument when the file fixes it: a literal, a module constant, the default of a
 * command-line option (`args.model_path`), or an f-string whose every `{NAME}` is a module constant
 * (`f"models/{name}"`); otherwise undefined.
 */
export function constantPath(ctx: FileContext, n: PyNode | undefined, depth = 0): string | undefined {
  if (!n) return undefined;
  const v =
    stringValue(n) ??
    (n.type === "identifier" ? ctx.constants.get(text(n)) : undefined) ??
    ctx.importedConstant(n) ??
    (n.type === "attribute" ? optionDefault(ctx, n) : undefined);
  if (v !== undefined) return v;
  if (n.type !== "string") return depth < 4 ? joinedPath(ctx, n, depth + 1) : undefined;
  const m = /^[fF]('''|"""|'|")([\s\S]*)\1$/.exec(text(n));
  if (!m) return undefined;
  let complete = true;
  const body = m[2]!.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (all, name: string | undefined) => {
    if (name === undefined) return all[0]!;
    const c = /^\s*[A-Za-z_]\w*\s*$/.test(name) ? ctx.constants.get(name.trim()) : undefined;
    if (c === undefined) complete = false;
    return c ?? "";
  });
  return complete ? body : undefined;
}

/**
 * A path built from fixed parts: a local name bound to one, `os.path.join(a, "b.keras")`, `Path(a) / "b"`, `a + ".h5"`,
 * `str(...)` of one (`model_dir = r"C:\\proj\\models"` ... `os.path.join(model_dir, "best.keras")`).
 */
function joinedPath(ctx: FileContext, n: PyNode, depth: number): string | undefined {
  if (n.type === "identifier") {
    const b = boundValue(ctx, n);
    return b ? constantPath(ctx, b, depth) : undefined;
  }
  const parts = (xs: readonly PyNode[]): string | undefined => {
    const vs = xs.map((x) => constantPath(ctx, x, depth));
    return vs.length > 0 && vs.every((x) => x !== undefined) ? vs.map((x) => x!.replace(/[\\/]+$/, "")).join("/") : undefined;
  };
  const op =
    n.type === "binary_operator"
      ? text(n)
          .slice(field(n, "left")!.ei - n.si, field(n, "right")!.si - n.si)
          .trim()
      : undefined;
  if (op === "/") return parts([field(n, "left")!, field(n, "right")!]);
  if (op === "+") {
    // `args.model + ".h5"`: string concatenation, no separator
    const [l, r] = [constantPath(ctx, field(n, "left"), depth), constantPath(ctx, field(n, "right"), depth)];
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  if (n.type !== "call") return undefined;
  const fn = dotted(field(n, "function"));
  const a = args(n).positional;
  if (fn && /(^|\.)path\.join$/.test(fn)) return parts(a);
  return fn && PATH_WRAPPERS.test(fn) && a.length === 1 ? constantPath(ctx, a[0], depth) : undefined;
}

/** A path argument as a comparable key: see constantPath. */
export function pathKey(ctx: FileContext, n: PyNode | undefined): string | undefined {
  const v = constantPath(ctx, n);
  return v === undefined ? undefined : normalizePath(v);
}

/**
 * A path as a save/load key: forward slashes, no `./`, no trailing slash, and relative to the notebook's
 * working directory on Kaggle (`/kaggle/working`) and Colab (`/content`), where `"m.h5"` and
 * `"/kaggle/working/m.h5"` are the same file.
 */
export function normalizePath(p: string): string {
  return p
    .replace(/\\/g, "/")
    .replace(/^(\.\/|\/kaggle\/working\/|\/content\/)/, "")
    .replace(/\/+$/, "");
}

/**
 * Whether two path keys (normalizePath) name the same file: equal, or one ends with the other after a "/" when
 * the shorter has a folder in it — a serving script's absolute `C:/proj/trained_models/best.keras` is the
 * training script's `trained_models/best.keras`.
 */
export function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.includes("/") && long.endsWith(`/${short}`);
}

/**
 * Items by the file their path key names, looked up with samePath (an index by the key's last component); a bare
 * file name also finds the only path of the workspace that ends with it.
 */
export function pathIndex<T>(items: readonly T[], keyOf: (t: T) => string | undefined): (key: string) => T[] {
  const last = (k: string): string => k.slice(k.lastIndexOf("/") + 1);
  const byName = new Map<string, T[]>();
  for (const t of items) {
    const k = keyOf(t);
    if (!k) continue; // "": a path only run time knows
    const list = byName.get(last(k));
    if (list) list.push(t);
    else byName.set(last(k), [t]);
  }
  return (key) => {
    const named = byName.get(last(key)) ?? [];
    const hits = named.filter((t) => samePath(keyOf(t)!, key));
    if (hits.length > 0 || key.includes("/")) return hits;
    // a bare file name (`load_model("best_model.h5")`, the downloaded copy of a Colab save to Drive): the
    // workspace's one save path with that file name, when there is exactly one
    return new Set(named.map(keyOf)).size === 1 ? named : [];
  };
}

export type PathExt = "keras" | "h5" | "none" | "unknown";

const MODEL_EXTS = [".keras", ".h5", ".hdf5"];

export function extOf(tail: string | undefined): PathExt {
  if (tail === undefined) return "unknown";
  const t = tail.toLowerCase();
  if (/\.keras$/.test(t)) return "keras";
  if (/\.(h5|hdf5)$/.test(t)) return "h5";
  const partial = t.startsWith("\u0000");
  const body = partial ? t.slice(1) : t;
  if (!partial) return body.length > 0 ? "none" : "unknown";
  // f"{out}/encoder", `root + "model(" + stamp + ")"`: the path ends with this literal, and no unknown
  // text before it can complete it to .keras/.h5 (it is no suffix of those)
  if (body.length > 0 && !body.includes("\u0000") && !MODEL_EXTS.some((e) => e.endsWith(body))) return "none";
  return "unknown";
}

export function dottedName(n: PyNode | undefined): string | undefined {
  return dotted(n);
}

/** Indentation of the line a node starts on. */
export function indentOf(ctx: FileContext, n: PyNode): string {
  const lineStart = ctx.source.lastIndexOf("\n", n.blk.offset + n.si - 1) + 1;
  const m = /^[ \t]*/.exec(ctx.source.slice(lineStart, lineStart + 200));
  return m ? m[0] : "";
}

/** `name = <expr>` anywhere inside one top-level statement, in source order, cached on the statement node. */
const assignCache = new WeakMap<PyNode, readonly (readonly [string, PyNode])[]>();
function simpleAssignments(s: PyNode): readonly (readonly [string, PyNode])[] {
  return memo(assignCache, s, (node) => {
    const out: [string, PyNode][] = [];
    if (!text(node).includes("=")) return out;
    walk(node, (a) => {
      if (a.type !== "assignment") return true;
      const left = field(a, "left");
      const right = field(a, "right");
      if (left?.type === "identifier" && right) out.push([text(left), right]);
      return true;
    });
    return out;
  });
}

const bindingIndex = new WeakMap<FileContext, Map<string, PyNode[]>>();
/** The value last assigned to the name `n` before it is used (anywhere in the file: scopes are not told apart). */
export function boundValue(ctx: FileContext, n: PyNode): PyNode | undefined {
  return valueBefore(ctx, text(n), offsetOf(n));
}

/** The value last assigned to `name` before offset `at` (see boundValue). */
export function valueBefore(ctx: FileContext, name: string, at: number): PyNode | undefined {
  let index = bindingIndex.get(ctx);
  if (!index) {
    // name → assigned values in source order, built once per analysis from the per-statement lists
    const byName = new Map<string, PyNode[]>();
    for (const s of ctx.statements)
      for (const [k, right] of simpleAssignments(s)) {
        const all = byName.get(k);
        if (all) all.push(right);
        else byName.set(k, [right]);
      }
    index = byName;
    bindingIndex.set(ctx, index);
  }
  const values = index.get(name);
  if (!values) return undefined;
  let lo = 0;
  let hi = values.length; // first value starting at or after the use
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsetOf(values[mid]!) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? values[lo - 1] : undefined;
}

/**
 * The list a call argument spells: a list/tuple literal, or a name bound to one earlier in the file
 * (`metrics = ["acc", iou]` ... `compile(metrics=metrics)`).
 */
export function listArgument(ctx: FileContext, n: PyNode | undefined, depth = 0): PyNode | undefined {
  if (!n || depth > 3) return undefined;
  if (n.type === "list" || n.type === "tuple") return n;
  if (n.type === "identifier") return listArgument(ctx, boundValue(ctx, n), depth + 1);
  // `callbacks=make_callbacks()` / `self._callbacks()`: the list a function of this file or a method of the class returns
  const def = n.type === "call" ? calledDefinition(ctx, field(n, "function")) : undefined;
  let returned: PyNode | undefined;
  if (def)
    walk(def, (r) => {
      if (r.type === "return_statement") returned ??= r.children.find((c) => c.type !== "return");
      return r === def || (r.type !== "function_definition" && r.type !== "class_definition");
    });
  return returned && (returned.type === "list" || returned.type === "tuple" || returned.type === "identifier")
    ? listArgument(ctx, returned, depth + 1)
    : undefined;
}

/**
 * The items of a list argument (listArgument), with those appended to it where it was bound
 * (`callbacks = []` ... `callbacks.append(checkpoint)` in the same function).
 */
export function listItems(ctx: FileContext, n: PyNode | undefined): PyNode[] {
  const list = listArgument(ctx, n);
  if (!list) return [];
  const items = list.children.filter((c) => c.type !== "[" && c.type !== "]" && c.type !== "(" && c.type !== ")" && c.type !== ",");
  return [...items, ...appendedTo(list)];
}

const appendedCache = new WeakMap<PyNode, PyNode[]>();
/** `callbacks = []` ... `callbacks.append(x)` in the function that binds the list: those x (one walk per list node). */
function appendedTo(list: PyNode): PyNode[] {
  return memo(appendedCache, list, () => {
    const owner = list.parent?.type === "assignment" ? field(list.parent, "left") : undefined;
    const scope = enclosing(list, "function_definition");
    if (owner?.type !== "identifier" || !scope) return [];
    const out: PyNode[] = [];
    walk(scope, (c) => {
      const fn = c.type === "call" ? field(c, "function") : undefined;
      if (fn?.type === "attribute" && text(field(fn, "attribute")!) === "append" && text(field(fn, "object")!) === text(owner)) {
        const item = args(c).positional[0];
        if (item) out.push(item);
      }
      return c === scope || c.type !== "function_definition";
    });
    return out;
  });
}

/** The definition a callee names: a top-level function of the file, or `self.name` a method of the enclosing class. */
export function calledDefinition(ctx: FileContext, callee: PyNode | undefined): PyNode | undefined {
  if (callee?.type === "identifier") return ctx.functions.has(text(callee)) ? topLevelFunction(ctx, text(callee)) : undefined;
  if (callee?.type !== "attribute" || text(field(callee, "object")!) !== "self") return undefined;
  const cls = enclosing(callee, "class_definition");
  return cls && classMethods(cls).get(text(field(callee, "attribute")!));
}

/**
 * The objects a Keras argument hands over: the items of a list or tuple (listArgument), the values of a dict
 * (`loss={"mask": dice_loss, "label": "mse"}`, one per output), the element of a comprehension
 * (`{k: make_loss(k) for k in keys}`), through a name bound to any of these; else the value itself.
 */
export function argumentItems(ctx: FileContext, v: PyNode, depth = 0): readonly PyNode[] {
  const list = listArgument(ctx, v);
  if (list) return list.children;
  if (v.type === "identifier") {
    const bound = depth < 3 ? boundValue(ctx, v) : undefined;
    return bound && (bound.type === "dictionary" || /_comprehension$/.test(bound.type)) ? argumentItems(ctx, bound, depth + 1) : [v];
  }
  if (v.type === "dictionary") return v.children.flatMap((c) => (c.type === "pair" && field(c, "value") ? [field(c, "value")!] : []));
  const body = /_comprehension$/.test(v.type) ? field(v, "body") : undefined;
  const element = body?.type === "pair" ? field(body, "value") : body;
  return element ? [element] : [v];
}

/**
 * `def focal_loss(...): def focal_loss_fixed(...): ...; return focal_loss_fixed`: the name node of the
 * nested function a top-level factory of this file returns, for a call `focal_loss(...)`.
 */
export function returnedFunction(ctx: FileContext, callee: PyNode | undefined): PyNode | undefined {
  return callee?.type === "identifier" ? returnedBy(ctx, text(callee)) : undefined;
}

/** returnedFunction of the file function `name`. */
export function returnedBy(ctx: FileContext, name: string): PyNode | undefined {
  if (!ctx.functions.has(name)) return undefined;
  const def = topLevelFunction(ctx, name);
  const body = def ? field(def, "body") : undefined;
  const nested = new Set<string>();
  let returned: PyNode | undefined;
  for (const st of body?.children ?? []) {
    const d = st.type === "decorated_definition" ? field(st, "definition") : st;
    if (d?.type === "function_definition") nested.add(text(field(d, "name")!));
    if (st.type === "return_statement") returned = st.children.find((c) => c.type === "identifier");
  }
  return returned && nested.has(text(returned)) ? returned : undefined;
}

const functionIndex = new WeakMap<FileContext, Map<string, PyNode>>();
/** The top-level `def name(...)` of the file (the first one), indexed once per analysis. */
export function topLevelFunction(ctx: FileContext, name: string): PyNode | undefined {
  let index = functionIndex.get(ctx);
  if (!index) {
    index = new Map();
    for (const s of ctx.statements) {
      const def = s.type === "decorated_definition" ? field(s, "definition") : s;
      const nm = def?.type === "function_definition" ? text(field(def, "name")!) : undefined;
      if (nm !== undefined && !index.has(nm)) index.set(nm, def!);
    }
    functionIndex.set(ctx, index);
  }
  return index.get(name);
}

/** Plain parameter names of a function, in order (`*args`, `**kw` and the bare `*` end the positional ones). */
export function parameterNames(def: PyNode): string[] {
  const out: string[] = [];
  for (const p of field(def, "parameters")?.children ?? []) {
    if (p.type === "list_splat_pattern" || p.type === "dictionary_splat_pattern" || p.type === "keyword_separator") break;
    const id =
      p.type === "identifier" ? p : p.type === "typed_parameter" ? p.children.find((c) => c.type === "identifier") : field(p, "name");
    if (id?.type === "identifier") out.push(text(id));
  }
  return out;
}

const callsCache = new WeakMap<FileContext, Map<string, PyNode[]>>();
/** Calls `name(...)` anywhere in the file, by callee name (built once per analysis). */
function callsTo(ctx: FileContext, name: string): readonly PyNode[] {
  let index = callsCache.get(ctx);
  if (!index) {
    index = new Map();
    for (const s of ctx.statements)
      walk(s, (c) => {
        const fn = c.type === "call" ? field(c, "function") : undefined;
        if (fn?.type === "identifier") {
          const list = index!.get(text(fn));
          if (list) list.push(c);
          else index!.set(text(fn), [c]);
        }
        return true;
      });
    callsCache.set(ctx, index);
  }
  return index.get(name) ?? [];
}

/**
 * `args.model_path` where the file declares `parser.add_argument("--model-path", default="models/m.h5")` (or
 * `dest="model_path"`): the default, which is the path unless the command line names another. An option
 * declared twice with different defaults has none.
 */
function optionDefault(ctx: FileContext, n: PyNode): string | undefined {
  if (field(n, "object")?.type !== "identifier") return undefined;
  return optionDefaults(ctx).get(text(field(n, "attribute")!));
}

/**
 * Whether a path expression takes a command-line option's default (`args.model`, or a name bound to
 * `os.path.join(args.folder, args.model)` before it): a path the command line may change.
 */
export function takesOptionDefault(ctx: FileContext, n: PyNode | undefined, depth = 0): boolean {
  if (!n || depth > 3) return false;
  if (n.type === "identifier") return takesOptionDefault(ctx, boundValue(ctx, n), depth + 1);
  let found = false;
  walk(n, (c) => {
    if (c.type === "attribute" && optionDefault(ctx, c) !== undefined) found = true;
    return !found;
  });
  return found;
}

/**
 * The options' string defaults as the module's constants under the name it binds the parsed options to
 * (`args = parser.parse_args()` → `args.saved_model`), for modules that import `args` from it.
 */
export function optionConstants(ctx: FileContext): [string, string][] {
  const defaults = optionDefaults(ctx);
  if (defaults.size === 0) return [];
  const parsed = ctx.statements.flatMap((s) => {
    const a = s.type === "expression_statement" ? s.children[0] : undefined;
    const left = a?.type === "assignment" ? field(a, "left") : undefined;
    const right = a ? field(a, "right") : undefined;
    const fn = right?.type === "call" ? field(right, "function") : undefined;
    return left?.type === "identifier" && fn?.type === "attribute" && text(field(fn, "attribute")!) === "parse_args" ? [text(left)] : [];
  });
  if (parsed.length !== 1) return [];
  return [...defaults].flatMap(([dest, v]) => (v === undefined ? [] : [[`${parsed[0]}.${dest}`, v] as [string, string]]));
}

const optionCache = new WeakMap<FileContext, Map<string, string | undefined>>();
function optionDefaults(ctx: FileContext): Map<string, string | undefined> {
  let out = optionCache.get(ctx);
  if (out) return out;
  out = new Map();
  optionCache.set(ctx, out);
  if (!ctx.source.includes("add_argument")) return out;
  for (const s of ctx.statements)
    for (const [dest, node] of statementOptions(s)) {
      // a path default may be built (`default=os.path.join("saved_model", "unet.hdf5")`)
      const value = node && constantPath(ctx, node, 2);
      out.set(dest, out.has(dest) && out.get(dest) !== value ? undefined : value);
    }
  return out;
}

/** `add_argument(...)` declarations of one top-level statement (dest, default), cached on it. */
const statementOptionCache = new WeakMap<PyNode, readonly (readonly [string, PyNode | undefined])[]>();
function statementOptions(s: PyNode): readonly (readonly [string, PyNode | undefined])[] {
  return memo(statementOptionCache, s, (node) => {
    const out: [string, PyNode | undefined][] = [];
    if (!text(node).includes("add_argument")) return out;
    walk(node, (c) => {
      const fn = c.type === "call" ? field(c, "function") : undefined;
      if (fn?.type !== "attribute" || text(field(fn, "attribute")!) !== "add_argument") return true;
      const a = args(c);
      const names = a.positional.map((p) => stringValue(p)).filter((x): x is string => x !== undefined);
      const long = names.find((x) => x.startsWith("--")) ?? names.find((x) => !x.startsWith("-"));
      const dest = stringValue(a.keywords.get("dest")) ?? long?.replace(/^-+/, "").replace(/-/g, "_");
      if (dest !== undefined) out.push([dest, a.keywords.get("default")]);
      return false;
    });
    return out;
  });
}

/**
 * The string default of the parameter `n` names, when the function never rebinds it and no call in the file
 * passes it: the file a load reads unless a caller elsewhere names another
 * (`def load_prediction_model(path="models/model.h5"): return load_model(path)`).
 */
export function parameterDefault(ctx: FileContext, n: PyNode | undefined): string | undefined {
  if (n?.type !== "identifier") return undefined;
  let def: PyNode | undefined;
  for (let p = n.parent; p && !def; p = p.parent) if (p.type === "function_definition") def = p;
  const name = text(n);
  const declared = def && field(def, "parameters")?.children.find((p) => field(p, "name") && text(field(p, "name")!) === name);
  const value = declared ? stringValue(field(declared, "value")) : undefined;
  if (value === undefined || rebinds(field(def!, "body"), name)) return undefined;
  const fname = text(field(def!, "name")!);
  const index = parameterNames(def!).indexOf(name);
  const passed = (call: PyNode): boolean => {
    const a = args(call);
    return a.keywords.has(name) || a.positional.length > index || hasSplat(call);
  };
  return topLevelFunction(ctx, fname) === def && callsTo(ctx, fname).some(passed) ? undefined : value;
}

/** Whether a body assigns `name` anywhere (`path = os.path.join(root, path)`). */
function rebinds(body: PyNode | undefined, name: string): boolean {
  let found = false;
  if (body)
    walk(body, (c) => {
      const left = c.type === "assignment" || c.type === "augmented_assignment" ? field(c, "left") : undefined;
      if (left?.type === "identifier" && text(left) === name) found = true;
      return !found;
    });
  return found;
}

/**
 * A parameter of a top-level function of the file (`def train(x, y, path): model.save(path)`): the path every
 * call of that function passes (or the default), when all of them end the same way.
 */
const argumentCache = new WeakMap<FileContext, Map<string, string | undefined | typeof IN_PROGRESS>>();
const IN_PROGRESS = Symbol("in progress");

function argumentPath(ctx: FileContext, n: PyNode, depth: number): string | undefined {
  let def: PyNode | undefined;
  for (let p = n.parent; p && !def; p = p.parent) if (p.type === "function_definition") def = p;
  const fname = def ? text(field(def, "name")!) : undefined;
  // top-level functions only (a method of the same name is not the one its callers name)
  if (!def || !fname || topLevelFunction(ctx, fname) !== def || depth > 6) return undefined;
  const params = parameterNames(def);
  const index = params.indexOf(text(n));
  if (index < 0) return undefined;
  // once per parameter and analysis: many call sites of many helpers stay linear, recursion ends
  let cache = argumentCache.get(ctx);
  if (!cache) argumentCache.set(ctx, (cache = new Map()));
  const key = `${fname}\u0000${text(n)}`;
  const hit = cache.get(key);
  if (hit === IN_PROGRESS) return undefined;
  if (cache.has(key)) return hit;
  cache.set(key, IN_PROGRESS);
  const declared = field(def, "parameters")?.children.find((p) => field(p, "name") && text(field(p, "name")!) === text(n));
  const fallback = declared ? field(declared, "value") : undefined;
  const values = callsTo(ctx, fname).map((call) => {
    const a = args(call);
    const arg = a.keywords.get(text(n)) ?? a.positional[index] ?? fallback;
    return arg ? pathValue(ctx, arg, depth + 1) : undefined;
  });
  const value =
    values.length === 0 || values.some((v) => v === undefined) || !values.every((v) => extOf(v) === extOf(values[0]))
      ? undefined
      : values[0];
  cache.set(key, value);
  return value;
}

/** Calls that return their first argument's path unchanged (as far as its ending goes). */
const PATH_WRAPPERS = /^(str|os\.fspath|Path|pathlib\.Path|os\.path\.abspath|os\.path\.normpath|os\.path\.expanduser)$/;

/**
 * What is known of a path expression's value, in pathTail's form (the whole literal, or "\u0000" and
 * the literal text after the last unknown part): constants and f-strings of constants, `str(...)`/`Path(...)`
 * wrappers, `a / "x.h5"`, `a + "x.h5"`, `"%s.h5" % a`, `os.path.join(..., "x.h5")`, and local names bound to any of these.
 */
export function pathValue(ctx: FileContext, n: PyNode | undefined, depth = 0): string | undefined {
  if (!n || depth > 6) return undefined;
  const whole = constantPath(ctx, n);
  if (whole !== undefined) return whole;
  switch (n.type) {
    case "identifier": {
      const v = boundValue(ctx, n);
      return v ? pathValue(ctx, v, depth + 1) : argumentPath(ctx, n, depth + 1);
    }
    case "parenthesized_expression":
      return pathValue(
        ctx,
        n.children.find((c) => c.type !== "(" && c.type !== ")"),
        depth + 1,
      );
    case "binary_operator": {
      const left = field(n, "left");
      const right = field(n, "right");
      if (!left || !right) return undefined;
      const op = text(n)
        .slice(left.ei - n.si, right.si - n.si)
        .trim();
      // `"%s.hdf5" % args.output`: the literal after the last placeholder is the ending
      const template = op === "%" ? stringValue(left) : undefined;
      if (template !== undefined) {
        const last = template.search(/%[^%]*$/);
        return last < 0 ? template : "\u0000" + template.slice(last).replace(/^%[-+ #0]*\d*(\.\d+)?[a-zA-Z]/, "");
      }
      const t = pathValue(ctx, right, depth + 1);
      if (t === undefined) return undefined;
      return t.startsWith("\u0000") ? t : "\u0000" + (op === "/" ? "/" : "") + t;
    }
    case "call": {
      const fn = dotted(field(n, "function"));
      const a = field(n, "arguments")?.children.filter((c) => c.type !== "(" && c.type !== ")" && c.type !== ",") ?? [];
      if (fn && PATH_WRAPPERS.test(fn) && a.length === 1) return pathValue(ctx, a[0], depth + 1);
      const callee = field(n, "function");
      // `"./logs/{}/model/weights".format(run)`: the literal after the last placeholder is the ending
      const template =
        callee?.type === "attribute" && text(field(callee, "attribute")!) === "format" ? stringValue(field(callee, "object")) : undefined;
      if (template !== undefined) {
        const last = template.lastIndexOf("}");
        return last < 0 ? template : "\u0000" + template.slice(last + 1);
      }
      // `f"...".lower()`: the case changes, whether it ends in an extension does not
      if (callee?.type === "attribute" && a.length === 0 && /^(lower|strip|rstrip)$/.test(text(field(callee, "attribute")!)))
        return pathValue(ctx, field(callee, "object"), depth + 1);
      if (fn && /(^|\.)(path\.join|join)$/.test(fn) && a.length > 0) {
        const t = pathValue(ctx, a[a.length - 1], depth + 1);
        return t === undefined ? undefined : t.startsWith("\u0000") ? t : "\u0000/" + t;
      }
      return pathTail(n);
    }
    case "string": {
      // `name, ext = os.path.splitext(path)` ... `f"{name}-fold-{fold}{ext}"`: the extension of `path`
      const ext = trailingSplitExt(n);
      const source = ext ? pathValue(ctx, ext, depth + 1) : undefined;
      const dot = source?.lastIndexOf(".") ?? -1;
      return source !== undefined && dot > source.lastIndexOf("/") ? "\u0000" + source.slice(dot) : pathTail(n);
    }
    default:
      return pathTail(n);
  }
}

/**
 * For an f-string ending in `{ext}` where `ext` was unpacked from `os.path.splitext(path)` earlier in the same
 * function: the `path` argument.
 */
function trailingSplitExt(fstring: PyNode): PyNode | undefined {
  return memo(splitExtCache, fstring, splitExtSource);
}

const splitExtCache = new WeakMap<PyNode, PyNode | undefined>();
function splitExtSource(fstring: PyNode): PyNode | undefined {
  const name = /^[rR]?[fF][rR]?('''|"""|'|")[\s\S]*\{\s*([A-Za-z_]\w*)\s*\}\1$/.exec(text(fstring))?.[2];
  if (!name) return undefined;
  let found: PyNode | undefined;
  const scope = enclosing(fstring, "function_definition") ?? fstring.parent;
  walk(scope ?? fstring, (a) => {
    if (a.type !== "assignment" || offsetOf(a) > offsetOf(fstring)) return a.type !== "function_definition" || a === scope;
    const left = field(a, "left");
    const right = field(a, "right");
    const targets =
      left?.type === "pattern_list" || left?.type === "tuple_pattern" ? left.children.filter((c) => c.type === "identifier") : [];
    const fn = right?.type === "call" ? dotted(field(right, "function")) : undefined;
    if (targets.length === 2 && text(targets[1]!) === name && fn && /(^|\.)splitext$/.test(fn)) found = args(right!).positional[0];
    return true;
  });
  return found;
}
