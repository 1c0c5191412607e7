/**
 * SMS201 across files: what a saved model needs at load that only another file can tell.
 *
 *   - A training script saves a path; its model uses custom classes or functions that are not registered
 *     (defined in that script, or imported from a module of the workspace). A serving script loads the
 *     same literal path without passing them in custom_objects: Keras cannot find them.
 *   - An imported class counts when the module that defines it is a workspace file we have analysed
 *     (its WorkspaceDefs) and does not register it: importing a class is not registering it. A module
 *     we have not seen stays silent.
 *
 * Whether the missing object fails the load, by format and version (stated once, in FAILS):
 *   - .h5: both versions look objects up by the saved name only ("Unknown layer"/"Unknown ... function");
 *   - .keras: Keras 3 (3.10 on) imports only Keras packages ("Could not locate class"); tf.keras imports
 *     the module the object was recorded with: an imported object's module can be imported again, but an
 *     object defined in the training script was recorded in `__main__`, which in the serving process is
 *     the serving script — it fails there unless the serving script defines or imports that name;
 *   - SavedModel directory: tf.keras revives generic objects, Keras 3 cannot load it at all (SMS302).
 * Compile-only objects (losses, metrics) matter only when the load compiles (the default).
 */
import { args, dotted, field, offsetOf, range, text, walk, type PyNode } from "./ast.js";
import type { CustomClass } from "./classes.js";
import { Codes, Severity } from "./codes.js";
import {
  valueBefore,
  finding,
  moduleOf,
  extOf,
  importedClass,
  pathValue,
  takesOptionDefault,
  normalizePath,
  pathIndex,
  samePath,
  KERAS_MODULE,
  argumentItems,
  knownHere,
  optionConstants,
  isLibraryModule,
  isModule,
  returnedBy,
  topLevelFunction,
  workspaceClass,
  workspaceMember,
  type DiskLookup,
  type FileContext,
  type Finding,
  type PathExt,
} from "./context.js";
import { customObjectsFix } from "./custom-objects.js";
import { callArgumentNotPlain } from "./get-config.js";
import { isBuiltinName } from "../../core/savedmodel/keras-file.js";
import { unprovidedAtLoad } from "./load-usage.js";
import { memo } from "./facts.js";
import { COMPILE_FN_KEYWORDS, LAYER_FN_KEYWORDS, modelFactory } from "./factories.js";
import { endingNames, trainerFacts, type TrainerFact } from "./trainers.js";
import { resolve, sameNames, starImports, trackNames, type UsedNames } from "./imports.js";
import type { VersionEvidence } from "./version.js";
import { allProvided, type LoadCall, type ProvidedEntry } from "./loads.js";

/** A custom object a saved model needs at load, unregistered in the saving file. */
export interface Need {
  readonly name: string;
  readonly role: "class" | "layer" | "compile";
  /** Dotted import (`layers.attention.Attention`) when the saving file imports it rather than defines it. */
  readonly from?: string;
  /** Where the saving file hands an imported object to Keras: it belongs to the saves after it. */
  readonly at?: number;
  /** A loss/metric/activation handed as a call's result (`loss=focal_loss(2.0)`): Keras saves what the call returns. */
  readonly called?: true;
  /** A class constructed with an argument that is not a plain value (its text): its config needs get_config(). */
  readonly configArg?: string;
  /** The name a call's result is bound to (`train_model = build_train_model(...)`): a model of that name. */
  readonly bound?: string;
  /** The factory table the saving file picks the model's factory from: only some of its models carry this. */
  readonly via?: string;
}

/**
 * Library layers that are not registered with Keras, so a saved config names them and only custom_objects
 * resolves them (tensorflow_hub's KerasLayer: "Unknown layer: 'KerasLayer'" at every .h5 load without it).
 */
const UNREGISTERED_LIBRARY_CLASSES = new Set(["tensorflow_hub.KerasLayer"]);

/** An object of Keras or another library that Keras finds by itself: never a need of the saved model. */
const libraryObject = (from: string): boolean => !UNREGISTERED_LIBRARY_CLASSES.has(from) && isLibraryModule(from);

/** Top-level Keras classes and functions of one file, and whether each is registered there. */
export interface WorkspaceDefs {
  readonly uri: string;
  /** Plain data (compared as JSON to tell whether files that import this one need a new analysis). */
  readonly objects: readonly (readonly [string, DefFacts])[];
  /**
   * The Keras classes themselves, for files that import and instantiate them (flow.ts); their bases are
   * looked up here. A Map: left out of the JSON comparison; `objects` carries their facts.
   */
  readonly classes?: ReadonlyMap<string, CustomClass>;
  /** Module-level string constants (`MODEL_PATH = "models/net.h5"`), for files that import them. */
  readonly constants?: readonly (readonly [string, string])[];
  /** Names this module imports from elsewhere (`__init__.py` re-exports): local name → dotted import. */
  readonly reexports?: readonly (readonly [string, string])[];
  /** Every module this one imports, at any depth of the file (registrations run when it is imported). */
  readonly imports?: readonly string[];
  /** Attributes a class binds to its own methods (methodAttributes), for files that hand them to Keras. */
  readonly methodAttributes?: readonly (readonly [string, string, readonly string[]])[];
  /** The names the module imports (`tf` → `tensorflow`): what `from module import *` brings to another file. */
  readonly aliases?: readonly (readonly [string, string])[];
  /** The modules it star-imports (`from ._layers import *`; relative ones rooted like `reexports`). */
  readonly stars?: readonly string[];
  /** Trainer classes that checkpoint the model they are given (trainers.ts). */
  readonly trainers?: readonly TrainerFact[];
  /** The module's Keras version when its own code decides it (version.ts `marker`), for files importing it. */
  readonly version?: VersionEvidence;
}

export interface DefFacts {
  readonly registered: boolean;
  /** "table": a module-level dict of this module's model factories (`MODEL_CONSTRUCTORS[name](shape)`). */
  readonly kind: "class" | "function" | "table";
  /** A class's methods (own and inherited from in-file bases) and how it is built. */
  readonly methods?: readonly string[];
  readonly built?: string;
  /**
   * A function's model parts: what its body, and the body of every file function it calls, hands to Keras
   * (classes called, layer-function and compile() arguments), each with its import in this module ("" when
   * defined here). Set when there is any; `factory` when every return is a Keras model (modelFactory).
   */
  readonly carries?: readonly (readonly [string, Need["role"], string, true?])[];
  readonly factory?: boolean;
  /** The nested function a function returns (`def focal_loss(g): def focal_loss_fixed(...) ... return focal_loss_fixed`). */
  readonly returns?: string;
  /** A table's factories: the module's functions among its values, nested dicts included. */
  readonly table?: readonly string[];
}

/** The parts of a workspace save this rule reads. */
export interface NeedingSave {
  readonly uri: string;
  readonly key: string;
  readonly ext: PathExt;
  readonly needs: readonly Need[];
  /** The saved model's custom class, when the flow walk knows it. */
  readonly cls?: string;
  /** The saved variable (`pred_model` of `pred_model.save(...)`). */
  readonly model?: string;
  /** When only run time knows the path: its known ending, when that fixes the file name (trainers.ts endingNames). */
  readonly ending?: string;
  /** The trainer class method that saves the model (`Crested.fit`), when the file does not save it itself. */
  readonly savedBy?: string;
}

type Version = "2" | "3" | "unknown";
/** Whether a missing object fails the load: true, false, or "main" (tf.keras: only a `__main__` object the loading file lacks). */
const FAILS: Readonly<Partial<Record<PathExt, Readonly<Record<Version, boolean | "main">>>>> = {
  h5: { 2: true, 3: true, unknown: true },
  keras: { 2: "main", 3: true, unknown: "main" },
};

function fails(ctx: FileContext, ext: PathExt, need: Need): boolean {
  const f = FAILS[ext]?.[String(ctx.version) as Version];
  if (f !== "main") return f ?? false;
  return !need.from && !knownHere(ctx, need.name);
}

/**
 * Imported names this file hands to Keras: called (a class instantiated into a model), or given as a
 * layer function argument or a compile() loss/metric. Keras' own names are resolved away by the caller.
 */
export function importedUses(ctx: FileContext): Need[] {
  const out = new Map<string, Need>();
  for (const s of ctx.statements)
    for (const { node, role } of handedToKeras(s))
      for (const item of handedItems(ctx, node, role)) {
        // `metrics=[F1Score(name="f1")]`: the class of an instance handed over, in the role it is handed in
        const it = item.type === "call" ? (field(item, "function") ?? item) : item;
        // `loss=trainer.loss` where `trainer = Trainer(...)` of an imported class: the methods it binds there
        const held = it.type === "attribute" ? heldAttribute(ctx, it) : undefined;
        const froms = held
          ? [held]
          : it.type === "identifier"
            ? nameImports(ctx, text(it))
            : it.type === "attribute"
              ? [resolve(ctx.bindings, it)]
              : [];
        for (const from of froms) {
          if (!from || out.has(from)) continue;
          // `crested.tl.zoo.borzoi(...)`: a workspace module's factory or class named through its package
          if (!held && libraryObject(from)) continue;
          const called = item.type === "call" && role !== "class" ? { called: true as const } : {};
          // `ArcFace(10, regularizer=regularizers.l2(1e-4))`: handed as its callee, constructed by the call around it
          const ctor = role === "class" && item.field === "function" && item.parent?.type === "call" ? item.parent : undefined;
          const plain = ctor ? callArgumentNotPlain(ctx, ctor) : undefined;
          const configArg = plain ? { configArg: text(plain).slice(0, 60) } : {};
          const target = ctor?.parent?.type === "assignment" && ctor.field === "right" ? field(ctor.parent, "left") : undefined;
          const bound = target?.type === "identifier" ? { bound: text(target) } : {};
          const need: Need = {
            name: from.slice(from.lastIndexOf(".") + 1),
            role,
            from,
            at: it.blk.offset + it.si,
            ...called,
            ...configArg,
            ...bound,
          };
          out.set(from, need);
        }
      }
  return [...out.values()];
}

/**
 * Where a plain name may come from: its import, else (a name the file neither imports nor defines) each module the
 * file star-imports (`from metrics import *`): a candidate that names nothing there resolves to nothing later.
 */
function nameImports(ctx: FileContext, name: string): (string | undefined)[] {
  if (knownHere(ctx, name) || PY_BUILTINS.has(name)) return [ctx.bindings.names.get(name)];
  return starModules(ctx).map((m) => `${m}.${name}`);
}

/** Python built-ins a script calls everywhere: never a star-imported Keras object. */
const PY_BUILTINS = new Set(
  "abs all any bool dict enumerate filter float format getattr hasattr int isinstance iter len list map max min next open print range repr reversed round set setattr sorted str sum super tuple type vars zip".split(
    " ",
  ),
);

const starCache = new WeakMap<FileContext, string[]>();
/** The modules a file imports with `from module import *`. */
function starModules(ctx: FileContext): string[] {
  return memo(starCache, ctx, () => starImports(ctx.source));
}

/** `trainer.loss` where `trainer = Trainer(...)` of an imported class: the class's import and the attribute (`model.unet.loss`). */
function heldAttribute(ctx: FileContext, n: PyNode): string | undefined {
  const obj = field(n, "object");
  const local = obj?.type === "identifier" ? ctx.instances.get(text(obj)) : undefined;
  const cls = local !== undefined ? ctx.bindings.names.get(local) : undefined;
  return cls && !KERAS_MODULE.test(cls) ? `${cls}.${text(field(n, "attribute")!)}` : undefined;
}

/**
 * Attributes a class's methods bind to its own methods (`self.loss = self.combined_loss`, `self.metrics =
 * ["accuracy", self.dice]`): [class, attribute, method names]. Keras saves a bound method by its `__name__`.
 */
function methodAttributes(ctx: FileContext): (readonly [string, string, readonly string[]])[] {
  const out: (readonly [string, string, readonly string[]])[] = [];
  for (const s of ctx.statements) {
    const def = s.type === "decorated_definition" ? field(s, "definition") : s;
    if (def?.type === "class_definition") out.push(...memo(attributesCache, def, classMethodAttributes));
  }
  return out;
}

/** methodAttributes of one class node (its text alone decides them), cached on it. */
const attributesCache = new WeakMap<PyNode, readonly (readonly [string, string, readonly string[]])[]>();
function classMethodAttributes(def: PyNode): (readonly [string, string, readonly string[]])[] {
  const out: [string, string, string[]][] = [];
  if (!/self\.\w+\s*=\s*\[?[^=\n]*\bself\.\w+/.test(text(def))) return out;
  const cls = text(field(def, "name")!);
  const methods = new Set<string>();
  for (const m of field(def, "body")?.children ?? []) {
    const f = m.type === "decorated_definition" ? field(m, "definition") : m;
    if (f?.type === "function_definition") methods.add(text(field(f, "name")!));
  }
  const bound = new Map<string, string[] | undefined>();
  walk(def, (n) => {
    if (n.type !== "assignment") return true;
    const target = dotted(field(n, "left"));
    const attr = target?.startsWith("self.") && target.split(".").length === 2 ? target.slice(5) : undefined;
    if (!attr) return true;
    const right = field(n, "right");
    const items = right?.type === "list" || right?.type === "tuple" ? right.children : right ? [right] : [];
    const names = items.map((i) => dotted(i)).flatMap((d) => (d?.startsWith("self.") && methods.has(d.slice(5)) ? [d.slice(5)] : []));
    // an attribute bound to anything else as well is not one list of methods
    bound.set(attr, names.length > 0 && (!bound.has(attr) || bound.get(attr)) ? [...(bound.get(attr) ?? []), ...names] : undefined);
    return true;
  });
  for (const [attr, names] of bound) if (names) out.push([cls, attr, [...new Set(names)]]);
  return out;
}

/** The objects one handed node gives Keras: a callee itself, an argument's list items (`metrics=[a, b]`, `metrics=ms`). */
function handedItems(ctx: FileContext, node: PyNode, role: Need["role"]): readonly PyNode[] {
  return role === "class" ? [node] : argumentItems(ctx, node);
}

/** Callees, compile() loss/metric values and layer-function keyword values in one statement, cached on it. */
const handedCache = new WeakMap<PyNode, readonly { readonly node: PyNode; readonly role: Need["role"] }[]>();
function handedToKeras(s: PyNode): readonly { readonly node: PyNode; readonly role: Need["role"] }[] {
  return memo(handedCache, s, (stmt) => {
    const out: { node: PyNode; role: Need["role"] }[] = [];
    walk(stmt, (n) => {
      if (n.type !== "call") return true;
      const fn = field(n, "function");
      if (fn?.type === "identifier" || fn?.type === "attribute") out.push({ node: fn, role: "class" });
      else if (fn?.type === "subscript") {
        // `MODELS[name](shape)`, `base_models[key]["base"](shape)`: the table the factory comes from
        let root: PyNode | undefined = fn;
        while (root?.type === "subscript") root = field(root, "value");
        if (root?.type === "identifier" || root?.type === "attribute") out.push({ node: root, role: "class" });
      }
      const isCompile = fn?.type === "attribute" && text(field(fn, "attribute")!) === "compile";
      for (const c of field(n, "arguments")?.children ?? []) {
        if (c.type !== "keyword_argument") continue;
        const k = text(field(c, "name")!);
        const v = field(c, "value");
        if (!v) continue;
        if (isCompile && COMPILE_FN_KEYWORDS.has(k)) out.push({ node: v, role: "compile" });
        else if (LAYER_FN_KEYWORDS.test(k)) out.push({ node: v, role: "layer" });
      }
      return true;
    });
    return out;
  });
}

/**
 * Whether the need is satisfied without custom_objects: registered where it is defined, or unknown to us,
 * or not an object Keras saves at all (an imported function that is called, e.g. `build_model()`).
 */
function resolvedElsewhere(need: Need, save: NeedingSave, defs: readonly WorkspaceDefs[]): boolean {
  if (!need.from) return false;
  if (UNREGISTERED_LIBRARY_CLASSES.has(need.from)) return false;
  const m = workspaceMember(need.from, defs, save.uri);
  const entry = m?.home.objects.find(([n]) => n === m.name)?.[1];
  if (entry === undefined || entry.registered || (entry.kind !== "class" && need.role === "class")) return true;
  // an imported model class is a model of its own (a VAE around the decoder saved here), not a part of another
  return entry.built?.startsWith("model") === true && need.role === "class" && save.cls !== need.name;
}

/**
 * A class registered in its module is found at load only if that module was imported: .h5 looks the saved
 * name up in both versions, Keras 3 never imports a non-Keras module ("... make sure they are all imported so
 * that the decorator is run"); tf.keras .keras imports the recorded module itself.
 */
function registrationMissed(ctx: FileContext, need: Need, save: NeedingSave, defs: readonly WorkspaceDefs[]): WorkspaceDefs | undefined {
  if (!need.from || (save.ext !== "h5" && !(save.ext === "keras" && ctx.version === 3))) return undefined;
  const m = workspaceMember(need.from, defs, save.uri);
  if (!m || m.home.uri === ctx.uri || !m.home.objects.some(([n, f]) => n === m.name && f.registered)) return undefined;
  return importsReach(ctx, m.home, defs) ? undefined : m.home;
}

interface Missing {
  /** Needed names nothing provides. */
  readonly names: string[];
  /** Entries that pass the needed object under another key than the saved name. */
  readonly misKeyed: { readonly entry: ProvidedEntry; readonly saved: string }[];
  /** Needed classes registered in a module this file never imports (by import path): the decorator never runs here. */
  readonly unimported: { readonly name: string; readonly home: WorkspaceDefs }[];
  /** Names only some factories of a table carry, by table (Need.via). */
  readonly via: Map<string, string>;
}

/** "uses `A`", or for names only a factory-table choice carries (Need.via) "may use `A` (...)". */
function usesPhrase(names: readonly string[], via: ReadonlyMap<string, string>): string {
  const list = names.map((n) => `\`${n}\``).join(", ");
  const tables = [...new Set(names.flatMap((n) => via.get(n) ?? []))];
  if (tables.length === 0) return `uses ${list}`;
  return `may use ${list} (it picks its factory from ${tables.map((t) => `\`${t}\``).join(", ")}, and some of those build ${names.length > 1 ? "them" : "it"} in)`;
}

/**
 * The role of a need: an imported loss or metric class is needed only to compile, wherever the saving file
 * handed it over (`metrics=[F1Score()]` given to the function that compiles).
 */
function roleOf(need: Need, save: NeedingSave, defs: readonly WorkspaceDefs[]): Need["role"] {
  if (need.role === "compile" || !need.from) return need.role;
  const m = workspaceMember(need.from, defs, save.uri);
  const built = m?.home.objects.find(([n]) => n === m.name)?.[1].built;
  return built?.startsWith("loss") || built?.startsWith("metric") ? "compile" : need.role;
}

/**
 * The save's needs with what imported model factories carry (`model = build_model()` from models.py, whose
 * layers are custom classes): each carried object as the saving file would import it, at the factory's place.
 */
function withCarried(save: NeedingSave, defs: readonly WorkspaceDefs[], saved: ReadonlySet<string>): Need[] {
  const out = [...save.needs];
  const add = (need: Need, depth: number, near: string): void => {
    const m = workspaceMember(need.from, defs, near);
    const facts = m?.home.objects.find(([n]) => n === m.name)?.[1];
    // `MODEL_CONSTRUCTORS[args.model_name](shape)`: any of the table's factories may build the saved model
    if (m && depth === 0 && facts?.table)
      for (const fn of facts.table) add({ ...need, name: fn, from: absoluteImport(m.home.uri, fn, ""), via: need.name }, 0, m.home.uri);
    // the saving file's own call must be a factory; a helper the factory calls only hands parts over
    if (!m || facts?.kind !== "function" || !facts.carries || (depth === 0 && !facts.factory) || depth > 3) return;
    // a model the file saves on its own (`train_model` checkpointed, `pred_model` saved) is not a part of this one
    if (depth === 0 && need.bound !== undefined && need.bound !== save.model && saved.has(need.bound)) return;
    for (const [name, role, local, called] of facts.carries) {
      const from = absoluteImport(m.home.uri, name, local);
      if (out.some((n) => n.from === from)) continue;
      const carried: Need = {
        name,
        role,
        from,
        ...(need.at !== undefined ? { at: need.at } : {}),
        ...(called ? { called } : {}),
        ...(need.via ? { via: need.via } : {}),
      };
      out.push(carried);
      if (role === "class") add(carried, depth + 1, m.home.uri);
    }
  };
  for (const need of save.needs) {
    if (need.role === "class") add(need, 0, save.uri);
    else out.push(...boundMethods(need, defs, save.uri));
  }
  return out.map((n) => (n.called ? returnedNeed(n, defs, save.uri) : n));
}

/**
 * `loss=focal_loss(2.0)` of a workspace function that returns a nested one: Keras saves and looks up that nested
 * function's name (`focal_loss_fixed`), unregistered wherever the outer one is.
 */
function returnedNeed(need: Need, defs: readonly WorkspaceDefs[], near: string): Need {
  const m = workspaceMember(need.from, defs, near);
  const returns = m?.home.objects.find(([n]) => n === m.name)?.[1].returns;
  return returns ? { name: returns, role: need.role, ...(need.at !== undefined ? { at: need.at } : {}) } : need;
}

/** `loss=trainer.loss` (heldAttribute): the methods the class binds to that attribute, by the name Keras saves. */
function boundMethods(need: Need, defs: readonly WorkspaceDefs[], near: string): Need[] {
  const cut = need.from?.lastIndexOf(".") ?? -1;
  const owner = cut > 0 ? workspaceMember(need.from!.slice(0, cut), defs, near) : undefined;
  const attr = need.from?.slice(cut + 1);
  const names = owner?.home.methodAttributes?.find(([c, a]) => c === owner.name && a === attr)?.[2] ?? [];
  // a method is never registered: only custom_objects finds it
  return names.map((name) => ({ name, role: need.role, ...(need.at !== undefined ? { at: need.at } : {}) }));
}

/**
 * A name a module imports (`.layers.Block`, `pkg.layers.Block`) or defines (""), as a dotted name moduleOf finds
 * from anywhere: relative ones are rooted at the module's folder, named by its last four path components.
 */
function absoluteImport(uri: string, name: string, from: string): string {
  const parts = uri
    .replace(/^[a-z]+:\/\/\/?/, "")
    .replace(/(\/__init__)?\.py$/, "")
    .split("/");
  if (!from) return [...parts.slice(-4), name].join(".");
  if (!from.startsWith(".")) return from;
  const dots = /^\.+/.exec(from)![0].length;
  const folders = uri.endsWith("/__init__.py") ? parts : parts.slice(0, -1);
  return [...folders.slice(Math.max(0, folders.length - 4), folders.length - (dots - 1)), from.slice(dots)].join(".");
}

/** The variables each file saves, per workspace snapshot (withCarried). */
const savedCache = new WeakMap<readonly NeedingSave[], Map<string, Set<string>>>();
function savedModels(saves: readonly NeedingSave[], uri: string): ReadonlySet<string> {
  const byUri = memo(savedCache, saves, () => {
    const out = new Map<string, Set<string>>();
    for (const s of saves) if (s.model !== undefined) out.set(s.uri, (out.get(s.uri) ?? new Set()).add(s.model));
    return out;
  });
  return byUri.get(uri) ?? new Set();
}

/** What this file's load leaves missing, for one save of the same path (`saves`: all of the workspace's). */
function missing(
  ctx: FileContext,
  load: LoadCall,
  save: NeedingSave,
  saves: readonly NeedingSave[],
  defs: readonly WorkspaceDefs[],
  sameFile: boolean,
): Missing {
  const entries = allProvided(load);
  const out: Missing = { names: [], misKeyed: [], unimported: [], via: new Map() };
  if (entries === "opaque") return out;
  for (const need of withCarried(save, defs, savedModels(saves, save.uri))) {
    if (sameFile && !need.from) continue; // the file's own classes: customObjectRules
    if ((roleOf(need, save, defs) === "compile" && !load.compile) || !fails(ctx, save.ext, need)) continue;
    if (entries.some((e) => e.key === need.name || e.key.endsWith(`>${need.name}`)) || ctx.customObjectKeys.has(need.name)) continue;
    const own = ctx.classes.get(need.name)?.registration;
    if (own && !own.bare) continue;
    const home = registrationMissed(ctx, need, save, defs);
    if (home && !ctx.bindings.names.has(need.name)) {
      if (!out.unimported.some((u) => u.name === need.name)) out.unimported.push({ name: need.name, home });
      continue;
    }
    if (resolvedElsewhere(need, save, defs) || out.names.includes(need.name)) continue;
    // `{"dice_coef_loss": dice_coefficients_loss}`: the object is there, under a key Keras never looks up
    const entry = entries.find((e) => e.value === need.name);
    if (entry) out.misKeyed.push({ entry, saved: need.name });
    else out.names.push(need.name);
    if (need.via) out.via.set(need.name, need.via);
  }
  return out;
}

export function crossFileUnprovided(
  ctx: FileContext,
  loads: readonly LoadCall[],
  saves: readonly NeedingSave[],
  defs: readonly WorkspaceDefs[],
): Finding[] {
  const out: Finding[] = [];
  const savesOf = pathIndex(saves, (s) => s.key);
  const ending = saves.filter((s) => s.key === "" && s.ending !== undefined);
  for (const load of loads) {
    if (!load.key) continue;
    const key = normalizePath(load.key);
    for (const save of [...savesOf(key), ...ending.filter((s) => endingNames(s.ending!, key))]) {
      if (!FAILS[save.ext]) continue;
      const { names, misKeyed, unimported, via } = missing(ctx, load, save, saves, defs, save.uri === ctx.uri);
      const where = save.uri === ctx.uri ? "this file" : fileName(save.uri);
      const saved = save.savedBy
        ? `${where} hands to \`${save.savedBy}\`, which checkpoints it to this path,`
        : `${where} saves to this path`;
      const atLoad = (message: string): number => out.push(finding(ctx, Codes.UnprovidedCustomClass, Severity.Error, load.call, message));
      if (unimported.length > 0)
        atLoad(
          `The model ${saved} uses ${unimported.map((u) => `\`${u.name}\``).join(", ")}, registered in ${[...new Set(unimported.map((u) => fileName(u.home.uri)))].join(", ")}, which this file never imports: the decorator never runs here, so loading fails ("Could not locate class ... make sure they are all imported so that the decorator is run" in Keras 3, "Unknown layer" from .h5). Import ${unimported.length > 1 ? "them" : "it"} from that module before loading.`,
        );
      for (const { entry, saved } of misKeyed)
        out.push(
          finding(
            ctx,
            Codes.CustomObjectsKeyMismatch,
            Severity.Error,
            entry.keyNode,
            `${where} saves this path with \`${saved}\`, so Keras looks up the key "${saved}"; the key "${entry.key}" never matches and loading fails ("Unknown ..." / "Could not locate ..."). Use the key "${saved}".`,
            [
              {
                title: `Use the saved name "${saved}"`,
                edits: [{ range: range(entry.keyNode), newText: JSON.stringify(saved) }],
                preferred: true,
              },
            ],
          ),
        );
      if (names.length === 0) {
        if (misKeyed.length > 0 || unimported.length > 0) break;
        continue;
      }
      atLoad(
        `The model ${saved} ${usesPhrase(names, via)}, registered nowhere (importing is not registering) and not passed in custom_objects: loading fails ("Unknown layer"/"Unknown ... function" in tf.keras, "Could not locate ..." in Keras 3). Pass custom_objects={${names.map((n) => `"${n}": ${n}`).join(", ")}} or register ${names.length > 1 ? "them" : "it"} with register_keras_serializable.`,
      );
      break;
    }
  }
  return out;
}

/**
 * GetConfigInputs.constructedElsewhere: this file's classes that a save of another workspace file to .keras/.h5
 * needs, constructed there with an argument that is not a plain value (Need.configArg).
 */
export function constructedElsewhere(ctx: FileContext, saves: readonly NeedingSave[]): Map<string, { file: string; argument: string }> {
  const out = new Map<string, { file: string; argument: string }>();
  for (const save of saves) {
    if (save.uri === ctx.uri || (save.ext !== "h5" && save.ext !== "keras")) continue;
    for (const need of save.needs) {
      const cut = need.from?.lastIndexOf(".") ?? -1;
      if (!need.configArg || cut < 0 || !ctx.classes.has(need.name) || !isModule(ctx, need.from!.slice(0, cut))) continue;
      if (!out.has(need.name)) out.set(need.name, { file: fileName(save.uri), argument: need.configArg });
    }
  }
  return out;
}

/**
 * SMS201 for a load whose path only run time knows (a command-line argument or its default, a parameter, a
 * download) and that no save of the workspace names: when every model the workspace saves needs an object this
 * load leaves missing, loading any of them fails. Silent
 * when one of those saves would load (nothing missing), or when one's format keeps objects we cannot judge
 * (a SavedModel directory, a path whose format only run time knows): the load may read that one.
 */
export function runtimePathLoads(
  ctx: FileContext,
  loads: readonly LoadCall[],
  saves: readonly NeedingSave[],
  defs: readonly WorkspaceDefs[],
  disk?: DiskLookup,
): Finding[] {
  const out: Finding[] = [];
  const savesOf = pathIndex(saves, (s) => s.key);
  for (const load of loads) {
    // a path the file fixes is not a run-time one (a literal, also a loader's default, is the disk rule's); an
    // option's default is, unless a save of the workspace or a file on disk names it (crossFileUnprovided and
    // the disk rule judge those)
    if (load.literal !== undefined || !load.pathNode || saves.length === 0) continue;
    const known = load.key !== undefined && (savesOf(normalizePath(load.key)).length > 0 || disk?.(load.key).state === "ready");
    if (load.key !== undefined && (!takesOptionDefault(ctx, load.pathNode) || known)) continue;
    const ext = extOf(pathValue(ctx, load.pathNode));
    const models = ext === "unknown" ? saves : saves.filter((s) => s.ext === ext);
    if (models.length === 0 || models.some((s) => !FAILS[s.ext])) continue;
    let common: string[] | undefined;
    const via = new Map<string, string>();
    for (const save of models) {
      const m = missing(ctx, load, save, saves, defs, false);
      const names = [...m.names, ...m.unimported.map((u) => u.name), ...m.misKeyed.map((k) => k.saved)];
      for (const [n, t] of m.via) via.set(n, t);
      common = common === undefined ? names : common.filter((n) => names.includes(n));
      if (common.length === 0) break;
    }
    if (!common?.length) continue;
    const where = [...new Set(models.map((s) => (s.uri === ctx.uri ? "this file" : fileName(s.uri))))].join(", ");
    const bound = common.every((n) => knownHere(ctx, n));
    out.push(
      unprovidedAtLoad(
        ctx,
        load,
        `This path is known only at run time, and every model this workspace saves (${where}) ${usesPhrase(common, via)}, which this load neither finds registered nor gets in custom_objects: loading ${common.some((n) => via.has(n)) ? "one built with it" : "any of them"} fails ("Unknown layer"/"Unknown ... function" in tf.keras, "Could not locate ..." in Keras 3). Pass custom_objects={${common.map((n) => `"${n}": ${n}`).join(", ")}}.`,
        bound
          ? customObjectsFix(
              ctx,
              load,
              common.map((n) => ({ key: n, value: n })),
            )
          : [],
      ),
    );
  }
  return out;
}

/**
 * A serving file that imports tensorflow_hub and loads an `.h5` without custom_objects: the model it
 * serves holds a hub.KerasLayer (the reason to import the hub there), which no .h5 load resolves without
 * `custom_objects={"KerasLayer": hub.KerasLayer}` ("Unknown layer: 'KerasLayer'" in both versions).
 * Paths a file of the workspace saves (this one included) are left to the save-linked rules.
 */
export function hubLayerLoads(ctx: FileContext, loads: readonly LoadCall[], saves: readonly { readonly key: string }[]): Finding[] {
  const hub = [...ctx.bindings.names].find(([, full]) => full === "tensorflow_hub")?.[0];
  if (!hub || ctx.customObjectKeys.has("KerasLayer")) return [];
  const out: Finding[] = [];
  for (const load of loads) {
    if (!load.key || extOf(load.key) !== "h5" || load.customObjects.kind !== "none" || load.scopes.length > 0) continue;
    const key = normalizePath(load.key);
    if (saves.some((s) => samePath(s.key, key))) continue;
    out.push(
      unprovidedAtLoad(
        ctx,
        load,
        `This file imports tensorflow_hub, so the model it loads likely holds a \`${hub}.KerasLayer\`: an .h5 load finds it only through custom_objects ("Unknown layer: 'KerasLayer'" otherwise). Pass custom_objects={"KerasLayer": ${hub}.KerasLayer}.`,
        customObjectsFix(ctx, load, [{ key: "KerasLayer", value: `${hub}.KerasLayer` }]),
      ),
    );
  }
  return out;
}

/** Top-level classes and functions of this file, with their registration. */
export function definitionsOf(ctx: FileContext, registeredFunctions: ReadonlySet<string>, version?: VersionEvidence): WorkspaceDefs {
  const objects: [string, DefFacts][] = [];
  for (const c of ctx.classes.values()) {
    const methods = new Set(inFileLineage(c, ctx.classes).flatMap((k) => [...k.methods.keys()]));
    const built = `${c.kind}${c.genericBase ? "" : "-derived"}${c.sequential ? " sequential" : ""}${c.functionalInit ? " functional" : ""}${c.builtInInit ? " built" : ""}`;
    objects.push([
      c.name,
      { registered: c.registration !== undefined && !c.registration.bare, kind: "class", methods: [...methods], built },
    ]);
  }
  for (const f of ctx.functions) {
    const returns = returnedBy(ctx, f);
    objects.push([
      f,
      { registered: registeredFunctions.has(f), kind: "function", ...carriedBy(ctx, f), ...(returns ? { returns: text(returns) } : {}) },
    ]);
  }
  for (const [name, fns] of factoryTables(ctx)) objects.push([name, { registered: false, kind: "table", table: fns }]);
  // a relative import names its module from this file's package: `from .blocks import X` in models/__init__.py
  const pkg = ctx.uri.slice(0, ctx.uri.lastIndexOf("/")).split("/").pop() ?? "";
  const rooted = (full: string): string => (full.startsWith(".") && !full.startsWith("..") ? `${pkg}${full}` : full);
  const reexports = [...ctx.bindings.names]
    .filter(([local, full]) => full.includes(".") && !ctx.classes.has(local) && !ctx.functions.has(local))
    .map(([local, full]) => [local, rooted(full)] as const);
  const stars = starImports(ctx.source).map(rooted);
  const attributes = methodAttributes(ctx);
  const aliases = [...ctx.bindings.names].filter(([, full]) => !full.startsWith("."));
  const trainers = trainerFacts(ctx);
  return {
    uri: ctx.uri,
    objects,
    classes: ctx.classes,
    constants: [...ctx.constants, ...optionConstants(ctx)],
    reexports,
    imports: importedModules(ctx.source),
    ...(attributes.length > 0 ? { methodAttributes: attributes } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(trainers.length > 0 ? { trainers } : {}),
    ...(stars.length > 0 ? { stars } : {}),
    ...(version?.marker ? { version } : {}),
  };
}

/**
 * The file's module-level dicts whose values (nested dicts included) name its own functions, with those names
 * (DefFacts.table): `MODELS = {"unet": build_unet, "resnet": {"base": build_resnet, ...}}`, `dict(unet=build_unet)`.
 */
function factoryTables(ctx: FileContext): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const stmt of ctx.statements) {
    const a = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
    const left = a?.type === "assignment" ? field(a, "left") : undefined;
    const right = a && field(a, "right");
    if (left?.type !== "identifier" || !right || !isTable(right)) continue;
    const fns = new Set<string>();
    walk(right, (n) => {
      if (n.type === "pair" || n.type === "keyword_argument") {
        const v = field(n, "value");
        if (v?.type === "identifier" && ctx.functions.has(text(v))) fns.add(text(v));
      }
      return isTable(n) || n.type === "pair" || n.type === "keyword_argument" || n.type === "argument_list";
    });
    if (fns.size > 0) out.push([text(left), [...fns]]);
  }
  return out;
}

/** A dict literal or `dict(key=value, ...)`. */
const isTable = (n: PyNode): boolean => n.type === "dictionary" || (n.type === "call" && text(field(n, "function") ?? n) === "dict");

/**
 * DefFacts.carries / factory of the file function `name` (helpers it calls followed four deep), cached on its
 * node while the file's class and function names, the import bindings it looked up and the helpers it followed
 * stay the same: every analysis asks for every function, and a keystroke changes almost none of them.
 */
function carriedBy(ctx: FileContext, name: string): Pick<DefFacts, "carries" | "factory"> {
  const def = topLevelFunction(ctx, name);
  if (!def) return {};
  const names = memo(fileNamesCache, ctx, () => `${[...ctx.classes.keys()].join(",")}|${[...ctx.functions].join(",")}`);
  const hit = carriedCache.get(def);
  if (hit && hit.names === names && sameNames(ctx.bindings, hit.used) && hit.helpers.every(([n, d]) => topLevelFunction(ctx, n) === d))
    return hit.value;
  const helpers: [string, PyNode][] = [];
  const { value, used } = trackNames(ctx.bindings, () => {
    const out = new Map<string, readonly [string, Need["role"], string, true?]>();
    const visit = (fn: string, depth: number): void => {
      const d = topLevelFunction(ctx, fn);
      if (!d || helpers.some(([n]) => n === fn) || depth > 4) return;
      helpers.push([fn, d]);
      for (const { node, role } of handedToKeras(d))
        for (const item of handedItems(ctx, node, role)) {
          const it = item.type === "call" ? (field(item, "function") ?? item) : item;
          const n = it.type === "identifier" ? text(it) : undefined;
          const called = item.type === "call" && role !== "class";
          if (n !== undefined && ctx.functions.has(n) && role === "class") visit(n, depth + 1);
          else if (n !== undefined && (ctx.classes.has(n) || ctx.functions.has(n))) {
            // `loss=focal_loss(2.0)` of this module: Keras saves the nested function it returns
            const saved = (called && returnedBy(ctx, n)) || undefined;
            out.set(n, [saved ? text(saved) : n, role, ""]);
          } else {
            const from = n !== undefined ? ctx.bindings.names.get(n) : it.type === "attribute" ? resolve(ctx.bindings, it) : undefined;
            const short = from?.slice(from.lastIndexOf(".") + 1);
            if (from && short && !libraryObject(from)) out.set(from, called ? [short, role, from, true] : [short, role, from]);
          }
        }
    };
    visit(name, 0);
    if (out.size === 0) return {};
    const factory = modelFactory(ctx, def, (callee) => ctx.classes.get(dotted(callee) ?? "")) !== undefined;
    return { carries: [...out.values()], ...(factory ? { factory } : {}) };
  });
  carriedCache.set(def, { names, used, helpers, value });
  return value;
}

const carriedCache = new WeakMap<
  PyNode,
  {
    readonly names: string;
    readonly used: UsedNames | undefined;
    readonly helpers: readonly (readonly [string, PyNode])[];
    readonly value: Pick<DefFacts, "carries" | "factory">;
  }
>();
const fileNamesCache = new WeakMap<FileContext, string>();

/**
 * The modules a source imports anywhere (function bodies too): `from a.b import c` gives a.b and a.b.c (c may
 * be a module), `import a.b as x` gives a.b. Read from the text, so an import the tree puts in a function or
 * a try block counts the same.
 */
export function importedModules(source: string): string[] {
  if (lastModules?.source === source) return lastModules.modules; // one analysis asks per load and per need
  const out = new Set<string>();
  for (const m of source.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([\w, \t]*)/gm)) {
    out.add(m[1]!);
    for (const name of m[2]!.split(",")) {
      const n = name.trim().split(/\s+/)[0];
      if (n) out.add(`${m[1]!.endsWith(".") ? m[1] : `${m[1]}.`}${n}`);
    }
  }
  for (const m of source.matchAll(/^[ \t]*import[ \t]+([\w., \t]+)/gm))
    for (const part of m[1]!.split(",")) {
      const n = part.trim().split(/\s+/)[0];
      if (n) out.add(n);
    }
  lastModules = { source, modules: [...out] };
  return lastModules.modules;
}
let lastModules: { readonly source: string; readonly modules: string[] } | undefined;

/** Every folder of the workspace's files (as URI prefixes) and the files themselves, once per workspace snapshot. */
const foldersCache = new WeakMap<readonly WorkspaceDefs[], Set<string>>();

/**
 * Whether importing what this file imports runs `home` (a registering module): one of its imports, or of
 * theirs through the workspace's modules. An import that names a workspace package we have not analysed (an
 * unopened module: its first name is a folder of the workspace at an import root) counts as reaching it: only
 * a path we can follow to its end says "never". Import roots are this file's folder and the folders the
 * resolved imports hang from (`pkg/data/loader.py` imported as `pkg.data.loader`); a folder deeper down that
 * happens to share a library's name (`pkg/data/torch/`) is not `import torch`.
 */
export function importsReach(ctx: FileContext, home: WorkspaceDefs, defs: readonly WorkspaceDefs[]): boolean {
  const folders = memo(foldersCache, defs, () => {
    const out = new Set<string>();
    for (const d of defs) {
      for (let i = d.uri.indexOf("/", 8); i > 0; i = d.uri.indexOf("/", i + 1)) out.add(d.uri.slice(0, i));
      out.add(d.uri);
    }
    return out;
  });
  const roots = new Set([ctx.uri.slice(0, ctx.uri.lastIndexOf("/"))]);
  const unresolved: string[] = [];
  const seen = new Set<WorkspaceDefs>();
  const queue: [string, readonly string[]][] = [[ctx.uri, importedModules(ctx.source)]];
  while (queue.length > 0) {
    const [importer, mods] = queue.pop()!;
    for (const mod of mods) {
      const d = moduleOf(defs, mod, importer);
      if (d === home) return true;
      if (!d) {
        if (!moduleOf(defs, mod.slice(0, mod.lastIndexOf(".")))) unresolved.push(mod.replace(/^\.+/, "").split(".")[0]!);
        continue;
      }
      const path = `/${mod.replace(/^\.+/, "").replace(/\./g, "/")}`;
      roots.add(d.uri.slice(0, d.uri.lastIndexOf(d.uri.endsWith("/__init__.py") ? `${path}/__init__.py` : `${path}.py`)));
      if (seen.has(d)) continue;
      seen.add(d);
      queue.push([d.uri, d.imports ?? []]);
    }
  }
  return unresolved.some((first) => [...roots].some((r) => folders.has(`${r}/${first}`) || folders.has(`${r}/${first}.py`)));
}

/** The class and its in-file ancestors, nearest first. */
function inFileLineage(c: CustomClass, classes: ReadonlyMap<string, CustomClass>): CustomClass[] {
  const out: CustomClass[] = [];
  const stack = [c];
  while (stack.length > 0) {
    const k = stack.shift()!;
    if (out.includes(k)) continue;
    out.push(k);
    for (const b of k.customBases) {
      const parent = classes.get(b);
      if (parent) stack.push(parent);
    }
  }
  return out;
}

export function fileName(uri: string): string {
  return uri.slice(uri.lastIndexOf("/") + 1);
}

/** Every class and function name of the workspace, per workspace snapshot (keysNamingNothing). */
const namesCache = new WeakMap<readonly WorkspaceDefs[], Set<string>>();

/**
 * SMS202 on a custom_objects key that names nothing: `{"AlexGraphLayer": GCNLayer}` where GCNLayer is an
 * unregistered Keras class of this file or of a workspace module, saved under its own name "GCNLayer", and no
 * class or function of the workspace is called "AlexGraphLayer" (so no model built here carries that name).
 * Functions are left alone: a loss saved under another name is a deliberate alias often enough.
 */
export function keysNamingNothing(
  ctx: FileContext,
  loads: readonly LoadCall[],
  defs: readonly WorkspaceDefs[],
  ownKeys: ReadonlySet<string>,
): Finding[] {
  const out: Finding[] = [];
  // every class and function name of the workspace, once per workspace snapshot
  const names = memo(namesCache, defs, () => new Set(defs.flatMap((d) => d.objects.map(([n]) => n))));
  // a Keras name as the key (`{"Dense": CustomDense}`) replaces how the saved built-in is rebuilt: it matches
  const known = (name: string): boolean =>
    ctx.classes.has(name) || ctx.functions.has(name) || names.has(name) || isBuiltinName(name, "function");
  for (const load of loads) {
    const entries = allProvided(load);
    if (entries === "opaque") continue;
    // a path this file saves: its own classes' keys are judged by customObjectRules
    const savedHere = load.key !== undefined && ownKeys.has(normalizePath(load.key));
    for (const e of entries) {
      if (!e.value || e.key === e.value || e.key.includes(">") || known(e.key)) continue;
      const local = savedHere ? undefined : ctx.classes.get(e.value);
      const binding = ctx.bindings.names.get(e.value);
      const cls = local ?? (ctx.classes.has(e.value) ? undefined : workspaceClass(binding, defs));
      if (!cls || (cls.registration && !cls.registration.bare) || cls.name === e.key) continue;
      out.push(
        finding(
          ctx,
          Codes.CustomObjectsKeyMismatch,
          Severity.Warning,
          e.keyNode,
          `\`${cls.name}\` is not registered, so Keras saves it under its class name "${cls.name}" and looks that key up at load; no class or function of the workspace is called "${e.key}", so this key matches nothing ("Unknown layer: '${cls.name}'" / "Could not locate class '${cls.name}'"). Use the key "${cls.name}".`,
          [
            {
              title: `Use the saved name "${cls.name}"`,
              edits: [{ range: range(e.keyNode), newText: JSON.stringify(cls.name) }],
              preferred: true,
            },
          ],
        ),
      );
    }
  }
  return out;
}

/**
 * SMS202 on a custom_objects key made from an object: `{f"{model_name}": ...}` where `model_name = VGG()` is
 * an instance of a class of the file or of a workspace module. The key is that object's text
 * ("<VGG.VGG object at 0x...>"), never a name Keras saved, so nothing is provided under it.
 */
export function objectKeys(ctx: FileContext, loads: readonly LoadCall[], defs: readonly WorkspaceDefs[]): Finding[] {
  const out: Finding[] = [];
  for (const load of loads) {
    const a = args(load.call);
    const dict = a.keywords.get("custom_objects") ?? a.positional[1];
    if (dict?.type !== "dictionary") continue;
    for (const pair of dict.children) {
      const key = pair.type === "pair" ? field(pair, "key") : undefined;
      const name = key ? interpolatedName(key) : undefined;
      const value = name && key ? valueBefore(ctx, name, offsetOf(key)) : undefined;
      const callee = value?.type === "call" ? field(value, "function") : undefined;
      const local = callee ? dotted(callee) : undefined;
      const cls = callee ? ((local ? ctx.classes.get(local) : undefined) ?? importedClass(ctx.bindings, callee, defs)) : undefined;
      if (!cls || !key) continue;
      out.push(
        finding(
          ctx,
          Codes.CustomObjectsKeyMismatch,
          Severity.Error,
          key,
          `This key is the text of a \`${cls.name}\` object (\`${name} = ${text(value!).slice(0, 40)}\`), e.g. "<${cls.name} object at 0x...>", not a name Keras saved: nothing is provided under it and the load fails ("Unknown layer" / "Could not locate class"). Use the class name as the key, e.g. "${cls.name}".`,
          [{ title: `Use the key "${cls.name}"`, edits: [{ range: range(key), newText: JSON.stringify(cls.name) }], preferred: false }],
        ),
      );
    }
  }
  return out;
}

/** `f"{name}"` or `str(name)`: the one name a key is made from. */
function interpolatedName(key: PyNode): string | undefined {
  if (key.type === "call" && dotted(field(key, "function")) === "str") {
    const only = args(key).positional;
    return only.length === 1 && only[0]!.type === "identifier" ? text(only[0]!) : undefined;
  }
  return key.type === "string" ? /^[fF]['"]\{\s*([A-Za-z_]\w*)\s*\}['"]$/.exec(text(key))?.[1] : undefined;
}
