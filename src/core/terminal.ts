/**
 * Text from a model (signature keys, names, string values) printed to a terminal must not carry
 * control sequences: ESC/CSI can recolour, move the cursor, retitle the window or hide text, a bare
 * carriage return can overwrite a line, and bidirectional overrides can reorder what is shown.
 * Such characters are replaced by visible `\uXXXX` escapes (also valid inside JSON strings, so the
 * same filter serves `--json` output). Newline and tab are kept.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
