// The Python rules on whole public repositories (bare git mirrors, not in CI): every `.py` file at HEAD
// that mentions keras, analysed with the rest of its repository as the workspace (its saves and
// definitions, as the language server's workspace index gives them). Prints one line per crash, per slow file and
// per Error/Warning finding, then a summary: crashes and slow files are robustness bugs, findings are
// read by hand (a false alarm here is a precision bug the labelled corpus did not reach). The repository's committed
// model files (.keras, .h5, .hdf5 up to 128 MiB) are written to a temporary folder and serve as the models on disk,
// as in a checkout.
//   node --import tsx scripts/python-wild-scan.ts <mirror-root> <owner+name> [...]   (mirror-root/<owner+name>/repo is a git dir)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FsSource } from "../src/node/fsSource.js";
import type { DiskLookup } from "../src/server/python/context.js";
import { DiskModelCache, MAX_MODEL_FILE_BYTES, modelFileFormat } from "../src/server/python/models.js";
import { analyzePython, type AnalysisResult } from "../src/server/python/analyze.js";
import { PythonDocument } from "../src/server/python/document.js";
import { createPythonParser } from "../src/server/python/parser.js";
import type { WorkspaceDefs } from "../src/server/python/workspace-needs.js";
import type { WorkspaceSave } from "../src/server/python/workspace-saves.js";

const SLOW_MS = 250;
const MAX_CHARS = 2_000_000;
/** Repositories with more files than this are analysed file by file (no workspace). */
const MAX_WORKSPACE_FILES = 400;

const git = (dir: string, ...a: string[]): string => execFileSync("git", ["-C", dir, ...a], { maxBuffer: 1 << 28 }).toString();

function kerasFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let paths: string[];
  try {
    paths = git(dir, "grep", "-z", "-l", "-i", "keras", "HEAD", "--", "*.py").split("\0").filter(Boolean);
  } catch {
    return out; // no match
  }
  for (const p of paths) {
    const path = p.replace(/^HEAD:/, "");
    try {
      const text = git(dir, "show", `HEAD:${path}`);
      if (text.length <= MAX_CHARS) out.set(path, text);
    } catch {
      console.log(`UNREAD\t${dir}\t${path}`); // a submodule or an unreadable entry
    }
  }
  return out;
}

/** Writes the repository's committed model files under `dir` (their paths kept); how many. */
function checkoutModels(gitDir: string, dir: string): number {
  let n = 0;
  for (const line of git(gitDir, "ls-tree", "-r", "-l", "-z", "HEAD").split("\0")) {
    const m = /^\d+ blob (\w+) +(\d+)\t(.+)$/.exec(line);
    if (!m || !modelFileFormat(m[3]!) || Number(m[2]) > MAX_MODEL_FILE_BYTES) continue;
    const out = join(dir, m[3]!);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, execFileSync("git", ["-C", gitDir, "cat-file", "blob", m[1]!], { maxBuffer: MAX_MODEL_FILE_BYTES + 1024 }));
    n++;
  }
  return n;
}

type Parser = Awaited<ReturnType<typeof createPythonParser>>;

function analyse(
  parser: Parser,
  uri: string,
  source: string,
  saves: WorkspaceSave[],
  defs: WorkspaceDefs[],
  disk?: DiskLookup,
): AnalysisResult {
  const doc = new PythonDocument(parser);
  try {
    doc.update(source);
    return analyzePython({
      uri,
      source: doc.text,
      statements: doc.statements(),
      workspaceSaves: saves.filter((s) => s.uri !== uri),
      workspaceDefs: defs.filter((d) => d.uri !== uri),
      ...(disk ? { disk } : {}),
    });
  } finally {
    doc.dispose();
  }
}

async function main(): Promise<void> {
  const [root, ...repos] = process.argv.slice(2);
  if (!root || repos.length === 0) throw new Error("usage: python-wild-scan.ts <mirror-root> <owner+name> [...]");
  const parser = await createPythonParser({ root: process.cwd() });
  const count = { files: 0, crashes: 0, slow: 0, findings: 0 };
  for (const repo of repos) {
    const files = kerasFiles(join(root, repo, "repo"));
    const uri = (path: string): string => `file:///scan/${repo}/${path}`;
    const saves: WorkspaceSave[] = [];
    const defs: WorkspaceDefs[] = [];
    const checkout = mkdtempSync(join(tmpdir(), "wild-scan-"));
    const models = checkoutModels(join(root, repo, "repo"), checkout);
    const cache = new DiskModelCache(new FsSource("/"), { roots: (docDir) => [docDir, checkout] });
    const diskOf = (path: string): DiskLookup | undefined => (models > 0 ? cache.lookupFor(join(checkout, dirname(path))) : undefined);
    if (files.size <= MAX_WORKSPACE_FILES || models > 0)
      for (const [path, text] of files) {
        try {
          const r = analyse(parser, uri(path), text, [], [], diskOf(path));
          saves.push(...r.saves);
          defs.push(r.defs);
        } catch {
          // reported by the second pass
        }
      }
    await cache.settle(); // the first pass started reading the models its loads name
    if (files.size > MAX_WORKSPACE_FILES) {
      saves.length = 0;
      defs.length = 0;
    }
    for (const [path, text] of files) {
      count.files++;
      const t0 = performance.now();
      try {
        const r = analyse(parser, uri(path), text, saves, defs, diskOf(path));
        const ms = performance.now() - t0;
        if (ms > SLOW_MS) {
          count.slow++;
          console.log(`SLOW\t${repo}\t${path}\t${ms.toFixed(0)} ms\t${text.split("\n").length} lines`);
        }
        for (const { diagnostic: d } of r.findings) {
          if (d.severity !== undefined && d.severity > 2) continue;
          count.findings++;
          console.log(`FIND\t${repo}\t${path}\t${d.range.start.line + 1}\t${String(d.code)}\t${String(d.message).slice(0, 160)}`);
        }
      } catch (e) {
        count.crashes++;
        console.log(
          `CRASH\t${repo}\t${path}\t${String((e as Error).stack)
            .split("\n")
            .slice(0, 3)
            .join(" | ")}`,
        );
      }
    }
    rmSync(checkout, { recursive: true, force: true });
  }
  console.log(`${count.files} files, ${count.crashes} crashes, ${count.slow} over ${SLOW_MS} ms, ${count.findings} findings`);
  process.exit(count.crashes > 0 ? 1 : 0);
}

void main();
