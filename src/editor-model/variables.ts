/**
 * Captured variables and resources of TF2 functions, by name. PURE.
 *
 * A concrete function's captured inputs are its last `bound_inputs.length` arguments (Keras names
 * them `unknown`, `unknown_0`, …); `bound_inputs[j]` is the id of a node of the SavedObjectGraph
 * (a SavedVariable, a resource, an asset, a captured constant). The variable's name is the
 * SavedVariable's name (`dense/kernel`), else the object's path from the root
 * (`layer_with_weights-0/kernel`, the checkpoint key without `/.ATTRIBUTES/VARIABLE_VALUE`).
 */
import type { tensorflow } from "../core/proto/index.js";
import { shapeOf } from "./tensors.js";

type ObjectGraph = tensorflow.SavedObjectGraph.$Properties;

export interface VariableInfo {
  /** `dense/kernel`. */
  readonly name: string;
  /** Path of the object from the root of the object graph (the checkpoint key's prefix). */
  readonly path: string;
  readonly kind: "variable" | "resource" | "asset" | "constant" | "object";
  readonly dtype: number;
  readonly shape: readonly number[] | null;
}

/** The first path from the root to every object node (breadth-first over `children`). */
export function objectPaths(og: ObjectGraph): string[] {
  const nodes = og.nodes ?? [];
  const paths = new Array<string>(nodes.length).fill("");
  const seen = new Uint8Array(nodes.length);
  seen[0] = 1;
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    for (const c of nodes[id]?.children ?? []) {
      const k = c.node_id ?? -1;
      if (k < 0 || k >= nodes.length || seen[k]) continue;
      seen[k] = 1;
      paths[k] = paths[id] ? `${paths[id]}/${c.local_name ?? ""}` : (c.local_name ?? "");
      queue.push(k);
    }
  }
  return paths;
}

/** The variable (or resource) object node `id` stands for. */
export function objectVariable(og: ObjectGraph, paths: readonly string[], id: number): VariableInfo | undefined {
  const node = og.nodes?.[id];
  if (!node) return undefined;
  const path = paths[id] || `object ${id}`;
  if (node.variable) {
    const name = (node.variable.name ?? "").replace(/:\d+$/, "") || path;
    return { name, path, kind: "variable", dtype: node.variable.dtype ?? 0, shape: shapeOf(node.variable.shape) };
  }
  const kind = node.resource ? "resource" : node.asset ? "asset" : node.constant ? "constant" : "object";
  return { name: path, path, kind, dtype: 0, shape: null };
}

/** Variables captured by concrete function `fn`, in the order of its captured (last) arguments. */
export function capturedVariables(og: ObjectGraph | null, fn: string, paths?: readonly string[]): (VariableInfo | undefined)[] {
  const bound = og?.concrete_functions?.[fn]?.bound_inputs ?? [];
  if (!og || bound.length === 0) return [];
  const p = paths ?? objectPaths(og);
  return bound.map((id) => objectVariable(og, p, id));
}
