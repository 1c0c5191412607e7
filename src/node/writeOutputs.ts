/**
 * Writes output files into a folder the user chose, without ever writing through a symbolic link
 * or over an existing entry by accident:
 *  - every target is checked with `lstat` before anything is written: an existing entry (a file, a
 *    directory, a dangling symbolic link) is an error unless `overwrite`;
 *  - with `overwrite`, an existing symbolic link or file is removed first (the link's target is
 *    never touched); a directory is always an error;
 *  - each file is created with `wx` (O_CREAT | O_EXCL): if something appears in between, the write fails.
 */
import { lstat, mkdir, unlink, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { StudioError } from "../core/errors.js";

export interface OutputFile {
  /** A plain file name (no directory part), e.g. from `outputFileNames`. */
  readonly name: string;
  readonly bytes: () => Uint8Array;
}

/** Writes `files` into `dir` (created when missing); returns the paths written. */
export async function writeOutputFiles(dir: string, files: readonly OutputFile[], opts: { overwrite?: boolean } = {}): Promise<string[]> {
  const targets = files.map((f) => {
    if (f.name !== path.basename(f.name) || f.name === "." || f.name === "..")
      throw new StudioError("USAGE", `output file name ${JSON.stringify(f.name)} is not a plain file name`);
    return { file: path.join(dir, f.name), f };
  });
  await mkdir(dir, { recursive: true });
  for (const t of targets) {
    const st = await lstat(t.file).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) throw new StudioError("USAGE", `${t.file} is a directory; nothing was written`);
    if (!opts.overwrite) {
      const what = st.isSymbolicLink() ? "exists (a symbolic link)" : "exists";
      throw new StudioError("USAGE", `${t.file} ${what}; pass --overwrite to replace it (nothing was written)`);
    }
  }
  const written: string[] = [];
  for (const t of targets) {
    await writeNewFile(t.file, t.f.bytes(), opts.overwrite ?? false);
    written.push(t.file);
  }
  return written;
}

/** True when anything (a dangling symbolic link included) exists at `file`. */
export async function entryExists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => undefined)) !== undefined;
}

/**
 * Creates `file` with `wx` (its folder too, when missing); with `replace`, a file or link there is
 * removed first (never followed).
 */
export async function writeNewFile(file: string, bytes: Uint8Array, replace: boolean): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  if (replace) {
    const st = await lstat(file).catch(() => undefined);
    if (st && !st.isDirectory()) await unlink(file);
  }
  try {
    await writeFile(file, bytes, { flag: "wx" });
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new StudioError("USAGE", `cannot write ${file} (${String(code ?? e)})`, file, { cause: e });
  }
}
