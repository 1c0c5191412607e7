/**
 * Import bindings and name resolution: `tf.keras.layers.Layer`, `keras.Model`, `Model`,
 * `K.saving.register_keras_serializable` ... resolve to canonical names (`keras.layers.Layer`,
 * `keras.Model`, `tf.saved_model.save`) whatever the import alias.
 */
import { dotted, field, text, walk, type PyNode } from "./ast.js";

export interface Bindings {
  /** Local name → fully qualified dotted name as imported. */
  readonly names: Map<string, string>;
  /** Top-level module names imported anywhere (`tensorflow`, `keras`, `tf_keras`, `mylib`). */
  readonly modules: Set<string>;
  /** Import statements in source order (for inserting imports and for version inference). */
  readonly statements: PyNode[];
}

/** Roots that are Keras whatever the distribution; mapped to `keras.`. */
const KERAS_ROOTS = [
  "tensorflow.python.keras.",
  "tensorflow.compat.v2.keras.",
  "tensorflow.compat.v1.keras.",
  "tensorflow.keras.",
  "tf_keras.src.",
  "tf_keras.",
  "keras_core.",
  "keras.src.",
  "keras.api.",
  "keras.",
];

/** The imports of one top-level statement: bindings in the order they are made. */
interface ImportFacts {
  readonly statements: PyNode[];
  readonly names: [string, string][];
  readonly modules: string[];
}

const importCache = new WeakMap<PyNode, ImportFacts>();

/** Import bindings of the given statements; each statement's imports are extracted once (cached on the node). */
/** The modules a source imports with `from module import *`. */
export function starImports(source: string): string[] {
  if (source === lastStars.source) return lastStars.modules;
  const modules = source.includes("import *")
    ? [...source.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\*/gm)].map((m) => m[1]!)
    : [];
  lastStars = { source, modules };
  return modules;
}

/** starImports of the last text asked (building the context and the definitions ask for the same one). */
let lastStars: { readonly source: string; readonly modules: string[] } = { source: "", modules: [] };

/**
 * `from helpers import *` of a workspace module brings the names that module imports (`tf` when it does
 * `import tensorflow as tf`), unless this file binds them itself: added to the bindings.
 */
export function addStarBindings(b: Bindings, modules: readonly (readonly (readonly [string, string])[])[]): void {
  for (const aliases of modules)
    for (const [local, full] of aliases)
      if (!b.names.has(local)) {
        b.names.set(local, full);
        b.modules.add(full.split(".")[0]!);
      }
}

export function collectBindings(statements: readonly PyNode[]): Bindings {
  const names = new TrackedNames();
  const modules = new Set<string>();
  const stmts: PyNode[] = [];
  for (const s of statements) {
    let f = importCache.get(s);
    if (!f) importCache.set(s, (f = importsOf(s)));
    for (const n of f.statements) stmts.push(n);
    for (const [k, v] of f.names) names.set(k, v);
    for (const m of f.modules) modules.add(m);
  }
  return { names, modules, statements: stmts };
}

/** Names looked up while computing a cached result, with what they were bound to (undefined: unbound). */
export type UsedNames = readonly (readonly [string, string | undefined])[];

/** A name map that reports lookups to the active recorders (see `trackNames`). */
class TrackedNames extends Map<string, string> {
  readonly sinks: Map<string, string | undefined>[] = [];

  override get(key: string): string | undefined {
    const v = super.get(key);
    for (const s of this.sinks) s.set(key, v);
    return v;
  }

  override has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}

/**
 * Runs `fn` recording which local names it looks up in `b` (through `resolve` or `names.get/has`):
 * a result computed from the bindings stays valid while those names are bound to the same things.
 * `used` is undefined when the bindings do not record (not built by collectBindings).
 */
export function trackNames<T>(b: Bindings, fn: () => T): { value: T; used: UsedNames | undefined } {
  if (!(b.names instanceof TrackedNames)) return { value: fn(), used: undefined };
  const sink = new Map<string, string | undefined>();
  b.names.sinks.push(sink);
  try {
    return { value: fn(), used: [...sink] };
  } finally {
    b.names.sinks.splice(b.names.sinks.indexOf(sink), 1);
  }
}

/** Whether every recorded name is still bound as it was. */
export function sameNames(b: Bindings, used: UsedNames | undefined): boolean {
  if (!used) return false;
  const names = b.names instanceof TrackedNames ? b.names : undefined;
  for (const [k, v] of used) if ((names ? Map.prototype.get.call(names, k) : b.names.get(k)) !== v) return false;
  return true;
}

const NO_IMPORTS: ImportFacts = { statements: [], names: [], modules: [] };

function importsOf(statement: PyNode): ImportFacts {
  // Both import forms spell the keyword: a statement without it has nothing to walk for.
  if (!text(statement).includes("import")) return NO_IMPORTS;
  const names: [string, string][] = [];
  const modules: string[] = [];
  const stmts: PyNode[] = [];
  const visit = (n: PyNode): boolean => {
    if (n.type === "import_statement") {
      stmts.push(n);
      for (const c of n.children) {
        if (c.type === "dotted_name") {
          const full = text(c);
          const top = full.split(".")[0]!;
          modules.push(top);
          names.push([top, top]);
        } else if (c.type === "aliased_import") {
          const full = dotted2(field(c, "name"));
          const alias = field(c, "alias");
          if (full && alias) {
            modules.push(full.split(".")[0]!);
            names.push([text(alias), full]);
          }
        }
      }
      return false;
    }
    if (n.type === "import_from_statement") {
      stmts.push(n);
      const mod = dotted2(field(n, "module_name"));
      if (!mod) return false;
      if (!mod.startsWith(".")) modules.push(mod.split(".")[0]!);
      for (const c of n.children) {
        if (c.field !== "name") continue;
        // `from . import X` names X in the package itself: ".X", not "..X"
        const sep = /^\.+$/.test(mod) ? "" : ".";
        if (c.type === "dotted_name") names.push([text(c), `${mod}${sep}${text(c)}`]);
        else if (c.type === "aliased_import") {
          const nm = dotted2(field(c, "name"));
          const alias = field(c, "alias");
          if (nm && alias) names.push([text(alias), `${mod}${sep}${nm}`]);
        }
      }
      return false;
    }
    // Imports sit at module level or inside try/if/function bodies; never inside expressions.
    return n.type === "module" || n.type === "block" || IMPORT_CONTAINER.test(n.type);
  };
  walk(statement, visit);
  return { statements: stmts, names, modules };
}

const IMPORT_CONTAINER = /_statement$|_clause$|^function_definition$|^decorated_definition$|^class_definition$/;

function dotted2(n: PyNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === "dotted_name") return text(n).replace(/\s+/g, "");
  // `from .seq import X` / `from . import X`: kept with its dots (workspace modules resolve it, nothing else matches)
  if (n.type === "relative_import") return text(n).replace(/\s+/g, "");
  return dotted(n);
}

/** Canonical name of a dotted expression (`keras.X` for any Keras root, `tf.X` for other TensorFlow names). */
export function canonical(qualified: string): string {
  for (const r of KERAS_ROOTS) if (qualified.startsWith(r)) return "keras." + qualified.slice(r.length);
  if (qualified === "keras" || qualified === "tf_keras" || qualified === "keras_core" || qualified === "tensorflow.keras") return "keras";
  if (qualified.startsWith("tensorflow.")) return "tf." + qualified.slice("tensorflow.".length);
  if (qualified === "tensorflow") return "tf";
  return qualified;
}

/** Resolves an identifier/attribute chain through the bindings; undefined when its root is not imported. */
export function resolve(b: Bindings, n: PyNode | undefined): string | undefined {
  const d = dotted(n);
  if (!d) return undefined;
  return resolveDotted(b, d);
}

export function resolveDotted(b: Bindings, d: string): string | undefined {
  const dot = d.indexOf(".");
  const head = dot < 0 ? d : d.slice(0, dot);
  const bound = b.names.get(head);
  if (bound === undefined) return undefined;
  return canonical(dot < 0 ? bound : bound + d.slice(dot));
}

/** Strips Keras-internal module paths: `keras.engine.training.Model` → `keras.Model`. */
export function kerasPublic(name: string): string {
  if (!name.startsWith("keras.")) return name;
  const last = name.slice(name.lastIndexOf(".") + 1);
  const mid = name.slice("keras.".length, name.length - last.length - 1);
  const internal =
    /^(engine|models?\.model|models\.(functional|sequential|training)|layers\.layer|layers\.core|engine\.\w+|saving\.\w+_lib|saving\.object_registration|utils\.generic_utils|trainers?\.\w+)$/;
  if (internal.test(mid)) {
    if (last === "Model" || last === "Sequential" || last === "Functional") return `keras.${last}`;
    if (last === "Layer") return "keras.layers.Layer";
  }
  return name;
}

/** The local spelling to reach `keras` in this file: `keras`, `tf.keras`, or undefined. */
export function kerasSpelling(b: Bindings): string | undefined {
  for (const [local, full] of b.names) if (canonical(full) === "keras" && !local.includes(".")) return local;
  for (const [local, full] of b.names) if (full === "tensorflow") return `${local}.keras`;
  return undefined;
}

/** Local name bound to a canonical name (`keras.Input` → `Input`), if imported directly. */
export function localFor(b: Bindings, canonicalName: string): string | undefined {
  for (const [local, full] of b.names) if (canonical(full) === canonicalName) return local;
  return undefined;
}
