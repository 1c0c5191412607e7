/**
 * The language server (dist/server.js) through the real language client: started on the first Python
 * document, answering VS Code's own hover / diagnostics / code action APIs for Python client code, Keras
 * pitfalls and protobuf text format files written into the temporary workspace.
 */
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import { facts } from "./common.js";
import { serveGateScript, trainGateScript } from "../unit/helpers/python-scripts.js";
import { wsPath } from "./env.js";
import { test, waitFor } from "./harness.js";

/** Writes `text` to <workspace>/<rel>, opens it in an editor and returns the document. */
async function openFile(rel: string, text: string): Promise<vscode.TextDocument> {
  const file = wsPath(rel);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The position of the `nth` character of the first occurrence of `needle` in the document. */
function at(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `${needle} in ${doc.uri.fsPath}`);
  return doc.positionAt(i + nth);
}

async function hoverText(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", doc.uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === "string" ? c : c.value))
    .join("\n");
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === "object" ? String(d.code.value) : String(d.code ?? "");
}

function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
}

/** Waits (up to 45 s) for the first diagnostic with `code` on the document. */
async function diagnosticWithCode(doc: vscode.TextDocument, code: string, what: string): Promise<vscode.Diagnostic> {
  const [diag] = await waitFor(
    what,
    () => {
      const ds = withCode(doc.uri, code);
      return ds.length > 0 ? ds : undefined;
    },
    45_000,
    100,
  );
  return diag!;
}

/** Applies the quick fix titled like `title` offered for `diag`; returns its title. */
async function applyQuickFix(doc: vscode.TextDocument, diag: vscode.Diagnostic, title: RegExp): Promise<string> {
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      "vscode.executeCodeActionProvider",
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  const fixes = actions.filter((a): a is vscode.CodeAction => "edit" in a || "kind" in a);
  const fix = fixes.find((a) => title.test(a.title));
  assert.ok(fix, `a quick fix matching ${title}; offered: ${actions.map((a) => a.title).join(" | ")}`);
  assert.ok(fix.edit, `quick fix '${fix.title}' carries an edit`);
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
  if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
  return fix.title;
}

test('hover in Python client code: loaded.signatures["serving_default"] shows the signature (inputs, dtype, shape)', async () => {
  const doc = await openFile(
    "client_hover.py",
    'import tensorflow as tf\n\nloaded = tf.saved_model.load("models/serving_half_plus_two_cpu")\ninfer = loaded.signatures["serving_default"]\nprint(infer(x=tf.constant([[1.0]])))\n',
  );
  assert.equal(doc.languageId, "python");
  const pos = at(doc, '"serving_default"', 3);
  // The server starts on this first Python document: poll until it answers.
  const text = await waitFor(
    "a signature hover",
    async () => {
      const t = await hoverText(doc, pos);
      return t.includes("serving_default") && t.includes("signature") ? t : undefined;
    },
    45_000,
    200,
  );
  const x = facts("serving_half_plus_two_cpu").signatures["serving_default"]!.inputs["x"]!;
  assert.equal(x.dtype, "DT_FLOAT");
  const shape = `[${x.shape!.map((d) => (d < 0 ? "None" : String(d))).join(", ")}]`;
  // The inputs table row of x: key, dtype, shape.
  const row = text.split("\n").find((l) => l.startsWith("| `x`"));
  assert.ok(row, `an inputs row for x in:\n${text}`);
  assert.match(row, /\|\s*float32\s*\|/);
  assert.ok(row.includes(`| ${shape} |`), `shape ${shape} in ${row}`);
  assert.ok(text.includes("models/serving_half_plus_two_cpu"), `names the model directory: ${text}`);
}, 60_000);

test("Python: SMS101 on a subclassed keras.Model saved before it is built; the quick fix removes it", async () => {
  const src = [
    "import tensorflow as tf",
    "from tensorflow import keras",
    "",
    "",
    "class M(keras.Model):",
    "    def call(self, x):",
    "        return x",
    "",
    "",
    "def main():",
    "    inputs = keras.Input(shape=(28, 28))",
    "    m = M()",
    '    m.save("out")',
    "",
  ].join("\n");
  const doc = await openFile("keras_unbuilt.py", src);
  const diag = await diagnosticWithCode(doc, "SMS101", "SMS101");
  // Keras version unknown (no pin), SavedModel path: tf.keras raises at save time → an error.
  assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
  assert.match(diag.message, /`m` \(subclassed `M`\) is saved before it was ever called/);
  assert.match(doc.getText(diag.range), /save/, "the diagnostic marks the save call");
  const title = await applyQuickFix(doc, diag, /^Build `m` before saving/);
  // The build call uses the shape of the nearby keras.Input and comes before the save.
  const fixed = doc.getText();
  assert.match(fixed, /\n {4}m\(keras\.Input\(shape=\(28, 28\)\)\)\n {4}m\.save\("out"\)/, `after '${title}':\n${fixed}`);
  await waitFor("SMS101 gone after the fix", () => withCode(doc.uri, "SMS101").length === 0, 20_000, 100);
  await vscode.commands.executeCommand("workbench.action.files.revert");
}, 60_000);

test("Python: a serving script is checked against a training script on disk that was never opened (SMS202)", async () => {
  writeFileSync(wsPath("train_gate.py"), trainGateScript("gate_model.h5"));
  const doc = await openFile("serve_gate.py", serveGateScript("gate_model.h5"));
  assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath.endsWith("train_gate.py")), "the training script is not open");
  const diag = await diagnosticWithCode(doc, "SMS202", "SMS202 from the unopened training script");
  assert.equal(diag.range.start.line, 6);
  assert.match(diag.message, /train_gate\.py registers `Gate`.*"shop>Gate"/);
  await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
}, 60_000);

test("Python: a load of a .keras file on disk is checked against the custom objects the file names (SMS201)", async () => {
  const doc = await openFile(
    "apps/sanity_check.py",
    ["from tensorflow.keras.models import load_model", "", 'model = load_model("models/siamese_model.keras")', ""].join("\n"),
  );
  const diag = await diagnosticWithCode(doc, "SMS201", "SMS201 read from the model file");
  assert.equal(diag.range.start.line, 2);
  assert.match(diag.message, /"models\/siamese_model\.keras" names the custom object "CosineSimilarity" \(read from the file\)/);
  await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
}, 60_000);

test('pbtxt: unknown NodeDef field is diagnosed (with its did-you-mean fix); hover on op: "Conv2D" lists the op\'s inputs', async () => {
  const text = [
    "node {",
    '  name: "x"',
    '  op: "Placeholder"',
    "}",
    "node {",
    '  name: "conv"',
    '  op: "Conv2D"',
    '  input: "x"',
    '  input: "w"',
    '  devize: "/cpu:0"',
    "}",
    "",
  ].join("\n");
  const doc = await openFile("graph.pbtxt", text);
  assert.equal(doc.languageId, "pbtxt");
  const diag = await diagnosticWithCode(doc, "unknown-field", "the unknown-field diagnostic");
  assert.equal(doc.getText(diag.range), "devize");
  assert.match(diag.message, /unknown field 'devize' in tensorflow\.NodeDef/);
  assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
  const hover = await waitFor(
    "the Conv2D hover",
    async () => {
      const t = await hoverText(doc, at(doc, '"Conv2D"', 3));
      return t.includes("Conv2D") ? t : undefined;
    },
    20_000,
    100,
  );
  assert.match(hover, /\*\*Conv2D\*\* · core op/);
  const inputs = /Inputs: (.*)/.exec(hover)?.[1] ?? "";
  assert.match(inputs, /\binput\b/, hover);
  assert.match(inputs, /\bfilter\b/, hover);
  // The did-you-mean quick fix turns devize into device; the diagnostic goes away.
  await applyQuickFix(doc, diag, /device/);
  assert.match(doc.getText(), /\n {2}device: "\/cpu:0"\n/);
  await waitFor("the unknown-field diagnostic gone", () => withCode(doc.uri, "unknown-field").length === 0, 20_000, 100);
  await vscode.commands.executeCommand("workbench.action.files.revert");
}, 60_000);
