/**
 * ModelSources for the extension host (GUIDE §2.2): Node `fs` for `file:` folders (byte-range reads),
 * `vscode.workspace.fs` for every other scheme (remote, virtual). Source paths are POSIX strings:
 * the fs path for `file:`, the URI path otherwise; `SourceRoot` converts between paths and URIs.
 */
import * as vscode from "vscode";
import { LimitError } from "../core/errors.js";
import type { DirEntry, FileStat, ModelSource } from "../core/io.js";
import { DEFAULT_LIMITS } from "../core/limits.js";
import { FsSource } from "../node/fsSource.js";

/** A ModelSource over `vscode.workspace.fs` for URIs sharing `base`'s scheme and authority. */
export class WorkspaceFsSource implements ModelSource {
  /** workspace.fs has no ranged read: keep the last few whole files so shard reads do not re-fetch. */
  private readonly cache = new Map<string, Promise<Uint8Array>>();
  private static readonly CACHE_ENTRIES = 4;

  constructor(private readonly base: vscode.Uri) {}

  uri(path: string): vscode.Uri {
    return this.base.with({ path, query: "", fragment: "" });
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const st = await vscode.workspace.fs.stat(this.uri(path));
      const kind = st.type & vscode.FileType.Directory ? "dir" : "file";
      return { kind, size: kind === "dir" ? 0 : st.size, mtimeMs: st.mtime };
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === "FileNotFound") return undefined;
      throw e;
    }
  }

  async read(path: string, offset?: number, length?: number): Promise<Uint8Array> {
    let p = this.cache.get(path);
    if (!p) {
      p = this.readWhole(path);
      this.cache.set(path, p);
      if (this.cache.size > WorkspaceFsSource.CACHE_ENTRIES) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
      p.catch(() => this.cache.delete(path));
    }
    const bytes = await p;
    if (offset === undefined && length === undefined) return bytes;
    const start = Math.min(offset ?? 0, bytes.length);
    const end = length === undefined ? bytes.length : Math.min(bytes.length, start + length);
    return bytes.subarray(start, end);
  }

  /** The whole file (workspace.fs has no ranged read), refused past the file budget before any byte is read. */
  private async readWhole(path: string): Promise<Uint8Array> {
    const uri = this.uri(path);
    const { size } = await vscode.workspace.fs.stat(uri);
    if (size > DEFAULT_LIMITS.maxFileBytes)
      throw new LimitError(path, `${size} bytes is over the ${DEFAULT_LIMITS.maxFileBytes}-byte budget for reading a whole file`);
    return vscode.workspace.fs.readFile(uri);
  }

  async list(dir: string): Promise<DirEntry[]> {
    const entries = await vscode.workspace.fs.readDirectory(this.uri(dir));
    const out: DirEntry[] = [];
    for (const [name, type] of entries) {
      if (type & vscode.FileType.Directory) out.push({ name, kind: "dir" });
      else if (type & vscode.FileType.File) out.push({ name, kind: "file" });
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Forget cached bytes (a watched file changed). */
  invalidate(): void {
    this.cache.clear();
  }
}

/** A source plus the mapping between its paths and URIs, for one workspace folder (or any URI). */
export interface SourceRoot {
  readonly source: ModelSource;
  /** Source path of `uri` (must share the root's scheme and authority). */
  pathOf(uri: vscode.Uri): string;
  uriOf(path: string): vscode.Uri;
}

export function sourceRootFor(base: vscode.Uri): SourceRoot {
  if (base.scheme === "file") {
    const source = new FsSource("/");
    return {
      source,
      pathOf: (uri) => uri.fsPath.replace(/\\/g, "/"),
      uriOf: (path) => vscode.Uri.file(path),
    };
  }
  const source = new WorkspaceFsSource(base);
  return { source, pathOf: (uri) => uri.path, uriOf: (path) => source.uri(path) };
}

/** Path of `child` relative to `parent` (POSIX), or undefined when `child` is not inside it. */
export function relativePath(parent: string, child: string): string | undefined {
  if (child === parent) return "";
  const prefix = parent.endsWith("/") ? parent : parent + "/";
  return child.startsWith(prefix) ? child.slice(prefix.length) : undefined;
}
