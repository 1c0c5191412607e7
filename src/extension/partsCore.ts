/**
 * What the extension's parts are and how a missing one is reported: shared by the desktop loader
 * (parts.ts, Node `fs`/`require`) and the web one (src/web/parts.ts). No `vscode`, no Node.
 */
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
  "web/server.js": "the browser language server of VS Code for the Web (pbtxt)",
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

export type Reporter = (message: string) => void;
let report: Reporter = () => undefined;
const reported = new Set<string>();

/** How to tell the user (set once by activate(), through configureParts). */
export function setReporter(reporter: Reporter): void {
  report = reporter;
  reported.clear();
}

/** The MissingPartError for `file`, reported once while the file stays missing. */
export function fail(file: string, detail: string): MissingPartError {
  const err = new MissingPartError(file, detail);
  // One notification per file while it stays missing; each later failure still throws.
  if (!reported.has(file)) {
    reported.add(file);
    report(err.message);
  }
  return err;
}

/** `file` loaded again: a later failure is reported again. */
export function recovered(file: string): void {
  reported.delete(file);
}
