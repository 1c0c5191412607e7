/**
 * SMS301 / SMS302 / SMS202 (disk): `load_model("...")` of a SavedModel directory in the workspace,
 * checked against the Keras metadata Keras wrote into it.
 */
import { Codes, Severity } from "./codes.js";
import { diag, type DiskLookup, type FileContext, type Finding, type Fix } from "./context.js";
import { customObjectsFix } from "./custom-objects.js";
import { kerasSpelling } from "./imports.js";
import { allProvided, type LoadCall } from "./loads.js";
import builtins from "../../core/savedmodel/keras-builtins.json";

const BUILTIN = new Set<string>([...builtins.classes, ...builtins.functions]);

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

export function isBuiltinSavedName(saved: string): boolean {
  const gt = saved.lastIndexOf(">");
  if (gt < 0) return BUILTIN.has(saved);
  const pkg = saved.slice(0, gt);
  return (pkg === "keras" || pkg.startsWith("keras.") || pkg.startsWith("keras_")) && BUILTIN.has(saved.slice(gt + 1));
}

export function diskRules(ctx: FileContext, loads: readonly LoadCall[], lookup: DiskLookup): Finding[] {
  const out: Finding[] = [];
  for (const load of loads) {
    if (load.literal === undefined) continue;
    const res = lookup(load.literal);
    if (res.state !== "ready") continue;
    const model = res.model;
    if (ctx.version === 3) {
      const real = model.signatures.filter((k) => !k.startsWith("__"));
      const endpoints = real.length > 0 ? real : ["serving_default"];
      const endpoint = endpoints.includes("serving_default") ? "serving_default" : endpoints[0]!;
      const spelling = kerasSpelling(ctx.bindings) ?? "keras";
      const replacement = `${spelling}.layers.TFSMLayer(${JSON.stringify(load.literal)}, call_endpoint=${JSON.stringify(endpoint)})`;
      const r = load.call;
      const fix: Fix = {
        title: `Replace with ${replacement}`,
        edits: [
          {
            range: { start: { line: r.blk.row + r.sr, character: r.sc }, end: { line: r.blk.row + r.er, character: r.ec } },
            newText: replacement,
          },
        ],
      };
      out.push({
        diagnostic: diag(
          ctx,
          Codes.Keras3LoadSavedModel,
          Severity.Error,
          load.call,
          `"${load.literal}" is a TensorFlow SavedModel directory: Keras 3 load_model only reads .keras and .h5 files and raises ValueError here. Wrap it as a layer for inference with \`${spelling}.layers.TFSMLayer(path, call_endpoint="${endpoint}")\` (endpoints: ${endpoints.join(", ")}), or use tf.saved_model.load.`,
        ),
        fixes: [fix],
      });
      continue;
    }
    if (!model.keras) continue;
    const entries = allProvided(load);
    if (entries === "opaque") continue;
    const keys = new Set(entries.map((e) => e.key));
    const missing: string[] = [];
    for (const saved of model.savedNames) {
      if (isBuiltinSavedName(saved) || keys.has(saved)) continue;
      const gt = saved.lastIndexOf(">");
      const bare = gt < 0 ? saved : saved.slice(gt + 1);
      const pkg = gt < 0 ? undefined : saved.slice(0, gt);
      if (gt < 0) {
        if ([...ctx.bindings.modules].some((m) => EXTENSION_PACKAGES.has(m))) continue;
        // unregistered at save time: found through custom_objects or get_custom_objects under its bare name
        if ([...ctx.customObjectKeys.values()].some((v) => v.key === saved)) continue;
      } else {
        // registered at save time: registering it the same way in this process is enough
        const local = ctx.classes.get(bare);
        if (local?.registration && local.registration.savedName === saved) continue;
        if ([...ctx.customObjectKeys.values()].some((v) => v.key === saved)) continue;
        if (pkg && ctx.bindings.modules.has(pkg.split(".")[0]!)) continue; // importing the package registers it
        if (!local && ctx.bindings.names.has(bare)) continue; // imported from the module that registers it
        const wrong = entries.find((e) => e.key === bare);
        if (wrong) {
          out.push({
            diagnostic: diag(
              ctx,
              Codes.CustomObjectsKeyMismatch,
              Severity.Warning,
              wrong.keyNode,
              `"${load.literal}" saved this class as "${saved}" (it was registered with package "${pkg}"), and Keras looks up that exact name: the key "${bare}" never matches. Use the key "${saved}".`,
            ),
            fixes: [
              {
                title: `Use the saved name "${saved}"`,
                edits: [
                  {
                    range: {
                      start: { line: wrong.keyNode.blk.row + wrong.keyNode.sr, character: wrong.keyNode.sc },
                      end: { line: wrong.keyNode.blk.row + wrong.keyNode.er, character: wrong.keyNode.ec },
                    },
                    newText: JSON.stringify(saved),
                  },
                ],
                preferred: true,
              },
            ],
          });
          continue;
        }
      }
      missing.push(saved);
    }
    if (missing.length === 0) continue;
    const symbols = missing.map((s) => ({ key: s, value: s.slice(s.lastIndexOf(">") + 1) }));
    const resolvable = symbols.filter((s) => ctx.classes.has(s.value) || ctx.bindings.names.has(s.value) || ctx.functions.has(s.value));
    out.push({
      diagnostic: diag(
        ctx,
        Codes.DiskUnprovidedClasses,
        Severity.Warning,
        load.call,
        `"${load.literal}" was saved with custom ${missing.length > 1 ? "classes" : "class"} ${missing.map((m) => `"${m}"`).join(", ")} that ${missing.length > 1 ? "are" : "is"} neither Keras built-in nor provided here: tf.keras revives ${missing.length > 1 ? "them" : "it"} as generic objects (no Python methods, no get_config, the model cannot be cloned or retrained as written), and HDF5/.keras loading fails with "Unknown layer". Pass custom_objects with these exact names.`,
      ),
      fixes: customObjectsFix(ctx, load, resolvable),
    });
  }
  return out;
}
