/**
 * TF1 TensorArrays (TensorArrayV3 and the ops on its handle), as tf.while_loop / dynamic_rnn exports
 * use them: the handle is a mutable list shared by every op that holds it, the float "flow" scalar
 * only orders reads after writes in the graph. Unwritten elements read as zeros when the element
 * shape is fully known, as in TensorFlow; otherwise it is TensorFlow's error.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../../plan.js";
import { aBool, aShape, aType } from "../attrs.js";
import { tfjsDtype } from "../convert.js";
import { isTensor, type Kernel, type TensorListValue, type Value } from "../values.js";
import { invalid, numbersIn, tensorIn, type KernelTable } from "./util.js";

interface ArrayInfo {
  readonly name: string;
  readonly dynamic: boolean;
  readonly clearAfterRead: boolean;
  /** Known element shape (-1 for unknown dimensions), null for unknown rank. */
  shape: number[] | null;
  readonly cleared: Set<number>;
}

const infos = new WeakMap<TensorListValue, ArrayInfo>();

function arrayIn(node: PlanNode, inputs: readonly Value[]): { list: TensorListValue; info: ArrayInfo } {
  const v = inputs[0];
  const info = v && !isTensor(v) && v.kind === "list" ? infos.get(v) : undefined;
  if (!info || !v || isTensor(v) || v.kind !== "list") throw invalid(node, "input 0 is not a TensorArray handle");
  return { list: v, info };
}

function flow(): tf.Tensor {
  return tf.scalar(0, "float32");
}

function shapeText(s: readonly number[] | null): string {
  return s === null ? "<unknown>" : `[${s.map((d) => (d < 0 ? "?" : d)).join(",")}]`;
}

/** Merges a written value's shape into the array's element shape (TensorFlow's compatibility rule). */
function checkShape(node: PlanNode, info: ArrayInfo, index: number, t: tf.Tensor): void {
  const s = info.shape;
  if (s !== null && (s.length !== t.rank || s.some((d, i) => d >= 0 && d !== t.shape[i])))
    throw invalid(
      node,
      `Could not write to TensorArray index ${index} because the value shape is [${t.shape.join(",")}] which is incompatible with the TensorArray's inferred element shape: ${shapeText(s)}`,
    );
  info.shape = [...t.shape];
}

function write(node: PlanNode, list: TensorListValue, info: ArrayInfo, index: number, t: tf.Tensor): void {
  if (t.dtype !== list.dtype) throw invalid(node, `TensorArray dtype is ${list.dtype} but Op is trying to write dtype ${t.dtype}`);
  if (index < 0) throw invalid(node, `Tried to write to index ${index} but array size is: ${list.items.length}`);
  if (index >= list.items.length) {
    if (!info.dynamic)
      throw invalid(node, `Tried to write to index ${index} but array is not resizeable and size is: ${list.items.length}`);
    while (list.items.length <= index) list.items.push(undefined);
  }
  checkShape(node, info, index, t);
  list.items[index] = t;
  info.cleared.delete(index);
}

function read(node: PlanNode, list: TensorListValue, info: ArrayInfo, index: number): tf.Tensor {
  if (index < 0 || index >= list.items.length)
    throw invalid(node, `Tried to read from index ${index} but array size is: ${list.items.length}`);
  if (info.cleared.has(index))
    throw invalid(
      node,
      `TensorArray ${info.name}: Could not read index ${index} twice because it was cleared after a previous read (perhaps try setting clear_after_read = false?).`,
    );
  const t = list.items[index];
  if (info.clearAfterRead) {
    list.items[index] = undefined;
    if (t) info.cleared.add(index);
  }
  if (t) return t;
  const s = info.shape;
  if (s === null || s.some((d) => d < 0))
    throw invalid(
      node,
      `TensorArray ${info.name}: Could not read from TensorArray index ${index}.  Furthermore, the element shape is not fully defined: ${shapeText(s)}.`,
    );
  return tf.zeros(s, list.dtype);
}

const create: Kernel = (_c, node, inputs) => {
  const size = numbersIn(node, inputs, 0)[0] ?? 0;
  if (size < 0) throw invalid(node, `Size should be >= 0, got ${size}`);
  const dtype = tfjsDtype(aType(node, "dtype"));
  const shape = aShape(node, "element_shape");
  const list: TensorListValue = { kind: "list", items: new Array<tf.Tensor | undefined>(size).fill(undefined), dtype };
  infos.set(list, {
    name: node.name,
    dynamic: aBool(node, "dynamic_size"),
    clearAfterRead: aBool(node, "clear_after_read", true),
    shape: shape ? [...shape] : null,
    cleared: new Set(),
  });
  return [list, flow()];
};

const writeK: Kernel = (_c, node, inputs) => {
  const { list, info } = arrayIn(node, inputs);
  write(node, list, info, numbersIn(node, inputs, 1)[0] ?? 0, tensorIn(node, inputs, 2));
  return [flow()];
};

const readK: Kernel = (_c, node, inputs) => {
  const { list, info } = arrayIn(node, inputs);
  return [read(node, list, info, numbersIn(node, inputs, 1)[0] ?? 0)];
};

const scatterK: Kernel = (_c, node, inputs) => {
  const { list, info } = arrayIn(node, inputs);
  const idx = numbersIn(node, inputs, 1);
  const t = tensorIn(node, inputs, 2);
  if (t.rank < 1 || t.shape[0] !== idx.length)
    throw invalid(node, `Expected len(indices) == values.shape[0], but saw: ${idx.length} vs. ${t.rank < 1 ? "a scalar" : t.shape[0]}`);
  const rows = tf.unstack(t);
  idx.forEach((k, j) => write(node, list, info, k, rows[j]!));
  return [flow()];
};

const gatherK: Kernel = (_c, node, inputs) => {
  const { list, info } = arrayIn(node, inputs);
  const idx = numbersIn(node, inputs, 1);
  if (idx.length === 0) {
    const s = info.shape ?? [];
    return [tf.zeros([0, ...s.map((d) => Math.max(d, 0))], list.dtype)];
  }
  return [tf.stack(idx.map((k) => read(node, list, info, k)))];
};

const sizeK: Kernel = (_c, node, inputs) => [tf.scalar(arrayIn(node, inputs).list.items.length, "int32")];

const concatK: Kernel = (_c, node, inputs) => {
  const { list, info } = arrayIn(node, inputs);
  const parts = list.items.map((_, k) => read(node, list, info, k));
  if (parts.some((p) => p.rank === 0)) throw invalid(node, "Concat saw a scalar shape at index 0 but requires at least vectors");
  const rest = (info.shape ?? []).slice(1).map((d) => Math.max(d, 0));
  const out = parts.length === 0 ? tf.zeros([0, ...rest], list.dtype) : tf.concat(parts, 0);
  return [out, tf.tensor(Int32Array.from(parts.map((p) => p.shape[0]!)), [parts.length], "int32")];
};

const splitK: Kernel = (_c, node, inputs) => {
  const { list, info } = arrayIn(node, inputs);
  const t = tensorIn(node, inputs, 1);
  const lengths = numbersIn(node, inputs, 2);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (t.rank < 1 || total !== t.shape[0])
    throw invalid(
      node,
      `Expected sum of lengths to be equal to values.shape[0], but sum of lengths is ${total} and value's shape is: [${t.shape.join(",")}]`,
    );
  const parts = lengths.length > 0 ? tf.split(t, lengths, 0) : [];
  parts.forEach((p, k) => write(node, list, info, k, p));
  return [flow()];
};

export const TENSOR_ARRAY_KERNELS: KernelTable = [
  ["TensorArrayV3", create],
  ["TensorArrayWriteV3", writeK],
  ["TensorArrayReadV3", readK],
  ["TensorArrayScatterV3", scatterK],
  ["TensorArrayGatherV3", gatherK],
  ["TensorArraySizeV3", sizeK],
  ["TensorArrayConcatV3", concatK],
  ["TensorArraySplitV3", splitK],
  ["TensorArrayCloseV3", () => []],
];
