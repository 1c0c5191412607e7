/**
 * The extension's own files in dist/ that load after activation (scripts/build.mjs writes them). Each
 * load goes through here, so a part that is missing or broken is a visible error — a notification and
 * a line in the SavedModel Studio Output channel naming the file and what to run — never a silent line
 * in the Extension Host log. No `vscode` import: the host injects how to report (activate()).
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { LoadOptions } from "../runtime/types.js";
import { fail, recovered, setReporter, type PartFile, type Reporter } from "./partsCore.js";

export { PARTS, MissingPartError, missingPartMessage, type PartFile } from "./partsCore.js";

let distDir = __dirname;

/** Called once by activate(): where dist/ is and how to tell the user. */
export function configureParts(dir: string, reporter: Reporter): void {
  distDir = dir;
  setReporter(reporter);
}

/** Full path of a part in dist/. */
export function partPath(file: PartFile): string {
  return path.join(distDir, file);
}

/** Throws (and reports) a MissingPartError unless every named file exists in dist/. */
export function requireFiles(...files: PartFile[]): void {
  for (const f of files) {
    if (!existsSync(partPath(f))) throw fail(f, "the file does not exist");
    recovered(f);
  }
}

/** requireFiles for callers that can wait (the web build checks through workspace.fs). */
export async function checkFiles(...files: PartFile[]): Promise<void> {
  requireFiles(...files);
}

/** `require` of a bundle in dist/; a missing or failing bundle is reported and thrown as MissingPartError. */
export function requirePart<T>(file: PartFile & `${string}.js`): T {
  requireFiles(file);
  try {
    // The path is computed at run time so the bundler keeps the part out of dist/extension.js.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(partPath(file)) as T;
  } catch (e) {
    throw fail(file, `loading it failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Where tfjs-backend-wasm finds its .wasm files (LoadOptions.wasmPaths): the dist/ folder. */
export async function wasmFiles(dir: string): Promise<Pick<LoadOptions, "wasmPaths" | "wasmBinaries">> {
  return { wasmPaths: dir.endsWith(path.sep) ? dir : dir + path.sep };
}
