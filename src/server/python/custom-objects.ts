/**
 * SMS201–SMS204: custom classes and the names Keras saves them under.
 */
import { dotted, field, range, text, walk, type PyNode } from "./ast.js";
import { isRegisterFn, type CustomClass } from "./classes.js";
import { getConfigRules, type GetConfigInputs } from "./get-config.js";
import { calledNames, statementFacts } from "./facts.js";
import { Codes, Severity } from "./codes.js";
import { diag, indentOf, pathIndex, pathKey, type FileContext, type Finding, type Fix } from "./context.js";
import type { SaveRecord } from "./flow.js";
import { kerasSpelling } from "./imports.js";
import { allProvided, type LoadCall, type ProvidedEntry } from "./loads.js";

/** Custom classes an object of `cls` carries: itself, in-file bases, classes it instantiates. */
const closureCache = new WeakMap<FileContext, Map<string, Set<string>>>();

export function classClosure(ctx: FileContext, roots: readonly string[]): Set<string> {
  const key = roots.join(",");
  let cache = closureCache.get(ctx);
  if (!cache) closureCache.set(ctx, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Set<string>();
  cache.set(key, out);
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (out.has(name)) continue;
    const cls = ctx.classes.get(name);
    if (!cls) continue;
    out.add(name);
    stack.push(...cls.customBases);
    for (const f of calledNames(cls.node)) if (ctx.classes.has(f) && !out.has(f)) stack.push(f);
  }
  return out;
}

/** Classes a saved object needs to be rebuilt. */
export function savedClasses(ctx: FileContext, s: SaveRecord): Set<string> {
  const roots = s.cls ? [s.cls.name, ...s.parts] : [...s.scopeClasses, ...s.parts];
  return classClosure(ctx, roots);
}

/**
 * Whether loading a model saved in this file with an unprovided, unregistered custom class fails, by
 * format and Keras version (the loader runs in the same process, where the class lives in `__main__`):
 *   - .h5: both versions look the class up by name only ("Unknown layer") — fails in both;
 *   - .keras: tf.keras imports the class's module (tf_keras/saving/serialization_lib.py, `importlib.import_module(module)`
 *     in _retrieve_class_or_fn), so `__main__` resolves; Keras 3 imports only keras packages
 *     (keras/src/saving/serialization_lib.py, `package in {"keras", ...}`) and raises "Could not locate class";
 *   - SavedModel directory: tf.keras revives a generic object (nothing fails; reported as information).
 */
const UNPROVIDED_FAILS: Readonly<Partial<Record<string, Readonly<Record<"2" | "3" | "unknown", boolean>>>>> = {
  h5: { 2: true, 3: true, unknown: true },
  keras: { 2: false, 3: true, unknown: false },
  none: { 2: true, 3: false, unknown: true },
};

/** File functions the saved model needs at this load, neither registered nor provided. */
function unprovidedFunctions(ctx: FileContext, save: SaveRecord, load: LoadCall, entries: readonly ProvidedEntry[]): string[] {
  const out: string[] = [];
  for (const f of save.scopeFunctions) {
    if (f.role === "compile" && !load.compile) continue;
    if (out.includes(f.name) || registeredFunctions(ctx).has(f.name) || ctx.customObjectKeys.has(f.name)) continue;
    if (entries.some((e) => e.value === f.name || e.key === f.name)) continue;
    out.push(f.name);
  }
  return out;
}

const registeredFnCache = new WeakMap<FileContext, Set<string>>();
/** Top-level functions decorated with `@register_keras_serializable(...)`. */
export function registeredFunctions(ctx: FileContext): Set<string> {
  let hit = registeredFnCache.get(ctx);
  if (hit) return hit;
  hit = new Set();
  for (const s of ctx.statements) {
    if (s.type !== "decorated_definition") continue;
    const def = field(s, "definition");
    const nm = def?.type === "function_definition" ? field(def, "name") : undefined;
    if (nm && s.children.some((d) => d.type === "decorator" && /register_keras_serializable\s*\(/.test(text(d)))) hit.add(text(nm));
  }
  registeredFnCache.set(ctx, hit);
  return hit;
}

function absOffset(n: PyNode): number {
  return n.blk.offset + n.si;
}

export function customObjectRules(
  ctx: FileContext,
  saves: readonly SaveRecord[],
  loads: readonly LoadCall[],
  elsewhere: GetConfigInputs["constructedElsewhere"] = new Map(),
): Finding[] {
  const out: Finding[] = [];
  // SMS203: bare decorator (classes and functions)
  for (const s of ctx.statements) {
    for (const n of statementFacts(s).bareDecorators) {
      const expr = n.children[0];
      if (expr && isRegisterFn(ctx.bindings, expr)) {
        const def = field(n.parent!, "definition");
        const nm = def ? field(def, "name") : undefined;
        const what = nm ? `\`${text(nm)}\`` : "the definition";
        out.push({
          diagnostic: diag(
            ctx,
            Codes.BareRegisterDecorator,
            Severity.Error,
            n,
            `register_keras_serializable is a decorator factory: without parentheses it receives ${what} as its \`package\` argument and rebinds the name to the inner decorator function, so ${what} is neither a class nor registered. Write \`@${text(expr)}()\` (optionally with package="...").`,
          ),
          fixes: [{ title: "Add parentheses: register the class", edits: [{ range: endOf(expr), newText: "()" }], preferred: true }],
        });
      }
    }
  }

  // Which classes are serialized by a save with a config-based format (.keras / .h5)?
  const configSaved = new Set<string>();
  for (const s of saves) if (s.ext === "keras" || s.ext === "h5") for (const c of savedClasses(ctx, s)) configSaved.add(c);

  // custom_objects that is not a mapping: a TypeError at every load, whatever the model holds
  for (const load of loads)
    if (load.customObjects.kind === "invalid")
      out.push({
        diagnostic: diag(
          ctx,
          Codes.UnprovidedCustomClass,
          Severity.Error,
          load.call,
          `custom_objects must be a dict from the saved names to the objects, e.g. {"Patches": Patches}; \`${text(load.customObjects.node).slice(0, 40)}\` is not one, so load_model raises TypeError ("... is not a mapping") and no custom object is provided.`,
        ),
        fixes: [],
      });

  // SMS201 / SMS202 on loads of models saved in this file
  const saveKeys = new Map(saves.map((s) => [s, keyOfSave(ctx, s)]));
  const savesOf = pathIndex(saves, (s) => saveKeys.get(s));
  const providedToLoads = new Set<string>();
  for (const load of loads) {
    const entries = allProvided(load);
    if (entries !== "opaque") for (const e of entries) if (e.value) providedToLoads.add(e.value);
    const matching = load.key ? savesOf(load.key) : [];
    // The name Keras saved is known only when this file saves the path: a model saved elsewhere may have
    // been built from an object of another name (`{"IoU": IoU_Loss}` is a deliberate alias), so no guess.
    if (entries !== "opaque" && matching.length > 0) out.push(...keyMismatches(ctx, load, entries));
    if (!load.key) continue;
    if (matching.length === 0 || entries === "opaque") continue;
    // the latest save of that path before the load (notebooks save the same path again later)
    const loadAt = absOffset(load.call);
    const before = matching.filter((m) => absOffset(m.call) < loadAt);
    const save = (before.length > 0 ? before : matching)[(before.length > 0 ? before : matching).length - 1]!;
    if (ctx.version === 3 && save.ext === "none") continue; // SMS103 already: Keras 3 cannot write or read that path
    if (!UNPROVIDED_FAILS[save.ext]?.[String(ctx.version) as "2" | "3" | "unknown"]) continue;
    const needed = [...savedClasses(ctx, save)].filter((c) => {
      const cls = ctx.classes.get(c)!;
      if (!load.compile && (cls.kind === "loss" || cls.kind === "metric")) return false;
      if (cls.registration && !cls.registration.bare) return false;
      if (ctx.customObjectKeys.has(c)) return false;
      return !entries.some((e) => e.value === c);
    });
    const severe = save.ext === "keras" || save.ext === "h5";
    // functions are traced into a SavedModel directory; only config formats look them up by name
    const neededFns = severe ? unprovidedFunctions(ctx, save, load, entries) : [];
    if (needed.length === 0 && neededFns.length === 0) continue;
    const level = severe ? Severity.Error : Severity.Information;
    const names = [...needed, ...neededFns];
    const list = names.map((c) => `\`${c}\``).join(", ");
    const what =
      needed.length === 0
        ? `custom function${neededFns.length > 1 ? "s" : ""}`
        : neededFns.length === 0
          ? `custom class${needed.length > 1 ? "es" : ""}`
          : "custom objects";
    const first = names[0]!;
    const consequence = severe
      ? needed.length > 0
        ? `loading fails (tf.keras: "Unknown layer: ${first}"; Keras 3: "Could not locate class '${first}'")`
        : `loading fails (tf.keras: "Unknown ... function: ${first}"; Keras 3: "Could not locate function '${first}'")`
      : `tf.keras loads a generic revived object instead of ${list}: its Python methods, get_config and cloning are lost (Keras 3 cannot load the directory at all)`;
    const related = needed.map((c) => ({ node: ctx.classes.get(c)!.nameNode, message: `\`${c}\` is defined here, not registered` }));
    related.push({ node: save.call, message: "saved here" });
    out.push({
      diagnostic: diag(
        ctx,
        Codes.UnprovidedCustomClass,
        level,
        load.call,
        `The model saved by this file uses ${what} ${list}, neither registered with register_keras_serializable nor passed in custom_objects: ${consequence}. Pass custom_objects={...} or register ${names.length > 1 ? "them" : "it"}.`,
        related,
      ),
      fixes: [
        // a function defined inside a factory has no name at the load: no fix that would be a NameError
        ...(neededFns.every((f) => ctx.functions.has(f))
          ? customObjectsFix(
              ctx,
              load,
              names.map((c) => ({ key: c, value: c })),
            )
          : []),
        ...needed.flatMap((c) => registerFix(ctx, ctx.classes.get(c)!)),
      ],
    });
  }

  // SMS204: constructor arguments without get_config (version logic in get-config.ts)
  out.push(...getConfigRules(ctx, { configSaved, providedToLoads, constructedElsewhere: elsewhere, fix: (cls) => getConfigFix(ctx, cls) }));
  return out;
}

export function keyOfSave(ctx: FileContext, s: SaveRecord): string | undefined {
  return pathKey(ctx, s.pathNode);
}

/** SMS202 (in-file): `custom_objects={"Key": Cls}` where Keras saved Cls under another name. */
function keyMismatches(ctx: FileContext, load: LoadCall, entries: ProvidedEntry[]): Finding[] {
  const out: Finding[] = [];
  for (const e of entries) {
    if (!e.value) continue;
    const cls = ctx.classes.get(e.value);
    let saved: string | undefined;
    let node: PyNode | undefined;
    if (cls && !cls.registration) {
      saved = cls.name;
      node = cls.nameNode;
    } else if (!cls && ctx.functions.has(e.value)) {
      saved = e.value;
    }
    if (saved === undefined || e.key === saved) continue;
    out.push({
      diagnostic: diag(
        ctx,
        Codes.CustomObjectsKeyMismatch,
        Severity.Warning,
        e.keyNode,
        `Keras saves \`${e.value}\` under its name "${saved}" and looks that name up in custom_objects; the key "${e.key}" never matches, so the object is not found ("Unknown ..." / "Could not locate ..."). Use the key "${saved}".`,
        node ? [{ node, message: `\`${e.value}\` is defined here` }] : [],
      ),
      fixes: [
        { title: `Use the saved name "${saved}"`, edits: [{ range: range(e.keyNode), newText: JSON.stringify(saved) }], preferred: true },
      ],
    });
  }
  void load;
  return out;
}

/** Adds `"key": value` entries to the load's custom_objects dict, or a `custom_objects=` argument. */
export function customObjectsFix(ctx: FileContext, load: LoadCall, entries: { key: string; value: string }[]): Fix[] {
  if (entries.length === 0) return [];
  const body = entries.map((e) => `${JSON.stringify(e.key)}: ${e.value}`).join(", ");
  const title = `Pass custom_objects: ${entries.map((e) => JSON.stringify(e.key)).join(", ")}`;
  if (load.customObjects.kind === "dict") {
    const d = load.customObjects.node;
    const last = d.children[d.children.length - 1];
    const insertAt = last ? endOf(last).end : { line: d.blk.row + d.sr, character: d.sc + 1 };
    return [{ title, edits: [{ range: { start: insertAt, end: insertAt }, newText: last ? `, ${body}` : body }] }];
  }
  if (load.customObjects.kind !== "none") return [];
  const argList = field(load.call, "arguments");
  if (!argList) return [];
  const endLine = argList.blk.row + argList.er;
  const endChar = argList.ec - 1;
  const hasArgs = argList.children.length > 0;
  return [
    {
      title,
      edits: [
        {
          range: { start: { line: endLine, character: endChar }, end: { line: endLine, character: endChar } },
          newText: `${hasArgs ? ", " : ""}custom_objects={${body}}`,
        },
      ],
    },
  ];
}

/** `@keras.saving.register_keras_serializable(package="...")` above the class. */
export function registerFix(ctx: FileContext, cls: CustomClass): Fix[] {
  if (cls.registration) return [];
  const spelling = kerasSpelling(ctx.bindings);
  if (!spelling) return [];
  const fn =
    ctx.version === 2 || spelling.endsWith(".keras")
      ? `${spelling}.utils.register_keras_serializable`
      : `${spelling}.saving.register_keras_serializable`;
  const line = cls.outer.blk.row + cls.outer.sr;
  const indent = indentOf(ctx, cls.outer);
  return [
    {
      title: `Register \`${cls.name}\` with @${fn}(package="${ctx.stem}")`,
      edits: [
        { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}@${fn}(package="${ctx.stem}")\n` },
      ],
    },
  ];
}

/** A get_config() skeleton from __init__'s parameters, inserted after __init__. */
export function getConfigFix(ctx: FileContext, cls: CustomClass): Fix[] {
  const init = cls.methods.get("__init__");
  if (!init || !cls.initParams) return [];
  // self.<attr> = <param> assignments map parameters to attributes
  const attrOf = new Map<string, string>();
  walk(init, (n) => {
    if (n.type === "assignment") {
      const l = dotted(field(n, "left"));
      const r = dotted(field(n, "right"));
      if (l?.startsWith("self.") && r && !r.includes(".")) attrOf.set(r, l.slice(5));
    }
    return true;
  });
  const indent = indentOf(ctx, init);
  const inner = indent + (indent.includes("\t") ? "\t" : "    ");
  const lines = cls.initParams.map((p) => `${inner}    ${JSON.stringify(p.name)}: self.${attrOf.get(p.name) ?? p.name},`);
  const code = [
    `${indent}def get_config(self):`,
    `${inner}config = super().get_config()`,
    `${inner}config.update({`,
    ...lines,
    `${inner}})`,
    `${inner}return config`,
  ].join("\n");
  const outer = init.parent?.type === "decorated_definition" ? init.parent : init;
  const line = outer.blk.row + outer.er + 1;
  return [
    {
      title: `Add get_config() for ${cls.initParams.map((p) => p.name).join(", ")}`,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `\n${code}\n` }],
      preferred: true,
    },
  ];
}

function endOf(n: PyNode): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const p = { line: n.blk.row + n.er, character: n.ec };
  return { start: p, end: p };
}
