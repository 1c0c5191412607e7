/**
 * The web build's node/writeOutputs.ts (Save Outputs into a `file:` folder): through workspace.fs,
 * which has no exclusive create, so an existing entry is checked just before writing and only
 * replaced when asked.
 */
import * as vscode from "vscode";
import { StudioError } from "../core/errors.js";

/** True when anything exists at `file`. */
export async function entryExists(file: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(file));
    return true;
  } catch {
    return false;
  }
}

/** Writes `file` (its folder is created by workspace.fs); an existing file is an error unless `replace`. */
export async function writeNewFile(file: string, bytes: Uint8Array, replace: boolean): Promise<void> {
  if (!replace && (await entryExists(file))) throw new StudioError("USAGE", `${file} exists; nothing was written`, file);
  try {
    await vscode.workspace.fs.writeFile(vscode.Uri.file(file), bytes);
  } catch (e) {
    throw new StudioError("USAGE", `cannot write ${file} (${e instanceof Error ? e.message : String(e)})`, file, { cause: e });
  }
}
