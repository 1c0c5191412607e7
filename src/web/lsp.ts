/**
 * The web build's lsp.ts: the language client of VS Code for the Web. It starts the browser language server
 * (dist/web/server.js: protobuf text format diagnostics, hovers, quick fixes, outline, folding, formatting) in a
 * Blob worker on the first pbtxt document; the worker host refuses `new Worker(<extension file>)`, so the script
 * is read through workspace.fs. Python and JS/TS client-code features need the Node server (desktop only).
 */
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/browser";
import { LanguageClientStarter } from "../extension/lspStarter.js";
import { readPart } from "./parts.js";

const SELECTOR = [{ language: "pbtxt" }];

/** The worker host's Worker: onmessage / onerror / postMessage, no addEventListener. */
interface HostWorker {
  onmessage: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  postMessage(message: unknown): void;
  terminate(): void;
}

/** The Worker as the port vscode-jsonrpc's browser transport expects (it adds its error listener). */
function portOf(w: HostWorker): ConstructorParameters<typeof LanguageClient>[2] {
  const errorListeners: ((ev: unknown) => void)[] = [];
  w.onerror = (ev) => errorListeners.forEach((l) => l(ev));
  const port = {
    set onmessage(fn: ((ev: unknown) => void) | null) {
      w.onmessage = fn;
    },
    get onmessage() {
      return w.onmessage;
    },
    addEventListener: (type: string, l: (ev: unknown) => void) => void (type === "error" && errorListeners.push(l)),
    removeEventListener: () => undefined,
    postMessage: (m: unknown) => w.postMessage(m),
    terminate: () => w.terminate(),
  };
  return port as unknown as ConstructorParameters<typeof LanguageClient>[2];
}

export class LanguageClientHost extends LanguageClientStarter<LanguageClient> {
  constructor(_extension: vscode.ExtensionContext, log: vscode.LogOutputChannel) {
    super(log, SELECTOR, () => startBrowserClient(log));
    log.info("VS Code for the Web: Python and JS/TS client-code checks run in the desktop extension host only");
  }
}

async function startBrowserClient(log: vscode.LogOutputChannel): Promise<LanguageClient> {
  const t0 = performance.now();
  const script = await readPart("web/server.js");
  const url = URL.createObjectURL(new Blob([script], { type: "text/javascript" }));
  const worker = portOf(new (globalThis as unknown as { Worker: new (u: string) => HostWorker }).Worker(url));
  const client = new LanguageClient("savedmodelStudio", "SavedModel Studio Language Server (web)", worker, {
    documentSelector: SELECTOR,
    outputChannel: log,
  });
  await client.start();
  log.info(`browser language server started in ${(performance.now() - t0).toFixed(0)} ms`);
  return client;
}
