/**
 * SMS103 beyond save(): the other Keras 3 calls that check a path's extension before writing.
 *   - `save_weights(path)` needs `.weights.h5` unless `max_shard_size` is given
 *     (keras/src/saving/saving_api.py save_weights: "The filename must end in `.weights.h5`");
 *   - `ModelCheckpoint(path)` needs `.keras` or `.h5`, and `.weights.h5` with `save_weights_only=True`
 *     (keras/src/callbacks/model_checkpoint.py __init__, ValueError at construction).
 * tf.keras (Keras 2) accepts any of these paths (a TF checkpoint or a SavedModel), so only Keras 3
 * files are checked.
 */
import { args, field, range, text, walk, type PyNode } from "./ast.js";
import { Codes, Severity } from "./codes.js";
import { boundValue, finding, isFallbackSave, listItems, pathValue, type FileContext, type Finding, type Fix } from "./context.js";
import { kerasPublic, resolve } from "./imports.js";

interface PathRule {
  /** Extensions accepted (lower case), given the call's keywords. */
  readonly accepts: (keywords: Map<string, PyNode>) => readonly string[] | undefined;
  readonly pathArg: string;
  readonly what: string;
  readonly raises: string;
}

const WEIGHTS: PathRule = {
  accepts: (kw) => (kw.has("max_shard_size") ? undefined : [".weights.h5"]),
  pathArg: "filepath",
  what: "save_weights()",
  raises: 'ValueError ("The filename must end in `.weights.h5`")',
};

const CHECKPOINT: PathRule = {
  accepts: (kw) => {
    const only = kw.get("save_weights_only");
    if (!only) return [".keras", ".h5"];
    const v = text(only);
    return v === "True" ? [".weights.h5"] : v === "False" ? [".keras", ".h5"] : undefined;
  },
  pathArg: "filepath",
  what: "ModelCheckpoint",
  raises: 'ValueError when the callback is created ("the filepath provided must end in ...")',
};

/** Which rule a call falls under: a `.save_weights(...)` method call, or `keras.callbacks.ModelCheckpoint(...)`. */
function ruleOf(ctx: FileContext, call: PyNode): PathRule | undefined {
  const fn = field(call, "function");
  if (fn?.type === "attribute" && text(field(fn, "attribute")!) === "save_weights") return WEIGHTS;
  const r = resolve(ctx.bindings, fn);
  return r && kerasPublic(r) === "keras.callbacks.ModelCheckpoint" ? CHECKPOINT : undefined;
}

/**
 * The ModelCheckpoint callbacks given to a `fit(..., callbacks=[...])` call that save the whole model
 * (not `save_weights_only=True`): written inline or bound to a name in this file. Each is a save of the
 * fitted model to its path (flow.ts records it, for loads of that path; the checks run at the callback).
 */
export function checkpointSaves(ctx: FileContext, fit: PyNode): { call: PyNode; pathNode: PyNode }[] {
  const out: { call: PyNode; pathNode: PyNode }[] = [];
  for (const item of listItems(ctx, args(fit).keywords.get("callbacks"))) {
    const call = item.type === "identifier" ? boundValue(ctx, item) : item;
    if (call?.type !== "call" || ruleOf(ctx, call) !== CHECKPOINT) continue;
    const a = args(call);
    const pathNode = a.keywords.get("filepath") ?? a.positional[0];
    const weightsOnly = a.keywords.get("save_weights_only");
    if (pathNode && (!weightsOnly || text(weightsOnly) === "False")) out.push({ call, pathNode });
  }
  return out;
}

/** The path's known ending: the whole constant value, or the literal text after the last interpolation. */
function knownEnding(ctx: FileContext, n: PyNode): string | undefined {
  const v = pathValue(ctx, n);
  if (v === undefined) return undefined;
  const body = v.startsWith("\u0000") ? v.slice(1) : v;
  return body.length === 0 ? undefined : body.toLowerCase();
}

function check(ctx: FileContext, call: PyNode, rule: PathRule): Finding | undefined {
  const a = args(call);
  const accepts = rule.accepts(a.keywords);
  const pathNode = a.keywords.get(rule.pathArg) ?? a.positional[0];
  if (!accepts || !pathNode) return undefined;
  const ending = knownEnding(ctx, pathNode);
  if (ending === undefined || accepts.some((e) => ending.endsWith(e))) return undefined;
  const fixes: Fix[] = [];
  const want = accepts[0]!;
  if (pathNode.type === "string" && !text(pathNode).startsWith("f")) fixes.push(appendExt(pathNode, want));
  const message = `Keras 3 ${rule.what} needs a path ending in ${accepts.map((e) => `"${e}"`).join(" or ")}: this one does not, so Keras raises ${rule.raises}.`;
  return finding(ctx, Codes.Keras3SaveExtension, Severity.Error, call, message, fixes);
}

/** Replaces the literal's extension (if any) by `ext`: "model.h5" → "model.weights.h5", "ckpt" → "ckpt.weights.h5". */
function appendExt(node: PyNode, ext: string): Fix {
  const t = text(node);
  const q = /(['"])\1\1$|['"]$/.exec(t)![0];
  const body = t.slice(0, t.length - q.length);
  const stem = ext === ".weights.h5" ? body.replace(/\.(h5|hdf5|keras|ckpt)$/i, "") : body;
  const newText = `${stem}${ext}${q}`;
  return { title: `Save to ${newText}`, edits: [{ range: range(node), newText }], preferred: true };
}

/**
 * `x.save(path, save_format="tf")` / `keras.saving.save_model(x, path, save_format="tf")` on an object the flow
 * walk does not track (returned by a helper, read from an attribute): only a Keras model takes that argument,
 * and Keras 3 rejects it ("The `save_format` argument is deprecated in Keras 3 ... got save_format=tf").
 */
function tfFormatSave(ctx: FileContext, call: PyNode): Finding | undefined {
  const a = args(call);
  const fmt = a.keywords.get("save_format");
  if (!fmt || !/^['"]tf['"]$/.test(text(fmt))) return undefined;
  const fn = field(call, "function");
  const r = resolve(ctx.bindings, fn);
  const isSave =
    (fn?.type === "attribute" && text(field(fn, "attribute")!) === "save") || (r !== undefined && SAVE_FUNCS.test(kerasPublic(r)));
  if (!isSave) return undefined;
  const message =
    'Keras 3 save() no longer writes TensorFlow SavedModels: save_format="tf" raises ValueError. Save to a .keras file, or use `model.export(path)` for a SavedModel.';
  return finding(ctx, Codes.Keras3SaveExtension, Severity.Error, call, message);
}

const SAVE_FUNCS = /^keras\.(models\.save_model|saving\.save_model)$/;

/** SMS103 for save_weights() and ModelCheckpoint paths, and save_format="tf" on untracked objects; Keras 3 files only. */
export function keras3PathRules(ctx: FileContext, tracked: ReadonlySet<PyNode>): Finding[] {
  if (ctx.version !== 3 || !/save_weights|ModelCheckpoint|save_format/.test(ctx.source)) return [];
  const out: Finding[] = [];
  for (const s of ctx.statements) {
    walk(s, (n) => {
      if (n.type !== "call" || isFallbackSave(n)) return true;
      const rule = ruleOf(ctx, n);
      const f = rule ? check(ctx, n, rule) : tracked.has(n) ? undefined : tfFormatSave(ctx, n);
      if (f) out.push(f);
      return true;
    });
  }
  return out;
}
