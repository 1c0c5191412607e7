/**
 * The extension's own files in dist/ that load after activation (scripts/build.mjs writes them). Each
 * load goes through here, so a part that is missing or broken is a visible error — a notification and
 * a line in the SavedModel Studio Output channel naming the file and what to run — never a silent line
 * in the Extension Host log. No `vscode` import: the host injects how to report (activate()).
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

/** What each part is for, in the user's words. */
export const PARTS = {
  "reader.js": "the SavedModel reader (tree details, model editor)",
  "runtime.js": "the embedded engine (Run Signature, debugging)",
  "lspClient.js": "the language client (Python diagnostics, client-code hovers)",
  "server.js": "the language server (Python diagnostics, client-code hovers)",
  "parseWorker.js": "the language server's parser worker",
  "web-tree-sitter.wasm": "the language server's parser",
  "tree-sitter-python.wasm": "the Python grammar of the language server",
  "webview.js": "the model editor's user interface",
  "results.js": "the results and variable panels' user interface",
  "codicons/codicon.css": "the model editor's icons",
  "engineWorker.js": "the engine's worker thread (Run Signature, Run with Trace)",
  "debugAdapter.js": "the debugger (Debug Signature)",
  "tfjs-backend-wasm.wasm": "the embedded engine's wasm backend",
  "tfjs-backend-wasm-simd.wasm": "the embedded engine's wasm backend (SIMD)",
} as const;
export type PartFile = keyof typeof PARTS;

/** A part of the extension could not be loaded; already reported to the user when thrown. */
export class MissingPartError extends Error {
  readonly code = "MISSING_PART";
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(missingPartMessage(file, detail));
    this.name = "MissingPartError";
  }
}

export function missingPartMessage(file: string, detail: string): string {
  const what = (PARTS as Record<string, string>)[file];
  return (
    `SavedModel Studio cannot load dist/${file}${what ? ` (${what})` : ""}: ${detail}. ` +
    "The extension was not built completely: run `npm run build` in the extension's folder, then reload the window."
  );
}

type Reporter = (message: string) => void;
let report: Reporter = () => undefined;
const reported = new Set<string>();
let distDir = __dirname;

/** Called once by activate(): where dist/ is and how to tell the user. */
export function configureParts(dir: string, reporter: Reporter): void {
  distDir = dir;
  report = reporter;
  reported.clear();
}

function fail(file: string, detail: string): MissingPartError {
  const err = new MissingPartError(file, detail);
  // One notification per file while it stays missing; each later failure still throws.
  if (!reported.has(file)) {
    reported.add(file);
    report(err.message);
  }
  return err;
}

/** Full path of a part in dist/. */
export function partPath(file: PartFile): string {
  return path.join(distDir, file);
}

/** Throws (and reports) a MissingPartError unless every named file exists in dist/. */
export function requireFiles(...files: PartFile[]): void {
  for (const f of files) {
    if (!existsSync(partPath(f))) throw fail(f, "the file does not exist");
    reported.delete(f);
  }
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
