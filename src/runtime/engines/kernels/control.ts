/**
 * TF1 conditionals (tf.cond in graphs exported without TF2 control flow): Switch routes its input to
 * the output of the predicate's branch and marks the other dead; Merge forwards its first live input.
 * The interpreter skips every other op with a dead input (engines/embedded.ts), as TensorFlow's
 * executor propagates deadness. TF1 while loops (Enter / Exit / NextIteration / LoopCond) forward
 * their input here; moving values between frames and iterations is engines/frames.ts's work.
 */
import { readRaw } from "../convert.js";
import { DEAD, isDead, type Kernel } from "../values.js";
import * as tf from "@tensorflow/tfjs-core";
import { invalid, tensorIn, type KernelTable } from "./util.js";

const switchKernel: Kernel = (_c, node, inputs) => {
  const pred = tensorIn(node, inputs, 1);
  if (pred.size !== 1) throw invalid(node, `pred must be a scalar, got shape [${pred.shape.join(",")}]`);
  const taken = !!(readRaw(pred) as ArrayLike<number>)[0];
  const data = inputs[0]!;
  return taken ? [DEAD, data] : [data, DEAD];
};

const mergeKernel: Kernel = (_c, _node, inputs) => {
  const i = inputs.findIndex((v) => !isDead(v));
  return i < 0 ? [DEAD, DEAD] : [inputs[i]!, tf.scalar(i, "int32")];
};

const forward: Kernel = (_c, _node, inputs) => [inputs[0]!];

export const CONTROL_KERNELS: KernelTable = [
  ...["Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration", "LoopCond"].map((op) => [op, forward] as const),
  ["Switch", switchKernel],
  ["RefSwitch", switchKernel],
  ["Merge", mergeKernel],
  ["RefMerge", mergeKernel],
];
