/**
 * A signature's inputs and outputs bound to graph tensors, and the steps of a run around the engine's
 * execution: choosing outputs, the one-segment host path, feeds as engine values, values as host tensors.
 */
import { StudioError } from "../../core/errors.js";
import { DataType, baseType, dtypeName } from "../../core/dtype.js";
import type { HostTensor } from "../../core/tensor.js";
import { refKey, type PlanGraph, type TensorRef } from "../plan.js";
import type { TensorSpec } from "../types.js";
import { NarrowingError, fromTfTensor, toTfTensor } from "./convert.js";
import { SEGMENT_OP, type SegmentPlanNode } from "./segments.js";
import { isDead, isTensor, isWide, type Value } from "./values.js";

export interface IOBinding extends TensorSpec {
  readonly ref: TensorRef;
}

/**
 * A plan that is one fast-path segment reading one fed input, followed only by Identity nodes up to
 * the one wanted output: it can run host to host, without tfjs tensors (see Segment.runHost).
 */
export function directSegment(
  graph: PlanGraph,
  given: readonly IOBinding[],
  outs: readonly IOBinding[],
): { node: SegmentPlanNode; input: IOBinding; output: IOBinding } | undefined {
  const input = given[0];
  const output = outs[0];
  const [first, ...rest] = graph.nodes;
  if (given.length !== 1 || outs.length !== 1 || !input || !output || !first || first.op !== SEGMENT_OP) return undefined;
  if (first.inputs.length !== 1 || refKey(first.inputs[0]!) !== refKey(input.ref)) return undefined;
  let cur = first.name;
  for (const n of rest) {
    const src = n.inputs[0];
    if (n.op !== "Identity" || n.inputs.length !== 1 || src?.node !== cur || src.index !== 0) return undefined;
    cur = n.name;
  }
  if (output.ref.node !== cur || output.ref.index !== 0) return undefined;
  return { node: first as SegmentPlanNode, input, output };
}

/** The outputs a run asks for (all when `wanted` is undefined); an unknown key is a typed error. */
export function selectOutputs(outputs: readonly IOBinding[], wanted: readonly string[] | undefined): IOBinding[] {
  if (!wanted) return [...outputs];
  const unknown = wanted.filter((k) => !outputs.some((o) => o.key === k));
  if (unknown.length > 0)
    throw new StudioError("INVALID_INPUT", `unknown output key(s) ${unknown.join(", ")}; valid: ${outputs.map((o) => o.key).join(", ")}`);
  return outputs.filter((o) => wanted.includes(o.key));
}

/** The fed inputs (or their defaults) as engine values keyed by tensor. */
export function feedValues(
  given: readonly IOBinding[],
  feeds: Readonly<Record<string, HostTensor>>,
  defaults: ReadonlyMap<string, HostTensor>,
): Map<string, Value> {
  const feedMap = new Map<string, Value>();
  for (const i of given) {
    const h = feeds[i.key] ?? defaults.get(i.key)!;
    try {
      feedMap.set(refKey(i.ref), toTfTensor(h, `input '${i.key}'`));
    } catch (e) {
      if (!(e instanceof NarrowingError)) throw e;
      // int64 beyond int32 stays on the host (pass-through and comparison ops handle it, see
      // WideInt64Value); anything else is raised only if the run uses this input (PoisonValue).
      feedMap.set(
        refKey(i.ref),
        h.data instanceof BigInt64Array ? { kind: "int64", data: h.data, shape: [...h.shape] } : { kind: "poison", error: e },
      );
    }
  }
  return feedMap;
}

/** The run's output values as host tensors of the signature's dtypes. */
export function hostOutputs(outs: readonly IOBinding[], values: readonly Value[]): Record<string, HostTensor> {
  const converted: Record<string, HostTensor> = {};
  outs.forEach((o, k) => {
    const v = values[k];
    if (isWide(v)) {
      if (baseType(o.dtype) !== DataType.DT_INT64)
        throw new NarrowingError(`output '${o.key}': int64 values beyond int32 for a ${dtypeName(o.dtype)} output`);
      converted[o.key] = { dtype: DataType.DT_INT64, shape: [...v.shape], data: v.data.slice() };
      return;
    }
    if (isDead(v)) throw new StudioError("ENGINE", `output '${o.key}' (${o.name}) was not computed: its tf.cond branch was not taken`);
    if (!isTensor(v)) throw new StudioError("ENGINE", `output '${o.key}' (${o.name}) is not a tensor`);
    converted[o.key] = fromTfTensor(v, o.dtype === DataType.DT_INVALID ? 0 : o.dtype, `output '${o.key}'`);
  });
  return converted;
}
