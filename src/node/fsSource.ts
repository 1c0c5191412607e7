/**
 * A `ModelSource` over Node's `fs` (CLI, benchmarks, the extension host for `file:` workspaces).
 * Reads by byte range through a file handle, so a multi-hundred-MB variables shard is never read
 * whole to get one tensor. Paths are POSIX strings: absolute, or relative to `root`.
 */
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import * as path from "node:path";
import { PathError } from "../core/errors.js";
import type { DirEntry, FileStat, ModelSource } from "../core/io.js";

export class FsSource implements ModelSource {
  /** @param root directory relative paths are resolved against (default: the process's cwd). */
  constructor(readonly root: string = process.cwd()) {}

  /** The native path for a source path. */
  resolve(p: string): string {
    return path.resolve(this.root, p);
  }

  async stat(p: string): Promise<FileStat | undefined> {
    try {
      const st = await stat(this.resolve(p));
      if (st.isDirectory()) return { kind: "dir", size: 0, mtimeMs: st.mtimeMs };
      if (st.isFile()) return { kind: "file", size: st.size, mtimeMs: st.mtimeMs };
      return undefined;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async read(p: string, offset?: number, length?: number): Promise<Uint8Array> {
    const file = this.resolve(p);
    if (offset === undefined && length === undefined) {
      const buf = await readFile(file);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const start = offset ?? 0;
    const fh = await open(file, "r");
    try {
      let want = length;
      if (want === undefined) {
        const st = await fh.stat();
        want = Math.max(0, st.size - start);
      }
      const out = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(out, got, want - got, start + got);
        if (bytesRead === 0) break; // end of file
        got += bytesRead;
      }
      return got === want ? out : out.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  async list(dir: string): Promise<DirEntry[]> {
    return listNative(this.resolve(dir), () => true);
  }

  /** A view that refuses paths resolving outside `dir` (see `ModelSource.confine`). */
  confine(dir: string): ModelSource {
    return new ConfinedFsSource(this, dir);
  }
}

/**
 * An `FsSource` limited to one directory: every path is resolved with `realpath` and must stay inside
 * the directory's real path (symbolic links inside it are fine). The resolved path is what is opened,
 * so a link cannot be swapped between the check and the read.
 */
export class ConfinedFsSource implements ModelSource {
  private rootReal: Promise<string> | undefined;

  constructor(
    private readonly fs: FsSource,
    readonly dir: string,
  ) {}

  /** Already confined: never wider than this directory. */
  confine(): ModelSource {
    return this;
  }

  /** The real path of `p`, `undefined` when it does not exist; a PathError when it is outside. */
  private async real(p: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(this.fs.resolve(p));
    } catch (e) {
      if (isMissing(e) || isLoop(e)) return undefined;
      throw e;
    }
    if (!(await this.inside(real)))
      throw new PathError(p, "resolves (through a symbolic link) outside the model directory; refusing to read it");
    return real;
  }

  private async inside(real: string): Promise<boolean> {
    const root = await (this.rootReal ??= realpath(this.fs.resolve(this.dir)));
    return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  }

  async stat(p: string): Promise<FileStat | undefined> {
    const real = await this.real(p);
    return real === undefined ? undefined : this.fs.stat(real);
  }

  async read(p: string, offset?: number, length?: number): Promise<Uint8Array> {
    const real = await this.real(p);
    if (real === undefined) throw Object.assign(new Error(`ENOENT: no such file '${p}'`), { code: "ENOENT" });
    return this.fs.read(real, offset, length);
  }

  /** Entries whose target is outside the directory are listed as files (never entered, never readable). */
  async list(dir: string): Promise<DirEntry[]> {
    const real = await this.real(dir);
    if (real === undefined) throw Object.assign(new Error(`ENOENT: no such directory '${dir}'`), { code: "ENOENT" });
    return listNative(real, (target) => this.inside(target));
  }
}

/** Directory entries, following symbolic links (skipping dangling ones); linked directories carry their real path. */
async function listNative(full: string, inside: (real: string) => boolean | Promise<boolean>): Promise<DirEntry[]> {
  const entries = await readdir(full, { withFileTypes: true });
  const out: DirEntry[] = [];
  for (const e of entries) {
    if (e.isDirectory()) out.push({ name: e.name, kind: "dir" });
    else if (e.isFile()) out.push({ name: e.name, kind: "file" });
    else if (e.isSymbolicLink()) {
      // Follow links (fixture folders are often symlinked into workspaces); skip dangling ones and loops.
      const target = await realpath(path.join(full, e.name)).catch(() => undefined);
      const st = target === undefined ? undefined : await stat(target).catch(() => undefined);
      if (target === undefined || !st) continue;
      if (!(await inside(target))) out.push({ name: e.name, kind: "file" });
      else if (st.isDirectory()) out.push({ name: e.name, kind: "dir", id: target });
      else if (st.isFile()) out.push({ name: e.name, kind: "file" });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isLoop(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === "ELOOP";
}

function isMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
