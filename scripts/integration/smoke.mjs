// `npm start -- --smoke`: drives the workbench start.mjs serves, in headless Chromium, as a new user
// would, over the whole product. One check per row of CHECKS, in order; each prints `smoke: <name> ok`
// (with what it saw), and the first failure stops the run (`smoke: <name> FAILED: …`, exit 1).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The sample model the editor check opens, and the one Run Signature runs. */
const EDITOR_MODEL = "models/serving_half_plus_two_tf2_cpu/saved_model.pb";
const RUN_MODEL = "models/serving_half_plus_two_cpu";
/** The Python sample start.mjs puts in the workspace: a subclassed model saved before it was built. */
export const PYTHON_SAMPLE = "scripts/train_tiny_classifier.py";

const CHECKS = [
  ["tree", treeListsSamples],
  ["editor", editorRendersOverviewAndGraph],
  ["diagnostic SMS101", pythonDiagnostic],
  ["run", runFromPalette],
  ["save outputs", saveOutputs],
  ["run from tree", runFromTree],
];

/** Runs every check; resolves to the exit code. */
export async function runSmoke({ page, url, workspace, shot }) {
  const t = { page, workspace, shot, row: (text) => page.locator(".quick-input-list .monaco-list-row", { hasText: text }).first() };
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  for (const [name, check] of CHECKS) {
    const t0 = Date.now();
    try {
      const saw = await check(t);
      console.log(`smoke: ${name} ok (${saw}; ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      console.error(`smoke: ${name} FAILED: ${e instanceof Error ? e.message : String(e)}`);
      if (shot) await page.screenshot({ path: resolve(shot).replace(/\.png$/, `-failed.png`) }).catch(() => undefined);
      return 1;
    }
  }
  if (shot) await page.screenshot({ path: resolve(shot) });
  return 0;
}

/** Polls every frame (webviews are nested iframes) until `probe(frame)` returns a value. */
async function inFrames(page, probe, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      const v = await probe(f).catch(() => undefined);
      if (v !== undefined && v !== null && v !== false) return v;
    }
    await page.waitForTimeout(150);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

async function palette(t, command) {
  await t.page.keyboard.press("F1");
  await t.page.keyboard.type(command);
  await t.row(command).waitFor({ timeout: 20_000 });
  await t.page.keyboard.press("Enter");
}

/** Quick Open (the palette without its `>`) on a workspace-relative path. */
async function openFile(t, rel) {
  const name = rel.slice(rel.lastIndexOf("/") + 1);
  const dir = rel.slice(0, rel.lastIndexOf("/"));
  // Focus the workbench (not a webview) first, so F1 reaches it.
  await t.page
    .locator(".statusbar")
    .first()
    .click({ position: { x: 2, y: 2 } });
  await t.page.keyboard.press("F1");
  await t.page.keyboard.press("Backspace");
  await t.page.keyboard.type(rel);
  const row = t.page.locator(".quick-input-list .monaco-list-row", { hasText: name }).filter({ hasText: dir }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await t.page.locator(".tabs-container .tab.active", { hasText: name }).first().waitFor({ timeout: 30_000 });
}

async function treeListsSamples({ page }) {
  // The SavedModels view has a view container of its own: its icon in the activity bar opens it.
  await page.locator('.activitybar .action-label[aria-label^="SavedModel Studio"]').first().click({ timeout: 60_000 });
  const samples = ["models/serving_half_plus_two_cpu", "models/serving_half_plus_two_tf2_cpu", "models/tfjs_times_three_float"];
  for (const m of samples) await page.locator(".monaco-list-row", { hasText: m }).first().waitFor({ timeout: 60_000 });
  return `the SavedModels view lists ${samples.length} samples`;
}

async function editorRendersOverviewAndGraph(t) {
  await openFile(t, EDITOR_MODEL);
  // This editor's frame: its header shows the workspace-relative path.
  const frame = await inFrames(
    t.page,
    async (f) => ((await f.locator("#root header h1").first().textContent({ timeout: 100 })) ?? "").includes(EDITOR_MODEL) && f,
    60_000,
    `the model editor on ${EDITOR_MODEL}`,
  );
  const overview = frame.locator("#panel-overview pre.showall").first();
  await overview.waitFor({ timeout: 60_000 });
  const text = (await overview.textContent()) ?? "";
  if (!/MetaGraphDef with tag-set: 'serve'/.test(text)) throw new Error(`the Overview shows ${JSON.stringify(text.slice(0, 200))}`);
  await frame.locator("#tab-graph").click();
  await frame.locator("svg.graph[data-done] .unit").first().waitFor({ timeout: 60_000 });
  const boxes = await frame.locator("svg.graph .unit").count();
  if (boxes < 2) throw new Error(`the graph drew ${boxes} boxes`);
  if (t.shot) await t.page.screenshot({ path: resolve(t.shot).replace(/\.png$/, "-editor.png") });
  return `Overview shows the saved_model_cli text, Graph drew ${boxes} boxes`;
}

async function pythonDiagnostic(t) {
  await openFile(t, PYTHON_SAMPLE);
  await palette(t, "View: Focus Problems");
  const marker = t.page.locator(".markers-panel .monaco-list-row", { hasText: "SMS101" }).first();
  await marker.waitFor({ timeout: 60_000 });
  const text = ((await marker.textContent()) ?? "").replace(/\s+/g, " ").trim();
  if (t.shot) await t.page.screenshot({ path: resolve(t.shot).replace(/\.png$/, "-python.png") });
  return `Problems: ${text.slice(0, 120)}`;
}

async function runFromPalette(t) {
  await palette(t, "SavedModel: Run Signature");
  await t.row(RUN_MODEL).waitFor({ timeout: 20_000 });
  await t.row(RUN_MODEL).click();
  await t.row("serving_default").waitFor({ timeout: 20_000 });
  await t.row("serving_default").click();
  await t.row("inputs/x.npy").waitFor({ timeout: 30_000 });
  await t.row("inputs/x_row.npy").waitFor({ timeout: 30_000 }); // listed, marked not usable
  await t.row("inputs/x.npy").click();
  const preview = await inFrames(t.page, (f) => f.locator("pre.preview").first().textContent({ timeout: 50 }), 60_000, "the results panel");
  // numpy notation (core/display.ts): "[[2.5]\n [3. ]\n [4.5]]"; compared as numbers
  const values = (preview.match(/-?\d+(\.\d*)?(e[-+]?\d+)?/gi) ?? []).map(Number).join(", ");
  if (values !== "2.5, 3, 4.5") throw new Error(`unexpected results preview: ${JSON.stringify(preview)}`);
  return `Run Signature from the palette gave y = ${values} for x = [1, 2, 5]`;
}

/** "Save outputs…" in the results panel, into <workspace>/saved/; a second save must ask, "Keep Both". */
async function saveOutputs(t) {
  const outDir = join(t.workspace, "saved");
  mkdirSync(outDir, { recursive: true });
  const clickSave = async () => {
    const button = await inFrames(
      t.page,
      async (f) => {
        const save = f.locator("button", { hasText: "Save outputs…" });
        return (await save.count()) > 0 && save;
      },
      20_000,
      "Save outputs…",
    );
    await button.click();
  };
  await clickSave();
  await chooseFolder(t.page, outDir);
  const saved = join(outDir, "y.npy");
  const ys = await poll(t.page, () => readY(saved), `Save outputs… to write ${saved}`);
  if (ys.join(",") !== "2.5,3,4.5") throw new Error(`saved y.npy holds ${ys}`);
  const first = readFileSync(saved);
  await clickSave();
  await chooseFolder(t.page, outDir);
  const dialog = t.page.locator(".monaco-dialog-box", { hasText: "already exist" });
  await dialog.waitFor({ timeout: 20_000 });
  await dialog.locator(".monaco-button", { hasText: "Keep Both" }).click();
  const second = join(outDir, "y-1.npy");
  await poll(t.page, () => existsSync(second) || undefined, "Keep Both to write y-1.npy");
  if (!readFileSync(saved).equals(first)) throw new Error("y.npy was overwritten");
  return "wrote y.npy = [2.5, 3, 4.5]; saving again asked, Keep Both wrote y-1.npy";
}

/** The folder dialog (a quick input in the web workbench) fills in its default first: retype until ours sticks. */
async function chooseFolder(page, dir) {
  const input = page.locator(".quick-input-widget input.input").first();
  await input.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => (document.querySelector(".quick-input-widget input.input")?.value ?? "").length > 0, undefined, {
    timeout: 20_000,
  });
  for (let attempt = 0; attempt < 10; attempt++) {
    await input.fill(dir + "/");
    await page.waitForTimeout(300);
    if ((await input.inputValue()) === dir + "/") break;
  }
  await page.keyboard.press("Enter");
}

/** The three float32 values of a complete y.npy, or undefined while it is missing or being written. */
function readY(file) {
  try {
    const b = readFileSync(file);
    const hl = b.readUInt16LE(8);
    return [0, 1, 2].map((i) => b.readFloatLE(10 + hl + 4 * i));
  } catch {
    return undefined;
  }
}

async function poll(page, probe, what) {
  for (let i = 0; i < 200; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The inline Run action on a tree signature skips the model/signature picks and offers the last input first. */
async function runFromTree(t) {
  const { page } = t;
  const tree = page.locator(".pane-body", { has: page.locator(".monaco-list-row", { hasText: "models/tfjs_times_three_float" }) }).first();
  await tree.locator(".monaco-list-row", { hasText: RUN_MODEL }).first().click();
  const sigRow = tree.locator(".monaco-list-row", { hasText: "serving_default" }).first();
  await sigRow.waitFor({ timeout: 20_000 });
  await sigRow.hover();
  await sigRow.locator('.action-label[aria-label^="Run Signature"]').click();
  await page.locator(".quick-input-widget .quick-input-title", { hasText: "Run serving_default: input 1/1" }).waitFor({ timeout: 20_000 });
  await t.row("last used").waitFor({ timeout: 20_000 });
  const last = (await t.row("last used").textContent()) ?? "";
  if (!last.includes("inputs/x.npy")) throw new Error(`last used entry is ${JSON.stringify(last)}`);
  await page.keyboard.press("Escape");
  return "the tree's inline Run went straight to the inputs, last choice (inputs/x.npy) first";
}
