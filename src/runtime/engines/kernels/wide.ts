/**
 * int64 values beyond int32 (tfjs has no int64): kept on the host as BigInt64Array "wide" values;
 * these helpers give kernels a host path for them (element-wise, moves, narrowing back when they fit).
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../../core/errors.js";
import type { PlanNode } from "../../plan.js";
import { readRaw } from "../convert.js";
import { product as productOf, tensorIn as T } from "./util.js";
import { isTensor, isWide, type Kernel, type Value } from "../values.js";

/** An integer-ish input as bigints (wide int64 values or an int32/bool tensor). */
export function bigs(node: PlanNode, inputs: readonly Value[], i: number): { data: BigInt64Array; shape: readonly number[] } {
  const v = inputs[i];
  if (isWide(v)) return v;
  const t = T(node, inputs, i);
  if (t.dtype === "float32" || t.dtype === "string")
    throw new StudioError("ENGINE", `${node.name} (${node.op}): cannot mix int64 with ${t.dtype}`);
  return { data: BigInt64Array.from(Array.from(readRaw(t) as ArrayLike<number>), (x) => BigInt(x)), shape: t.shape };
}

/** Elementwise op over int64 inputs where at least one is wide (same shape or scalars). */
export function wideElementwise(
  node: PlanNode,
  inputs: readonly Value[],
  first: number,
  count: number,
  fn: (xs: bigint[], k: number) => bigint | boolean,
): Value {
  const args = Array.from({ length: count }, (_, k) => bigs(node, inputs, first + k));
  const shape = args.reduce<readonly number[]>((s, a) => (a.data.length > productOf(s) ? a.shape : s), []);
  const n = productOf(shape);
  for (const a of args) {
    if (a.data.length !== 1 && a.data.length !== n)
      throw new StudioError("UNSUPPORTED_OP", `${node.name} (${node.op}): int64 broadcasting beyond scalars is not supported`);
  }
  const first0 = fn(
    args.map((a) => a.data[0]!),
    0,
  );
  if (typeof first0 === "boolean") {
    const out = new Uint8Array(n);
    for (let e = 0; e < n; e++)
      out[e] = fn(
        args.map((a) => a.data[a.data.length === 1 ? 0 : e]!),
        e,
      )
        ? 1
        : 0;
    return tf.tensor(out, [...shape], "bool");
  }
  const out = new BigInt64Array(n);
  for (let e = 0; e < n; e++)
    out[e] = fn(
      args.map((a) => a.data[a.data.length === 1 ? 0 : e]!),
      e,
    ) as bigint;
  return narrowOrWide(out, shape);
}

/** Int64 results go back to int32 tensors when they fit, else stay wide. */
export function narrowOrWide(data: BigInt64Array, shape: readonly number[]): Value {
  for (const x of data) if (x > 2147483647n || x < -2147483648n) return { kind: "int64", data, shape };
  return tf.tensor(
    Int32Array.from(data, (x) => Number(x)),
    [...shape],
    "int32",
  );
}

/**
 * Data-movement ops (reshape, squeeze, gather, slice, ...) on wide int64 data: run the kernel on an
 * int32 tensor of element positions, then pick the bigints by the positions it returns.
 */
export function wideMove(kernel: Kernel): Kernel {
  return (ctx, node, inputs) => {
    const v = inputs[0];
    if (!isWide(v) || inputs.slice(1).some(isWide)) return kernel(ctx, node, inputs);
    const pos = tf.tensor(
      Int32Array.from({ length: v.data.length }, (_, k) => k),
      [...v.shape],
      "int32",
    );
    const outs = kernel(ctx, node, [pos, ...inputs.slice(1)]);
    return outs.map((o) => {
      if (!isTensor(o)) return o;
      const picked = BigInt64Array.from(readRaw(o) as Int32Array, (k) => v.data[k]!);
      return narrowOrWide(picked, o.shape);
    });
  };
}

/** Wraps a kernel so that wide int64 inputs take a host path. */
export function wideAware(kernel: Kernel, wide: (node: PlanNode, inputs: readonly Value[]) => Value[]): Kernel {
  return (ctx, node, inputs) => (inputs.some(isWide) ? wide(node, inputs) : kernel(ctx, node, inputs));
}
