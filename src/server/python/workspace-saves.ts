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
import { diag, normalizePath, samePath, type FileContext, type Finding, type PathExt } from "./context.js";
import { range } from "./ast.js";
import { keyOfSave, registeredFunctions, savedClasses } from "./custom-objects.js";
import type { SaveRecord } from "./flow.js";
import { allProvided, type LoadCall } from "./loads.js";
import { fileName, importedUses, type Need } from "./workspace-needs.js";

export interface WorkspaceSave {
  readonly uri: string;
  /** Normalized literal path. */
  readonly key: string;
  readonly ext: PathExt;
  /** Custom classes of the saved model that are registered: class name → name Keras saves (`pkg>Name`). */
  readonly registered: readonly (readonly [string, string])[];
  /** Custom objects a load of this path must provide (crossFileUnprovided, workspace-needs.ts). */
  readonly needs: readonly Need[];
  /** The saved model's custom class, when the flow walk knows it. */
  readonly cls?: string;
}

const KEY_FAILS: Readonly<Partial<Record<PathExt, Readonly<Record<"2" | "3" | "unknown", boolean>>>>> = {
  h5: { 2: true, 3: true, unknown: true },
  keras: { 2: false, 3: true, unknown: false },
};

/** This file's saves that other files can link to (literal path, registered custom classes). */
export function exportedSaves(ctx: FileContext, saves: readonly SaveRecord[]): WorkspaceSave[] {
  const out: WorkspaceSave[] = [];
  let imported: Need[] | undefined;
  for (const s of saves) {
    const key = keyOfSave(ctx, s);
    if (key === undefined) continue;
    const registered: [string, string][] = [];
    const needs: Need[] = [];
    for (const c of savedClasses(ctx, s)) {
      const cls = ctx.classes.get(c);
      const reg = cls?.registration;
      if (reg && !reg.bare && reg.savedName !== c) registered.push([c, reg.savedName]);
      else if (cls && !reg) needs.push({ name: c, role: cls.kind === "loss" || cls.kind === "metric" ? "compile" : "class" });
    }
    if (s.ext === "keras" || s.ext === "h5") {
      for (const f of s.scopeFunctions) if (!registeredFunctions(ctx).has(f.name)) needs.push({ name: f.name, role: f.role });
      // an imported object handed to Keras after this save belongs to a later model
      const at = s.call.blk.offset + s.call.si;
      needs.push(...(imported ??= importedUses(ctx)).filter((n) => n.at === undefined || n.at < at));
    }
    if (registered.length > 0 || needs.length > 0)
      out.push({ uri: ctx.uri, key, ext: s.ext, registered, needs, ...(s.cls ? { cls: s.cls.name } : {}) });
  }
  return out;
}

export function crossFileKeyMismatches(ctx: FileContext, loads: readonly LoadCall[], others: readonly WorkspaceSave[]): Finding[] {
  const out: Finding[] = [];
  if (others.length === 0) return out;
  const version = String(ctx.version) as "2" | "3" | "unknown";
  for (const load of loads) {
    if (!load.key) continue;
    const entries = allProvided(load);
    if (entries === "opaque" || entries.length === 0) continue;
    const key = normalizePath(load.key);
    for (const save of others) {
      if (save.uri === ctx.uri || !samePath(save.key, key) || !KEY_FAILS[save.ext]?.[version]) continue;
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
