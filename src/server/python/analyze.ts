/**
 * Runs every Python rule over a parsed document. Pure: no I/O (models on disk come through a
 * synchronous lookup that answers from a cache), no connection.
 */
import type { CodeAction, Range } from "vscode-languageserver";
import type { PyNode } from "./ast.js";
import { buildContext, type DiskLookup, type FileContext, type Finding } from "./context.js";
import { customObjectRules } from "./custom-objects.js";
import { diskRules } from "./disk.js";
import { Codes, type Code } from "./codes.js";
import { analyzeFlow, type FlowResult } from "./flow.js";
import { findLoads, type LoadCall } from "./loads.js";
import { inferKerasVersion, type ProjectFile, type VersionEvidence, type VersionSetting } from "./version.js";
import { crossFileKeyMismatches, exportedSaves, type WorkspaceSave } from "./workspace-saves.js";

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
}

export interface AnalysisResult {
  readonly findings: Finding[];
  readonly version: VersionEvidence;
  readonly context: FileContext;
  /** This file's saves other files can link to. */
  readonly saves: WorkspaceSave[];
}

interface RuleEnv {
  readonly ctx: FileContext;
  readonly flow: FlowResult;
  readonly loads: LoadCall[];
  readonly input: AnalysisInput;
  readonly settings: PythonSettings;
}

/** Every rule group, with the codes it reports; analyzePython runs them in this order. */
const RULES: readonly { readonly codes: readonly Code[]; readonly run: (e: RuleEnv) => Finding[] }[] = [
  {
    codes: [Codes.Keras3SaveExtension, Codes.H5Subclassed, Codes.UnbuiltSave, Codes.BuildOnlySave, Codes.PlaceholderInputShape],
    run: (e) => e.flow.findings,
  },
  {
    codes: [Codes.BareRegisterDecorator, Codes.UnprovidedCustomClass, Codes.CustomObjectsKeyMismatch, Codes.MissingGetConfig],
    run: (e) => customObjectRules(e.ctx, e.flow.saves, e.loads),
  },
  { codes: [Codes.CustomObjectsKeyMismatch], run: (e) => crossFileKeyMismatches(e.ctx, e.loads, e.input.workspaceSaves ?? []) },
  {
    codes: [Codes.DiskUnprovidedClasses, Codes.Keras3LoadSavedModel],
    run: (e) => (e.settings.checkModelsOnDisk && e.input.disk ? diskRules(e.ctx, e.loads, e.input.disk) : []),
  },
];

/** Codes each rule group reports (for the registry check in the tests and for documentation). */
export function ruleCodes(): readonly (readonly Code[])[] {
  return RULES.map((r) => r.codes);
}

export function analyzePython(input: AnalysisInput): AnalysisResult {
  const settings = input.settings ?? DEFAULT_SETTINGS;
  let version: VersionEvidence = { version: "unknown", reason: "" };
  const build = (statements: readonly PyNode[]) =>
    buildContext(input.uri, input.source, statements, (b) => {
      version = inferKerasVersion(settings.kerasVersion, b, input.source, input.projectFiles ?? []);
      return version.version;
    });
  let ctx: FileContext;
  try {
    ctx = build(input.statements);
  } catch (e) {
    if (!(e instanceof RangeError && /call stack/i.test(e.message))) throw e;
    ctx = build([]);
    return { findings: [], version, context: ctx, saves: [] };
  }
  if (!settings.enable) return { findings: [], version, context: ctx, saves: [] };
  let findings: Finding[];
  let saves: WorkspaceSave[];
  try {
    const flow = analyzeFlow(ctx);
    const env: RuleEnv = { ctx, flow, loads: findLoads(ctx), input, settings };
    saves = exportedSaves(ctx, flow.saves);
    findings = RULES.flatMap((rule) => rule.run(env));
  } catch (e) {
    // Thousands of nested brackets overflow the recursive tree walks: no diagnostics, not a crashed server.
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { findings: [], version, context: ctx, saves: [] };
    throw e;
  }
  findings.sort(
    (a, b) =>
      a.diagnostic.range.start.line - b.diagnostic.range.start.line ||
      a.diagnostic.range.start.character - b.diagnostic.range.start.character,
  );
  return { findings, version, context: ctx, saves };
}

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
