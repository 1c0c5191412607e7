/**
 * The graph view of the real webview bundle in headless Chromium (issue 18): first paint of real
 * models is at most ~60 boxes with no text under 10 px on screen, groups expand in place, captured
 * variables are drawn by name, search reveals a VarHandleOp itself, "Collapse all" empties the node
 * panel, the keyboard moves along edges. Writes docs screenshots (graph-<model>.png) into $SMS_SHOTS
 * when set. Skipped when dist/webview.js or Chromium is missing (run `node scripts/build.mjs` first).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MemorySource } from "../../../src/core/io.js";
import { chainModel } from "../../../src/core/savedmodel/builder.js";
import { SavedModelReader } from "../../../src/core/savedmodel/index.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { type Harness, type Page, skip, startHarness } from "./browserHarness.js";

const SHOTS = process.env.SMS_SHOTS;
/** Smallest on-screen font size of the graph's text, in px (font size × the SVG's screen scale). */
/** Median frame time (ms) of 60 wheel zoom steps, one per animation frame. */
const ZOOM_FRAMES = `(async () => {
  const svg = document.querySelector("svg.graph");
  const t = [];
  let last = performance.now();
  for (let i = 0; i < 60; i++) {
    svg.dispatchEvent(new WheelEvent("wheel", { deltaY: i % 2 ? 40 : -40, clientX: 400, clientY: 300, bubbles: true, cancelable: true }));
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    t.push(now - last);
    last = now;
  }
  t.sort((a, b) => a - b);
  return t[30];
})()`;
const MIN_FONT = `Math.min(...[...document.querySelectorAll("svg.graph text")].map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))`;

describe("graph view in Chromium", { skip }, () => {
  let harness: Harness;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  async function openGraph(name: string): Promise<Page> {
    const reader = await SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", name));
    const page = await harness.open(reader, name);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.waitForSelector("#tab-graph", { timeout: 20_000 });
    await page.click("#tab-graph");
    await page.waitForSelector("svg.graph[data-done] .unit", { timeout: 60_000 });
    return page;
  }

  const units = (page: Page) => page.locator("svg.graph .unit").count();

  for (const name of ["keras_mnist", "tfx_chicago_taxi_estimator_serving", "tfx_transform_fn", "keras_lstm_timeseries"]) {
    it(`${name}: first paint is at most 60 boxes, no text under 10 px`, async () => {
      const page = await openGraph(name);
      const n = await units(page);
      assert.ok(n > 1 && n <= 60, `${n} boxes at first paint`);
      const minFont = Number(await page.evaluate(MIN_FONT));
      assert.ok(minFont >= 10 - 1e-6, `smallest text ${minFont.toFixed(2)} px`);
      const reported = Number(await page.evaluate(`document.querySelector("svg.graph").dataset.minFontPx`));
      assert.ok(Math.abs(reported - minFont) < 0.05, `data-min-font-px ${reported} is what is on screen (${minFont})`);
      assert.ok((await page.locator("svg.minimap rect").count()) >= n, "minimap shows every box");
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `graph-${name}.png`) });
      assert.deepEqual(harness.errors, []);
      await page.close();
    });
  }

  it("keras_mnist: variables by name with shapes, edges with shapes; group expands in place; search selects a VarHandleOp; Collapse all clears the panel; keyboard", async () => {
    const page = await openGraph("keras_mnist");
    const labels = String(
      await page.evaluate(`[...document.querySelectorAll("svg.graph .edge-label")].map((t) => t.textContent).join("|")`),
    );
    assert.match(labels, /float32\[\?,28,28,1\]/, "the input's shape on its edge");
    // a click expands a layer group in place: its contents start where the box was
    const box = JSON.parse(
      String(
        await page.evaluate(`(() => {
          const g = [...document.querySelectorAll("svg.graph .unit.group")].find((x) => !x.classList.contains("variable"));
          const r = g.getBoundingClientRect();
          window.__scope = g.querySelector("title").textContent.split("\\n")[0];
          g.dispatchEvent(new MouseEvent("click", { bubbles: true }));
          return JSON.stringify({ x: r.x + r.width / 2, y: r.y + r.height / 2, scope: window.__scope });
        })()`),
      ),
    ) as { x: number; y: number; scope: string };
    await page.waitForSelector("svg.graph[data-done]", { timeout: 20_000 });
    const inside = JSON.parse(
      String(
        await page.evaluate(`JSON.stringify([...document.querySelectorAll("svg.graph .unit")]
          .filter((g) => g.querySelector("title").textContent.startsWith(window.__scope + "/"))
          .map((g) => g.getBoundingClientRect().y))`),
      ),
    ) as number[];
    assert.ok(inside.length >= 2, `${box.scope} expanded into ${inside.length} boxes`);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "graph-keras_mnist-expanded.png") });
    assert.ok(Math.abs(Math.min(...inside) - box.y) < 60, `expanded in place: top ${Math.min(...inside)} vs box at ${box.y}`);
    // search a VarHandleOp: the hit reveals and selects that node (a variable box named by its checkpoint path), not its reader
    await page.fill('#panel-graph input[type="search"]', "VarHandleOp");
    await page.waitForSelector("#panel-graph .search-results li", { timeout: 20_000 });
    await page.click("#panel-graph .search-results li");
    await page.waitForSelector(".node-panel p strong", { timeout: 20_000 });
    assert.equal(await page.locator(".node-panel p strong").first().textContent(), "VarHandleOp");
    await page.waitForSelector("svg.graph .unit.node.variable.selected", { timeout: 20_000 });
    const v = (await page.locator("svg.graph .unit.node.variable.selected").first().textContent()) ?? "";
    assert.match(v, /(kernel|bias|gamma|beta|moving_mean|moving_variance).*float32\[/, `selected variable box: ${v}`);
    const all = String(
      await page.evaluate(`[...document.querySelectorAll("svg.graph .unit text.label")].map((t) => t.textContent).join("|")`),
    );
    assert.doesNotMatch(all, /unknown/, "no unknown_N argument boxes");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "graph-keras_mnist-variable.png") });
    // linked to the Variables tab: filtered to the variable's checkpoint path
    await page.click('.node-panel button:has-text("Show in Variables")');
    await page.waitForSelector("table.variables tbody tr", { timeout: 20_000 });
    const filter = String(await page.evaluate(`document.querySelector("#panel-variables input[type=search]").value`));
    assert.ok(filter.length > 0, "filter set");
    const rows = await page.locator("table.variables tbody tr").count();
    assert.ok(rows >= 1, `${rows} variable rows for ${filter}`);
    await page.click("#tab-graph");
    // search an op deep in the model: revealed, with the path from the input highlighted
    await page.fill('#panel-graph input[type="search"]', "Softmax");
    await page.waitForSelector("#panel-graph .search-results li", { timeout: 20_000 });
    await page.click("#panel-graph .search-results li");
    await page.waitForSelector('.node-panel h3:has-text("Softmax")', { timeout: 20_000 });
    assert.ok((await page.locator("svg.graph .edge.path").count()) >= 3, "the path from the inputs is highlighted");
    // Collapse all: the panel no longer shows a node that is now hidden
    await page.click('button:has-text("Collapse all")');
    await page.waitForSelector("svg.graph[data-done]", { timeout: 20_000 });
    assert.equal(await page.locator(".node-panel h3").count(), 0, "panel cleared after Collapse all");
    // keyboard: Enter selects the first input, ArrowDown follows its edge
    await page.evaluate(`document.querySelector("svg.graph").focus()`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("svg.graph .unit.selected", { timeout: 5_000 });
    const before = await page.evaluate(`document.querySelector("svg.graph .unit.selected").dataset.unit`);
    await page.keyboard.press("ArrowDown");
    const afterMove = await page.evaluate(`document.querySelector("svg.graph .unit.selected").dataset.unit`);
    assert.notEqual(afterMove, before, "ArrowDown moved along an edge");
    assert.deepEqual(harness.errors, []);
    await page.close();
  });

  it("a 100,002-node graph in the webview: first paint within budget, legible, zoom at frame rate", async () => {
    const reader = await SavedModelReader.open(
      new MemorySource({ "m/saved_model.pb": chainModel({ adds: 50_000, constElements: 1 }) }),
      "m",
    );
    const page = await harness.open(reader, "synthetic");
    await page.waitForSelector("#tab-graph", { timeout: 20_000 });
    const t0 = performance.now();
    await page.click("#tab-graph");
    await page.waitForSelector("svg.graph[data-done] .unit", { timeout: 120_000 });
    const shown = performance.now() - t0;
    const n = await units(page);
    const info = (await page.locator(".graph-info").first().textContent()) ?? "";
    const frame = Number(await page.evaluate(ZOOM_FRAMES));
    const minFont = Number(await page.evaluate(MIN_FONT));
    console.log(
      `[graph 100k webview] ${n} boxes; click → drawn ${shown.toFixed(0)} ms (host graph model + transfer + scope tree + layout); ${info}; zoom frame median ${frame.toFixed(1)} ms`,
    );
    assert.ok(n > 1 && n <= 60, `${n} boxes`);
    assert.ok(minFont >= 10 - 1e-6, `smallest text ${minFont.toFixed(2)} px`);
    assert.match(info, /layout \d+ ms \(worker\)/);
    assert.ok(frame < 50, `zoom frame median ${frame.toFixed(1)} ms`);
    await page.close();
  });
});
