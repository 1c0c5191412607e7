/**
 * Statistics and a bounded value preview of a HostTensor, for the results panel and Show Variable.
 * Never formats more than `maxElements` values, whatever the tensor's size.
 */
import type { HostTensor } from "../core/tensor.js";
import type { PreviewLimits } from "./config.js";

export interface TensorStats {
  readonly count: number;
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  readonly std?: number;
  readonly nanCount?: number;
  readonly infCount?: number;
  readonly zeros?: number;
}

// DataType numbers (tensorflow.DataType) used here; kept local so this stays free of proto imports.
const DT_BOOL = 10;
const DT_HALF = 19;
const DT_BFLOAT16 = 14;
const DT_COMPLEX64 = 8;
const DT_COMPLEX128 = 18;

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function bf16ToFloat(h: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, h << 16);
  return buf.getFloat32(0);
}

function isComplex(dtype: number): boolean {
  return dtype === DT_COMPLEX64 || dtype === DT_COMPLEX128 || dtype === DT_COMPLEX64 + 100 || dtype === DT_COMPLEX128 + 100;
}

/** Element `i` as a number (complex: the real part), or undefined for strings. */
function numberAt(t: HostTensor, i: number): number | undefined {
  const d = t.data;
  if (Array.isArray(d)) return undefined;
  const base = t.dtype > 100 ? t.dtype - 100 : t.dtype;
  const raw = isComplex(base) ? d[2 * i] : d[i];
  if (raw === undefined) return undefined;
  if (typeof raw === "bigint") return Number(raw);
  if (base === DT_HALF) return halfToFloat(raw);
  if (base === DT_BFLOAT16) return bf16ToFloat(raw);
  return raw;
}

export function elementCountOf(t: HostTensor): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

export function tensorStats(t: HostTensor): TensorStats {
  const n = elementCountOf(t);
  if (Array.isArray(t.data)) return { count: n };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let finite = 0;
  let nanCount = 0;
  let infCount = 0;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const v = numberAt(t, i)!;
    if (Number.isNaN(v)) {
      nanCount++;
      continue;
    }
    if (!Number.isFinite(v)) {
      infCount++;
      if (v < min) min = v;
      if (v > max) max = v;
      continue;
    }
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
    finite++;
  }
  if (n === 0) return { count: 0 };
  const mean = finite > 0 ? sum / finite : NaN;
  const variance = finite > 0 ? Math.max(0, sumSq / finite - mean * mean) : NaN;
  return { count: n, min, max, mean, std: Math.sqrt(variance), nanCount, infCount, zeros };
}

function formatNumber(v: number, dtype: number): string {
  const base = dtype > 100 ? dtype - 100 : dtype;
  if (base === DT_BOOL) return v ? "true" : "false";
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(5);
  return String(Number(v.toPrecision(7)));
}

function elementText(t: HostTensor, i: number, limits: PreviewLimits): string {
  const d = t.data;
  if (Array.isArray(d)) {
    const whole = d[i] ?? new Uint8Array(0);
    // Decode only what can be shown (a 250 MB element would otherwise become a 500 MB JS string).
    const bytes = whole.subarray(0, limits.maxStringLength * 4 + 4);
    let s: string;
    try {
      s = new TextDecoder("utf-8", { fatal: true }).decode(bytes, { stream: bytes.length < whole.length });
    } catch {
      s = [...bytes.subarray(0, limits.maxStringLength)].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");
    }
    if (s.length > limits.maxStringLength || bytes.length < whole.length) s = s.slice(0, limits.maxStringLength) + "…";
    return JSON.stringify(s);
  }
  const base = t.dtype > 100 ? t.dtype - 100 : t.dtype;
  if (isComplex(base))
    return `${formatNumber(d[2 * i] as number, base)}${(d[2 * i + 1] as number) < 0 ? "-" : "+"}${formatNumber(Math.abs(d[2 * i + 1] as number), base)}j`;
  const raw = d[i];
  if (typeof raw === "bigint") return raw.toString();
  return formatNumber(numberAt(t, i)!, t.dtype);
}

/**
 * Nested-bracket preview (numpy-like) showing at most `limits.maxElements` elements; an ellipsis
 * marks what is left out.
 */
export function formatPreview(t: HostTensor, limits: PreviewLimits): { text: string; shown: number; total: number } {
  const total = elementCountOf(t);
  let shown = 0;
  const shape = t.shape;
  if (shape.length === 0) return { text: total > 0 ? elementText(t, 0, limits) : "", shown: total, total };
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const rec = (dim: number, offset: number, indent: string): string => {
    const n = shape[dim]!;
    if (dim === shape.length - 1) {
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        if (shown >= limits.maxElements) {
          parts.push("…");
          break;
        }
        parts.push(elementText(t, offset + i, limits));
        shown++;
      }
      return `[${parts.join(", ")}]`;
    }
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (shown >= limits.maxElements) {
        parts.push("…");
        break;
      }
      parts.push(rec(dim + 1, offset + i * strides[dim]!, indent + " "));
    }
    return `[${parts.join(",\n" + indent + " ")}]`;
  };
  return { text: rec(0, 0, ""), shown, total };
}

export function formatStats(s: TensorStats): string[] {
  if (s.min === undefined) return [`elements: ${s.count}`];
  const f = (v: number | undefined) => (v === undefined ? "-" : formatNumber(v, 1));
  const lines = [`elements: ${s.count}`, `min: ${f(s.min)}   max: ${f(s.max)}`, `mean: ${f(s.mean)}   std: ${f(s.std)}`];
  const extra = [s.nanCount ? `NaN: ${s.nanCount}` : "", s.infCount ? `±inf: ${s.infCount}` : "", `zeros: ${s.zeros ?? 0}`].filter(Boolean);
  lines.push(extra.join("   "));
  return lines;
}
