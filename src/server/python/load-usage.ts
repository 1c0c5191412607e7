/**
 * SMS201 from how a loaded model is used: `m = load_model(path)` where the path is computed (a checkpoint
 * found at run time), so no save links to it, but the file itself tells what `m` is —
 *   - the same name is bound to a new instance of a custom model class elsewhere in the scope
 *     (`wgan = WGAN(...)` when training fresh, `wgan = load_model(...)` when resuming), or
 *   - the code reads an attribute of `m` that no Keras model has and that one custom model class sets
 *     (`reloaded.generator.predict(...)`, where `WGAN.__init__` assigns `self.generator`).
 * An unregistered class that the load does not provide fails in Keras 3 (any format: "Could not locate
 * class") and, in both versions, from .h5 ("Unknown layer"); tf.keras revives SavedModel directories and
 * re-imports a .keras class's module, so there the rule stays silent.
 */
import { dotted, field, text, walk, type PyNode } from "./ast.js";
import type { CustomClass } from "./classes.js";
import { Codes, Severity } from "./codes.js";
import {
  extOf,
  finding,
  importedClass,
  normalizePath,
  pathValue,
  pathIndex,
  workspaceClass,
  type FileContext,
  type Finding,
  type Fix,
} from "./context.js";
import { compileFunctionNames, isCompileCall } from "./factories.js";
import { customObjectsFix } from "./custom-objects.js";
import { memo } from "./facts.js";
import { allProvided, type LoadCall } from "./loads.js";
import type { WorkspaceDefs } from "./workspace-needs.js";

/** Attributes every Keras model has: reading them says nothing about the class. */
const MODEL_ATTRIBUTES = new Set(
  (
    "layers inputs outputs input output input_shape output_shape weights trainable_weights non_trainable_weights " +
    "variables trainable_variables non_trainable_variables optimizer loss metrics metrics_names name trainable dtype " +
    "built history stop_training compiled_loss compiled_metrics submodules predict fit evaluate summary save " +
    "save_weights load_weights compile get_layer to_json get_config call build count_params predict_on_batch " +
    "train_on_batch test_on_batch export train_step test_step predict_step reset_metrics losses state_updates " +
    "distribute_strategy run_eagerly jit_compile signatures"
  ).split(" "),
);

/** `self.x = ...` targets in a class's methods (its bases in the same module included). */
const attrCache = new WeakMap<PyNode, Set<string>>();
function selfAttributes(cls: CustomClass, classes: ReadonlyMap<string, CustomClass>, depth = 0): Set<string> {
  const own = memo(attrCache, cls.node, (node) => {
    const out = new Set<string>();
    walk(node, (n) => {
      if (n.type !== "assignment") return true;
      const left = dotted(field(n, "left"));
      if (left?.startsWith("self.") && left.split(".").length === 2) out.add(left.slice(5));
      return true;
    });
    return out;
  });
  const where = cls.home ?? classes;
  const all = new Set(own);
  for (const b of cls.customBases) {
    const parent = cls.importedBases?.get(b) ?? where.get(b);
    if (parent && depth < 16) for (const a of selfAttributes(parent, parent.home ?? where, depth + 1)) all.add(a);
  }
  return all;
}

interface Uses {
  /** Callees of calls assigned to the name (`name = f(...)`). */
  readonly creations: PyNode[];
  /** Attributes read on the name (`name.attr`). */
  readonly attributes: PyNode[];
}

/**
 * The uses of every name in the scope a node is in (its function's body, or the module's top level, nested
 * definitions apart), collected in one walk per scope and analysis: many loads in one scope stay linear.
 */
const usesCache = new WeakMap<FileContext, Map<PyNode | undefined, Map<string, Uses>>>();
function usesAt(ctx: FileContext, n: PyNode, name: string): Uses | undefined {
  let fn: PyNode | undefined;
  for (let p = n.parent; p && !fn; p = p.parent) if (p.type === "function_definition") fn = p;
  let perScope = usesCache.get(ctx);
  if (!perScope) usesCache.set(ctx, (perScope = new Map()));
  let index = perScope.get(fn);
  if (!index) perScope.set(fn, (index = indexUses(fn ? (field(fn, "body")?.children ?? []) : ctx.statements)));
  return index.get(name);
}

function indexUses(scope: readonly PyNode[]): Map<string, Uses> {
  const out = new Map<string, Uses>();
  const of = (name: string): Uses => {
    let u = out.get(name);
    if (!u) out.set(name, (u = { creations: [], attributes: [] }));
    return u;
  };
  for (const s of scope)
    walk(s, (n) => {
      if (n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") return false;
      const left = n.type === "assignment" ? field(n, "left") : undefined;
      const right = left?.type === "identifier" ? field(n, "right") : undefined;
      if (right?.type === "call" && field(right, "function")) of(text(left!)).creations.push(field(right, "function")!);
      const obj = n.type === "attribute" ? field(n, "object") : undefined;
      if (obj?.type === "identifier") of(text(obj)).attributes.push(field(n, "attribute")!);
      return true;
    });
  return out;
}

/** The custom model class a name or dotted name of this file denotes (defined here or in a workspace module). */
function modelClass(ctx: FileContext, fn: PyNode, defs: readonly WorkspaceDefs[]): CustomClass | undefined {
  const local = dotted(fn);
  const cls = (local ? ctx.classes.get(local) : undefined) ?? importedClass(ctx.bindings, fn, defs);
  return cls?.kind === "model" && !cls.functionalInit && !cls.sequential ? cls : undefined;
}

/** Custom model classes of the file (its own and the ones it imports from workspace modules) that set `self.<attr>`. */
const settingCache = new WeakMap<FileContext, Map<string, CustomClass[]>>();
function classesSetting(ctx: FileContext, attr: string, defs: readonly WorkspaceDefs[]): CustomClass[] {
  let cache = settingCache.get(ctx);
  if (!cache) settingCache.set(ctx, (cache = new Map()));
  let hit = cache.get(attr);
  if (!hit) cache.set(attr, (hit = computeClassesSetting(ctx, attr, defs)));
  return hit;
}

function computeClassesSetting(ctx: FileContext, attr: string, defs: readonly WorkspaceDefs[]): CustomClass[] {
  const out: CustomClass[] = [];
  for (const c of ctx.classes.values()) if (c.kind === "model" && selfAttributes(c, ctx.classes).has(attr)) out.push(c);
  for (const full of new Set(ctx.bindings.names.values())) {
    const c = workspaceClass(full, defs);
    if (c?.kind === "model" && !out.includes(c) && selfAttributes(c, c.home ?? ctx.classes).has(attr)) out.push(c);
  }
  return out;
}

function unprovided(ctx: FileContext, load: LoadCall, cls: CustomClass): boolean {
  if ((cls.registration && !cls.registration.bare) || ctx.customObjectKeys.has(cls.name) || load.scopes.length > 0) return false;
  const entries = allProvided(load);
  return entries !== "opaque" && !entries.some((e) => e.key === cls.name || e.value === cls.name || e.key.endsWith(`>${cls.name}`));
}

export function loadedAsCustomModel(ctx: FileContext, loads: readonly LoadCall[], defs: readonly WorkspaceDefs[]): Finding[] {
  const out: Finding[] = [];
  for (const load of loads) {
    if (load.key) continue; // a literal path: the save-linked rules decide
    const assign = load.call.parent;
    const target = assign?.type === "assignment" && field(assign, "right") === load.call ? field(assign, "left") : undefined;
    if (target?.type !== "identifier") continue;
    if (!(ctx.version === 3 || extOf(pathValue(ctx, load.pathNode)) === "h5")) continue;
    const { creations, attributes } = usesAt(ctx, load.call, text(target)) ?? { creations: [], attributes: [] };
    let cls = creations.map((fn) => modelClass(ctx, fn, defs)).find((c) => c !== undefined);
    let evidence = cls ? `\`${text(target)}\` is also a new \`${cls.name}\` in this function` : "";
    if (!cls) {
      for (const a of attributes) {
        const attr = text(a);
        if (MODEL_ATTRIBUTES.has(attr)) continue;
        const setters = classesSetting(ctx, attr, defs);
        if (setters.length !== 1) continue;
        cls = setters[0];
        evidence = `\`${text(target)}.${attr}\` exists only on \`${cls!.name}\``;
        break;
      }
    }
    if (!cls || !unprovided(ctx, load, cls)) continue;
    // the class is reachable by its name here (defined, or imported by name): pass it
    out.push(
      unprovidedAtLoad(
        ctx,
        load,
        `This load returns a \`${cls.name}\` (${evidence}), a custom model class that is not registered and not passed in custom_objects: Keras 3 cannot rebuild it ("Could not locate class '${cls.name}'"), nor can an .h5 load in either version. Register it with @keras.saving.register_keras_serializable() or pass custom_objects={"${cls.name}": ${cls.name}}.`,
        ctx.classes.has(cls.name) || ctx.bindings.names.has(cls.name)
          ? customObjectsFix(ctx, load, [{ key: cls.name, value: cls.name }])
          : [],
      ),
    );
  }
  return out;
}

/** SMS201 as a warning at a load: what it needs is inferred, not linked to a save. */
export function unprovidedAtLoad(ctx: FileContext, load: LoadCall, message: string, fixes: Fix[]): Finding {
  return finding(ctx, Codes.UnprovidedCustomClass, Severity.Warning, load.call, message, fixes);
}

/** How many entries (sorted by `at`) come before offset `at`. */
function countBefore(xs: readonly { readonly at: number }[], at: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const compileCache = new WeakMap<PyNode, PyNode[]>();
/** The `x.compile(...)` calls of one top-level statement (cached on it). */
function compileCalls(stmt: PyNode): PyNode[] {
  return memo(compileCache, stmt, (s) => {
    const out: PyNode[] = [];
    walk(s, (n) => {
      if (n.type === "call" && isCompileCall(n)) out.push(n);
      return true;
    });
    return out;
  });
}

/**
 * A notebook compiles a model with its own unregistered losses/metrics, then loads a literal `.h5` path
 * that nothing in the workspace saves (the save cell is commented out, or ran elsewhere): most likely that
 * model. With compile=True (the default) the load rebuilds the compile arguments and cannot find them
 * ("Unknown loss/metric function" in tf.keras; Keras 3 from .keras: "Could not locate function").
 */
export function loadAfterCustomCompile(
  ctx: FileContext,
  loads: readonly LoadCall[],
  saves: readonly { readonly key: string }[],
  registered: ReadonlySet<string>,
): Finding[] {
  if (loads.length === 0 || ctx.functions.size === 0 || !ctx.source.includes(".compile(")) return [];
  const savedAt = pathIndex(saves, (s) => s.key);
  const candidates = loads.filter((load) => {
    if (!load.key || !load.compile || load.customObjects.kind !== "none" || load.scopes.length > 0) return false;
    const ext = extOf(load.key);
    return (ext === "h5" || (ext === "keras" && ctx.version === 3)) && savedAt(normalizePath(load.key)).length === 0;
  });
  if (candidates.length === 0) return [];
  const compiled: { name: string; at: number }[] = [];
  for (const s of ctx.statements)
    for (const n of compileCalls(s))
      for (const name of compileFunctionNames(ctx, n))
        if (!registered.has(name) && !ctx.customObjectKeys.has(name)) compiled.push({ name, at: n.blk.offset + n.si });
  // each name at its first compile, in source order: the names compiled before a load are a prefix
  const firstSeen: { name: string; at: number }[] = [];
  const seen = new Set<string>();
  for (const c of compiled.sort((x, y) => x.at - y.at))
    if (!seen.has(c.name)) {
      seen.add(c.name);
      firstSeen.push(c);
    }
  const out: Finding[] = [];
  for (const load of candidates) {
    const names = firstSeen.slice(0, countBefore(firstSeen, load.call.blk.offset + load.call.si)).map((c) => c.name);
    if (names.length === 0) continue;
    const list = names.map((n) => `\`${n}\``).join(", ");
    out.push(
      unprovidedAtLoad(
        ctx,
        load,
        `This file compiles its model with ${list}, registered nowhere; if this file holds that model, loading it with compile=True rebuilds the compile arguments and fails ("Unknown ... function: ${names[0]}" in tf.keras, "Could not locate function" in Keras 3). Pass custom_objects, or compile=False and compile again.`,
        customObjectsFix(
          ctx,
          load,
          names.map((n) => ({ key: n, value: n })),
        ),
      ),
    );
  }
  return out;
}
