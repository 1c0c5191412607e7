/**
 * The web build's lsp.ts: the language server runs over Node IPC (dist/server.js), which the
 * web-worker extension host cannot start. Until the browser server exists, the web host says so once
 * in the Output channel when the first served document opens.
 */
import * as vscode from "vscode";

export class LanguageClientHost implements vscode.Disposable {
  private readonly listener: vscode.Disposable;
  private told = false;

  constructor(
    _extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.listener = vscode.workspace.onDidOpenTextDocument((d) => this.tell(d));
    for (const d of vscode.workspace.textDocuments) this.tell(d);
  }

  private tell(doc: vscode.TextDocument): void {
    if (this.told || !["python", "pbtxt"].includes(doc.languageId)) return;
    this.told = true;
    this.log.info("language server features (Python checks, client-code hovers, pbtxt) run in the desktop extension host only");
  }

  async ready(): Promise<void> {
    throw new Error("the language server runs in the desktop extension host only");
  }

  dispose(): void {
    this.listener.dispose();
  }
}
