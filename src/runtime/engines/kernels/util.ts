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

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A negative axis counted from the end; out of range is TensorFlow's error. */
export function axisIn(node: PlanNode, axis: number, rank: number): number {
  if (axis < -rank || axis >= Math.max(rank, 1)) throw invalid(node, `Expected axis in the range [${-rank}, ${rank}), but got ${axis}`);
  return axis < 0 ? axis + rank : axis;
}
