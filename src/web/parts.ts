/**
 * The web build's parts.ts (scripts/build.mjs `webSubstitutes`): the extension's own files are read
 * through `vscode.workspace.fs` from the extension's URI (no `require`, no `fs`). Parts that need Node
 * (the language server over IPC, the debug adapter process) are refused with a DESKTOP_ONLY error;
 * the others are read when used, and a read that fails is reported like a missing file on the desktop.
 * engineWorker.js is not refused: the web's loadModelIsolated (isolatedEngine.ts) loads in the host and
 * never reads it.
 */
import * as vscode from "vscode";
import { StudioError } from "../core/errors.js";
import type { LoadOptions } from "../runtime/types.js";
import { fail, recovered, setReporter, type PartFile, type Reporter } from "../extension/partsCore.js";

export { PARTS, MissingPartError, missingPartMessage, type PartFile } from "../extension/partsCore.js";

/** Parts the web-worker host cannot use, and why. */
const DESKTOP_ONLY: Partial<Record<PartFile, string>> = {
  "lspClient.js": "the language client over Node IPC",
  "server.js": "the Node language server",
  "parseWorker.js": "a Node worker thread",
  "debugAdapter.js": "the debug adapter, a Node process",
};

let dist: vscode.Uri | undefined;

/** Set by the web entry before activation: `<extension>/dist`. */
export function setDistUri(extensionUri: vscode.Uri): void {
  dist = vscode.Uri.joinPath(extensionUri, "dist");
}

/** `dir` is the desktop's dist/ path; the web keeps the URI given to setDistUri. */
export function configureParts(_dir: string, reporter: Reporter): void {
  setReporter(reporter);
}

function distUri(file: string): vscode.Uri {
  if (!dist) throw new StudioError("ENGINE", "the web extension was activated without its extension URI");
  return vscode.Uri.joinPath(dist, file);
}

/** The part's URI as a string (the web has no file paths). */
export function partPath(file: PartFile): string {
  return distUri(file).toString();
}

/** Refuses (and reports) the parts that need Node; the others are checked when read (readPart). */
export function requireFiles(...files: PartFile[]): void {
  for (const f of files) {
    const why = DESKTOP_ONLY[f];
    if (why) throw new StudioError("DESKTOP_ONLY", `dist/${f} is ${why}: it runs in the desktop extension host only`);
  }
}

/** requireFiles, then each file is looked up through workspace.fs: a missing one is reported once. */
export async function checkFiles(...files: PartFile[]): Promise<void> {
  requireFiles(...files);
  for (const f of files) {
    try {
      await vscode.workspace.fs.stat(distUri(f));
    } catch {
      throw fail(f, "the file does not exist");
    }
    recovered(f);
  }
}

/** Bundles cannot be loaded one by one in the worker host: everything the web uses is in dist/web/extension.js. */
export function requirePart<T>(file: PartFile & `${string}.js`): T {
  requireFiles(file);
  throw fail(file, "VS Code for the Web loads no separate bundles");
}

/** Bytes of a part, through workspace.fs; a missing file is reported once. */
export async function readPart(file: PartFile | string): Promise<Uint8Array> {
  try {
    const bytes = await vscode.workspace.fs.readFile(distUri(file));
    recovered(file);
    return bytes;
  } catch (e) {
    throw fail(file, e instanceof Error ? e.message : String(e));
  }
}

/** tfjs-backend-wasm's files as bytes read through workspace.fs (the worker host cannot fetch them by URL). */
let wasmBytes: Promise<Record<string, Uint8Array>> | undefined;
export function wasmFiles(_dir: string): Promise<Pick<LoadOptions, "wasmPaths" | "wasmBinaries">> {
  wasmBytes ??= (async () => {
    const names = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readPart(n)] as const)));
  })();
  wasmBytes.catch(() => (wasmBytes = undefined));
  return wasmBytes.then((wasmBinaries) => ({ wasmBinaries }));
}
