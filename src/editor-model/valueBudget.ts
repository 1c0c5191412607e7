/**
 * What the extension host may materialise of one variable (issue 17): the editor's statistics and
 * preview and Show Variable read a value in the host, so it must fit `MAX_VALUE_BYTES` counted the way
 * it costs in memory: its bytes plus, for strings, an object per element (STRING_ELEMENT_COST). A 2 GiB
 * variable, or millions of tiny strings, is a LimitError before anything is read.
 */
import type { BundleEntry } from "../core/bundle/bundle.js";
import { DataType } from "../core/dtype.js";
import { LimitError } from "../core/errors.js";
import { STRING_ELEMENT_COST } from "../core/limits.js";

/** Largest variable whose values the host loads for statistics and previews (bytes in memory). */
export const MAX_VALUE_BYTES = 256 * 1024 * 1024;

/** Bytes `e` takes once read: partitioned variables are assembled dense (8 bytes an element at most). */
export function hostValueBytes(e: BundleEntry): number {
  const elements = e.shape.reduce((a, d) => a * Math.max(d, 0), 1);
  const bytes = e.slices.length > 0 ? elements * 8 : e.size;
  return e.dtype === DataType.DT_STRING ? bytes + elements * STRING_ELEMENT_COST : bytes;
}

/** Throws when reading `key` would take the host over its value budget. */
export function checkHostValue(e: BundleEntry, key: string, file: string, max = MAX_VALUE_BYTES): void {
  const bytes = hostValueBytes(e);
  if (bytes > max)
    throw new LimitError(file, `'${key}' takes about ${bytes} bytes once read, over the editor's ${max}-byte preview budget`);
}
