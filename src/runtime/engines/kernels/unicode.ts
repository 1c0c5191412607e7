/**
 * Unicode code points (tf.strings.unicode_decode / unicode_encode): UnicodeDecode,
 * UnicodeDecodeWithOffsets and UnicodeEncode over UTF-8, UTF-16-BE and UTF-32-BE. Ill-formed input is
 * replaced one maximal ill-formed subpart at a time (Unicode's recommended practice, as ICU does),
 * skipped (`errors: ignore`) or refused (`strict`). Ragged results are row_splits + values (the int64
 * splits and offsets are carried as int32, the engine's int64 representation for values that fit).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../../plan.js";
import { aBool, aInt, aStr } from "../attrs.js";
import type { Kernel } from "../values.js";
import { bytesIn, invalid, numbersIn, unsupported, type KernelTable } from "./util.js";

/** One decoded code point (or -1 for an ill-formed subpart) and the bytes it took. */
type Step = readonly [code: number, length: number];

/** UTF-8 at `i`: the longest well-formed prefix, or the maximal ill-formed subpart (at least one byte). */
function utf8At(b: Uint8Array, i: number): Step {
  const c = b[i]!;
  if (c < 0x80) return [c, 1];
  const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
  if (need < 0) return [-1, 1];
  // The second byte's range depends on the first (no overlongs, surrogates or > U+10FFFF).
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  let code = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
  for (let k = 1; k <= need; k++) {
    const d = b[i + k];
    const ok = d !== undefined && (k === 1 ? d >= lo && d <= hi : d >= 0x80 && d <= 0xbf);
    if (!ok) return [-1, k];
    code = (code << 6) | (d & 0x3f);
  }
  return [code, need + 1];
}

function utf16At(b: Uint8Array, i: number): Step {
  if (i + 1 >= b.length) return [-1, b.length - i];
  const u = (b[i]! << 8) | b[i + 1]!;
  if (u < 0xd800 || u > 0xdfff) return [u, 2];
  if (u >= 0xdc00 || i + 3 >= b.length) return [-1, 2];
  const v = (b[i + 2]! << 8) | b[i + 3]!;
  if (v < 0xdc00 || v > 0xdfff) return [-1, 2];
  return [0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00), 4];
}

function utf32At(b: Uint8Array, i: number): Step {
  if (i + 3 >= b.length) return [-1, b.length - i];
  const u = ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  return [u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff) ? -1 : u, 4];
}

const DECODERS: Record<string, (b: Uint8Array, i: number) => Step> = {
  "UTF-8": utf8At,
  "UTF-16-BE": utf16At,
  "UTF-32-BE": utf32At,
};

interface ErrorPolicy {
  readonly errors: string;
  readonly replacement: number;
}

function policy(node: PlanNode): ErrorPolicy {
  const errors = aStr(node, "errors", "replace");
  if (errors !== "replace" && errors !== "ignore" && errors !== "strict") throw invalid(node, `Unknown errors value '${errors}'`);
  return { errors, replacement: aInt(node, "replacement_char", 0xfffd) };
}

function decode(offsets: boolean): Kernel {
  return (_c, node, inputs) => {
    const enc = aStr(node, "input_encoding").toUpperCase();
    const at = DECODERS[enc];
    if (!at) throw unsupported(node, `input_encoding '${enc}'`);
    const p = policy(node);
    const control = aBool(node, "replace_control_characters");
    const splits = [0];
    const chars: number[] = [];
    const starts: number[] = [];
    for (const s of bytesIn(node, inputs, 0)) {
      for (let i = 0; i < s.length;) {
        const [code, len] = at(s, i);
        if (code >= 0 || p.errors !== "ignore") {
          if (code < 0 && p.errors === "strict") throw invalid(node, "Invalid formatting on input string");
          chars.push(code < 0 || (control && code < 0x20) ? p.replacement : code);
          starts.push(i);
        }
        i += len;
      }
      splits.push(chars.length);
    }
    const out = [tf.tensor1d(splits, "int32"), tf.tensor1d(chars, "int32")];
    return offsets ? [...out, tf.tensor1d(starts, "int32")] : out;
  };
}

const ENCODERS: Record<string, (code: number, out: number[]) => void> = {
  "UTF-8": (c, out) => {
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  },
  "UTF-16-BE": (c, out) => {
    if (c < 0x10000) return void out.push(c >> 8, c & 0xff);
    const hi = 0xd800 + ((c - 0x10000) >> 10);
    const lo = 0xdc00 + ((c - 0x10000) & 0x3ff);
    out.push(hi >> 8, hi & 0xff, lo >> 8, lo & 0xff);
  },
  "UTF-32-BE": (c, out) => void out.push((c >>> 24) & 0xff, (c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff),
};

const valid = (c: number) => c >= 0 && c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff);

const encode: Kernel = (_c, node, inputs) => {
  const enc = aStr(node, "output_encoding").toUpperCase();
  const put = ENCODERS[enc];
  if (!put) throw unsupported(node, `output_encoding '${enc}'`);
  const p = policy(node);
  const codes = numbersIn(node, inputs, 0);
  const splits = numbersIn(node, inputs, 1);
  const rows = Math.max(splits.length - 1, 0);
  if (splits[0] !== undefined && splits[0] !== 0) throw invalid(node, "First value in input_splits must be zero.");
  if ((splits[rows] ?? 0) !== codes.length)
    throw invalid(node, `Last value in input_splits must be equal to length of input_values (${codes.length}).`);
  const out: Uint8Array[] = [];
  for (let r = 0; r < rows; r++) {
    const bytes: number[] = [];
    const [a, b] = [splits[r]!, splits[r + 1]!];
    if (b < a) throw invalid(node, "input_splits must be non-decreasing.");
    for (let k = a; k < b; k++) {
      const c = codes[k]!;
      if (valid(c)) put(c, bytes);
      else if (p.errors === "strict") throw invalid(node, `Code point is out of range for Unicode: ${c}`);
      else if (p.errors === "replace" && valid(p.replacement)) put(p.replacement, bytes);
    }
    out.push(Uint8Array.from(bytes));
  }
  return [tf.tensor(out, [rows], "string")];
};

export const UNICODE_KERNELS: KernelTable = [
  ["UnicodeDecode", decode(false)],
  ["UnicodeDecodeWithOffsets", decode(true)],
  ["UnicodeEncode", encode],
];
