/**
 * Budgets of one run (issue 17, item 2): the per-tensor limits in core/limits.ts stop one huge value;
 * these stop many large ones, loops that never end and plans that explode while inlining.
 *
 *  - memory: bytes of tensors the run has created and still holds (tfjs's count, minus what was alive
 *    when the run started) and the model's decoded constants, plus the estimate of the allocation a node is about to make, must stay
 *    within `maxRunBytes`. Estimates come from a table keyed by op (Const, Fill, ParseExample, ...);
 *    other ops are assumed to allocate as much as their largest input. String elements count
 *    `STRING_ELEMENT_COST` bytes each on top of their bytes (a JS object per element).
 *  - loops: a run makes at most `maxFunctionCalls` control-flow function calls (loop conditions,
 *    bodies, branches), and one top-level node (a loop with all its iterations) runs at most
 *    `maxLoopMs`; the checks run on every call, so an endless `While` ends with a typed error.
 *  - planning: the inlined graph has at most `maxPlanNodes` nodes (fan-out of calls is exponential).
 */
import * as tf from "@tensorflow/tfjs-core";
import { LimitError, StudioError } from "../core/errors.js";
import { DataType, dtypeInfo } from "../core/dtype.js";
import { STRING_ELEMENT_COST } from "../core/limits.js";
import type { tensorflow } from "../core/proto/index.js";
import type { PlanNode } from "./plan.js";
import { shapeFromProto, toNumber } from "./tensorproto.js";
import { isTensor, type Value } from "./engines/values.js";

export interface RunLimits {
  /**
   * Most bytes of tensors a run may hold: what it creates plus the model's decoded constants (checked
   * before each allocation). Default 1.5 GiB, so a refused run's process stays under 2 GiB RSS.
   */
  readonly maxRunBytes: number;
  /** Most control-flow function calls (loop conditions and bodies, branches) in one run. Default 1,000,000. */
  readonly maxFunctionCalls: number;
  /**
   * Longest one top-level node (a loop with all its iterations) may run, ms. Default 15,000: with
   * start-up, a run that loops ends within 30 s even on a loaded machine.
   */
  readonly maxLoopMs: number;
  /** Most nodes of a graph with every function call inlined. Default 500,000. */
  readonly maxPlanNodes: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = Object.freeze({
  maxRunBytes: 1.5 * 1024 ** 3,
  maxFunctionCalls: 1_000_000,
  maxLoopMs: 15_000,
  maxPlanNodes: 500_000,
});

export function runLimits(overrides: Partial<RunLimits> | undefined): RunLimits {
  return overrides ? { ...DEFAULT_RUN_LIMITS, ...overrides } : DEFAULT_RUN_LIMITS;
}

export { STRING_ELEMENT_COST };

/** Most inputs one AddN kernel call takes: wider sums are added in chunks (wasm traps beyond a few thousand). */
export const ADDN_CHUNK = 64;

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** Bytes an element of `dtype` costs in memory (strings: the overhead only). */
export function elementCost(dtype: number): number {
  if (dtype === DataType.DT_STRING) return STRING_ELEMENT_COST;
  return dtypeInfo(dtype)?.itemSize ?? 8;
}

/** The budget of one run. */
export class RunBudget {
  private readonly base: number;
  private calls = 0;
  private nodeStart = performance.now();

  /** `counted`: bytes already alive that count against the budget (constants decoded while preparing). */
  constructor(
    readonly limits: RunLimits,
    private readonly signal?: AbortSignal,
    counted = 0,
  ) {
    this.base = tf.engine().state.numBytes - counted;
  }

  /** Bytes the run holds now. */
  live(): number {
    return tf.engine().state.numBytes - this.base;
  }

  /** Refuses an allocation of `bytes` that would take the run over its memory budget. */
  reserve(bytes: number, what: string): void {
    if (!(bytes > 0)) return;
    const live = Math.max(0, this.live());
    if (live + bytes > this.limits.maxRunBytes) {
      throw new LimitError(
        undefined,
        `${what} would allocate about ${mib(bytes)} while the run holds ${mib(live)}: over the run's memory budget of ${mib(this.limits.maxRunBytes)}`,
      );
    }
  }

  /** Checks before a node runs: its estimated allocation, cancellation. */
  beforeNode(node: PlanNode, inputs: readonly Value[]): void {
    if (this.signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
    this.reserve(estimateBytes(node, inputs), `${node.name} (${node.op})`);
  }

  /** A top-level node starts: its loop time starts. */
  startTopLevel(): void {
    this.nodeStart = performance.now();
  }

  /** Every control-flow function call: iteration and time budgets, memory growth, cancellation. */
  functionCall(name: string): void {
    if (this.signal?.aborted) throw new StudioError("CANCELLED", "run cancelled");
    if (++this.calls > this.limits.maxFunctionCalls) {
      throw new LimitError(
        undefined,
        `more than ${this.limits.maxFunctionCalls} control-flow function calls in one run (at ${name}): a loop that does not end?`,
      );
    }
    const ms = performance.now() - this.nodeStart;
    if (ms > this.limits.maxLoopMs) {
      throw new LimitError(
        undefined,
        `a loop or branch ran longer than ${this.limits.maxLoopMs / 1000} s (at ${name}, call ${this.calls}): stopped`,
      );
    }
    const live = this.live();
    if (live > this.limits.maxRunBytes) {
      throw new LimitError(
        undefined,
        `the run holds ${mib(live)} (at ${name}, call ${this.calls}): over its memory budget of ${mib(this.limits.maxRunBytes)}`,
      );
    }
  }
}

type Estimate = (node: PlanNode, inputs: readonly Value[]) => number;

function countOf(shape: readonly number[] | null): number {
  return (shape ?? []).reduce((a, d) => a * Math.max(d, 0), 1);
}

function tensorBytes(v: Value | undefined): number {
  return isTensor(v) ? v.size * elementCost(dtypeOf(v.dtype)) : 0;
}

function dtypeOf(d: tf.DataType): number {
  return d === "string" ? DataType.DT_STRING : d === "float32" ? DataType.DT_FLOAT : d === "bool" ? DataType.DT_BOOL : DataType.DT_INT32;
}

/** Bytes of a TensorProto value once decoded (a splat expands to its full shape). */
export function tensorProtoBytes(t: tensorflow.TensorProto.$Properties | null | undefined): number {
  if (!t) return 0;
  const n = countOf(shapeFromProto(t.tensor_shape));
  const dtype = t.dtype ?? 0;
  const stringBytes = dtype === DataType.DT_STRING ? (t.string_val ?? []).reduce((a, s) => Math.max(a, s.length), 0) * n : 0;
  return n * elementCost(dtype) + stringBytes;
}

function smallInts(v: Value | undefined): number[] | undefined {
  if (!isTensor(v) || v.size > 64 || v.dtype === "string") return undefined;
  return Array.from(v.dataSync() as ArrayLike<number>);
}

function parseExampleBytes(node: PlanNode, inputs: readonly Value[]): number {
  const batch = isTensor(inputs[0]) ? Math.max(1, inputs[0].size) : 1;
  const shapes = node.attrs["dense_shapes"]?.list?.shape ?? [];
  const types = node.attrs["Tdense"]?.list?.type ?? [];
  let total = 0;
  shapes.forEach((s, i) => {
    const n = countOf((s.dim ?? []).map((d) => toNumber(d.size)));
    // Values are gathered in a JS array (8 bytes a slot) before the tensor is built.
    total += batch * n * (elementCost(types[i] ?? DataType.DT_FLOAT) + 8);
  });
  return total;
}

/** Ops that allocate nothing new (views, bookkeeping). */
const NO_ALLOCATION = new Set(["Identity", "IdentityN", "StopGradient", "NoOp", "Reshape", "Squeeze", "ExpandDims", "_Arg", "Placeholder"]);

const ESTIMATES: ReadonlyMap<string, Estimate> = new Map<string, Estimate>([
  ["Const", (n) => tensorProtoBytes(n.attrs["value"]?.tensor)],
  [
    "Fill",
    (_n, i) => {
      const dims = smallInts(i[0]);
      const v = i[1];
      if (!dims || !isTensor(v)) return 0;
      return countOf(dims) * (elementCost(dtypeOf(v.dtype)) + (v.dtype === "string" ? 8 : 0));
    },
  ],
  ["ParseExample", parseExampleBytes],
  ["ParseExampleV2", parseExampleBytes],
]);

/** Estimated bytes `node` allocates, before it runs. */
export function estimateBytes(node: PlanNode, inputs: readonly Value[]): number {
  const e = ESTIMATES.get(node.op);
  if (e) return e(node, inputs);
  if (NO_ALLOCATION.has(node.op)) return 0;
  let largest = 0;
  for (const v of inputs) largest = Math.max(largest, tensorBytes(v));
  return largest;
}

/** AddN over many tensors, in chunks of ADDN_CHUNK (one huge call traps the wasm backend). */
export function chunkedAddN(xs: readonly tf.Tensor[]): tf.Tensor {
  if (xs.length <= ADDN_CHUNK) return xs.length === 1 ? xs[0]! : tf.addN([...xs]);
  return tf.tidy(() => {
    let level = [...xs];
    while (level.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < level.length; i += ADDN_CHUNK) {
        const part = level.slice(i, i + ADDN_CHUNK);
        next.push(part.length === 1 ? part[0]! : tf.addN(part));
      }
      level = next;
    }
    return level[0]!;
  });
}
