/**
 * Markdown from model strings (signature keys, tensor and variable names, tags, versions, paths).
 * A key can hold `![](https://beacon)` or `[x](command:...)`: escaped, it is shown as text and never
 * becomes an image, a link or a command. One copy for the language server and the tree.
 */

/**
 * `s` as literal Markdown text: every character Markdown or GFM could interpret is backslash-escaped
 * (an `_` inside a word, which is never emphasis, and `-`/`.` past the first character stay as they
 * are, so `conv2d_input` reads as itself; `://` is broken so no URL is auto-linked).
 */
export function mdEscape(s: string): string {
  return oneLine(s)
    .replace(/[\\`*{}[\]()#+!|<>~&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|^[-.]|:(?=\/\/)/g, "\\$&")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/**
 * `s` in an inline code span (its content is never interpreted). Backticks cannot end the span (they
 * become `'`), line breaks become spaces, and in a table cell `|` is escaped so it cannot end the cell.
 */
export function mdCode(s: string, opts: { inTable?: boolean } = {}): string {
  const text = oneLine(s).replace(/`/g, "'");
  return "`" + (opts.inTable ? text.replace(/\|/g, "\\|") : text) + "`";
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is being removed
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
}
