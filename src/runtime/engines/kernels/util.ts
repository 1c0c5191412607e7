/** Input readers and errors shared by the kernel tables under kernels/ (one copy for these files). */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../../core/errors.js";
import type { PlanNode } from "../../plan.js";
import { NarrowingError, readRaw } from "../convert.js";
import { isTensor, isWide, type Kernel, type Value } from "../values.js";

export type KernelTable = readonly (readonly [string, Kernel])[];

/** Input `i` as a tfjs tensor (wide int64 values and non-tensors are refused with the node's name). */
export function tensorIn(node: PlanNode, inputs: readonly Value[], i: number): tf.Tensor {
  const v = inputs[i];
  if (isWide(v))
    throw new NarrowingError(
      `${node.name} (${node.op}): input ${i} holds int64 values beyond int32, which the embedded engine cannot compute with`,
    );
  if (!isTensor(v)) throw new StudioError("ENGINE", `${node.name} (${node.op}): input ${i} is not a tensor`);
  return v;
}

/** Numeric input values on the host. */
export function numbersIn(node: PlanNode, inputs: readonly Value[], i: number): number[] {
  return Array.from(readRaw(tensorIn(node, inputs, i)) as ArrayLike<number>);
}

/** String input values (bytes) on the host. */
export function bytesIn(node: PlanNode, inputs: readonly Value[], i: number): Uint8Array[] {
  const t = tensorIn(node, inputs, i);
  if (t.dtype !== "string") throw new StudioError("ENGINE", `${node.name} (${node.op}): input ${i} is ${t.dtype}, not a string tensor`);
  return readRaw(t) as Uint8Array[];
}

/** TensorFlow's InvalidArgument for a node: the message names the model's node and op. */
export function invalid(node: PlanNode, what: string): StudioError {
  return new StudioError("INVALID_INPUT", `${what} [[{{node ${node.name}}} = ${node.op}]]`);
}

/** An attribute value or input combination the embedded engine does not implement. */
export function unsupported(node: PlanNode, what: string): StudioError {
  return new StudioError("UNSUPPORTED_OP", `${node.name} (${node.op}): ${what} is not supported by the embedded engine`);
}

/** A tensor's values on the host (numbers; strings as bytes), a scalar's value. */
export function ints(t: tf.Tensor): number[] {
  return Array.from(readRaw(t) as ArrayLike<number>);
}
export function scalar(t: tf.Tensor): number {
  return (readRaw(t) as ArrayLike<number>)[0] ?? 0;
}
export function strings(t: tf.Tensor): Uint8Array[] {
  return readRaw(t) as Uint8Array[];
}

/** Resource input (variable/table handle): its key. */
export function resource(node: PlanNode, inputs: readonly Value[], i: number, kind: "variable" | "table"): string {
  const v = inputs[i];
  if (v && !isTensor(v) && "key" in v && v.kind === kind) return v.key;
  throw new StudioError("ENGINE", `${node.name} (${node.op}): input ${i} is not a ${kind} handle`);
}

/** A tensor of tfjs dtype `dt` from host values. */
export function host(dt: tf.DataType, shape: number[], values: (number | Uint8Array)[]): tf.Tensor {
  if (dt === "string") return tf.tensor(values as Uint8Array[], shape, "string");
  if (dt === "float32") return tf.tensor(Float32Array.from(values as number[]), shape, "float32");
  if (dt === "bool") return tf.tensor(Uint8Array.from(values as number[]), shape, "bool");
  return tf.tensor(Int32Array.from(values as number[]), shape, "int32");
}

/** SparseToDense of string values: `def` everywhere, then each value at its index (TensorFlow's bounds error otherwise). */
export function stringSparseToDense(n: PlanNode, idx: number[], shape: number[], vals: Uint8Array[], def: Uint8Array[]): tf.Tensor {
  const out: Uint8Array[] = new Array<Uint8Array>(product(shape)).fill(def[0] ?? new Uint8Array());
  const rank = shape.length;
  const count = rank === 0 ? Math.min(idx.length, 1) : idx.length / rank;
  for (let e = 0; e < count; e++) {
    let off = 0;
    for (let k = 0; k < rank; k++) {
      const j = idx[e * rank + k]!;
      if (j < 0 || j >= shape[k]!)
        throw new StudioError(
          "INVALID_INPUT",
          `indices[${e}] = ${j} is out of bounds: need 0 <= index < ${shape[k]} [[{{node ${n.name}}} = ${n.op}]]`,
        );
      off = off * shape[k]! + j;
    }
    out[off] = vals[vals.length === 1 ? 0 : e] ?? out[off]!;
  }
  return tf.tensor(out, shape, "string");
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A negative axis counted from the end; out of range is TensorFlow's error. */
export function axisIn(node: PlanNode, axis: number, rank: number): number {
  if (axis < -rank || axis >= Math.max(rank, 1)) throw invalid(node, `Expected axis in the range [${-rank}, ${rank}), but got ${axis}`);
  return axis < 0 ? axis + rank : axis;
}
