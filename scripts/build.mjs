// The one build (GUIDE §2.10). `npm run build`, `npm start`, `npm test`, `npm run package`, `npm run bench`
// and the integration launchers all run this script; there is no second, partial build.
//
//   node scripts/build.mjs [--production] [--watch]
//
// 1. generate  every generated source, each by its own script (they skip work when up to date):
//              src/core/proto/gen/ (protobuf code) and src/runtime/wasm/gen/ (SIMD kernels)
// 2. bundle    one esbuild entry per runtime (the `entries` table below)
// 3. assets    the files the product loads from dist/ at run time (the `assets` table below)
// 4. verify    every file of the product (PRODUCT) exists and is not empty; a missing one fails the build
//
// --production minifies and drops source maps (the .vsix); --watch rebuilds the bundles on change.
import * as esbuild from "esbuild";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Generators of gitignored sources: each is re-run on every build and decides itself whether to work. */
export const generators = [
  { script: "scripts/gen-proto.mjs", outputs: ["src/core/proto/gen/tf.js", "src/core/proto/gen/tf.d.ts", "src/core/proto/gen/tf.json"] },
  { script: "scripts/gen-wasm.mjs", outputs: ["src/runtime/wasm/gen/kernels.ts"] },
];

/** One bundle per runtime. */
export const entries = [
  // extension host (node, cjs, `vscode` external); activation parses only this file
  {
    in: "src/extension/extension.ts",
    out: "dist/extension.js",
    platform: "node",
    format: "cjs",
    external: ["vscode", "@tensorflow/tfjs-node"],
  },
  // loaded lazily by the host (src/extension/parts.ts) when a model is first browsed: reader, protobuf
  // schemas, .npy, editor view models — never tfjs (checked: `forbid`)
  {
    in: "src/extension/readerPart.ts",
    out: "dist/reader.js",
    platform: "node",
    format: "cjs",
    external: ["vscode", "@tensorflow/tfjs-node"],
    forbid: ["node_modules/@tensorflow/"],
  },
  // loaded lazily by the host on the first run or debug session: the engine with tfjs
  {
    in: "src/extension/runtimePart.ts",
    out: "dist/runtime.js",
    platform: "node",
    format: "cjs",
    external: ["vscode", "@tensorflow/tfjs-node"],
  },
  // vscode-languageclient, loaded when the first served document opens
  { in: "src/extension/lspClient.ts", out: "dist/lspClient.js", platform: "node", format: "cjs", external: ["vscode"] },
  // language server; jsonc-parser's "main" is a UMD build esbuild cannot follow: prefer its ESM build
  {
    in: "src/server/main.ts",
    out: "dist/server.js",
    platform: "node",
    format: "cjs",
    external: ["@tensorflow/tfjs-node"],
    mainFields: ["module", "main"],
  },
  // the language server's parse worker (worker_threads; found next to server.js)
  { in: "src/server/python/parse-worker.ts", out: "dist/parseWorker.js", platform: "node", format: "cjs", external: [] },
  // reads one Keras model file for the language server, under a heap cap (found next to server.js)
  { in: "src/server/python/model-file-worker.ts", out: "dist/modelFileWorker.js", platform: "node", format: "cjs", external: [] },
  // the engine's worker thread (src/node/isolatedEngine.ts finds it next to the bundle that starts it)
  { in: "src/node/engine-worker.ts", out: "dist/engineWorker.js", platform: "node", format: "cjs", external: ["@tensorflow/tfjs-node"] },
  // the model editor's UI (browser); the same bundle is its graph layout worker
  { in: "src/webview/main.ts", out: "dist/webview.js", platform: "browser", format: "iife", external: [] },
  // the tensor panels' UI (Run Signature results, Show Variable; browser)
  { in: "src/webview/results.ts", out: "dist/results.js", platform: "browser", format: "iife", external: [] },
  // VS Code for the Web (package.json `browser`): the host and both lazy parts (reader, runtime) in one bundle for the web-worker
  // extension host, with the Node-only modules swapped for their workspace.fs / Blob-worker versions
  {
    in: "src/web/extension.ts",
    out: "dist/web/extension.js",
    platform: "browser",
    format: "cjs",
    external: ["vscode"],
    substitutes: "web",
  },
  // the web build's language server (pbtxt), started by src/web/lsp.ts in a Blob worker
  { in: "src/web/server.ts", out: "dist/web/server.js", platform: "browser", format: "iife", external: [] },
  // the `savedmodel` command line (bin/savedmodel.js)
  { in: "src/cli/main.ts", out: "dist/cli.js", platform: "node", format: "cjs", external: ["@tensorflow/tfjs-node"] },
  // the debug adapter, standalone over stdio (`node dist/debugAdapter.js`) for other DAP clients and tests
  { in: "src/debug/adapter.ts", out: "dist/debugAdapter.js", platform: "node", format: "cjs", external: ["@tensorflow/tfjs-node"] },
];

/**
 * Modules replaced in the web bundle: each Node-only module of the desktop host → its browser version
 * (same exports). Imports from src/web/ itself are never replaced, so a web module may wrap the original.
 */
export const webSubstitutes = {
  "src/extension/parts.ts": "src/web/parts.ts",
  "src/extension/lazy.ts": "src/web/lazy.ts",
  "src/node/fsSource.ts": "src/web/fsSource.ts",
  "src/node/isolatedEngine.ts": "src/web/isolatedEngine.ts",
  "src/node/writeOutputs.ts": "src/web/writeOutputs.ts",
  "src/node/tempInputs.ts": "src/web/desktopOnly.ts",
  "src/node/isolatedTrace.ts": "src/web/desktopOnly.ts",
  "src/extension/lsp.ts": "src/web/lsp.ts",
  "src/runtime/wasm/threads.ts": "src/web/threads.ts",
};

/** Node's built-in modules (bare and `node:`): none may reach a browser bundle. */
const NODE_BUILTIN = new RegExp(`^(node:.*|(${builtinModules.map((m) => m.replace(/[/]/g, "\\/")).join("|")})(/.*)?)$`);

/**
 * Browser bundles: an import of a Node built-in from our sources is a build error naming the importer
 * (dependencies' own `browser` fields still apply: esbuild fails on those it cannot map), and
 * `substitutes` swaps modules for their web versions.
 */
export function browserPlugin(entry) {
  const table = entry.substitutes === "web" ? webSubstitutes : {};
  return {
    name: "browser-guard",
    setup(b) {
      b.onResolve({ filter: NODE_BUILTIN }, (a) => {
        if (a.importer.includes("/node_modules/")) return undefined;
        return {
          errors: [{ text: `Node built-in "${a.path}" imported by ${relative(root, a.importer)} in the browser bundle ${entry.out}` }],
        };
      });
      b.onResolve({ filter: /^\./ }, async (a) => {
        if (a.pluginData?.guarded || relative(root, a.importer).startsWith("src/web/")) return undefined;
        const r = await b.resolve(a.path, { kind: a.kind, importer: a.importer, resolveDir: a.resolveDir, pluginData: { guarded: true } });
        const to = table[relative(root, r.path)];
        return to ? { path: join(root, to) } : r;
      });
    },
  };
}

/** `require("fs")`-style calls left in a browser bundle's text (a try-wrapped require esbuild kept). */
export function nodeRequiresIn(text) {
  return [...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]).filter((m) => NODE_BUILTIN.test(m));
}

/**
 * Dependency files whose text a browser bundle embeds as a string (not code it runs here): tfjs-backend-wasm's
 * threaded worker source, whose Node branch (behind ENVIRONMENT_IS_NODE) names worker_threads and fs.
 * Their requires are subtracted, by count, from what the check finds.
 */
export const embeddedWorkerSources = ["node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js"];

function countRequires(text) {
  const counts = new Map();
  for (const m of nodeRequiresIn(text)) counts.set(m, (counts.get(m) ?? 0) + 1);
  return counts;
}

function checkBrowserBundles() {
  const embedded = countRequires(embeddedWorkerSources.map((f) => readFileSync(join(root, f), "utf8")).join("\n"));
  for (const e of entries.filter((x) => x.platform === "browser")) {
    const left = [...countRequires(readFileSync(join(root, e.out), "utf8"))].filter(([m, n]) => n > (embedded.get(m) ?? 0));
    if (left.length > 0) fail(`${e.out} still requires Node built-ins: ${left.map(([m]) => m).join(", ")}`);
  }
}

/** Files copied from packages into dist/: the product loads each at run time. */
export const assets = [
  // parsers of the language server
  ["node_modules/web-tree-sitter/web-tree-sitter.wasm", "dist/web-tree-sitter.wasm"],
  ["node_modules/tree-sitter-python/tree-sitter-python.wasm", "dist/tree-sitter-python.wasm"],
  ["node_modules/tree-sitter-typescript/tree-sitter-typescript.wasm", "dist/tree-sitter-typescript.wasm"],
  ["node_modules/tree-sitter-typescript/tree-sitter-tsx.wasm", "dist/tree-sitter-tsx.wasm"],
  // the embedded engine's tfjs wasm backend (LoadOptions.wasmPaths = dist/)
  ["node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm", "dist/tfjs-backend-wasm.wasm"],
  ["node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm", "dist/tfjs-backend-wasm-simd.wasm"],
  ["node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm", "dist/tfjs-backend-wasm-threaded-simd.wasm"],
  // codicons for the model editor (its resources are limited to dist/ and media/)
  ["node_modules/@vscode/codicons/dist/codicon.css", "dist/codicons/codicon.css"],
  ["node_modules/@vscode/codicons/dist/codicon.ttf", "dist/codicons/codicon.ttf"],
];

/** Every file the product loads from dist/. */
export const PRODUCT = [...entries.map((e) => e.out), ...assets.map(([, to]) => to)];

const fail = (message) => {
  console.error(`build: ${message}`);
  process.exit(1);
};

function generate() {
  for (const g of generators) {
    const r = spawnSync(process.execPath, [join(root, g.script)], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) fail(`${g.script} failed (exit ${r.status ?? r.signal})`);
    const missing = g.outputs.filter((o) => !existsSync(join(root, o)));
    if (missing.length > 0) fail(`${g.script} did not write ${missing.join(", ")}`);
  }
}

function copyAssets() {
  for (const [from, to] of assets) {
    if (!existsSync(join(root, from))) fail(`${from} is missing (run \`npm ci\`)`);
    mkdirSync(dirname(join(root, to)), { recursive: true });
    copyFileSync(join(root, from), join(root, to));
  }
}

function verify() {
  const bad = PRODUCT.filter((f) => !existsSync(join(root, f)) || statSync(join(root, f)).size === 0);
  if (bad.length > 0) fail(`not built: ${bad.join(", ")}`);
}

class ForbiddenImport extends Error {}

/** A bundle with `forbid` must not contain any input whose path has one of those parts. */
function checkForbidden(e, metafile) {
  if (!e.forbid || !metafile) return;
  const bad = Object.keys(metafile.inputs).filter((p) => e.forbid.some((f) => p.includes(f)));
  if (bad.length > 0)
    throw new ForbiddenImport(
      `${e.out} must not contain ${e.forbid.join(", ")} but bundles ${bad.slice(0, 3).join(", ")}${bad.length > 3 ? ", …" : ""}`,
    );
}

async function bundle(production, watch) {
  const missing = entries.filter((e) => !existsSync(join(root, e.in)));
  if (missing.length > 0) fail(`entry sources missing: ${missing.map((e) => e.in).join(", ")}`);
  const contexts = await Promise.all(
    entries.map((e) =>
      esbuild.context({
        bundle: true,
        sourcemap: production ? false : "linked",
        minify: production,
        logLevel: "warning",
        absWorkingDir: root,
        target: "es2022",
        entryPoints: [e.in],
        outfile: e.out,
        platform: e.platform,
        format: e.format,
        external: e.external,
        ...(e.mainFields ? { mainFields: e.mainFields } : {}),
        ...(e.platform === "browser" ? { plugins: [browserPlugin(e)] } : {}),
        metafile: e.forbid !== undefined,
        loader: { ".wasm": "file" },
      }),
    ),
  );
  if (watch) return Promise.all(contexts.map((c) => c.watch()));
  try {
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    entries.forEach((e, i) => checkForbidden(e, results[i].metafile));
  } catch (err) {
    if (err instanceof ForbiddenImport) fail(err.message);
    fail("esbuild reported errors (above)");
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

async function main() {
  const t0 = performance.now();
  const watch = process.argv.includes("--watch");
  generate();
  copyAssets();
  await bundle(process.argv.includes("--production"), watch);
  if (!watch) {
    verify();
    checkBrowserBundles();
    console.log(`build: ${PRODUCT.length} files in dist/ (${entries.length} bundles) in ${(performance.now() - t0).toFixed(0)} ms`);
  }
}

// Run when executed; importable (tests read the tables) without building.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
