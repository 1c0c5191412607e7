// One esbuild script, one entry per runtime (GUIDE §2.10). Type-checking is separate (tsc --noEmit).
//   dist/extension.js  extension host (node, cjs, `vscode` external)
//   dist/server.js     language server (node, cjs)
//   dist/parseWorker.js  the language server's parse worker (worker_threads; found next to server.js)
//   dist/webview.js    custom editor UI (browser, iife)
//   dist/cli.js        `savedmodel` command line (node, cjs)
//   dist/engineWorker.js  the engine's worker thread (CLI `run`, Run Signature)
import * as esbuild from "esbuild";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");

const common = {
  bundle: true,
  sourcemap: production ? false : "linked",
  minify: production,
  logLevel: "warning",
  absWorkingDir: root,
  target: "es2022",
};

const entries = [
  {
    in: "src/extension/extension.ts",
    out: "dist/extension.js",
    platform: "node",
    format: "cjs",
    external: ["vscode", "@tensorflow/tfjs-node"],
  },
  // Loaded lazily by the host bundle (src/extension/lazy.ts): reader, protobuf schemas, .npy, engine.
  { in: "src/extension/heavy.ts", out: "dist/heavy.js", platform: "node", format: "cjs", external: ["vscode", "@tensorflow/tfjs-node"] },
  { in: "src/extension/lspClient.ts", out: "dist/lspClient.js", platform: "node", format: "cjs", external: ["vscode"] },
  // jsonc-parser's "main" is a UMD build whose internal requires esbuild cannot follow: prefer its ESM build.
  {
    in: "src/server/main.ts",
    out: "dist/server.js",
    platform: "node",
    format: "cjs",
    external: ["@tensorflow/tfjs-node"],
    mainFields: ["module", "main"],
  },
  { in: "src/server/python/parse-worker.ts", out: "dist/parseWorker.js", platform: "node", format: "cjs", external: [] },
  // The engine's worker thread (src/node/isolatedEngine.ts finds it next to the bundle that starts it).
  { in: "src/node/engine-worker.ts", out: "dist/engineWorker.js", platform: "node", format: "cjs", external: ["@tensorflow/tfjs-node"] },
  { in: "src/webview/main.ts", out: "dist/webview.js", platform: "browser", format: "iife", external: [] },
  { in: "src/cli/main.ts", out: "dist/cli.js", platform: "node", format: "cjs", external: ["@tensorflow/tfjs-node"] },
].filter((e) => existsSync(join(root, e.in)));

// Parser wasm files the language server loads from dist/. Missing sources are
// skipped, so a partial checkout still builds; the code that loads them reports what is missing.
const assets = [
  "node_modules/web-tree-sitter/web-tree-sitter.wasm",
  "node_modules/tree-sitter-python/tree-sitter-python.wasm",
  "node_modules/tree-sitter-typescript/tree-sitter-typescript.wasm",
  "node_modules/tree-sitter-typescript/tree-sitter-tsx.wasm",
];
mkdirSync(join(root, "dist"), { recursive: true });
for (const a of assets) {
  const from = join(root, a);
  if (existsSync(from)) copyFileSync(from, join(root, "dist", a.slice(a.lastIndexOf("/") + 1)));
}
// Codicons for the model editor webview (its resources are limited to dist/ and media/).
mkdirSync(join(root, "dist", "codicons"), { recursive: true });
for (const f of ["codicon.css", "codicon.ttf"]) {
  const from = join(root, "node_modules/@vscode/codicons/dist", f);
  if (existsSync(from)) copyFileSync(from, join(root, "dist", "codicons", f));
}

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      ...common,
      entryPoints: [e.in],
      outfile: e.out,
      platform: e.platform,
      format: e.format,
      external: e.external,
      ...(e.mainFields ? { mainFields: e.mainFields } : {}),
      loader: { ".wasm": "file" },
    }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  console.log(`build: ${entries.map((e) => e.out).join(", ")}`);
}

// The embedded engine's tfjs-backend-wasm binaries: the extension host loads them from dist/ at run
// time (LoadOptions.wasmPaths). Nothing to do when the package is not installed.
{
  const { copyFileSync, mkdirSync } = await import("node:fs");
  const wasmDir = join(root, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) {
    if (!existsSync(join(wasmDir, f))) continue;
    mkdirSync(join(root, "dist"), { recursive: true });
    copyFileSync(join(wasmDir, f), join(root, "dist", f));
  }
}
