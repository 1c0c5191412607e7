/**
 * A parsed Python document: top-level blocks, each with its own tree-sitter tree and converted
 * syntax tree. `update(text)` reuses every block whose text did not change (moving it when lines
 * above were added or removed) and re-parses a changed block incrementally (`tree.edit` +
 * `parse(text, oldTree)`) from the old block at the same place.
 */
import type { Parser, Tree } from "web-tree-sitter";
import { convertTree, decodeTree, type BlockRef, type EncodedTree, type PyNode } from "./ast.js";
import { splitBlocks } from "./blocks.js";
import { sharedParsePool, type ParsePool } from "./parse-pool.js";

export interface ParsedBlock {
  readonly ref: BlockRef;
  /** Undefined for a block the parse worker parsed: when it changes, it is parsed afresh. */
  readonly tree: Tree | undefined;
  readonly root: PyNode;
  readonly hasError: boolean;
}

export interface UpdateStats {
  readonly blocks: number;
  readonly reused: number;
  readonly incremental: number;
  readonly fresh: number;
  /** Of the fresh blocks, those the parse worker parsed. */
  readonly worker: number;
}

interface Piece {
  readonly offset: number;
  readonly row: number;
  readonly text: string;
}

export class PythonDocument {
  private blocksValue: ParsedBlock[] = [];
  private textValue = "";
  /** Bumped on every update; analysis caches key on it. */
  version = 0;

  /**
   * `pool`: the parse worker that shares a large fresh parse (default: the process's shared pool; null:
   * always inline).
   */
  constructor(
    private readonly parser: Parser,
    private readonly pool: ParsePool | null = sharedParsePool(),
  ) {}

  get text(): string {
    return this.textValue;
  }

  get blocks(): readonly ParsedBlock[] {
    return this.blocksValue;
  }

  /** Module-level statements in order, across blocks. */
  statements(): PyNode[] {
    const out: PyNode[] = [];
    for (const b of this.blocksValue) for (const c of b.root.children) out.push(c);
    return out;
  }

  update(text: string): UpdateStats {
    const old = this.blocksValue;
    const byText = new Map<string, ParsedBlock[]>();
    for (const b of old) {
      const list = byText.get(b.ref.text);
      if (list) list.push(b);
      else byText.set(b.ref.text, [b]);
    }
    const byRow = new Map<number, ParsedBlock>();
    for (const b of old) byRow.set(b.ref.row, b);
    const used = new Set<ParsedBlock>();
    let reused = 0;
    let incremental = 0;
    const next: ParsedBlock[] = [];
    const pieces = splitBlocks(text);
    const pending: (Piece & { index: number })[] = [];
    for (const p of pieces) {
      const same = byText.get(p.text)?.find((b) => !used.has(b));
      if (same) {
        used.add(same);
        same.ref.row = p.row;
        same.ref.offset = p.offset;
        next.push(same);
        reused++;
      } else {
        pending.push({ index: next.length, ...p });
        next.push(undefined as unknown as ParsedBlock);
      }
    }
    const fresh: (Piece & { index: number })[] = [];
    for (const p of pending) {
      // The block that was at this place before: same start row, or the previous neighbour's successor.
      // (A neighbour that is itself pending becomes a new block, never one of `old`.)
      const prevNew = p.index > 0 ? next[p.index - 1] : undefined;
      let base = byRow.get(p.row);
      if (!base && prevNew) {
        const k = old.indexOf(prevNew);
        if (k >= 0) base = old[k + 1];
      }
      if (!base && p.index === 0) base = old[0];
      if (base && used.has(base)) base = undefined;
      if (base) used.add(base);
      if (base?.tree) {
        next[p.index] = this.parseIncremental(base, base.tree, p);
        incremental++;
      } else fresh.push(p); // a worker-parsed base has no tree to start from
    }
    const worker = this.parseFreshPieces(fresh, next);
    for (const b of old) if (!used.has(b)) b.tree?.delete();
    this.blocksValue = next;
    this.textValue = text;
    this.version++;
    return { blocks: next.length, reused, incremental, fresh: fresh.length, worker };
  }

  dispose(): void {
    for (const b of this.blocksValue) b.tree?.delete();
    this.blocksValue = [];
  }

  /**
   * Parses new blocks into `next`: inline, or shared with the parse worker when there is enough text.
   * Returns how many the worker parsed.
   */
  private parseFreshPieces(pieces: readonly (Piece & { index: number })[], next: ParsedBlock[]): number {
    let chars = 0;
    for (const p of pieces) chars += p.text.length;
    const pool = this.pool;
    if (!pool?.wants(chars, pieces.length)) {
      for (const p of pieces) next[p.index] = this.parseFresh(p);
      return 0;
    }
    // Blocks Python would reject stay here (opaque, no parse); the rest are shared.
    const shared: (Piece & { index: number })[] = [];
    for (const p of pieces) {
      if (tooDeeplyNested(p.text)) next[p.index] = this.opaque(p);
      else shared.push(p);
    }
    const lang = this.parser.language;
    if (!lang) throw new Error("tree-sitter parser has no language");
    const stats = pool.run(
      shared.map((p) => p.text),
      {
        inline: (i) => {
          const p = shared[i]!;
          next[p.index] = this.parseFresh(p);
        },
        received: (i, enc) => {
          const p = shared[i]!;
          next[p.index] = this.fromEncoded(enc, lang, p);
        },
      },
      this.crashAfterForTest,
    );
    return stats.worker;
  }

  /** Tests: the parse worker dies after claiming this many blocks of the next shared parse. */
  crashAfterForTest: number | undefined;

  private fromEncoded(enc: EncodedTree, lang: NonNullable<Parser["language"]>, p: Piece): ParsedBlock {
    const ref: BlockRef = { row: p.row, offset: p.offset, text: p.text };
    return { ref, tree: undefined, root: decodeTree(enc, lang, ref), hasError: enc.hasError };
  }

  private parseFresh(p: { offset: number; row: number; text: string }): ParsedBlock {
    if (tooDeeplyNested(p.text)) return this.opaque(p);
    const tree = this.parser.parse(p.text);
    if (!tree) throw new Error("tree-sitter returned no tree (parser has no language)");
    return this.wrap(tree, p);
  }

  private parseIncremental(base: ParsedBlock, old: Tree, p: { offset: number; row: number; text: string }): ParsedBlock {
    if (tooDeeplyNested(p.text)) {
      old.delete();
      return this.opaque(p);
    }
    const a = base.ref.text;
    const b = p.text;
    let start = 0;
    const max = Math.min(a.length, b.length);
    while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
      endA--;
      endB--;
    }
    old.edit({
      startIndex: start,
      oldEndIndex: endA,
      newEndIndex: endB,
      startPosition: point(a, start),
      oldEndPosition: point(a, endA),
      newEndPosition: point(b, endB),
    } as Parameters<Tree["edit"]>[0]);
    const tree = this.parser.parse(b, old);
    old.delete();
    if (!tree) throw new Error("tree-sitter returned no tree (parser has no language)");
    return this.wrap(tree, p);
  }

  /** A block Python itself would reject (nesting too deep): kept as an empty tree, never analysed. */
  private opaque(p: { offset: number; row: number; text: string }): ParsedBlock {
    const tree = this.parser.parse("");
    if (!tree) throw new Error("tree-sitter returned no tree (parser has no language)");
    return this.wrap(tree, p);
  }

  private wrap(tree: Tree, p: { offset: number; row: number; text: string }): ParsedBlock {
    const ref: BlockRef = { row: p.row, offset: p.offset, text: p.text };
    const root = convertTree(tree, ref);
    return { ref, tree, root, hasError: tree.rootNode.hasError };
  }
}

/**
 * CPython refuses more than 200 nested brackets ("too many nested parentheses"), so a deeper block is not
 * Python the rules could say anything about; parsing it would cost seconds (tree-sitter and tree
 * conversion grow with depth). Strings and comments are not skipped: a false positive needs 200 unclosed
 * brackets in a literal, and only drops that block's diagnostics.
 */
export const MAX_BRACKET_NESTING = 200;

export function tooDeeplyNested(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > MAX_BRACKET_NESTING) return true;
    } else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return false;
}

function point(s: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = s.indexOf("\n"); i >= 0 && i < index; i = s.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
