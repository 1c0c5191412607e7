/**
 * Model-supplied regular expressions (RegexFullMatch, RegexReplace and their Static twins, in
 * kernels/strings.ts) are compiled here, on re2js, a pure-JS port of RE2: linear-time matching with
 * TensorFlow's own semantics (RE2 syntax; no backreferences or lookaround; `.` does not match a
 * newline). JS `RegExp` would backtrack: a pattern like `(a+)+` could freeze the process on one string.
 */
import { RE2JS } from "re2js";

const cache = new Map<string, RE2JS>();
const CACHE_SIZE = 64;

/** The compiled pattern (the last 64 are kept); throws re2js's error when it is not valid RE2. */
export function compileRe2(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  return re;
}
