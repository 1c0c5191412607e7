/**
 * Node-side state of the server, independent of the connection: open Python documents (parsed
 * incrementally), the index of the workspace's other Python files, project files for Keras version
 * inference, and the disk model cache.
 */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Parser } from "web-tree-sitter";
import { FsSource } from "../node/fsSource.js";
import { PythonFileIndex, type FileSummary } from "./python-index.js";
import { analyzePython, DEFAULT_SETTINGS, type AnalysisResult, type PythonSettings } from "./python/analyze.js";
import { PythonDocument, type UpdateStats } from "./python/document.js";
import { DiskModelCache } from "./python/models.js";
import type { ProjectFile } from "./python/version.js";
import type { WorkspaceDefs } from "./python/workspace-needs.js";
import type { WorkspaceSave } from "./python/workspace-saves.js";

const PROJECT_FILES = [
  "requirements.txt",
  "requirements-dev.txt",
  "requirements_dev.txt",
  "pyproject.toml",
  "setup.cfg",
  "environment.yml",
];

export function uriToPath(uri: string): string | undefined {
  return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
}

export class PythonWorkspace {
  private readonly docs = new Map<string, PythonDocument>();
  private readonly results = new Map<string, AnalysisResult>();
  private readonly projectCache = new Map<string, { at: number; files: ProjectFile[] }>();
  private readonly pendingProject = new Set<string>();
  readonly models: DiskModelCache;
  /** The workspace's Python files that are not open (python-index.ts). */
  readonly index: PythonFileIndex;
  roots: string[] = [];
  /** The settings the index analyses files with (open documents get theirs per analysis). */
  settings: PythonSettings = DEFAULT_SETTINGS;

  constructor(
    private readonly parser: Parser,
    private readonly onProjectFilesLoaded: () => void,
  ) {
    this.models = new DiskModelCache(new FsSource("/"), {
      roots: (docDir) => [docDir, ...this.roots.filter((r) => r !== docDir)],
    });
    this.index = new PythonFileIndex((uri, text) => this.summarize(uri, text));
  }

  /** An unopened file's saves and definitions, analysed like an open one without the other files. */
  private async summarize(uri: string, text: string): Promise<FileSummary> {
    const file = uriToPath(uri);
    const projectFiles = file ? await this.projectFilesNow(path.dirname(file)) : [];
    const doc = new PythonDocument(this.parser, null);
    try {
      doc.update(text);
      const r = analyzePython({ uri, source: text, statements: doc.statements(), settings: this.settings, projectFiles });
      return { saves: r.saves, defs: r.defs };
    } finally {
      doc.dispose();
    }
  }

  update(uri: string, text: string): UpdateStats {
    let doc = this.docs.get(uri);
    if (!doc) {
      doc = new PythonDocument(this.parser);
      this.docs.set(uri, doc);
    }
    return doc.update(text);
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
    if (this.results.delete(uri)) this.generation++;
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  analyze(uri: string, settings: PythonSettings): AnalysisResult | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const file = uriToPath(uri);
    const dir = file ? path.dirname(file) : undefined;
    const { saves, defs } = this.others(uri);
    const result = analyzePython({
      uri,
      source: doc.text,
      statements: doc.statements(),
      settings,
      projectFiles: dir ? this.projectFiles(dir) : [],
      ...(dir ? { disk: this.models.lookupFor(dir) } : {}),
      workspaceSaves: saves,
      workspaceDefs: defs,
    });
    const before = this.results.get(uri)?.saves;
    const defsBefore = this.results.get(uri)?.defs;
    this.savesChanged =
      JSON.stringify(before ?? []) !== JSON.stringify(result.saves) || JSON.stringify(defsBefore ?? null) !== JSON.stringify(result.defs);
    if (this.savesChanged) this.generation++;
    this.results.set(uri, result);
    return result;
  }

  /** Whether the last analyze() changed the file's linkable saves or definitions (other documents may link to them). */
  savesChanged = false;

  /** Bumped when an open document's saves or definitions change, or one closes. */
  private generation = 0;
  private othersCache: { uri: string; at: string; saves: WorkspaceSave[]; defs: WorkspaceDefs[] } | undefined;

  /**
   * Saves and definitions of the workspace's other Python files (training scripts a serving script may load
   * from, modules it imports): the open documents' live analyses, then the index for the rest. The same
   * arrays while nothing changes, so the rules' per-workspace lookups (path and name indexes) are built once.
   */
  private others(uri: string): { saves: WorkspaceSave[]; defs: WorkspaceDefs[] } {
    const at = `${this.generation}/${this.index.version}`;
    if (this.othersCache?.uri === uri && this.othersCache.at === at) return this.othersCache;
    const open = new Set<string>();
    const list: FileSummary[] = [];
    for (const [u, r] of this.results) {
      const p = uriToPath(u);
      if (p) open.add(p);
      if (u !== uri) list.push(r);
    }
    list.push(...this.index.summaries(open));
    this.othersCache = { uri, at, saves: list.flatMap((o) => o.saves), defs: list.map((o) => o.defs) };
    return this.othersCache;
  }

  lastResult(uri: string): AnalysisResult | undefined {
    return this.results.get(uri);
  }

  invalidateProjectFiles(): void {
    this.projectCache.clear();
  }

  dispose(): void {
    for (const d of this.docs.values()) d.dispose();
    this.docs.clear();
  }

  /** Cached project files from `dir` up to the workspace root; a miss loads them in the background. */
  private projectFiles(dir: string): ProjectFile[] {
    const hit = this.fresh(dir);
    if (hit) return hit;
    const stale = this.projectCache.get(dir)?.files;
    if (!this.pendingProject.has(dir)) {
      this.pendingProject.add(dir);
      void this.projectFilesNow(dir).then((files) => {
        this.pendingProject.delete(dir);
        if (JSON.stringify(stale ?? null) !== JSON.stringify(files)) this.onProjectFilesLoaded();
      });
    }
    return stale ?? [];
  }

  /** The project files of `dir`, loaded now when not cached (the index waits for them). */
  private async projectFilesNow(dir: string): Promise<ProjectFile[]> {
    const hit = this.fresh(dir);
    if (hit) return hit;
    const files = await this.loadProjectFiles(dir);
    this.projectCache.set(dir, { at: Date.now(), files });
    return files;
  }

  /** Cached project files of `dir` read less than 10 s ago. */
  private fresh(dir: string): ProjectFile[] | undefined {
    const hit = this.projectCache.get(dir);
    return hit && Date.now() - hit.at < 10_000 ? hit.files : undefined;
  }

  private async loadProjectFiles(dir: string): Promise<ProjectFile[]> {
    const out: ProjectFile[] = [];
    let cur = dir;
    for (let depth = 0; depth < 8; depth++) {
      for (const name of PROJECT_FILES) {
        const p = path.join(cur, name);
        const st = await stat(p).catch(() => undefined);
        if (st?.isFile() && st.size < 1_000_000) out.push({ path: p, text: await readFile(p, "utf8").catch(() => "") });
      }
      if (this.roots.includes(cur)) break;
      const up = path.dirname(cur);
      if (up === cur) break;
      cur = up;
    }
    return out;
  }
}
