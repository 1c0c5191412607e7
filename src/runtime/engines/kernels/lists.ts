/**
 * The TensorList family (TF2 loops' lists): Reserve, Empty, FromTensor, Get/SetItem, PushBack,
 * Length, Stack, Resize, PopBack, Gather, Scatter(IntoExistingList), ElementShape, Concat(V2), Split. Lists are values ({kind: "list"}); unset
 * elements read as zeros of the element shape, as in TensorFlow.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../../core/errors.js";
import { DataType } from "../../../core/dtype.js";
import { elementCount } from "../../../core/tensor.js";
import type { PlanNode } from "../../plan.js";
import { aType } from "../attrs.js";
import { tfjsDtype } from "../convert.js";
import { isTensor, type Kernel, type TensorListValue, type Value } from "../values.js";
import { ints, invalid, numbersIn, scalar, tensorIn, tensorIn as T, type KernelTable } from "./util.js";

function listIn(node: PlanNode, inputs: readonly Value[], i: number): TensorListValue {
  const v = inputs[i];
  if (v && !isTensor(v) && v.kind === "list") return v;
  throw invalid(node, `input ${i} is not a tensor list`);
}

/** Element `k` (zeros of the known element shape when unset). */
function item(node: PlanNode, l: TensorListValue, k: number, shape: readonly number[]): tf.Tensor {
  if (k < 0 || k >= l.items.length) throw invalid(node, `Trying to access element ${k} in a list with ${l.items.length} elements.`);
  const it = l.items[k];
  if (it) return it;
  const known = l.items.find((x) => x)?.shape ?? shape;
  if (known.some((d) => d < 0)) throw invalid(node, `Trying to read an unset element ${k} whose shape is not known`);
  return tf.zeros([...known], l.dtype);
}

const resize: Kernel = (_c, node, inputs) => {
  const l = listIn(node, inputs, 0);
  const size = numbersIn(node, inputs, 1)[0] ?? 0;
  if (size < 0) throw invalid(node, `TensorListSlice expects size to be non-negative. Got: ${size}`);
  const items = l.items.slice(0, size);
  while (items.length < size) items.push(undefined);
  return [{ kind: "list", items, dtype: l.dtype }];
};

const popBack: Kernel = (_c, node, inputs) => {
  const l = listIn(node, inputs, 0);
  if (l.items.length === 0) throw invalid(node, "Trying to pop from an empty list.");
  const shape = numbersIn(node, inputs, 1);
  const last = item(node, l, l.items.length - 1, shape);
  return [{ kind: "list", items: l.items.slice(0, -1), dtype: l.dtype }, last];
};

const gather: Kernel = (_c, node, inputs) => {
  const l = listIn(node, inputs, 0);
  const idx = numbersIn(node, inputs, 1);
  const shape = numbersIn(node, inputs, 2);
  if (idx.length === 0) return [tf.zeros([0, ...shape.map((d) => Math.max(d, 0))], l.dtype)];
  return [tf.stack(idx.map((k) => item(node, l, k, shape)))];
};

function scatter(into: boolean): Kernel {
  return (_c, node, inputs) => {
    const t = tensorIn(node, inputs, into ? 1 : 0);
    const idx = numbersIn(node, inputs, into ? 2 : 1);
    if (t.rank < 1 || t.shape[0] !== idx.length)
      throw invalid(node, `Invalid number of rows in input tensor: ${t.shape[0]} vs ${idx.length} indices`);
    const base = into ? listIn(node, inputs, 0) : undefined;
    const size = into ? base!.items.length : Math.max(numbersIn(node, inputs, 3)[0] ?? -1, ...idx.map((k) => k + 1));
    const items: (tf.Tensor | undefined)[] = base ? [...base.items] : new Array(size).fill(undefined);
    const rows = tf.unstack(t);
    idx.forEach((k, j) => {
      if (k < 0 || k >= items.length) throw invalid(node, `Trying to scatter at index ${k} in list with size ${items.length}`);
      items[k] = rows[j];
    });
    return [{ kind: "list", items, dtype: base?.dtype ?? t.dtype }];
  };
}

const elementShape: Kernel = (_c, node, inputs) => {
  const l = listIn(node, inputs, 0);
  const first = l.items.find((x) => x);
  return [tf.tensor(Int32Array.from(first ? first.shape : [-1]), [first ? first.rank : 1], "int32")];
};

const concat: Kernel = (_c, node, inputs) => {
  const l = listIn(node, inputs, 0);
  const shape = numbersIn(node, inputs, 1);
  const parts = l.items.map((_, k) => item(node, l, k, shape));
  if (parts.some((p) => p.rank === 0)) throw invalid(node, "Concat requires elements to be at least vectors");
  const out = parts.length === 0 ? tf.zeros([0, ...shape.slice(1).map((d) => Math.max(d, 0))], l.dtype) : tf.concat(parts, 0);
  return [out, tf.tensor(Int32Array.from(parts.map((p) => p.shape[0]!)), [parts.length], "int32")];
};

/** TensorListSplit: the rows of a tensor cut into consecutive pieces of the given lengths. */
const split: Kernel = (_c, node, inputs) => {
  const t = tensorIn(node, inputs, 0);
  const lengths = numbersIn(node, inputs, 2);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (t.rank < 1) throw invalid(node, "Tensor must be at least a vector, but saw shape: []");
  if (lengths.some((n) => n < 0) || total !== t.shape[0])
    throw invalid(
      node,
      `Expected lengths to be non-negative and to sum to ${t.shape[0]}, the first dimension of the tensor, got [${lengths.join(",")}]`,
    );
  return [{ kind: "list", items: lengths.length > 0 ? tf.split(t, lengths, 0) : [], dtype: t.dtype }];
};

export const LIST_KERNELS: KernelTable = [
  ["TensorListSplit", split],
  [
    "TensorListReserve",
    (_c, n, i) => [
      {
        kind: "list",
        items: Array<tf.Tensor | undefined>(elementCount([Math.max(0, scalar(T(n, i, 1)))], n.name)).fill(undefined),
        dtype: tfjsDtype(aType(n, "element_dtype", DataType.DT_FLOAT)),
      },
    ],
  ],
  ["EmptyTensorList", (_c, n) => [{ kind: "list", items: [], dtype: tfjsDtype(aType(n, "element_dtype", DataType.DT_FLOAT)) }]],
  ["TensorListFromTensor", (_c, n, i) => [{ kind: "list", items: tf.unstack(T(n, i, 0)), dtype: T(n, i, 0).dtype }]],
  [
    "TensorListGetItem",
    (_c, n, i) => {
      const l = listIn(n, i, 0);
      const k = scalar(T(n, i, 1));
      const it = l.items[k];
      if (!it) {
        const shape = ints(T(n, i, 2));
        if (shape.some((d) => d < 0))
          throw new StudioError("ENGINE", `${n.name}: TensorListGetItem of an unset element with unknown shape`);
        return [tf.zeros(shape, l.dtype)];
      }
      return [it];
    },
  ],
  [
    "TensorListSetItem",
    (_c, n, i) => {
      const l = listIn(n, i, 0);
      const items = [...l.items];
      items[scalar(T(n, i, 1))] = T(n, i, 2);
      return [{ kind: "list", items, dtype: l.dtype }];
    },
  ],
  [
    "TensorListPushBack",
    (_c, n, i) => {
      const l = listIn(n, i, 0);
      return [{ kind: "list", items: [...l.items, T(n, i, 1)], dtype: l.dtype }];
    },
  ],
  ["TensorListLength", (_c, n, i) => [tf.scalar(listIn(n, i, 0).items.length, "int32")]],
  [
    "TensorListStack",
    (_c, n, i) => {
      const l = listIn(n, i, 0);
      const shape = ints(T(n, i, 1));
      if (l.items.length === 0) return [tf.zeros([0, ...shape.map((d) => Math.max(d, 0))], l.dtype)];
      const first = l.items.find((x) => x);
      const items = l.items.map((x) => x ?? tf.zeros(first ? first.shape : shape, l.dtype));
      return [tf.stack(items)];
    },
  ],
  ["TensorListResize", resize],
  ["TensorListPopBack", popBack],
  ["TensorListGather", gather],
  ["TensorListScatterIntoExistingList", scatter(true)],
  ["TensorListScatterV2", scatter(false)],
  ["TensorListElementShape", elementShape],
  ["TensorListConcatV2", concat],
];
