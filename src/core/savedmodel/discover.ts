import { basename, joinPath, type DirEntry, type ModelSource } from "../io.js";

export interface DiscoveredModel {
  /** Directory holding saved_model.pb|pbtxt. */
  readonly dir: string;
  readonly format: "pb" | "pbtxt";
  /** TF Serving base directory when `dir` is a numeric version folder inside one. */
  readonly servingBase?: string;
  readonly version?: string;
  /** A TF1 Hub module (tfhub_module.pb next to saved_model.pb). */
  readonly hubModule: boolean;
}

export interface DiscoverOptions {
  /** Directory names never descended into. */
  readonly excludeDirs?: ReadonlySet<string>;
  readonly maxDepth?: number;
  /** Stops the walk early (progressive discovery, cancellation). */
  readonly signal?: AbortSignal;
}

export const DEFAULT_EXCLUDES = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"]);

/**
 * Detects whether `dir` is a SavedModel directory (by content: saved_model.pb wins over .pbtxt,
 * as in TensorFlow's loader).
 */
export async function detectSavedModel(source: ModelSource, dir: string): Promise<DiscoveredModel | undefined> {
  let entries;
  try {
    entries = await source.list(dir);
  } catch {
    return undefined;
  }
  const format = modelFormat(entries);
  if (!format) return undefined;
  return { dir, format, hubModule: entries.some((e) => e.kind === "file" && e.name === "tfhub_module.pb") };
}

/** One directory of a walk: its path, depth below the root and sorted entries. */
export interface WalkedDir {
  readonly dir: string;
  readonly depth: number;
  readonly entries: readonly DirEntry[];
}

export interface WalkOptions extends DiscoverOptions {
  /** Whether to walk below a directory (default: always). */
  readonly descend?: (d: WalkedDir) => boolean;
}

/**
 * Walks `root` breadth-first and yields every readable directory with its entries. Excluded and
 * hidden directories are never entered; a directory reached through symbolic links is entered once.
 */
export async function* walkDirs(source: ModelSource, root: string, opts: WalkOptions = {}): AsyncGenerator<WalkedDir> {
  const excludes = opts.excludeDirs ?? DEFAULT_EXCLUDES;
  const maxDepth = opts.maxDepth ?? 12;
  let frontier: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  const seenLinks = new Set<string>();
  while (frontier.length > 0) {
    const next: { dir: string; depth: number }[] = [];
    for (const { dir, depth } of frontier) {
      if (opts.signal?.aborted) return;
      const entries = await source.list(dir).catch(() => undefined);
      if (!entries) continue;
      const walked = { dir, depth, entries };
      yield walked;
      if (depth >= maxDepth || opts.descend?.(walked) === false) continue;
      for (const e of entries) {
        if (e.kind !== "dir" || excludes.has(e.name) || e.name.startsWith(".")) continue;
        if (e.id !== undefined) {
          if (seenLinks.has(e.id)) continue;
          seenLinks.add(e.id);
        }
        next.push({ dir: joinPath(dir, e.name), depth: depth + 1 });
      }
    }
    frontier = next;
  }
}

function modelFormat(entries: readonly DirEntry[]): "pb" | "pbtxt" | undefined {
  const files = new Set(entries.filter((e) => e.kind === "file").map((e) => e.name));
  return files.has("saved_model.pb") ? "pb" : files.has("saved_model.pbtxt") ? "pbtxt" : undefined;
}

/**
 * Walks `root` breadth-first and yields every SavedModel directory as soon as it is found.
 * Version folders of a TF Serving base directory (numeric names) are marked with their base.
 * A SavedModel's own subfolders (variables/, assets/) hold no further models.
 */
export async function* discoverSavedModels(source: ModelSource, root: string, opts: DiscoverOptions = {}): AsyncGenerator<DiscoveredModel> {
  for await (const { dir, entries } of walkDirs(source, root, { ...opts, descend: (d) => modelFormat(d.entries) === undefined })) {
    const format = modelFormat(entries);
    if (!format) continue;
    const parentDir = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : undefined;
    const version = /^\d+$/.test(basename(dir)) ? basename(dir) : undefined;
    yield {
      dir,
      format,
      hubModule: entries.some((e) => e.kind === "file" && e.name === "tfhub_module.pb"),
      ...(version !== undefined && parentDir !== undefined ? { servingBase: parentDir, version } : {}),
    };
  }
}

/** Numeric version folders of a TF Serving base directory, highest last. */
export async function servingVersions(source: ModelSource, base: string): Promise<string[]> {
  let entries;
  try {
    entries = await source.list(base);
  } catch {
    return [];
  }
  const versions: string[] = [];
  for (const e of entries) {
    if (e.kind !== "dir" || !/^\d+$/.test(e.name)) continue;
    if (await detectSavedModel(source, joinPath(base, e.name))) versions.push(e.name);
  }
  return versions.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}
