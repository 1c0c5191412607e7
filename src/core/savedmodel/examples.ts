/**
 * The tf.Example features a meta graph parses: read from its ParseExample / ParseExampleV2 /
 * ParseSingleExample nodes (graph and functions), so an input picker can show a form of the features
 * (name, dtype, shape, default) before the user types them. Pure over the decoded MetaGraphDef.
 *
 * Op layouts (TensorFlow's ops.pbtxt):
 *   ParseExample(serialized, names, sparse_keys × Nsparse, dense_keys × Ndense, dense_defaults × Ndense)
 *     attrs Nsparse, Ndense, sparse_types, Tdense, dense_shapes
 *   ParseExampleV2(serialized, names, sparse_keys, dense_keys, ragged_keys, dense_defaults × len(Tdense))
 *     attrs num_sparse, sparse_types, Tdense, dense_shapes, ragged_value_types
 *   ParseSingleExample(serialized, dense_defaults × len(Tdense))
 *     attrs num_sparse, sparse_keys, dense_keys, sparse_types, Tdense, dense_shapes
 */
import type { tensorflow } from "../proto/index.js";
import { shapeOf } from "./convert.js";
import type { Shape } from "./types.js";

export interface ExampleFeature {
  readonly name: string;
  readonly kind: "dense" | "sparse" | "ragged";
  /** tensorflow.DataType of the values (DT_FLOAT, DT_INT64 or DT_STRING). */
  readonly dtype: number;
  /** Dense features: the declared shape per example; null for sparse and ragged ones. */
  readonly shape: Shape;
  /** Dense features: false when the graph gives a default value (the feature may be left out). */
  readonly required: boolean;
  /** The node that parses it. */
  readonly node: string;
}

type NodeDef = tensorflow.NodeDef.$Properties;
type AttrValue = tensorflow.AttrValue.$Properties;

const PARSE_OPS = new Set(["ParseExample", "ParseExampleV2", "ParseSingleExample"]);

/** Every feature parsed anywhere in the meta graph, once per (name, kind), in node order. */
export function exampleFeatures(mg: tensorflow.MetaGraphDef.$Properties): ExampleFeature[] {
  const bodies: NodeDef[][] = [mg.graph_def?.node ?? [], ...(mg.graph_def?.library?.function ?? []).map((f) => f.node_def ?? [])];
  const out: ExampleFeature[] = [];
  const seen = new Set<string>();
  for (const nodes of bodies) {
    const byName = new Map(nodes.map((n) => [n.name ?? "", n]));
    for (const n of nodes) {
      if (!PARSE_OPS.has(n.op ?? "")) continue;
      for (const f of featuresOf(n, byName)) {
        const id = `${f.kind}:${f.name}`;
        if (!seen.has(id)) {
          seen.add(id);
          out.push(f);
        }
      }
    }
  }
  return out;
}

function featuresOf(n: NodeDef, byName: Map<string, NodeDef>): ExampleFeature[] {
  const attr = n.attr ?? {};
  const inputs = (n.input ?? []).filter((i) => !i.startsWith("^"));
  const tdense = types(attr["Tdense"]);
  const shapes = (attr["dense_shapes"]?.list?.shape ?? []).map(shapeOf);
  const sparseTypes = types(attr["sparse_types"]);
  let sparseKeys: string[];
  let denseKeys: string[];
  let raggedKeys: string[] = [];
  let defaults: string[];
  if (n.op === "ParseExample") {
    const ns = int(attr["Nsparse"]);
    const nd = int(attr["Ndense"]);
    sparseKeys = inputs.slice(2, 2 + ns).flatMap((i) => constStrings(i, byName));
    denseKeys = inputs.slice(2 + ns, 2 + ns + nd).flatMap((i) => constStrings(i, byName));
    defaults = inputs.slice(2 + ns + nd);
  } else if (n.op === "ParseExampleV2") {
    sparseKeys = constStrings(inputs[2], byName);
    denseKeys = constStrings(inputs[3], byName);
    raggedKeys = constStrings(inputs[4], byName);
    defaults = inputs.slice(5);
  } else {
    sparseKeys = strings(attr["sparse_keys"]);
    denseKeys = strings(attr["dense_keys"]);
    defaults = inputs.slice(1);
  }
  const raggedTypes = types(attr["ragged_value_types"]);
  const node = n.name ?? "";
  return [
    ...denseKeys.map((name, i) => ({
      name,
      kind: "dense" as const,
      dtype: tdense[i] ?? 0,
      shape: shapes[i] ?? null,
      required: !hasValues(defaults[i], byName),
      node,
    })),
    ...sparseKeys.map((name, i) => ({ name, kind: "sparse" as const, dtype: sparseTypes[i] ?? 0, shape: null, required: false, node })),
    ...raggedKeys.map((name, i) => ({ name, kind: "ragged" as const, dtype: raggedTypes[i] ?? 0, shape: null, required: false, node })),
  ];
}

function types(a: AttrValue | undefined): number[] {
  return (a?.list?.type ?? []).map(Number);
}

function int(a: AttrValue | undefined): number {
  return Number(a?.i ?? 0);
}

function strings(a: AttrValue | undefined): string[] {
  return (a?.list?.s ?? []).map((b) => new TextDecoder().decode(b));
}

/** The Const node an input refers to (`name`, `name:0`, or a function's `name:output:0`). */
function constNode(input: string | undefined, byName: Map<string, NodeDef>): NodeDef | undefined {
  if (input === undefined) return undefined;
  const n = byName.get(input.split(":")[0]!);
  return n?.op === "Const" ? n : undefined;
}

function constStrings(input: string | undefined, byName: Map<string, NodeDef>): string[] {
  const t = constNode(input, byName)?.attr?.["value"]?.tensor;
  return (t?.string_val ?? []).map((b) => new TextDecoder().decode(b));
}

/** A dense default with at least one element (an empty default marks a required feature). */
function hasValues(input: string | undefined, byName: Map<string, NodeDef>): boolean {
  const t = constNode(input, byName)?.attr?.["value"]?.tensor;
  if (!t) return input !== undefined; // computed default: assume present
  const dims = (t.tensor_shape?.dim ?? []).map((d) => Number(d.size ?? 0));
  return dims.every((d) => d > 0);
}
