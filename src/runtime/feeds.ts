/**
 * The one input policy, used by the engine (CLI and VS Code runs) and by the VS Code Run picker:
 * a fed array must have the dtype and the shape of the tensor the graph really has (rank and every
 * known dimension), as TensorFlow checks a concrete function's inputs. Where the SignatureDef and the
 * graph's placeholder disagree, the graph wins (as in TensorFlow Serving), with a warning.
 */
import { baseType, dtypeName, dtypeShortName } from "../core/dtype.js";
import type { tensorflow } from "../core/proto/index.js";
import { shapeFromProto } from "./tensorproto.js";
import { feedMismatch as mismatch, shapeText, type FeedMismatch, type FeedOffer, type FeedSpec } from "./feedPolicy.js";

export type { FeedMismatch, FeedOffer, FeedSpec };

/** How `offer` fits an input that accepts `spec` (see feedPolicy.ts); undefined when it fits. */
export function feedMismatch(spec: FeedSpec, offer: FeedOffer): FeedMismatch | undefined {
  return mismatch(spec, offer, dtypeShortName);
}

/** The dtype and shape a graph node's output declares (placeholders only), or undefined. */
export function graphSpecOf(node: tensorflow.NodeDef.$Properties | undefined, index: number): FeedSpec | undefined {
  if (!node || index !== 0 || (node.op !== "Placeholder" && node.op !== "PlaceholderWithDefault")) return undefined;
  const dtype = baseType(node.attr?.["dtype"]?.type ?? 0);
  const shapeAttr = node.attr?.["shape"]?.shape;
  return { dtype, shape: shapeAttr ? shapeFromProto(shapeAttr) : null };
}

function shapesConflict(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return false;
  return a.length !== b.length || a.some((d, i) => d >= 0 && b[i]! >= 0 && d !== b[i]);
}

/**
 * The spec an input is checked against: the graph's placeholder when there is one (the signature's
 * declaration otherwise), and a warning when the two disagree.
 */
export function reconcileSpec(
  where: string,
  tensor: string,
  declared: FeedSpec,
  graph: FeedSpec | undefined,
): { spec: FeedSpec; warning?: string } {
  if (!graph) return { spec: declared };
  const d = baseType(declared.dtype);
  const differs: string[] = [];
  if (d !== 0 && graph.dtype !== 0 && d !== graph.dtype) differs.push(`dtype ${dtypeName(d)} but the graph's is ${dtypeName(graph.dtype)}`);
  if (shapesConflict(declared.shape, graph.shape))
    differs.push(`shape ${shapeText(declared.shape)} but the graph's is ${shapeText(graph.shape)}`);
  const spec: FeedSpec = { dtype: graph.dtype || d, shape: graph.shape ?? declared.shape };
  if (differs.length === 0) return { spec };
  return {
    spec,
    warning: `${where} declares ${differs.join(" and ")} (placeholder ${tensor}); using the graph's, as TensorFlow Serving does`,
  };
}

/** Graph-checked specs of a signature's dense inputs (key -> spec), and the disagreement warnings. */
export function signatureFeedSpecs(
  meta: tensorflow.MetaGraphDef.$Properties,
  signatureKey: string,
): { specs: Map<string, FeedSpec>; warnings: string[] } {
  const nodes = new Map((meta.graph_def?.node ?? []).map((n) => [n.name ?? "", n]));
  const specs = new Map<string, FeedSpec>();
  const warnings: string[] = [];
  for (const [key, ti] of Object.entries(meta.signature_def?.[signatureKey]?.inputs ?? {})) {
    if (!ti.name) continue;
    const [node = "", idx = "0"] = ti.name.replace(/^\^/, "").split(":");
    const declared: FeedSpec = { dtype: baseType(ti.dtype ?? 0), shape: ti.tensor_shape ? shapeFromProto(ti.tensor_shape) : null };
    const r = reconcileSpec(`signature '${signatureKey}' input '${key}'`, ti.name, declared, graphSpecOf(nodes.get(node), Number(idx)));
    specs.set(key, r.spec);
    if (r.warning) warnings.push(r.warning);
  }
  return { specs, warnings };
}
