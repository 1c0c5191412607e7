/**
 * The Variables tab in a narrow editor (the real webview bundle in headless Chromium, see
 * browserHarness.ts): no column hidden behind the detail pane, dtype cells never clipped, even rows,
 * the filter's placeholder readable. Skipped when dist/webview.js or Chromium is missing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SavedModelReader } from "../../../src/core/savedmodel/index.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { type Harness, skip, startHarness } from "./browserHarness.js";

describe("Variables tab in a narrow editor", { skip }, () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  for (const width of [480, 1280]) {
    it(`${width} px wide: the detail pane never covers the table; dtype cells and rows stay whole`, async () => {
      const reader = await SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", "keras_mnist"));
      const page = await harness.open(reader, "keras_mnist");
      await page.setViewportSize({ width, height: 900 });
      await page.waitForSelector("#tab-variables", { timeout: 20_000 });
      await page.click("#tab-variables");
      await page.waitForSelector("table.variables tbody tr", { timeout: 20_000 });
      await page.click("table.variables tbody tr");
      await page.waitForSelector(".var-detail svg.histogram", { timeout: 20_000 });
      const m = (await page.evaluate(`(() => {
        const vars = document.querySelector(".split > .vars").getBoundingClientRect();
        const detail = document.querySelector(".split > .var-detail").getBoundingClientRect();
        const rows = [...document.querySelectorAll("table.variables tbody tr")].map((r) => Math.round(r.getBoundingClientRect().height));
        const clipped = [...document.querySelectorAll("table.variables tbody td")].filter((c) => c.scrollWidth > c.clientWidth + 1 && !c.matches(":first-child")).length;
        const input = document.querySelector('.toolbar input[type="search"]');
        const ctx = document.createElement("canvas").getContext("2d");
        ctx.font = getComputedStyle(input).font;
        return { vars: [vars.left, vars.right, vars.bottom], detail: [detail.left, detail.top], rows, clipped,
          placeholder: [ctx.measureText(input.placeholder).width, input.clientWidth] };
      })()`)) as { vars: number[]; detail: number[]; rows: number[]; clipped: number; placeholder: number[] };
      const overlapsSideways = m.detail[0]! < m.vars[1]! - 1;
      if (overlapsSideways) assert.ok(m.detail[1]! >= m.vars[2]! - 1, `detail pane over the table: ${JSON.stringify(m)}`);
      if (width < 720) assert.ok(m.detail[1]! >= m.vars[2]! - 1, `narrow: the detail pane goes under the table ${JSON.stringify(m)}`);
      assert.equal(m.clipped, 0, "no clipped dtype/shape/size cells");
      assert.equal(new Set(m.rows).size, 1, `even rows: ${[...new Set(m.rows)].join(", ")} px`);
      assert.ok(m.placeholder[0]! <= m.placeholder[1]!, `placeholder fits: ${m.placeholder.join(" ≤ ")}`);
      await page.close();
    });
  }
});
