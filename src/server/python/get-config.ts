/**
 * SMS204: a custom class without get_config() whose constructor arguments Keras cannot rebuild.
 *
 * What each version does when such an object is saved to .keras/.h5 (stated once, here):
 *   - both versions record an automatic config when every constructor argument flattens to
 *     str/int/float/bool/None (Keras 3: Operation.__new__, keras/src/ops/operation.py `supported_types`;
 *     tf.keras from 2.11: Layer.__new__, tf_keras/engine/base_layer.py `_auto_get_config`); otherwise the
 *     default get_config() raises NotImplementedError at save time (a tf.keras Model subclass saves an
 *     empty config instead, and loading cannot rebuild it). tf.keras before 2.11 raised for any argument;
 *     the rules follow current tf.keras. A tf.keras layer is also rebuilt when loaded by a registered
 *     name or through custom_objects, so those count as saved there.
 *   - Keras 3 only: a Model subclass gets no automatic config from its arguments at all (Model.__new__
 *     calls Operation.__new__ without them, keras/src/models/model.py), so a required `__init__` argument
 *     makes get_config() raise at save time.
 *   - unknown version: what fails in both — a non-literal argument (a layer, a model, a function, an
 *     array, a dataclass) reaching the constructor.
 */
import { args, dotted, field, text, walk, type PyNode } from "./ast.js";
import { constructorOf, hasGetConfig, type CustomClass } from "./classes.js";
import { Codes, Severity } from "./codes.js";
import { diag, type FileContext, type Finding, type Fix } from "./context.js";
import { memo } from "./facts.js";
import { resolve } from "./imports.js";

/** Calls of a plain name (`Cls(...)`) inside one top-level statement, cached on the statement node. */
const callsCache = new WeakMap<PyNode, readonly PyNode[]>();
function plainCalls(s: PyNode): readonly PyNode[] {
  return memo(callsCache, s, (node) => {
    const out: PyNode[] = [];
    if (!text(node).includes("(")) return out;
    walk(node, (c) => {
      if (c.type === "call" && field(c, "function")?.type === "identifier") out.push(c);
      return true;
    });
    return out;
  });
}

/** Calls whose result is still a plain Python value. */
const BASIC_CALLS = new Set(["int", "float", "str", "bool", "len", "round", "min", "max", "abs", "sum", "tuple", "list", "dict"]);
/** Imported modules whose attributes are functions, classes or dtypes, never plain values. */
const NON_VALUE_MODULES = /^(tf|tensorflow|keras|tf_keras|keras_core|numpy|torch|jax)(\.|$)/;

/**
 * A node that evaluates to something other than str/int/float/bool/None (or containers of them):
 * the node that shows it, or undefined when the value is (or may be) basic.
 */
function nonBasic(ctx: FileContext, n: PyNode | undefined, moduleValues: Map<string, PyNode>, depth = 0): PyNode | undefined {
  if (!n || depth > 4) return undefined;
  switch (n.type) {
    case "lambda":
      return n;
    case "call": {
      const fn = dotted(field(n, "function"));
      if (fn && BASIC_CALLS.has(fn) && !ctx.bindings.names.has(fn)) return undefined;
      return n;
    }
    case "attribute": {
      const r = resolve(ctx.bindings, n);
      return r && NON_VALUE_MODULES.test(r) ? n : undefined;
    }
    case "identifier": {
      const name = text(n);
      if (ctx.functions.has(name) || ctx.classes.has(name)) return n;
      const r = ctx.bindings.names.get(name);
      if (r && NON_VALUE_MODULES.test(r) && r.includes(".")) return n;
      const v = moduleValues.get(name);
      return v && nonBasic(ctx, v, moduleValues, depth + 1) ? n : undefined;
    }
    case "list":
    case "tuple":
    case "dictionary":
    case "pair":
    case "parenthesized_expression":
      for (const c of n.children) {
        const hit = nonBasic(ctx, c.type === "pair" ? field(c, "value") : c, moduleValues, depth + 1);
        if (hit) return hit;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Module-level `name = <expr>` assigned exactly once, once per analysis. */
const assignmentsCache = new WeakMap<FileContext, Map<string, PyNode>>();
function moduleAssignments(ctx: FileContext): Map<string, PyNode> {
  return memo(assignmentsCache, ctx, assignmentsOf);
}

function assignmentsOf(ctx: FileContext): Map<string, PyNode> {
  const out = new Map<string, PyNode>();
  const seen = new Set<string>();
  for (const s of ctx.statements) {
    const a = s.type === "expression_statement" ? s.children[0] : undefined;
    if (a?.type !== "assignment") continue;
    const left = field(a, "left");
    const right = field(a, "right");
    if (left?.type !== "identifier" || !right) continue;
    const name = text(left);
    if (seen.has(name)) out.delete(name);
    else out.set(name, right);
    seen.add(name);
  }
  return out;
}

/** The first constructor argument (a default, or one passed at a call site) that is not a plain value. */
function nonBasicArgument(ctx: FileContext, cls: CustomClass, init: PyNode): PyNode | undefined {
  for (const p of field(init, "parameters")?.children ?? []) {
    if (p.type !== "default_parameter" && p.type !== "typed_default_parameter") continue;
    const hit = nonBasic(ctx, field(p, "value"), moduleAssignments(ctx));
    if (hit) return hit;
  }
  for (const s of ctx.statements) {
    for (const call of plainCalls(s)) {
      if (text(field(call, "function")!) !== cls.name) continue;
      const hit = callArgumentNotPlain(ctx, call);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** The first argument of a constructor call that is not a plain value (`regularizer=regularizers.l2(1e-4)`). */
export function callArgumentNotPlain(ctx: FileContext, call: PyNode): PyNode | undefined {
  const a = args(call);
  for (const v of [...a.positional, ...a.keywords.values()]) {
    const hit = nonBasic(ctx, v, moduleAssignments(ctx));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The name of `__init__`'s `**kwargs` when the constructor keeps them (`self.__dict__.update(kwargs)`) rather
 * than forwarding them (`super().__init__(**kwargs)`): a caller's keyword arguments are then constructor
 * arguments like the named ones.
 */
function keptKeywords(init: PyNode): string | undefined {
  const splat = field(init, "parameters")?.children.find((p) => p.type === "dictionary_splat_pattern");
  const name = splat?.children.find((c) => c.type === "identifier");
  if (!name) return undefined;
  const body = field(init, "body");
  return body && !new RegExp(`\\*\\*\\s*${text(name)}\\b`).test(text(body)) ? text(name) : undefined;
}

export interface GetConfigInputs {
  /** Classes serialized by a save to .keras/.h5 in this file. */
  readonly configSaved: ReadonlySet<string>;
  /** Classes passed to load_model's custom_objects in this file. */
  readonly providedToLoads: ReadonlySet<string>;
  /**
   * Classes of this file that another file of the workspace constructs with an argument that is not a plain value
   * and saves to .keras/.h5 (`ArcFace(10, regularizer=regularizers.l2(1e-4))` in train.py): class → file, argument.
   */
  readonly constructedElsewhere: ReadonlyMap<string, { readonly file: string; readonly argument: string }>;
  readonly fix: (cls: CustomClass) => Fix[];
}

export function getConfigRules(ctx: FileContext, io: GetConfigInputs): Finding[] {
  const out: Finding[] = [];
  for (const cls of ctx.classes.values()) {
    const ctor = constructorOf(cls, ctx.classes);
    const kept = ctor ? keptKeywords(ctor.init) : undefined;
    if (!cls.genericBase || cls.functionalInit || !ctor || (ctor.params.length === 0 && !kept)) continue;
    if (hasGetConfig(cls, ctx.classes)) continue;
    // an inherited __init__ of this file: reported on the class that defines it
    if (ctor.owner !== cls && ctx.classes.get(ctor.owner.name) === ctor.owner) continue;
    const related = cls.registration ? [{ node: cls.registration.node, message: "registered for serialization here" }] : [];
    const elsewhere = io.constructedElsewhere.get(cls.name);
    const saved = io.configSaved.has(cls.name) || elsewhere !== undefined;
    const required = cls.kind === "model" && !cls.sequential ? ctor.params.find((p) => !p.hasDefault) : undefined;
    if (ctx.version === 3 && saved && required) {
      out.push(requiredModelArgument(ctx, cls, required.name, related, io.fix(cls)));
      continue;
    }
    // tf.keras also rebuilds a layer loaded by a registered name or through custom_objects
    const k2Layer = ctx.version === 2 && cls.kind !== "model";
    const registered = cls.registration !== undefined && !cls.registration.bare;
    const needed = saved || (k2Layer && (registered || io.providedToLoads.has(cls.name)));
    if (!needed) continue;
    const culprit = nonBasicArgument(ctx, cls, ctor.init);
    if (!culprit && !elsewhere) continue;
    const params = [...ctor.params.map((p) => p.name), ...(kept ? [`**${kept}`] : [])].map((p) => `\`${p}\``).join(", ");
    const receives = culprit
      ? `\`${text(culprit).slice(0, 60)}\``
      : `\`${elsewhere!.argument}\` in ${elsewhere!.file}, which saves the model`;
    out.push({
      diagnostic: diag(
        ctx,
        Codes.MissingGetConfig,
        saved ? Severity.Error : Severity.Warning,
        cls.nameNode,
        `\`${cls.name}\` defines no get_config() and its constructor receives ${receives}, which is not a plain Python value: Keras (tf.keras from 2.11, and Keras 3) builds a config automatically only from str/int/float/bool/None arguments and otherwise raises NotImplementedError when the model is saved to .keras/.h5 (tf.keras before 2.11 raises for any \`__init__\` argument: ${params}). Add get_config() that serializes it (e.g. keras.saving.serialize_keras_object) and from_config() that rebuilds it.`,
        [...(culprit ? [{ node: culprit, message: "not a plain value" }] : []), ...related],
      ),
      fixes: io.fix(cls),
    });
  }
  return out;
}

function requiredModelArgument(
  ctx: FileContext,
  cls: CustomClass,
  param: string,
  related: { node: PyNode; message: string }[],
  fixes: Fix[],
): Finding {
  return {
    diagnostic: diag(
      ctx,
      Codes.MissingGetConfig,
      Severity.Error,
      cls.nameNode,
      `\`${cls.name}\` is a Model subclass without get_config() whose constructor requires \`${param}\`: Keras 3 records no automatic config for Model subclasses, so saving to .keras/.h5 raises NotImplementedError. Add get_config() returning the constructor arguments.`,
      related,
    ),
    fixes,
  };
}
