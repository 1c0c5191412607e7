/**
 * StringFormat (tf.strings.format): each placeholder of the template becomes a summary of one input
 * tensor, written as TensorFlow's Tensor::SummarizeValue does with print_v2: nested brackets, elements
 * separated by a space (rows by a newline and indentation), at most `summarize` elements at each end
 * of a dimension with "..." between; floats in the shortest %g form that reads back (6, else 9
 * significant digits; 15 / 17 for doubles), bools as 1 / 0, strings quoted and C-escaped.
 */
import * as tf from "@tensorflow/tfjs-core";
import { aInt, aStr } from "../attrs.js";
import { readRaw } from "../convert.js";
import type { Kernel } from "../values.js";
import { invalid, tensorIn, type KernelTable } from "./util.js";

/** printf's %.{precision}g. */
function formatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mantissa, exp] = x.toExponential(precision - 1).split("e") as [string, string];
  const e = Number(exp);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e < -4 || e >= precision) return `${trim(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return trim(x.toFixed(Math.max(precision - 1 - e, 0)));
}

/** The shortest of %.6g / %.9g (float) that reads back as the same float32. */
function formatFloat(x: number): string {
  const short = formatG(x, 6);
  return Math.fround(Number(short)) === x || !Number.isFinite(x) ? short : formatG(x, 9);
}

const ESCAPES: Record<number, string> = { 10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\" };

/** absl::Utf8SafeCEscape in quotes: escapes, other control bytes as \ooo, bytes >= 0x80 kept. */
function quoted(b: Uint8Array): string {
  const out: number[] = [];
  const text = (s: string) => out.push(...Array.from(s, (c) => c.charCodeAt(0)));
  for (const c of b) {
    const e = ESCAPES[c];
    if (e) text(e);
    else if (c < 0x20 || c === 0x7f) text(`\\${c.toString(8).padStart(3, "0")}`);
    else out.push(c);
  }
  return `"${new TextDecoder().decode(Uint8Array.from(out))}"`;
}

/** Tensor::SummarizeValue(summarize, print_v2 = true). */
export function summarize(t: tf.Tensor, limitAttr: number): string {
  const data = readRaw(t) as ArrayLike<number> | Uint8Array[];
  const element = (i: number): string => {
    const v = data[i]!;
    if (v instanceof Uint8Array) return quoted(v);
    if (t.dtype === "float32") return formatFloat(v);
    return String(t.dtype === "bool" ? (v ? 1 : 0) : v);
  };
  const n = t.size;
  const limit = Math.min(limitAttr < 0 ? n : limitAttr, n);
  const shape = t.shape;
  if (shape.length === 0) return limit > 0 ? element(0) : "";
  const dims = shape.length;
  const spacing = (d: number) => (d === dims - 1 ? " " : "\n".repeat(dims - d - 1) + " ".repeat(d + 1));
  const dim = (d: number, start: number): string => {
    if (d === dims) return element(start);
    const count = shape[d]!;
    const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    const parts: string[] = [];
    for (let i = 0; i < limit && i < count; i++) parts.push(dim(d + 1, start + stride * i));
    const tail: string[] = [];
    for (let i = Math.max(limit, count - limit); i < count; i++) tail.push(dim(d + 1, start + stride * i));
    const all = count > 2 * limit ? [...parts, "...", ...tail] : [...parts, ...tail];
    return `[${all.join(spacing(d))}]`;
  };
  return dim(0, 0);
}

const stringFormat: Kernel = (_c, node, inputs) => {
  const template = aStr(node, "template", "%s");
  const placeholder = aStr(node, "placeholder", "%s");
  const pieces = placeholder.length > 0 ? template.split(placeholder) : [template];
  if (pieces.length - 1 !== inputs.length)
    throw invalid(node, `num placeholders in template and num inputs must match: ${pieces.length - 1} vs. ${inputs.length}`);
  const limit = aInt(node, "summarize", 3);
  const text = pieces.map((p, i) => (i === 0 ? p : summarize(tensorIn(node, inputs, i - 1), limit) + p)).join("");
  return [tf.tensor([new TextEncoder().encode(text)], [], "string")];
};

export const FORMAT_KERNELS: KernelTable = [["StringFormat", stringFormat]];
