/**
 * One notation for tensors wherever the product shows them (tree, model editor, results panel, Show
 * Variable, quick picks, CLI): shapes as `[?, 1]`, `[]` (scalar) or `[…]` (unknown rank), types as
 * `float32[?, 1]`, sizes in binary units (core/units.ts), statistics as labelled cells and values as
 * numpy prints them (core/tensor-format.ts), bounded. Light: no protobuf code.
 */
import { dtypeFromName, dtypeShortName } from "./dtype.js";
import { isStringData, type HostTensor } from "./tensor.js";
import { formatTensor, tensorStats, type TensorStats } from "./tensor-format.js";
import { humanBytes } from "./units.js";

export { humanBytes };

/** `[?, 1]`, `[]` for a scalar, `[…]` for an unknown rank. */
export function shapeText(shape: readonly number[] | null): string {
  if (shape === null) return "[…]";
  return `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]`;
}

/** "float32", "int64", "string", "float32_ref" — from a DataType number. */
export const dtypeText = dtypeShortName;

/** The same short name from a proto enum name ("DT_FLOAT" → "float32"). */
export function dtypeTextOfName(name: string): string {
  const v = dtypeFromName(name);
  return v === undefined ? name.replace(/^DT_/, "").toLowerCase() : dtypeShortName(v);
}

/** `float32[?, 1]`. */
export function typeText(dtype: number | string, shape: readonly number[] | null): string {
  return `${typeof dtype === "string" ? dtypeTextOfName(dtype) : dtypeShortName(dtype)}${shapeText(shape)}`;
}

/** A statistic as shown: integers as they are, others with 6 significant digits, nan and ±inf as numpy writes them. */
export function statNumber(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(6)));
}

/** Statistics as labelled cells, the same in every view; null for tensors without numbers. */
export function statsCells(s: TensorStats | undefined): readonly (readonly [string, string])[] | null {
  if (!s) return null;
  return [
    ["count", String(s.count)],
    ["min", statNumber(s.min)],
    ["max", statNumber(s.max)],
    ["mean", statNumber(s.mean)],
    ["std", statNumber(s.std)],
    ["NaN", String(s.nanCount)],
    ["±Inf", String(s.infCount)],
    ["zeros", String(s.zeroCount)],
  ];
}

export interface PreviewLimits {
  /** Summarize (numpy's `...`) beyond this many elements. */
  readonly maxElements: number;
  /** Most bytes shown of one string element. */
  readonly maxStringLength: number;
}

export const DEFAULT_PREVIEW: PreviewLimits = { maxElements: 200, maxStringLength: 200 };

/** What every view prints for one tensor. */
export interface TensorDisplay {
  readonly type: string;
  readonly shape: string;
  /** Bytes of the values (a checkpoint entry's size, else the tensor's own bytes). */
  readonly size: string;
  readonly stats: readonly (readonly [string, string])[] | null;
  /** numpy-style text, summarized beyond `limits.maxElements` elements. */
  readonly preview: string;
  readonly summarized: boolean;
  readonly elements: number;
}

export function tensorDisplay(t: HostTensor, limits: PreviewLimits = DEFAULT_PREVIEW, bytes?: number): TensorDisplay {
  const elements = t.shape.reduce((a, b) => a * b, 1);
  return {
    type: typeText(t.dtype, t.shape),
    shape: shapeText(t.shape),
    size: humanBytes(bytes ?? valueBytes(t)),
    stats: statsCells(tensorStats(t)),
    preview: formatTensor(t, {
      threshold: limits.maxElements,
      edgeitems: edgeItems(t.shape, limits.maxElements),
      maxStringBytes: limits.maxStringLength,
    }),
    summarized: elements > limits.maxElements,
    elements,
  };
}

/** Bytes of a tensor's values (strings: the sum of their lengths). */
export function valueBytes(t: HostTensor): number {
  return isStringData(t.data) ? t.data.reduce((a, b) => a + b.length, 0) : t.data.byteLength;
}

/** Items per edge so a summarized preview shows about `max` values whatever the rank (numpy shows 2·edge per axis). */
function edgeItems(shape: readonly number[], max: number): number {
  const axes = shape.filter((d) => d > 1).length;
  return Math.max(1, Math.floor(Math.pow(max, 1 / Math.max(1, axes)) / 2));
}
