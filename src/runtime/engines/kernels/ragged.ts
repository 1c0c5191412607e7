/**
 * Ragged tensors made dense: RaggedTensorToTensor for one ragged dimension (row partitions
 * ROW_SPLITS, or FIRST_DIM_SIZE + VALUE_ROWIDS as Keras TextVectorization writes them), with
 * TensorFlow's rules: rows padded with the default value, the `shape` input's known dims truncate.
 * RaggedRange (tf.ragged.range) and RaggedGather of rows of a ragged tensor with one ragged dimension.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../../plan.js";
import { aStrs } from "../attrs.js";
import { readRaw } from "../convert.js";
import type { Kernel, Value } from "../values.js";
import { invalid, numbersIn, product, tensorIn, unsupported, type KernelTable } from "./util.js";

/** Row index and position in the row of every value. */
function rowsOf(node: PlanNode, inputs: readonly Value[], types: string[], nvals: number): { row: number[]; nrows: number } {
  if (types.length === 1 && types[0] === "ROW_SPLITS") {
    const splits = numbersIn(node, inputs, 3);
    if (splits.length < 1 || splits[0] !== 0 || splits[splits.length - 1] !== nvals || splits.some((s, i) => i > 0 && s < splits[i - 1]!))
      throw invalid(node, `invalid row_splits: they must start at 0, never decrease and end at the number of values (${nvals})`);
    const row: number[] = [];
    for (let r = 0; r + 1 < splits.length; r++) for (let k = splits[r]!; k < splits[r + 1]!; k++) row.push(r);
    return { row, nrows: splits.length - 1 };
  }
  if (types.length === 2 && types[0] === "FIRST_DIM_SIZE" && types[1] === "VALUE_ROWIDS") {
    const nrows = numbersIn(node, inputs, 3)[0] ?? 0;
    const row = numbersIn(node, inputs, 4);
    if (row.length !== nvals) throw invalid(node, `value_rowids has ${row.length} entries for ${nvals} values`);
    if (row.some((r, i) => r < 0 || r >= nrows || (i > 0 && r < row[i - 1]!)))
      throw invalid(node, `value_rowids must be sorted and in [0, ${nrows})`);
    return { row, nrows };
  }
  throw unsupported(node, `row_partition_types [${types.join(", ")}] (one ragged dimension only)`);
}

const raggedToTensor: Kernel = (_c, node, inputs) => {
  const types = aStrs(node, "row_partition_types");
  const values = tensorIn(node, inputs, 1);
  const def = tensorIn(node, inputs, 2);
  const inner = values.shape.slice(1);
  const nvals = values.shape[0] ?? 0;
  const { row, nrows } = rowsOf(node, inputs, types, nvals);
  const col: number[] = [];
  row.forEach((r, i) => col.push(i > 0 && row[i - 1] === r ? col[i - 1]! + 1 : 0));
  const want = tensorIn(node, inputs, 0).rank === 0 ? [] : numbersIn(node, inputs, 0);
  const width = Math.max(0, ...col.map((c) => c + 1));
  const natural = [nrows, width, ...inner];
  if (want.length > 0 && want.length !== natural.length)
    throw invalid(node, `shape ${JSON.stringify(want)} must have rank ${natural.length}`);
  const shape = natural.map((d, i) => (want[i] !== undefined && want[i]! >= 0 ? want[i]! : d));
  if (shape.slice(2).some((d, i) => d !== inner[i])) throw unsupported(node, "a shape that changes the values' inner dimensions");
  const w = product(inner);
  // The default value broadcasts over every cell (a scalar, or one value per inner element).
  const defs = readRaw(def) as ArrayLike<number | Uint8Array>;
  if (defs.length !== 1 && defs.length !== w)
    throw invalid(node, `default_value of shape [${def.shape.join(",")}] does not broadcast to the values' inner shape`);
  const data = Array.from({ length: product(shape) }, (_, k) => defs[defs.length === 1 ? 0 : k % w]!);
  const src = readRaw(values) as ArrayLike<number | Uint8Array>;
  row.forEach((r, i) => {
    if (r >= shape[0]! || col[i]! >= shape[1]!) return;
    for (let j = 0; j < w; j++) data[(r * shape[1]! + col[i]!) * w + j] = src[i * w + j]!;
  });
  if (values.dtype === "string") return [tf.tensor(data as Uint8Array[], shape, "string")];
  return [tf.tensor(data as number[], shape, values.dtype)];
};

/** RaggedRange: one row per (start, limit, delta), broadcast; row i is start, start + delta, ... before limit. */
const raggedRange: Kernel = (_c, node, inputs) => {
  const args = [0, 1, 2].map((i) => tensorIn(node, inputs, i));
  if (args.some((a) => a.rank > 1)) throw invalid(node, "starts, limits and deltas must be scalars or vectors");
  const sizes = args.filter((a) => a.rank === 1).map((a) => a.shape[0]!);
  const n = sizes[0] ?? 1;
  if (sizes.some((k) => k !== n)) throw invalid(node, "starts, limits, and deltas must have the same shape");
  const [starts, limits, deltas] = args.map((a, i) => numbersIn(node, inputs, i)) as [number[], number[], number[]];
  const at = (v: number[], k: number) => v[v.length === 1 ? 0 : k]!;
  const splits = [0];
  const values: number[] = [];
  for (let k = 0; k < n; k++) {
    const [start, limit, delta] = [at(starts, k), at(limits, k), at(deltas, k)];
    if (delta === 0) throw invalid(node, "Requires delta != 0");
    const size = Math.max(0, Math.ceil((limit - start) / delta));
    for (let j = 0; j < size; j++) values.push(start + j * delta);
    splits.push(values.length);
  }
  return [tf.tensor1d(splits, "int32"), tf.tensor1d(values, args[0]!.dtype === "float32" ? "float32" : "int32")];
};

/** RaggedGather of whole rows (one ragged dimension, 1-D indices): the rows' values, new row splits. */
const raggedGather: Kernel = (_c, node, inputs) => {
  const rank = inputs.length - 2;
  if (rank !== 1 || tensorIn(node, inputs, 2).rank !== 1)
    throw unsupported(node, `RaggedGather with ${rank} ragged dimensions or indices of rank ${tensorIn(node, inputs, 2).rank}`);
  const splits = numbersIn(node, inputs, 0);
  const values = tensorIn(node, inputs, 1);
  const idx = numbersIn(node, inputs, 2);
  const nrows = splits.length - 1;
  const out = [0];
  const picks: number[] = [];
  idx.forEach((r, i) => {
    if (r < 0 || r >= nrows) throw invalid(node, `indices[${i}] = ${r} is not in [0, ${nrows})`);
    for (let k = splits[r]!; k < splits[r + 1]!; k++) picks.push(k);
    out.push(picks.length);
  });
  return [tf.tensor1d(out, "int32"), tf.gather(values, tf.tensor1d(picks, "int32"))];
};

export const RAGGED_KERNELS: KernelTable = [
  ["RaggedRange", raggedRange],
  ["RaggedGather", raggedGather],
  ["RaggedTensorToTensor", raggedToTensor],
];
