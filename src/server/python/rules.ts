/**
 * The one registry of the Python rules: every diagnostic code with its pitfall family (the families
 * issue 16 measures on the real-world corpus) and the function that reports it.
 *   - "save" rules are tried, in table order, on every save call the flow walk reaches (flow.ts); the
 *     first that reports wins, so a save call gets one diagnostic;
 *   - "file" rules run once per analysis; a function that reports several codes is listed under each
 *     and still runs once (analyzePython runs the distinct functions in table order).
 * Adding a rule: a code in codes.ts, its function, one row here.
 */
import { text, type PyNode } from "./ast.js";
import { Codes, type Code } from "./codes.js";
import { normalizePath, type FileContext, type Finding } from "./context.js";
import { customObjectRules, keyOfSave, registeredFunctions } from "./custom-objects.js";
import { keras3PathRules } from "./k3-paths.js";
import { loadAfterCustomCompile, loadedAsCustomModel } from "./load-usage.js";
import { diskRules } from "./disk.js";
import { memo } from "./facts.js";
import type { FlowResult } from "./flow-state.js";
import type { LoadCall } from "./loads.js";
import { buildOnlySave, h5Subclassed, keras3Extension, unbuiltSave, type SaveCheck } from "./save-rules.js";
import type { DiskLookup } from "./context.js";
import {
  constructedElsewhere,
  crossFileUnprovided,
  hubLayerLoads,
  keysNamingNothing,
  objectKeys,
  runtimePathLoads,
  type WorkspaceDefs,
} from "./workspace-needs.js";
import { crossFileKeyMismatches, crossFileUnimportedRegistrations, type WorkspaceSave } from "./workspace-saves.js";

/** What a file rule sees. */
export interface RuleEnv {
  readonly ctx: FileContext;
  readonly flow: FlowResult;
  readonly loads: LoadCall[];
  readonly workspaceSaves: readonly WorkspaceSave[];
  /** This file's own linkable saves (imported custom objects are checked at its own loads too). */
  readonly ownSaves: readonly WorkspaceSave[];
  readonly workspaceDefs: readonly WorkspaceDefs[];
  /** Models on disk, when the setting allows looking at them. */
  readonly disk: DiskLookup | undefined;
}

export type FileRule = (e: RuleEnv) => Finding[];

export type Rule =
  | { readonly code: Code; readonly family: string; readonly kind: "save"; readonly check: SaveCheck }
  | { readonly code: Code; readonly family: string; readonly kind: "file"; readonly run: FileRule };

/** The flow walk's own findings: the save rules' diagnostics and the placeholder-shape one. */
const flowFindings: FileRule = (e) => e.flow.findings;
const customObjects: FileRule = (e) =>
  customObjectRules(e.ctx, e.flow.saves, e.loads, e.workspaceSaves.length > 0 ? constructedElsewhere(e.ctx, e.workspaceSaves) : undefined);
const crossFile: FileRule = (e) => crossFileKeyMismatches(e.ctx, e.loads, e.workspaceSaves);
const crossRegistrations: FileRule = (e) => crossFileUnimportedRegistrations(e.ctx, e.loads, e.workspaceSaves);
const crossNeeds: FileRule = (e) => crossFileUnprovided(e.ctx, e.loads, [...e.workspaceSaves, ...e.ownSaves], e.workspaceDefs);
const runtimePaths: FileRule = (e) =>
  e.loads.length === 0 ? [] : runtimePathLoads(e.ctx, e.loads, [...e.workspaceSaves, ...e.ownSaves], e.workspaceDefs, e.disk);
const loadUsage: FileRule = (e) => loadedAsCustomModel(e.ctx, e.loads, e.workspaceDefs);
/**
 * Paths written by any `x.save("...")` / `save_model(x, "...")` call of the file, whatever `x` is (the flow walk
 * tracks only the models it can follow: `model, base = make()` leaves `base` untracked); commented-out lines
 * do not count.
 */
const literalSavePaths = (ctx: FileContext): string[] => ctx.statements.flatMap(statementSavePaths);

/** One top-level statement's literal save paths, cached on it (a keystroke re-reads only the edited statement). */
const savePathsCache = new WeakMap<PyNode, readonly string[]>();
const statementSavePaths = (s: PyNode): readonly string[] =>
  memo(savePathsCache, s, (n) =>
    [...text(n).matchAll(/^[^#\n]*?(?:\.save|\bsave_model)\(\s*(?:[\w.]+\s*,\s*)?(["'])([^"'\n]+)\1/gm)].map((m) => normalizePath(m[2]!)),
  );

/** Every path this file or the workspace saves to (linked loads are the save-linked rules' to judge); once per analysis. */
const pathsCache = new WeakMap<RuleEnv, { key: string }[]>();
const savedPaths = (e: RuleEnv): { key: string }[] => {
  let hit = pathsCache.get(e);
  if (!hit)
    pathsCache.set(
      e,
      (hit = [
        ...e.workspaceSaves,
        ...e.flow.saves.flatMap((s) => {
          const key = keyOfSave(e.ctx, s);
          return key ? [{ key }] : [];
        }),
        ...literalSavePaths(e.ctx).map((key) => ({ key })),
      ]),
    );
  return hit;
};
const unlinkedLoads: FileRule = (e) =>
  e.loads.length === 0 ? [] : loadAfterCustomCompile(e.ctx, e.loads, savedPaths(e), registeredFunctions(e.ctx));
const aliasKeys: FileRule = (e) =>
  e.loads.length === 0 || !e.ctx.source.includes("custom_objects")
    ? []
    : keysNamingNothing(e.ctx, e.loads, e.workspaceDefs, new Set(savedPaths(e).map((p) => p.key)));
const madeKeys: FileRule = (e) => (e.ctx.source.includes("custom_objects") ? objectKeys(e.ctx, e.loads, e.workspaceDefs) : []);
const hubLoads: FileRule = (e) => (e.loads.length === 0 ? [] : hubLayerLoads(e.ctx, e.loads, savedPaths(e)));
const k3Paths: FileRule = (e) => keras3PathRules(e.ctx, new Set(e.flow.saves.map((s) => s.call)));
const onDisk: FileRule = (e) => (e.disk ? diskRules(e.ctx, e.loads, e.disk) : []);

export const RULES: readonly Rule[] = [
  { code: Codes.Keras3SaveExtension, family: "keras3-extension", kind: "save", check: keras3Extension },
  { code: Codes.Keras3SaveExtension, family: "keras3-extension", kind: "file", run: k3Paths },
  { code: Codes.H5Subclassed, family: "h5-subclassed", kind: "save", check: h5Subclassed },
  { code: Codes.UnbuiltSave, family: "unbuilt-save", kind: "save", check: unbuiltSave },
  { code: Codes.BuildOnlySave, family: "build-only", kind: "save", check: buildOnlySave },
  { code: Codes.PlaceholderInputShape, family: "build-only", kind: "file", run: flowFindings },
  { code: Codes.BareRegisterDecorator, family: "bare-decorator", kind: "file", run: customObjects },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: customObjects },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: crossNeeds },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: crossRegistrations },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: runtimePaths },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: hubLoads },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: loadUsage },
  { code: Codes.UnprovidedCustomClass, family: "unregistered-at-load", kind: "file", run: unlinkedLoads },
  { code: Codes.CustomObjectsKeyMismatch, family: "key-mismatch", kind: "file", run: customObjects },
  { code: Codes.CustomObjectsKeyMismatch, family: "key-mismatch", kind: "file", run: crossFile },
  { code: Codes.CustomObjectsKeyMismatch, family: "key-mismatch", kind: "file", run: crossNeeds },
  { code: Codes.CustomObjectsKeyMismatch, family: "key-mismatch", kind: "file", run: aliasKeys },
  { code: Codes.CustomObjectsKeyMismatch, family: "key-mismatch", kind: "file", run: madeKeys },
  { code: Codes.MissingGetConfig, family: "get-config", kind: "file", run: customObjects },
  { code: Codes.DiskUnprovidedClasses, family: "disk", kind: "file", run: onDisk },
  { code: Codes.Keras3LoadSavedModel, family: "disk", kind: "file", run: onDisk },
];

/** The save checks in table order (handed to the flow walk). */
export const SAVE_CHECKS: readonly SaveCheck[] = RULES.flatMap((r) => (r.kind === "save" ? [r.check] : []));

/** The distinct file rules in table order. */
export const FILE_RULES: readonly FileRule[] = [...new Set(RULES.flatMap((r) => (r.kind === "file" ? [r.run] : [])))];

/** Pitfall family of each code. */
export const CODE_FAMILY: Readonly<Record<string, string>> = Object.fromEntries(RULES.map((r) => [r.code, r.family]));
