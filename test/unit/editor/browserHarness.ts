/**
 * Shared setup of the headless-Chromium webview tests: a local server that serves dist/webview.js
 * under the provider's CSP (nonce script, blob: worker, no inline styles) with a shim for
 * acquireVsCodeApi, and a postMessage bridge to a real EditorSession in Node. `skip` is the reason
 * to skip (no Chromium, or dist/webview.js not built: run `node scripts/build.mjs` first).
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { SavedModelReader } from "../../../src/core/savedmodel/index.js";
import { EditorSession } from "../../../src/editor-model/session.js";
import { parseRequest } from "../../../src/protocol/editor.js";
import { REPO_ROOT } from "../helpers/fixtures.js";

export const CHROMIUM = process.env.SMS_CHROMIUM ?? "/usr/bin/chromium";
export const BUNDLE = join(REPO_ROOT, "dist", "webview.js");
const CSS = join(REPO_ROOT, "media", "editor", "editor.css");
export const skip: string | false = !existsSync(CHROMIUM) ? "no chromium" : !existsSync(BUNDLE) ? "dist/webview.js not built" : false;

// a few VS Code theme variables so the page looks like the dark theme in screenshots
const THEME = `:root{--vscode-foreground:#ccc;--vscode-editor-background:#1e1e1e;--vscode-font-family:sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;--vscode-editor-font-size:12px;--vscode-button-background:#0e639c;--vscode-button-foreground:#fff;--vscode-button-secondaryBackground:#3a3d41;--vscode-button-secondaryForeground:#ccc;--vscode-descriptionForeground:#999;--vscode-panel-border:#444;--vscode-focusBorder:#007fd4;--vscode-badge-background:#4d4d4d;--vscode-badge-foreground:#fff;--vscode-textCodeBlock-background:#2a2a2a;--vscode-editorWidget-background:#252526;--vscode-editorWidget-border:#555;--vscode-charts-blue:#3794ff;--vscode-charts-green:#89d185;--vscode-charts-orange:#d18616;--vscode-charts-purple:#b180d7;--vscode-charts-yellow:#cca700;--vscode-editorLineNumber-foreground:#858585;--vscode-list-activeSelectionBackground:#04395e;--vscode-input-background:#3c3c3c;--vscode-textLink-foreground:#3794ff;--vscode-editor-inactiveSelectionBackground:#3a3d41}`;

export interface Page {
  goto(url: string): Promise<unknown>;
  exposeFunction(name: string, fn: (...a: never[]) => unknown): Promise<void>;
  /** A page-side expression as text (this file is type-checked without DOM types). */
  evaluate(expression: string): Promise<unknown>;
  waitForSelector(sel: string, opts?: { timeout?: number }): Promise<unknown>;
  click(sel: string): Promise<void>;
  fill(sel: string, text: string): Promise<void>;
  keyboard: { press(key: string): Promise<void> };
  locator(sel: string): { count(): Promise<number>; first(): { textContent(): Promise<string | null> } };
  screenshot(opts: { path: string }): Promise<unknown>;
  on(ev: "console" | "pageerror", fn: (x: { text?: () => string; message?: string }) => void): void;
  setViewportSize(s: { width: number; height: number }): Promise<void>;
  close(): Promise<void>;
}
interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface Harness {
  /** Page errors and CSP violations seen by any page opened so far. */
  readonly errors: string[];
  /** A new page showing `reader` through a real EditorSession. */
  open(reader: SavedModelReader, title: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server: Server = createServer((req, res) => {
    const nonce = "t3st";
    if (req.url === "/webview.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(BUNDLE));
    if (req.url === "/editor.css") return res.writeHead(200, { "content-type": "text/css" }).end(readFileSync(CSS, "utf8") + THEME);
    const csp = `default-src 'none'; style-src 'self'; script-src 'nonce-${nonce}'; connect-src 'self'; worker-src blob:`;
    const shim = `window.__state=null;window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__toHost(JSON.stringify(m)),getState:()=>window.__state,setState:(s)=>{window.__state=s}});`;
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(
        `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"><link rel="stylesheet" href="/editor.css"></head><body><div id="root"></div><script nonce="${nonce}">${shim}</script><script nonce="${nonce}" src="/webview.js"></script></body></html>`,
      );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require("playwright-core") as { chromium: { launch(o: object): Promise<Browser> } };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--headless=new"] });
  const errors: string[] = [];

  return {
    errors,
    async open(reader, title) {
      const session = new EditorSession(reader, title, {
        runSignature: (s) => Promise.resolve(`run ${s.key}`),
        debugSignature: (s) => Promise.resolve(`debug ${s.key}`),
        copyRequest: (s) => Promise.resolve(`copied ${s.key}`),
        copyText: () => Promise.resolve("copied"),
      });
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 860 });
      page.on("pageerror", (e) => errors.push(String(e.message)));
      page.on("console", (m) => {
        const t = m.text?.() ?? "";
        if (/Content Security Policy|Refused/.test(t)) errors.push(t);
      });
      await page.exposeFunction("__toHost", async (json: string) => {
        const req = parseRequest(JSON.parse(json));
        const res = { ...(await session.handle(req)), id: req.id };
        // JSON is a valid JavaScript expression: the response arrives as data, as VS Code would deliver it
        await page.evaluate(`window.dispatchEvent(new MessageEvent("message", { data: ${JSON.stringify(res)} }))`);
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      return page;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}
