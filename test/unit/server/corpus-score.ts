/**
 * Scores the Python rules on the real-world corpus (test/python-corpus, issue 16): every file runs
 * through the real analyser; Error/Warning diagnostics are judged by line against the manifest labels.
 * A diagnostic on a labelled line is a true positive for that label's family; any other one is a false
 * positive (attributed to the family of its code); an unmatched label is a false negative.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { kerasConfigObjects, type KerasFileConfigs } from "../../../src/core/savedmodel/keras-file.js";
import type { DiskLookup, DiskModel } from "../../../src/server/python/context.js";
import { CODE_FAMILY } from "../../../src/server/python/rules.js";
import type { ProjectFile } from "../../../src/server/python/version.js";
import type { WorkspaceDefs } from "../../../src/server/python/workspace-needs.js";
import type { WorkspaceSave } from "../../../src/server/python/workspace-saves.js";
import { analyze, repoRoot } from "./harness.js";

export const corpusRoot = join(repoRoot, "test", "python-corpus");

export type Split = "train" | "heldout";

export interface Label {
  readonly line: number;
  readonly code: string;
  readonly family: string;
  readonly why: string;
}

export interface CorpusFile {
  readonly id: string;
  readonly file: string;
  readonly repository: string;
  readonly commit: string;
  readonly path: string;
  readonly licence: string;
  readonly split: Split;
  /** Files added together; the split rule applies within a batch. */
  readonly batch: number;
  readonly labels: readonly Label[];
  /** The repository's requirements / pyproject files (local copies under files/), read as the analyser reads a workspace's. */
  readonly projectFiles?: readonly { readonly path: string; readonly file: string }[];
  /** Why a label was corrected after the file was taken (the corrected label is gone; the note stays). */
  readonly relabelled?: string;
  /** Workspace modules the file imports (same commit; local copies under files/): analysed, never scored. */
  readonly context?: readonly { readonly path: string; readonly file: string }[];
  /**
   * Model files the repository commits at that commit where the file's path literals point (their configs,
   * raw, under files/; scripts/python-corpus-disk.ts): the models on disk a checkout has.
   */
  readonly diskModels?: readonly { readonly path: string; readonly file: string }[];
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

export interface SplitScore {
  files: number;
  readonly total: Tally;
  readonly families: Map<string, Tally>;
  readonly misses: string[];
  readonly falseAlarms: string[];
  /** Files of the split without a local copy (scripts/python-corpus-restore.py could not make one): not scored. */
  readonly unrestored: string[];
}

export function readManifest(): CorpusFile[] {
  const m = JSON.parse(readFileSync(join(corpusRoot, "manifest.json"), "utf8")) as { files: CorpusFile[] };
  return m.files;
}

function bump(map: Map<string, Tally>, family: string, key: keyof Tally): void {
  const t = map.get(family) ?? { tp: 0, fp: 0, fn: 0 };
  t[key]++;
  map.set(family, t);
}

/**
 * A repository is one workspace, as the language server's index sees it (src/server/python-index.ts): the
 * modules this file imports and the repository's saving scripts with their imports (its `context`, same
 * commit, scripts/python-corpus-context.py) and the repository's other corpus files; saves link to this
 * file's loads by literal path, definitions resolve its imports.
 */
async function workspaceFor(
  f: CorpusFile,
  all: readonly CorpusFile[],
): Promise<{ workspaceSaves: WorkspaceSave[]; workspaceDefs: WorkspaceDefs[] }> {
  const workspaceSaves: WorkspaceSave[] = [];
  const workspaceDefs: WorkspaceDefs[] = [];
  const seen = new Set([f.path]);
  const members = [
    ...(f.context ?? []).map((c) => ({ ...c, repository: f.repository, projectFiles: f.projectFiles })),
    // one checkout: the repository's other files, not other versions of this one
    ...all.filter((o) => o.repository === f.repository && restored(o)),
  ];
  for (const o of members) {
    if (seen.has(o.path)) continue;
    seen.add(o.path);
    let hit = linkCache.get(o.file);
    if (!hit) {
      const source = readFileSync(join(corpusRoot, "files", o.file), "utf8");
      const r = await analyze(source, { uri: uriOf(o), projectFiles: projectFilesOf(o) });
      hit = { saves: r.saves, defs: r.defs };
      linkCache.set(o.file, hit);
    }
    workspaceSaves.push(...hit.saves);
    workspaceDefs.push(hit.defs);
  }
  return { workspaceSaves, workspaceDefs };
}

type Member = Pick<CorpusFile, "file" | "repository" | "path" | "projectFiles">;

const projectFilesOf = (f: Member): ProjectFile[] =>
  (f.projectFiles ?? []).map((p) => ({ path: p.path, text: readFileSync(join(corpusRoot, "files", p.file), "utf8") }));

/** Whether the corpus file has its local copy (test/python-corpus/README.md). */
export const restored = (f: Pick<CorpusFile, "file">): boolean => existsSync(join(corpusRoot, "files", f.file));

const linkCache = new Map<string, { saves: WorkspaceSave[]; defs: WorkspaceDefs }>();
/** The file's own path in its repository, so that imports resolve to the other files as in a checkout. */
const uriOf = (f: Member): string => `file:///corpus/${f.repository}/${f.path.replace(/\.ipynb$/, ".py")}`;

/** Where a load of `literal` in the repository file `path` looks: next to the file, then at the repository root. */
export function diskCandidates(path: string, literal: string): string[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(literal) || literal.startsWith("/")) return [];
  const out = [posix.normalize(posix.join(posix.dirname(path), literal)), posix.normalize(literal)];
  return [...new Set(out)].filter((p) => !p.startsWith(".."));
}

/** The file's models on disk, looked up as DiskModelCache resolves a load's path (its folder, then the root). */
function diskOf(f: CorpusFile): DiskLookup | undefined {
  const models = f.diskModels;
  if (!models) return undefined;
  return (literal) => {
    for (const path of diskCandidates(f.path, literal)) {
      const hit = models.find((m) => m.path === path);
      if (!hit) continue;
      const configs = JSON.parse(readFileSync(join(corpusRoot, "files", hit.file), "utf8")) as KerasFileConfigs;
      const o = kerasConfigObjects(configs);
      const model: DiskModel = { dir: path, format: o.format, keras: true, savedNames: o.objects, compileNames: o.compile, signatures: [] };
      return { state: "ready", model };
    }
    return { state: "none" };
  };
}

/** Error/Warning diagnostic lines (1-based) with their codes, for one corpus file. */
export async function diagnosticsOf(
  f: CorpusFile,
  all: readonly CorpusFile[],
  disk: DiskLookup | undefined = diskOf(f),
): Promise<{ line: number; code: string }[]> {
  const source = readFileSync(join(corpusRoot, "files", f.file), "utf8");
  const r = await analyze(source, {
    uri: uriOf(f),
    ...(await workspaceFor(f, all)),
    projectFiles: projectFilesOf(f),
    ...(disk ? { disk } : {}),
  });
  return r.findings
    .filter((x) => (x.diagnostic.severity ?? 1) <= 2)
    .map((x) => ({ line: x.diagnostic.range.start.line + 1, code: String(x.diagnostic.code) }));
}

/** The paths the analyser looks up on disk for one corpus file (its loads' paths, as written or as its constants spell them). */
export async function diskRequests(f: CorpusFile, all: readonly CorpusFile[]): Promise<string[]> {
  const asked: string[] = [];
  await diagnosticsOf(f, all, (path) => {
    asked.push(path);
    return { state: "none" };
  });
  return asked;
}

/** Scores the files of one split (of the given batches only, when `batches` is set); all files link as workspaces. */
export async function scoreSplit(files: readonly CorpusFile[], split: Split, batches?: ReadonlySet<number>): Promise<SplitScore> {
  const score: SplitScore = { files: 0, total: { tp: 0, fp: 0, fn: 0 }, families: new Map(), misses: [], falseAlarms: [], unrestored: [] };
  for (const f of files) {
    if (f.split !== split || (batches && !batches.has(f.batch))) continue;
    if (!restored(f)) {
      score.unrestored.push(f.file);
      continue;
    }
    score.files++;
    const found = await diagnosticsOf(f, files);
    const labelled = new Set(f.labels.map((l) => l.line));
    for (const l of f.labels) {
      const hit = found.some((d) => d.line === l.line);
      bump(score.families, l.family, hit ? "tp" : "fn");
      score.total[hit ? "tp" : "fn"]++;
      if (!hit) score.misses.push(`${f.file}:${l.line} ${l.code} (${l.family})`);
    }
    for (const d of found) {
      if (labelled.has(d.line)) continue;
      bump(score.families, CODE_FAMILY[d.code] ?? d.code, "fp");
      score.total.fp++;
      score.falseAlarms.push(`${f.file}:${d.line} ${d.code}`);
    }
  }
  return score;
}

export const precision = (t: Tally): number => (t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp));
export const recall = (t: Tally): number => (t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn));

export function formatScore(split: Split, s: SplitScore): string {
  // no diagnostics / no labels: the ratio is undefined, not 1
  const row = (name: string, t: Tally): string =>
    `| ${split} | ${name} | ${t.tp} | ${t.fp} | ${t.fn} | ${t.tp + t.fp === 0 ? "n/a" : precision(t).toFixed(3)} | ${t.tp + t.fn === 0 ? "n/a" : recall(t).toFixed(3)} |`;
  const fams = [...s.families.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [row(`all (${s.files} files)`, s.total), ...fams.map(([name, t]) => row(name, t))].join("\n");
}
