/**
 * Splat constants (issue 17): a numeric Const whose value lists hold one value (or none: zeros) for a
 * large shape is a few bytes in the file and many at run time. Decoding it the general way builds the
 * whole host array and then copies it into the backend (on wasm both stay until the next GC: twice the
 * memory, and the budget counts it once per constant). Here the one value is decoded as a scalar (same
 * dtype rules and narrowing as any constant) and the backend fills the shape itself: one allocation.
 */
import * as tf from "@tensorflow/tfjs-core";
import { DataType, baseType } from "../../core/dtype.js";
import { denseByteSize } from "../../core/tensor.js";
import type { tensorflow } from "../../core/proto/index.js";
import { decodeTensorProto, shapeFromProto } from "../tensorproto.js";
import { toTfTensor } from "./convert.js";

/** Below this many elements the general path is as good. */
const MIN_SPLAT_ELEMENTS = 4096;

const VALUE_LISTS = ["float_val", "double_val", "int_val", "int64_val", "uint32_val", "uint64_val", "bool_val", "half_val"] as const;

/** The backend tensor of a splat TensorProto, or undefined when `t` is not one (decode it the general way). */
export function splatTensor(t: tensorflow.TensorProto.$Properties | null | undefined, where: string): tf.Tensor | undefined {
  if (!t || (t.tensor_content && t.tensor_content.length > 0)) return undefined;
  const dtype = baseType(t.dtype ?? DataType.DT_INVALID);
  if (dtype === DataType.DT_STRING || dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128) return undefined;
  const shape = shapeFromProto(t.tensor_shape);
  if (!shape || shape.some((d) => d < 0)) return undefined;
  const values = VALUE_LISTS.reduce((a, k) => a + ((t[k] as unknown[] | null | undefined)?.length ?? 0), 0);
  if (values > 1) return undefined;
  denseByteSize(dtype, shape, where); // the per-tensor limit, as for any constant
  if (shape.reduce((a, d) => a * d, 1) < MIN_SPLAT_ELEMENTS) return undefined;
  const scalar = toTfTensor(decodeTensorProto({ ...t, tensor_shape: { dim: [] } }, where), where);
  try {
    const v = scalar.dataSync()[0] ?? 0;
    return tf.fill(shape, v as number, scalar.dtype);
  } finally {
    scalar.dispose();
  }
}
