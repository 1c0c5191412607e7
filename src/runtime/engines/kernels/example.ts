/**
 * tf.Example parsing (ParseExample, ParseExampleV2): the serialized protos are decoded here, dense
 * features filled from their defaults, sparse ones returned as indices / values / shape.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../../core/errors.js";
import { DataType, dtypeName } from "../../../core/dtype.js";
import { tensorflow } from "../../../core/proto/index.js";
import type { PlanNode } from "../../plan.js";
import { toBigInt, toNumber } from "../../tensorproto.js";
import { NarrowingError, readRaw, tfjsDtype } from "../convert.js";
import { aInt, aShapes, aTypes } from "../attrs.js";
import type { Kernel, Value } from "../values.js";
import { host, product, strings, tensorIn as T, type KernelTable } from "./util.js";

const utf8 = new TextDecoder();

interface DenseSpec {
  key: string;
  dtype: number;
  shape: number[];
  def: tf.Tensor;
}
interface SparseSpec {
  key: string;
  dtype: number;
}

function featureValues(f: tensorflow.Feature.$Properties | undefined, dtype: number, where: string): (number | Uint8Array)[] | undefined {
  if (!f) return undefined;
  if (dtype === DataType.DT_FLOAT) {
    if (f.float_list) return f.float_list.value ?? [];
  } else if (dtype === DataType.DT_INT64) {
    if (f.int64_list) {
      return (f.int64_list.value ?? []).map((v) => {
        const n = toNumber(v);
        if (n > 2147483647 || n < -2147483648)
          throw new NarrowingError(`${where}: int64 feature value ${n} does not fit the embedded engine's int32`);
        return n;
      });
    }
  } else if (dtype === DataType.DT_STRING) {
    if (f.bytes_list) return f.bytes_list.value ?? [];
  }
  if (!f.bytes_list && !f.float_list && !f.int64_list) return [];
  throw new StudioError("INVALID_INPUT", `${where}: feature has the wrong type (expected ${dtypeName(dtype)})`);
}

function parseExamples(node: PlanNode, serialized: tf.Tensor, dense: DenseSpec[], sparse: SparseSpec[]): Value[] {
  const records = strings(serialized);
  const scalarInput = serialized.shape.length === 0;
  const batch = records.length;
  const examples = records.map((r, i) => {
    try {
      return tensorflow.Example.decode(r).features?.feature ?? {};
    } catch (e) {
      throw new StudioError("INVALID_INPUT", `${node.name}: serialized example ${i} is not a valid tf.Example`, undefined, { cause: e });
    }
  });
  const sIdx: Value[] = [];
  const sVal: Value[] = [];
  const sShape: Value[] = [];
  for (const s of sparse) {
    const idx: number[] = [];
    const vals: (number | Uint8Array)[] = [];
    let maxLen = 0;
    let wide = false;
    examples.forEach((ex, b) => {
      let v: (number | Uint8Array)[];
      try {
        v = featureValues(ex[s.key], s.dtype, `${node.name}: feature '${s.key}'`) ?? [];
      } catch (e) {
        if (!(e instanceof NarrowingError)) throw e;
        wide = true;
        v = (ex[s.key]?.int64_list?.value ?? []).map(() => 0);
      }
      v.forEach((x, j) => {
        if (scalarInput) idx.push(j);
        else idx.push(b, j);
        vals.push(x);
      });
      maxLen = Math.max(maxLen, v.length);
    });
    const rank = scalarInput ? 1 : 2;
    sIdx.push(tf.tensor(Int32Array.from(idx), [vals.length, rank], "int32"));
    if (wide) {
      const all = examples.flatMap((ex) => (ex[s.key]?.int64_list?.value ?? []).map((x) => toBigInt(x as Parameters<typeof toBigInt>[0])));
      sVal.push({ kind: "int64", data: BigInt64Array.from(all), shape: [all.length] });
    } else sVal.push(host(tfjsDtype(s.dtype), [vals.length], vals));
    sShape.push(tf.tensor(Int32Array.from(scalarInput ? [maxLen] : [batch, maxLen]), [rank], "int32"));
  }
  const dVals: Value[] = [];
  for (const d of dense) {
    const n = product(d.shape);
    const all: (number | Uint8Array)[] = [];
    const defVals = d.def.size > 0 ? (readRaw(d.def) as ArrayLike<number> | Uint8Array[]) : undefined;
    let poison: Value | undefined;
    examples.forEach((ex, b) => {
      let v: (number | Uint8Array)[] | undefined;
      try {
        v = featureValues(ex[d.key], d.dtype, `${node.name}: feature '${d.key}'`);
      } catch (e) {
        if (!(e instanceof NarrowingError)) throw e;
        poison = { kind: "poison", error: e };
        v = Array<number>(n).fill(0);
      }
      if (v === undefined || (v.length === 0 && defVals)) {
        if (!defVals) throw new StudioError("INVALID_INPUT", `${node.name}: example ${b} lacks the required feature '${d.key}'`);
        for (let i = 0; i < n; i++) all.push((defVals as ArrayLike<number | Uint8Array>)[defVals.length === 1 ? 0 : i]!);
        return;
      }
      if (v.length !== n) {
        throw new StudioError(
          "INVALID_INPUT",
          `${node.name}: feature '${d.key}' of example ${b} has ${v.length} values, the parse spec wants shape [${d.shape.join(", ")}]`,
        );
      }
      all.push(...v);
    });
    dVals.push(poison ?? host(tfjsDtype(d.dtype), scalarInput ? d.shape : [batch, ...d.shape], all));
  }
  return [...sIdx, ...sVal, ...sShape, ...dVals];
}

const parseExample: Kernel = (_ctx, node, inputs) => {
  const nS = aInt(node, "Nsparse");
  const nD = aInt(node, "Ndense");
  const sTypes = aTypes(node, "sparse_types");
  const dTypes = aTypes(node, "Tdense");
  const dShapes = aShapes(node, "dense_shapes");
  const key = (i: number) => utf8.decode(strings(T(node, inputs, i))[0] ?? new Uint8Array());
  const sparse = Array.from({ length: nS }, (_, i) => ({ key: key(2 + i), dtype: sTypes[i] ?? DataType.DT_FLOAT }));
  const dense = Array.from({ length: nD }, (_, i) => ({
    key: key(2 + nS + i),
    dtype: dTypes[i] ?? DataType.DT_FLOAT,
    shape: (dShapes[i] ?? []).map((d) => Math.max(d, 0)),
    def: T(node, inputs, 2 + nS + nD + i),
  }));
  return parseExamples(node, T(node, inputs, 0), dense, sparse);
};

const parseExampleV2: Kernel = (_ctx, node, inputs) => {
  const nS = aInt(node, "num_sparse");
  const sTypes = aTypes(node, "sparse_types");
  const dTypes = aTypes(node, "Tdense");
  const dShapes = aShapes(node, "dense_shapes");
  if (aTypes(node, "ragged_value_types").length > 0) {
    throw new StudioError("UNSUPPORTED_OP", `${node.name}: ParseExampleV2 with ragged features is not supported by the embedded engine`);
  }
  const sKeys = strings(T(node, inputs, 2)).map((b) => utf8.decode(b));
  const dKeys = strings(T(node, inputs, 3)).map((b) => utf8.decode(b));
  const sparse = sKeys.slice(0, nS).map((k, i) => ({ key: k, dtype: sTypes[i] ?? DataType.DT_FLOAT }));
  const dense = dKeys.map((k, i) => ({
    key: k,
    dtype: dTypes[i] ?? DataType.DT_FLOAT,
    shape: (dShapes[i] ?? []).map((d) => Math.max(d, 0)),
    def: T(node, inputs, 5 + i),
  }));
  return parseExamples(node, T(node, inputs, 0), dense, sparse);
};

export const EXAMPLE_KERNELS: KernelTable = [
  ["ParseExample", parseExample],
  ["ParseExampleV2", parseExampleV2],
];
