/**
 * `npm run bench`: runs every benchmark and writes bench/results.md (committed). Targets are checked
 * here, not by timed tests. Machine facts are recorded with the numbers.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { coreBenchmarks, type BenchRow } from "./core.js";

interface Section {
  readonly title: string;
  readonly rows: readonly BenchRow[];
  readonly notes?: readonly string[];
}

async function optionalSection(title: string, modulePath: string, fn: string, repoRoot: string): Promise<Section> {
  try {
    const mod = (await import(modulePath)) as Record<string, (root: string) => Promise<BenchRow[] | Section>>;
    const run = mod[fn];
    if (!run) return { title, rows: [], notes: [`${modulePath} has no ${fn}()`] };
    const res = await run(repoRoot);
    return Array.isArray(res) ? { title, rows: res } : (res as Section);
  } catch (e) {
    return { title, rows: [], notes: [`not run: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`] };
  }
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** The sections, by the name `npm run bench -- <name>` takes. */
const SECTIONS: Readonly<Record<string, (repoRoot: string) => Promise<Section>>> = {
  core: async (root) => ({ title: "Core reader (issue 2)", rows: await coreBenchmarks(root) }),
  engine: (root) => optionalSection("Embedded engine (issue 3)", "./engine.js", "engineBenchmarks", root),
  editor: (root) => optionalSection("Model editor and graph layout (issue 5)", "./editor.js", "editorBenchmarks", root),
  rnn: (root) => optionalSection("Recurrent models vs NumPy (issue 19)", "./rnn.js", "rnnBenchmarks", root),
  parts: (root) => optionalSection("Host parts: browsing without the engine (issue 14)", "./parts.js", "partsBenchmarks", root),
  hostile: (root) => optionalSection("Hostile models, one child process each (issue 17)", "./hostile.js", "hostileBenchmarks", root),
  graph: (root) => optionalSection("Graph view at scale (issue 18)", "./graph.js", "graphBenchmarks", root),
  client: (root) => optionalSection("Client-code assistance (issue 6)", "./client.js", "clientBenchmarks", root),
  python: (root) => optionalSection("Python language server (issue 9)", "./python-analysis.js", "pythonAnalysisBenchmarks", root),
  pycorpus: (root) =>
    optionalSection("Python rules on real-world Keras code (issue 16)", "./python-corpus.js", "pythonCorpusBenchmarks", root),
};

/**
 * Each section runs in its own process, as each component does in the product (CLI, extension host,
 * language server): one section's heap, JIT state and worker threads never weigh on another's.
 */
function runSection(name: string): Section {
  const dir = mkdtempSync(join(tmpdir(), "sms-bench-"));
  const out = join(dir, "section.json");
  try {
    const res = spawnSync(process.execPath, [...process.execArgv, __filename, "--section", name, out], {
      stdio: "inherit",
      timeout: 30 * 60_000,
    });
    if (res.status !== 0 || !existsSync(out))
      return { title: name, rows: [], notes: [`not run: the ${name} section exited with ${res.status ?? res.signal}`] };
    return JSON.parse(readFileSync(out, "utf8")) as Section;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const repoRoot = resolve(__dirname, "..");
  if (process.argv[2] === "--section") {
    const section = await SECTIONS[process.argv[3]!]!(repoRoot);
    writeFileSync(process.argv[4]!, JSON.stringify(section));
    return;
  }
  const only = process.argv[2];
  if (only && !SECTIONS[only]) throw new Error(`unknown section '${only}'; sections: ${Object.keys(SECTIONS).join(", ")}`);
  const startLoad = loadavg();
  const sections = (only ? [only] : Object.keys(SECTIONS)).map(runSection);
  const out = join(repoRoot, "bench", "results.md");
  const text =
    only && existsSync(out) ? replaceSection(readFileSync(out, "utf8"), sections[0]!, startLoad) : wholeFile(repoRoot, sections, startLoad);
  writeFileSync(out, text);
  process.stdout.write(text + `\nwritten ${out}\n`);
}

function sectionLines(s: Section): string[] {
  const lines = [`## ${s.title}`, "", "| benchmark | result | target | |", "|---|---:|---|---|"];
  for (const r of s.rows) {
    lines.push(
      `| ${r.name}${r.note ? ` (${r.note})` : ""} | ${fmt(r.value)} ${r.unit} | ${r.target ?? ""} | ${r.ok === undefined ? "" : r.ok ? "✅" : "❌"} |`,
    );
  }
  for (const n of s.notes ?? []) lines.push("", n);
  lines.push("");
  return lines;
}

function wholeFile(repoRoot: string, sections: readonly Section[], startLoad: readonly number[]): string {
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    `Times are medians after warm-up unless a row says otherwise. \`npm run bench -- <${Object.keys(SECTIONS).join("|")}>\` runs one section`,
    "and rewrites only that section of this file (its line says when it was measured).",
    `Load average when the run started: ${startLoad.map((x) => x.toFixed(1)).join(", ")} (the machine is shared; wall times grow with load).`,
    "Each section runs in a process of its own.",
    "",
  ];
  for (const s of sections) lines.push(...sectionLines(s));
  // The corpus section (bench/corpus/run.ts, issue 15) is measured separately and kept.
  const corpus = join(repoRoot, "bench", "corpus", "results.md");
  if (existsSync(corpus)) lines.push(readFileSync(corpus, "utf8"));
  return lines.join("\n");
}

/** `text` with the section titled like `s` replaced (or added before the corpus section), the rest untouched. */
function replaceSection(text: string, s: Section, startLoad: readonly number[]): string {
  const lines = sectionLines(s);
  lines.splice(
    1,
    0,
    "",
    `Measured alone (\`npm run bench -- <section>\`) on ${new Date().toISOString().slice(0, 10)}, load average ${startLoad.map((x) => x.toFixed(1)).join(", ")} when it started.`,
  );
  const all = text.split("\n");
  const start = all.indexOf(`## ${s.title}`);
  const nextHeading = (from: number) => {
    const k = all.findIndex((l, i) => i > from && l.startsWith("## "));
    return k < 0 ? all.length : k;
  };
  if (start >= 0) return [...all.slice(0, start), ...lines, ...all.slice(nextHeading(start))].join("\n");
  const corpus = all.findIndex((l) => l.startsWith("## Real-world SavedModel corpus"));
  const at = corpus < 0 ? all.length : corpus;
  return [...all.slice(0, at), ...lines, ...all.slice(at)].join("\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
