/**
 * numpy-like text for a HostTensor (CLI `vars --values`, `run` outputs, hovers): the layout of
 * `str(ndarray)` with numpy's default print options — nested brackets, `...` summarization beyond
 * `threshold` elements, 75-column line wrapping, and numpy's float formatting (shortest round-trip
 * digits for the element type, capped at `precision` fractional digits, positional or scientific
 * for the whole array, aligned). Strings print as Python bytes literals (b'...').
 *
 * Also: summary statistics and histograms for numeric tensors (float64 accumulation).
 */
import { DataType } from "./dtype.js";
import { isStringData, type HostTensor } from "./tensor.js";
import { humanBytes } from "./units.js";

export interface FormatOptions {
  /** Summarize (show edge items and `...`) when the tensor has more elements than this. Default 1000. */
  readonly threshold?: number;
  /** Items shown at each edge of a summarized axis. Default 3. */
  readonly edgeitems?: number;
  /** Most fractional digits (positional) or mantissa digits (scientific) for floats. Default 8. */
  readonly precision?: number;
  /** Line width before wrapping. Default 75. */
  readonly linewidth?: number;
  /**
   * Most bytes shown of one string element; longer ones end with `…` and how much more there is
   * ("… 285.1 MiB more"). Default 1000, so printing a 286 MiB string costs a few KiB.
   */
  readonly maxStringBytes?: number;
}

/** Default of FormatOptions.maxStringBytes. */
export const MAX_STRING_BYTES = 1000;

// ------------------------------------------------------------------------------------------------
// float16

/** Decodes an IEEE 754 binary16 bit pattern. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Rounds a number to the nearest binary16 value (ties to even), returned as a number. */
export function roundToHalf(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--; // log2 can be off by one near powers of two
  if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const q = a / ulp; // exact: division by a power of two
  const f = Math.floor(q);
  const diff = q - f;
  const r = diff > 0.5 || (diff === 0.5 && f % 2 === 1) ? f + 1 : f;
  return Math.sign(x) * r * ulp;
}

// ------------------------------------------------------------------------------------------------
// exact decimal digits of binary floats

type FloatBits = 16 | 32 | 64;

const scratch = new DataView(new ArrayBuffer(8));

/** |x| = m * 2^e exactly (x finite). */
function decompose(x: number): { m: bigint; e: number } {
  scratch.setFloat64(0, Math.abs(x));
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (expBits === 0) return { m: mant, e: -1074 };
  return { m: mant | (1n << 52n), e: expBits - 1075 };
}

/** round-half-even(|x| * 10^k) as an integer, computed exactly. */
function scaledRound(x: number, k: number): bigint {
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  let q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  return q;
}

function roundsTo(v: number, bits: FloatBits): number {
  return bits === 64 ? v : bits === 32 ? Math.fround(v) : roundToHalf(v);
}

/** Shortest digits that round-trip in the element type: |x| = d.ddd × 10^exp (x finite, non-zero). */
function shortest(x: number, bits: FloatBits): { digits: string; exp: number } {
  const a = Math.abs(x);
  let s = a.toExponential();
  if (bits !== 64) {
    const maxDigits = bits === 32 ? 9 : 5;
    for (let p = 1; p <= maxDigits; p++) {
      const t = a.toExponential(p - 1);
      if (roundsTo(Number(t), bits) === a) {
        s = t;
        break;
      }
    }
  }
  const [mant = "0", ex = "0"] = s.split("e");
  const digits = mant.replace(".", "").replace(/0+$/, "") || "0";
  return { digits, exp: Number(ex) };
}

interface Positional {
  readonly neg: boolean;
  readonly int: string;
  /** Fraction digits, trailing zeros trimmed. */
  readonly frac: string;
}

/** Dragon4-style positional digits: unique (shortest) digits, at most `precision` after the point. */
function positional(x: number, precision: number, bits: FloatBits): Positional {
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return { neg, int: "0", frac: "" };
  const { digits, exp } = shortest(x, bits);
  const fracNeeded = Math.max(0, digits.length - 1 - exp);
  let all: string;
  let fracLen: number;
  if (fracNeeded <= precision) {
    fracLen = fracNeeded;
    // digits × 10^(exp - (len-1)); place the point fracLen from the right
    const zerosRight = Math.max(0, exp - (digits.length - 1));
    all = digits + "0".repeat(zerosRight);
  } else {
    fracLen = precision;
    all = scaledRound(x, precision).toString();
  }
  all = all.padStart(fracLen + 1, "0");
  const int = all.slice(0, all.length - fracLen);
  const frac = all.slice(all.length - fracLen).replace(/0+$/, "");
  return { neg, int: int.replace(/^0+(?=\d)/, ""), frac };
}

interface Scientific {
  readonly neg: boolean;
  readonly lead: string;
  /** Mantissa digits after the point, trailing zeros trimmed. */
  readonly frac: string;
  readonly exp: number;
}

/**
 * Dragon4-style scientific digits: unique digits, at most `precision` after the point. With
 * `exact`, always `precision` digits of the exact value (numpy's min_digits: when the array needs
 * more digits than this value's shortest form, the extra digits are real, not zero padding).
 */
function scientific(x: number, precision: number, bits: FloatBits, exact = false): Scientific {
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return { neg, lead: "0", frac: "", exp: 0 };
  const sh = shortest(x, bits);
  let digits = sh.digits;
  let exp = sh.exp;
  if (digits.length - 1 > precision || (exact && digits.length - 1 < precision)) {
    let q = scaledRound(x, precision - exp);
    const lo = 10n ** BigInt(precision);
    if (q >= lo * 10n) {
      exp += 1;
      q = scaledRound(x, precision - exp);
    } else if (q < lo) {
      exp -= 1;
      q = scaledRound(x, precision - exp);
    }
    digits = q.toString().replace(/0+$/, "") || "0";
  }
  return { neg, lead: digits[0] ?? "0", frac: digits.slice(1), exp };
}

function expText(exp: number, minDigits: number): string {
  return (exp < 0 ? "-" : "+") + String(Math.abs(exp)).padStart(Math.max(2, minDigits), "0");
}

// ------------------------------------------------------------------------------------------------
// numpy FloatingFormat

type ElemFormatter = (x: number) => string;

function floatBitsOf(dtype: number): FloatBits {
  if (dtype === DataType.DT_HALF) return 16;
  if (dtype === DataType.DT_FLOAT || dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_BFLOAT16) return 32;
  return 64;
}

/** numpy's FloatingFormat (floatmode 'maxprec', suppress_small off) fitted to `values`. */
function floatingFormat(values: readonly number[], precision: number, bits: FloatBits, forceSign: boolean): ElemFormatter {
  const finite = values.filter((v) => Number.isFinite(v));
  const nonZero = finite.filter((v) => v !== 0).map((v) => Math.abs(v));
  let exp = false;
  if (nonZero.length > 0) {
    let max = 0;
    let min = Infinity;
    for (const v of nonZero) {
      if (v > max) max = v;
      if (v < min) min = v;
    }
    const cutoff = 10 ** Math.min(8, bits === 16 ? 3 : bits === 32 ? 6 : 15);
    exp = max >= cutoff || min < 0.0001 || max / min > 1000;
  }
  const signOf = (neg: boolean): string => (neg ? "-" : forceSign ? "+" : "");
  let padLeft = 0;
  let padRight = 0;
  let fmtFinite: ElemFormatter;
  if (finite.length === 0) {
    fmtFinite = (x) => String(x);
  } else if (exp) {
    const parts = finite.map((v) => scientific(v, precision, bits));
    const prec = Math.max(...parts.map((p) => p.frac.length));
    const expSize = Math.max(...parts.map((p) => expText(p.exp, 2).length)) - 1;
    padLeft = Math.max(...parts.map((p) => signOf(p.neg).length + p.lead.length));
    padRight = expSize + 2 + prec;
    fmtFinite = (x) => {
      const p = scientific(x, prec, bits, true);
      const head = (signOf(p.neg) + p.lead).padStart(padLeft, " ");
      return `${head}.${p.frac.padEnd(prec, "0")}e${expText(p.exp, expSize)}`;
    };
  } else {
    const parts = finite.map((v) => positional(v, precision, bits));
    padLeft = Math.max(...parts.map((p) => signOf(p.neg).length + p.int.length));
    padRight = Math.max(...parts.map((p) => p.frac.length));
    fmtFinite = (x) => {
      const p = positional(x, precision, bits);
      return `${(signOf(p.neg) + p.int).padStart(padLeft, " ")}.${p.frac.padEnd(padRight, " ")}`;
    };
  }
  if (finite.length !== values.length) {
    const negInf = forceSign || values.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset);
  }
  return (x) => {
    if (Number.isFinite(x)) return fmtFinite(x);
    const text = Number.isNaN(x) ? (forceSign ? "+" : "") + "nan" : (x < 0 ? "-" : forceSign ? "+" : "") + "inf";
    return text.padStart(padLeft + padRight + 1, " ");
  };
}

/** numpy's str() of a float scalar (0-d array): shortest digits, '1.0', '1e-07'. */
function floatScalar(x: number, bits: FloatBits, dropPointZero = false): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x < 0 ? "-inf" : "inf";
  const a = Math.abs(x);
  const cutoff = bits === 16 ? 1e3 : bits === 32 ? 1e6 : 1e16;
  if (a === 0 || (a >= 1e-4 && a < cutoff)) {
    const p = positional(x, 1100, bits);
    const frac = p.frac === "" ? (dropPointZero ? "" : ".0") : `.${p.frac}`;
    return `${p.neg ? "-" : ""}${p.int}${frac}`;
  }
  const s = scientific(x, 1100, bits);
  return `${s.neg ? "-" : ""}${s.lead}${s.frac ? "." + s.frac : ""}e${expText(s.exp, 2)}`;
}

function complexScalar(re: number, im: number, bits: FloatBits): string {
  const imText = floatScalar(im, bits, true);
  if (re === 0 && !Object.is(re, -0)) return `${imText}j`;
  const sign = imText.startsWith("-") ? "" : "+";
  return `(${floatScalar(re, bits, true)}${sign}${imText}j)`;
}

// ------------------------------------------------------------------------------------------------
// bytes

/**
 * Python's repr() of a bytes object: b'...' (or b"..." when that avoids escaping quotes). At most
 * `maxBytes` bytes are shown; a longer value ends with `…` and the size of the rest.
 */
export function pyBytesRepr(whole: Uint8Array, maxBytes = MAX_STRING_BYTES): string {
  const b = whole.length > maxBytes ? whole.subarray(0, maxBytes) : whole;
  const hasSingle = b.includes(0x27);
  const quote = hasSingle && !b.includes(0x22) ? '"' : "'";
  const parts: string[] = ["b" + quote];
  for (const c of b) {
    if (c === 0x5c) parts.push("\\\\");
    else if (c === quote.charCodeAt(0)) parts.push("\\" + quote);
    else if (c === 0x09) parts.push("\\t");
    else if (c === 0x0a) parts.push("\\n");
    else if (c === 0x0d) parts.push("\\r");
    else if (c < 0x20 || c >= 0x7f) parts.push("\\x" + c.toString(16).padStart(2, "0"));
    else parts.push(String.fromCharCode(c));
  }
  parts.push(quote);
  if (b !== whole) parts.push(`… ${humanBytes(whole.length - b.length)} more`);
  return parts.join("");
}

// ------------------------------------------------------------------------------------------------
// array layout (numpy _formatArray)

function elementCountOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Flat C-order indices of the elements that will be displayed. */
function displayedIndices(shape: readonly number[], summarize: boolean, edge: number): number[] {
  const out: number[] = [];
  const strides = cStrides(shape);
  const rec = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      out.push(offset);
      return;
    }
    const len = shape[axis] as number;
    const stride = strides[axis] as number;
    if (summarize && 2 * edge < len) {
      for (let i = 0; i < edge; i++) rec(axis + 1, offset + i * stride);
      for (let i = len - edge; i < len; i++) rec(axis + 1, offset + i * stride);
    } else {
      for (let i = 0; i < len; i++) rec(axis + 1, offset + i * stride);
    }
  };
  rec(0, 0);
  return out;
}

function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k] as number;
  }
  return s;
}

function layout(shape: readonly number[], word: (flat: number) => string, lineWidth: number, summarize: boolean, edge: number): string {
  const strides = cStrides(shape);
  const rank = shape.length;
  const rec = (axis: number, offset: number, hanging: string, width: number): string => {
    if (axis === rank) return word(offset);
    const nextHanging = hanging + " ";
    const nextWidth = width - 1;
    const len = shape[axis] as number;
    const stride = strides[axis] as number;
    const showSummary = summarize && 2 * edge < len;
    const leading = showSummary ? edge : 0;
    const trailing = showSummary ? edge : len;
    const axesLeft = rank - axis;
    let s = "";
    if (axesLeft === 1) {
      const elemWidth = width - 1;
      let line = hanging;
      const extend = (w: string): void => {
        if (line.length + w.length > elemWidth && line.length > hanging.length) {
          s += line.trimEnd() + "\n";
          line = hanging;
        }
        line += w;
      };
      for (let i = 0; i < leading; i++) {
        extend(rec(axis + 1, offset + i * stride, nextHanging, nextWidth));
        line += " ";
      }
      if (showSummary) {
        extend("...");
        line += " ";
      }
      for (let i = trailing; i > 1; i--) {
        extend(rec(axis + 1, offset + (len - i) * stride, nextHanging, nextWidth));
        line += " ";
      }
      extend(rec(axis + 1, offset + (len - 1) * stride, nextHanging, nextWidth));
      s += line;
    } else {
      const lineSep = "\n".repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hanging + rec(axis + 1, offset + i * stride, nextHanging, nextWidth) + lineSep;
      if (showSummary) s += hanging + "..." + lineSep;
      for (let i = trailing; i > 1; i--) s += hanging + rec(axis + 1, offset + (len - i) * stride, nextHanging, nextWidth) + lineSep;
      s += hanging + rec(axis + 1, offset + (len - 1) * stride, nextHanging, nextWidth);
    }
    return "[" + s.slice(hanging.length) + "]";
  };
  return rec(0, 0, " ", lineWidth);
}

// ------------------------------------------------------------------------------------------------
// element access

function isFloatType(dtype: number): boolean {
  return dtype === DataType.DT_FLOAT || dtype === DataType.DT_DOUBLE || dtype === DataType.DT_HALF || dtype === DataType.DT_BFLOAT16;
}

function isComplexType(dtype: number): boolean {
  return dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128;
}

/** Element `i` of a real numeric tensor as a number (float16/bfloat16 decoded; int64 possibly rounded). */
function realAt(t: HostTensor, i: number): number {
  const d = t.data;
  if (isStringData(d)) return NaN;
  const v = d[i] as number | bigint;
  if (typeof v === "bigint") return Number(v);
  if (t.dtype === DataType.DT_HALF) return halfToNumber(v);
  if (t.dtype === DataType.DT_BFLOAT16) return bfloat16ToNumber(v);
  return v;
}

function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16);
  return scratch.getFloat32(0);
}

function intText(t: HostTensor, i: number): string {
  const d = t.data;
  if (isStringData(d)) return "";
  return String(d[i]);
}

/** The text numpy's str() gives for `t` (numpy default print options unless overridden). */
export function formatTensor(t: HostTensor, options: FormatOptions = {}): string {
  const threshold = options.threshold ?? 1000;
  const edge = options.edgeitems ?? 3;
  const precision = options.precision ?? 8;
  const lineWidth = options.linewidth ?? 75;
  const maxBytes = options.maxStringBytes ?? MAX_STRING_BYTES;
  const shape = t.shape;
  const n = elementCountOf(shape);
  const d = t.data;
  const dtype = t.dtype;
  const bits = floatBitsOf(dtype);

  if (shape.length === 0) {
    if (isStringData(d)) return pyBytesRepr(d[0] ?? new Uint8Array(0), maxBytes);
    if (dtype === DataType.DT_BOOL) return (d[0] as number) ? "True" : "False";
    if (isComplexType(dtype)) return complexScalar(d[0] as number, d[1] as number, bits);
    if (isFloatType(dtype)) return floatScalar(realAt(t, 0), bits);
    return intText(t, 0);
  }
  if (n === 0) return "[]";

  const summarize = n > threshold;
  const shown = displayedIndices(shape, summarize, edge);
  let word: (flat: number) => string;
  if (isStringData(d)) {
    word = (i) => pyBytesRepr(d[i] ?? new Uint8Array(0), maxBytes);
  } else if (dtype === DataType.DT_BOOL) {
    word = (i) => ((d[i] as number) ? " True" : "False");
  } else if (isComplexType(dtype)) {
    const re = floatingFormat(
      shown.map((i) => d[2 * i] as number),
      precision,
      bits,
      false,
    );
    const im = floatingFormat(
      shown.map((i) => d[2 * i + 1] as number),
      precision,
      bits,
      true,
    );
    word = (i) => {
      const r = re(d[2 * i] as number);
      const m = im(d[2 * i + 1] as number);
      const sp = m.trimEnd().length;
      return r + m.slice(0, sp) + "j" + m.slice(sp);
    };
  } else if (isFloatType(dtype)) {
    const f = floatingFormat(
      shown.map((i) => realAt(t, i)),
      precision,
      bits,
      false,
    );
    word = (i) => f(realAt(t, i));
  } else {
    let width = 0;
    for (const i of shown) width = Math.max(width, intText(t, i).length);
    word = (i) => intText(t, i).padStart(width, " ");
  }
  return layout(shape, word, lineWidth, summarize, edge);
}

// ------------------------------------------------------------------------------------------------
// statistics

export interface TensorStats {
  /** Elements in the tensor. */
  readonly count: number;
  /** Minimum/maximum/mean/std over the non-NaN values (NaN when there are none); std is the population std. */
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  readonly nanCount: number;
  readonly infCount: number;
  readonly zeroCount: number;
}

/**
 * Summary statistics of a numeric or bool tensor (float64 accumulation; int64 values converted to
 * double). Complex tensors are summarized by magnitude |z|. `undefined` for strings and other
 * non-numeric types.
 */
export function tensorStats(t: HostTensor): TensorStats | undefined {
  const get = numericGetter(t);
  if (!get) return undefined;
  const count = elementCountOf(t.shape);
  let nanCount = 0;
  let infCount = 0;
  let zeroCount = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finiteSum = 0;
  let finiteCount = 0;
  let valid = 0;
  for (let i = 0; i < count; i++) {
    const v = get(i);
    if (Number.isNaN(v)) {
      nanCount++;
      continue;
    }
    valid++;
    if (v === 0) zeroCount++;
    if (!Number.isFinite(v)) infCount++;
    else {
      finiteSum += v;
      finiteCount++;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  if (valid === 0) return { count, min: NaN, max: NaN, mean: NaN, std: NaN, nanCount, infCount, zeroCount };
  const mean = sum / valid;
  let std: number;
  if (infCount > 0) {
    std = NaN;
  } else {
    const m = finiteSum / finiteCount;
    let sq = 0;
    for (let i = 0; i < count; i++) {
      const v = get(i);
      if (!Number.isNaN(v)) sq += (v - m) * (v - m);
    }
    std = Math.sqrt(sq / valid);
  }
  return { count, min, max, mean, std, nanCount, infCount, zeroCount };
}

export interface Histogram {
  /** bins + 1 ascending bin edges; the last bin includes its right edge (numpy.histogram). */
  readonly edges: number[];
  readonly counts: number[];
  /** NaN and ±Inf values, which are not binned. */
  readonly skipped: number;
}

/**
 * numpy.histogram over the finite values with `bins` equal-width bins spanning [min, max]
 * ([v - 0.5, v + 0.5] when all values are equal, [0, 1] when there are none).
 * `undefined` for non-numeric tensors.
 */
export function histogram(t: HostTensor, bins = 10): Histogram | undefined {
  const get = numericGetter(t);
  if (!get) return undefined;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram needs a positive integer bin count, got ${bins}`);
  const count = elementCountOf(t.shape);
  let lo = Infinity;
  let hi = -Infinity;
  let skipped = 0;
  for (let i = 0; i < count; i++) {
    const v = get(i);
    if (!Number.isFinite(v)) {
      skipped++;
      continue;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) {
    lo = 0;
    hi = 1;
  } else if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + ((hi - lo) * k) / bins));
  const counts = new Array<number>(bins).fill(0);
  const scale = bins / (hi - lo);
  for (let i = 0; i < count; i++) {
    const v = get(i);
    if (!Number.isFinite(v)) continue;
    let b = Math.floor((v - lo) * scale);
    if (b >= bins) b = bins - 1;
    if (b < 0) b = 0;
    // correct floating error at the edges, as numpy does
    if (b > 0 && v < (edges[b] as number)) b--;
    else if (b < bins - 1 && v >= (edges[b + 1] as number)) b++;
    counts[b] = (counts[b] as number) + 1;
  }
  return { edges, counts, skipped };
}

export function numericGetter(t: HostTensor): ((i: number) => number) | undefined {
  const d = t.data;
  if (isStringData(d)) return undefined;
  if (isComplexType(t.dtype)) return (i) => Math.hypot(d[2 * i] as number, d[2 * i + 1] as number);
  switch (t.dtype) {
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return (i) => realAt(t, i);
    case DataType.DT_RESOURCE:
    case DataType.DT_VARIANT:
    case DataType.DT_STRING:
      return undefined;
    default:
      if (typeof d[0] === "bigint" || d instanceof BigInt64Array || d instanceof BigUint64Array) return (i) => Number(d[i] as bigint);
      return (i) => d[i] as number;
  }
}
