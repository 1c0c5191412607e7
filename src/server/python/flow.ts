/**
 * SMS101–SMS104: saving subclassed models on paths where they were never built.
 *
 * Each scope (the module, every function body) is walked statement by statement, tracking variables
 * bound to a new instance of a custom Keras class. Events: calling the instance builds it; fit /
 * evaluate / predict / *_on_batch build it unless the class overrides the matching step without
 * calling `self(...)`; `build(shape)` alone is remembered; anything that lets the instance escape
 * (passed to an unknown function, aliased, returned, stored, used in a nested function) makes its
 * state unknown, and unknown never reports. Branches of if/elif/else, try/except and loops merge
 * conservatively: a diagnostic needs "never built" on every path that reaches the save.
 */
import { args, dotted, field, pathTail, stringValue, text, walk, type PyNode } from "./ast.js";
import { callsSelf, findMethod, type CustomClass } from "./classes.js";
import { Codes, Severity, type Code } from "./codes.js";
import { diag, extOf, indentOf, type FileContext, type Finding, type Fix, type PathExt } from "./context.js";
import { statementFacts } from "./facts.js";
import { kerasPublic, kerasSpelling, localFor, resolve, sameNames, trackNames, type UsedNames } from "./imports.js";
import { analysisStats } from "./stats.js";

type Status = "unbuilt" | "buildOnly" | "built" | "maybe";

interface VarState {
  readonly status: Status;
  /** Custom class of the instance; undefined for Keras-constructed models (Sequential, Model, load_model). */
  readonly cls: CustomClass | undefined;
  readonly origin: PyNode;
  readonly buildCall?: PyNode;
  /** Custom classes instantiated in the constructor call (passed-in layers). */
  readonly parts: readonly string[];
  /**
   * Index into the scope's instantiated classes from which they may belong to this model: classes
   * created before the previous model was created belong to that one (notebooks rebind `model`).
   */
  readonly scopeFrom?: number;
  /** Same for the custom functions referenced in the scope (layer arguments). */
  readonly functionsFrom?: number;
  /** File functions given to this model's compile() (loss, metrics). */
  readonly compiled?: readonly FunctionRef[];
}

type State = Map<string, VarState>;

export type SaveKind = "save" | "export" | "tfsave";

export interface SaveRecord {
  readonly call: PyNode;
  readonly kind: SaveKind;
  readonly pathNode: PyNode | undefined;
  readonly ext: PathExt;
  readonly varName: string;
  readonly cls: CustomClass | undefined;
  /** Custom classes whose instances were created in the scope before the save. */
  readonly scopeClasses: readonly string[];
  readonly parts: readonly string[];
  /** Top-level functions of the file handed to Keras in the scope before the save (activations, losses, ...). */
  readonly scopeFunctions: readonly FunctionRef[];
}

/**
 * A file function given to Keras: "layer" arguments (activation, initializers, regularizers,
 * constraints) are needed to rebuild the model; "compile" ones (loss, metrics) only to compile it.
 */
export interface FunctionRef {
  readonly name: string;
  readonly role: "layer" | "compile";
}

const LAYER_FN_KEYWORDS = /^(activation|recurrent_activation|\w+_(initializer|regularizer|constraint))$/;
const COMPILE_FN_KEYWORDS = new Set(["loss", "metrics", "weighted_metrics"]);

export interface FlowResult {
  readonly findings: Finding[];
  readonly saves: SaveRecord[];
}

const NEUTRAL_FUNCS = new Set([
  "print",
  "isinstance",
  "type",
  "id",
  "str",
  "repr",
  "len",
  "hasattr",
  "callable",
  "issubclass",
  "vars",
  "dir",
]);
const NEUTRAL_METHODS = new Set([
  "compile",
  "summary",
  "get_config",
  "to_json",
  "count_params",
  "save_weights",
  "load_weights",
  "get_layer",
  "reset_states",
  "reset_metrics",
]);
const STEP_OF: Record<string, string> = {
  fit: "train_step",
  train_on_batch: "train_step",
  evaluate: "test_step",
  test_on_batch: "test_step",
  predict: "predict_step",
  predict_on_batch: "predict_step",
};
const KERAS_MODEL_CTORS = /^keras\.(Sequential|Model|models\.(Sequential|Model|load_model)|saving\.load_model|applications\.[\w.]+)$/;
const SAVE_FUNCS = /^keras\.(models\.save_model|saving\.save_model)$/;
const NESTED = new Set([
  "function_definition",
  "lambda",
  "class_definition",
  "list_comprehension",
  "set_comprehension",
  "dictionary_comprehension",
  "generator_expression",
]);

type VersionKey = "2" | "3" | "unknown";

/**
 * tf.saved_model.save exports a class's `@tf.function` methods (those with an input_signature, those
 * traced by earlier calls, and the functions named in `signatures=`), not only its call(): a model used as
 * a container of such methods saves fine in either version, whether or not it was ever called. Whether a
 * method was traced is not visible here, so any `@tf.function` method keeps the rule silent.
 */
function exportsTracedMethods(cls: CustomClass): boolean {
  let traced = false;
  walk(cls.node, (n) => {
    if (n.type === "decorator" && /^@\s*(?:\w+\.)*function\b/.test(text(n))) traced = true;
    return !traced;
  });
  return traced;
}

/**
 * Saving a subclassed model built only with build(shape), by save kind and Keras version (the one
 * place this version logic lives; "unknown" flags only what fails in both versions):
 *   - save() to a directory: tf.keras has no save spec after build() ("Model ... cannot be saved
 *     because the input shapes have not been set"); Keras 3 rejects a path without .keras;
 *   - save() to .keras/.h5: config + weights, fine after build() (HDF5 of subclassed models is SMS104);
 *   - export(): Keras 3 raises "The model provided has never been called"; tf.keras traces what it can;
 *   - tf.saved_model.save: no traced call function or serving signature in either version.
 */
const BUILD_ONLY: Readonly<
  Record<"saveDir" | "saveFile" | "export" | "tfsave", { readonly what: string } & Readonly<Partial<Record<VersionKey, 1 | 2>>>>
> = {
  saveDir: {
    2: Severity.Error,
    3: Severity.Error,
    unknown: Severity.Error,
    what: `Saving it to a directory fails in both Keras versions: tf.keras raises ValueError (no input shapes were recorded, "cannot be saved because the input shapes have not been set") and Keras 3 needs a .keras file.`,
  },
  saveFile: { what: "" },
  export: {
    2: Severity.Warning,
    3: Severity.Error,
    what: `Keras 3 export() raises ValueError ("The model provided has never been called"); tf.keras exports no serving signature for it.`,
  },
  tfsave: {
    2: Severity.Warning,
    3: Severity.Warning,
    unknown: Severity.Warning,
    what: `tf.saved_model.save writes no traced call function or serving signature for it.`,
  },
};

/** A save reached by the flow walk: everything `save` needs, so an unchanged scope can be replayed. */
interface SaveEvent {
  readonly call: PyNode;
  readonly kind: SaveKind;
  readonly pathNode: PyNode | undefined;
  readonly formatNode: PyNode | undefined;
  readonly name: string;
  readonly v: VarState;
  /** Name of `v.cls` (the class object is rebuilt on every analysis; the name finds the current one). */
  readonly clsName: string | undefined;
  readonly report: boolean;
  readonly scopeClasses: readonly string[];
  readonly scopeFunctions: readonly FunctionRef[];
}

/** Save events of one function scope, valid while what the scope depends on is unchanged. */
interface ScopeEntry {
  readonly version: string;
  /** Imported names the walk looked up, with what they were bound to. */
  readonly used: UsedNames | undefined;
  /** Every name the walk looked up among the custom classes, with what it found. */
  readonly deps: readonly (readonly [string, CustomClass | undefined])[];
  readonly events: SaveEvent[];
  /** Calls on a placeholder input shape found in the scope (replayed with the saves). */
  readonly placeholders: PlaceholderEvent[];
}

interface PlaceholderEvent {
  readonly call: PyNode;
  readonly name: string;
}

const scopeCache = new WeakMap<PyNode, ScopeEntry>();

/**
 * A function scope's result depends, besides its own nodes, on the Keras version, the imported names
 * it looked up, and
 * the custom classes its walk looked up (found or not). Classes are rebuilt only when their
 * definition, the imports or their in-file parents change (collectClasses keeps the same object
 * otherwise), so comparing them by identity covers the class bodies and their bases.
 */
function scopeValid(ctx: FileContext, e: ScopeEntry): boolean {
  if (e.version !== String(ctx.version) || !sameNames(ctx.bindings, e.used)) return false;
  for (const [name, cls] of e.deps) if (ctx.classes.get(name) !== cls) return false;
  return true;
}

export function analyzeFlow(ctx: FileContext): FlowResult {
  const a = new FlowAnalyzer(ctx);
  a.scope(ctx.statements);
  for (const s of ctx.statements) {
    for (const fn of statementFacts(s).functions) {
      const body = field(fn, "body");
      if (!body) continue;
      const hit = scopeCache.get(fn);
      if (hit && scopeValid(ctx, hit)) {
        a.replay(hit.events);
        for (const p of hit.placeholders) a.placeholderCall(p.call, p.name);
        continue;
      }
      analysisStats.flowScopes++;
      const events: SaveEvent[] = [];
      const placeholders: PlaceholderEvent[] = [];
      const deps = new Set<string>();
      const recording = { events, deps, placeholders, usesFactories: false };
      a.recording = recording;
      const { used } = trackNames(ctx.bindings, () => a.scope(body.children));
      a.recording = undefined;
      // a scope that looked at another function's body (a model factory) depends on it: not cached
      if (recording.usesFactories) continue;
      scopeCache.set(fn, {
        version: String(ctx.version),
        used,
        deps: [...deps].map((n) => [n, ctx.classes.get(n)] as const),
        events,
        placeholders,
      });
    }
  }
  return { findings: a.findings, saves: a.saves };
}

/** What a save check sees of one save call. */
interface SaveSite {
  readonly ctx: FileContext;
  readonly call: PyNode;
  readonly kind: SaveKind;
  readonly pathNode: PyNode | undefined;
  readonly ext: PathExt;
  readonly name: string;
  readonly v: VarState;
  readonly related: { node: PyNode; message: string }[];
  /** A subclassed keras.Model (not Functional-style, not a Sequential subclass). */
  readonly subclassedModel: boolean;
  /** How the file spells keras.Input. */
  readonly input: string;
  readonly buildFix: (buildCall: PyNode | undefined) => Fix[];
}

/** SMS103: Keras 3 save() needs .keras (or legacy .h5), for any model. */
function keras3Extension(s: SaveSite): Finding | undefined {
  const cls = s.v.cls;
  if (s.kind !== "save" || s.ctx.version !== 3 || s.ext !== "none" || (cls !== undefined && cls.kind !== "model")) return undefined;
  const fixes: Fix[] = [];
  if (s.pathNode && stringValue(s.pathNode) !== undefined) fixes.push(appendToString(s.pathNode, ".keras", "Save as a .keras file"));
  return {
    diagnostic: diag(
      s.ctx,
      Codes.Keras3SaveExtension,
      Severity.Error,
      s.call,
      `Keras 3 save() only writes .keras files (or legacy .h5): this path has no extension, so Keras raises ValueError ("Invalid filepath extension for saving"). Add ".keras", or use \`${s.name}.export(path)\` to write a TensorFlow SavedModel.`,
      s.related,
    ),
    fixes,
  };
}

/** SMS104: HDF5 of a subclassed model. */
function h5Subclassed(s: SaveSite): Finding | undefined {
  if (s.kind !== "save" || s.ext !== "h5" || !s.subclassedModel) return undefined;
  const ver = s.ctx.version;
  const cls = s.v.cls!;
  const fixes: Fix[] = [];
  if (ver !== 2 && s.pathNode && stringValue(s.pathNode) !== undefined)
    fixes.push(replaceExt(s.pathNode, ".keras", "Save as a .keras file instead"));
  return {
    diagnostic: diag(
      s.ctx,
      Codes.H5Subclassed,
      ver === 2 ? Severity.Error : Severity.Warning,
      s.call,
      ver === 2
        ? `\`${cls.name}\` is a subclassed model: tf.keras refuses to write it to HDF5 (NotImplementedError: "Saving the model to HDF5 format requires the model to be a Functional model or a Sequential model"). Save to a SavedModel directory (no extension) or a .keras file.`
        : `\`${cls.name}\` is a subclassed model saved to HDF5, a legacy format: tf.keras (Keras 2) raises NotImplementedError for subclassed models, and Keras 3 can only rebuild it from get_config() with every custom class registered. Save to a .keras file instead.`,
      s.related,
    ),
    fixes,
  };
}

/** The saved object is a subclassed model/layer whose call was never traced (SMS101/SMS102 apply). */
function needsCall(s: SaveSite, status: Status): CustomClass | undefined {
  const cls = s.v.cls;
  if (!cls || s.v.status !== status) return undefined;
  if (s.kind === "tfsave" && exportsTracedMethods(cls)) return undefined;
  if (cls.kind === "model" ? !s.subclassedModel : s.kind !== "tfsave") return undefined;
  return cls;
}

/** SMS101: saved before it was ever called or trained. */
function unbuiltSave(s: SaveSite): Finding | undefined {
  const cls = needsCall(s, "unbuilt");
  if (!cls) return undefined;
  const ver = s.ctx.version;
  let severity: 1 | 2;
  let what: string;
  if (s.kind === "tfsave") {
    severity = Severity.Warning;
    what = `tf.saved_model.save writes it without call functions or weights (TensorFlow logs "Skipping full serialization of Keras model ... because its inputs are not defined"): the SavedModel has no serving signature.`;
  } else if (s.kind === "export") {
    severity = Severity.Error;
    what = `export() raises ValueError: Keras needs the model to have been called to know its input signature.`;
  } else {
    if (s.ext === "keras" || s.ext === "h5" || ver === 3) return undefined;
    if (ver === "unknown" && s.ext !== "none") return undefined;
    severity = Severity.Error;
    what =
      ver === 2
        ? `tf.keras raises ValueError ("Model ... cannot be saved because the input shapes have not been set").`
        : `tf.keras raises ValueError ("Model ... cannot be saved because the input shapes have not been set"); Keras 3 rejects the path too (it needs a .keras file).`;
  }
  return {
    diagnostic: diag(
      s.ctx,
      Codes.UnbuiltSave,
      severity,
      s.call,
      `\`${s.name}\` (subclassed \`${cls.name}\`) is saved before it was ever called or trained, so its input shapes are unknown: ${what} Call it once on real or symbolic input before saving, e.g. \`${s.name}(${s.input}(shape=...))\`.`,
      s.related,
    ),
    fixes: s.buildFix(undefined),
  };
}

/** SMS102: built only through build(shape); what each version does is BUILD_ONLY. */
function buildOnlySave(s: SaveSite): Finding | undefined {
  if (!needsCall(s, "buildOnly")) return undefined;
  const rule = BUILD_ONLY[s.kind === "save" ? (s.ext === "none" ? "saveDir" : "saveFile") : s.kind];
  const severity = rule[String(s.ctx.version) as VersionKey];
  if (severity === undefined) return undefined;
  return {
    diagnostic: diag(
      s.ctx,
      Codes.BuildOnlySave,
      severity,
      s.call,
      `\`${s.name}\` was only built with build(shape): that creates the weights but records no call with real inputs. ${rule.what} Call the model once instead, e.g. \`${s.name}(${s.input}(shape=...))\`.`,
      [...s.related, { node: s.v.buildCall!, message: "built here, without a call" }],
    ),
    fixes: s.buildFix(s.v.buildCall),
  };
}

/** The save rules, tried in order; the first finding wins (one diagnostic per save call). */
const SAVE_CHECKS: readonly { readonly code: Code; readonly check: (s: SaveSite) => Finding | undefined }[] = [
  { code: Codes.Keras3SaveExtension, check: keras3Extension },
  { code: Codes.H5Subclassed, check: h5Subclassed },
  { code: Codes.UnbuiltSave, check: unbuiltSave },
  { code: Codes.BuildOnlySave, check: buildOnlySave },
];

class FlowAnalyzer {
  readonly findings: Finding[] = [];
  readonly saves: SaveRecord[] = [];
  private report = true;
  private instantiated: string[] = [];
  /** Length of `instantiated` when the last model was created in this scope. */
  private modelMark = 0;
  private functionRefs: FunctionRef[] = [];
  /** Top-level functions of the file that return a Keras-constructed model (per analysis). */
  private readonly factories = new Map<string, boolean>();
  private functionsMark = 0;
  private reported = new Set<PyNode>();
  /** When set, every save reached and every class name looked up is recorded (for replaying an unchanged scope). */
  recording: { events: SaveEvent[]; deps: Set<string>; placeholders: PlaceholderEvent[]; usesFactories: boolean } | undefined;

  /** The custom class of that name, recording the lookup as a dependency of the scope. */
  private classNamed(name: string): CustomClass | undefined {
    if (name.includes(".")) return undefined; // class names are plain identifiers
    this.recording?.deps.add(name);
    return this.ctx.classes.get(name);
  }

  constructor(private readonly ctx: FileContext) {}

  scope(stmts: readonly PyNode[]): void {
    this.instantiated = [];
    this.modelMark = 0;
    this.functionRefs = [];
    this.functionsMark = 0;
    this.block(stmts, new Map());
  }

  /** Runs statements; returns null when every path ends (return/raise). */
  private block(stmts: readonly PyNode[], state: State | null): State | null {
    let st = state;
    for (const s of stmts) {
      if (!st) return null;
      st = this.stmt(s, st);
    }
    return st;
  }

  private stmt(s: PyNode, st: State): State | null {
    switch (s.type) {
      case "expression_statement": {
        for (const c of s.children) this.exprStatement(c, st);
        return st;
      }
      case "return_statement":
      case "raise_statement":
        this.events(s, st);
        return null;
      case "if_statement": {
        this.events(field(s, "condition"), st);
        const outs: (State | null)[] = [this.block(field(s, "consequence")?.children ?? [], copy(st))];
        let hasElse = false;
        let cur = st;
        for (const alt of s.children.filter((c) => c.field === "alternative")) {
          if (alt.type === "elif_clause") {
            this.events(field(alt, "condition"), cur);
            outs.push(this.block(field(alt, "consequence")?.children ?? [], copy(cur)));
          } else {
            hasElse = true;
            outs.push(this.block(field(alt, "body")?.children ?? [], copy(cur)));
          }
          cur = st;
        }
        if (!hasElse) outs.push(st);
        return merge(outs);
      }
      case "for_statement":
      case "while_statement": {
        this.events(field(s, s.type === "for_statement" ? "right" : "condition"), st);
        if (s.type === "for_statement") this.assignTargets(field(s, "left"), undefined, st);
        const body = field(s, "body")?.children ?? [];
        const saved = this.report;
        this.report = false;
        const first = this.block(body, copy(st));
        this.report = saved;
        const head = merge([st, first]) ?? st;
        const end = this.block(body, copy(head));
        const after = merge([st, end, first]) ?? st;
        const elseClause = s.children.find((c) => c.field === "alternative");
        return elseClause ? this.block(field(elseClause, "body")?.children ?? [], after) : after;
      }
      case "try_statement": {
        const body = this.block(field(s, "body")?.children ?? [], copy(st));
        const outs: (State | null)[] = [];
        let elseOut: State | null = body;
        let fin: PyNode | undefined;
        for (const c of s.children) {
          if (c.type === "except_clause" || c.type === "except_group_clause") {
            const blk = c.children.find((x) => x.type === "block");
            outs.push(this.block(blk?.children ?? [], merge([st, body]) ?? copy(st)));
          } else if (c.type === "else_clause") {
            elseOut = this.block(field(c, "body")?.children ?? [], body);
          } else if (c.type === "finally_clause") {
            fin = c.children.find((x) => x.type === "block");
          }
        }
        outs.push(elseOut);
        const merged = merge(outs);
        if (!fin) return merged;
        const finState = this.block(fin.children, merged ?? merge([st, body]) ?? copy(st));
        return merged ? finState : null;
      }
      case "with_statement": {
        for (const c of s.children) if (c.type === "with_clause") this.events(c, st);
        return this.block(field(s, "body")?.children ?? [], st);
      }
      case "match_statement": {
        this.events(field(s, "subject"), st);
        const outs: (State | null)[] = [st];
        const body = field(s, "body");
        for (const c of body?.children ?? []) {
          if (c.type === "case_clause") outs.push(this.block(c.children.find((x) => x.type === "block")?.children ?? [], copy(st)));
        }
        return merge(outs);
      }
      case "function_definition":
      case "class_definition":
      case "decorated_definition":
        this.nestedReferences(s, st);
        return st;
      case "global_statement":
      case "nonlocal_statement":
      case "delete_statement":
        for (const c of s.children) walk(c, (n) => (n.type === "identifier" ? void st.delete(text(n)) : true));
        return st;
      default:
        this.events(s, st);
        return st;
    }
  }

  private exprStatement(e: PyNode, st: State): void {
    if (e.type === "assignment" || e.type === "augmented_assignment") {
      const right = field(e, "right");
      this.events(right, st);
      this.events(field(e, "left"), st, true);
      this.assignTargets(field(e, "left"), e.type === "assignment" ? right : undefined, st);
      return;
    }
    this.events(e, st);
  }

  /** Binds or unbinds names assigned by a statement. */
  private assignTargets(left: PyNode | undefined, right: PyNode | undefined, st: State): void {
    if (!left) return;
    if (left.type === "identifier") {
      const name = text(left);
      const created = right ? this.creation(right) : undefined;
      if (created) {
        st.set(name, { ...created, origin: right!, scopeFrom: this.modelMark, functionsFrom: this.functionsMark });
        this.modelMark = this.instantiated.length;
        this.functionsMark = this.functionRefs.length;
      } else st.delete(name);
      return;
    }
    // tuple/list targets, attributes, subscripts: plain names lose tracking
    walk(left, (n) => {
      if (n.type === "identifier" && n.parent?.type !== "attribute") st.delete(text(n));
      return n.type !== "attribute" && n.type !== "subscript";
    });
  }

  /** `MyModel(...)` / `keras.Sequential(...)` on the right of an assignment. */
  private creation(right: PyNode): Omit<VarState, "origin"> | undefined {
    if (right.type !== "call") return undefined;
    const fn = field(right, "function");
    const local = dotted(fn);
    const parts = this.instantiatedIn(right);
    const cls = local ? this.classNamed(local) : undefined;
    if (cls) {
      if (cls.sequential) return { status: "maybe", cls: undefined, parts };
      if (cls.functionalInit || cls.builtInInit) return { status: "built", cls, parts };
      return { status: "unbuilt", cls, parts };
    }
    const r = resolve(this.ctx.bindings, fn);
    if (r && KERAS_MODEL_CTORS.test(kerasPublic(r))) return { status: "built", cls: undefined, parts };
    // `model = build_model()` where the file's build_model returns a Keras-constructed model
    if (fn?.type === "identifier" && this.ctx.functions.has(text(fn)) && this.returnsKerasModel(text(fn)))
      return { status: "built", cls: undefined, parts };
    return undefined;
  }

  /** A top-level function of the file that returns `keras.Model(...)` / `Sequential(...)` / a name bound to one. */
  private returnsKerasModel(name: string): boolean {
    if (this.recording) this.recording.usesFactories = true;
    let hit = this.factories.get(name);
    if (hit === undefined) this.factories.set(name, (hit = this.computeReturnsKerasModel(name)));
    return hit;
  }

  private computeReturnsKerasModel(name: string): boolean {
    const def = this.ctx.statements
      .map((st) => (st.type === "decorated_definition" ? field(st, "definition") : st))
      .find((d) => d?.type === "function_definition" && text(field(d, "name")!) === name);
    const body = def ? field(def, "body") : undefined;
    if (!body) return false;
    const isCtor = (n: PyNode | undefined): boolean => {
      if (n?.type !== "call") return false;
      const r = resolve(this.ctx.bindings, field(n, "function"));
      return r !== undefined && KERAS_MODEL_CTORS.test(kerasPublic(r));
    };
    const ctorNames = new Set<string>();
    const returned: PyNode[] = [];
    walk(body, (n) => {
      if (n.type === "function_definition" || n.type === "class_definition" || n.type === "lambda") return false;
      if (n.type === "assignment" && field(n, "left")?.type === "identifier" && isCtor(field(n, "right")))
        ctorNames.add(text(field(n, "left")!));
      const value = n.type === "return_statement" ? n.children[n.children.length - 1] : undefined;
      if (value) returned.push(value);
      return true;
    });
    return returned.length > 0 && returned.every((v) => isCtor(v) || (v.type === "identifier" && ctorNames.has(text(v))));
  }

  /**
   * File functions handed to Keras: layer arguments (`activation=`, initializers, ...) join the scope's
   * list (they belong to the next model built from those layers); `m.compile(opt, loss, metrics=[...])`
   * arguments belong to `m` alone.
   */
  private functionArguments(call: PyNode, st: State): void {
    if (this.ctx.functions.size === 0) return;
    const a = args(call);
    const names = (v: PyNode | undefined): string[] => {
      if (!v) return [];
      const items = v.type === "list" || v.type === "tuple" ? v.children : [v];
      return items
        .filter((it) => it.type === "identifier")
        .map((it) => text(it))
        .filter((n) => this.ctx.functions.has(n) && !this.ctx.bindings.names.has(n));
    };
    const fn = field(call, "function");
    const isCompile = fn?.type === "attribute" && text(field(fn, "attribute")!) === "compile";
    if (isCompile) {
      const target = field(fn, "object");
      const v = target?.type === "identifier" ? st.get(text(target)) : undefined;
      if (!v) return;
      const refs = [...names(a.positional[1]), ...[...COMPILE_FN_KEYWORDS].flatMap((k) => names(a.keywords.get(k)))];
      if (refs.length > 0)
        st.set(text(target!), { ...v, compiled: [...(v.compiled ?? []), ...refs.map((name) => ({ name, role: "compile" as const }))] });
      return;
    }
    for (const [k, v] of a.keywords)
      if (LAYER_FN_KEYWORDS.test(k)) for (const name of names(v)) this.functionRefs.push({ name, role: "layer" });
  }

  private instantiatedIn(n: PyNode): string[] {
    const out: string[] = [];
    walk(n, (c) => {
      if (c.type === "call") {
        const f = dotted(field(c, "function"));
        if (f && this.classNamed(f)) out.push(f);
      }
      return true;
    });
    return out;
  }

  /** Applies the events of an expression in source order. */
  private events(n: PyNode | undefined, st: State, isTarget = false): void {
    if (!n) return;
    walk(n, (c) => {
      if (c.type === "call") {
        const f = dotted(field(c, "function"));
        if (f && this.classNamed(f)) this.instantiated.push(f);
        this.functionArguments(c, st);
        return true;
      }
      if (c.type === "identifier") {
        const name = text(c);
        const v = st.get(name);
        if (v) this.reference(c, name, v, st, isTarget);
        return false;
      }
      if (NESTED.has(c.type) && c !== n) {
        this.nestedReferences(c, st);
        return false;
      }
      return true;
    });
  }

  /** Any reference inside a nested function/lambda/comprehension: the instance may be used later. */
  private nestedReferences(n: PyNode, st: State): void {
    if (st.size === 0) return; // only tracked names change state
    walk(n, (c) => {
      if (c.type === "identifier" && st.has(text(c))) {
        const v = st.get(text(c))!;
        if (c.parent?.type === "attribute" && c.field === "attribute") return false;
        st.set(text(c), { ...v, status: "maybe" });
      }
      return true;
    });
  }

  private reference(id: PyNode, name: string, v: VarState, st: State, isTarget: boolean): void {
    const p = id.parent;
    if (!p) return;
    if (p.type === "attribute" && id.field === "attribute") return; // `x.model` is not our variable
    if (p.type === "keyword_argument" && id.field === "name") return;
    if (isTarget && p.type === "attribute") return; // `m.trainable = False`
    if (p.type === "call" && id.field === "function") {
      if ((v.status === "unbuilt" || v.status === "buildOnly") && v.cls) this.placeholderCall(p, name);
      st.set(name, { ...v, status: "built" });
      return;
    }
    if (p.type === "attribute" && id.field === "object") {
      const call = p.parent;
      const method = text(field(p, "attribute")!);
      if (call?.type === "call" && p.field === "function") this.method(call, method, name, v, st);
      return; // attribute read
    }
    if (p.type === "comparison_operator" || p.type === "not_operator" || p.type === "boolean_operator") return;
    const argList = p.type === "keyword_argument" ? p.parent : p;
    const call = argList?.type === "argument_list" ? argList.parent : undefined;
    if (call?.type === "call") {
      const fn = field(call, "function");
      const local = dotted(fn);
      if (local && NEUTRAL_FUNCS.has(local) && !this.ctx.bindings.names.has(local)) return;
      const r = resolve(this.ctx.bindings, fn);
      const pub = r ? kerasPublic(r) : undefined;
      const a = args(call);
      const isModelArg = a.positional[0] === id || (p.type === "keyword_argument" && /^(model|obj)$/.test(text(field(p, "name")!)));
      if (pub && isModelArg && (SAVE_FUNCS.test(pub) || pub === "tf.saved_model.save")) {
        const kind: SaveKind = pub === "tf.saved_model.save" ? "tfsave" : "save";
        const pathNode = a.keywords.get(kind === "tfsave" ? "export_dir" : "filepath") ?? a.positional[1];
        this.save(call, kind, pathNode, a.keywords.get("save_format"), name, v);
        return;
      }
    }
    st.set(name, { ...v, status: "maybe" }); // escapes
  }

  /** `m(keras.Input(shape=...))`: the quick fix's placeholder (Ellipsis) is no shape; Keras raises at run time. */
  placeholderCall(call: PyNode, name: string): void {
    let ellipsis: PyNode | undefined;
    walk(field(call, "arguments") ?? call, (n) => {
      if (n.type === "ellipsis") ellipsis ??= n;
      return ellipsis === undefined;
    });
    if (!ellipsis) return;
    this.recording?.placeholders.push({ call, name });
    if (!this.report || this.reported.has(call)) return;
    this.reported.add(call);
    this.findings.push({
      diagnostic: diag(
        this.ctx,
        Codes.PlaceholderInputShape,
        Severity.Warning,
        ellipsis,
        `Fill in the input shape: \`${name}\` is called on \`shape=...\`, a placeholder (Python's Ellipsis), and Keras raises at run time instead of building the model. Write the shape of one example without the batch dimension, e.g. (32,).`,
      ),
      fixes: [],
    });
  }

  private method(call: PyNode, method: string, name: string, v: VarState, st: State): void {
    if (method === "save" || method === "export") {
      const a = args(call);
      const pathNode = a.keywords.get("filepath") ?? a.positional[0];
      this.save(call, method === "save" ? "save" : "export", pathNode, a.keywords.get("save_format"), name, v);
      return;
    }
    if (method === "__call__") {
      st.set(name, { ...v, status: "built" });
      return;
    }
    if (method === "build") {
      if (v.status === "unbuilt") st.set(name, { ...v, status: "buildOnly", buildCall: call });
      return;
    }
    if (NEUTRAL_METHODS.has(method)) return;
    const step = STEP_OF[method];
    if (step) {
      const override = v.cls ? findMethod(v.cls, step, this.ctx.classes) : undefined;
      if (override && v.cls && !callsSelf(override, v.cls, this.ctx.classes)) return; // the step never calls the model
      st.set(name, { ...v, status: "built" });
      return;
    }
    if (v.cls) {
      const own = findMethod(v.cls, method, this.ctx.classes);
      if (own && !callsSelf(own, v.cls, this.ctx.classes) && !callsBuildish(own)) return;
    }
    st.set(name, { ...v, status: "maybe" });
  }

  private save(
    call: PyNode,
    kind: SaveKind,
    pathNode: PyNode | undefined,
    formatNode: PyNode | undefined,
    name: string,
    v: VarState,
  ): void {
    const e: SaveEvent = {
      call,
      kind,
      pathNode,
      formatNode,
      name,
      v,
      clsName: v.cls?.name,
      report: this.report,
      scopeClasses: this.instantiated.slice(v.scopeFrom ?? 0),
      scopeFunctions: [...this.functionRefs.slice(v.functionsFrom ?? 0), ...(v.compiled ?? [])],
    };
    this.recording?.events.push(e);
    this.apply(e, v);
  }

  /** Replays the saves of an unchanged scope against this analysis's classes. */
  replay(events: readonly SaveEvent[]): void {
    for (const e of events) {
      const cls = e.clsName === undefined ? undefined : this.ctx.classes.get(e.clsName);
      this.apply(e, cls === e.v.cls ? e.v : { ...e.v, cls });
    }
  }

  private apply(e: SaveEvent, v: VarState): void {
    const { call, kind, pathNode, name } = e;
    const fmt = stringValue(e.formatNode);
    // a module constant path (`MODEL_DIR = "models/m"`, assigned once) counts as its literal
    const constant = pathNode?.type === "identifier" ? this.ctx.constants.get(text(pathNode)) : undefined;
    let ext = extOf(constant ?? pathTail(pathNode));
    if (fmt === "h5") ext = "h5";
    else if (fmt === "tf" && ext !== "keras") ext = "none";
    this.saves.push({
      call,
      kind,
      pathNode,
      ext,
      varName: name,
      cls: v.cls,
      scopeClasses: e.scopeClasses,
      parts: v.parts,
      scopeFunctions: e.scopeFunctions,
    });
    if (!e.report || this.reported.has(call)) return;
    const f = this.check(call, kind, pathNode, ext, name, v);
    if (f) {
      this.reported.add(call);
      this.findings.push(f);
    }
  }

  private check(call: PyNode, kind: SaveKind, pathNode: PyNode | undefined, ext: PathExt, name: string, v: VarState): Finding | undefined {
    const cls = v.cls;
    const related = [{ node: v.origin, message: `\`${name}\` is created here` }];
    if (cls)
      related.unshift({
        node: cls.nameNode,
        message: `\`${cls.name}\` subclasses ${cls.kind === "model" ? "keras.Model" : "keras.layers.Layer"}`,
      });
    const site: SaveSite = {
      ctx: this.ctx,
      call,
      kind,
      pathNode,
      ext,
      name,
      v,
      related,
      subclassedModel: cls !== undefined && cls.kind === "model" && !cls.functionalInit && !cls.sequential,
      input: this.inputSpelling(),
      buildFix: (buildCall) => this.buildFix(call, name, buildCall),
    };
    for (const rule of SAVE_CHECKS) {
      const f = rule.check(site);
      if (f) return f;
    }
    return undefined;
  }

  /** How the file spells `keras.Input` (`Input`, `keras.Input`, `tf.keras.Input`). */
  private inputSpelling(): string {
    const b = this.ctx.bindings;
    return localFor(b, "keras.Input") ?? localFor(b, "keras.layers.Input") ?? `${kerasSpelling(b) ?? "keras"}.Input`;
  }

  /** Quick fix: insert `name(keras.Input(shape=...))` on the line before the save statement. */
  private buildFix(save: PyNode, name: string, buildCall: PyNode | undefined): Fix[] {
    const ctx = this.ctx;
    if (!kerasSpelling(ctx.bindings) && !localFor(ctx.bindings, "keras.Input") && !localFor(ctx.bindings, "keras.layers.Input")) return [];
    const inputFn = this.inputSpelling();
    let shape = buildCall ? shapeFromBuild(buildCall) : undefined;
    shape ??= this.nearbyInputShape(save);
    shape ??= this.nearbyDataShape(save);
    const stmt = statementOf(save);
    const indent = indentOf(ctx, stmt);
    const line = stmt.blk.row + stmt.sr;
    const code = shape
      ? `${name}(${inputFn}(shape=${shape}))`
      : `${name}(${inputFn}(shape=...))  # TODO: input shape without the batch dimension`;
    return [
      {
        title: `Build \`${name}\` before saving: ${code.split("  #")[0]}`,
        edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${code}\n` }],
        preferred: true,
      },
    ];
  }

  /**
   * The per-example shape of the closest data array before the save: an input-like name (`x_train`,
   * `features`, ...) bound to an array constructor with a literal shape (`np.random.rand(100, 32)`,
   * `np.zeros((64, 28, 28))`, `tf.random.normal([8, 10])`, `.astype(...)` allowed), or the first
   * component of a `tf.data.Dataset.from_tensor_slices(...)` of such an array. The first dimension is
   * the batch; one more dimension at least is needed.
   */
  private nearbyDataShape(save: PyNode): string | undefined {
    const ctx = this.ctx;
    const saveAt = save.blk.offset + save.si;
    const arrays = new Map<string, string[]>();
    let best: string[] | undefined;
    for (const s of ctx.statements) {
      if (s.blk.offset + s.si > saveAt) break;
      walk(s, (n) => {
        if (n.blk.offset + n.si > saveAt) return false;
        if (n.type !== "assignment") return true;
        const left = field(n, "left");
        const right = field(n, "right");
        if (left?.type !== "identifier" || right?.type !== "call") return true;
        const name = text(left);
        const dims = literalDims(right, ctx.bindings);
        if (dims) {
          arrays.set(name, dims);
          if (DATA_NAME.test(name)) best = dims;
          return true;
        }
        if (resolve(ctx.bindings, field(right, "function")) === "tensorflow.data.Dataset.from_tensor_slices") {
          let first = args(right).positional[0];
          while (first && (first.type === "tuple" || first.type === "parenthesized_expression")) first = first.children[0];
          const d =
            first?.type === "identifier" ? arrays.get(text(first)) : first?.type === "call" ? literalDims(first, ctx.bindings) : undefined;
          if (d) best = d;
        }
        return true;
      });
    }
    if (!best || best.length < 2) return undefined;
    const rest = best.slice(1);
    // Names in the shape may not be in scope where the build call goes: literal sizes only.
    if (!rest.every((d) => /^\d+$/.test(d))) return undefined;
    return rest.length === 1 ? `(${rest[0]},)` : `(${rest.join(", ")})`;
  }

  /** `shape=` of the closest `keras.Input(...)` before the save in the file. */
  private nearbyInputShape(save: PyNode): string | undefined {
    let best: string | undefined;
    if (!this.ctx.source.includes("Input(")) return undefined;
    const saveAt = save.blk.offset + save.si;
    for (const s of this.ctx.statements) {
      if (s.blk.offset + s.si > saveAt) break;
      walk(s, (n) => {
        if (n.type !== "call" || n.blk.offset + n.si > saveAt) return true;
        const r = resolve(this.ctx.bindings, field(n, "function"));
        if (r === "keras.Input" || r === "keras.layers.Input") {
          const a = args(n);
          const sh = a.keywords.get("shape") ?? a.positional[0];
          if (sh) best = text(sh);
        }
        return true;
      });
    }
    return best;
  }
}

/**
 * Array constructors with a literal shape, by canonical name: where the shape is (`shape` keyword or
 * positional 0, a `size` keyword, or every positional argument as one dimension each).
 */
const ARRAY_MAKERS: Readonly<Record<string, "shape" | "size" | "dims">> = {
  "numpy.zeros": "shape",
  "numpy.ones": "shape",
  "numpy.empty": "shape",
  "numpy.full": "shape",
  "numpy.random.rand": "dims",
  "numpy.random.randn": "dims",
  "numpy.random.random": "shape",
  "numpy.random.random_sample": "shape",
  "numpy.random.uniform": "size",
  "numpy.random.normal": "size",
  "numpy.random.randint": "size",
  "tensorflow.zeros": "shape",
  "tensorflow.ones": "shape",
  "tensorflow.random.normal": "shape",
  "tensorflow.random.uniform": "shape",
};

/** Names that look like model inputs (`x`, `x_train`, `X`, `inputs`, `features`, `train_images` ...). */
const DATA_NAME = /^(x|X)(_\w+)?$|^\w+_(x|X)$|^(inputs?|features?|data|samples?|images?)(_\w+)?$|^\w+_(inputs?|features?|data|images?)$/;

/** The literal dimensions an array constructor call gives its result, or undefined. */
function literalDims(call: PyNode, bindings: FileContext["bindings"]): string[] | undefined {
  let c = call;
  // `np.zeros(...).astype("float32")`
  const fn0 = field(c, "function");
  if (fn0?.type === "attribute" && text(field(fn0, "attribute")!) === "astype") {
    const obj = field(fn0, "object");
    if (obj?.type !== "call") return undefined;
    c = obj;
  }
  const kind = ARRAY_MAKERS[resolve(bindings, field(c, "function")) ?? ""];
  if (!kind) return undefined;
  const a = args(c);
  const dimsOf = (n: PyNode | undefined): string[] | undefined => {
    if (!n) return undefined;
    if (n.type === "tuple" || n.type === "list") return n.children.map((d) => text(d));
    return n.type === "integer" ? [text(n)] : undefined;
  };
  if (kind === "dims")
    return a.positional.length > 0 && a.positional.every((p) => p.type === "integer") ? a.positional.map((p) => text(p)) : undefined;
  if (kind === "size") return dimsOf(a.keywords.get("size"));
  return dimsOf(a.keywords.get("shape") ?? a.positional[0]);
}

function callsBuildish(fn: PyNode): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (n.type === "call") {
      const f = dotted(field(n, "function"));
      if (f && /^self\.(build|fit|predict|evaluate|train_on_batch|test_on_batch|predict_on_batch|__call__)$/.test(f)) found = true;
    }
    return true;
  });
  return found;
}

/** `(None, 28, 28)` → `(28, 28)`; `[None, 4]` → `(4,)`; anything else → undefined. */
function shapeFromBuild(call: PyNode): string | undefined {
  const a = args(call);
  const s = a.keywords.get("input_shape") ?? a.positional[0];
  if (!s || (s.type !== "tuple" && s.type !== "list")) return undefined;
  const dims = s.children.map((c) => text(c));
  if (dims.length < 2) return undefined;
  const rest = dims.slice(1);
  return rest.length === 1 ? `(${rest[0]},)` : `(${rest.join(", ")})`;
}

export function statementOf(n: PyNode): PyNode {
  let cur = n;
  while (cur.parent && cur.parent.type !== "block" && cur.parent.type !== "module") cur = cur.parent;
  return cur;
}

function appendToString(str: PyNode, suffix: string, title: string): Fix {
  const t = text(str);
  const q = /('''|"""|'|")$/.exec(t)![1]!;
  const endLine = str.blk.row + str.er;
  const endChar = str.ec - q.length;
  return {
    title,
    edits: [{ range: { start: { line: endLine, character: endChar }, end: { line: endLine, character: endChar } }, newText: suffix }],
    preferred: true,
  };
}

function replaceExt(str: PyNode, ext: string, title: string): Fix {
  const t = text(str);
  const m = /\.(h5|hdf5)(['"]{1,3})$/i.exec(t)!;
  const endLine = str.blk.row + str.er;
  const endChar = str.ec - m[2]!.length;
  const startChar = endChar - m[1]!.length - 1;
  return {
    title,
    edits: [{ range: { start: { line: endLine, character: startChar }, end: { line: endLine, character: endChar } }, newText: ext }],
  };
}

function copy(st: State): State {
  return new Map(st);
}

function merge(states: (State | null)[]): State | null {
  const live = states.filter((s): s is State => s !== null);
  if (live.length === 0) return null;
  if (live.length === 1) return copy(live[0]!);
  const names = new Set<string>();
  for (const s of live) for (const k of s.keys()) names.add(k);
  const out: State = new Map();
  for (const name of names) {
    const vs = live.map((s) => s.get(name));
    const first = vs[0];
    if (first && vs.every((v) => v !== undefined && v.status === first.status && v.cls === first.cls)) {
      out.set(name, first);
    } else {
      const any = vs.find((v) => v !== undefined)!;
      out.set(name, { ...any, status: "maybe" });
    }
  }
  return out;
}
