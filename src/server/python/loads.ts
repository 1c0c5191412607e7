/**
 * Keras `load_model` calls and what each one provides: `custom_objects=` (a dict literal, or something
 * we cannot see into), an enclosing `custom_object_scope(...)`, and `compile=False`.
 */
import { args, dotted, enclosing, field, stringValue, text, walk, type PyNode } from "./ast.js";
import { boundValue, parameterDefault, parameterNames, pathKey, type FileContext } from "./context.js";
import { kerasPublic, resolve, sameNames, trackNames, type Bindings, type UsedNames } from "./imports.js";

export interface ProvidedEntry {
  readonly key: string;
  readonly keyNode: PyNode;
  /** Dotted name of the value (`MyLayer`, `layers_mod.MyLayer`), if a name. */
  readonly value: string | undefined;
}

export type Provided =
  | { readonly kind: "none" }
  | { readonly kind: "dict"; readonly node: PyNode; readonly entries: ProvidedEntry[] }
  /** Not a literal; `name` when it is a plain name (findLoads looks for the dict literal bound to it). */
  | { readonly kind: "opaque"; readonly name?: PyNode }
  /** A literal that is not a dict (`custom_objects="Patches"`): Keras raises TypeError before looking anything up. */
  | { readonly kind: "invalid"; readonly node: PyNode };

export interface LoadCall {
  readonly call: PyNode;
  readonly pathNode: PyNode | undefined;
  /** Comparable path (literal or module constant). */
  readonly key: string | undefined;
  /** The literal string as written, for disk lookup. */
  readonly literal: string | undefined;
  readonly customObjects: Provided;
  /** Enclosing custom_object_scope(s). */
  readonly scopes: Provided[];
  readonly compile: boolean;
}

const LOAD = /^keras\.(models\.load_model|saving\.load_model)$/;
const SCOPE = /^keras\.(utils\.custom_object_scope|utils\.CustomObjectScope|saving\.custom_object_scope|saving\.CustomObjectScope)$/;

/** A load call as found in a statement: nodes only (the path key and literal need the file's constants). */
interface RawLoad {
  readonly call: PyNode;
  readonly pathNode: PyNode | undefined;
  readonly customObjects: Provided;
  readonly scopes: Provided[];
  readonly compile: boolean;
}

const loadCache = new WeakMap<PyNode, { used: UsedNames | undefined; value: RawLoad[] }>();

export function findLoads(ctx: FileContext): LoadCall[] {
  const out: LoadCall[] = [];
  if (!ctx.source.includes("load_model")) return out;
  // A call resolving to `...load_model` spells "load_model" in its last segment, unless the callee is
  // a bare local bound to it (`from keras.models import load_model as lm`): statements spelling
  // neither have no load to find.
  const aliases: string[] = [];
  for (const [local, full] of ctx.bindings.names) if (full.endsWith("load_model") && local !== "load_model") aliases.push(local);
  for (const s of ctx.statements) {
    const src = text(s);
    if (!src.includes("load_model") && !aliases.some((a) => src.includes(a))) continue;
    let hit = loadCache.get(s);
    if (!hit || !sameNames(ctx.bindings, hit.used)) {
      const { value, used } = trackNames(ctx.bindings, () => loadsIn(ctx.bindings, s));
      loadCache.set(s, (hit = { used, value }));
    }
    for (const r of hit.value) {
      out.push({
        call: r.call,
        pathNode: r.pathNode,
        key: pathKey(ctx, r.pathNode),
        literal:
          stringValue(r.pathNode) ??
          (r.pathNode?.type === "identifier" ? (ctx.constants.get(dotted(r.pathNode)!) ?? parameterDefault(ctx, r.pathNode)) : undefined),
        customObjects: bound(ctx, r.customObjects),
        scopes: r.scopes.map((p) => bound(ctx, p)),
        compile: r.compile,
      });
    }
  }
  return out;
}

/**
 * `custom_objects=objs` where the file binds `objs = {...}` before the load and never changes it
 * (`objs[k] = v`, `objs.update(...)`, `|=`): the entries of that literal. Also a class attribute,
 * `Controller.custom_objects` / `self.custom_objects`, bound to a literal in that class's body.
 */
function bound(ctx: FileContext, p: Provided): Provided {
  if (p.kind !== "opaque" || !p.name) return p;
  const value = p.name.type === "attribute" ? classAttribute(p.name) : boundName(ctx, p.name);
  const name = p.name.type === "attribute" ? text(field(p.name, "attribute")!) : text(p.name);
  if (value?.type !== "dictionary" || mutatedNames(ctx).has(name)) return p;
  return provided(value);
}

function boundName(ctx: FileContext, n: PyNode): PyNode | undefined {
  // a parameter of the enclosing function is whatever the caller passes
  for (let up = n.parent; up; up = up.parent)
    if (up.type === "function_definition" && parameterNames(up).includes(text(n))) return undefined;
  return boundValue(ctx, n);
}

/** `Cls.attr` (or `self.attr` / `cls.attr` inside Cls): the value `attr = ...` in the body of the file's class Cls. */
function classAttribute(n: PyNode): PyNode | undefined {
  const owner = text(field(n, "object")!);
  const attr = text(field(n, "attribute")!);
  const cls = owner === "self" || owner === "cls" ? enclosing(n, "class_definition") : classNamed(n, owner);
  const body = cls && field(cls, "body");
  let value: PyNode | undefined;
  for (const stmt of body?.children ?? []) {
    const a = stmt.type === "expression_statement" ? stmt.children[0] : undefined;
    const left = a?.type === "assignment" ? field(a, "left") : undefined;
    if (left?.type === "identifier" && text(left) === attr) value = field(a!, "right");
  }
  return value;
}

/** The top-level class `name` of the file that holds `n`. */
function classNamed(n: PyNode, name: string): PyNode | undefined {
  let root = n;
  while (root.parent) root = root.parent;
  const classes = root.children.map((c) => (c.type === "decorated_definition" ? field(c, "definition") : c));
  return classes.find((c) => c?.type === "class_definition" && text(field(c, "name")!) === name) ?? undefined;
}

const mutatedCache = new WeakMap<FileContext, Set<string>>();
/** Names the file changes in place (`d[k] = v`, `d.update(...)`, `d |= ...`), read once per analysis. */
function mutatedNames(ctx: FileContext): Set<string> {
  let hit = mutatedCache.get(ctx);
  if (!hit) {
    hit = new Set();
    for (const m of ctx.source.matchAll(/\b([A-Za-z_]\w*)\s*(?:\[[^\]\n]*\]\s*=[^=]|\.(?:update|setdefault|pop)\(|\|=)/g)) hit.add(m[1]!);
    mutatedCache.set(ctx, hit);
  }
  return hit;
}

/** Keras load_model calls in one statement, with their enclosing custom_object_scope(s). */
function loadsIn(b: Bindings, statement: PyNode): RawLoad[] {
  const out: RawLoad[] = [];
  const scopes: Provided[] = [];
  const visit = (n: PyNode): void => {
    if (n.type === "with_statement") {
      const pushed: Provided[] = [];
      for (const clause of n.children) {
        if (clause.type !== "with_clause") continue;
        for (const item of clause.children) {
          const value = field(item, "value") ?? item.children[0];
          const call = value?.type === "as_pattern" ? value.children[0] : value;
          if (call?.type === "call") {
            const r = resolve(b, field(call, "function"));
            if (r && SCOPE.test(kerasPublic(r))) {
              const a = args(call);
              pushed.push(a.positional.length === 1 ? provided(a.positional[0]) : { kind: "opaque" });
            }
          }
        }
      }
      scopes.push(...pushed);
      for (const c of n.children) visit(c);
      scopes.splice(scopes.length - pushed.length, pushed.length);
      return;
    }
    if (n.type === "call") {
      const r = resolve(b, field(n, "function"));
      if (r && LOAD.test(kerasPublic(r))) {
        const a = args(n);
        const pathNode = a.keywords.get("filepath") ?? a.positional[0];
        const co = a.keywords.get("custom_objects") ?? a.positional[1];
        const compileNode = a.keywords.get("compile") ?? a.positional[2];
        const hasSplat = (field(n, "arguments")?.children ?? []).some((c) => c.type === "dictionary_splat");
        out.push({
          call: n,
          pathNode,
          customObjects: hasSplat ? { kind: "opaque" } : co ? provided(co) : { kind: "none" },
          scopes: [...scopes],
          compile: compileNode?.type !== "false",
        });
      }
    }
    for (const c of n.children) visit(c);
  };
  visit(statement);
  return out;
}

const NOT_A_MAPPING = new Set(["string", "concatenated_string", "list", "tuple", "set", "integer", "float", "true", "false"]);

function provided(n: PyNode | undefined): Provided {
  if (n && NOT_A_MAPPING.has(n.type)) return { kind: "invalid", node: n };
  if (n?.type === "identifier" || n?.type === "attribute") return { kind: "opaque", name: n };
  if (!n || n.type !== "dictionary") return { kind: "opaque" };
  const entries: ProvidedEntry[] = [];
  for (const pair of n.children) {
    if (pair.type !== "pair") return { kind: "opaque" }; // **spread
    const keyNode = field(pair, "key")!;
    const key = stringValue(keyNode);
    if (key === undefined) return { kind: "opaque" };
    entries.push({ key, keyNode, value: dotted(field(pair, "value")) });
  }
  return { kind: "dict", node: n, entries };
}

/** All entries a load can see, or "opaque" when any source is not a literal. */
export function allProvided(load: LoadCall): ProvidedEntry[] | "opaque" {
  const out: ProvidedEntry[] = [];
  for (const p of [load.customObjects, ...load.scopes]) {
    if (p.kind === "opaque" || p.kind === "invalid") return "opaque";
    if (p.kind === "dict") out.push(...p.entries);
  }
  return out;
}

/** Walk helper re-exported for rules that scan calls. */
export { walk };
