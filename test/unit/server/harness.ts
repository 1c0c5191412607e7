/** Shared test helpers: one parser per process, analyse a source string, apply text edits. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TextEdit } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Parser } from "web-tree-sitter";
import { analyzePython, type AnalysisResult, type PythonSettings } from "../../../src/server/python/analyze.js";
import type { DiskLookup } from "../../../src/server/python/context.js";
import { PythonDocument } from "../../../src/server/python/document.js";
import { createPythonParser } from "../../../src/server/python/parser.js";
import type { ProjectFile } from "../../../src/server/python/version.js";
import type { WorkspaceSave } from "../../../src/server/python/workspace-saves.js";
import type { WorkspaceDefs } from "../../../src/server/python/workspace-needs.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const fixturesDir = join(repoRoot, "..", "shared", "fixtures");

let parser: Promise<Parser> | undefined;
export function getParser(): Promise<Parser> {
  parser ??= createPythonParser();
  return parser;
}

export async function parse(source: string): Promise<PythonDocument> {
  const doc = new PythonDocument(await getParser());
  doc.update(source);
  return doc;
}

export interface AnalyzeOptions {
  uri?: string;
  settings?: Partial<PythonSettings>;
  projectFiles?: ProjectFile[];
  disk?: DiskLookup;
  workspaceSaves?: WorkspaceSave[];
  workspaceDefs?: WorkspaceDefs[];
}

export async function analyze(source: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const doc = await parse(source);
  try {
    return analyzePython({
      uri: opts.uri ?? "file:///project/snippet.py",
      source,
      statements: doc.statements(),
      settings: { enable: true, kerasVersion: "auto", checkModelsOnDisk: true, ...opts.settings },
      ...(opts.projectFiles ? { projectFiles: opts.projectFiles } : {}),
      ...(opts.disk ? { disk: opts.disk } : {}),
      ...(opts.workspaceSaves ? { workspaceSaves: opts.workspaceSaves } : {}),
      ...(opts.workspaceDefs ? { workspaceDefs: opts.workspaceDefs } : {}),
    });
  } finally {
    doc.dispose();
  }
}

export function applyEdits(source: string, edits: TextEdit[]): string {
  const td = TextDocument.create("file:///x.py", "python", 1, source);
  return TextDocument.applyEdits(td, edits);
}

export function codesByLine(r: AnalysisResult): string[] {
  return r.findings.map((f) => `${f.diagnostic.range.start.line + 1}:${String(f.diagnostic.code)}`);
}
