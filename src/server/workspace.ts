/**
 * Node-side state of the server, independent of the connection: open Python documents (parsed
 * incrementally), project files for Keras version inference, and the disk model cache.
 */
import { readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Parser } from "web-tree-sitter";
import { FsSource } from "../node/fsSource.js";
import { analyzePython, type AnalysisResult, type PythonSettings } from "./python/analyze.js";
import { PythonDocument, type UpdateStats } from "./python/document.js";
import { DiskModelCache } from "./python/models.js";
import type { ProjectFile } from "./python/version.js";
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
  roots: string[] = [];

  constructor(
    private readonly parser: Parser,
    private readonly onProjectFilesLoaded: () => void,
  ) {
    this.models = new DiskModelCache(new FsSource("/"), {
      roots: (docDir) => [docDir, ...this.roots.filter((r) => r !== docDir)],
    });
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
    this.results.delete(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  analyze(uri: string, settings: PythonSettings): AnalysisResult | undefined {
    const doc = this.docs.get(uri);
    if (!doc) return undefined;
    const file = uriToPath(uri);
    const dir = file ? path.dirname(file) : undefined;
    const result = analyzePython({
      uri,
      source: doc.text,
      statements: doc.statements(),
      settings,
      projectFiles: dir ? this.projectFiles(dir) : [],
      ...(dir ? { disk: this.models.lookupFor(dir) } : {}),
      workspaceSaves: this.otherSaves(uri),
      workspaceDefs: [...this.results].flatMap(([u, r]) => (u === uri ? [] : [r.defs])),
    });
    const before = this.results.get(uri)?.saves;
    const defsBefore = this.results.get(uri)?.defs;
    this.savesChanged =
      JSON.stringify(before ?? []) !== JSON.stringify(result.saves) || JSON.stringify(defsBefore ?? null) !== JSON.stringify(result.defs);
    this.results.set(uri, result);
    return result;
  }

  /** Whether the last analyze() changed the file's linkable saves or definitions (other documents may link to them). */
  savesChanged = false;

  /** Saves of the other open Python documents (training scripts a serving script may load from). */
  private otherSaves(uri: string): WorkspaceSave[] {
    const out: WorkspaceSave[] = [];
    for (const [u, r] of this.results) if (u !== uri) out.push(...r.saves);
    return out;
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
    const hit = this.projectCache.get(dir);
    if (hit && Date.now() - hit.at < 10_000) return hit.files;
    if (!this.pendingProject.has(dir)) {
      this.pendingProject.add(dir);
      void this.loadProjectFiles(dir).then((files) => {
        this.pendingProject.delete(dir);
        const changed = JSON.stringify(hit?.files ?? null) !== JSON.stringify(files);
        this.projectCache.set(dir, { at: Date.now(), files });
        if (changed) this.onProjectFilesLoaded();
      });
    }
    return hit?.files ?? [];
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
