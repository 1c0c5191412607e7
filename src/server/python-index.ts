/**
 * The workspace's Python files as the cross-file rules need them: a serving script's loads are checked
 * against the saves and definitions of a training script (or a `layers.py`) the user never opened.
 *
 * Walks the workspace folders once in the background (bounded: file count, file size, depth; virtual
 * environments, site-packages, build output and hidden folders skipped; a symbolic link never leads
 * out of its folder), yielding to the event loop between files, then follows file-watcher events.
 * Notebooks count too (their code cells, python/notebook.ts): training often happens in one. A file
 * that names neither keras nor tensorflow defines no Keras object: it is listed, not analysed.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_EXCLUDES, walkDirs } from "../core/savedmodel/discover.js";
import type { ModelSource } from "../core/io.js";
import { FsSource } from "../node/fsSource.js";
import { notebookToPython } from "./python/notebook.js";
import type { WorkspaceSave } from "./python/workspace-saves.js";
import type { WorkspaceDefs } from "./python/workspace-needs.js";

/** What the other files' analyses need from one file. */
export interface FileSummary {
  readonly saves: readonly WorkspaceSave[];
  readonly defs: WorkspaceDefs;
}

/** Analyses one file's text (`uri` is its file URL). */
export type Summarize = (uri: string, text: string) => Promise<FileSummary>;

export const INDEX_LIMITS = {
  /** Python files looked at per rebuild (the rest of a huge workspace is left out, and said so). */
  files: 2000,
  /** Larger files are generated or data, not scripts. */
  bytes: 256 * 1024,
  /** Notebooks carry their outputs (images): read up to this size, code cells kept. */
  notebookBytes: 8 * 1024 * 1024,
  depth: 10,
  /** Folders walked per rebuild (a tree of data folders without Python files ends the walk too). */
  dirs: 20_000,
};

const EXCLUDES = new Set([...DEFAULT_EXCLUDES, "site-packages", "dist-packages", "build", "dist", "wandb", "mlruns"]);
const KERAS = /keras|tensorflow/;

export interface IndexStats {
  /** Python files and notebooks looked at. */
  readonly files: number;
  /** Of those, files that mention keras or tensorflow (analysed). */
  readonly analysed: number;
  /** Files skipped: over the size limit, unreadable, or failing analysis. */
  readonly skipped: number;
  /** The walk stopped at INDEX_LIMITS.files or INDEX_LIMITS.dirs. */
  readonly truncated: boolean;
  readonly ms: number;
  /** Superseded by a later rebuild: nothing was replaced. */
  readonly cancelled: boolean;
}

interface Entry extends FileSummary {
  readonly json: string;
}

export class PythonFileIndex {
  /** Keyed by native file path. */
  private entries = new Map<string, Entry>();
  private roots: readonly string[] = [];
  private current: AbortController | undefined;
  /** Bumped whenever what other files see changes (their analyses keep one snapshot of it until then). */
  version = 0;

  constructor(
    private readonly summarize: Summarize,
    private readonly limits = INDEX_LIMITS,
  ) {}

  /** Re-walks `roots` and replaces the index when done; a later call cancels this one. */
  async rebuild(roots: readonly string[]): Promise<IndexStats> {
    this.current?.abort();
    const abort = (this.current = new AbortController());
    this.roots = roots;
    const started = Date.now();
    const next = new Map<string, Entry>();
    let files = 0;
    let skipped = 0;
    const walked = { dirs: 0 };
    for (const root of roots) {
      const source = new FsSource(root).confine(root);
      for await (const file of pythonFiles(source, abort.signal, this.limits, walked)) {
        if (files >= this.limits.files) break;
        files++;
        const entry = await this.entryFor(source, root, file).catch(() => null);
        if (entry === null) skipped++;
        else if (entry) next.set(path.join(root, file), entry);
        await new Promise((r) => setImmediate(r));
        if (abort.signal.aborted) break;
      }
    }
    const cancelled = abort.signal.aborted;
    if (!cancelled) {
      this.entries = next;
      this.version++;
    }
    const truncated = files >= this.limits.files || walked.dirs >= this.limits.dirs;
    return { files, analysed: next.size, skipped, truncated, ms: Date.now() - started, cancelled };
  }

  /** Re-reads one file after a watcher event; whether what other files see of it changed. */
  async refresh(file: string): Promise<boolean> {
    const root = this.roots.find((r) => file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    if (!root || !isIndexed(file)) return false;
    const entry = await this.entryFor(new FsSource(root).confine(root), root, path.relative(root, file)).catch(() => null);
    if (!entry) return this.remove(file);
    const changed = this.entries.get(file)?.json !== entry.json;
    this.entries.set(file, entry);
    if (changed) this.version++;
    return changed;
  }

  /** Forgets a deleted file; whether it was indexed. */
  remove(file: string): boolean {
    const had = this.entries.delete(file);
    if (had) this.version++;
    return had;
  }

  /** The indexed summaries, except those of `open` files (their live analysis wins). */
  *summaries(open: ReadonlySet<string>): Iterable<FileSummary> {
    for (const [file, e] of this.entries) if (!open.has(file)) yield e;
  }

  get size(): number {
    return this.entries.size;
  }

  /** `undefined`: not a Keras file (nothing to keep); throws when unreadable or over the size limit. */
  private async entryFor(source: ModelSource, root: string, rel: string): Promise<Entry | undefined> {
    const notebook = rel.endsWith(".ipynb");
    const limit = notebook ? this.limits.notebookBytes : this.limits.bytes;
    const bytes = await source.read(rel, 0, limit + 1);
    if (bytes.length > limit) throw new Error(`${rel}: over ${limit} bytes`);
    const raw = new TextDecoder().decode(bytes);
    const text = notebook ? notebookToPython(raw) : raw;
    if (text === undefined) throw new Error(`${rel}: not a notebook`);
    if (!KERAS.test(text)) return undefined;
    const summary = await this.summarize(pathToFileURL(path.join(root, rel)).href, text);
    return {
      ...summary,
      json: JSON.stringify([
        summary.saves,
        summary.defs.objects,
        summary.defs.constants,
        summary.defs.imports,
        summary.defs.aliases,
        summary.defs.trainers,
        summary.defs.stars,
        summary.defs.version,
      ]),
    };
  }
}

/** The files the index reads: Python sources and notebooks. */
export const isIndexed = (file: string): boolean => file.endsWith(".py") || file.endsWith(".ipynb");

/** Relative paths of the indexed files under a source's root, breadth-first; virtual environments are not entered. */
async function* pythonFiles(
  source: ModelSource,
  signal: AbortSignal,
  limits: typeof INDEX_LIMITS,
  walked: { dirs: number },
): AsyncGenerator<string> {
  const isVenv = (entries: readonly { name: string }[]) => entries.some((e) => e.name === "pyvenv.cfg");
  for await (const d of walkDirs(source, "", {
    excludeDirs: EXCLUDES,
    maxDepth: limits.depth,
    signal,
    descend: (w) => !isVenv(w.entries),
  })) {
    if (++walked.dirs > limits.dirs) return;
    if (isVenv(d.entries)) continue;
    for (const e of d.entries) if (e.kind === "file" && isIndexed(e.name)) yield d.dir ? `${d.dir}/${e.name}` : e.name;
  }
}
