/**
 * Splits Python source into top-level blocks (a statement at column 0 with everything indented under
 * it, its decorators, and `else`/`elif`/`except`/`finally` continuations). Each block is parsed on its
 * own, so an edit re-parses one block and a syntax error stays inside the block that has it.
 *
 * The scan tracks brackets, strings (including triple-quoted ones) and backslash continuations, so
 * a column-0 line inside a multi-line string or an open bracket never starts a block.
 *
 * Column-0 comment lines between an indented body and the next column-0 statement (commented-out code
 * after a function) open the next block instead of ending the previous one: tree-sitter-python's
 * indentation scanner takes quadratic time over column-0 comments inside an open indented block
 * (2,560 such lines after a function: 6.9 s; as the start of the next block: milliseconds).
 */

export interface Block {
  /** Offset (UTF-16 code units) of the block's first character in the document. */
  readonly offset: number;
  /** Zero-based line of the first character. */
  readonly row: number;
  readonly text: string;
}

const CONTINUATION = /^(else|elif|except|finally)\b/;
const OPENS_DEF = /^(async\s+def|def|class)\b/;

export function splitBlocks(src: string): Block[] {
  const starts: { offset: number; row: number }[] = [];
  let depth = 0;
  let quote: string | null = null; // current string delimiter: ', ", ''' or """
  let continued = false; // previous line ended with a backslash
  let pendingDecorator = false;
  /** A run of column-0 comment lines (blank lines allowed) since the last code line. */
  let comments: { offset: number; row: number } | undefined;
  let row = 0;
  let i = 0;
  const n = src.length;
  while (i < n) {
    // At the start of a line.
    const lineStart = i;
    if (quote === null && depth === 0 && !continued) {
      const c = src.charCodeAt(i);
      const isSpace = c === 32 || c === 9 || c === 12;
      if (c === 35 /* # */) comments ??= { offset: i, row };
      else if (isSpace && comments && !blankLine(src, i))
        comments = undefined; // the indented body goes on
      else if (!isSpace && c !== 10 && c !== 13) {
        const head = src.slice(i, i + 12);
        if (pendingDecorator && (OPENS_DEF.test(head) || c === 64)) {
          // decorated definition continues
        } else if (!CONTINUATION.test(head) || starts.length === 0) {
          starts.push(comments ?? { offset: i, row });
        }
        comments = undefined;
        pendingDecorator = c === 64; /* @ */
      }
    }
    continued = false;
    // Scan the rest of the line.
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 10) {
        i++;
        break;
      }
      if (quote !== null) {
        if (c === 92 /* \ */) {
          if (src.charCodeAt(i + 1) === 10) {
            i++; // escaped newline inside a string: handled by the newline branch
            continue;
          }
          i += 2;
          continue;
        }
        if (src.startsWith(quote, i)) {
          i += quote.length;
          quote = null;
          continue;
        }
        // An unterminated single-quoted string ends at the end of the line.
        i++;
        continue;
      }
      if (c === 35 /* # */) {
        while (i < n && src.charCodeAt(i) !== 10) i++;
        continue;
      }
      if (c === 34 || c === 39) {
        const q = String.fromCharCode(c);
        quote = src.startsWith(q + q + q, i) ? q + q + q : q;
        i += quote.length;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      else if (c === 92 /* \ */ && (src.charCodeAt(i + 1) === 10 || (src.charCodeAt(i + 1) === 13 && src.charCodeAt(i + 2) === 10))) {
        continued = true;
      }
      i++;
    }
    // Single-quoted strings do not span lines (unless escaped, handled above).
    if (quote !== null && quote.length === 1 && src.charCodeAt(i - 2) !== 92) quote = null;
    if (i > lineStart) row++;
    if (i === lineStart) i++; // defensive: always progress
  }
  if (comments) starts.push(comments); // commented-out code at the end of the file: a block of its own
  if (starts.length === 0 || starts[0]!.offset !== 0) starts.unshift({ offset: 0, row: 0 });
  const blocks: Block[] = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    const end = k + 1 < starts.length ? starts[k + 1]!.offset : n;
    if (end > s.offset || blocks.length === 0) blocks.push({ offset: s.offset, row: s.row, text: src.slice(s.offset, end) });
  }
  return blocks;
}

/** Whether the line starting at `i` holds only whitespace. */
function blankLine(src: string, i: number): boolean {
  for (let k = i; k < src.length; k++) {
    const c = src.charCodeAt(k);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9 && c !== 12) return false;
  }
  return true;
}
