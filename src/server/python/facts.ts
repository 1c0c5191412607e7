/**
 * Per-node fact caches. A block's PyNode objects live exactly as long as the block's text is
 * unchanged (PythonDocument reuses them and only moves the block), so facts extracted from a
 * top-level statement, a class or a function are cached on the node itself (WeakMaps) and every
 * analysis after an edit re-extracts only the changed block's facts. Facts hold nodes, never
 * document positions: positions are read from the nodes when diagnostics are made, so a block that
 * moved needs no re-extraction.
 *
 * Results that also depend on the file's imports record the names they looked up (imports.ts
 * `trackNames`) and stay valid while those names are bound the same way.
 */
import { dotted, field, text, walk, walkStatements, type PyNode } from "./ast.js";
import { analysisStats } from "./stats.js";

/** Cached per node (or any object); `compute` runs once per key. */
export function memo<K extends object, T>(cache: WeakMap<K, T>, n: K, compute: (n: K) => T): T {
  let v = cache.get(n);
  if (v === undefined && !cache.has(n)) {
    v = compute(n);
    cache.set(n, v);
  }
  return v as T;
}

/** Context-free facts of one top-level statement. */
export interface StatementFacts {
  /** Class definitions anywhere inside (not inside expressions), in source order. */
  readonly classes: readonly RawClass[];
  /** Function definitions at any depth reachable through statements: each is a flow scope. */
  readonly functions: readonly PyNode[];
  /** Decorators whose expression is not a call (`@register_keras_serializable`), in source order. */
  readonly bareDecorators: readonly PyNode[];
}

export interface RawClass {
  readonly node: PyNode;
  readonly outer: PyNode;
  readonly decorators: PyNode[];
}

const statementCache = new WeakMap<PyNode, StatementFacts>();

export function statementFacts(s: PyNode): StatementFacts {
  return memo(statementCache, s, extractStatement);
}

function extractStatement(s: PyNode): StatementFacts {
  analysisStats.statementFacts++;
  const classes: RawClass[] = [];
  const src = text(s);
  const visit = (n: PyNode): boolean => {
    if (n.type === "decorated_definition") {
      const def = field(n, "definition");
      if (def?.type === "class_definition") {
        classes.push({ node: def, outer: n, decorators: n.children.filter((c) => c.type === "decorator") });
      }
      if (def) for (const c of def.children) walk(c, visit);
      return false;
    }
    if (n.type === "class_definition") {
      classes.push({ node: n, outer: n, decorators: [] });
      return true;
    }
    return !(n.type === "expression_statement" || n.type === "return_statement");
  };
  if (src.includes("class")) walk(s, visit); // a class definition spells the keyword
  const functions: PyNode[] = [];
  const bareDecorators: PyNode[] = [];
  walkStatements(s, (n) => {
    if (n.type === "function_definition") functions.push(n);
    else if (n.type === "decorated_definition") {
      for (const d of n.children) {
        if (d.type !== "decorator") continue;
        const expr = d.children[0];
        if (expr && expr.type !== "call") bareDecorators.push(d);
      }
    }
  });
  return { classes, functions, bareDecorators };
}

const methodCache = new WeakMap<PyNode, Map<string, PyNode>>();

/** Methods defined directly in a class body, by name (cached on the class node). */
export function classMethods(cls: PyNode): Map<string, PyNode> {
  return memo(methodCache, cls, (node) => {
    analysisStats.classFacts++;
    const methods = new Map<string, PyNode>();
    for (const st of field(node, "body")?.children ?? []) {
      const def = st.type === "decorated_definition" ? field(st, "definition") : st;
      if (def?.type === "function_definition") {
        const nm = field(def, "name");
        if (nm) methods.set(text(nm), def);
      }
    }
    return methods;
  });
}

const calledCache = new WeakMap<PyNode, readonly string[]>();

/** Dotted names of every call inside a node, in source order (the classes a class instantiates). */
export function calledNames(n: PyNode): readonly string[] {
  return memo(calledCache, n, (node) => {
    const out: string[] = [];
    walk(node, (c) => {
      if (c.type === "call") {
        const f = dotted(field(c, "function"));
        if (f) out.push(f);
      }
      return true;
    });
    return out;
  });
}
