/** Whether an array (a .npy / .npz member / literal) can feed a signature input. Pure. */
import type { TensorInfoSummary } from "../../core/savedmodel/types.js";
import { dtypeLabel, formatShape, shortDtype } from "../format.js";

export interface ArrayInfo {
  readonly dtype: number | undefined;
  readonly descr: string;
  readonly shape: readonly number[];
}

/** Numpy-style name of a DataType number (the .npy side of a comparison). */
export const shortDtypeOf = dtypeLabel;

/** Reason `info` cannot feed `input`, or undefined when it can (same dtype, every known dim equal). */
export function incompatibility(input: TensorInfoSummary, info: ArrayInfo): string | undefined {
  const want = input.dtype > 100 ? input.dtype - 100 : input.dtype;
  if (info.dtype === undefined) return `unsupported array type '${info.descr}'`;
  if (info.dtype !== want) return `dtype ${shortDtypeOf(info.dtype)} ≠ ${shortDtype(input.dtypeName)}`;
  if (input.shape === null) return undefined;
  if (input.shape.length !== info.shape.length)
    return `rank ${info.shape.length} ${formatShape(info.shape)} ≠ rank ${input.shape.length} ${formatShape(input.shape)}`;
  for (let i = 0; i < input.shape.length; i++) {
    const d = input.shape[i]!;
    if (d >= 0 && d !== info.shape[i]) return `shape ${formatShape(info.shape)} does not fit ${formatShape(input.shape)} (dim ${i})`;
  }
  return undefined;
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
