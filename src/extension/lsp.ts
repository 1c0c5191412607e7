/**
 * The language client: starts dist/server.js over IPC, lazily — on the first document the server
 * serves (Python, JS/TS client code, TF Serving request files, protobuf text format), never at
 * activation. The server reads files only (no model is executed), so it also runs in Restricted Mode.
 */
import * as vscode from "vscode";
import type { DocumentSelector, LanguageClient as LanguageClientType } from "vscode-languageclient/node";
import type * as LspClientModule from "./lspClient.js";
import { LanguageClientStarter } from "./lspStarter.js";
import { requireFiles, requirePart } from "./parts.js";

/** Documents the server handles (GUIDE §2.7: start on the first one). */
export const SERVER_SELECTOR: DocumentSelector = [
  { scheme: "file", language: "python" },
  { scheme: "untitled", language: "python" },
  { scheme: "file", language: "javascript" },
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "javascriptreact" },
  { scheme: "file", language: "typescriptreact" },
  { scheme: "file", pattern: "**/*.request.json" },
  { language: "pbtxt" },
];

export class LanguageClientHost extends LanguageClientStarter<LanguageClientType> {
  constructor(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    super(log, SERVER_SELECTOR as vscode.DocumentFilter[], () => startNodeClient(extension, log));
  }
}

async function startNodeClient(extension: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<LanguageClientType> {
  const t0 = performance.now();
  // Loaded here, not at activation: vscode-languageclient (dist/lspClient.js) is only needed once a
  // served file opens. The server's own files are checked first, so a missing one is named.
  requireFiles("server.js", "parseWorker.js", "web-tree-sitter.wasm", "tree-sitter-python.wasm");
  const { LanguageClient, TransportKind } = requirePart<typeof LspClientModule>("lspClient.js");
  const module = vscode.Uri.joinPath(extension.extensionUri, "dist", "server.js").fsPath;
  const wasmDir = vscode.Uri.joinPath(extension.extensionUri, "dist").fsPath;
  const client = new LanguageClient(
    "savedmodelStudio",
    "SavedModel Studio Language Server",
    { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
    {
      documentSelector: SERVER_SELECTOR,
      initializationOptions: { wasmDir },
      synchronize: { configurationSection: "savedmodelStudio" },
      markdown: { isTrusted: { enabledCommands: ["savedmodelStudio.openModelEditor"] } },
      outputChannel: log,
    },
  );
  await client.start();
  log.info(`language server started in ${(performance.now() - t0).toFixed(0)} ms`);
  return client;
}
