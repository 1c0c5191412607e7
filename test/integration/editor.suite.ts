/**
 * The custom editor (savedmodelStudio.modelEditor) in the real workbench: opened with vscode.openWith on
 * copies of two Keras fixtures, checked through the webview's own DOM (the launcher finds the webview's
 * frame in the Chromium page; see probePage in env.ts): signatures, the variables table (and a value
 * loaded lazily through the host), and the graph laid out in the worker under VS Code's webview CSP.
 */
import * as assert from "node:assert/strict";
import { renameSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { activate, EXTENSION_ID, facts } from "./common.js";
import { EDITOR_MODELS, fixtures, probePage, wsPath, type ProbeStep } from "./env.js";
import { test, waitFor } from "./harness.js";

const VIEW_TYPE = "savedmodelStudio.modelEditor";
/** The editor's variables table shows this many rows per page (src/webview/app.ts PAGE). */
const PAGE = 200;

/** models.json tensor facts (common.ts types them without the name). */
interface TensorFacts {
  dtype: string;
  shape: number[] | null;
  name: string;
}

test("custom editor: vscode.openWith opens saved_model.pb in the SavedModel Studio editor", async () => {
  await activate();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  // Room for the editor in the screenshots.
  await vscode.commands.executeCommand("workbench.action.closeSidebar");
  await vscode.commands.executeCommand("workbench.action.closePanel");
  const uri = vscode.Uri.file(wsPath("editor", EDITOR_MODELS[0]!, "saved_model.pb"));
  await vscode.commands.executeCommand("vscode.openWith", uri, VIEW_TYPE);
  const tab = await waitFor("the custom editor tab", () => {
    const t = vscode.window.tabGroups.activeTabGroup.activeTab;
    return t?.input instanceof vscode.TabInputCustom ? t : undefined;
  });
  const input = tab.input as vscode.TabInputCustom;
  assert.equal(input.viewType, VIEW_TYPE);
  assert.equal(input.uri.fsPath, uri.fsPath);
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
});

for (const name of EDITOR_MODELS) {
  test(`custom editor on ${name}: signatures, variables table and graph render in the webview`, async () => {
    const f = facts(name);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    const uri = vscode.Uri.file(wsPath("editor", name, "saved_model.pb"));
    await vscode.commands.executeCommand("vscode.openWith", uri, VIEW_TYPE);
    // The webview's header shows the workspace-relative path: it tells this editor's frame apart.
    const frame = { selector: "#root header h1", text: `editor/${name}/saved_model.pb` };
    const steps: ProbeStep[] = [
      { wait: "#panel-overview pre.showall" },
      { text: "#panel-overview pre.showall" },
      { click: "#tab-signatures" },
      { wait: '#panel-signatures [data-signature="serving_default"] table' },
      { attrs: ["#panel-signatures [data-signature]", "data-signature"] },
      { text: '#panel-signatures [data-signature="serving_default"]' },
      { click: "#tab-variables" },
      { wait: "table.variables tbody tr" },
      { count: "table.variables tbody tr" },
      { text: "#panel-variables p.muted" },
      { click: "table.variables tbody tr" },
      { wait: ".var-detail svg.histogram" },
      { click: "#tab-graph" },
      { wait: "svg.graph[data-done] .unit" },
      { count: "svg.graph .unit" },
      { text: ".graph-info" },
      { shot: `editor-vscode-${name}` },
    ];
    let values;
    try {
      values = await probePage(frame, steps, 90_000);
    } catch (e) {
      // Say what the webview shows instead (an error box, a panel still loading…).
      const shown = await probePage(frame, [{ text: "#root" }], 5_000).catch(() => ["(no webview frame)"]);
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n      webview shows: ${String(shown[0]).slice(0, 400)}`, {
        cause: e,
      });
    }
    const [, showAll, , , sigKeys, sigText, , , rows, summary, , , , , units, info] = values as [
      null,
      string,
      null,
      null,
      string[],
      string,
      null,
      null,
      number,
      string,
      null,
      null,
      null,
      null,
      number,
      string,
    ];
    // Overview: the saved_model_cli text names the tag set.
    assert.match(showAll, new RegExp(`MetaGraphDef with tag-set: '${f.tags[0]!.join(", ")}'`));
    // Signatures: every signature of the model, serving_default with its inputs (key, dtype).
    assert.deepEqual([...sigKeys].sort(), Object.keys(f.signatures).sort());
    const serving = f.signatures["serving_default"]!;
    for (const [key, t] of [...Object.entries(serving.inputs), ...Object.entries(serving.outputs)] as [string, TensorFacts][]) {
      // One table row: key, dtype, shape (the product's one notation, [?, 28]) and tensor name, cell after cell.
      const row = `${key}${t.dtype}[${t.shape!.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]${t.name}`;
      assert.ok(sigText.includes(row), `serving_default shows the row ${row}: ${sigText}`);
    }
    // Variables: the checkpoint's variables (the object graph entry is not one), first page in the table.
    const vars = f.variables!;
    const total = vars.count - (vars.includes_object_graph_entry ? 1 : 0);
    assert.match(summary, new RegExp(`^${total} of ${total} variables`), summary);
    assert.equal(rows, Math.min(total, PAGE));
    // Graph: laid out (in the worker, under VS Code's webview CSP) with more than a handful of boxes.
    assert.ok(units > 3, `${units} graph boxes`);
    assert.match(info, /layout \d+ ms \(worker\)/, `layout ran in the worker: ${info}`);
    console.log(`      ${rows} variable rows, ${units} graph boxes; ${info.trim()}`);
  }, 150_000);
}

test("one model opened in the tree, the model editor and Run is read and parsed once", async () => {
  const { api } = await activate();
  await api.whenDiscovered();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  const dir = vscode.Uri.file(wsPath("models", "serving_half_plus_two_cpu"));
  const entry = api.models().find((m) => m.uri.toString() === dir.toString());
  assert.ok(entry, "the model is discovered");
  // the tree: expanding the model lists its tag sets
  const model = (await api.children()).find((n) => n.kind === "model" && n.model === entry);
  assert.ok(model, "the model's tree node");
  assert.ok((await api.children(model)).length > 0, "tag sets listed");
  // the model editor on the same saved_model.pb
  await vscode.commands.executeCommand("vscode.openWith", vscode.Uri.joinPath(dir, "saved_model.pb"), VIEW_TYPE);
  const frame = { selector: "#root header h1", text: "models/serving_half_plus_two_cpu/saved_model.pb" };
  await probePage(frame, [{ click: "#tab-signatures" }, { wait: '#panel-signatures [data-signature="serving_default"] table' }], 60_000);
  // Run on a literal
  const res = await vscode.commands.executeCommand<{ outputs: Record<string, unknown> } | undefined>("savedmodelStudio.runSignature", {
    model: dir.toString(),
    tags: ["serve"],
    signature: "serving_default",
    inputs: { x: { kind: "literal", text: "[[1.0], [2.0]]" } },
    quiet: true,
  });
  assert.ok(res, "a run summary");
  assert.equal(entry.opens, 1, `saved_model.pb parsed ${entry.opens} times by the tree, the editor and Run`);
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}, 120_000);

// Issue 18 (graph helper): written without being run here (the integration suite needs the real
// workbench); the same checks run in headless Chromium in test/unit/editor/graph.browser.test.ts.
test("graph: first paint of a Keras model is at most 60 boxes and no text is under 10 px on screen", async () => {
  const name = EDITOR_MODELS[0]!;
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  const uri = vscode.Uri.file(wsPath("editor", name, "saved_model.pb"));
  await vscode.commands.executeCommand("vscode.openWith", uri, VIEW_TYPE);
  const frame = { selector: "#root header h1", text: `editor/${name}/saved_model.pb` };
  const values = await probePage(
    frame,
    [
      { wait: "#tab-graph" },
      { click: "#tab-graph" },
      { wait: "svg.graph[data-done] .unit" },
      { count: "svg.graph .unit" },
      { attrs: ["svg.graph", "data-min-font-px"] },
      { shot: `editor-vscode-graph-${name}` },
    ],
    90_000,
  );
  const boxes = values[3] as number;
  const minFont = Number((values[4] as (string | null)[])[0]);
  assert.ok(boxes >= 2 && boxes <= 60, `${boxes} boxes at first paint`);
  assert.ok(minFont >= 10, `smallest text on screen ${minFont} px`);
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}, 150_000);

test("graph: captured variables are drawn by name with dtype and shape; a VarHandleOp search hit selects that variable", async () => {
  const name = EDITOR_MODELS[0]!;
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  await vscode.commands.executeCommand("vscode.openWith", vscode.Uri.file(wsPath("editor", name, "saved_model.pb")), VIEW_TYPE);
  const values = await probePage(
    { selector: "#root header h1", text: `editor/${name}/saved_model.pb` },
    [
      { wait: "#tab-graph" },
      { click: "#tab-graph" },
      { wait: "svg.graph[data-done] .unit" },
      { fill: ['#panel-graph input[type="search"]', "VarHandleOp"] },
      { wait: "#panel-graph .search-results li" },
      { click: "#panel-graph .search-results li" },
      { wait: "svg.graph .unit.node.variable.selected" },
      { text: "svg.graph .unit.node.variable.selected" },
      { text: ".node-panel p strong" },
    ],
    90_000,
  );
  const selected = String(values[7]);
  assert.match(
    selected,
    /(conv2d|dense|batch_normalization)[^/]*\/(kernel|bias|gamma|beta|moving_mean|moving_variance).*float32\[/,
    selected,
  );
  assert.equal(values[8], "VarHandleOp");
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}, 150_000);

test("a missing dist/webview.js is a visible error: the editor and a notification name the file and `npm run build`", async () => {
  await activate();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const bundle = path.join(ext.extensionUri.fsPath, "dist", "webview.js");
  renameSync(bundle, `${bundle}.moved`);
  try {
    await vscode.commands.executeCommand(
      "vscode.openWith",
      vscode.Uri.file(wsPath("editor", EDITOR_MODELS[0]!, "saved_model.pb")),
      VIEW_TYPE,
    );
    const [inEditor] = (await probePage({ selector: "p.missing-part" }, [{ text: "p.missing-part" }], 30_000)) as [string];
    const [toast] = (await probePage(
      { selector: ".notification-toast", text: "dist/webview.js" },
      [{ text: ".notification-toast" }],
      30_000,
    )) as [string];
    for (const shown of [inEditor, toast]) {
      assert.match(shown, /dist\/webview\.js/);
      assert.match(shown, /npm run build/);
    }
  } finally {
    renameSync(`${bundle}.moved`, bundle);
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.commands.executeCommand("notifications.clearAll");
  }
});

test("Show in Graph from the tree opens the model editor on that signature's graph (not the default one)", async () => {
  const { api } = await activate();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  await api.whenDiscovered();
  const model = (await api.children()).find((n) => api.treeItem(n).label === "models/serving_half_plus_two_cpu")!;
  const tagset = (await api.children(model)).find((n) => n.kind === "tagset")!;
  const sig = (await api.children(tagset)).find((n) => n.kind === "signature" && n.sig.key === "regress_x_to_y")!;
  await vscode.commands.executeCommand("savedmodelStudio.showInGraph", sig);
  const [, selected, crumbs] = (await probePage(
    { selector: "#root header h1", text: "models/serving_half_plus_two_cpu/saved_model.pb" },
    [{ wait: "svg.graph[data-done] .unit" }, { attrs: ["#tab-graph", "aria-selected"] }, { text: "nav.crumbs" }],
    90_000,
  )) as [null, (string | null)[], string];
  assert.deepEqual(selected, ["true"]);
  assert.match(crumbs, /signature regress_x_to_y/);
  // Asked again for another signature while the editor is open: the same editor switches graphs.
  const other = (await api.children(tagset)).find((n) => n.kind === "signature" && n.sig.key === "classify_x_to_y")!;
  await vscode.commands.executeCommand("savedmodelStudio.showInGraph", other);
  await probePage({ selector: "nav.crumbs", text: "signature classify_x_to_y" }, [{ wait: "svg.graph[data-done] .unit" }], 60_000);
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}, 150_000);

test("Run with Trace: a panel of every executed node, and the model editor's graph shows the shapes that flowed (batch 2, not ?)", async () => {
  const { api } = await activate();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  const model = wsPath("editor", "keras_mnist");
  const input = path.join(fixtures, "cases", "keras_mnist__serving_default", "inputs", "conv2d_input.npy");
  const res = await vscode.commands.executeCommand<{ rows: number; error: string | null }>("savedmodelStudio.traceSignature", {
    model: vscode.Uri.file(model).toString(),
    signature: "serving_default",
    inputs: { conv2d_input: { kind: "file", uri: vscode.Uri.file(input).toString() } },
  });
  assert.equal(res.error, null);
  assert.ok(res.rows >= 50, `${res.rows} node executions`);
  const tab = await waitFor("the trace panel", () =>
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === "Trace: keras_mnist · serving_default"),
  );
  assert.ok(tab);
  const [rows] = (await probePage({ selector: "table.trace", text: "Conv2D" }, [{ count: "table.trace tbody tr" }])) as [number];
  assert.equal(rows, res.rows);
  await api.whenDiscovered();
  const m = (await api.children()).find((n) => api.treeItem(n).label === "editor/keras_mnist")!;
  const tagset = (await api.children(m)).find((n) => n.kind === "tagset")!;
  const sig = (await api.children(tagset)).find((n) => n.kind === "signature" && n.sig.key === "serving_default")!;
  await vscode.commands.executeCommand("savedmodelStudio.showInGraph", sig);
  const [, info, labels] = (await probePage(
    { selector: "#root header h1", text: "editor/keras_mnist/saved_model.pb" },
    [{ wait: "svg.graph[data-done] .unit" }, { text: ".graph-info" }, { attrs: ["svg.graph .edge-label", "data-edge"] }],
    90_000,
  )) as [null, string, (string | null)[]];
  assert.match(info, /shapes and times from the run at/);
  assert.ok(labels.length > 0);
  const [text] = (await probePage(
    { selector: "svg.graph .edge-label", text: "float32[2," },
    [{ text: "svg.graph" }, { shot: "graph-run-overlay" }],
    30_000,
  )) as [string];
  assert.match(text, /float32\[2,/);
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}, 180_000);
