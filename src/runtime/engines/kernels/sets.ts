/**
 * Feature-column helpers: DenseToDenseSetOperation (a set operation per row of the last dimension, a
 * sparse result with sorted values, as TensorFlow's), ListDiff (tf.setdiff1d: the values of x not in
 * y, in x's order, with their positions) and NormalizeUTF8 (Unicode normalization forms).
 */
import * as tf from "@tensorflow/tfjs-core";
import { aStr } from "../attrs.js";
import { readRaw } from "../convert.js";
import type { Kernel } from "../values.js";
import { bytesIn, invalid, product, tensorIn, unsupported, type KernelTable } from "./util.js";

type Item = number | string;
const OPS: Record<string, (a: Set<Item>, b: Set<Item>) => Item[]> = {
  "a-b": (a, b) => [...a].filter((x) => !b.has(x)),
  "b-a": (a, b) => [...b].filter((x) => !a.has(x)),
  intersection: (a, b) => [...a].filter((x) => b.has(x)),
  union: (a, b) => [...new Set([...a, ...b])],
};

const setOperation: Kernel = (_c, node, inputs) => {
  const a = tensorIn(node, inputs, 0);
  const b = tensorIn(node, inputs, 1);
  const op = OPS[aStr(node, "set_operation")];
  if (!op) throw invalid(node, `Invalid set_operation ${aStr(node, "set_operation")}`);
  if (a.rank < 2 || a.rank !== b.rank || a.shape.slice(0, -1).some((d, i) => d !== b.shape[i]))
    throw invalid(
      node,
      `Shapes [${a.shape.join(",")}] and [${b.shape.join(",")}] must be rank >= 2 and match in all but the last dimension`,
    );
  if (a.dtype !== b.dtype) throw invalid(node, `set1 is ${a.dtype}, set2 is ${b.dtype}`);
  const isString = a.dtype === "string";
  const read = (t: tf.Tensor): Item[] =>
    isString ? (readRaw(t) as Uint8Array[]).map((x) => new TextDecoder().decode(x)) : Array.from(readRaw(t) as ArrayLike<number>);
  const va = read(a);
  const vb = read(b);
  const lead = a.shape.slice(0, -1);
  const rows = product(lead);
  const [wa, wb] = [a.shape[a.rank - 1]!, b.shape[b.rank - 1]!];
  const indices: number[] = [];
  const values: Item[] = [];
  let width = 0;
  for (let r = 0; r < rows; r++) {
    const row = op(new Set(va.slice(r * wa, (r + 1) * wa)), new Set(vb.slice(r * wb, (r + 1) * wb)));
    row.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    width = Math.max(width, row.length);
    const coords = lead.map((_, i) => Math.floor(r / product(lead.slice(i + 1))) % lead[i]!);
    row.forEach((v, j) => {
      indices.push(...coords, j);
      values.push(v);
    });
  }
  const n = values.length;
  const vt = isString
    ? tf.tensor(
        values.map((v) => new TextEncoder().encode(v as string)),
        [n],
        "string",
      )
    : tf.tensor(values as number[], [n], a.dtype);
  return [tf.tensor(Int32Array.from(indices), [n, a.rank], "int32"), vt, tf.tensor(Int32Array.from([...lead, width]), [a.rank], "int32")];
};

const listDiff: Kernel = (_c, node, inputs) => {
  const x = tensorIn(node, inputs, 0);
  const y = tensorIn(node, inputs, 1);
  if (x.rank !== 1) throw invalid(node, `x should be a 1D vector.`);
  if (y.rank !== 1) throw invalid(node, `y should be a 1D vector.`);
  const key = (v: number | Uint8Array): Item => (typeof v === "number" ? v : new TextDecoder("latin1").decode(v));
  const vx = Array.from(readRaw(x) as ArrayLike<number> | Uint8Array[], key);
  const drop = new Set(Array.from(readRaw(y) as ArrayLike<number> | Uint8Array[], key));
  const idx = vx.flatMap((v, i) => (drop.has(v) ? [] : [i]));
  const out =
    x.dtype === "string"
      ? tf.tensor(
          idx.map((i) => (readRaw(x) as Uint8Array[])[i]!),
          [idx.length],
          "string",
        )
      : tf.gather(x, tf.tensor1d(idx, "int32"));
  return [out, tf.tensor1d(idx, "int32")];
};

const FORMS = new Set(["NFC", "NFD", "NFKC", "NFKD"]);

const normalizeUtf8: Kernel = (_c, node, inputs) => {
  const form = aStr(node, "normalization_form").toUpperCase();
  if (!FORMS.has(form)) throw unsupported(node, `normalization_form '${form}'`);
  const x = tensorIn(node, inputs, 0);
  const out = bytesIn(node, inputs, 0).map((b) => new TextEncoder().encode(new TextDecoder().decode(b).normalize(form)));
  return [tf.tensor(out, [...x.shape], "string")];
};

export const SET_KERNELS: KernelTable = [
  ["DenseToDenseSetOperation", setOperation],
  ["NormalizeUTF8", normalizeUtf8],
  ["ListDiff", listDiff],
];
