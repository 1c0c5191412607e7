/**
 * Literal inputs typed in a box: JSON-like nested lists (`[[1.5], [2]]`, `3`, `["a", "b"]`,
 * `true`/`True`), converted to a HostTensor of the input's dtype; and tf.Example features (JSON) for
 * serialized-Example inputs. Pure (no vscode), so unit tests cover it.
 */
import type { HostTensor, TensorData } from "../../core/tensor.js";

type Num = { readonly num: string };
type Lit = Num | string | boolean | null | Lit[] | { [k: string]: Lit };

const DT = {
  FLOAT: 1,
  DOUBLE: 2,
  INT32: 3,
  UINT8: 4,
  INT16: 5,
  INT8: 6,
  STRING: 7,
  INT64: 9,
  BOOL: 10,
  UINT16: 17,
  UINT32: 22,
  UINT64: 23,
} as const;

/** JSON.parse that keeps each number's source text (so `2.0` stays a float for tf.Example). */
export function parseLiteralJson(text: string): Lit {
  const py = text.replace(/"(?:[^"\\]|\\.)*"|\b(True|False|None)\b/g, (m, w: string | undefined) =>
    w === "True" ? "true" : w === "False" ? "false" : w === "None" ? "null" : m,
  );
  const tagged = py.replace(
    /"(?:[^"\\]|\\.)*"|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|-?\b(?:nan|inf|NaN|Infinity)\b)/g,
    (m, n: string | undefined) => (n === undefined ? m : JSON.stringify({ "\u0000num": n })),
  );
  const raw = JSON.parse(tagged) as unknown;
  const conv = (v: unknown): Lit => {
    if (Array.isArray(v)) return v.map(conv);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o["\u0000num"] === "string") return { num: o["\u0000num"] };
      const out: { [k: string]: Lit } = {};
      for (const [k, x] of Object.entries(o)) out[k] = conv(x);
      return out;
    }
    return v as string | boolean | null;
  };
  return conv(raw);
}

function isNum(v: Lit): v is Num {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as Num).num === "string";
}

function numValue(s: string): number {
  const t = s.toLowerCase();
  if (t === "nan") return NaN;
  if (t === "inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  return Number(s);
}

/** Shape of a rectangular nested list; throws on ragged lists. */
function shapeOf(v: Lit): number[] {
  if (!Array.isArray(v)) return [];
  if (v.length === 0) return [0];
  const inner = shapeOf(v[0]!);
  for (const x of v) {
    const s = shapeOf(x);
    if (s.length !== inner.length || s.some((d, i) => d !== inner[i])) throw new Error("ragged list: every row must have the same length");
  }
  return [v.length, ...inner];
}

function flatten(v: Lit, out: Lit[]): void {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v);
}

/**
 * Converts a literal to a tensor of `dtype`. When the input's static shape has a higher rank, the
 * value is expanded with leading 1-dims (typing `2` for a `[?, 1]` input gives `[[2]]`).
 */
export function literalToTensor(text: string, dtype: number, want: readonly number[] | null): HostTensor {
  const lit = parseLiteralJson(text);
  let shape = shapeOf(lit);
  if (want && want.length > shape.length) {
    const extra = want.length - shape.length;
    if (want.slice(0, extra).every((d) => d === -1 || d === 1)) shape = [...Array<number>(extra).fill(1), ...shape];
  }
  const flat: Lit[] = [];
  flatten(lit, flat);
  const base = dtype > 100 ? dtype - 100 : dtype;
  const numbers = () =>
    flat.map((x) => {
      if (isNum(x)) return numValue(x.num);
      if (typeof x === "boolean") return x ? 1 : 0;
      throw new Error(`expected numbers, found ${JSON.stringify(x)}`);
    });
  let data: TensorData;
  switch (base) {
    case DT.FLOAT:
      data = Float32Array.from(numbers());
      break;
    case DT.DOUBLE:
      data = Float64Array.from(numbers());
      break;
    case DT.INT32:
      data = Int32Array.from(numbers(), intCheck(-(2 ** 31), 2 ** 31 - 1));
      break;
    case DT.INT16:
      data = Int16Array.from(numbers(), intCheck(-32768, 32767));
      break;
    case DT.INT8:
      data = Int8Array.from(numbers(), intCheck(-128, 127));
      break;
    case DT.UINT8:
      data = Uint8Array.from(numbers(), intCheck(0, 255));
      break;
    case DT.UINT16:
      data = Uint16Array.from(numbers(), intCheck(0, 65535));
      break;
    case DT.UINT32:
      data = Uint32Array.from(numbers(), intCheck(0, 2 ** 32 - 1));
      break;
    case DT.INT64:
      data = BigInt64Array.from(flat.map((x) => bigIntOf(x)));
      break;
    case DT.UINT64:
      data = BigUint64Array.from(flat.map((x) => bigIntOf(x)));
      break;
    case DT.BOOL:
      data = Uint8Array.from(flat.map((x) => (x === true || (isNum(x) && numValue(x.num) !== 0) ? 1 : 0)));
      break;
    case DT.STRING: {
      const enc = new TextEncoder();
      data = flat.map((x) => enc.encode(typeof x === "string" ? x : isNum(x) ? x.num : JSON.stringify(x)));
      break;
    }
    default:
      throw new Error(`literal values of this dtype (${dtype}) are not supported; use a .npy file`);
  }
  return { dtype: base, shape, data };
}

function intCheck(min: number, max: number): (v: number) => number {
  return (v) => {
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${v} is not an integer in [${min}, ${max}]`);
    return v;
  };
}

function bigIntOf(x: Lit): bigint {
  if (isNum(x) && /^-?\d+$/.test(x.num)) return BigInt(x.num);
  throw new Error(`expected an integer, found ${isNum(x) ? x.num : JSON.stringify(x)}`);
}

export type FeatureValue =
  | { readonly kind: "float_list"; readonly values: number[] }
  | { readonly kind: "int64_list"; readonly values: string[] }
  | { readonly kind: "bytes_list"; readonly values: Uint8Array[] };

/**
 * tf.Example features from JSON: one object (`{"x": [2.0]}`) or a list of objects (a batch).
 * Numbers written with a point or exponent are floats, other numbers int64, strings bytes;
 * `{"float_list": [...]}` / `{"int64_list": [...]}` / `{"bytes_list": [...]}` force a kind.
 */
export function parseExampleJson(text: string): Map<string, FeatureValue>[] {
  const lit = parseLiteralJson(text);
  const list = Array.isArray(lit) ? lit : [lit];
  if (list.length === 0) throw new Error("no examples: give an object of features or a list of them");
  return list.map((ex, i) => {
    if (ex === null || typeof ex !== "object" || Array.isArray(ex) || isNum(ex))
      throw new Error(`example ${i}: expected an object of features`);
    const out = new Map<string, FeatureValue>();
    for (const [name, raw] of Object.entries(ex)) out.set(name, featureOf(name, raw));
    return out;
  });
}

function featureOf(name: string, raw: Lit): FeatureValue {
  let forced: FeatureValue["kind"] | undefined;
  let v = raw;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && !isNum(v)) {
    const keys = Object.keys(v);
    const k = keys[0];
    if (keys.length !== 1 || (k !== "float_list" && k !== "int64_list" && k !== "bytes_list"))
      throw new Error(`feature '${name}': expected a value, a list, or {float_list|int64_list|bytes_list: [...]}`);
    forced = k;
    v = (v as Record<string, Lit>)[k]!;
  }
  const flat: Lit[] = [];
  flatten(v, flat);
  const kind =
    forced ??
    (flat.some((x) => typeof x === "string")
      ? "bytes_list"
      : flat.every((x) => isNum(x) && /^-?\d+$/.test(x.num)) && flat.length > 0
        ? "int64_list"
        : "float_list");
  const enc = new TextEncoder();
  switch (kind) {
    case "bytes_list":
      return { kind, values: flat.map((x) => enc.encode(typeof x === "string" ? x : isNum(x) ? x.num : String(x))) };
    case "int64_list":
      return { kind, values: flat.map((x) => bigIntOf(x).toString()) };
    case "float_list":
      return {
        kind,
        values: flat.map((x) => {
          if (!isNum(x)) throw new Error(`feature '${name}': expected numbers`);
          return numValue(x.num);
        }),
      };
  }
}

/** One sample value of a dtype as a literal: `"text"` for strings, `true`, `7` for integers, `0.5` for floats. */
function sampleValue(dtype: number): string {
  const dt = dtype > 100 ? dtype - 100 : dtype;
  if (dt === DT.STRING) return '"text"';
  if (dt === DT.BOOL) return "true";
  if (dt === DT.FLOAT || dt === DT.DOUBLE || dt === 14 /* bfloat16 */ || dt === 19 /* half */) return "0.5";
  return "7";
}

/** Hints stay short whatever the signature declares (a hostile rank-12 `[4, 4, …]` must not build 4^12 values). */
const HINT_MAX_VALUES = 8;
const HINT_MAX_RANK = 8;

/**
 * An example literal for an input of `dtype` and `shape` (null: unknown rank), matching its rank:
 * `7` for int32[], `["text"]` for string[?], `[[0.5, 0.5, 0.5]]` for float32[?, 3]; a dimension is
 * abbreviated (`[0.5, … 784 values]`) when it is over 4 or when writing it out would pass 8 values,
 * unknown ones get one element; past rank 8 the hint only names the rank.
 */
export function literalHint(dtype: number, shape: readonly number[] | null): string {
  const v = sampleValue(dtype);
  if (shape === null) return `[${v}]`;
  if (shape.length > HINT_MAX_RANK)
    return `a nested list of rank ${shape.length}, e.g. ${"[".repeat(shape.length)}${v}${"]".repeat(shape.length)}`;
  const build = (dims: readonly number[], values: number): string => {
    if (dims.length === 0) return v;
    const [d, ...rest] = dims as [number, ...number[]];
    const n = d < 0 ? 1 : d;
    if (n > 4 || values * n > HINT_MAX_VALUES) return `[${build(rest, values)}, … ${d} values]`;
    const inner = build(rest, values * n);
    return `[${Array.from({ length: n }, () => inner).join(", ")}]`;
  };
  return build(shape, 1);
}

/** A feature a model parses from tf.Example protos (see core/savedmodel/examples.ts). */
export interface ExampleFeatureHint {
  readonly name: string;
  readonly dtype: number;
  readonly shape: readonly number[] | null;
}

const TEMPLATE_MAX_FEATURES = 100;

/** A one-example JSON template for `features` in parseExampleJson's notation (0.5 float, 7 int64, "text" bytes). */
export function exampleTemplate(features: readonly ExampleFeatureHint[]): string {
  const value = (f: ExampleFeatureHint) => {
    const size = f.shape && f.shape.length > 0 && f.shape.every((d) => d > 0) ? f.shape.reduce((a, b) => a * b, 1) : 1;
    const n = size <= 4 ? size : 1;
    const one = f.dtype === DT.STRING ? '"text"' : f.dtype === DT.INT64 ? "7" : "0.5";
    return `[${Array.from({ length: n }, () => one).join(", ")}]`;
  };
  // The first TEMPLATE_MAX_FEATURES only: a model may declare thousands (the prompt lists them all the same).
  return `[{${features
    .slice(0, TEMPLATE_MAX_FEATURES)
    .map((f) => `${JSON.stringify(f.name)}: ${value(f)}`)
    .join(", ")}}]`;
}
