import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { PARTS, MissingPartError, configureParts, requireFiles, requirePart } from "../../../src/extension/parts.js";
// The one build: the extension's loadable parts must all be files the build writes.
import { PRODUCT } from "../../../scripts/build.mjs";

let dir: string;
let reports: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sms-parts-"));
  reports = [];
  configureParts(dir, (m) => reports.push(m));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

void test("a missing bundle is reported once, naming the file, what it is for and what to run", () => {
  for (let i = 0; i < 3; i++) {
    assert.throws(
      () => requirePart("lspClient.js"),
      (e: unknown) => e instanceof MissingPartError && e.file === "lspClient.js",
    );
  }
  assert.equal(reports.length, 1);
  assert.match(reports[0]!, /dist\/lspClient\.js/);
  assert.match(reports[0]!, /language client/);
  assert.match(reports[0]!, /npm run build/);
});

void test("a bundle that exists loads; one that throws while loading is reported with the reason", () => {
  writeFileSync(join(dir, "reader.js"), "exports.answer = 42;");
  assert.deepEqual(requirePart<{ answer: number }>("reader.js"), { answer: 42 });
  writeFileSync(join(dir, "lspClient.js"), "this is not javascript(");
  assert.throws(() => requirePart("lspClient.js"), /lspClient\.js .*loading it failed: .*SyntaxError|Unexpected/);
  assert.equal(reports.length, 1);
});

void test("requireFiles names the first missing file; a file that comes back and goes again is reported again", () => {
  writeFileSync(join(dir, "server.js"), "");
  assert.throws(() => requireFiles("server.js", "parseWorker.js"), /dist\/parseWorker\.js/);
  writeFileSync(join(dir, "parseWorker.js"), "");
  requireFiles("server.js", "parseWorker.js");
  rmSync(join(dir, "parseWorker.js"));
  assert.throws(() => requireFiles("parseWorker.js"), MissingPartError);
  assert.equal(reports.length, 2);
});

void test("every part the extension loads is a file scripts/build.mjs writes", () => {
  const built = new Set(PRODUCT.map((f) => f.replace(/^dist\//, "")));
  for (const f of Object.keys(PARTS)) assert.ok(built.has(f), `${f} is not in the build's PRODUCT list`);
});

void test("the .vsix allowlist (.vscodeignore) ships every file the build writes for the extension", () => {
  const allow = readFileSync(join(__dirname, "../../../.vscodeignore"), "utf8")
    .split("\n")
    .filter((l) => l.startsWith("!"))
    .map(
      (l) =>
        new RegExp(
          `^${l
            .slice(1)
            .replace(/[.+]/g, "\\$&")
            .split("**")
            .map((part) => part.replace(/\*/g, "[^/]*"))
            .join(".*")}$`,
        ),
    );
  // dist/cli.js is the `savedmodel` command of the npm package, not part of the extension.
  for (const f of PRODUCT.filter((p) => p !== "dist/cli.js"))
    assert.ok(
      allow.some((re) => re.test(f)),
      `${f} is not shipped in the .vsix`,
    );
});
