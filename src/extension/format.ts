/** Small display helpers for the tree and quick picks; tensors use core/display.ts (one notation). */
import { humanBytes, typeText } from "../core/display.js";
import type { TensorInfoSummary, VariableSummary } from "../core/savedmodel/types.js";

/** `x: float32[?, 1]` */
export function tensorLabel(t: TensorInfoSummary): string {
  if (t.cooSparse) return `${t.key}: ${typeText(t.dtypeName, t.shape)} (sparse)`;
  if (t.composite) return `${t.key}: ${t.composite.typeSpecClass}`;
  return `${t.key}: ${typeText(t.dtypeName, t.shape)}`;
}

/** "tensorflow/serving/predict" -> "predict". */
export function shortMethod(methodName: string): string {
  const i = methodName.lastIndexOf("/");
  return i < 0 ? methodName : methodName.slice(i + 1);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A variable as the tree shows it: `float32[3, 3] · 36 B` (the editor and Show Variable print the same). */
export function variableDescription(v: Pick<VariableSummary, "dtype" | "shape" | "sizeBytes">): string {
  return `${typeText(v.dtype, v.shape)} · ${humanBytes(v.sizeBytes)}`;
}

/** Says that a preview is summarized and which setting shows more. */
export function summarizedNote(d: { readonly elements: number }): string {
  return `${d.elements} values, summarized (setting savedmodelStudio.preview.maxElements)`;
}
