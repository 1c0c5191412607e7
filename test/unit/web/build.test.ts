/**
 * The web bundle (VS Code for the Web): the build refuses Node built-ins in browser bundles, and the web
 * entry gets the web versions of the desktop's Node-only modules (scripts/build.mjs `webSubstitutes`).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import * as esbuild from "esbuild";
import { browserPlugin, embeddedWorkerSources, entries, nodeRequiresIn, webSubstitutes } from "../../../scripts/build.mjs";
import { REPO_ROOT } from "../helpers/fixtures.js";

const webEntry = entries.find((e) => e.out === "dist/web/extension.js")!;

function bundle(entry: string, e: Parameters<typeof browserPlugin>[0]) {
  return esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "cjs",
    external: ["vscode"],
    absWorkingDir: REPO_ROOT,
    logLevel: "silent",
    loader: { ".wasm": "file" },
    outdir: join(tmpdir(), "sms-web-build"),
    plugins: [browserPlugin(e)],
  });
}

void test("nodeRequiresIn finds Node built-ins (bare and node:) and nothing else", () => {
  const text = `a=require("node:fs");b=require( 'os' );c=require("protobufjs/minimal");d=require("fs/promises");e=require("./x")`;
  assert.deepEqual(nodeRequiresIn(text), ["node:fs", "os", "fs/promises"]);
});

void test("a browser bundle importing a Node built-in from our sources fails, naming the importer", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sms-web-"));
  try {
    const file = join(dir, "entry.ts");
    writeFileSync(file, `import { join } from "node:path";\nexport const x = join("a", "b");\n`);
    await assert.rejects(bundle(file, { out: "dist/probe.js" }), (e: { errors: { text: string }[] }) => {
      assert.match(e.errors[0]!.text, /Node built-in "node:path" imported by .*entry\.ts in the browser bundle dist\/probe\.js/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test("the web entry bundles the web versions: no module of src/node, no desktop module that was replaced", async () => {
  const r = await bundle(webEntry.in, webEntry);
  const inputs = Object.keys(r.metafile.inputs).map((p) => relative(REPO_ROOT, join(REPO_ROOT, p)));
  assert.deepEqual(
    inputs.filter((p) => p.startsWith("src/node/")),
    [],
  );
  for (const [desktop, web] of Object.entries(webSubstitutes)) {
    assert.ok(!inputs.includes(desktop), `${desktop} is in the web bundle`);
    assert.ok(inputs.includes(web), `${web} is not in the web bundle`);
  }
  const text = r.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
  const embedded = nodeRequiresIn(embeddedWorkerSources.map((f) => readFileSync(join(REPO_ROOT, f), "utf8")).join("\n"));
  assert.deepEqual(nodeRequiresIn(text).sort(), embedded.sort());
});

void test("the built dist/web/extension.js (when built) requires no Node built-in outside the embedded worker source", (t) => {
  const out = join(REPO_ROOT, webEntry.out);
  if (!existsSync(out)) return t.skip("dist/web/extension.js not built");
  const embedded = nodeRequiresIn(embeddedWorkerSources.map((f) => readFileSync(join(REPO_ROOT, f), "utf8")).join("\n"));
  assert.deepEqual(nodeRequiresIn(readFileSync(out, "utf8")).sort(), embedded.sort());
});
