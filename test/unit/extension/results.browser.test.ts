/**
 * The tensor panel UI (dist/results.js) in headless Chromium under the panel's own shell and CSP: a
 * run page full of HTML/script payloads is rendered as text (no element, no script from a model
 * string), the history and Save buttons post the typed requests. Skipped without Chromium or the bundle.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import type { RunRecord } from "../../../src/extension/run/results.js";
import { panelShell, runPage } from "../../../src/extension/run/tensorPage.js";
import { CHROMIUM } from "../editor/browserHarness.js";
import { REPO_ROOT } from "../helpers/fixtures.js";

const BUNDLE = join(REPO_ROOT, "dist", "results.js");
const skip = !existsSync(CHROMIUM) ? "no chromium" : !existsSync(BUNDLE) ? "dist/results.js not built" : false;
const PAYLOADS = [
  `<img src=x onerror="window.__pwned=1">`,
  `</script><script>window.__pwned=1</script>`,
  `"><svg onload=window.__pwned=1>`,
];
const enc = (s: string) => new TextEncoder().encode(s);

function record(id: string, at: number): RunRecord {
  return {
    id,
    at,
    modelLabel: `models/m${PAYLOADS[0]}`,
    modelUri: { toString: () => "file:///m" } as unknown as RunRecord["modelUri"],
    tags: ["serve"],
    signature: `sig${PAYLOADS[1]}`,
    inputs: [{ key: `x${PAYLOADS[2]}`, from: `file ${PAYLOADS[0]}`, dtype: DataType.DT_FLOAT, shape: [1] }],
    outputs: {
      [`y${PAYLOADS[0]}`]: { dtype: DataType.DT_FLOAT, shape: [3], data: new Float32Array([1, 2, 3]) },
      s: { dtype: DataType.DT_STRING, shape: [3], data: PAYLOADS.map(enc) },
    },
    engine: "embedded",
    backend: "wasm",
    timings: { loadMs: 1, prepareMs: 2, runMs: 3, execMs: 4, opsExecuted: 5 },
    warnings: [`warning ${PAYLOADS[1]}`],
  };
}

interface PwPage {
  addInitScript(script: string): Promise<void>;
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  waitForFunction(expression: string, arg?: unknown, opts?: { timeout?: number }): Promise<unknown>;
  click(sel: string): Promise<void>;
  on(ev: "pageerror", fn: (e: { message: string }) => void): void;
}

describe("tensor panel UI in Chromium", { skip }, () => {
  it("renders every model string as text and posts typed requests", async () => {
    const older = record("r1", Date.UTC(2026, 0, 1, 10));
    const newer = record("r2", Date.UTC(2026, 0, 1, 11));
    const page = runPage(newer, { maxElements: 100, maxStringLength: 200 }, [newer, older]);
    const server = createServer((req, res) => {
      if (req.url === "/results.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(BUNDLE));
      if (req.url === "/results.css")
        return res.writeHead(200, { "content-type": "text/css" }).end(readFileSync(join(REPO_ROOT, "media", "results.css")));
      const origin = `http://${req.headers.host}`;
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(panelShell({ nonce: "n0nce", cspSource: origin, cssHref: `${origin}/results.css`, scriptSrc: `${origin}/results.js` }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { chromium } = require("playwright-core") as {
      chromium: { launch(o: object): Promise<{ newPage(): Promise<PwPage>; close(): Promise<void> }> };
    };
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--headless=new"] });
    try {
      const p = await browser.newPage();
      const errors: string[] = [];
      p.on("pageerror", (e) => errors.push(e.message));
      await p.addInitScript("window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(m)});");
      await p.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      await p.waitForFunction("window.__posted.some((m) => m.type === 'ready')", undefined, { timeout: 10_000 });
      await p.evaluate(`window.dispatchEvent(new MessageEvent("message", { data: ${JSON.stringify({ kind: "page", page })} }))`);
      await p.waitForFunction("document.querySelectorAll('section.output').length === 2", undefined, { timeout: 10_000 });
      const injected = (await p.evaluate("document.querySelectorAll('img, svg, script:not([src])').length")) as number;
      assert.equal(injected, 0, "no element from a model string");
      assert.equal(await p.evaluate("window.__pwned"), undefined);
      const text = (await p.evaluate("document.body.textContent")) as string;
      for (const s of PAYLOADS) assert.ok(text.includes(s), `shown as text: ${s}`);
      assert.equal(await p.evaluate("document.querySelectorAll('nav.history button').length"), 2);
      await p.click("nav.history button:not(.current)");
      await p.click("header button");
      const posted = (await p.evaluate("JSON.stringify(window.__posted)")) as string;
      assert.deepEqual(JSON.parse(posted), [{ type: "ready" }, { type: "show", id: "r1" }, { type: "save" }]);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
