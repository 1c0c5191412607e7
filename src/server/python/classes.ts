/**
 * Custom Keras classes defined in a file: what they subclass, how they are registered, what their
 * constructor takes, and which step methods they override.
 */
import { args, dotted, field, stringValue, text, walk, type PyNode } from "./ast.js";
import { classMethods, memo, statementFacts, type RawClass } from "./facts.js";
import { kerasPublic, resolve, resolveDotted, sameNames, trackNames, type Bindings, type UsedNames } from "./imports.js";

export type ClassKind = "model" | "layer" | "loss" | "metric" | "serializable";

export interface Registration {
  /** The decorator or the `get_custom_objects()[...]` statement. */
  readonly node: PyNode;
  readonly package: string;
  readonly name: string;
  /** `Package>Name`, or the plain key for get_custom_objects entries. */
  readonly savedName: string;
  /** `@register_keras_serializable` without parentheses. */
  readonly bare: boolean;
}

export interface InitParam {
  readonly name: string;
  readonly hasDefault: boolean;
}

export interface CustomClass {
  readonly name: string;
  readonly kind: ClassKind;
  readonly node: PyNode; // class_definition
  readonly nameNode: PyNode;
  /** The statement to decorate / insert before (decorated_definition when decorated). */
  readonly outer: PyNode;
  /** Direct base is a generic Keras base (Model, Layer, Loss, ...) or another custom class. */
  readonly genericBase: boolean;
  /** Base names that are custom classes of this file. */
  readonly customBases: string[];
  /** Subclasses keras.Sequential (built when given layers with shapes: never tracked). */
  readonly sequential: boolean;
  readonly methods: Map<string, PyNode>;
  readonly initParams: InitParam[] | undefined;
  readonly registration: Registration | undefined;
  /** `super().__init__(inputs, outputs)`: a Functional model, built at construction. */
  readonly functionalInit: boolean;
  /** `__init__` calls `self(...)` or `self.build(...)`. */
  readonly builtInInit: boolean;
  /** For a class imported from a workspace module: that module's classes, where its bases are looked up. */
  readonly home?: ReadonlyMap<string, CustomClass>;
  /** Bases imported from workspace modules (by the name written in the class statement), among customBases. */
  readonly importedBases?: ReadonlyMap<string, CustomClass>;
}

const MODEL_BASES = new Set(["keras.Model", "keras.models.Model"]);
const SEQUENTIAL_BASES = new Set(["keras.Sequential", "keras.models.Sequential"]);
const LAYER_BASES = new Set(["keras.layers.Layer", "keras.Layer"]);

function kindOfBase(name: string): { kind: ClassKind; generic: boolean; sequential: boolean } | undefined {
  const n = kerasPublic(name);
  if (MODEL_BASES.has(n)) return { kind: "model", generic: true, sequential: false };
  if (SEQUENTIAL_BASES.has(n)) return { kind: "model", generic: false, sequential: true };
  if (LAYER_BASES.has(n)) return { kind: "layer", generic: true, sequential: false };
  if (/^keras\.layers\.\w+$/.test(n)) return { kind: "layer", generic: false, sequential: false };
  if (n === "keras.losses.Loss") return { kind: "loss", generic: true, sequential: false };
  if (/^keras\.losses\.\w+$/.test(n)) return { kind: "loss", generic: false, sequential: false };
  if (n === "keras.metrics.Metric") return { kind: "metric", generic: true, sequential: false };
  if (/^keras\.metrics\.\w+$/.test(n)) return { kind: "metric", generic: false, sequential: false };
  if (
    /^keras\.(initializers\.Initializer|regularizers\.Regularizer|constraints\.Constraint|optimizers\.schedules\.LearningRateSchedule)$/.test(
      n,
    )
  ) {
    return { kind: "serializable", generic: true, sequential: false };
  }
  if (/^keras\.(initializers|regularizers|constraints|optimizers\.schedules)\.\w+$/.test(n))
    return { kind: "serializable", generic: false, sequential: false };
  return undefined;
}

const REGISTER = /^keras\.(utils|saving)\.register_keras_serializable$|^keras\.saving\.object_registration\.register_keras_serializable$/;

export function isRegisterFn(b: Bindings, n: PyNode | undefined): boolean {
  const r = resolve(b, n);
  return r !== undefined && REGISTER.test(r);
}

const NOT_LOCAL = Symbol("not an in-file class");

/**
 * The class built from a definition node, reused (same object) while the node, the imports and the
 * in-file parent classes are the same: later analyses compare classes by identity.
 */
const builtCache = new WeakMap<
  PyNode,
  { used: UsedNames | undefined; parents: readonly (CustomClass | undefined | typeof NOT_LOCAL)[]; value: CustomClass | undefined }
>();

/** `imported` finds a base class defined in a workspace module (context.ts importedClass). */
export function collectClasses(
  statements: readonly PyNode[],
  b: Bindings,
  imported: (base: PyNode) => CustomClass | undefined = () => undefined,
): Map<string, CustomClass> {
  const raw: RawClass[] = [];
  for (const st of statements) for (const r of statementFacts(st).classes) raw.push(r);

  const byName = new Map<string, RawClass>();
  for (const r of raw) {
    const nm = field(r.node, "name");
    if (nm) byName.set(text(nm), r);
  }
  const out = new Map<string, CustomClass>();
  const resolving = new Set<string>();
  const build = (name: string): CustomClass | undefined => {
    const done = out.get(name);
    if (done) return done;
    const r = byName.get(name);
    if (!r || resolving.has(name)) return undefined;
    resolving.add(name);
    const supers = field(r.node, "superclasses")?.children.filter((c) => c.type !== "keyword_argument") ?? [];
    let kind: ClassKind | undefined;
    let generic = false;
    let sequential = false;
    const customBases: string[] = [];
    const importedBases = new Map<string, CustomClass>();
    let functionalParent = false;
    // In-file bases first: the class is a function of its node, the imports and these parents.
    const parents: (CustomClass | undefined | typeof NOT_LOCAL)[] = supers.map((s) => {
      const local = dotted(s);
      return local && byName.has(local) && local !== name ? build(local) : (imported(s) ?? NOT_LOCAL);
    });
    const hit = builtCache.get(r.node);
    if (hit && hit.parents.length === parents.length && hit.parents.every((p, i) => p === parents[i]) && sameNames(b, hit.used)) {
      resolving.delete(name);
      if (hit.value) out.set(name, hit.value);
      return hit.value;
    }
    const { value: cls, used } = trackNames(b, (): CustomClass | undefined => {
      supers.forEach((s, i) => {
        const parent = parents[i];
        if (parent !== NOT_LOCAL) {
          if (parent) {
            kind ??= parent.kind;
            generic = true;
            sequential ||= parent.sequential;
            functionalParent ||= parent.functionalInit;
            customBases.push(dotted(s)!);
            if (parent.home) importedBases.set(dotted(s)!, parent);
          }
          return;
        }
        const q = resolve(b, s);
        const k = q ? kindOfBase(q) : undefined;
        if (k) {
          kind ??= k.kind;
          generic ||= k.generic;
          sequential ||= k.sequential;
        }
      });
      if (!kind) return undefined;
      const methods = classMethods(r.node);
      const init = methods.get("__init__");
      const made: CustomClass = {
        name,
        kind,
        node: r.node,
        nameNode: field(r.node, "name")!,
        outer: r.outer,
        genericBase: generic,
        customBases,
        sequential,
        methods,
        initParams: init ? initFacts(init).params : undefined,
        registration: registrationOf(r.decorators, name, b),
        functionalInit: functionalParent || (init !== undefined && initFacts(init).functionalSuper),
        builtInInit: init !== undefined && initFacts(init).selfOrBuild,
        ...(importedBases.size > 0 ? { importedBases } : {}),
      };
      return made;
    });
    resolving.delete(name);
    builtCache.set(r.node, { used, parents, value: cls });
    if (!cls) return undefined;
    out.set(name, cls);
    return cls;
  };
  for (const name of byName.keys()) build(name);
  return out;
}

const initCache = new WeakMap<PyNode, { params: InitParam[]; functionalSuper: boolean; selfOrBuild: boolean }>();

/** What `__init__` takes and calls (cached on the method's node). */
function initFacts(init: PyNode): { params: InitParam[]; functionalSuper: boolean; selfOrBuild: boolean } {
  return memo(initCache, init, (fn) => ({
    params: initParams(fn),
    functionalSuper: callsFunctionalSuper(fn),
    selfOrBuild: callsSelfOrBuild(fn),
  }));
}

function initParams(fn: PyNode): InitParam[] {
  const params = field(fn, "parameters")?.children ?? [];
  const out: InitParam[] = [];
  let first = true;
  for (const p of params) {
    if (
      p.type === "list_splat_pattern" ||
      p.type === "dictionary_splat_pattern" ||
      p.type === "keyword_separator" ||
      p.type === "positional_separator"
    )
      continue;
    let nameNode: PyNode | undefined;
    let hasDefault = false;
    if (p.type === "identifier") nameNode = p;
    else if (p.type === "typed_parameter") nameNode = p.children.find((c) => c.type === "identifier");
    else if (p.type === "default_parameter" || p.type === "typed_default_parameter") {
      nameNode = field(p, "name");
      hasDefault = true;
    }
    if (!nameNode) continue;
    if (first) {
      first = false;
      continue; // self
    }
    const nm = text(nameNode);
    if (nm === "name" || nm === "trainable" || nm === "dtype") continue; // base Layer arguments, covered by super().get_config()
    out.push({ name: nm, hasDefault });
  }
  return out;
}

function registrationOf(decorators: PyNode[], className: string, b: Bindings): Registration | undefined {
  for (const d of decorators) {
    const expr = d.children[0];
    if (!expr) continue;
    if (expr.type === "call" && isRegisterFn(b, field(expr, "function"))) {
      const a = args(expr);
      const pkg = stringValue(a.keywords.get("package") ?? a.positional[0]) ?? "Custom";
      const nm = stringValue(a.keywords.get("name") ?? a.positional[1]) ?? className;
      return { node: d, package: pkg, name: nm, savedName: `${pkg}>${nm}`, bare: false };
    }
    if (expr.type !== "call" && isRegisterFn(b, expr)) {
      return { node: d, package: "", name: className, savedName: className, bare: true };
    }
  }
  return undefined;
}

/** `super().__init__(inputs, outputs)` / `super().__init__(inputs=..., outputs=...)`. */
function callsFunctionalSuper(init: PyNode): boolean {
  let found = false;
  walk(init, (n) => {
    if (found) return false;
    if (n.type === "call") {
      const fn = field(n, "function");
      if (fn?.type === "attribute" && text(field(fn, "attribute")!) === "__init__") {
        const obj = field(fn, "object");
        if (obj && (obj.type === "call" ? dotted(field(obj, "function")) === "super" : true)) {
          const a = args(n);
          if (a.keywords.has("inputs") || a.keywords.has("outputs") || a.positional.length >= (obj.type === "call" ? 2 : 3)) found = true;
        }
      }
    }
    return true;
  });
  return found;
}

/** Whether a function body calls `self(...)` or `self.build(...)` / `self.__call__(...)`. */
export function callsSelfOrBuild(fn: PyNode): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type === "call") {
      const f = dotted(field(n, "function"));
      if (f === "self" || f === "self.__call__" || f === "self.build") found = true;
    }
    return true;
  });
  return found;
}

/** Whether a function body calls `self(...)` (directly, or via `super().<method>(...)` whose default does). */
export function callsSelf(fn: PyNode, cls: CustomClass, classes: Map<string, CustomClass>, seen = new Set<PyNode>()): boolean {
  if (seen.has(fn)) return false;
  seen.add(fn);
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type === "call") {
      const fnNode = field(n, "function");
      const f = dotted(fnNode);
      if (f === "self" || f === "self.__call__") found = true;
      else if (f?.startsWith("self.") && f.split(".").length === 2) {
        const m = f.slice(5);
        const own = findMethod(cls, m, classes);
        if (own) {
          if (callsSelf(own, cls, classes, seen)) found = true;
        } else if (!KNOWN_NON_CALLING.has(m) && !assignsAttribute(cls, m, classes)) {
          found = true; // inherited from somewhere we cannot see: assume it may call the model
        }
      } else if (
        fnNode?.type === "attribute" &&
        field(fnNode, "object")?.type === "call" &&
        dotted(field(field(fnNode, "object")!, "function")) === "super"
      ) {
        found = true; // super().train_step(data): the default step calls self(x)
      }
    }
    return true;
  });
  return found;
}

/** Methods of keras.Model that never run the forward pass. */
const KNOWN_NON_CALLING = new Set([
  "compiled_loss",
  "compiled_metrics",
  "compute_loss",
  "compute_metrics",
  "add_loss",
  "add_metric",
  "optimizer",
  "get_weights",
  "set_weights",
  "reset_metrics",
  "log",
]);

/** `self.<name> = ...` in any method of the class or an in-file base: a sub-layer or value, not a method. */
export function assignsAttribute(cls: CustomClass, name: string, classes: ReadonlyMap<string, CustomClass>, depth = 0): boolean {
  let found = false;
  const target = `self.${name}`;
  walk(cls.node, (n) => {
    if (found) return false;
    if (n.type === "assignment") {
      const left = field(n, "left");
      if (dotted(left) === target) found = true;
      else if (left?.type === "pattern_list" || left?.type === "tuple_pattern") {
        if (left.children.some((c) => dotted(c) === target)) found = true;
      }
    }
    return true;
  });
  if (found) return true;
  const where = cls.home ?? classes;
  return cls.customBases.some((b) => {
    const parent = cls.importedBases?.get(b) ?? where.get(b);
    return parent !== undefined && depth < MAX_LINEAGE && assignsAttribute(parent, name, parent.home ?? where, depth + 1);
  });
}

/** Bases are followed at most this deep (a chain of imported classes from modules that import each other ends). */
const MAX_LINEAGE = 16;

export function findMethod(cls: CustomClass, name: string, classes: ReadonlyMap<string, CustomClass>, depth = 0): PyNode | undefined {
  const own = cls.methods.get(name);
  if (own) return own;
  const where = cls.home ?? classes;
  for (const b of cls.customBases) {
    const parent = cls.importedBases?.get(b) ?? where.get(b);
    const m = parent && depth < MAX_LINEAGE ? findMethod(parent, name, parent.home ?? where, depth + 1) : undefined;
    if (m) return m;
  }
  return undefined;
}

/**
 * `MaskedLM(inputs, outputs)`: a Model subclass that defines neither `__init__` nor `call` (only train_step, ...)
 * called with inputs and outputs is built by keras.Model's functional constructor: a graph network, saved like
 * any Functional model (HDF5 included), though its class is still needed at load.
 */
export function functionalCall(cls: CustomClass, call: PyNode, classes: ReadonlyMap<string, CustomClass>): boolean {
  if (cls.kind !== "model" || cls.sequential || findMethod(cls, "__init__", classes) || findMethod(cls, "call", classes)) return false;
  const a = args(call);
  return a.positional.length >= 2 || a.keywords.has("outputs");
}

/** The `__init__` a class runs (its own or the nearest ancestor's we can see), with the class that defines it. */
export function constructorOf(
  cls: CustomClass,
  classes: ReadonlyMap<string, CustomClass>,
  depth = 0,
): { init: PyNode; params: InitParam[]; owner: CustomClass } | undefined {
  const own = cls.methods.get("__init__");
  if (own) return { init: own, params: cls.initParams ?? initFacts(own).params, owner: cls };
  const where = cls.home ?? classes;
  for (const b of cls.customBases) {
    const parent = cls.importedBases?.get(b) ?? where.get(b);
    const hit = parent && depth < MAX_LINEAGE ? constructorOf(parent, parent.home ?? where, depth + 1) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/** get_config defined by the class or an in-file ancestor. */
export function hasGetConfig(cls: CustomClass, classes: Map<string, CustomClass>): boolean {
  return findMethod(cls, "get_config", classes) !== undefined;
}

/** `get_custom_objects()` (keras.utils / keras.saving). */
function isGetCustomObjects(b: Bindings, n: PyNode | undefined): boolean {
  if (n?.type !== "call") return false;
  const r = resolve(b, field(n, "function"));
  return r !== undefined && /^keras\.(utils|saving)\.get_custom_objects$/.test(r);
}

/**
 * A call that is the value registered in `get_custom_objects()` (`.update({"mish": Mish(mish)})`, `[k] = Act()`):
 * an object the registry hands out by key, not a layer of the model built next to it.
 */
export function isRegisteredInstance(b: Bindings, call: PyNode): boolean {
  const p = call.parent;
  if (p?.type === "assignment" && call.field === "right") {
    const left = field(p, "left");
    return left?.type === "subscript" && isGetCustomObjects(b, field(left, "value"));
  }
  const update = p?.type === "pair" && call.field === "value" ? p.parent?.parent?.parent : undefined;
  const fn = update?.type === "call" ? field(update, "function") : undefined;
  return fn?.type === "attribute" && text(field(fn, "attribute")!) === "update" && isGetCustomObjects(b, field(fn, "object"));
}

/** `get_custom_objects()["X"] = X` and `get_custom_objects().update({"X": X})` anywhere in the file. */
export function customObjectAssignments(statements: readonly PyNode[], b: Bindings): Map<string, { key: string; node: PyNode }> {
  const out = new Map<string, { key: string; node: PyNode }>();
  const isGco = (n: PyNode | undefined): boolean => isGetCustomObjects(b, n);
  for (const s of statements) {
    walk(s, (n) => {
      if (n.type === "assignment") {
        const left = field(n, "left");
        const right = field(n, "right");
        if (left?.type === "subscript" && isGco(field(left, "value"))) {
          const key = stringValue(field(left, "subscript"));
          const value = dotted(right);
          if (key !== undefined && value) out.set(value, { key, node: n });
        }
        return false;
      }
      if (n.type === "call") {
        const fn = field(n, "function");
        if (fn?.type === "attribute" && text(field(fn, "attribute")!) === "update" && isGco(field(fn, "object"))) {
          const dict = args(n).positional[0];
          for (const pair of dict?.type === "dictionary" ? dict.children : []) {
            if (pair.type !== "pair") continue;
            const key = stringValue(field(pair, "key"));
            const value = dotted(field(pair, "value"));
            if (key !== undefined && value) out.set(value, { key, node: n });
          }
        }
      }
      return true;
    });
  }
  return out;
}

export function isKerasCallable(b: Bindings, n: PyNode | undefined, pattern: RegExp): boolean {
  const r = resolve(b, n);
  return r !== undefined && pattern.test(kerasPublic(r));
}

export { resolveDotted };
