/**
 * Starting a language client once, on the first document it serves, never at activation: shared by the desktop
 * host (lsp.ts: dist/server.js over Node IPC) and the web one (src/web/lsp.ts: a browser server in a Blob worker).
 */
import * as vscode from "vscode";
import { MissingPartError } from "./partsCore.js";

export interface StoppableClient {
  stop(): Promise<void>;
}

export class LanguageClientStarter<C extends StoppableClient> implements vscode.Disposable {
  private client: C | undefined;
  private starting: Promise<void> | undefined;
  private readonly listeners: vscode.Disposable[] = [];

  /** @param start starts the client (a missing part is already reported when it throws MissingPartError). */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    selector: vscode.DocumentSelector,
    private readonly start: () => Promise<C>,
  ) {
    const consider = (doc: vscode.TextDocument) => {
      if (!this.starting && vscode.languages.match(selector, doc) > 0) void this.ready().catch(() => undefined);
    };
    this.listeners.push(vscode.workspace.onDidOpenTextDocument(consider));
    for (const doc of vscode.workspace.textDocuments) consider(doc);
  }

  /** Resolves once the server is running (starting it if needed); for tests and commands. */
  async ready(): Promise<void> {
    this.starting ??= this.start().then(
      (c) => {
        this.client = c;
      },
      (e: unknown) => {
        // A missing part was reported by parts.ts; anything else is reported here. The next served
        // document (or ready()) tries again.
        this.starting = undefined;
        if (!(e instanceof MissingPartError)) {
          const message = `SavedModel Studio: the language server did not start: ${e instanceof Error ? e.message : String(e)}`;
          this.log.error(message);
          void vscode.window.showErrorMessage(message);
        }
        throw e;
      },
    );
    await this.starting;
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    const c = this.client;
    this.client = undefined;
    if (c) void c.stop().catch(() => undefined);
  }
}
