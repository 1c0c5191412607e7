/**
 * HostTensor <-> tfjs tensors. tfjs has float32 / int32 / bool / string only: wider or unsigned
 * types are narrowed with range checks (an error, never a silent wrap) and outputs are widened back
 * to the declared dtype.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../core/errors.js";
import { DataType, baseType, dtypeName } from "../../core/dtype.js";
import { allocData, isStringData, type HostTensor, type NumericData } from "../../core/tensor.js";

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const F32_MAX = 3.4028234663852886e38;

export class NarrowingError extends StudioError {
  override readonly name = "NarrowingError";
  constructor(what: string) {
    super("INVALID_INPUT", what);
  }
}

/** The tfjs dtype a TensorFlow dtype runs as. */
export function tfjsDtype(dt: number): tf.DataType {
  switch (baseType(dt)) {
    case DataType.DT_FLOAT:
    case DataType.DT_DOUBLE:
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16:
      return "float32";
    case DataType.DT_BOOL:
      return "bool";
    case DataType.DT_STRING:
      return "string";
    case DataType.DT_INT32:
    case DataType.DT_INT64:
    case DataType.DT_UINT64:
    case DataType.DT_INT16:
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
    case DataType.DT_UINT16:
    case DataType.DT_UINT32:
      return "int32";
    default:
      throw new StudioError("UNSUPPORTED_OP", `the embedded engine has no representation for ${dtypeName(dt)} tensors`);
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** HostTensor -> tfjs tensor (narrowing with overflow detection). `what` names it in errors. */
export function toTfTensor(h: HostTensor, what: string): tf.Tensor {
  const shape = [...h.shape];
  if (isStringData(h.data)) return tf.tensor(h.data, shape, "string");
  const data = h.data;
  const dt = baseType(h.dtype);
  switch (dt) {
    case DataType.DT_FLOAT:
      return tf.tensor(data as Float32Array, shape, "float32");
    case DataType.DT_DOUBLE: {
      const src = data as Float64Array;
      const out = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        const v = src[i]!;
        if (Number.isFinite(v) && Math.abs(v) > F32_MAX)
          throw new NarrowingError(`${what}: float64 value ${v} at index ${i} overflows float32`);
        out[i] = v;
      }
      return tf.tensor(out, shape, "float32");
    }
    case DataType.DT_HALF:
    case DataType.DT_BFLOAT16: {
      const src = data as Uint16Array;
      const out = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        out[i] = dt === DataType.DT_HALF ? halfToFloat(src[i]!) : new Float32Array(new Uint32Array([src[i]! << 16]).buffer)[0]!;
      }
      return tf.tensor(out, shape, "float32");
    }
    case DataType.DT_BOOL:
      return tf.tensor(data as Uint8Array, shape, "bool");
    case DataType.DT_INT32:
      return tf.tensor(data as Int32Array, shape, "int32");
    case DataType.DT_INT64:
    case DataType.DT_UINT64: {
      const src = data as BigInt64Array | BigUint64Array;
      const out = new Int32Array(src.length);
      for (let i = 0; i < src.length; i++) {
        const v = src[i]!;
        if (v < BigInt(I32_MIN) || v > BigInt(I32_MAX)) {
          throw new NarrowingError(
            `${what}: ${dtypeName(dt)} value ${v} at index ${i} does not fit the embedded engine's int32 (use the native engine)`,
          );
        }
        out[i] = Number(v);
      }
      return tf.tensor(out, shape, "int32");
    }
    case DataType.DT_UINT32: {
      const src = data as Uint32Array;
      for (let i = 0; i < src.length; i++) {
        if (src[i]! > I32_MAX) throw new NarrowingError(`${what}: uint32 value ${src[i]} at index ${i} does not fit int32`);
      }
      return tf.tensor(Int32Array.from(src), shape, "int32");
    }
    case DataType.DT_INT8:
    case DataType.DT_INT16:
    case DataType.DT_UINT8:
    case DataType.DT_UINT16:
      return tf.tensor(Int32Array.from(data as ArrayLike<number>), shape, "int32");
    default:
      throw new StudioError("INVALID_INPUT", `${what}: the embedded engine cannot hold ${dtypeName(dt)} tensors`);
  }
}

/** Raw values of a tfjs tensor (strings as bytes, not decoded text). */
export function readRaw(t: tf.Tensor): NumericData | Uint8Array[] {
  return tf.engine().readSync(t.dataId) as NumericData | Uint8Array[];
}

/** tfjs tensor -> HostTensor of the declared dtype (widening back; checking ranges when narrowing). */
export function fromTfTensor(t: tf.Tensor, declared: number, what: string): HostTensor {
  const dt = baseType(declared);
  const shape = [...t.shape];
  const raw = readRaw(t);
  if (t.dtype === "string") {
    if (dt !== DataType.DT_STRING && dt !== DataType.DT_INVALID) {
      throw new StudioError("ENGINE", `${what}: produced a string tensor, the signature declares ${dtypeName(declared)}`);
    }
    return { dtype: DataType.DT_STRING, shape, data: (raw as Uint8Array[]).map((b) => b.slice()) };
  }
  const src = raw as ArrayLike<number>;
  const target =
    dt === DataType.DT_INVALID
      ? t.dtype === "float32"
        ? DataType.DT_FLOAT
        : t.dtype === "bool"
          ? DataType.DT_BOOL
          : DataType.DT_INT32
      : dt;
  if (target === DataType.DT_STRING)
    throw new StudioError("ENGINE", `${what}: produced a ${t.dtype} tensor, the signature declares DT_STRING`);
  let out: NumericData;
  try {
    out = allocData(target, src.length) as NumericData;
  } catch (e) {
    throw new StudioError("GRAPH", `${what}: the signature declares ${dtypeName(target)}, which has no numeric storage`, undefined, {
      cause: e,
    });
  }
  const bounds: Partial<Record<number, [number, number]>> = {
    [DataType.DT_UINT8]: [0, 255],
    [DataType.DT_INT8]: [-128, 127],
    [DataType.DT_INT16]: [-32768, 32767],
    [DataType.DT_UINT16]: [0, 65535],
    [DataType.DT_UINT32]: [0, 4294967295],
  };
  const b = bounds[target];
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (!Number.isFinite(v)) throw new NarrowingError(`${what}: value ${v} cannot be stored as ${dtypeName(target)}`);
      out[i] = BigInt(Math.trunc(v));
    }
  } else if (target === DataType.DT_HALF || target === DataType.DT_BFLOAT16) {
    throw new StudioError("ENGINE", `${what}: ${dtypeName(target)} outputs are not supported by the embedded engine`);
  } else {
    const o = out as Exclude<NumericData, BigInt64Array | BigUint64Array>;
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (b && (v < b[0] || v > b[1]))
        throw new NarrowingError(`${what}: value ${v} at index ${i} is out of range for ${dtypeName(target)}`);
      o[i] = v;
    }
  }
  return { dtype: target, shape, data: out };
}
