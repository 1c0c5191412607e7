/** Whether an array (a .npy / .npz member / literal) can feed a signature input. Pure. */
import type { TensorInfoSummary } from "../../core/savedmodel/types.js";
import { feedMismatch } from "../../runtime/feedPolicy.js";
import { dtypeText } from "../../core/display.js";

export interface ArrayInfo {
  readonly dtype: number | undefined;
  readonly descr: string;
  readonly shape: readonly number[];
}

/** Numpy-style name of a DataType number (the .npy side of a comparison). */

/**
 * Reason `info` cannot feed `input` (a wrong dtype), or undefined when it can: the engine's policy (runtime/feedPolicy.ts),
 * so the picker never offers what a run refuses, nor refuses what it runs. `input` carries the graph's
 * dtype and shape when the model was read (see graphCheckedInput).
 */
export function incompatibility(input: Pick<TensorInfoSummary, "dtype" | "shape">, info: ArrayInfo): string | undefined {
  if (info.dtype === undefined) return `unsupported array type '${info.descr}'`;
  const m = feedMismatch(input, info, dtypeText);
  return m?.level === "refuse" ? m.reason : undefined;
}

/** The warning a run will print for `info` fed to `input` (a shape the placeholder does not declare), if any. */
export function fitWarning(input: Pick<TensorInfoSummary, "dtype" | "shape">, info: ArrayInfo): string | undefined {
  const m = info.dtype === undefined ? undefined : feedMismatch(input, info, dtypeText);
  return m?.level === "warn" ? m.reason : undefined;
}

/** Candidates named like the input (`x.npy`, `…/x/…`, npz member `x`) first, then the rest, each group in order. */
export function byName<T extends { readonly uri: { readonly path: string }; readonly member?: string }>(
  cands: readonly T[],
  key: string,
): T[] {
  const k = key.toLowerCase();
  const score = (c: T) => {
    const stem = (c.uri.path.split("/").pop() ?? "").replace(/\.np[yz]$/i, "").toLowerCase();
    const name = c.member !== undefined ? c.member.replace(/\.npy$/i, "").toLowerCase() : stem;
    return name === k ? 0 : name.includes(k) || stem === k ? 1 : 2;
  };
  return cands
    .map((c, i) => ({ c, i, s: score(c) }))
    .sort((a, b) => a.s - b.s || a.i - b.i)
    .map((x) => x.c);
}
