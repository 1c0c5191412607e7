/**
 * Typed inputs, the one pipeline of the CLI (`--input_exprs`, `--input_examples`), the debugger and
 * Run Signature: a safe parser (no eval) of Python/JSON literals — nested lists and tuples of numbers,
 * strings ('single' or "double" quoted), True/False/None — converted to a HostTensor of the input's
 * dtype; tf.Example features from the same notation; short hints for what to type. Numbers keep their
 * source text, so `2.0` stays a float and `2` an int64 in a tf.Example. Errors are StudioError
 * INVALID_INPUT naming what is wrong and where.
 */
import { baseType, DataType, dtypeShortName } from "../dtype.js";
import { StudioError } from "../errors.js";
import type { HostTensor, TensorData } from "../tensor.js";

type Num = { readonly num: string };
export type Lit = Num | string | boolean | null | Lit[] | { [k: string]: Lit };

const DT = {
  FLOAT: DataType.DT_FLOAT,
  DOUBLE: DataType.DT_DOUBLE,
  INT32: DataType.DT_INT32,
  UINT8: DataType.DT_UINT8,
  INT16: DataType.DT_INT16,
  INT8: DataType.DT_INT8,
  STRING: DataType.DT_STRING,
  INT64: DataType.DT_INT64,
  BOOL: DataType.DT_BOOL,
  UINT16: DataType.DT_UINT16,
  UINT32: DataType.DT_UINT32,
  UINT64: DataType.DT_UINT64,
  HALF: DataType.DT_HALF,
  BFLOAT16: DataType.DT_BFLOAT16,
};

const bad = (message: string) => new StudioError("INVALID_INPUT", message);

const MAX_DEPTH = 64;
const NUMBER = /^(?:[-+]?(?:inf|nan|infinity|Infinity|NaN)\b|[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))/;
const WORDS: Record<string, Lit> = { True: true, true: true, False: false, false: false, None: null, null: null };
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0" };

/** Parses a literal: nested lists/tuples of numbers, strings and booleans, and dicts (tf.Example features). */
export function parseLiteral(text: string): Lit {
  const p = new LiteralParser(text);
  const v = p.value(0);
  p.ws();
  if (!p.done()) p.fail("unexpected trailing text");
  return v;
}

class LiteralParser {
  private i = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.i >= this.text.length;
  }

  fail(what: string): never {
    const t = this.text;
    throw bad(`cannot parse literal '${t.length > 60 ? t.slice(0, 60) + "…" : t}': ${what} at offset ${this.i}`);
  }

  ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  value(depth: number): Lit {
    this.ws();
    const c = this.text[this.i];
    if (c === undefined) return this.fail("unexpected end");
    if (depth > MAX_DEPTH) return this.fail("nested too deeply");
    if (c === "[" || c === "(") return this.list(c === "[" ? "]" : ")", depth);
    if (c === "{") return this.dict(depth);
    if (c === '"' || c === "'") return this.string(c);
    const word = /^[A-Za-z]+/.exec(this.text.slice(this.i))?.[0];
    if (word !== undefined && word in WORDS) {
      this.i += word.length;
      return WORDS[word]!;
    }
    const m = NUMBER.exec(this.text.slice(this.i));
    if (!m) return this.fail("expected a number, string, bool or list");
    this.i += m[0].length;
    return { num: m[0] };
  }

  private items(close: string, item: () => void): void {
    this.i++;
    this.ws();
    while (this.text[this.i] !== close) {
      if (this.done()) this.fail(`expected '${close}'`);
      item();
      this.ws();
      if (this.text[this.i] === ",") this.i++;
      else if (this.text[this.i] !== close) this.fail(`expected ',' or '${close}'`);
      this.ws();
    }
    this.i++;
  }

  private list(close: string, depth: number): Lit[] {
    const out: Lit[] = [];
    this.items(close, () => out.push(this.value(depth + 1)));
    return out;
  }

  private dict(depth: number): { [k: string]: Lit } {
    const out: { [k: string]: Lit } = {};
    this.items("}", () => {
      const k = this.value(depth + 1);
      if (typeof k !== "string") this.fail("dict keys must be strings");
      this.ws();
      if (this.text[this.i++] !== ":") this.fail("expected ':'");
      out[k as string] = this.value(depth + 1);
    });
    return out;
  }

  private string(quote: string): string {
    this.i++;
    let s = "";
    while (this.text[this.i] !== quote) {
      if (this.done()) this.fail("unterminated string");
      if (this.text[this.i] === "\\") {
        const e = this.text[this.i + 1] ?? "";
        s += ESCAPES[e] ?? e;
        this.i += 2;
      } else s += this.text[this.i++];
    }
    this.i++;
    return s;
  }
}

function isNum(v: Lit): v is Num {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof (v as Num).num === "string";
}

function numValue(s: string): number {
  const t = s.toLowerCase().replace(/^\+/, "");
  if (t === "nan" || t === "-nan") return NaN;
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
    if (s.length !== inner.length || s.some((d, i) => d !== inner[i])) throw bad("ragged list: every row must have the same length");
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
  const lit = parseLiteral(text);
  let shape = shapeOf(lit);
  if (want && want.length > shape.length) {
    const extra = want.length - shape.length;
    if (want.slice(0, extra).every((d) => d === -1 || d === 1)) shape = [...Array<number>(extra).fill(1), ...shape];
  }
  const flat: Lit[] = [];
  flatten(lit, flat);
  const base = baseType(dtype) || (flat.some((x) => typeof x === "string") ? DT.STRING : DT.FLOAT);
  const numbers = () =>
    flat.map((x) => {
      if (isNum(x)) return numValue(x.num);
      if (typeof x === "boolean") return x ? 1 : 0;
      throw bad(`expected numbers, found ${JSON.stringify(x)}`);
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
      throw bad(`literal values of ${dtypeShortName(base)} are not supported; use a .npy file`);
  }
  return { dtype: base, shape, data };
}

function intCheck(min: number, max: number): (v: number) => number {
  return (v) => {
    if (!Number.isInteger(v) || v < min || v > max) throw bad(`${v} is not an integer in [${min}, ${max}]`);
    return v;
  };
}

function bigIntOf(x: Lit): bigint {
  if (isNum(x) && /^-?\d+$/.test(x.num)) return BigInt(x.num);
  throw bad(`expected an integer, found ${isNum(x) ? x.num : JSON.stringify(x)}`);
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
  const lit = parseLiteral(text);
  const list = Array.isArray(lit) ? lit : [lit];
  if (list.length === 0) throw bad("no examples: give an object of features or a list of them");
  return list.map((ex, i) => {
    if (ex === null || typeof ex !== "object" || Array.isArray(ex) || isNum(ex)) throw bad(`example ${i}: expected an object of features`);
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
      throw bad(`feature '${name}': expected a value, a list, or {float_list|int64_list|bytes_list: [...]}`);
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
          if (!isNum(x)) throw bad(`feature '${name}': expected numbers`);
          return numValue(x.num);
        }),
      };
  }
}

/** One sample value of a dtype as a literal: `"text"` for strings, `true`, `7` for integers, `0.5` for floats. */
function sampleValue(dtype: number): string {
  const dt = baseType(dtype);
  if (dt === DT.STRING) return '"text"';
  if (dt === DT.BOOL) return "true";
  if (dt === DT.FLOAT || dt === DT.DOUBLE || dt === DT.BFLOAT16 || dt === DT.HALF) return "0.5";
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
