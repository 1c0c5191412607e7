/**
 * A small plain-JS syntax tree converted once from a tree-sitter block tree. Rules walk these objects
 * (no calls into wasm), and a block's nodes are reused unchanged while the block's text is unchanged:
 * positions are relative to the block, whose start row is updated when lines above move.
 */
import type { Language, Tree } from "web-tree-sitter";
import { rawCursor } from "./raw-cursor.js";
import { analysisStats } from "./stats.js";

export interface BlockRef {
  /** Document line of the block's first character (updated when the block moves). */
  row: number;
  /** Document offset of the block's first character. */
  offset: number;
  readonly text: string;
}

export interface PyNode {
  readonly type: string;
  /** Field name in the parent (`function`, `arguments`, `left`, ...), or "" */
  readonly field: string;
  readonly children: PyNode[];
  /** Offsets and rows relative to the block; columns are document columns (blocks start at column 0). */
  readonly si: number;
  readonly ei: number;
  readonly sr: number;
  readonly sc: number;
  readonly er: number;
  readonly ec: number;
  readonly blk: BlockRef;
  parent: PyNode | null;
}

/** Node types whose inside never matters to the rules (their text is read from the source). */
const OPAQUE = new Set(["string", "comment", "integer", "float", "concatenated_string_part"]);

/** Token node types: they never have children, so the cursor is not asked. */
const LEAF = new Set(["identifier", "true", "false", "none", "ellipsis"]);

/** tree-sitter's ts_builtin_sym_error. */
const ERROR_SYMBOL = 65535;

/** What the conversion does with a node of a type id: 0 not yet known, then one of the below. */
const SKIP = 1; // anonymous token or comment: not kept, not entered
const KEEP_LEAF = 2; // kept, children never read
const KEEP = 3; // kept and entered

/** Per type id, per language (the cursor reports type ids; asking wasm for named-ness per node is slow). */
const actionTables = new WeakMap<Language, Uint8Array>();

function actionsFor(lang: Language): Uint8Array {
  let t = actionTables.get(lang);
  if (!t) actionTables.set(lang, (t = new Uint8Array(ERROR_SYMBOL + 1)));
  return t;
}

function actionOf(lang: Language, table: Uint8Array, id: number): number {
  const named = id === ERROR_SYMBOL ? true : lang.nodeTypeIsNamed(id);
  const type = typeName(lang, id);
  const a = !named || type === "comment" ? SKIP : OPAQUE.has(type) || LEAF.has(type) ? KEEP_LEAF : KEEP;
  table[id] = a;
  return a;
}

function typeName(lang: Language, id: number): string {
  return id === ERROR_SYMBOL ? "ERROR" : lang.types[id] || "ERROR";
}

/**
 * A block tree in compact form: the kept nodes in pre-order, `NODE_INTS` 32-bit integers each (type id,
 * field id, start offset, end offset, index of the parent node or -1). It is what a parse worker sends
 * back (see parse-pool.ts), and the inline path goes through the same form, so both build the same trees.
 */
export interface EncodedTree {
  readonly data: Int32Array;
  /** Number of nodes (data holds at least count * NODE_INTS integers). */
  readonly count: number;
  readonly hasError: boolean;
}

export const NODE_INTS = 5;

/**
 * Encodes a block's tree: named nodes only (comments dropped); strings, numbers and identifiers are
 * leaves whose inside is never visited.
 *
 * Every cursor step and getter is a call into wasm, so this reads as little as it can per node: the
 * type id (type name and named-ness come from a table), then for kept nodes the field id and the two
 * offsets. With the raw exports (raw-cursor.ts) each is a single wasm call.
 */
export function encodeTree(tree: Tree): EncodedTree {
  const lang = tree.language;
  const actions = actionsFor(lang);
  let data = new Int32Array(NODE_INTS * 256);
  let count = 0;
  const cursor = tree.walk();
  const raw = rawCursor();
  let t = 0;
  let firstChild: (t: number) => number;
  let nextSibling: (t: number) => number;
  let parent: (t: number) => number;
  let typeId: (t: number) => number;
  let fieldId: (t: number) => number;
  let startIndex: (t: number) => number;
  let endIndex: (t: number) => number;
  if (raw) {
    t = raw.enter(tree, cursor);
    ({ firstChild, nextSibling, parent, typeId, fieldId, startIndex, endIndex } = raw);
  } else {
    firstChild = () => (cursor.gotoFirstChild() ? 1 : 0);
    nextSibling = () => (cursor.gotoNextSibling() ? 1 : 0);
    parent = () => (cursor.gotoParent() ? 1 : 0);
    typeId = () => cursor.nodeTypeId;
    fieldId = () => cursor.currentFieldId;
    startIndex = () => cursor.startIndex;
    endIndex = () => cursor.endIndex;
  }
  const emit = (type: number, fid: number, si: number, ei: number, up: number): number => {
    if ((count + 1) * NODE_INTS > data.length) {
      const bigger = new Int32Array(data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    const o = count * NODE_INTS;
    data[o] = type;
    data[o + 1] = fid;
    data[o + 2] = si;
    data[o + 3] = ei;
    data[o + 4] = up;
    return count++;
  };
  try {
    emit(typeId(t), 0, startIndex(t), endIndex(t), -1);
    const stack: number[] = [0];
    if (firstChild(t)) {
      for (;;) {
        const id = typeId(t);
        let action = actions[id]!;
        if (action === 0) action = actionOf(lang, actions, id);
        if (action !== SKIP) {
          const idx = emit(id, fieldId(t), startIndex(t), endIndex(t), stack[stack.length - 1]!);
          if (action === KEEP && firstChild(t)) {
            stack.push(idx);
            continue;
          }
        }
        let done = false;
        while (!nextSibling(t)) {
          if (!parent(t) || stack.length <= 1) {
            done = true;
            break;
          }
          stack.pop();
        }
        if (done) break;
      }
    }
  } finally {
    if (raw) raw.leave(cursor);
    cursor.delete();
  }
  return { data, count, hasError: tree.rootNode.hasError };
}

/**
 * Builds the PyNode tree of an encoded block. Rows and columns are computed here from the block's line
 * starts (offsets and columns are both UTF-16 code units).
 */
export function decodeTree(enc: EncodedTree, lang: Language, blk: BlockRef): PyNode {
  analysisStats.conversions++;
  const src = blk.text;
  const lines: number[] = [0];
  for (let i = src.indexOf("\n"); i >= 0; i = src.indexOf("\n", i + 1)) lines.push(i + 1);
  const last = lines.length - 1;
  const rowOf = (idx: number): number => {
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]! <= idx) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const fields = lang.fields;
  const { data, count } = enc;
  const nodes: PyNode[] = new Array<PyNode>(count);
  for (let k = 0; k < count; k++) {
    const o = k * NODE_INTS;
    const fid = data[o + 1]!;
    const si = data[o + 2]!;
    const ei = data[o + 3]!;
    const sr = rowOf(si);
    const er = rowOf(ei);
    const node: PyNode = {
      type: typeName(lang, data[o]!),
      field: fid ? (fields[fid] ?? "") : "",
      children: [],
      si,
      ei,
      sr,
      sc: si - lines[sr]!,
      er,
      ec: ei - lines[er]!,
      blk,
      parent: null,
    };
    nodes[k] = node;
    const up = data[o + 4]!;
    if (up >= 0) {
      const p = nodes[up]!;
      node.parent = p;
      p.children.push(node);
    }
  }
  return nodes[0]!;
}

/** Converts a block's tree to PyNodes (encode, then decode: the same path as a worker-parsed block). */
export function convertTree(tree: Tree, blk: BlockRef): PyNode {
  return decodeTree(encodeTree(tree), tree.language, blk);
}

export function text(n: PyNode): string {
  return n.blk.text.slice(n.si, n.ei);
}

export interface Pos {
  line: number;
  character: number;
}
export interface Rng {
  start: Pos;
  end: Pos;
}

export function range(n: PyNode): Rng {
  return { start: { line: n.blk.row + n.sr, character: n.sc }, end: { line: n.blk.row + n.er, character: n.ec } };
}

export function startLine(n: PyNode): number {
  return n.blk.row + n.sr;
}

/** Document offset of the node's start. */
export function offsetOf(n: PyNode): number {
  return n.blk.offset + n.si;
}

export function field(n: PyNode, name: string): PyNode | undefined {
  for (const c of n.children) if (c.field === name) return c;
  return undefined;
}

export function childrenOfField(n: PyNode, name: string): PyNode[] {
  return n.children.filter((c) => c.field === name);
}

/** The nearest ancestor of `n` of that type (`function_definition`, `class_definition`, ...). */
export function enclosing(n: PyNode, type: string): PyNode | undefined {
  let up = n.parent ?? undefined;
  while (up && up.type !== type) up = up.parent ?? undefined;
  return up;
}

export function childOfType(n: PyNode, type: string): PyNode | undefined {
  for (const c of n.children) if (c.type === type) return c;
  return undefined;
}

/** Pre-order walk; return false from `visit` to skip a node's children. */
export function walk(n: PyNode, visit: (n: PyNode) => boolean | void): void {
  if (visit(n) === false) return;
  for (const c of n.children) walk(c, visit);
}

const STATEMENT_CONTAINER =
  /^(module|block|decorated_definition|function_definition|class_definition|if_statement|for_statement|while_statement|try_statement|with_statement|match_statement|elif_clause|else_clause|except_clause|except_group_clause|finally_clause|case_clause)$/;

/** Visits statements and definitions only (never descends into expressions). */
export function walkStatements(n: PyNode, visit: (n: PyNode) => void): void {
  visit(n);
  if (!STATEMENT_CONTAINER.test(n.type)) return;
  for (const c of n.children) walkStatements(c, visit);
}

/** `a.b.c` for identifier/attribute chains, else undefined. */
export function dotted(n: PyNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === "identifier") return text(n);
  if (n.type === "attribute") {
    const obj = dotted(field(n, "object"));
    const attr = field(n, "attribute");
    return obj !== undefined && attr ? `${obj}.${text(attr)}` : undefined;
  }
  return undefined;
}

/** Value of a plain string literal (no interpolation), else undefined. */
export function stringValue(n: PyNode | undefined): string | undefined {
  if (!n) return undefined;
  // `("m.h5")`, comments inside the parentheses included
  if (n.type === "parenthesized_expression") {
    const inner = n.children.filter((c) => c.type !== "(" && c.type !== ")" && c.type !== "comment");
    return inner.length === 1 ? stringValue(inner[0]) : undefined;
  }
  if (n.type === "concatenated_string") {
    let out = "";
    for (const c of n.children) {
      const v = stringValue(c);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== "string") return undefined;
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(text(n));
  if (!m) return undefined;
  const prefix = m[1]!.toLowerCase();
  const body = m[3]!;
  if (prefix.includes("f") && /\{[^{]/.test(body.replace(/\{\{/g, ""))) return undefined;
  return prefix.includes("r") ? body : body.replace(/\\(.)/g, "$1");
}

/** The literal suffix of a path expression: a plain string, an f-string's constant tail, `a + "x.h5"`, `os.path.join(..., "x.h5")`. */
export function pathTail(n: PyNode | undefined): string | undefined {
  if (!n) return undefined;
  const v = stringValue(n);
  if (v !== undefined) return v;
  if (n.type === "string") {
    const m = /^[rRbBuUfF]{0,2}('''|"""|'|")([\s\S]*)\1$/.exec(text(n));
    if (!m) return undefined;
    const body = m[2]!;
    const lastBrace = body.lastIndexOf("}");
    if (lastBrace < 0) return body;
    // f"run_{epoch:03d}", f"tr_{str(n).zfill(16)}": a number ends the path, so no extension can
    const last = /\{([^{}]*)\}$/.exec(body.slice(0, lastBrace + 1))?.[1] ?? "";
    const numeric = /:[^{}]*[dfegxXob%]$|\.zfill\(|^\s*(int|len|round)\(/.test(last);
    return "\u0000" + (lastBrace === body.length - 1 && numeric ? "0" : body.slice(lastBrace + 1));
  }
  if (n.type === "binary_operator") {
    const right = field(n, "right");
    const t = pathTail(right);
    return t === undefined ? undefined : "\u0000" + t;
  }
  if (n.type === "call") {
    const fn = dotted(field(n, "function"));
    if (fn && /(^|\.)(path\.join|join)$/.test(fn)) {
      const args = field(n, "arguments")?.children ?? [];
      const last = args[args.length - 1];
      const t = pathTail(last);
      return t === undefined ? undefined : "\u0000/" + t;
    }
  }
  return undefined;
}

export function args(call: PyNode): { positional: PyNode[]; keywords: Map<string, PyNode>; list: PyNode | undefined } {
  const list = field(call, "arguments");
  const positional: PyNode[] = [];
  const keywords = new Map<string, PyNode>();
  for (const a of list?.children ?? []) {
    if (a.type === "keyword_argument") {
      const name = field(a, "name");
      const value = field(a, "value");
      if (name && value) keywords.set(text(name), value);
    } else if (a.type !== "list_splat" && a.type !== "dictionary_splat") {
      positional.push(a);
    }
  }
  return { positional, keywords, list };
}

export function hasSplat(call: PyNode): boolean {
  return (field(call, "arguments")?.children ?? []).some((a) => a.type === "list_splat" || a.type === "dictionary_splat");
}
