/**
 * Saves linked across files by their literal path: a training script saves a model with registered
 * custom classes, a serving script in the same workspace loads that path. Pure: the host collects
 * every file's `WorkspaceSave`s from its analysis result and hands the other files' ones back in.
 *
 * SMS202 across files: the serving script passes its own unregistered copy of a class as
 * `custom_objects={"Name": Name}`, but the training script registered it, so Keras saved it as
 * `package>Name` and looks that key up. Whether that fails depends on the loader's version and the
 * format (stated once, in KEY_FAILS):
 *   - .h5: both versions look up the saved class name ("Unknown layer: 'package>Name'");
 *   - .keras: Keras 3 looks up the registered name, then imports only keras packages ("Could not
 *     locate class"); tf.keras falls back to importing the class's module, `__main__`, which in the
 *     serving process is the serving script with its copy of the class — it loads;
 *   - SavedModel directory: tf.keras revives a generic object; Keras 3 cannot load it (SMS302).
 */
import { Codes, Severity } from "./codes.js";
import {
  diag,
  extOf,
  finding,
  memberConstant,
  normalizePath,
  parameterNames,
  pathIndex,
  type FileContext,
  type Finding,
  type PathExt,
} from "./context.js";
import { enclosing, range, type PyNode } from "./ast.js";
import { keyOfSave, registeredFunctions, savedClasses } from "./custom-objects.js";
import type { SaveRecord } from "./flow.js";
import { resolve } from "./imports.js";
import { allProvided, type LoadCall } from "./loads.js";
import { trainerSaves } from "./trainers.js";
import { fileName, importedModules, importedUses, type Need, type WorkspaceDefs } from "./workspace-needs.js";

export interface WorkspaceSave {
  readonly uri: string;
  /** Normalized literal path; "" when only run time knows it (or while `ref` is unresolved). */
  readonly key: string;
  /**
   * A path the saving file imports (`from config import MODEL_FILE` … `model.save(MODEL_FILE)`): the dotted
   * name, resolved against the workspace's modules when a loading file links to it (linkedSaves).
   */
  readonly ref?: string;
  readonly ext: PathExt;
  /**
   * Custom classes of the saved model that this (saving) file registers: class name, the name Keras saves
   * (`pkg>Name`), and whether only compile() needs it (a loss or metric class).
   */
  readonly registered: readonly (readonly [string, string, "class" | "compile"])[];
  /** Custom objects a load of this path must provide (crossFileUnprovided, workspace-needs.ts). */
  readonly needs: readonly Need[];
  /** The saved model's custom class, when the flow walk knows it. */
  readonly cls?: string;
  /** The saved variable (`pred_model` of `pred_model.save(...)`). */
  readonly model?: string;
  /** When only run time knows the path: its known ending, when that fixes the file name (trainers.ts endingNames). */
  readonly ending?: string;
  /** The trainer class method that saves the model (`Crested.fit`), when the file does not save it itself. */
  readonly savedBy?: string;
  /** The save runs with the saving file as `__main__` (a module-level save, or a file with a `__main__` guard). */
  readonly script?: true;
}

const KEY_FAILS: Readonly<Partial<Record<PathExt, Readonly<Record<"2" | "3" | "unknown", boolean>>>>> = {
  h5: { 2: true, 3: true, unknown: true },
  keras: { 2: false, 3: true, unknown: false },
};

/** This file's saves that other files can link to (path, registered custom classes, what a load needs). */
export function exportedSaves(ctx: FileContext, saves: readonly SaveRecord[], defs: readonly WorkspaceDefs[] = []): WorkspaceSave[] {
  const out: WorkspaceSave[] = [];
  let imported: Need[] | undefined;
  // a model handed to a workspace trainer class that checkpoints it (trainers.ts): what the file handed to
  // Keras before that call belongs to it
  for (const t of trainerSaves(ctx, defs)) {
    const needs = (imported ??= importedUses(ctx)).filter((n) => n.at === undefined || n.at < t.at);
    out.push({ uri: ctx.uri, key: "", ext: t.ext, registered: [], needs, model: t.model, ending: t.ending, savedBy: t.savedBy });
  }
  let guarded: boolean | undefined;
  for (const s of saves) {
    const key = keyOfSave(ctx, s);
    const ref = key === undefined ? importedPath(ctx, s.pathNode) : undefined;
    const registered: [string, string, "class" | "compile"][] = [];
    const needs: Need[] = [];
    for (const c of savedClasses(ctx, s)) {
      const cls = ctx.classes.get(c);
      const reg = cls?.registration;
      const role = cls?.kind === "loss" || cls?.kind === "metric" ? "compile" : "class";
      if (reg && !reg.bare && reg.savedName !== c) registered.push([c, reg.savedName, role]);
      else if (cls && !reg) needs.push({ name: c, role });
    }
    if (s.ext === "keras" || s.ext === "h5" || key === undefined) {
      for (const f of s.scopeFunctions) if (!registeredFunctions(ctx).has(f.name)) needs.push({ name: f.name, role: f.role });
      // an imported object handed to Keras after this save belongs to a later model, unless the save is of a
      // parameter (`def train_model(args, model): ... model.save(path)`): its callers, anywhere, pass the model
      const at = savesParameter(s) ? Infinity : s.call.blk.offset + s.call.si;
      needs.push(...(imported ??= importedUses(ctx)).filter((n) => n.at === undefined || n.at < at));
    }
    // every save, also one that needs nothing (a bare file name links only to the one save of that name) or
    // whose path only run time knows (runtimePathLoads weighs every model the workspace saves)
    out.push({
      uri: ctx.uri,
      key: key ?? "",
      ...(ref !== undefined ? { ref } : {}),
      ext: s.ext,
      registered,
      needs,
      ...(s.cls ? { cls: s.cls.name } : {}),
      model: s.varName,
      ...(registered.length > 0 && runsAsMain(s.call, (guarded ??= MAIN_GUARD.test(ctx.source))) ? { script: true as const } : {}),
    });
  }
  return out;
}

/** Whether the save is of a parameter of the function it is in. */
function savesParameter(s: SaveRecord): boolean {
  const def = enclosing(s.call, "function_definition");
  return def !== undefined && parameterNames(def).includes(s.varName);
}

/** The dotted import a save's path names, when the path is an imported name (`MODEL_FILE`, `config.MODEL_FILE`). */
function importedPath(ctx: FileContext, n: PyNode | undefined): string | undefined {
  if (n?.type !== "identifier" && n?.type !== "attribute") return undefined;
  const from = resolve(ctx.bindings, n);
  return from && !/^(tensorflow|keras|tf_keras|keras_core|os|sys)(\.|$)/.test(from) ? from : undefined;
}

/**
 * The workspace's saves as a loading file links to them: a save through an imported path takes the value
 * the workspace module gives it, and its format from that value; one whose module we have not seen keeps
 * no path. The same array for the same inputs (the server hands every analysis the same ones).
 */
const linkedCache = new WeakMap<readonly WorkspaceSave[], { defs: readonly WorkspaceDefs[]; out: readonly WorkspaceSave[] }>();
export function linkedSaves(saves: readonly WorkspaceSave[], defs: readonly WorkspaceDefs[]): readonly WorkspaceSave[] {
  if (!saves.some((s) => s.ref !== undefined)) return saves;
  const hit = linkedCache.get(saves);
  if (hit?.defs === defs) return hit.out;
  const out: WorkspaceSave[] = [];
  for (const s of saves) {
    if (s.ref === undefined) {
      out.push(s);
      continue;
    }
    const v = memberConstant(s.ref, defs, s.uri);
    out.push(v === undefined ? s : { ...s, key: normalizePath(v), ext: s.ext === "unknown" ? extOf(v) : s.ext });
  }
  linkedCache.set(saves, { defs, out });
  return out;
}

/** The workspace's saves by path (context.ts pathIndex), once per analysis: a workspace holds thousands. */
const savedAtCache = new WeakMap<readonly WorkspaceSave[], (key: string) => WorkspaceSave[]>();
function savedAt(saves: readonly WorkspaceSave[]): (key: string) => WorkspaceSave[] {
  let hit = savedAtCache.get(saves);
  if (!hit) savedAtCache.set(saves, (hit = pathIndex(saves, (s) => s.key)));
  return hit;
}

export function crossFileKeyMismatches(ctx: FileContext, loads: readonly LoadCall[], others: readonly WorkspaceSave[]): Finding[] {
  const out: Finding[] = [];
  if (others.length === 0) return out;
  const version = String(ctx.version) as "2" | "3" | "unknown";
  for (const load of loads) {
    if (!load.key) continue;
    const entries = allProvided(load);
    if (entries === "opaque" || entries.length === 0) continue;
    for (const save of savedAt(others)(normalizePath(load.key))) {
      if (save.uri === ctx.uri || !KEY_FAILS[save.ext]?.[version]) continue;
      for (const [clsName, savedName] of save.registered) {
        if (entries.some((e) => e.key === savedName)) continue;
        const e = entries.find((x) => x.key === clsName);
        if (!e?.value) continue;
        const local = ctx.classes.get(e.value);
        if (!local || (local.registration && !local.registration.bare)) continue; // imported or registered here: found
        out.push({
          diagnostic: diag(
            ctx,
            Codes.CustomObjectsKeyMismatch,
            Severity.Error,
            e.keyNode,
            `${fileName(save.uri)} registers \`${clsName}\` and saves this path, so Keras wrote the class as "${savedName}" and looks that key up at load; this file's unregistered copy under the key "${clsName}" never matches ("Unknown layer: '${savedName}'" / "Could not locate class '${savedName}'"). Use the key "${savedName}", or import the registered class from the training code.`,
            [{ node: local.nameNode, message: `unregistered copy of \`${clsName}\`` }],
          ),
          fixes: [
            {
              title: `Use the saved name "${savedName}"`,
              edits: [{ range: range(e.keyNode), newText: JSON.stringify(savedName) }],
              preferred: true,
            },
          ],
        });
      }
    }
  }
  return out;
}

/**
 * SMS201 across files: registering runs when the registering file runs. A training script that registers
 * its own class and saves a path, and a serving script that loads that path without importing the training
 * script: the class was never registered in the serving process. Keras 3 looks the saved name up in the
 * registry and custom_objects only ("Could not locate class 'pkg>Name' ... make sure they are all imported
 * so that the decorator is run", keras/src/saving/serialization_lib.py); tf.keras (.h5 by the saved name,
 * .keras through `__main__`, which is the serving script) fails the same way. A serving script that
 * defines, imports or passes the class under any key is left to the key rules.
 */
export function crossFileUnimportedRegistrations(
  ctx: FileContext,
  loads: readonly LoadCall[],
  others: readonly WorkspaceSave[],
): Finding[] {
  const out: Finding[] = [];
  if (others.length === 0) return out;
  for (const load of loads) {
    if (!load.key) continue;
    const entries = allProvided(load);
    if (entries === "opaque") continue;
    const save = savedAt(others)(normalizePath(load.key)).find(
      (s) => s.uri !== ctx.uri && s.registered.length > 0 && REGISTRY_FAILS[s.ext]?.(ctx, s),
    );
    if (!save || importsModuleOf(ctx, save.uri)) continue;
    const missing = save.registered.filter(
      ([name, saved, role]) =>
        (role === "class" || load.compile) &&
        !ctx.classes.has(name) &&
        !ctx.functions.has(name) &&
        !ctx.bindings.names.has(name) &&
        !ctx.customObjectKeys.has(name) &&
        !ctx.customObjectKeys.has(saved) &&
        !entries.some((e) => e.key === saved || e.key === name || e.value === name),
    );
    if (missing.length === 0) continue;
    const where = fileName(save.uri);
    const list = missing.map(([n, s]) => `\`${n}\` ("${s}")`).join(", ");
    out.push(
      finding(
        ctx,
        Codes.UnprovidedCustomClass,
        Severity.Error,
        load.call,
        `The model ${where} saves to this path uses ${list}, registered only while ${where} runs: this file never imports it, so the class is not registered here and loading fails ("Could not locate class" in Keras 3, "Unknown layer" in tf.keras). Move the class to a module both files import, or pass custom_objects={${missing.map(([n, s]) => `"${s}": ${n}`).join(", ")}}.`,
      ),
    );
  }
  return out;
}

/**
 * Whether an unregistered-here class fails the load, by format: .h5 looks the saved name up in both
 * versions; .keras in tf.keras imports the class's module, which finds it unless that module was `__main__`.
 */
const REGISTRY_FAILS: Partial<Record<PathExt, (ctx: FileContext, save: WorkspaceSave) => boolean>> = {
  h5: () => true,
  keras: (ctx, save) => ctx.version === 3 || save.script === true,
};

const MAIN_GUARD = /__name__\s*==\s*["']__main__["']/;

/** Whether the save runs with its file as `__main__`: the file has a main guard, or the save is not inside a definition. */
function runsAsMain(call: PyNode, guarded: boolean): boolean {
  if (guarded) return true;
  for (let n = call.parent; n; n = n.parent) if (n.type === "function_definition" || n.type === "class_definition") return false;
  return true;
}

/**
 * Whether the file imports the module of that file anywhere (`import train`, `from train import X`,
 * `from pkg.train import X`, also inside a function).
 */
function importsModuleOf(ctx: FileContext, uri: string): boolean {
  const stem = fileName(uri).replace(/\.py$/, "");
  return importedModules(ctx.source).some((m) => m.split(".").includes(stem));
}
