// Runs every signature of every corpus model (bench/corpus/manifest.json, collected by collect.py into
// CORPUS_DIR) in a child process each, with a timeout, and writes bench/corpus/results.json plus a
// markdown summary (signatures run, refusals by reason, the op-coverage table) to stdout.
// Usage: node --import tsx bench/corpus/run.ts CORPUS_DIR [wasm|cpu]
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { KERNELS } from "../../src/runtime/engines/kernels.js";
import { isCoreOp } from "../../src/core/ops/index.js";

interface Model {
  id: string;
  repository: string;
  commit: string;
  path: string;
  bytes: number;
  missing_files?: string[];
  no_variables?: boolean;
}
interface Line {
  kind: "graph" | "sig" | "fatal";
  tags?: string[];
  sig?: string;
  status?: "ok" | "refused" | "crashed";
  code?: string;
  message?: string;
  ops?: string[];
}

const [corpusArg, backend = "wasm"] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const summaryFlag = process.argv.includes("--summary");
if (!corpusArg && !summaryFlag) throw new Error("usage: node --import tsx bench/corpus/run.ts CORPUS_DIR [wasm|cpu] [--summary]");
const corpus = resolve(corpusArg ?? ".");
/** Messages name files by their place in the corpus, never by this machine's path. */
const relative = (text: string) => text.split(corpus + "/").join("<corpus>/");
const here = import.meta.dirname;
const manifest = JSON.parse(readFileSync(join(here, "manifest.json"), "utf8")) as { models: Model[] };
// --summary: rewrite results.md from the last results.json without running the models again.
const summaryOnly = summaryFlag;
const results: { id: string; lines: Line[] }[] = summaryOnly
  ? (JSON.parse(readFileSync(join(here, "results.json"), "utf8")) as { results: { id: string; lines: Line[] }[] }).results
  : [];
for (const m of summaryOnly ? [] : manifest.models) {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(here, "runModel.ts"), join(corpus, m.id), backend], {
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 64 << 20,
  });
  const lines = (r.stdout ?? "")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line)
    .map((l) => (l.message === undefined ? l : { ...l, message: relative(l.message) }));
  if (r.error || (r.status !== 0 && lines.length === 0))
    lines.push({ kind: "fatal", code: "TIMEOUT_OR_CRASH", message: String(r.error ?? r.stderr).slice(0, 300) });
  results.push({ id: m.id, lines });
  process.stderr.write(
    `${m.id}: ${
      lines
        .filter((l) => l.kind === "sig")
        .map((l) => `${l.sig}=${l.status}`)
        .join(" ") || lines.map((l) => l.message).join(" ")
    }\n`,
  );
}
if (!summaryOnly) writeFileSync(join(here, "results.json"), JSON.stringify({ backend, results }, null, 1) + "\n");

// ---- summary ----
// Models whose repository lacks their variables (or a data shard) cannot run anywhere: counted apart.
const incomplete = new Set(
  manifest.models.filter((m) => m.no_variables || m.missing_files?.some((f) => f.startsWith("variables/"))).map((m) => m.id),
);
const isIncomplete = (s: Line & { id: string }) =>
  incomplete.has(s.id) && s.status !== "ok" && /not initialized|missing|variables/.test(s.message ?? "");
const everySig = results.flatMap((r) => r.lines.filter((l) => l.kind === "sig").map((l) => ({ ...l, id: r.id })));
const sigs = everySig.filter((s) => !isIncomplete(s));
const ok = sigs.filter((s) => s.status === "ok");
const reasons = new Map<string, number>();
for (const s of sigs.filter((x) => x.status !== "ok")) {
  const key = `${s.status} ${s.code}: ${(s.message ?? "")
    .replace(/'[^']*'/g, "'…'")
    .replace(/\d+/g, "N")
    .slice(0, 140)}`;
  reasons.set(key, (reasons.get(key) ?? 0) + 1);
}
const out: string[] = [];
out.push(
  `Corpus: ${manifest.models.length} models from ${new Set(manifest.models.map((m) => m.repository)).size} repositories, ${everySig.length} signatures (${backend}). ` +
    `${everySig.length - sigs.length} signatures of ${new Set(everySig.filter(isIncomplete).map((s) => s.id)).size} models whose repository lacks their variables (weights never committed: TensorFlow cannot run them either) are counted apart; ` +
    `of the other ${sigs.length}, ${ok.length} ran (${((100 * ok.length) / Math.max(sigs.length, 1)).toFixed(1)} %). ` +
    `${results.filter((r) => r.lines.some((l) => l.kind === "fatal")).length} models could not be opened (listed below).`,
  "",
);
out.push("| refusals / failures | signatures |", "|---|---|");
for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) out.push(`| ${k.replace(/\|/g, "\\|")} | ${n} |`);
for (const r of results)
  for (const l of r.lines)
    if (l.kind === "fatal") out.push(`| model ${r.id} not opened: ${(l.message ?? "").slice(0, 120).replace(/\|/g, "\\|")} | — |`);
// Op coverage: every op a signature's plan needs (run ones: their plan; refused for ops: the ops named),
// whether the engine has a kernel, and how many corpus models needed it.
const byOp = new Map<string, Set<string>>();
const need = (op: string, id: string) => (byOp.get(op) ?? byOp.set(op, new Set()).get(op)!).add(id);
for (const s of sigs) {
  for (const op of s.ops ?? []) need(op, s.id);
  const missing = /does not support: ([^;]+);/.exec(s.message ?? "")?.[1];
  for (const op of missing?.split(", ") ?? []) need(op, s.id);
}
const SOURCE = new Set(["Const", "Placeholder", "_Arg", "_Retval", "PartitionedCall", "StatefulPartitionedCall"]);
out.push("", "| op | embedded engine | corpus models needing it |", "|---|---|---|");
for (const [op, ids] of [...byOp].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))) {
  const status = KERNELS.has(op) || SOURCE.has(op) ? "yes" : isCoreOp(op) ? "**no**" : "custom op";
  out.push(`| ${op} | ${status} | ${ids.size} |`);
}
const kernels = [...KERNELS.keys()].filter((op) => !op.startsWith("_")).sort();
out.push(
  "",
  `The embedded engine implements ${kernels.length} TensorFlow ops (plus Const, Placeholder, _Arg and function calls): ${kernels.join(", ")}.`,
);
const md =
  [
    "## Real-world SavedModel corpus (issue 15)",
    "",
    `Written by \`node --import tsx bench/corpus/run.ts\` on ${new Date().toISOString().slice(0, 10)}; models and their origin (repository, commit, path) in bench/corpus/manifest.json, per-signature results in bench/corpus/results.json. Inputs are synthetic (unknown dims 1, floats in [0, 1), ints 0, strings a tf.Example with the graph's required features), so this measures whether signatures run, not their numbers.`,
    "",
    ...out,
  ].join("\n") + "\n";
writeFileSync(join(here, "results.md"), md);
process.stdout.write(md);
