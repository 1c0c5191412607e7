/**
 * SMS301 / SMS302 / SMS202 / SMS201 (disk): `load_model("...")` of a SavedModel directory in the workspace,
 * checked against the Keras metadata Keras wrote into it, or of a `.keras` / `.h5` file, checked against the
 * custom objects its config names (core/savedmodel/keras-file.ts). A model file's missing object fails the
 * load: `.h5` in both versions; `.keras` in Keras 3, and in tf.keras unless this file defines or imports it
 * (tf.keras imports the module the file recorded, `__main__` being the loading script).
 */
import { Codes, Severity } from "./codes.js";
import { range } from "./ast.js";
import { diag, finding, knownHere, type DiskLookup, type DiskModel, type FileContext, type Finding } from "./context.js";
import { customObjectsFix } from "./custom-objects.js";
import { kerasSpelling } from "./imports.js";
import { allProvided, type LoadCall, type ProvidedEntry } from "./loads.js";
import { isBuiltinName } from "../../core/savedmodel/keras-file.js";

/** Packages whose models are meant to be loaded by importing the package (their classes revive as intended). */
const EXTENSION_PACKAGES = new Set([
  "tensorflow_decision_forests",
  "tensorflow_hub",
  "keras_nlp",
  "keras_cv",
  "keras_hub",
  "tensorflow_recommenders",
  "tensorflow_addons",
  "tensorflow_text",
  "transformers",
]);

export function diskRules(ctx: FileContext, loads: readonly LoadCall[], lookup: DiskLookup): Finding[] {
  const out: Finding[] = [];
  for (const load of loads) {
    // a literal as written, else the path the file's constants and option defaults spell (`"models/" + args.m + ".h5"`)
    const path = load.literal ?? load.key;
    const res = path === undefined ? undefined : lookup(path);
    if (path === undefined || res?.state !== "ready") continue;
    const model = res.model;
    if (model.format === "savedmodel" && ctx.version === 3) {
      out.push(savedModelInKeras3(ctx, load, path, model));
      continue;
    }
    if (!model.keras) continue;
    const entries = allProvided(load);
    if (entries === "opaque") continue;
    const file = model.format !== "savedmodel";
    const names = file && load.compile ? [...model.savedNames, ...(model.compileNames ?? [])] : model.savedNames;
    // a model file's names are custom already (its reader weighed the recorded module), a SavedModel's are all classes
    const { missing, misKeyed } = unprovided(ctx, entries, file ? names : names.filter((n) => !isBuiltinName(n, "class")));
    for (const { entry, saved } of misKeyed) out.push(misKeyedEntry(ctx, path, entry, saved));
    // tf.keras imports the module a .keras file recorded: a class this file defines or imports is found
    const fails = file && model.format === "keras" && ctx.version !== 3 ? missing.filter((m) => !knownHere(ctx, bareName(m))) : missing;
    if (fails.length > 0) out.push(file ? fileUnprovided(ctx, load, path, fails) : savedModelUnprovided(ctx, load, path, fails));
  }
  return out;
}

const bareName = (saved: string): string => saved.slice(saved.lastIndexOf(">") + 1);

/** `load_model("dir")` of a SavedModel directory in Keras 3, which only reads .keras and .h5 files (SMS302). */
function savedModelInKeras3(ctx: FileContext, load: LoadCall, literal: string, model: DiskModel): Finding {
  const real = model.signatures.filter((k) => !k.startsWith("__"));
  const endpoints = real.length > 0 ? real : ["serving_default"];
  const endpoint = endpoints.includes("serving_default") ? "serving_default" : endpoints[0]!;
  const spelling = kerasSpelling(ctx.bindings) ?? "keras";
  const replacement = `${spelling}.layers.TFSMLayer(${JSON.stringify(literal)}, call_endpoint=${JSON.stringify(endpoint)})`;
  return {
    diagnostic: diag(
      ctx,
      Codes.Keras3LoadSavedModel,
      Severity.Error,
      load.call,
      `"${literal}" is a TensorFlow SavedModel directory: Keras 3 load_model only reads .keras and .h5 files and raises ValueError here. Wrap it as a layer for inference with \`${spelling}.layers.TFSMLayer(path, call_endpoint="${endpoint}")\` (endpoints: ${endpoints.join(", ")}), or use tf.saved_model.load.`,
    ),
    fixes: [{ title: `Replace with ${replacement}`, edits: [{ range: range(load.call), newText: replacement }] }],
  };
}

/**
 * Saved names this load does not provide: neither built-in, passed under that key, registered the same way
 * here, nor imported from the module that registers them. A name passed under its bare key while Keras saved
 * it with a package is mis-keyed.
 */
function unprovided(
  ctx: FileContext,
  entries: readonly ProvidedEntry[],
  names: readonly string[],
): { missing: string[]; misKeyed: { entry: ProvidedEntry; saved: string }[] } {
  const keys = new Set(entries.map((e) => e.key));
  const registeredKeys = new Set([...ctx.customObjectKeys.values()].map((v) => v.key));
  const out: { missing: string[]; misKeyed: { entry: ProvidedEntry; saved: string }[] } = { missing: [], misKeyed: [] };
  for (const saved of names) {
    if (keys.has(saved) || registeredKeys.has(saved)) continue;
    const gt = saved.lastIndexOf(">");
    const bare = bareName(saved);
    if (gt < 0) {
      if ([...ctx.bindings.modules].some((m) => EXTENSION_PACKAGES.has(m))) continue;
    } else {
      // registered at save time: registering it the same way in this process is enough
      const local = ctx.classes.get(bare);
      if (local?.registration && local.registration.savedName === saved) continue;
      if (ctx.bindings.modules.has(saved.slice(0, gt).split(".")[0]!)) continue; // importing the package registers it
      if (!local && ctx.bindings.names.has(bare)) continue; // imported from the module that registers it
      const wrong = entries.find((e) => e.key === bare);
      if (wrong) {
        out.misKeyed.push({ entry: wrong, saved });
        continue;
      }
    }
    out.missing.push(saved);
  }
  return out;
}

function misKeyedEntry(ctx: FileContext, literal: string, wrong: ProvidedEntry, saved: string): Finding {
  const pkg = saved.slice(0, saved.lastIndexOf(">"));
  return {
    diagnostic: diag(
      ctx,
      Codes.CustomObjectsKeyMismatch,
      Severity.Warning,
      wrong.keyNode,
      `"${literal}" saved this class as "${saved}" (it was registered with package "${pkg}"), and Keras looks up that exact name: the key "${bareName(saved)}" never matches. Use the key "${saved}".`,
    ),
    fixes: [
      { title: `Use the saved name "${saved}"`, edits: [{ range: range(wrong.keyNode), newText: JSON.stringify(saved) }], preferred: true },
    ],
  };
}

/** The custom_objects entries a fix can write: names this file can reach. */
function reachable(ctx: FileContext, missing: readonly string[]): { key: string; value: string }[] {
  return missing.map((s) => ({ key: s, value: bareName(s) })).filter((s) => knownHere(ctx, s.value));
}

function savedModelUnprovided(ctx: FileContext, load: LoadCall, literal: string, missing: readonly string[]): Finding {
  return {
    diagnostic: diag(
      ctx,
      Codes.DiskUnprovidedClasses,
      Severity.Warning,
      load.call,
      `"${literal}" was saved with custom ${missing.length > 1 ? "classes" : "class"} ${missing.map((m) => `"${m}"`).join(", ")} that ${missing.length > 1 ? "are" : "is"} neither Keras built-in nor provided here: tf.keras revives ${missing.length > 1 ? "them" : "it"} as generic objects (no Python methods, no get_config, the model cannot be cloned or retrained as written), and HDF5/.keras loading fails with "Unknown layer". Pass custom_objects with these exact names.`,
    ),
    fixes: customObjectsFix(ctx, load, reachable(ctx, missing)),
  };
}

/** A `.keras` / `.h5` file on disk names objects this load cannot find: loading fails (SMS201). */
function fileUnprovided(ctx: FileContext, load: LoadCall, literal: string, missing: readonly string[]): Finding {
  const list = missing.map((m) => `"${m}"`).join(", ");
  return finding(
    ctx,
    Codes.UnprovidedCustomClass,
    Severity.Error,
    load.call,
    `"${literal}" names the custom ${missing.length > 1 ? "objects" : "object"} ${list} (read from the file), which this load neither passes in custom_objects nor finds registered: loading fails ("Unknown layer"/"Unknown ... function" in tf.keras, "Could not locate class/function" in Keras 3). Pass custom_objects with these exact names, or register ${missing.length > 1 ? "them" : "it"} where ${missing.length > 1 ? "they are" : "it is"} defined and import that module.`,
    customObjectsFix(ctx, load, reachable(ctx, missing)),
  );
}
