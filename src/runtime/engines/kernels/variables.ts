/**
 * Variable state: resource variables (VarHandleOp, ReadVariableOp, Assign*VariableOp) and TF1 ref
 * variables (VariableV2 and the ops that update them). Values live in the loaded model
 * (KernelContext.variables), keyed by checkpoint key; each keeps its own copy of what was written.
 */
import * as tf from "@tensorflow/tfjs-core";
import { StudioError } from "../../../core/errors.js";
import type { PlanNode } from "../../plan.js";
import { isTensor, type Kernel, type KernelContext } from "../values.js";
import { resource, tensorIn as T, type KernelTable } from "./util.js";

export function readVar(ctx: KernelContext, node: PlanNode, key: string): tf.Tensor {
  const v = ctx.variables.get(key);
  if (!v) throw new StudioError("ENGINE", `${node.name} (${node.op}): variable '${key}' is not initialized (not in the checkpoint)`);
  return v;
}

function writeVar(ctx: KernelContext, key: string, value: tf.Tensor): void {
  // Variables own their value: keep a copy that per-op and run-end disposal cannot take away.
  const old = ctx.variables.get(key);
  ctx.variables.set(key, tf.keep(tf.clone(value)));
  if (old) ctx.retire(old);
}

const varHandle: Kernel = (ctx, node) => [{ kind: "variable", key: ctx.variableKey(node) }];
const readVariable: Kernel = (ctx, node, inputs) => [readVar(ctx, node, resource(node, inputs, 0, "variable"))];
const assignVariable: Kernel = (ctx, node, inputs) => {
  writeVar(ctx, resource(node, inputs, 0, "variable"), T(node, inputs, 1));
  return [];
};
function assignUpdate(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, returnsValue: boolean): Kernel {
  return (ctx, node, inputs) => {
    const ref = inputs[0];
    const key = ref && !isTensor(ref) && ref.kind === "variable" ? ref.key : ctx.variableKey(node);
    const next = fn(readVar(ctx, node, key), T(node, inputs, 1));
    writeVar(ctx, key, next);
    return returnsValue ? [next] : [];
  };
}
/** TF1 ref variable: its output is the variable itself (a handle the ref-consuming kernels accept). */
const variableV2: Kernel = (ctx, node) => {
  const key = ctx.variableKey(node);
  return [readVar(ctx, node, key)];
};
const tf1Assign: Kernel = (ctx, node, inputs) => {
  const key = ctx.variableKey(node);
  writeVar(ctx, key, T(node, inputs, 1));
  return [T(node, inputs, 1)];
};
function tf1Update(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Kernel {
  return (ctx, node, inputs) => {
    const key = ctx.variableKey(node);
    const next = fn(readVar(ctx, node, key), T(node, inputs, 1));
    writeVar(ctx, key, next);
    return [next];
  };
}

export const VARIABLE_KERNELS: KernelTable = [
  ["VarHandleOp", varHandle],
  ["ReadVariableOp", readVariable],
  ["AssignVariableOp", assignVariable],
  ["AssignAddVariableOp", assignUpdate(tf.add, false)],
  ["AssignSubVariableOp", assignUpdate(tf.sub, false)],
  ["VarIsInitializedOp", (c, n, i) => [tf.scalar(c.variables.has(resource(n, i, 0, "variable")), "bool")]],
  [
    "ResourceApplyGradientDescent",
    (c, n, i) => {
      const key = resource(n, i, 0, "variable");
      writeVar(c, key, tf.sub(readVar(c, n, key), tf.mul(T(n, i, 1), T(n, i, 2))));
      return [];
    },
  ],
  ["VariableV2", variableV2],
  ["Variable", variableV2],
  ["Assign", tf1Assign],
  ["AssignAdd", tf1Update(tf.add)],
  ["AssignSub", tf1Update(tf.sub)],
  ["IsVariableInitialized", (c, n) => [tf.scalar(c.variables.has(c.variableKey(n)), "bool")]],
];
