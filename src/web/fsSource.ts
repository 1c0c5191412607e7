/**
 * The web build's node/fsSource.ts: `file:` folders (vscode.dev's local folders) are read through
 * `vscode.workspace.fs` like every other scheme (sources.ts `WorkspaceFsSource`), with absolute
 * POSIX paths as on the desktop. No symbolic links are visible through workspace.fs on the web.
 */
import * as vscode from "vscode";
import type { DirEntry, FileStat, ModelSource } from "../core/io.js";
import { WorkspaceFsSource } from "../extension/sources.js";

export class FsSource implements ModelSource {
  private readonly fs: WorkspaceFsSource;

  /** @param root directory relative paths are resolved against (default "/"). */
  constructor(readonly root = "/") {
    this.fs = new WorkspaceFsSource(vscode.Uri.file(root));
  }

  private resolve(p: string): string {
    return p.startsWith("/") ? p : `${this.root.replace(/\/$/, "")}/${p}`;
  }

  stat(p: string): Promise<FileStat | undefined> {
    return this.fs.stat(this.resolve(p));
  }

  read(p: string, offset?: number, length?: number): Promise<Uint8Array> {
    return this.fs.read(this.resolve(p), offset, length);
  }

  list(dir: string): Promise<DirEntry[]> {
    return this.fs.list(this.resolve(dir));
  }
}
