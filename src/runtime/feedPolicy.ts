/**
 * The one input policy (no imports: the VS Code host bundle uses it too): a fed array must have the
 * dtype and the shape of the tensor the graph really has, rank and every known dimension, as
 * TensorFlow checks a concrete function's inputs. feeds.ts finds that tensor (the graph wins over the
 * SignatureDef); the engine and the Run picker both call feedMismatch.
 */

/** `_REF` types count as their base type. */
const base = (dt: number) => (dt > 100 ? dt - 100 : dt);

/** What an input accepts: a DataType (0 = any) and a shape (-1 unknown dims, null unknown rank). */
export interface FeedSpec {
  readonly dtype: number;
  readonly shape: readonly number[] | null;
}

/** What is offered: an array's DataType (undefined = unsupported array type) and shape. */
export interface FeedOffer {
  readonly dtype: number | undefined;
  readonly shape: readonly number[];
}

export const shapeText = (s: readonly number[] | null) => (s === null ? "[…]" : `[${s.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]`);
/** A feed the input refuses (wrong dtype), or one TensorFlow's runtime runs though it does not fit the declared shape. */
export interface FeedMismatch {
  readonly level: "refuse" | "warn";
  readonly reason: string;
}

/**
 * How `offer` fits an input that accepts `spec` (undefined: it fits). A wrong dtype is refused (every
 * TensorFlow path refuses it). A shape that does not fit the placeholder's rank or known dims is a
 * warning: TensorFlow's runtime (C API, TF Serving, tfjs-node) runs it and so do we; only Python's
 * session.run / concrete functions refuse it. `label` names a DataType ("float32"); callers pass the
 * one their bundle already has.
 */
export function feedMismatch(spec: FeedSpec, offer: FeedOffer, label: (dt: number) => string): FeedMismatch | undefined {
  const want = base(spec.dtype);
  if (offer.dtype === undefined) return { level: "refuse", reason: "unsupported array type" };
  if (want !== 0 && base(offer.dtype) !== want) return { level: "refuse", reason: `dtype ${label(base(offer.dtype))} ≠ ${label(want)}` };
  const shape = spec.shape;
  if (shape === null) return undefined;
  if (shape.length !== offer.shape.length)
    return { level: "warn", reason: `rank ${offer.shape.length} ${shapeText(offer.shape)} ≠ rank ${shape.length} ${shapeText(shape)}` };
  const dim = shape.findIndex((d, i) => d >= 0 && d !== offer.shape[i]);
  return dim < 0 ? undefined : { level: "warn", reason: `shape ${shapeText(offer.shape)} does not fit ${shapeText(shape)} (dim ${dim})` };
}

/** Appended to shape warnings, so users know why it still runs. */
export const SHAPE_NOT_ENFORCED = "TensorFlow's runtime does not enforce placeholder shapes; Python's session.run would refuse it";
