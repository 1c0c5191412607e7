/** Values flowing through the embedded interpreter, and the context kernels see. */
import * as tf from "@tensorflow/tfjs-core";
import type { PlanNode } from "../plan.js";

export interface ResourceValue {
  readonly kind: "variable" | "table";
  readonly key: string;
}

export interface TensorListValue {
  readonly kind: "list";
  readonly items: (tf.Tensor | undefined)[];
  readonly dtype: tf.DataType;
}

export interface OptionalValue {
  readonly kind: "optional";
  readonly items: readonly Value[] | null;
}

/**
 * A value that could not be represented (an int64 beyond int32, ...). Producing it is fine; any op
 * or output that consumes it raises the error, so unused features never fail a run and used ones
 * never wrap silently.
 */
export interface PoisonValue {
  readonly kind: "poison";
  readonly error: Error;
}

/**
 * An int64 tensor whose values do not fit tfjs's int32, kept on the host. Pass-through ops (Identity,
 * reshapes, SparseToDense, comparisons, selects) handle it; any other op raises a NarrowingError.
 */
export interface WideInt64Value {
  readonly kind: "int64";
  readonly data: BigInt64Array;
  readonly shape: readonly number[];
}

/**
 * The output of a TF1 Switch branch that was not taken (tf.cond): every op reading it is not run and
 * its outputs are dead too, except Merge, which forwards its first live input.
 */
export interface DeadValue {
  readonly kind: "dead";
}

export const DEAD: DeadValue = Object.freeze({ kind: "dead" });

export function isDead(v: Value | undefined): v is DeadValue {
  return v !== undefined && !(v instanceof tf.Tensor) && v.kind === "dead";
}

export type Value = tf.Tensor | ResourceValue | TensorListValue | OptionalValue | PoisonValue | WideInt64Value | DeadValue;

export function isWide(v: Value | undefined): v is WideInt64Value {
  return v !== undefined && !(v instanceof tf.Tensor) && v.kind === "int64";
}

export function isTensor(v: Value | undefined): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

export interface HashTable {
  readonly keyDtype: tf.DataType;
  readonly valueDtype: tf.DataType;
  /** Keys: strings as latin1 (one char per byte) or numbers; values of a tensor-valued table are arrays. */
  readonly map: Map<string | number, number | Uint8Array | readonly (number | Uint8Array)[]>;
  /** Shape of each value of a MutableHashTableOfTensors (absent: scalar values). */
  readonly valueShape?: readonly number[];
}

export interface KernelContext {
  /** Variable values by checkpoint key (or node name for unbound local variables). */
  readonly variables: Map<string, tf.Tensor>;
  readonly tables: Map<string, HashTable>;
  /** Asset files by path relative to assets/ (and by basename). */
  readonly assets: ReadonlyMap<string, Uint8Array>;
  /** Checkpoint key of a variable node (VarHandleOp / VariableV2). */
  variableKey(node: PlanNode): string;
  /** Runs a planned library function synchronously (If/While bodies). */
  callFunction(name: string, args: readonly Value[]): Value[];
  /** Counts one call of a loop's cond or body run on the fast path (loops.ts) against the run's budgets. */
  loopIteration?(name: string): void;
  /** A tensor no longer owned by a variable: disposed after the run unless still in use. */
  retire(t: tf.Tensor): void;
  /** The run's seed for random ops without their own seed (RunOptions.seed). */
  readonly seed?: number;
}

export type Kernel = (ctx: KernelContext, node: PlanNode, inputs: readonly Value[]) => Value[];

/** Bytes -> a Map key string, one char per byte (lossless). */
export function bytesKey(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

export function keyBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
