/**
 * SMS101–SMS104: the checks run on every save call the flow walk reaches (flow.ts builds the SaveSite).
 * They are registered, with their codes and families, in rules.ts; the first check that reports wins.
 */
import { stringValue, text, walk, type PyNode } from "./ast.js";
import type { CustomClass } from "./classes.js";
import { Codes, Severity } from "./codes.js";
import { diag, type FileContext, type Finding, type Fix, type PathExt } from "./context.js";
import type { SaveKind, Status, VarState } from "./flow-state.js";

type VersionKey = "2" | "3" | "unknown";

/**
 * tf.saved_model.save exports a class's `@tf.function` methods (those with an input_signature, those
 * traced by earlier calls, and the functions named in `signatures=`), not only its call(): a model used as
 * a container of such methods saves fine in either version, whether or not it was ever called. Whether a
 * method was traced is not visible here, so any `@tf.function` method keeps the rule silent.
 */
function exportsTracedMethods(cls: CustomClass): boolean {
  let traced = false;
  walk(cls.node, (n) => {
    if (n.type === "decorator" && /^@\s*(?:\w+\.)*function\b/.test(text(n))) traced = true;
    return !traced;
  });
  return traced;
}

/**
 * Saving a subclassed model built only with build(shape), by save kind and Keras version (the one
 * place this version logic lives; "unknown" flags only what fails in both versions):
 *   - save() to a directory: tf.keras has no save spec after build() ("Model ... cannot be saved
 *     because the input shapes have not been set"); Keras 3 rejects a path without .keras;
 *   - save() to .keras/.h5: config + weights, fine after build() (HDF5 of subclassed models is SMS104);
 *   - export(): raises in both versions: Keras 3 infers the signature from the first call
 *     (keras/src/export/export_utils.py, "has never called"); tf.keras needs the save spec that only
 *     __call__ records, and Model.build() calls call() directly (tf_keras/export/export_lib.py
 *     export_model, same message);
 *   - tf.saved_model.save: no traced call function or serving signature in either version.
 */
const BUILD_ONLY: Readonly<
  Record<"saveDir" | "saveFile" | "export" | "tfsave", { readonly what: string } & Readonly<Partial<Record<VersionKey, 1 | 2>>>>
> = {
  saveDir: {
    2: Severity.Error,
    3: Severity.Error,
    unknown: Severity.Error,
    what: `Saving it to a directory fails in both Keras versions: tf.keras raises ValueError (no input shapes were recorded, "cannot be saved because the input shapes have not been set") and Keras 3 needs a .keras file.`,
  },
  saveFile: { what: "" },
  export: {
    2: Severity.Error,
    3: Severity.Error,
    unknown: Severity.Error,
    what: `export() raises ValueError in both Keras versions ("The model provided has never called. It must be called at least once before export."): build() records no input signature.`,
  },
  tfsave: {
    2: Severity.Warning,
    3: Severity.Warning,
    unknown: Severity.Warning,
    what: `tf.saved_model.save writes no traced call function or serving signature for it.`,
  },
};

/** What a save check sees of one save call. */
export interface SaveSite {
  readonly ctx: FileContext;
  readonly call: PyNode;
  readonly kind: SaveKind;
  readonly pathNode: PyNode | undefined;
  readonly ext: PathExt;
  readonly name: string;
  readonly v: VarState;
  readonly related: { node: PyNode; message: string }[];
  /** A subclassed keras.Model (not Functional-style, not a Sequential subclass). */
  readonly subclassedModel: boolean;
  /** How the file spells keras.Input. */
  readonly input: string;
  readonly buildFix: (buildCall: PyNode | undefined) => Fix[];
}

/** SMS103: Keras 3 save() needs .keras (or legacy .h5), for any model. */
export function keras3Extension(s: SaveSite): Finding | undefined {
  const cls = s.v.cls;
  if (s.kind !== "save" || s.ctx.version !== 3 || s.ext !== "none" || (cls !== undefined && cls.kind !== "model")) return undefined;
  const fixes: Fix[] = [];
  if (s.pathNode && stringValue(s.pathNode) !== undefined) fixes.push(appendToString(s.pathNode, ".keras", "Save as a .keras file"));
  return {
    diagnostic: diag(
      s.ctx,
      Codes.Keras3SaveExtension,
      Severity.Error,
      s.call,
      `Keras 3 save() only writes .keras files (or legacy .h5): this path has no extension, so Keras raises ValueError ("Invalid filepath extension for saving"). Add ".keras", or use \`${s.name}.export(path)\` to write a TensorFlow SavedModel.`,
      s.related,
    ),
    fixes,
  };
}

/**
 * SMS104: HDF5 of a subclassed model, by save() or by a whole-model ModelCheckpoint given to fit(). tf.keras
 * raises NotImplementedError; Keras 3 writes the legacy file but cannot load it back (it looks the class up by
 * its bare name, "Unknown layer", and with custom_objects restores weights by layer list: "Layer count
 * mismatch ... expected 0 layers", checked with Keras 3.15.1).
 */
export function h5Subclassed(s: SaveSite): Finding | undefined {
  if ((s.kind !== "save" && s.kind !== "checkpoint") || s.ext !== "h5" || !s.subclassedModel) return undefined;
  const ver = s.ctx.version;
  const cls = s.v.cls!;
  const fixes: Fix[] = [];
  if (ver !== 2 && s.pathNode && stringValue(s.pathNode) !== undefined)
    fixes.push(replaceExt(s.pathNode, ".keras", "Save as a .keras file instead"));
  return {
    diagnostic: diag(
      s.ctx,
      Codes.H5Subclassed,
      ver === 2 ? Severity.Error : Severity.Warning,
      s.call,
      ver === 2
        ? `\`${cls.name}\` is a subclassed model: tf.keras refuses to write it to HDF5 (NotImplementedError: "Saving the model to HDF5 format requires the model to be a Functional model or a Sequential model"). Save to a SavedModel directory (no extension) or a .keras file.`
        : `\`${cls.name}\` is a subclassed model saved to HDF5, a legacy format: tf.keras (Keras 2) raises NotImplementedError for subclassed models, and Keras 3 writes the file but cannot load it back ("Unknown layer: '${cls.name}'", and with custom_objects "Layer count mismatch"). Save to a .keras file instead.`,
      s.related,
    ),
    fixes,
  };
}

/** The saved object is a subclassed model/layer whose call was never traced (SMS101/SMS102 apply). */
function needsCall(s: SaveSite, status: Status): CustomClass | undefined {
  const cls = s.v.cls;
  if (!cls || s.v.status !== status) return undefined;
  if (s.kind === "tfsave" && exportsTracedMethods(cls)) return undefined;
  if (cls.kind === "model" ? !s.subclassedModel : s.kind !== "tfsave") return undefined;
  return cls;
}

/** SMS101: saved before it was ever called or trained. */
export function unbuiltSave(s: SaveSite): Finding | undefined {
  const cls = needsCall(s, "unbuilt");
  if (!cls) return undefined;
  const ver = s.ctx.version;
  let severity: 1 | 2;
  let what: string;
  if (s.kind === "tfsave") {
    severity = Severity.Warning;
    what = `tf.saved_model.save writes it without call functions or weights (TensorFlow logs "Skipping full serialization of Keras model ... because its inputs are not defined"): the SavedModel has no serving signature.`;
  } else if (s.kind === "export") {
    severity = Severity.Error;
    what = `export() raises ValueError: Keras needs the model to have been called to know its input signature.`;
  } else {
    if (s.ext === "keras" || s.ext === "h5" || ver === 3) return undefined;
    if (ver === "unknown" && s.ext !== "none") return undefined;
    severity = Severity.Error;
    what =
      ver === 2
        ? `tf.keras raises ValueError ("Model ... cannot be saved because the input shapes have not been set").`
        : `tf.keras raises ValueError ("Model ... cannot be saved because the input shapes have not been set"); Keras 3 rejects the path too (it needs a .keras file).`;
  }
  return {
    diagnostic: diag(
      s.ctx,
      Codes.UnbuiltSave,
      severity,
      s.call,
      `\`${s.name}\` (subclassed \`${cls.name}\`) is saved before it was ever called or trained, so its input shapes are unknown: ${what} Call it once on real or symbolic input before saving, e.g. \`${s.name}(${s.input}(shape=...))\`.`,
      s.related,
    ),
    fixes: s.buildFix(undefined),
  };
}

/** SMS102: built only through build(shape); what each version does is BUILD_ONLY. */
export function buildOnlySave(s: SaveSite): Finding | undefined {
  if (!needsCall(s, "buildOnly")) return undefined;
  // a whole-model ModelCheckpoint saves as save() does, at the end of an epoch
  const rule = BUILD_ONLY[s.kind === "save" || s.kind === "checkpoint" ? (s.ext === "none" ? "saveDir" : "saveFile") : s.kind];
  const severity = rule[String(s.ctx.version) as VersionKey];
  if (severity === undefined) return undefined;
  return {
    diagnostic: diag(
      s.ctx,
      Codes.BuildOnlySave,
      severity,
      s.call,
      `\`${s.name}\` was only built with build(shape): that creates the weights but records no call with real inputs. ${rule.what} Call the model once instead, e.g. \`${s.name}(${s.input}(shape=...))\`.`,
      [...s.related, { node: s.v.buildCall!, message: "built here, without a call" }],
    ),
    fixes: s.buildFix(s.v.buildCall),
  };
}

/** One check on a save call. */
export type SaveCheck = (s: SaveSite) => Finding | undefined;

function appendToString(str: PyNode, suffix: string, title: string): Fix {
  const t = text(str);
  const q = /('''|"""|'|")$/.exec(t)![1]!;
  const endLine = str.blk.row + str.er;
  const endChar = str.ec - q.length;
  return {
    title,
    edits: [{ range: { start: { line: endLine, character: endChar }, end: { line: endLine, character: endChar } }, newText: suffix }],
    preferred: true,
  };
}

function replaceExt(str: PyNode, ext: string, title: string): Fix {
  const t = text(str);
  const m = /\.(h5|hdf5)(['"]{1,3})$/i.exec(t)!;
  const endLine = str.blk.row + str.er;
  const endChar = str.ec - m[2]!.length;
  const startChar = endChar - m[1]!.length - 1;
  return {
    title,
    edits: [{ range: { start: { line: endLine, character: startChar }, end: { line: endLine, character: endChar } }, newText: ext }],
  };
}
