/**
 * The embedded engine's per-node observation seam (RunOptions.onNode): wraps the interpreter's node
 * step so an observer (the debugger, a trace) sees every node before and after it runs, and every
 * control-flow function call. Observers get host copies on demand, valid during the callback only.
 */
import { DataType } from "../../core/dtype.js";
import type { HostTensor } from "../../core/tensor.js";
import type { PlanNode } from "../plan.js";
import type { NodeObserver } from "../types.js";
import { fromTfTensor } from "./convert.js";
import { isTensor, isWide, type Value } from "./values.js";

/** A value on the host (a copy), or undefined for resources, lists and unrepresentable values. */
export function hostValue(v: Value | undefined, what: string): HostTensor | undefined {
  if (isTensor(v)) return fromTfTensor(v, 0, what);
  if (isWide(v)) return { dtype: DataType.DT_INT64, shape: [...v.shape], data: v.data.slice() };
  return undefined;
}

function safely(get: () => Value | undefined, what: string): HostTensor | undefined {
  try {
    return hostValue(get(), what);
  } catch {
    return undefined; // a poisoned input: the node itself reports it
  }
}

/** `step` with `observe` told before and after each node (unchanged when there is no observer). */
export function observedStep<M>(
  step: (n: PlanNode, vals: M) => Value[],
  input: (n: PlanNode, i: number, vals: M) => Value,
  observe: NodeObserver | undefined,
): (n: PlanNode, vals: M) => Value[] {
  if (!observe) return step;
  return (n, vals) => {
    observe({ kind: "before", node: n, input: (i) => safely(() => input(n, i, vals), `${n.name} input ${i}`) });
    const out = step(n, vals);
    observe({ kind: "after", node: n, outputs: out.length, output: (i) => safely(() => out[i], `${n.name}:${i}`) });
    return out;
  };
}

/** `call` with `observe` told when a control-flow function starts and returns. */
export function observedCall(
  call: (name: string, args: readonly Value[]) => Value[],
  observe: NodeObserver | undefined,
): (name: string, args: readonly Value[]) => Value[] {
  if (!observe) return call;
  return (name, args) => {
    observe({ kind: "call", fn: name, args: args.length, arg: (i) => safely(() => args[i], `${name} argument ${i}`) });
    const out = call(name, args);
    observe({ kind: "return", fn: name });
    return out;
  };
}
