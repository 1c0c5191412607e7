/**
 * File names for output keys (one per key, for `run --outdir` and Save Outputs). Keys come from the
 * model, so they may hold `/`, `:`, `..`, control characters or hundreds of characters. Rules:
 *  - characters other than `A-Z a-z 0-9 . _ -` become `_`, a leading `.` becomes `_`;
 *  - a name longer than 100 characters keeps its first 91 and gets `-` plus 8 hex digits of a hash of
 *    the whole key (FNV-1a), so long keys stay distinct and every name fits any file system;
 *  - two keys that map to the same name (ignoring case, for case-insensitive file systems) are an
 *    error before anything is written: `a/b`, `a:b` and `a_b` never overwrite each other.
 */
import { StudioError } from "./errors.js";

const MAX_STEM = 100;

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The file name (with `.npy`) for one output key. */
export function outputFileName(key: string): string {
  let stem = key.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_") || "output";
  if (stem.length > MAX_STEM) stem = `${stem.slice(0, MAX_STEM - 9)}-${fnv1a(key)}`;
  return `${stem}.npy`;
}

/** Key → file name for every key; a StudioError (USAGE) naming both keys when two names collide. */
export function outputFileNames(keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const key of keys) {
    const name = outputFileName(key);
    const other = byName.get(name.toLowerCase());
    if (other !== undefined) {
      throw new StudioError(
        "USAGE",
        `output keys ${JSON.stringify(other)} and ${JSON.stringify(key)} would both be written to ${name}; nothing was written (select the outputs to save, or rename one)`,
      );
    }
    byName.set(name.toLowerCase(), key);
    out.set(key, name);
  }
  return out;
}
