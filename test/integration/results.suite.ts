/**
 * Run Signature around the run itself, in the real workbench: results panels named by model and
 * signature with the runs inside; signatures that cannot run refused before any input is asked for;
 * the input picker's hints (literal matching the input, files named like it first, the tf.Example
 * features the model parses).
 */
import * as assert from "node:assert/strict";
import { copyFileSync, rmSync } from "node:fs";
import * as vscode from "vscode";
import { activate, child } from "./common.js";
import { probePage, wsPath } from "./env.js";
import { test, waitFor } from "./harness.js";

const RUN = "savedmodelStudio.runSignature";

function run(model: string, literal: string): Thenable<unknown> {
  return vscode.commands.executeCommand(RUN, {
    model: vscode.Uri.file(wsPath(model)).toString(),
    signature: "serving_default",
    inputs: { x: { kind: "literal", text: literal } },
  });
}

function webviewTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label));
}

/** The signature node of a model in the tree (the same argument the inline Run action passes). */
async function signatureNode(rel: string, key: string) {
  const { api } = await activate();
  await api.whenDiscovered();
  const model = await child(api, undefined, rel);
  const tagset = await child(api, model, "serve");
  return child(api, tagset, key);
}

/** Starts Run Signature from a tree node without waiting (the picker blocks it until hidden). */
function startFromTree(node: unknown): Promise<unknown> {
  return Promise.resolve(vscode.commands.executeCommand(RUN, node));
}

async function closePicker(pending: Promise<unknown>): Promise<void> {
  await vscode.commands.executeCommand("workbench.action.closeQuickOpen");
  assert.equal(await pending, undefined, "cancelled picker runs nothing");
}

test("results panels are titled by model and signature, re-used on re-run, and keep the runs inside", async () => {
  await activate();
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  await run("models/serving_half_plus_two_cpu", "[[1.0]]");
  await run("models/serving_half_plus_two_cpu", "[[3.0]]");
  await run("models/serving_half_plus_two_tf2_cpu", "[[1.0]]");
  // Tabs reach the API a moment after their panels open.
  const tabs = await waitFor("a results tab per model + signature", () => {
    const t = webviewTabs().filter((l) => l.includes("serving_default"));
    return t.length >= 2 ? t.sort() : undefined;
  });
  assert.deepEqual(tabs, ["serving_half_plus_two_cpu · serving_default", "serving_half_plus_two_tf2_cpu · serving_default"]);
  // The re-used panel lists both runs, newest shown; choosing the older one shows its outputs.
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  await run("models/serving_half_plus_two_cpu", "[[1.0]]");
  await run("models/serving_half_plus_two_cpu", "[[3.0]]");
  const frame = { selector: "nav.history", text: "[[3.0]]" };
  const [count, newest] = (await probePage(frame, [
    { count: "nav.history button" },
    { text: "pre.preview" },
    { click: "nav.history button:not(.current)" },
  ])) as [number, string];
  assert.equal(count, 2);
  assert.match(newest, /3\.5/);
  const [older] = (await probePage({ selector: "nav.history button.current", text: "[[1.0]]" }, [{ text: "pre.preview" }])) as [string];
  assert.match(older, /2\.5/);
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
});

test("a signature that needs ops the engine lacks is refused before any input is asked for, naming the ops", async () => {
  await assert.rejects(
    Promise.resolve(
      vscode.commands.executeCommand(RUN, { model: vscode.Uri.file(wsPath("run", "serving_tf_text_regression")).toString() }),
    ),
    (e: unknown) => /not a core TensorFlow op|does not support/.test(String(e)) && /RougeL|Sentencepiece|UTF8/.test(String(e)),
  );
  // From the tree: the command returns at once (no picker waits for the user) and a notification says why.
  const node = await signatureNode("run/serving_tf_text_regression", "serving_default");
  const done = await Promise.race([startFromTree(node).then(() => "returned"), new Promise((r) => setTimeout(() => r("waiting"), 30_000))]);
  assert.equal(done, "returned", "no input picker was opened");
  const [toast] = (await probePage({ selector: ".notification-toast", text: "cannot run here" }, [{ text: ".notification-toast" }])) as [
    string,
  ];
  assert.match(toast, /serving_default of run\/serving_tf_text_regression cannot run here/);
  await vscode.commands.executeCommand("notifications.clearAll");
});

test("the input picker: a literal hint matching the input, files named like the input first, the tf.Example features the model parses", async () => {
  // A compatible file that sorts before inputs/x.npy by path: the file named like the input still comes first.
  copyFileSync(wsPath("inputs", "x.npy"), wsPath("a_compatible.npy"));
  try {
    const pending = startFromTree(await signatureNode("models/serving_half_plus_two_cpu", "serving_default"));
    const [rows] = (await probePage({ selector: ".quick-input-list .monaco-list-row", text: "a_compatible.npy" }, [
      { attrs: [".quick-input-list .monaco-list-row", "aria-label"] },
    ])) as [string[]];
    const literal = rows.find((r) => r.includes("Enter a value"));
    assert.match(String(literal), /e\.g\. \[\[0\.5\]\]/);
    const files = rows.filter((r) => /\.npy/.test(r) && !/last used/.test(r));
    assert.match(String(files[0]), /inputs\/x\.npy/, `first file: ${files.join(" | ")}`);
    await closePicker(pending);
  } finally {
    rmSync(wsPath("a_compatible.npy"), { force: true });
  }
  const pending = startFromTree(await signatureNode("run/tfx_chicago_taxi_estimator_serving", "serving_default"));
  const [rows] = (await probePage({ selector: ".quick-input-list .monaco-list-row", text: "tf.Example" }, [
    { attrs: [".quick-input-list .monaco-list-row", "aria-label"] },
  ])) as [string[]];
  const example = rows.find((r) => r.includes("tf.Example"));
  assert.match(String(example), /the model parses company string \(sparse\)/);
  await closePicker(pending);
});
