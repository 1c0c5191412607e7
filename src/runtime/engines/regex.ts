/**
 * Model-supplied regular expressions (StaticRegexFullMatch, StaticRegexReplace, and their dynamic
 * twins) run on re2js, a pure-JS port of RE2: linear-time matching with TensorFlow's own semantics
 * (RE2 syntax; no backreferences or lookaround; `.` does not match a newline). JS `RegExp` would
 * backtrack: a pattern like `(a+)+` could freeze the process on one string.
 * Rewrites use RE2's syntax: `\0`..`\9` insert a group, `\\` a backslash.
 */
import { RE2JS } from "re2js";
import { StudioError } from "../../core/errors.js";

const cache = new Map<string, RE2JS>();
const CACHE_SIZE = 64;

/** The compiled pattern; a GRAPH error naming `where` when it is not valid RE2. */
export function compileRe2(pattern: string, where: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new StudioError("GRAPH", `${where}: the pattern is not a valid RE2 regular expression (${why})`, undefined, { cause: e });
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  return re;
}

/** True when the whole of `s` matches `pattern` (RegexFullMatch). */
export function re2FullMatch(pattern: string, s: string, where: string): boolean {
  return compileRe2(pattern, where).matches(s);
}

/** `s` with the first (or every, `global`) match of `pattern` replaced by `rewrite` (RegexReplace). */
export function re2Replace(pattern: string, rewrite: string, s: string, global: boolean, where: string): string {
  const m = compileRe2(pattern, where).matcher(s);
  const replacer = (...args: unknown[]): string => {
    const groups = args.slice(0, Math.max(1, args.length - 2)) as (string | null | undefined)[];
    return rewrite.replace(/\\(\d|\\)/g, (_x, d: string) => (d === "\\" ? "\\" : (groups[Number(d)] ?? "")));
  };
  return global ? m.replaceAll(replacer) : m.replaceFirst(replacer);
}
