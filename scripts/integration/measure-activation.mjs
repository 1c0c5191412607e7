#!/usr/bin/env node
// Measures what activation costs in the extension host: loading dist/extension.js (parse + top-level
// evaluation) and running activate(), with a stand-in `vscode` module whose every API is a no-op.
// The real-host number is printed by the integration tests ("activate(): … ms"). Median of N runs,
// each in a fresh Node process so nothing is cached.
//   node scripts/integration/measure-activation.mjs [runs=15]
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 15);
const child = `
const Module = require("node:module");
const stub = () => new Proxy(function () {}, {
  get: (_t, p) => (p === "then" ? undefined : p === Symbol.toPrimitive ? () => "" : stub()),
  apply: () => stub(),
  construct: () => stub(),
});
const origLoad = Module._load;
const keys = ["window", "workspace", "commands", "Uri", "EventEmitter", "env", "version", "TreeItem", "ThemeIcon", "ThemeColor", "MarkdownString", "FileType", "FileSystemError", "ProgressLocation", "ViewColumn", "QuickPickItemKind", "TreeItemCollapsibleState", "UIKind", "CancellationTokenSource", "Disposable", "l10n", "debug", "languages", "extensions"];
const vscode = Object.fromEntries(keys.map((k) => [k, stub()]));
Module._load = function (req, ...rest) { return req === "vscode" ? vscode : origLoad.call(this, req, ...rest); };
const t0 = performance.now();
const ext = require(${JSON.stringify(join(root, "dist/extension.js"))});
const t1 = performance.now();
const ctx = { subscriptions: [], extensionUri: stub(), workspaceState: stub(), globalState: stub(), extensionPath: ${JSON.stringify(root)} };
ext.activate(ctx);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ load: t1 - t0, activate: t2 - t1 }));
process.exit(0);
`;
const samples = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ["-e", child], { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(
      r.stderr
        .split("\n")
        .filter((l) => l.length < 400)
        .join("\n"),
    );
  samples.push(JSON.parse(r.stdout));
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = median(samples.map((s) => s.load));
const act = median(samples.map((s) => s.activate));
console.log(
  `dist/extension.js: load ${load.toFixed(1)} ms + activate() ${act.toFixed(1)} ms = ${(load + act).toFixed(1)} ms (median of ${runs})`,
);
