/**
 * Runs every Python rule over a parsed document. Pure: no I/O (models on disk come through a
 * synchronous lookup that answers from a cache), no connection.
 */
import type { CodeAction, Range } from "vscode-languageserver";
import type { PyNode } from "./ast.js";
import { buildContext, moduleOf, type DiskLookup, type FileContext, type Finding } from "./context.js";
import { analyzeFlow } from "./flow.js";
import { findLoads } from "./loads.js";
import { inferKerasVersion, inheritedVersion, type ProjectFile, type VersionEvidence, type VersionSetting } from "./version.js";
import { FILE_RULES, SAVE_CHECKS, type RuleEnv } from "./rules.js";
import { registeredFunctions } from "./custom-objects.js";
import { definitionsOf, fileName, importedModules, type WorkspaceDefs } from "./workspace-needs.js";
import { exportedSaves, linkedSaves, type WorkspaceSave } from "./workspace-saves.js";

export interface PythonSettings {
  readonly enable: boolean;
  readonly kerasVersion: VersionSetting;
  readonly checkModelsOnDisk: boolean;
}

export const DEFAULT_SETTINGS: PythonSettings = { enable: true, kerasVersion: "auto", checkModelsOnDisk: true };

export interface AnalysisInput {
  readonly uri: string;
  readonly source: string;
  /** Module-level statements (PythonDocument.statements()). */
  readonly statements: readonly PyNode[];
  readonly settings?: PythonSettings;
  /** requirements*.txt / pyproject.toml / setup.cfg near the file. */
  readonly projectFiles?: readonly ProjectFile[];
  readonly disk?: DiskLookup;
  /** Saves of the other files of the workspace (their AnalysisResult.saves), linked by literal path. */
  readonly workspaceSaves?: readonly WorkspaceSave[];
  /** Top-level definitions of the other files of the workspace (their AnalysisResult.defs). */
  readonly workspaceDefs?: readonly WorkspaceDefs[];
}

export interface AnalysisResult {
  readonly findings: Finding[];
  readonly version: VersionEvidence;
  readonly context: FileContext;
  /** This file's saves other files can link to. */
  readonly saves: WorkspaceSave[];
  /** This file's top-level classes and functions, for files that import them. */
  readonly defs: WorkspaceDefs;
}

export function analyzePython(input: AnalysisInput): AnalysisResult {
  const settings = input.settings ?? DEFAULT_SETTINGS;
  let version: VersionEvidence = { version: "unknown", reason: "" };
  const build = (statements: readonly PyNode[]) =>
    buildContext(
      input.uri,
      input.source,
      statements,
      (b) => {
        const own = inferKerasVersion(settings.kerasVersion, b, input.source, input.projectFiles ?? []);
        version = own.version === "unknown" ? inheritedVersion(own, importedVersions(input.source, input.workspaceDefs ?? [])) : own;
        return version.version;
      },
      input.workspaceDefs,
    );
  let ctx: FileContext;
  try {
    ctx = build(input.statements);
  } catch (e) {
    if (!(e instanceof RangeError && /call stack/i.test(e.message))) throw e;
    ctx = build([]);
    return { findings: [], version, context: ctx, saves: [], defs: noDefs(input.uri) };
  }
  if (!settings.enable) return { findings: [], version, context: ctx, saves: [], defs: noDefs(input.uri) };
  let findings: Finding[];
  let saves: WorkspaceSave[];
  try {
    const flow = analyzeFlow(ctx, SAVE_CHECKS, input.workspaceDefs ?? []);
    saves = exportedSaves(ctx, flow.saves, input.workspaceDefs ?? []);
    const env: RuleEnv = {
      ctx,
      flow,
      loads: findLoads(ctx),
      workspaceSaves: linkedSaves(input.workspaceSaves ?? [], input.workspaceDefs ?? []),
      ownSaves: saves,
      workspaceDefs: input.workspaceDefs ?? [],
      disk: settings.checkModelsOnDisk ? input.disk : undefined,
    };
    findings = FILE_RULES.flatMap((run) => run(env));
  } catch (e) {
    // Thousands of nested brackets overflow the recursive tree walks: no diagnostics, not a crashed server.
    if (e instanceof RangeError && /call stack/i.test(e.message))
      return { findings: [], version, context: ctx, saves: [], defs: noDefs(input.uri) };
    throw e;
  }
  findings.sort(
    (a, b) =>
      a.diagnostic.range.start.line - b.diagnostic.range.start.line ||
      a.diagnostic.range.start.character - b.diagnostic.range.start.character,
  );
  return { findings, version, context: ctx, saves, defs: definitionsOf(ctx, registeredFunctions(ctx), version) };
}

/** The workspace modules a source imports, with their own Keras version evidence. */
function importedVersions(source: string, defs: readonly WorkspaceDefs[]): { name: string; version?: VersionEvidence }[] {
  const out: { name: string; version?: VersionEvidence }[] = [];
  for (const mod of importedModules(source)) {
    const d = moduleOf(defs, mod);
    if (d?.version) out.push({ name: fileName(d.uri), version: d.version });
  }
  return out;
}

const noDefs = (uri: string): WorkspaceDefs => ({ uri, objects: [] });

/** Quick fixes for the findings whose range touches `range`. */
export function codeActionsFor(uri: string, findings: readonly Finding[], range: Range): CodeAction[] {
  const out: CodeAction[] = [];
  for (const f of findings) {
    if (!touches(f.diagnostic.range, range)) continue;
    for (const fix of f.fixes) {
      out.push({
        title: fix.title,
        kind: "quickfix",
        diagnostics: [f.diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return out;
}

function touches(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
