/**
 * How recorded tensors read in the Variables view, Watch and the Debug Console (PURE): a one-line
 * summary (`float32[2, 10] min -1.2 max 3.4 mean 0.1 nan 0`), a `stats` child and elements named by
 * index (`[0, 3]`), paged through DAP's indexed children for large tensors.
 */
import { statNumber, statsCells, typeText } from "../core/display.js";
import { isStringData } from "../core/tensor.js";
import { numericGetter, pyBytesRepr } from "../core/tensor-format.js";
import type { TensorRecord } from "./trace.js";

/** A DAP variable without its handle bookkeeping. */
export interface VarView {
  readonly name: string;
  readonly value: string;
  /** Children: a tensor (stats + elements) or its statistics. */
  readonly expand?: { readonly kind: "tensor" | "stats"; readonly tensor: TensorRecord };
  readonly indexedVariables?: number;
  readonly namedVariables?: number;
}

/** Elements listed when a client asks for all children at once. */
export const MAX_UNPAGED = 1000;

/** Numbers as every view prints statistics (core/display.ts). */
export const num = statNumber;

export function elementCount(t: TensorRecord): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

export function summary(t: TensorRecord): string {
  const head = typeText(t.dtype, t.shape);
  const s = t.stats;
  if (!s) return t.data && isStringData(t.data) && t.data.length === 1 ? `${head} ${pyBytesRepr(t.data[0]!)}` : head;
  const scalar = elementCount(t) === 1 && t.data ? ` = ${element(t, 0)}` : "";
  const inf = s.infCount > 0 ? ` inf ${s.infCount}` : "";
  return `${head}${scalar} min ${num(s.min)} max ${num(s.max)} mean ${num(s.mean)} nan ${s.nanCount}${inf}`;
}

/** The value of element `i` (flat index), as text. */
export function element(t: TensorRecord, i: number): string {
  const d = t.data;
  if (!d) return "?";
  if (isStringData(d)) return d[i] ? pyBytesRepr(d[i]) : "?";
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return String(d[i]);
  const get = numericGetter({ dtype: t.dtype, shape: t.shape, data: d });
  if (!get) return "?";
  const v = get(i);
  if (d instanceof Float32Array) return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : num(v);
  return num(v);
}

/** `[0, 3]` for flat index 3 of shape [2, 10]. */
export function indexName(shape: readonly number[], i: number): string {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    const dim = shape[k]!;
    idx.unshift(dim > 0 ? i % dim : 0);
    i = dim > 0 ? Math.floor(i / dim) : 0;
  }
  return `[${idx.join(", ")}]`;
}

/** A tensor variable (expandable when it has statistics or elements). */
export function tensorVar(name: string, t: TensorRecord | undefined): VarView {
  if (!t) return { name, value: "(resource or other non-tensor value)" };
  const n = t.data ? elementCount(t) : 0;
  return { name, value: summary(t), expand: { kind: "tensor", tensor: t }, indexedVariables: n, namedVariables: 1 };
}

export function statsVars(t: TensorRecord): VarView[] {
  const rows: (readonly [string, string])[] = [
    ["type", typeText(t.dtype, t.shape)],
    ["elements", String(elementCount(t))],
  ];
  rows.push(...(statsCells(t.stats) ?? []).filter(([k]) => k !== "count"));
  if (!t.data) rows.push(["elements", "not recorded (over the recording budget)"]);
  return rows.map(([name, value]) => ({ name, value }));
}

/** Children of a tensor: `stats` (named) and elements (indexed), or one page of elements. */
export function tensorChildren(t: TensorRecord, filter?: "named" | "indexed", start = 0, count?: number): VarView[] {
  const out: VarView[] = [];
  if (filter !== "indexed") out.push({ name: "stats", value: summary(t), expand: { kind: "stats", tensor: t }, namedVariables: 10 });
  if (filter === "named" || !t.data) return out;
  const n = elementCount(t);
  const end = Math.min(n, start + (count ?? (filter === "indexed" ? n : MAX_UNPAGED)));
  for (let i = start; i < end; i++) out.push({ name: indexName(t.shape, i), value: element(t, i) });
  return out;
}
