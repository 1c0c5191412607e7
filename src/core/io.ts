/**
 * The only way core reads bytes. Hosts inject an implementation: Node `fs` for the CLI and the
 * desktop extension host, `vscode.workspace.fs` for remote/virtual workspaces, an in-memory map in
 * tests. Paths are POSIX-style strings, interpreted by the source (absolute, or relative to a root
 * the source was created with).
 */
export interface FileStat {
  readonly kind: "file" | "dir";
  readonly size: number;
  /** Modification time in ms since the epoch, when known (cache invalidation). */
  readonly mtimeMs?: number;
}

export interface DirEntry {
  readonly name: string;
  readonly kind: "file" | "dir";
  /**
   * For a directory reached through a symbolic link: an identity of its target (the real path), so
   * recursive walks can skip a directory they have already entered (links to `.` or `..` never loop).
   */
  readonly id?: string;
}

export interface ModelSource {
  /** `undefined` when the path does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * Reads `length` bytes at `offset` (whole file when both are omitted). Returns fewer bytes only
   * at end of file; callers that need an exact length must check.
   */
  read(path: string, offset?: number, length?: number): Promise<Uint8Array>;
  /** Entries of a directory, sorted by name. Throws when `dir` is not a readable directory. */
  list(dir: string): Promise<DirEntry[]>;
  /**
   * A view of this source that refuses every path whose real location (symbolic links resolved) is
   * outside `dir` (a `PathError`, code OUTSIDE_MODEL). Readers confine themselves to the model
   * directory; sources without symbolic links need not implement it.
   */
  confine?(dir: string): ModelSource;
}

/** Joins POSIX path segments, dropping empty ones and collapsing duplicate slashes. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p.length > 0).join("/");
  return joined.replace(/\/{2,}/g, "/");
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const i = trimmed.lastIndexOf("/");
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}

export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const i = trimmed.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : trimmed.slice(0, i);
}

/** An in-memory source: tests, fuzzing, and webviews that received bytes from the host. */
export class MemorySource implements ModelSource {
  private readonly files = new Map<string, Uint8Array>();

  constructor(files: Record<string, Uint8Array> = {}) {
    for (const [k, v] of Object.entries(files)) this.files.set(normalize(k), v);
  }

  set(path: string, bytes: Uint8Array): void {
    this.files.set(normalize(path), bytes);
  }

  delete(path: string): void {
    this.files.delete(normalize(path));
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const p = normalize(path);
    const f = this.files.get(p);
    if (f) return { kind: "file", size: f.length };
    const prefix = p === "" ? "" : p + "/";
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return { kind: "dir", size: 0 };
    return undefined;
  }

  async read(path: string, offset = 0, length?: number): Promise<Uint8Array> {
    const f = this.files.get(normalize(path));
    if (!f) throw Object.assign(new Error(`ENOENT: no such file '${path}'`), { code: "ENOENT" });
    const end = length === undefined ? f.length : Math.min(f.length, offset + length);
    return f.subarray(Math.min(offset, f.length), end);
  }

  async list(dir: string): Promise<DirEntry[]> {
    const p = normalize(dir);
    const prefix = p === "" ? "" : p + "/";
    const out = new Map<string, "file" | "dir">();
    for (const k of this.files.keys()) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf("/");
      if (slash < 0) out.set(rest, "file");
      else out.set(rest.slice(0, slash), "dir");
    }
    if (out.size === 0 && !this.files.has(p) && p !== "") {
      throw Object.assign(new Error(`ENOENT: no such directory '${dir}'`), { code: "ENOENT" });
    }
    return [...out.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, kind]) => ({ name, kind }));
  }
}

function normalize(p: string): string {
  return p
    .replace(/\/{2,}/g, "/")
    .replace(/^\.\//, "")
    .replace(/\/$/, "");
}
