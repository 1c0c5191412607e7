/**
 * TensorProto (Const values, attr tensors, signature defaults) -> HostTensor.
 * Dense `tensor_content` (little-endian) or the typed `*_val` lists, where a shorter list repeats its
 * last element to fill the shape (TensorFlow's compact encoding of splats).
 */
import { LimitError, StudioError } from "../core/errors.js";
import { DEFAULT_LIMITS, STRING_ELEMENT_COST } from "../core/limits.js";
import { DataType, baseType, dtypeName } from "../core/dtype.js";
import type { tensorflow } from "../core/proto/index.js";
import { allocData, denseByteSize, elementCount, fromLittleEndianBytes, type HostTensor, type NumericData } from "../core/tensor.js";

type LongLike = number | { toString(): string; low: number; high: number; unsigned?: boolean };

export function toBigInt(v: LongLike | null | undefined, unsigned = false): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  const lo = BigInt(v.low >>> 0);
  const hi = BigInt(v.high | 0);
  const x = (hi << 32n) | lo;
  return unsigned ? BigInt.asUintN(64, x) : BigInt.asIntN(64, x);
}

export function toNumber(v: LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === "number") return v;
  return Number(toBigInt(v));
}

export function shapeFromProto(s: tensorflow.TensorShapeProto.$Properties | null | undefined): number[] | null {
  if (!s) return [];
  if (s.unknown_rank) return null;
  return (s.dim ?? []).map((d) => toNumber(d.size as LongLike));
}

/** Decodes a TensorProto; `where` names the node for errors. */
export function decodeTensorProto(t: tensorflow.TensorProto.$Properties, where: string): HostTensor {
  const dtype = baseType(t.dtype ?? DataType.DT_INVALID);
  const shape = shapeFromProto(t.tensor_shape);
  if (shape === null || shape.some((d) => d < 0)) throw new StudioError("GRAPH", `${where}: tensor value has an unknown shape`);
  const n = elementCount(shape, where);
  // A splat (one value, a huge shape) must not drive an allocation beyond the byte budget.
  if (dtype === DataType.DT_STRING) {
    if (n * STRING_ELEMENT_COST > DEFAULT_LIMITS.maxTensorBytes)
      throw new LimitError(where, `string tensor of shape [${shape.join(", ")}] is over the ${DEFAULT_LIMITS.maxTensorBytes}-byte budget`);
  } else if (!(t.tensor_content && t.tensor_content.length > 0)) denseByteSize(dtype, shape, where);
  if (dtype === DataType.DT_STRING) {
    const vals = t.string_val ?? [];
    const out: Uint8Array[] = [];
    for (let i = 0; i < n; i++) out.push(vals[Math.min(i, vals.length - 1)] ?? new Uint8Array(0));
    return { dtype, shape, data: out };
  }
  const content = t.tensor_content;
  if (content && content.length > 0) {
    let data: NumericData;
    try {
      // A fresh copy: protobufjs may hand out Node Buffers at unaligned pool offsets.
      data = fromLittleEndianBytes(dtype, new Uint8Array(content));
    } catch (e) {
      throw new StudioError("GRAPH", `${where}: cannot decode ${dtypeName(dtype)} tensor_content`, undefined, { cause: e });
    }
    const per = dtype === DataType.DT_COMPLEX64 || dtype === DataType.DT_COMPLEX128 ? 2 : 1;
    if (data.length !== n * per) throw new StudioError("GRAPH", `${where}: tensor_content holds ${data.length} elements, shape needs ${n}`);
    return { dtype, shape, data };
  }
  let data: NumericData;
  try {
    data = allocData(dtype, n) as NumericData;
  } catch (e) {
    throw new StudioError("GRAPH", `${where}: unsupported tensor dtype ${dtypeName(dtype)}`, undefined, { cause: e });
  }
  const fill = <T>(vals: readonly T[] | null | undefined, conv: (v: T) => number | bigint) => {
    if (!vals || vals.length === 0) return;
    for (let i = 0; i < n; i++) (data as unknown as (number | bigint)[])[i] = conv(vals[Math.min(i, vals.length - 1)]!);
  };
  switch (dtype) {
    case DataType.DT_FLOAT:
      fill(t.float_val, Number);
      break;
    case DataType.DT_DOUBLE:
      fill(t.double_val, Number);
      break;
    case DataType.DT_INT32:
    case DataType.DT_INT16:
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
    case DataType.DT_UINT16:
      fill(t.int_val, Number);
      break;
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      fill(t.half_val, Number);
      break;
    case DataType.DT_BOOL:
      fill(t.bool_val, (b) => (b ? 1 : 0));
      break;
    case DataType.DT_INT64:
      fill(t.int64_val as LongLike[] | undefined, (v) => toBigInt(v));
      break;
    case DataType.DT_UINT64:
      fill(t.uint64_val as LongLike[] | undefined, (v) => toBigInt(v, true));
      break;
    case DataType.DT_UINT32:
      fill(t.uint32_val, Number);
      break;
    default:
      throw new StudioError("GRAPH", `${where}: unsupported tensor dtype ${dtypeName(dtype)}`);
  }
  return { dtype, shape, data };
}
