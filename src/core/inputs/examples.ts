/**
 * Serialized tf.Example protos from features (core/inputs/literal.ts `parseExampleJson`): the string
 * tensor a `tf_example` / `examples` input takes, built the same way by the CLI and Run Signature.
 */
import { DataType } from "../dtype.js";
import { tensorflow } from "../proto/index.js";
import type { HostTensor } from "../tensor.js";
import { parseExampleJson, type FeatureValue } from "./literal.js";

function featureProto(f: FeatureValue): tensorflow.Feature.$Properties {
  switch (f.kind) {
    case "float_list":
      return { float_list: { value: f.values } };
    case "int64_list":
      return { int64_list: { value: f.values as never } };
    case "bytes_list":
      return { bytes_list: { value: f.values } };
  }
}

/** Serialized tf.Examples, shape [n]. */
export function examplesTensor(examples: readonly Map<string, FeatureValue>[]): HostTensor {
  const data = examples.map((ex) => {
    const feature: Record<string, tensorflow.Feature.$Properties> = {};
    for (const [name, f] of ex) feature[name] = featureProto(f);
    return tensorflow.Example.encode({ features: { feature } }).finish();
  });
  return { dtype: DataType.DT_STRING, shape: [data.length], data };
}

/** `[{"x": [2.0]}, …]` (or one object) → serialized tf.Examples. */
export function examplesFromText(text: string): HostTensor {
  return examplesTensor(parseExampleJson(text));
}
