/**
 * The model registry: every SavedModel in every workspace folder, discovered progressively (never
 * blocking activation), kept live by file-system watchers, each loaded lazily on first need.
 */
import * as vscode from "vscode";
import type { ModelSource } from "../core/io.js";
import type { SavedModelReader } from "../core/savedmodel/reader.js";
import type { MetaGraphSummary } from "../core/savedmodel/types.js";
import type { Config } from "./config.js";
import { ExcludeMatcher } from "./globs.js";
import { relativePath, sourceRootFor, type SourceRoot } from "./sources.js";
import { readerPart } from "./lazy.js";

export type ModelState =
  | { readonly kind: "pending" }
  | {
      readonly kind: "loaded";
      readonly reader: SavedModelReader;
      readonly metaGraphs: readonly MetaGraphSummary[];
      readonly sizeBytes: number;
    }
  | { readonly kind: "error"; readonly error: unknown; readonly message: string; readonly code: string };

const MODEL_FILES = ["saved_model.pb", "saved_model.pbtxt"];

/** At most this many models are opened at once (a workspace may hold thousands). */
const MAX_CONCURRENT_LOADS = 4;
let activeLoads = 0;
const waiting: (() => void)[] = [];

async function withLoadSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (activeLoads >= MAX_CONCURRENT_LOADS) await new Promise<void>((r) => waiting.push(r));
  activeLoads++;
  try {
    return await fn();
  } finally {
    activeLoads--;
    waiting.shift()?.();
  }
}

/**
 * One opened model, owned here for the whole host: the tree, the model editor, Run and Debug all read
 * it through `reader()`, so saved_model.pb is parsed once per change on disk (`opens` counts parses).
 */
export class ModelEntry {
  private loading: Promise<ModelState> | undefined;
  private opensValue = 0;
  private stateValue: ModelState = { kind: "pending" };
  /** Bumped on every invalidation, so a load started before a change never wins. */
  private generation = 0;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    readonly root: SourceRoot,
    /** Source path of the model directory. */
    readonly dir: string,
    /** Path relative to the workspace folder ("" when the folder itself is the model). */
    readonly relPath: string,
    private readonly onLoaded: (e: ModelEntry) => void,
  ) {}

  get id(): string {
    return this.uri.toString();
  }

  get uri(): vscode.Uri {
    return this.root.uriOf(this.dir);
  }

  get source(): ModelSource {
    return this.root.source;
  }

  get state(): ModelState {
    return this.stateValue;
  }

  /** How many times this model's saved_model.pb was read and parsed (once per change on disk). */
  get opens(): number {
    return this.opensValue;
  }

  /** Display name: the relative path, or the folder name when the folder is the model. */
  get label(): string {
    return this.relPath === "" ? this.folder.name : this.relPath;
  }

  load(): Promise<ModelState> {
    if (this.loading) return this.loading;
    const gen = this.generation;
    const p = withLoadSlot(async (): Promise<ModelState> => {
      try {
        const { SavedModelReader } = await readerPart();
        this.opensValue++;
        const reader = await SavedModelReader.open(this.source, this.dir);
        const metaGraphs = reader.metaGraphs();
        const sizeBytes = await modelSize(this.source, this.dir);
        return { kind: "loaded", reader, metaGraphs, sizeBytes };
      } catch (error) {
        const code = typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : "ERROR";
        const message = error instanceof Error ? error.message : String(error);
        return { kind: "error", error, message, code };
      }
    });
    this.loading = p;
    void p.then((s) => {
      if (gen !== this.generation) return;
      this.stateValue = s;
      this.onLoaded(this);
    });
    return p;
  }

  /** Loads and returns the reader, or throws the load error. */
  async reader(): Promise<SavedModelReader> {
    const s = await this.load();
    if (s.kind === "loaded") return s.reader;
    if (s.kind === "error") throw s.error;
    throw new Error(`${this.label}: not loaded`);
  }

  invalidate(): void {
    this.generation++;
    this.loading = undefined;
    this.stateValue = { kind: "pending" };
    const src = this.source as { invalidate?: () => void };
    src.invalidate?.();
  }
}

async function modelSize(source: ModelSource, dir: string): Promise<number> {
  let total = 0;
  for (const name of MODEL_FILES) total += (await source.stat(`${dir}/${name}`).catch(() => undefined))?.size ?? 0;
  const vars = `${dir}/variables`;
  const entries = await source.list(vars).catch(() => []);
  for (const e of entries) if (e.kind === "file") total += (await source.stat(`${vars}/${e.name}`).catch(() => undefined))?.size ?? 0;
  return total;
}

export class ModelRegistry implements vscode.Disposable {
  private readonly entries = new Map<string, ModelEntry>();
  /** Models opened in the editor or by a command but not in the discovered set (see `open`). */
  private readonly detached = new Map<string, ModelEntry>();
  private readonly roots = new Map<string, SourceRoot>();
  private readonly changed = new vscode.EventEmitter<ModelEntry | undefined>();
  /** Fires with the entry whose state changed, or undefined when the set of models changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private abort = new AbortController();
  private discovery: Promise<void> = Promise.resolve();
  private discoveringValue = false;
  private pendingFire: ReturnType<typeof setTimeout> | undefined;
  private matcher: ExcludeMatcher;

  constructor(private readonly config: Config) {
    this.matcher = new ExcludeMatcher(config.exclude);
    const watchModels = vscode.workspace.createFileSystemWatcher("**/{saved_model.pb,saved_model.pbtxt,variables.index}");
    watchModels.onDidCreate((uri) => this.onModelFile(uri, "create"), undefined, this.disposables);
    watchModels.onDidChange((uri) => this.onModelFile(uri, "change"), undefined, this.disposables);
    // Copying or deleting a whole folder may report only the folder: watch every creation and deletion.
    const watchDeletes = vscode.workspace.createFileSystemWatcher("**/*", false, true, false);
    watchDeletes.onDidDelete((uri) => this.onDeleted(uri), undefined, this.disposables);
    watchDeletes.onDidCreate((uri) => this.onCreated(uri), undefined, this.disposables);
    this.disposables.push(
      watchModels,
      watchDeletes,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  get discovering(): boolean {
    return this.discoveringValue;
  }

  /** Resolves when the current discovery pass has finished. */
  whenDiscovered(): Promise<void> {
    return this.discovery;
  }

  models(): ModelEntry[] {
    const folderIndex = (e: ModelEntry) => e.folder.index;
    return [...this.entries.values()].sort(
      (a, b) => folderIndex(a) - folderIndex(b) || (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0),
    );
  }

  get(id: string): ModelEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * The entry of the model in folder `dir`, for the editor and commands: the discovered one when there
   * is one, else an entry of its own kept apart from the tree (a model outside the workspace or excluded
   * from discovery), so such a model is parsed once too and Run finds it.
   */
  open(dir: vscode.Uri): ModelEntry {
    const id = dir.toString();
    const known = this.entries.get(id) ?? this.detached.get(id);
    if (known) return known;
    const folder = vscode.workspace.getWorkspaceFolder(dir) ?? {
      uri: vscode.Uri.joinPath(dir, ".."),
      name: dir.path.split("/").pop() ?? id,
      index: -1,
    };
    const root = sourceRootFor(dir);
    const rel = relativePath(root.pathOf(folder.uri), root.pathOf(dir)) ?? root.pathOf(dir);
    const entry = new ModelEntry(folder, root, root.pathOf(dir), rel, (e) => this.fire(e));
    this.detached.set(id, entry);
    return entry;
  }

  /** The model whose directory is `uri` (or contains it). */
  find(uri: vscode.Uri): ModelEntry | undefined {
    const s = uri.toString();
    let best: ModelEntry | undefined;
    for (const e of this.entries.values()) {
      const id = e.id;
      if ((s === id || s.startsWith(id + "/")) && (!best || id.length > best.id.length)) best = e;
    }
    return best;
  }

  /** Drops everything and discovers again (Refresh, folder or setting changes). */
  refresh(): Promise<void> {
    this.abort.abort();
    this.abort = new AbortController();
    this.matcher = new ExcludeMatcher(this.config.exclude);
    this.entries.clear();
    this.roots.clear();
    this.fire(undefined);
    const signal = this.abort.signal;
    this.discoveringValue = true;
    this.discovery = this.discoverAll(signal).finally(() => {
      if (!signal.aborted) {
        this.discoveringValue = false;
        this.fire(undefined, true);
      }
    });
    return this.discovery;
  }

  private rootFor(folder: vscode.WorkspaceFolder): SourceRoot {
    const key = folder.uri.toString();
    let r = this.roots.get(key);
    if (!r) {
      r = sourceRootFor(folder.uri);
      this.roots.set(key, r);
    }
    return r;
  }

  private async discoverAll(signal: AbortSignal): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const { discoverSavedModels } = await import("../core/savedmodel/discover.js");
    const excludeDirs = new Set([
      "node_modules",
      ".git",
      ".hg",
      ".svn",
      "__pycache__",
      ".venv",
      "venv",
      ".tox",
      ".mypy_cache",
      ...this.matcher.dirNames,
    ]);
    await Promise.all(
      folders.map(async (folder) => {
        const root = this.rootFor(folder);
        const base = root.pathOf(folder.uri);
        try {
          for await (const m of discoverSavedModels(root.source, base, { signal, excludeDirs })) {
            if (signal.aborted) return;
            this.add(folder, root, m.dir);
          }
        } catch {
          // An unreadable folder has no models; discovery of the others goes on.
        }
      }),
    );
  }

  private add(folder: vscode.WorkspaceFolder, root: SourceRoot, dir: string): ModelEntry | undefined {
    const rel = relativePath(root.pathOf(folder.uri), dir);
    if (rel === undefined || this.matcher.excludesDir(rel)) return undefined;
    const entry = new ModelEntry(folder, root, dir, rel, (e) => this.fire(e));
    if (this.entries.has(entry.id)) return this.entries.get(entry.id);
    this.entries.set(entry.id, entry);
    this.fire(undefined);
    return entry;
  }

  private onModelFile(uri: vscode.Uri, how: "create" | "change"): void {
    const isIndex = uri.path.endsWith("/variables.index");
    const modelDir = isIndex ? vscode.Uri.joinPath(uri, "..", "..") : vscode.Uri.joinPath(uri, "..");
    const existing = this.entries.get(modelDir.toString()) ?? this.detached.get(modelDir.toString());
    if (existing) {
      existing.invalidate();
      this.fire(existing);
      return;
    }
    if (how !== "create" || isIndex) return;
    const folder = vscode.workspace.getWorkspaceFolder(modelDir);
    if (!folder) return;
    const root = this.rootFor(folder);
    this.add(folder, root, root.pathOf(modelDir));
  }

  private readonly created = new Map<string, vscode.Uri>();
  private createdTimer: ReturnType<typeof setTimeout> | undefined;

  /** Something appeared: if it is a folder (a model copied in whole), look for models under it. */
  private onCreated(uri: vscode.Uri): void {
    const name = uri.path.slice(uri.path.lastIndexOf("/") + 1);
    if (MODEL_FILES.includes(name)) return; // the model watcher handles these
    this.created.set(uri.toString(), uri);
    this.createdTimer ??= setTimeout(() => void this.scanCreated(), 300);
  }

  private async scanCreated(): Promise<void> {
    this.createdTimer = undefined;
    const all = [...this.created.values()];
    this.created.clear();
    // Only the top-most new paths: a folder copy reports every file under it too.
    const keys = new Set(all.map((u) => u.toString()));
    const tops = all.filter((u) => {
      for (let p = vscode.Uri.joinPath(u, ".."); p.path !== "/" && p.path !== u.path; p = vscode.Uri.joinPath(p, "..")) {
        if (keys.has(p.toString())) return false;
        if (p.path.length <= 1) break;
      }
      return true;
    });
    const { discoverSavedModels } = await import("../core/savedmodel/discover.js");
    const signal = this.abort.signal;
    for (const uri of tops) {
      if (this.find(uri)) continue; // inside a known model (its variables/, assets/)
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const root = this.rootFor(folder);
      const st = await root.source.stat(root.pathOf(uri)).catch(() => undefined);
      if (st?.kind !== "dir") continue;
      for await (const m of discoverSavedModels(root.source, root.pathOf(uri), { signal })) this.add(folder, root, m.dir);
    }
  }

  private onDeleted(uri: vscode.Uri): void {
    const s = uri.toString();
    let removed = false;
    for (const [id, e] of this.entries) {
      const modelFileGone = MODEL_FILES.some((f) => s === `${id}/${f}`);
      if (id === s || id.startsWith(s + "/") || modelFileGone) {
        if (modelFileGone) {
          // saved_model.pb replaced by .pbtxt (or being rewritten): re-check before dropping.
          void this.recheck(e);
          continue;
        }
        this.entries.delete(id);
        removed = true;
      } else if (s.startsWith(id + "/")) {
        e.invalidate();
        this.fire(e);
      }
    }
    if (removed) this.fire(undefined);
  }

  private async recheck(e: ModelEntry): Promise<void> {
    for (const f of MODEL_FILES) {
      const st = await e.source.stat(`${e.dir}/${f}`).catch(() => undefined);
      if (st?.kind === "file") {
        e.invalidate();
        this.fire(e);
        return;
      }
    }
    if (this.entries.get(e.id) === e) {
      this.entries.delete(e.id);
      this.fire(undefined);
    }
  }

  /** Coalesces bursts of structural changes (progressive discovery) into one tree refresh. */
  private fire(e: ModelEntry | undefined, now = false): void {
    if (e) {
      this.changed.fire(e);
      return;
    }
    if (now) {
      if (this.pendingFire) clearTimeout(this.pendingFire);
      this.pendingFire = undefined;
      this.changed.fire(undefined);
      return;
    }
    this.pendingFire ??= setTimeout(() => {
      this.pendingFire = undefined;
      this.changed.fire(undefined);
    }, 100);
  }

  dispose(): void {
    this.abort.abort();
    if (this.pendingFire) clearTimeout(this.pendingFire);
    if (this.createdTimer) clearTimeout(this.createdTimer);
    for (const d of this.disposables) d.dispose();
  }
}
