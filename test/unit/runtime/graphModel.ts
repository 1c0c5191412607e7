// Small in-memory SavedModels for engine tests: a node list, a signature, both backends.
import Long from "long";
import { DataType } from "../../../src/core/dtype.js";
import { MemorySource } from "../../../src/core/io.js";
import { tensorflow } from "../../../src/core/proto/index.js";
import { tensorInfo } from "../../../src/core/savedmodel/builder.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { loadModel, type LoadedModel } from "../../../src/runtime/index.js";

export type Node = tensorflow.NodeDef.$Properties;
export type Attr = tensorflow.AttrValue.$Properties;

export const BACKENDS = ["cpu", "wasm"] as const;

export const ints = (xs: readonly number[]): Attr => ({ list: { i: xs.map((x) => Long.fromNumber(x)) } });
export const str = (x: string): Attr => ({ s: new TextEncoder().encode(x) });
export const type = (t: number): Attr => ({ type: t });
export const int = (x: number): Attr => ({ i: Long.fromNumber(x) });

/** A Const node of any numeric dtype (values in the typed *_val field) or strings. */
export function konst(
  name: string,
  dtype: number,
  values: readonly (number | string | bigint | Uint8Array)[],
  shape: readonly number[],
): Node {
  const tensor: tensorflow.TensorProto.$Properties = { dtype, tensor_shape: { dim: shape.map((d) => ({ size: Long.fromNumber(d) })) } };
  if (dtype === DataType.DT_STRING)
    tensor.string_val = values.map((v) => (v instanceof Uint8Array ? v : new TextEncoder().encode(String(v))));
  else if (dtype === DataType.DT_FLOAT) tensor.float_val = values.map(Number);
  else if (dtype === DataType.DT_DOUBLE) tensor.double_val = values.map(Number);
  else if (dtype === DataType.DT_INT64) tensor.int64_val = values.map((v) => Long.fromString(String(v)));
  else if (dtype === DataType.DT_BOOL) tensor.bool_val = values.map((v) => !!v);
  else tensor.int_val = values.map(Number);
  return { name, op: "Const", attr: { dtype: type(dtype), value: { tensor } } };
}

export function graphModel(
  nodes: readonly Node[],
  inputs: Record<string, readonly [string, number, readonly number[] | null]>,
  outputs: Record<string, readonly [string, number]>,
): MemorySource {
  const sm: tensorflow.SavedModel.$Properties = {
    saved_model_schema_version: Long.fromNumber(1),
    meta_graphs: [
      {
        meta_info_def: { tags: ["serve"], tensorflow_version: "2.15.0" },
        graph_def: { node: [...nodes], versions: { producer: 1645 } },
        signature_def: {
          serving_default: {
            method_name: "tensorflow/serving/predict",
            inputs: Object.fromEntries(Object.entries(inputs).map(([k, [n, d, s]]) => [k, tensorInfo(n, d, s)])),
            outputs: Object.fromEntries(Object.entries(outputs).map(([k, [n, d]]) => [k, tensorInfo(n, d, null)])),
          },
        },
      },
    ],
  };
  return new MemorySource({ "m/saved_model.pb": tensorflow.SavedModel.encode(sm).finish() });
}

/** Loads on a backend, runs serving_default once, disposes. */
export async function runOnce(
  src: MemorySource,
  backend: (typeof BACKENDS)[number],
  feeds: Record<string, HostTensor>,
  fastPath = true,
): Promise<Record<string, HostTensor>> {
  const m: LoadedModel = await loadModel(src, "m", { backend, fastPath });
  try {
    const p = await m.prepare("serving_default");
    return (await p.run(feeds)).outputs;
  } finally {
    m.dispose();
  }
}

export const f32 = (values: readonly number[], shape: readonly number[]): HostTensor => ({
  dtype: DataType.DT_FLOAT,
  shape,
  data: Float32Array.from(values),
});
export const i32 = (values: readonly number[], shape: readonly number[]): HostTensor => ({
  dtype: DataType.DT_INT32,
  shape,
  data: Int32Array.from(values),
});
