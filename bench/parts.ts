/**
 * What the first tree expansion costs in the extension host (issue 14): loading dist/reader.js and
 * opening a model, each sample in a fresh Node process with a stand-in `vscode` module; and whether
 * that loaded tfjs (its globals `_tfengine` / `_tfGlobals` appear on import). The engine part
 * (dist/runtime.js, tfjs included) is measured the same way for the ratio; browsing never loads it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BenchRow } from "./core.js";

const RUNS = 7;

function child(root: string, fsSource: string, model: string, withRuntime: boolean): string {
  return `
const Module = require("node:module");
const stub = () => new Proxy(function () {}, { get: (_t, p) => (p === "then" ? undefined : stub()), apply: () => stub(), construct: () => stub() });
const load = Module._load;
Module._load = function (req, ...rest) { return req === "vscode" ? stub() : load.call(this, req, ...rest); };
(async () => {
  const t0 = performance.now();
  const part = require(${JSON.stringify(join(root, "dist/reader.js"))});
  const reader = await part.SavedModelReader.open(new (require(${JSON.stringify(fsSource)}).FsSource)(), ${JSON.stringify(model)});
  reader.metaGraphs();
  const t1 = performance.now();
  const tfjs = "_tfengine" in globalThis || "_tfGlobals" in globalThis;
  if (${withRuntime}) require(${JSON.stringify(join(root, "dist/runtime.js"))});
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ expand: t1 - t0, runtime: t2 - t1, tfjs }));
  process.exit(0);
})();
`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export async function partsBenchmarks(repoRoot: string): Promise<BenchRow[]> {
  const root = resolve(repoRoot);
  for (const f of ["dist/reader.js", "dist/runtime.js"])
    if (!existsSync(join(root, f))) throw new Error(`${f} is not built (npm run build)`);
  const fsSource = join(mkdtempSync(join(tmpdir(), "sms-parts-")), "fsSource.js");
  await import("esbuild").then((esbuild) =>
    esbuild.build({
      entryPoints: [join(root, "src/node/fsSource.ts")],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: fsSource,
      logLevel: "silent",
    }),
  );
  const model = join(root, "..", "shared", "fixtures", "savedmodels", "keras_mnist");
  const samples: { expand: number; runtime: number; tfjs: boolean }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, ["-e", child(root, fsSource, model, true)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr.split("\n").slice(0, 3).join(" "));
    samples.push(JSON.parse(r.stdout) as { expand: number; runtime: number; tfjs: boolean });
  }
  const expand = median(samples.map((s) => s.expand));
  const runtime = median(samples.map((s) => s.runtime));
  const loaded = samples.filter((s) => s.tfjs).length;
  return [
    {
      name: "first tree expansion: load dist/reader.js + open keras_mnist",
      value: expand,
      unit: "ms",
      note: `median of ${RUNS} fresh processes`,
    },
    { name: "the engine part dist/runtime.js (loaded on the first run only)", value: runtime, unit: "ms", note: "same processes" },
    { name: "engine part / first tree expansion", value: runtime / expand, unit: "×", note: "what browsing no longer pays" },
    { name: "tree expansions that loaded tfjs", value: loaded, unit: `of ${RUNS}`, target: "0", ok: loaded === 0 },
  ];
}
