/**
 * The language client: starts dist/server.js over IPC, lazily — on the first document the server
 * serves (Python, JS/TS client code, TF Serving request files, protobuf text format), never at
 * activation. The server reads files only (no model is executed), so it also runs in Restricted Mode.
 */
import * as vscode from "vscode";
import type { DocumentSelector, LanguageClient as LanguageClientType } from "vscode-languageclient/node";
import type * as LspClientModule from "./lspClient.js";
import { MissingPartError, requireFiles, requirePart } from "./parts.js";

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

export class LanguageClientHost implements vscode.Disposable {
  private client: LanguageClientType | undefined;
  private starting: Promise<void> | undefined;
  private readonly listeners: vscode.Disposable[] = [];

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const consider = (doc: vscode.TextDocument) => {
      if (!this.starting && vscode.languages.match(SERVER_SELECTOR as vscode.DocumentFilter[], doc) > 0)
        void this.ready().catch(() => undefined);
    };
    this.listeners.push(vscode.workspace.onDidOpenTextDocument(consider));
    for (const doc of vscode.workspace.textDocuments) consider(doc);
  }

  /** Resolves once the server is running (starting it if needed); for tests and commands. */
  async ready(): Promise<void> {
    this.starting ??= this.start().catch((e: unknown) => {
      // A missing part was reported by parts.ts; anything else is reported here. The next served
      // document (or ready()) tries again.
      this.starting = undefined;
      if (!(e instanceof MissingPartError)) {
        const message = `SavedModel Studio: the language server did not start: ${e instanceof Error ? e.message : String(e)}`;
        this.log.error(message);
        void vscode.window.showErrorMessage(message);
      }
      throw e;
    });
    await this.starting;
  }

  private async start(): Promise<void> {
    const t0 = performance.now();
    // Loaded here, not at activation: vscode-languageclient (dist/lspClient.js) is only needed once a
    // served file opens. The server's own files are checked first, so a missing one is named.
    requireFiles("server.js", "parseWorker.js", "web-tree-sitter.wasm", "tree-sitter-python.wasm");
    const { LanguageClient, TransportKind } = requirePart<typeof LspClientModule>("lspClient.js");
    const module = vscode.Uri.joinPath(this.extension.extensionUri, "dist", "server.js").fsPath;
    const wasmDir = vscode.Uri.joinPath(this.extension.extensionUri, "dist").fsPath;
    const client = new LanguageClient(
      "savedmodelStudio",
      "SavedModel Studio Language Server",
      { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
      {
        documentSelector: SERVER_SELECTOR,
        initializationOptions: { wasmDir },
        synchronize: { configurationSection: "savedmodelStudio" },
        markdown: { isTrusted: { enabledCommands: ["savedmodelStudio.openModelEditor"] } },
        outputChannel: this.log,
      },
    );
    this.client = client;
    await client.start();
    this.log.info(`language server started in ${(performance.now() - t0).toFixed(0)} ms`);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    const c = this.client;
    this.client = undefined;
    if (c) void c.stop().catch(() => undefined);
  }
}
