/**
 * The "build before saving" quick fix (SMS101/SMS102): `name(keras.Input(shape=S))` inserted before the
 * save, spelled with the file's own imports, where S is a shape known from the file (build() argument,
 * the closest keras.Input, or a literal-shaped data array / tf.data pipeline); otherwise the placeholder
 * `shape=...`, which SMS105 keeps reporting until a real shape is written.
 */
import { args, field, text, walk, type PyNode } from "./ast.js";
import { indentOf, type FileContext, type Fix } from "./context.js";
import { kerasSpelling, localFor, resolve } from "./imports.js";

/** How the file spells `keras.Input` (`Input`, `keras.Input`, `tf.keras.Input`). */
export function inputSpelling(ctx: FileContext): string {
  let hit = spellings.get(ctx);
  if (hit === undefined) {
    const b = ctx.bindings;
    hit = localFor(b, "keras.Input") ?? localFor(b, "keras.layers.Input") ?? `${kerasSpelling(b) ?? "keras"}.Input`;
    spellings.set(ctx, hit);
  }
  return hit;
}
const spellings = new WeakMap<FileContext, string>();

/** Quick fix: insert `name(keras.Input(shape=...))` on the line before the save statement. */
export function buildFix(ctx: FileContext, save: PyNode, name: string, buildCall: PyNode | undefined): Fix[] {
  if (!kerasSpelling(ctx.bindings) && !localFor(ctx.bindings, "keras.Input") && !localFor(ctx.bindings, "keras.layers.Input")) return [];
  const inputFn = inputSpelling(ctx);
  let shape = buildCall ? shapeFromBuild(buildCall) : undefined;
  shape ??= nearbyInputShape(ctx, save);
  shape ??= nearbyDataShape(ctx, save);
  const stmt = statementOf(save);
  const indent = indentOf(ctx, stmt);
  const line = stmt.blk.row + stmt.sr;
  const code = shape
    ? `${name}(${inputFn}(shape=${shape}))`
    : `${name}(${inputFn}(shape=...))  # TODO: input shape without the batch dimension`;
  return [
    {
      title: `Build \`${name}\` before saving: ${code.split("  #")[0]}`,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${code}\n` }],
      preferred: true,
    },
  ];
}

/**
 * The per-example shape of the closest data array before the save: an input-like name (`x_train`,
 * `features`, ...) bound to an array constructor with a literal shape (`np.random.rand(100, 32)`,
 * `np.zeros((64, 28, 28))`, `tf.random.normal([8, 10])`, `.astype(...)` allowed), or the first
 * component of a `tf.data.Dataset.from_tensor_slices(...)` of such an array. The first dimension is
 * the batch; one more dimension at least is needed.
 */
function nearbyDataShape(ctx: FileContext, save: PyNode): string | undefined {
  const saveAt = save.blk.offset + save.si;
  const arrays = new Map<string, string[]>();
  let best: string[] | undefined;
  for (const s of ctx.statements) {
    if (s.blk.offset + s.si > saveAt) break;
    walk(s, (n) => {
      if (n.blk.offset + n.si > saveAt) return false;
      if (n.type !== "assignment") return true;
      const left = field(n, "left");
      const right = field(n, "right");
      if (left?.type !== "identifier" || right?.type !== "call") return true;
      const name = text(left);
      const dims = literalDims(right, ctx.bindings);
      if (dims) {
        arrays.set(name, dims);
        if (DATA_NAME.test(name)) best = dims;
        return true;
      }
      if (resolve(ctx.bindings, field(right, "function")) === "tensorflow.data.Dataset.from_tensor_slices") {
        let first = args(right).positional[0];
        while (first && (first.type === "tuple" || first.type === "parenthesized_expression")) first = first.children[0];
        const d =
          first?.type === "identifier" ? arrays.get(text(first)) : first?.type === "call" ? literalDims(first, ctx.bindings) : undefined;
        if (d) best = d;
      }
      return true;
    });
  }
  if (!best || best.length < 2) return undefined;
  const rest = best.slice(1);
  // Names in the shape may not be in scope where the build call goes: literal sizes only.
  if (!rest.every((d) => /^\d+$/.test(d))) return undefined;
  return rest.length === 1 ? `(${rest[0]},)` : `(${rest.join(", ")})`;
}

/** `shape=` of the closest `keras.Input(...)` before the save in the file. */
function nearbyInputShape(ctx: FileContext, save: PyNode): string | undefined {
  let best: string | undefined;
  if (!ctx.source.includes("Input(")) return undefined;
  const saveAt = save.blk.offset + save.si;
  for (const s of ctx.statements) {
    if (s.blk.offset + s.si > saveAt) break;
    walk(s, (n) => {
      if (n.type !== "call" || n.blk.offset + n.si > saveAt) return true;
      const r = resolve(ctx.bindings, field(n, "function"));
      if (r === "keras.Input" || r === "keras.layers.Input") {
        const a = args(n);
        const sh = a.keywords.get("shape") ?? a.positional[0];
        if (sh) best = text(sh);
      }
      return true;
    });
  }
  return best;
}

/**
 * Array constructors with a literal shape, by canonical name: where the shape is (`shape` keyword or
 * positional 0, a `size` keyword, or every positional argument as one dimension each).
 */
const ARRAY_MAKERS: Readonly<Record<string, "shape" | "size" | "dims">> = {
  "numpy.zeros": "shape",
  "numpy.ones": "shape",
  "numpy.empty": "shape",
  "numpy.full": "shape",
  "numpy.random.rand": "dims",
  "numpy.random.randn": "dims",
  "numpy.random.random": "shape",
  "numpy.random.random_sample": "shape",
  "numpy.random.uniform": "size",
  "numpy.random.normal": "size",
  "numpy.random.randint": "size",
  "tensorflow.zeros": "shape",
  "tensorflow.ones": "shape",
  "tensorflow.random.normal": "shape",
  "tensorflow.random.uniform": "shape",
};

/** Names that look like model inputs (`x`, `x_train`, `X`, `inputs`, `features`, `train_images` ...). */
const DATA_NAME = /^(x|X)(_\w+)?$|^\w+_(x|X)$|^(inputs?|features?|data|samples?|images?)(_\w+)?$|^\w+_(inputs?|features?|data|images?)$/;

/** The literal dimensions an array constructor call gives its result, or undefined. */
function literalDims(call: PyNode, bindings: FileContext["bindings"]): string[] | undefined {
  let c = call;
  // `np.zeros(...).astype("float32")`
  const fn0 = field(c, "function");
  if (fn0?.type === "attribute" && text(field(fn0, "attribute")!) === "astype") {
    const obj = field(fn0, "object");
    if (obj?.type !== "call") return undefined;
    c = obj;
  }
  const kind = ARRAY_MAKERS[resolve(bindings, field(c, "function")) ?? ""];
  if (!kind) return undefined;
  const a = args(c);
  const dimsOf = (n: PyNode | undefined): string[] | undefined => {
    if (!n) return undefined;
    if (n.type === "tuple" || n.type === "list") return n.children.map((d) => text(d));
    return n.type === "integer" ? [text(n)] : undefined;
  };
  if (kind === "dims")
    return a.positional.length > 0 && a.positional.every((p) => p.type === "integer") ? a.positional.map((p) => text(p)) : undefined;
  if (kind === "size") return dimsOf(a.keywords.get("size"));
  return dimsOf(a.keywords.get("shape") ?? a.positional[0]);
}

/** `(None, 28, 28)` → `(28, 28)`; `[None, 4]` → `(4,)`; anything else → undefined. */
function shapeFromBuild(call: PyNode): string | undefined {
  const a = args(call);
  const s = a.keywords.get("input_shape") ?? a.positional[0];
  if (!s || (s.type !== "tuple" && s.type !== "list")) return undefined;
  const dims = s.children.map((c) => text(c));
  if (dims.length < 2) return undefined;
  const rest = dims.slice(1);
  return rest.length === 1 ? `(${rest[0]},)` : `(${rest.join(", ")})`;
}

export function statementOf(n: PyNode): PyNode {
  let cur = n;
  while (cur.parent && cur.parent.type !== "block" && cur.parent.type !== "module") cur = cur.parent;
  return cur;
}
