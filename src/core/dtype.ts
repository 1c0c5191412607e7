/**
 * TensorFlow's DataType numbers (types.proto) and their element kinds. Plain data, no protobuf import:
 * the tensor, display and .npy modules, the activation bundle and the webview use it without loading
 * the 1 MB schema. test/unit/core/dtype.test.ts checks this table against the generated schema.
 */
const DATA_TYPES = {
  DT_INVALID: 0,
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_UINT8: 4,
  DT_INT16: 5,
  DT_INT8: 6,
  DT_STRING: 7,
  DT_COMPLEX64: 8,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_QINT8: 11,
  DT_QUINT8: 12,
  DT_QINT32: 13,
  DT_BFLOAT16: 14,
  DT_QINT16: 15,
  DT_QUINT16: 16,
  DT_UINT16: 17,
  DT_COMPLEX128: 18,
  DT_HALF: 19,
  DT_RESOURCE: 20,
  DT_VARIANT: 21,
  DT_UINT32: 22,
  DT_UINT64: 23,
  DT_FLOAT8_E5M2: 24,
  DT_FLOAT8_E4M3FN: 25,
  DT_FLOAT8_E4M3FNUZ: 26,
  DT_FLOAT8_E4M3B11FNUZ: 27,
  DT_FLOAT8_E5M2FNUZ: 28,
  DT_INT4: 29,
  DT_UINT4: 30,
  DT_INT2: 31,
  DT_UINT2: 32,
  DT_FLOAT4_E2M1FN: 33,
} as const;

export const DataType: { readonly [K in keyof typeof DATA_TYPES]: number } = DATA_TYPES;

/** A DataType number (a `_REF` type is the base + 100). */
export type DataType = number;

/** Element kinds shared by the bundle reader, .npy, TensorProto decoding and the engine. */
export type ElementKind =
  | "float16"
  | "bfloat16"
  | "float32"
  | "float64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool"
  | "complex64"
  | "complex128"
  | "string"
  | "resource"
  | "variant";

interface DTypeInfo {
  readonly kind: ElementKind;
  /** Bytes per element in tensor_content / bundles; 0 for variable-size (string, variant, resource). */
  readonly itemSize: number;
}

const INFO = new Map<number, DTypeInfo>([
  [DataType.DT_FLOAT, { kind: "float32", itemSize: 4 }],
  [DataType.DT_DOUBLE, { kind: "float64", itemSize: 8 }],
  [DataType.DT_INT32, { kind: "int32", itemSize: 4 }],
  [DataType.DT_UINT8, { kind: "uint8", itemSize: 1 }],
  [DataType.DT_INT16, { kind: "int16", itemSize: 2 }],
  [DataType.DT_INT8, { kind: "int8", itemSize: 1 }],
  [DataType.DT_STRING, { kind: "string", itemSize: 0 }],
  [DataType.DT_COMPLEX64, { kind: "complex64", itemSize: 8 }],
  [DataType.DT_INT64, { kind: "int64", itemSize: 8 }],
  [DataType.DT_BOOL, { kind: "bool", itemSize: 1 }],
  [DataType.DT_QINT8, { kind: "int8", itemSize: 1 }],
  [DataType.DT_QUINT8, { kind: "uint8", itemSize: 1 }],
  [DataType.DT_QINT32, { kind: "int32", itemSize: 4 }],
  [DataType.DT_BFLOAT16, { kind: "bfloat16", itemSize: 2 }],
  [DataType.DT_QINT16, { kind: "int16", itemSize: 2 }],
  [DataType.DT_QUINT16, { kind: "uint16", itemSize: 2 }],
  [DataType.DT_UINT16, { kind: "uint16", itemSize: 2 }],
  [DataType.DT_COMPLEX128, { kind: "complex128", itemSize: 16 }],
  [DataType.DT_HALF, { kind: "float16", itemSize: 2 }],
  [DataType.DT_RESOURCE, { kind: "resource", itemSize: 0 }],
  [DataType.DT_VARIANT, { kind: "variant", itemSize: 0 }],
  [DataType.DT_UINT32, { kind: "uint32", itemSize: 4 }],
  [DataType.DT_UINT64, { kind: "uint64", itemSize: 8 }],
]);

const NAME_BY_NUMBER = new Map<number, string>(Object.entries(DataType).map(([k, v]) => [v, k]));

/** Strips the `_REF` variant (DT_FLOAT_REF -> DT_FLOAT). */
export function baseType(dt: number): number {
  return dt > 100 ? dt - 100 : dt;
}

export function dtypeInfo(dt: number): DTypeInfo | undefined {
  return INFO.get(baseType(dt));
}

/** "DT_FLOAT", "DT_FLOAT_REF", or "DT_<number>" for values this build does not know. */
export function dtypeName(dt: number): string {
  const name = NAME_BY_NUMBER.get(baseType(dt));
  return name === undefined ? `DT_${dt}` : dt > 100 ? `${name}_REF` : name;
}

/** saved_model_cli / numpy style short name: "float32", "int64", "string", ... */
export function dtypeShortName(dt: number): string {
  const known = NAME_BY_NUMBER.get(baseType(dt));
  if (known === undefined) return `dtype ${dt}`;
  const base = dtypeInfo(dt)?.kind ?? known.replace(/^DT_/, "").toLowerCase();
  return dt > 100 ? `${base}_ref` : base;
}

export function dtypeFromName(name: string): number | undefined {
  const ref = name.endsWith("_REF");
  const v = (DataType as Record<string, number>)[ref ? name.slice(0, -4) : name];
  return v === undefined ? undefined : ref ? v + 100 : v;
}
