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
import { checkpointSaves } from "./k3-paths.js";
import { args, dotted, enclosing, field, stringValue, text, walk, type PyNode } from "./ast.js";
import { buildFix, inputSpelling } from "./build-fix.js";
import { callsSelf, findMethod, functionalCall, isRegisteredInstance, type CustomClass } from "./classes.js";
import { Codes, Severity } from "./codes.js";
import {
  boundValue,
  calledDefinition,
  diag,
  extOf,
  importedClass,
  isFallbackSave,
  pathValue,
  type FileContext,
  type Finding,
  type PathExt,
} from "./context.js";
import {
  compileFunctionNames,
  functionNames,
  isCompileCall,
  KERAS_MODEL_CTORS,
  LAYER_FN_KEYWORDS,
  modelFactory,
  type Factory,
} from "./factories.js";
import { calledNames, memo, statementFacts } from "./facts.js";
import { copy, merge, type FlowResult, type FunctionRef, type SaveKind, type SaveRecord, type State, type VarState } from "./flow-state.js";
import { kerasPublic, resolve, sameNames, trackNames, type UsedNames } from "./imports.js";
import type { SaveCheck, SaveSite } from "./save-rules.js";
import { parameterFor, Seeds } from "./flow-seeds.js";
import { analysisStats } from "./stats.js";
import type { WorkspaceDefs } from "./workspace-needs.js";

export type { FlowResult, FunctionRef, SaveKind, SaveRecord } from "./flow-state.js";

export { COMPILE_FN_KEYWORDS, LAYER_FN_KEYWORDS } from "./factories.js";

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
  // tf.keras 2's generator forms run the same steps (fit_generator is fit)
  fit_generator: "train_step",
  evaluate_generator: "test_step",
  predict_generator: "predict_step",
  train_on_batch: "train_step",
  evaluate: "test_step",
  test_on_batch: "test_step",
  predict: "predict_step",
  predict_on_batch: "predict_step",
};
/** Methods through which a model class answers `save` itself. */
const OWN_SAVE = ["save", "__getattribute__", "__getattr__"];
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
  /** Imported names instantiated in the scope that were no workspace class (a scope using one is not cached). */
  readonly unresolved: readonly PyNode[];
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
function scopeValid(ctx: FileContext, e: ScopeEntry, defs: readonly WorkspaceDefs[]): boolean {
  if (e.version !== String(ctx.version) || !sameNames(ctx.bindings, e.used)) return false;
  for (const [name, cls] of e.deps) if (ctx.classes.get(name) !== cls) return false;
  return e.unresolved.every((callee) => !importedClass(ctx.bindings, callee, defs));
}

/** What a scope must spell to save (`save`, `export`, a checkpoint given to `fit`) or to hold a placeholder shape. */
const SCOPE_EVENT = /save|export|fit|\.\.\./;

/**
 * A function whose walk can find nothing: it spells no save, export, fit or placeholder, and calls none of the
 * file's functions (a model it passed to one would seed that function's walk). Most methods of Keras classes.
 */
const spellsEventCache = new WeakMap<PyNode, boolean>();
function quietScope(ctx: FileContext, fn: PyNode): boolean {
  if (memo(spellsEventCache, fn, (n) => SCOPE_EVENT.test(text(n)))) return false;
  return ctx.functions.size === 0 || !calledNames(fn).some((name) => ctx.functions.has(name));
}

/** Walks every scope of the file; `checks` are tried in order on each save call reached (rules.ts). */
export function analyzeFlow(ctx: FileContext, checks: readonly SaveCheck[], defs: readonly WorkspaceDefs[] = []): FlowResult {
  const a = new FlowAnalyzer(ctx, checks, defs);
  a.scope(ctx.statements);
  for (const s of ctx.statements) {
    for (const fn of statementFacts(s).functions) {
      const body = field(fn, "body");
      if (!body) continue;
      if (quietScope(ctx, fn)) continue;
      const hit = scopeCache.get(fn);
      if (hit && scopeValid(ctx, hit, defs)) {
        a.replay(hit.events);
        for (const p of hit.placeholders) a.placeholderCall(p.call, p.name);
        continue;
      }
      analysisStats.flowScopes++;
      const events: SaveEvent[] = [];
      const placeholders: PlaceholderEvent[] = [];
      const deps = new Set<string>();
      const recording = { events, deps, placeholders, usesFactories: false, unresolved: new Set<PyNode>() };
      a.recording = recording;
      const { used } = trackNames(ctx.bindings, () => a.scope(body.children));
      a.recording = undefined;
      // a scope that looked at another function's body (a model factory) depends on it: not cached
      if (recording.usesFactories) continue;
      scopeCache.set(fn, {
        version: String(ctx.version),
        used,
        deps: [...deps].map((n) => [n, ctx.classes.get(n)] as const),
        unresolved: [...recording.unresolved],
        events,
        placeholders,
      });
    }
  }
  a.walkSeeded();
  a.walkAttributeModels();
  return { findings: a.findings, saves: a.saves };
}

/** `self.model.save(...)` / `self.model.fit(...)` in a class body: a model kept in an attribute is used there. */
const ATTRIBUTE_MODEL_USE = /\bself\.\w+\.(?:save|export|fit(?:_generator)?)\(/;

/** The file's top-level classes that are not Keras classes (trainers, wrappers), whose methods use a model attribute. */
function plainClasses(ctx: FileContext): PyNode[] {
  const out: PyNode[] = [];
  for (const st of ctx.statements) {
    const def = st.type === "decorated_definition" ? field(st, "definition") : st;
    const name = def?.type === "class_definition" ? field(def, "name") : undefined;
    if (def && name && !ctx.classes.has(text(name)) && ATTRIBUTE_MODEL_USE.test(text(def))) out.push(def);
  }
  return out;
}

/**
 * `self.<attr> = <call>` assignments of a class body, by attribute: the creating calls, or undefined when the
 * attribute is also assigned anything else (`self.model = None` placeholders aside).
 */
function attributeAssignments(cls: PyNode): Map<string, PyNode[] | undefined> {
  const out = new Map<string, PyNode[] | undefined>();
  walk(cls, (n) => {
    if (n.type !== "assignment") return true;
    const left = field(n, "left");
    const right = field(n, "right");
    const target = left?.type === "attribute" ? dotted(left) : undefined;
    const attr = target?.startsWith("self.") && target.split(".").length === 2 ? target.slice(5) : undefined;
    if (!attr) return true;
    if (right?.type === "none") return true;
    const prev = out.has(attr) ? out.get(attr) : [];
    out.set(attr, prev && right?.type === "call" ? [...prev, right] : undefined);
    return true;
  });
  return out;
}

class FlowAnalyzer {
  readonly findings: Finding[] = [];
  readonly saves: SaveRecord[] = [];
  private report = true;
  private instantiated: string[] = [];
  /** Length of `instantiated` when the last model was created in this scope. */
  private modelMark = 0;
  private functionRefs: FunctionRef[] = [];
  /** Class instances created in a tracked model's compile() arguments: that model's parts. */
  private readonly compileOwned = new Set<PyNode>();
  /** Functions of the file and methods of its classes that return a Keras model, by definition (per analysis). */
  private readonly factories = new Map<PyNode, Factory | undefined>();
  private functionsMark = 0;
  private reported = new Set<PyNode>();
  /** Parameters of the file's functions that callers pass tracked models to (flow-seeds.ts). */
  private readonly seeds = new Seeds();
  /** During a seeded walk: the seeded names, the only ones whose saves are recorded (the rest was walked already). */
  private only: ReadonlySet<string> | undefined;
  /** When set, every save reached and every class name looked up is recorded (for replaying an unchanged scope). */
  recording:
    | { events: SaveEvent[]; deps: Set<string>; placeholders: PlaceholderEvent[]; usesFactories: boolean; unresolved: Set<PyNode> }
    | undefined;

  /** The custom class of that name, recording the lookup as a dependency of the scope. */
  private classNamed(name: string): CustomClass | undefined {
    if (name.includes(".")) return undefined; // class names are plain identifiers
    this.recording?.deps.add(name);
    return this.ctx.classes.get(name);
  }

  constructor(
    private readonly ctx: FileContext,
    private readonly checks: readonly SaveCheck[],
    private readonly defs: readonly WorkspaceDefs[],
  ) {}

  /**
   * `UNet(...)` imported from a workspace module: that module's class, seen from here (its name node is
   * the callee, for related information in this file). A scope that uses one is not cached.
   */
  private importedClassAt(callee: PyNode): CustomClass | undefined {
    if (callee.type !== "identifier" && callee.type !== "attribute") return undefined;
    const found = importedClass(this.ctx.bindings, callee, this.defs);
    if (!found) {
      this.recording?.unresolved.add(callee);
      return undefined;
    }
    if (this.recording) this.recording.usesFactories = true;
    return { ...found, nameNode: callee };
  }

  /** Walks the functions whose parameters callers gave tracked models (a bounded number of walks). */
  walkSeeded(): void {
    for (let next = this.seeds.next(this.ctx, 20); next; next = this.seeds.next(this.ctx, 20)) {
      this.only = new Set(next.state.keys());
      this.instantiated = [];
      this.modelMark = 0;
      this.functionRefs = [];
      this.functionsMark = 0;
      this.block(next.body, next.state);
      this.only = undefined;
    }
  }

  /**
   * Models kept in attributes of the file's plain classes (`self.model = Net()` in a trainer's `__init__`, then
   * `self.model.fit(..., callbacks=[ModelCheckpoint("best.h5")])` or `self.model.save(...)` in other methods). The
   * build status across methods is unknown ("maybe"), so only the checks that do not depend on it can report
   * (a subclassed model to HDF5, a Keras 3 path without extension).
   */
  walkAttributeModels(): void {
    for (const cls of plainClasses(this.ctx)) {
      for (const [attr, creations] of attributeAssignments(cls)) {
        const name = `self.${attr}`;
        const states = (creations ?? []).map((c) => this.creation(c, name, new Map()));
        const first = states[0];
        if (!first?.cls || states.some((v) => v?.cls !== first.cls)) continue;
        this.attributeUses(cls, name, { ...first, status: "maybe", origin: creations![0]! });
      }
    }
  }

  private attributeUses(cls: PyNode, name: string, v: VarState): void {
    this.instantiated = [];
    this.functionRefs = [];
    walk(cls, (n) => {
      const fn = n.type === "call" ? field(n, "function") : undefined;
      const method = fn?.type === "attribute" && dotted(field(fn, "object")) === name ? text(field(fn, "attribute")!) : undefined;
      if (method === "save" || method === "export") this.method(n, method, name, v, new Map());
      else if (method && STEP_OF[method] === "train_step")
        for (const c of checkpointSaves(this.ctx, n)) this.save(c.call, "checkpoint", c.pathNode, undefined, name, v);
      return true;
    });
  }

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
      const created = right ? this.creation(right, name, st) : undefined;
      if (created) {
        st.set(name, { ...created, origin: right!, scopeFrom: this.modelMark, functionsFrom: this.functionsMark });
        // a layer instance (`attention = Attention(64)`) is a part of the next model, not a model of its own
        if (created.cls?.kind !== "layer") {
          this.modelMark = this.instantiated.length;
          this.functionsMark = this.functionRefs.length;
        }
      } else st.delete(name);
      return;
    }
    // tuple/list targets, attributes, subscripts: plain names lose tracking, except a name the file
    // compiles or fits (`model, base = build_model()`), which is a model of unknown state
    walk(left, (n) => {
      if (n.type === "identifier" && n.parent?.type !== "attribute") {
        const name = text(n);
        if (right && n.parent === left && compiledOrFitNames(this.ctx).has(name))
          st.set(name, {
            status: "maybe",
            cls: undefined,
            parts: [],
            origin: right,
            scopeFrom: this.modelMark,
            functionsFrom: this.functionsMark,
          });
        else st.delete(name);
      }
      return n.type !== "attribute" && n.type !== "subscript";
    });
  }

  /** `MyModel(...)` / `keras.Sequential(...)` on the right of an assignment. */
  private creation(right: PyNode, name: string, st: State, depth = 0): Omit<VarState, "origin"> | undefined {
    // `net = builder.materialized_model`: a model of unknown state when the file compiles or fits that name
    if (right.type !== "call")
      return right.type === "attribute" && compiledOrFitNames(this.ctx).has(name)
        ? { status: "maybe", cls: undefined, parts: [] }
        : undefined;
    const fn = field(right, "function");
    const local = dotted(fn);
    const cls = (local ? this.classNamed(local) : undefined) ?? (fn ? this.importedClassAt(fn) : undefined);
    const parts = (): string[] => this.instantiatedIn(right);
    if (cls && functionalCall(cls, right, this.ctx.classes)) return { status: "built", cls: undefined, parts: parts() };
    if (cls) {
      if (cls.sequential) return { status: "maybe", cls: undefined, parts: parts() };
      if (cls.functionalInit || cls.builtInInit) return { status: "built", cls, parts: parts() };
      return { status: "unbuilt", cls, parts: parts() };
    }
    const r = resolve(this.ctx.bindings, fn);
    if (r && KERAS_MODEL_CTORS.test(kerasPublic(r))) return { status: "built", cls: undefined, parts: parts() };
    // `model = build_model()` where the file's build_model (or the class's `self.build()`) returns a model: it
    // carries what the factory used
    const factory = this.factory(calledDefinition(this.ctx, fn));
    // `model = compile_model(model, args)`: the same model comes back, whatever the function did to it
    const passed = factory?.param !== undefined ? args(right).positional[factory.param] : undefined;
    const same = passed?.type === "identifier" ? (st.get(text(passed)) ?? this.boundCreation(passed, st, depth)) : undefined;
    if (same) return { ...same, status: "maybe" };
    if (factory?.cls) return { status: "maybe", cls: factory.cls, parts: [...parts(), ...factory.classes], compiled: factory.functions };
    if (factory && factory.param === undefined)
      return {
        status: factory.kerasBuilt ? "built" : "maybe",
        cls: undefined,
        parts: [...parts(), ...factory.classes],
        compiled: factory.functions,
      };
    // `model = build_model()` imported from elsewhere: a model if the file compiles or fits that name
    if (compiledOrFitNames(this.ctx).has(name)) return { status: "maybe", cls: undefined, parts: parts() };
    return undefined;
  }

  /**
   * A name the walk does not track, bound earlier in the same function to a model creation (`gnn = self.build()`
   * ... `self.model = self.restore(gnn)` in a trainer's method): what that creation makes.
   */
  private boundCreation(name: PyNode, st: State, depth: number): Omit<VarState, "origin"> | undefined {
    const value = depth < 3 ? boundValue(this.ctx, name) : undefined;
    const sameFunction = value && enclosing(value, "function_definition") === enclosing(name, "function_definition");
    return sameFunction && value.type === "call" ? this.creation(value, text(name), st, depth + 1) : undefined;
  }

  /** A function of the file (or a method of the class) that returns a Keras model, with what its body hands to Keras. */
  private factory(def: PyNode | undefined): Factory | undefined {
    if (!def) return undefined;
    if (this.recording) this.recording.usesFactories = true;
    if (!this.factories.has(def))
      this.factories.set(
        def,
        modelFactory(this.ctx, def, (callee) => {
          const local = dotted(callee);
          return (local ? this.ctx.classes.get(local) : undefined) ?? importedClass(this.ctx.bindings, callee, this.defs);
        }),
      );
    return this.factories.get(def);
  }

  /**
   * File functions handed to Keras: layer arguments (`activation=`, initializers, ...) join the scope's
   * list (they belong to the next model built from those layers); `m.compile(opt, loss, metrics=[...])`
   * arguments belong to `m` alone.
   */
  private functionArguments(call: PyNode, st: State): void {
    if (this.ctx.functions.size === 0) return;
    if (isCompileCall(call)) {
      const target = field(field(call, "function")!, "object");
      const v = target?.type === "identifier" ? st.get(text(target)) : undefined;
      if (!v) return;
      const refs = compileFunctionNames(this.ctx, call);
      // `metrics=[MyMetric()]`: the instance belongs to this model, not to the scope's next model
      const owned: string[] = [];
      walk(field(call, "arguments") ?? call, (c) => {
        const f = c.type === "call" ? dotted(field(c, "function")) : undefined;
        if (f && this.classNamed(f)) {
          this.compileOwned.add(c);
          owned.push(f);
        }
        return true;
      });
      if (refs.length > 0 || owned.length > 0)
        st.set(text(target!), {
          ...v,
          parts: [...v.parts, ...owned],
          compiled: [...(v.compiled ?? []), ...refs.map((name) => ({ name, role: "compile" as const }))],
        });
      return;
    }
    for (const a of field(call, "arguments")?.children ?? []) {
      if (a.type !== "keyword_argument") continue;
      const k = field(a, "name");
      const v = field(a, "value");
      if (k && v && LAYER_FN_KEYWORDS.test(text(k)))
        for (const name of functionNames(this.ctx, v)) this.functionRefs.push({ name, role: "layer" });
    }
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
        const callee = field(c, "function");
        // class names are plain identifiers (classNamed)
        if (callee?.type === "identifier") {
          const f = text(callee);
          if (this.classNamed(f) && !this.compileOwned.has(c) && !isRegisteredInstance(this.ctx.bindings, c)) this.instantiated.push(f);
        }
        this.functionArguments(c, st);
        if (callee?.type === "attribute") {
          this.heldModelFit(c, callee);
          this.untrackedModelSave(c, callee, st);
        }
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

  /**
   * `trainer.model.fit(..., callbacks=[ModelCheckpoint(path)])`: a model another object holds, compiled by this
   * file (`trainer.model.compile(...)`), writes the checkpoint; its build state is unknown here.
   */
  private heldModelFit(call: PyNode, callee: PyNode): void {
    const obj = field(callee, "object");
    const name = obj?.type === "attribute" ? dotted(obj) : undefined;
    if (!name || name.startsWith("self.") || STEP_OF[text(field(callee, "attribute")!)] !== "train_step") return;
    if (!this.ctx.source.includes(`${name}.compile(`)) return;
    const v = this.unknownModel(call);
    for (const c of checkpointSaves(this.ctx, call)) this.save(c.call, "checkpoint", c.pathNode, undefined, name, v);
  }

  /**
   * `pred_model.save("out/pred.hdf5")` of a name the walk does not track (built by an imported factory): a model
   * file is written, whatever the model. Recorded for the workspace (a load of another file weighs it), never
   * checked here: nothing is known of the model.
   */
  private untrackedModelSave(call: PyNode, callee: PyNode, st: State): void {
    const obj = field(callee, "object");
    if (obj?.type !== "identifier" || text(field(callee, "attribute")!) !== "save") return;
    const name = text(obj);
    if (st.has(name) || this.ctx.bindings.names.has(name)) return;
    const a = args(call);
    const pathNode = a.keywords.get("filepath") ?? a.positional[0];
    const ext = extOf(pathValue(this.ctx, pathNode));
    if (ext !== "h5" && ext !== "keras") return;
    const report = this.report;
    this.report = false;
    this.save(call, "save", pathNode, a.keywords.get("save_format"), name, this.unknownModel(call));
    this.report = report;
  }

  /** A model this walk knows nothing of (class, parts, build state), first seen at `origin`. */
  private unknownModel(origin: PyNode): VarState {
    return { status: "maybe", cls: undefined, parts: [], origin, scopeFrom: this.modelMark, functionsFrom: this.functionsMark };
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
    if (call?.type === "call") this.seedCallee(call, id, v);
    st.set(name, { ...v, status: "maybe" }); // escapes
  }

  /** `train(model, data)` with train a function of this file: its parameter is seeded with the model. */
  private seedCallee(call: PyNode, id: PyNode, v: VarState): void {
    const fn = field(call, "function");
    if (fn?.type !== "identifier" || !this.ctx.functions.has(text(fn)) || this.ctx.bindings.names.has(text(fn))) return;
    const param = parameterFor(this.ctx, text(fn), call, id);
    if (!param) return;
    if (this.recording) this.recording.usesFactories = true; // a scope that seeds another is not cached
    this.seeds.add(text(fn), param, v);
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
      // the step never calls the model: fit() leaves it as it was, also for the checkpoints it writes
      const neverCalls = override !== undefined && v.cls !== undefined && !callsSelf(override, v.cls, this.ctx.classes);
      const after: VarState = neverCalls ? v : { ...v, status: "built" };
      if (STEP_OF[method] === "train_step")
        for (const c of checkpointSaves(this.ctx, call)) this.save(c.call, "checkpoint", c.pathNode, undefined, name, after);
      st.set(name, after);
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
    saved: VarState,
  ): void {
    if (this.only && !this.only.has(name)) return;
    // a wrapper that answers `save` itself (ModelMGPU hands it to the serial model) saves a model we do not know
    const own = saved.cls !== undefined && OWN_SAVE.some((m) => findMethod(saved.cls!, m, this.ctx.classes));
    const v: VarState = own ? { ...saved, cls: undefined, parts: [], status: "maybe" } : saved;
    const e: SaveEvent = {
      call,
      kind,
      pathNode,
      formatNode,
      name,
      v,
      clsName: v.cls?.name,
      report: this.report,
      // a custom model created after this one is a model of its own (a VAE around the decoder saved here)
      scopeClasses: this.instantiated.slice(v.scopeFrom ?? 0).filter((c) => c === v.cls?.name || this.ctx.classes.get(c)?.kind !== "model"),
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
    // a module constant path (`MODEL_DIR = "models/m"`) or an f-string of constants counts as its literal
    let ext = extOf(pathValue(this.ctx, pathNode));
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
    if (!e.report || this.reported.has(call) || isFallbackSave(call)) return;
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
      input: inputSpelling(this.ctx),
      buildFix: (buildCall) => buildFix(this.ctx, call, name, buildCall),
    };
    for (const check of this.checks) {
      const f = check(site);
      if (f) return f;
    }
    return undefined;
  }
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

const compiledCache = new WeakMap<FileContext, Set<string>>();
/** Names the file calls `.compile(...)` or `.fit(...)` on: Keras models, whatever built them. */
function compiledOrFitNames(ctx: FileContext): Set<string> {
  let hit = compiledCache.get(ctx);
  if (hit) return hit;
  hit = new Set();
  for (const m of ctx.source.matchAll(/\b([A-Za-z_]\w*)\.(?:compile|fit(?:_generator)?)\(/g)) hit.add(m[1]!);
  compiledCache.set(ctx, hit);
  return hit;
}
