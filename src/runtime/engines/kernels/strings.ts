/**
 * String ops with TensorFlow's semantics, on bytes: AsString, StringJoin, StringLength,
 * StringToHashBucketFast, case (ASCII, or Unicode with encoding "utf-8"), StringStrip, StringSplitV2,
 * ReduceJoin, Substr, and the regex ops. Patterns come from the model, so
 * they run on re2js (RE2 syntax, linear time, as TensorFlow's own RE2), never on backtracking RegExp.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { RE2JS } from "re2js";
import { compileRe2 } from "../regex.js";
import type { PlanNode } from "../../plan.js";
import { StudioError } from "../../../core/errors.js";
import { aBool, aBytes, aInt, aStr } from "../attrs.js";
import { readRaw } from "../convert.js";
import type { Kernel } from "../values.js";
import { axisIn, bytesIn, invalid, numbersIn, product, strings, tensorIn, tensorIn as T, unsupported, type KernelTable } from "./util.js";

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();

function strTensor(values: Uint8Array[], shape: readonly number[]): tf.Tensor {
  return tf.tensor(values, [...shape], "string");
}

/** Maps every byte string of input 0 elementwise. */
function mapBytes(fn: (b: Uint8Array, node: PlanNode) => Uint8Array): Kernel {
  return (_c, node, inputs) => {
    const x = tensorIn(node, inputs, 0);
    return [
      strTensor(
        bytesIn(node, inputs, 0).map((b) => fn(b, node)),
        x.shape,
      ),
    ];
  };
}

function asciiCase(b: Uint8Array, upper: boolean): Uint8Array {
  const out = b.slice();
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (upper && c >= 0x61 && c <= 0x7a) out[i] = c - 32;
    else if (!upper && c >= 0x41 && c <= 0x5a) out[i] = c + 32;
  }
  return out;
}

function caseKernel(upper: boolean): Kernel {
  return mapBytes((b, node) => {
    const enc = aStr(node, "encoding");
    if (enc === "") return asciiCase(b, upper);
    if (enc.toLowerCase() !== "utf-8") throw unsupported(node, `encoding '${enc}'`);
    const s = utf8.decode(b);
    return utf8enc.encode(upper ? s.toUpperCase() : s.toLowerCase());
  });
}

const ASCII_SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

const strip = mapBytes((b) => {
  let s = 0;
  let e = b.length;
  while (s < e && ASCII_SPACE.has(b[s]!)) s++;
  while (e > s && ASCII_SPACE.has(b[e - 1]!)) e--;
  return b.slice(s, e);
});

/** Python's str.split(sep, maxsplit) on bytes; an empty sep splits on runs of ASCII whitespace. */
function splitOne(b: Uint8Array, sep: Uint8Array, maxsplit: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep.length === 0) {
    let i = 0;
    while (i < b.length) {
      while (i < b.length && ASCII_SPACE.has(b[i]!)) i++;
      if (i >= b.length) break;
      if (parts.length >= limit) {
        parts.push(b.slice(i)); // the remainder keeps its trailing whitespace, as in Python
        break;
      }
      const s = i;
      while (i < b.length && !ASCII_SPACE.has(b[i]!)) i++;
      parts.push(b.slice(s, i));
    }
    return parts;
  }
  let start = 0;
  for (let i = 0; i + sep.length <= b.length && parts.length < limit;) {
    if (sep.every((c, j) => b[i + j] === c)) {
      parts.push(b.slice(start, i));
      i += sep.length;
      start = i;
    } else i++;
  }
  parts.push(b.slice(start));
  return parts;
}

const splitV2: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  if (x.rank !== 1) throw invalid(node, `input must be a vector, got shape: [${x.shape.join(",")}]`);
  const sep = bytesIn(node, inputs, 1)[0] ?? new Uint8Array();
  const maxsplit = aInt(node, "maxsplit", -1);
  const rows = bytesIn(node, inputs, 0).map((b) => splitOne(b, sep, maxsplit));
  const indices: number[] = [];
  const values: Uint8Array[] = [];
  let width = 0;
  rows.forEach((parts, r) => {
    width = Math.max(width, parts.length);
    parts.forEach((p, j) => {
      indices.push(r, j);
      values.push(p);
    });
  });
  // int64 outputs carried as int32 (the engine's int64 representation for values that fit).
  return [
    tf.tensor(Int32Array.from(indices), [values.length, 2], "int32"),
    strTensor(values, [values.length]),
    tf.tensor(Int32Array.of(rows.length, width), [2], "int32"),
  ];
};

const reduceJoin: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const data = bytesIn(node, inputs, 0);
  const axes = new Set(numbersIn(node, inputs, 1).map((a) => axisIn(node, a, x.rank)));
  const keep = aBool(node, "keep_dims");
  const sep = utf8enc.encode(aStr(node, "separator"));
  const shape = x.shape;
  const outShape = shape.map((d, i) => (axes.has(i) ? 1 : d));
  const groups: Uint8Array[][] = Array.from({ length: product(outShape) }, () => []);
  // Row-major walk: each element goes to the output cell with the reduced axes zeroed.
  const strides = outShape.map((_, i) => product(outShape.slice(i + 1)));
  data.forEach((b, flat) => {
    let rest = flat;
    let cell = 0;
    for (let i = 0; i < shape.length; i++) {
      const size = product(shape.slice(i + 1));
      const coord = Math.floor(rest / size);
      rest %= size;
      if (!axes.has(i)) cell += coord * strides[i]!;
    }
    groups[cell]!.push(b);
  });
  const joined = groups.map((g) => {
    const total = g.reduce((a, p) => a + p.length, 0) + Math.max(g.length - 1, 0) * sep.length;
    const out = new Uint8Array(total);
    let o = 0;
    g.forEach((p, i) => {
      if (i > 0) {
        out.set(sep, o);
        o += sep.length;
      }
      out.set(p, o);
      o += p.length;
    });
    return out;
  });
  return [strTensor(joined, keep ? outShape : shape.filter((_, i) => !axes.has(i)))];
};

/** Byte offsets of each UTF-8 character start (and the end), for unit UTF8_CHAR. */
function charStarts(b: Uint8Array): number[] {
  const starts: number[] = [];
  for (let i = 0; i < b.length; i++) if ((b[i]! & 0xc0) !== 0x80) starts.push(i);
  starts.push(b.length);
  return starts;
}

const substr: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const data = bytesIn(node, inputs, 0);
  const posT = tensorIn(node, inputs, 1);
  const lenT = tensorIn(node, inputs, 2);
  const pos = numbersIn(node, inputs, 1);
  const len = numbersIn(node, inputs, 2);
  const unit = aStr(node, "unit", "BYTE");
  if (unit !== "BYTE" && unit !== "UTF8_CHAR") throw invalid(node, `unit must be BYTE or UTF8_CHAR, got ${unit}`);
  const perElement = posT.rank > 0;
  if (perElement && (posT.size !== x.size || lenT.size !== x.size))
    throw unsupported(node, "pos / len broadcast against the input (other than scalars or the input's shape)");
  const out = data.map((b, i) => {
    const p0 = pos[perElement ? i : 0]!;
    const l = len[perElement ? i : 0]!;
    const bounds = unit === "BYTE" ? null : charStarts(b);
    const n = bounds ? bounds.length - 1 : b.length;
    const p = p0 < 0 ? p0 + n : p0;
    if (p < 0 || p > n) throw invalid(node, `pos ${p0} out of range for string b'${utf8.decode(b)}' at index ${i}`);
    const e = Math.min(n, p + Math.max(l, 0));
    return bounds ? b.slice(bounds[p]!, bounds[e]!) : b.slice(p, e);
  });
  return [strTensor(out, x.shape)];
};

/** A pattern compiled with RE2 semantics (TensorFlow's engine), with TensorFlow's error on bad syntax. */
function compile(node: PlanNode, pattern: string): RE2JS {
  try {
    return compileRe2(pattern);
  } catch (e) {
    throw invalid(node, `Invalid pattern: ${pattern}, error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** RE2's rewrite string as parts: literal text, or a group number ("\\1"; "\\0" is the whole match). */
function rewriteParts(node: PlanNode, rewrite: string, groups: number): (string | number)[] {
  const parts: (string | number)[] = [];
  let text = "";
  for (let i = 0; i < rewrite.length; i++) {
    const c = rewrite[i]!;
    if (c !== "\\") {
      text += c;
      continue;
    }
    const d = rewrite[++i];
    if (d === "\\") text += "\\";
    else if (d !== undefined && d >= "0" && d <= "9") {
      if (Number(d) > groups) throw invalid(node, `Invalid rewrite pattern: ${rewrite} (group ${d} of ${groups})`);
      parts.push(text, Number(d));
      text = "";
    } else throw invalid(node, `Invalid rewrite pattern: ${rewrite}`);
  }
  parts.push(text);
  return parts;
}

function replaceAll(
  node: PlanNode,
  data: Uint8Array[],
  shape: readonly number[],
  pattern: string,
  rewrite: string,
  global: boolean,
): tf.Tensor {
  const re = compile(node, pattern);
  const parts = rewriteParts(node, rewrite, re.groupCount());
  return strTensor(
    data.map((b) => {
      const s = utf8.decode(b);
      const m = re.matcher(s);
      let out = "";
      let last = 0;
      while (m.find()) {
        out += s.slice(last, m.start()) + parts.map((p) => (typeof p === "number" ? (m.group(p) ?? "") : p)).join("");
        last = m.end();
        if (!global) break;
      }
      return utf8enc.encode(out + s.slice(last));
    }),
    shape,
  );
}

const regexReplace: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const pattern = utf8.decode(bytesIn(node, inputs, 1)[0] ?? new Uint8Array());
  const rewrite = utf8.decode(bytesIn(node, inputs, 2)[0] ?? new Uint8Array());
  return [replaceAll(node, bytesIn(node, inputs, 0), x.shape, pattern, rewrite, aBool(node, "replace_global", true))];
};

const staticRegexReplace: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  return [
    replaceAll(node, bytesIn(node, inputs, 0), x.shape, aStr(node, "pattern"), aStr(node, "rewrite"), aBool(node, "replace_global", true)),
  ];
};

function fullMatch(node: PlanNode, data: Uint8Array[], shape: readonly number[], pattern: string): tf.Tensor {
  const re = compile(node, pattern);
  return tf.tensor(
    Uint8Array.from(data, (b) => (re.matches(utf8.decode(b)) ? 1 : 0)),
    [...shape],
    "bool",
  );
}

const regexFullMatch: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  return [fullMatch(node, bytesIn(node, inputs, 0), x.shape, utf8.decode(bytesIn(node, inputs, 1)[0] ?? new Uint8Array()))];
};

const staticRegexFullMatch: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  return [fullMatch(node, bytesIn(node, inputs, 0), x.shape, aStr(node, "pattern"))];
};

// ---------- number formatting and broadcasting (AsString, StringJoin) ----------

function formatNumber(x: number, dt: tf.DataType, node: PlanNode): string {
  if (dt === "bool") return x ? "true" : "false";
  if (dt === "int32") return String(x);
  const precision = aInt(node, "precision", -1);
  const scientific = aBool(node, "scientific");
  const shortest = aBool(node, "shortest");
  if (precision >= 0) return scientific ? x.toExponential(precision) : x.toFixed(precision);
  if (shortest) return String(x);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  return scientific ? x.toExponential(6) : x.toFixed(6);
}

function broadcastStrings(node: PlanNode, parts: Uint8Array[][], shapes: number[][]): { shape: number[]; n: number } {
  let shape: number[] = [];
  for (const s of shapes) if (s.length > 0) shape = s;
  const n = product(shape);
  parts.forEach((p, i) => {
    if (p.length !== 1 && p.length !== n)
      throw new StudioError(
        "ENGINE",
        `${node.name}: StringJoin inputs ${i} has shape [${shapes[i]!.join(", ")}], incompatible with [${shape.join(", ")}]`,
      );
  });
  return { shape, n };
}

export const STRING_KERNELS: KernelTable = [
  [
    "AsString",
    (_c, n, i) => {
      const x = T(n, i, 0);
      const v = readRaw(x) as ArrayLike<number>;
      const width = aInt(n, "width", -1);
      const fillc = aStr(n, "fill");
      const out = Array.from(v, (e) => {
        let s = formatNumber(e, x.dtype, n);
        if (width > 0 && s.length < width) s = (fillc === "0" ? "0" : " ").repeat(width - s.length) + s;
        return utf8enc.encode(s);
      });
      return [tf.tensor(out, [...x.shape], "string")];
    },
  ],
  [
    "StringJoin",
    (_c, n, i) => {
      const parts = i.map((_, k) => strings(T(n, i, k)));
      const { shape, n: count } = broadcastStrings(
        n,
        parts,
        i.map((_, k) => [...T(n, i, k).shape]),
      );
      const sep = aBytes(n, "separator");
      const out: Uint8Array[] = [];
      for (let e = 0; e < count; e++) {
        const pieces: Uint8Array[] = [];
        parts.forEach((p, k) => {
          if (k > 0) pieces.push(sep);
          pieces.push(p[p.length === 1 ? 0 : e]!);
        });
        const total = pieces.reduce((a, b) => a + b.length, 0);
        const buf = new Uint8Array(total);
        let off = 0;
        for (const p of pieces) {
          buf.set(p, off);
          off += p.length;
        }
        out.push(buf);
      }
      return [tf.tensor(out, shape, "string")];
    },
  ],
  ["StringToHashBucketFast", (_c, n, i) => [tf.string.stringToHashBucketFast(T(n, i, 0), aInt(n, "num_buckets"))]],
  [
    "StringLength",
    (_c, n, i) => [
      tf.tensor(
        Int32Array.from(strings(T(n, i, 0)), (b) => b.length),
        [...T(n, i, 0).shape],
        "int32",
      ),
    ],
  ],
  ["StringLower", caseKernel(false)],
  ["StringUpper", caseKernel(true)],
  ["StringStrip", strip],
  ["StringSplitV2", splitV2],
  ["ReduceJoin", reduceJoin],
  ["Substr", substr],
  ["RegexReplace", regexReplace],
  ["RegexFullMatch", regexFullMatch],
  // Replace the RegExp-based kernels: model patterns run in linear time.
  ["StaticRegexReplace", staticRegexReplace],
  ["StaticRegexFullMatch", staticRegexFullMatch],
];
