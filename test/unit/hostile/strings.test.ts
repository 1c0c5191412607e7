// Issue 17, items 4 and 5: model-supplied regexes run in linear time; long strings print capped;
// model strings never become Markdown links/images or terminal control sequences.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { main } from "../../../src/cli/main.js";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { mdCode, mdEscape } from "../../../src/core/markdown.js";
import { buildSavedModel, placeholder } from "../../../src/core/savedmodel/builder.js";
import type { SignatureSummary, TensorInfoSummary } from "../../../src/core/savedmodel/types.js";
import type { HostTensor } from "../../../src/core/tensor.js";
import { formatTensor, pyBytesRepr } from "../../../src/core/tensor-format.js";
import { terminalSafe } from "../../../src/core/terminal.js";
import { loadModel } from "../../../src/runtime/index.js";
import { modelMarkdown, signatureMarkdown, tensorMarkdown } from "../../../src/server/client/markdown.js";
import type { ClientModel } from "../../../src/server/client/models.js";
import { regexModel } from "./generators.js";

// eslint-disable-next-line no-control-regex -- the characters a terminal would interpret
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

const tmp = mkdtempSync(join(tmpdir(), "hostile-strings-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const enc = new TextEncoder();
const strs = (values: string[]): HostTensor => ({
  dtype: DataType.DT_STRING,
  shape: [values.length],
  data: values.map((v) => enc.encode(v)),
});

async function runRegex(pattern: string, input: string[], op = "StaticRegexFullMatch") {
  const m = await loadModel(regexModel(pattern, op), "m", { backend: "cpu", fastPath: false });
  try {
    return (await (await m.prepare("serving_default")).run({ s: strs(input) })).outputs["y"]!;
  } finally {
    m.dispose();
  }
}

void test("ReDoS: StaticRegexFullMatch '(a+)+' on 'aaa…ab' answers at once (linear-time RE2, not backtracking)", async () => {
  const t0 = performance.now();
  const y = await runRegex("(a+)+", ["a".repeat(5000) + "b", "aaaa", "ab"]);
  assert.ok(performance.now() - t0 < 3000, `${Math.round(performance.now() - t0)} ms`);
  assert.deepEqual(Array.from(y.data as Uint8Array), [0, 1, 0]);
  // RE2 semantics, as TensorFlow: '.' does not match a newline.
  const dot = await runRegex("a.b", ["a\nb", "axb"]);
  assert.deepEqual(Array.from(dot.data as Uint8Array), [0, 1]);
});

void test("RE2 refuses backtracking-only syntax with a typed error; RegexReplace uses \\1 rewrites", async () => {
  await assert.rejects(
    runRegex("(a)\\1", ["aa"]),
    (e: unknown) => e instanceof StudioError && e.code === "INVALID_INPUT" && /Invalid pattern: \(a\)\\1, error: /.test(e.message),
  );
  const y = await runRegex("(b+)", ["abbc", "xyz"], "StaticRegexReplace");
  assert.deepEqual(
    (y.data as Uint8Array[]).map((b) => new TextDecoder().decode(b)),
    ["a<bb>c", "xyz"],
  );
});

void test("printing a 300 MB string: a few KB of text ending with how much more there is", () => {
  const big = new Uint8Array(300_000_000).fill(0x61);
  const t0 = performance.now();
  const text = pyBytesRepr(big);
  assert.ok(text.length < 2000, `${text.length} chars`);
  assert.match(text, /^b'a+'… 286\.1 MiB more$/); // one byte unit everywhere (core/units.ts)
  const t: HostTensor = { dtype: DataType.DT_STRING, shape: [2], data: [big, enc.encode("short")] };
  const shown = formatTensor(t);
  assert.ok(shown.length < 3000);
  assert.match(shown, /b'short'/);
  assert.ok(performance.now() - t0 < 2000);
  // Short strings print exactly as before.
  assert.equal(pyBytesRepr(enc.encode("it's")), `b"it's"`);
});

const tensor = (key: string, name: string): TensorInfoSummary => ({
  key,
  dtype: DataType.DT_FLOAT,
  dtypeName: "DT_FLOAT",
  shape: [-1],
  shapeAbsent: false,
  name,
});

void test("hover Markdown: hostile keys cannot add images, links or command links", () => {
  const beacon = "x![b](https://evil.example/beacon.png)";
  const cmd = "[Open](command:savedmodelStudio.openModelEditor?%5B%7B%22path%22%3A%22%2Fetc%22%7D%5D)";
  const pipe = "a|b`c\n# heading";
  const sig: SignatureSummary = {
    key: cmd,
    methodName: beacon,
    inputs: [tensor(beacon, cmd), tensor(pipe, "x:0")],
    outputs: [tensor(cmd, beacon)],
    defaults: [beacon],
  };
  const model: ClientModel = { dir: "/models/m (1)", tags: [beacon], signatures: [sig], tagSets: [[cmd]] };
  for (const md of [signatureMarkdown(model, sig), tensorMarkdown(model, sig, sig.inputs[0]!, "input"), modelMarkdown(model)]) {
    // Outside code spans (shown literally), the only link is ours and points at the model folder.
    const live = md.replace(/`[^`\n]*`/g, "``").replace(/\\./g, "");
    const links = [...live.matchAll(/\]\(([^)]*)\)/g)].map((m) => m[1]!);
    assert.ok(links.length >= 1);
    for (const l of links) assert.match(l, /^command:savedmodelStudio\.openModelEditor\?[^()]*%22%2Fmodels%2Fm%20%281%29%22/);
    assert.doesNotMatch(live, /!\[|https:/);
    // Every table row still has 4 cells (a '|' in a key cannot add one).
    for (const line of md.split("\n").filter((l) => l.startsWith("| "))) assert.equal(line.split(/(?<!\\)\|/).length, 6, line);
  }
  assert.equal(mdEscape("![a](b)"), "\\!\\[a\\]\\(b\\)");
  assert.equal(mdCode("a`b\nc"), "`a'b c`");
});

void test("terminal output: escape sequences from keys are shown, not interpreted (savedmodel show)", async () => {
  const evil = "out\u001b[2J\u001b]0;pwned\u0007\r\u009b31m\u202ebad";
  assert.equal(CONTROL.test(terminalSafe(evil)), false);
  const dir = join(tmp, "evil-keys");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "saved_model.pb"),
    buildSavedModel({
      nodes: [placeholder("x", DataType.DT_FLOAT, [-1])],
      signatures: { [evil]: { inputs: { [evil]: ["x:0", DataType.DT_FLOAT, [-1]] }, outputs: { y: ["x:0", DataType.DT_FLOAT, [-1]] } } },
    }),
  );
  let out = "";
  const code = await main(["show", "--dir", dir, "--all"], { stdout: (s) => (out += s), stderr: (s) => (out += s), cwd: tmp });
  assert.equal(code, 0, out);
  assert.match(out, /out\\u001b\[2J/);
  assert.equal(CONTROL.test(out), false);
});
