// Models on disk for the Python corpus (test/python-corpus): for every corpus file, each path the analyser looks
// up on disk (a load's literal, or the path its constants and option defaults spell) and each string literal
// naming a .keras / .h5 / .hdf5 file is resolved as the language server resolves a load's path (the file's
// folder, then the repository root); when the repository commits that file at the corpus commit, its configs (the model's
// and the compile config, raw JSON as Keras wrote them) are stored next to the corpus file and listed in the
// manifest entry's `diskModels`. The scorer hands them to the rules as the models on disk (corpus-score.ts).
// Files the mirror snapshot lacks (its largest blobs), Git LFS pointers and weights files are left out.
//   node --import tsx scripts/python-corpus-disk.ts <mirror-root>     (mirror-root/<owner+name>/repo is a git dir)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kerasFileConfigs } from "../src/core/savedmodel/keras-file.js";
import { MAX_MODEL_FILE_BYTES, modelFileFormat } from "../src/server/python/models.js";
import { corpusRoot, diskCandidates, diskRequests, type CorpusFile } from "../test/unit/server/corpus-score.js";

const LITERAL = /["']([^"'\n]+\.(?:keras|h5|hdf5))["']/gi;

function blobAt(gitDir: string, commit: string, path: string): Buffer | undefined {
  try {
    const line = execFileSync("git", ["-C", gitDir, "ls-tree", "-l", commit, "--", path]).toString();
    const m = /^\d+ blob (\w+) +(\d+)\t/.exec(line);
    if (!m || Number(m[2]) > MAX_MODEL_FILE_BYTES) return undefined;
    return execFileSync("git", ["-C", gitDir, "cat-file", "blob", m[1]!], { maxBuffer: MAX_MODEL_FILE_BYTES + 1024 });
  } catch {
    return undefined; // not in the snapshot
  }
}

async function main(): Promise<void> {
  const mirrors = process.argv[2];
  if (!mirrors) throw new Error("usage: python-corpus-disk.ts <mirror-root>");
  const manifestPath = join(corpusRoot, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: (CorpusFile & { diskModels?: unknown })[] };
  let stored = 0;
  for (const f of manifest.files) {
    const gitDir = join(mirrors, f.repository.replace("/", "+"), "repo");
    if (!existsSync(gitDir)) continue;
    const source = readFileSync(join(corpusRoot, "files", f.file), "utf8");
    const found: { path: string; file: string }[] = [];
    const seen = new Set<string>();
    const paths = [...[...source.matchAll(LITERAL)].map((m) => m[1]!), ...(await diskRequests(f, manifest.files))];
    for (const literal of paths)
      for (const path of diskCandidates(f.path, literal)) {
        const format = modelFileFormat(path);
        if (!format || seen.has(path)) continue;
        seen.add(path);
        const blob = blobAt(gitDir, f.commit, path);
        let configs;
        try {
          configs = blob && kerasFileConfigs(new Uint8Array(blob), path, format);
        } catch {
          continue; // an LFS pointer or a file that is no model
        }
        if (!configs) continue;
        const name = `${f.id}__disk_${createHash("sha256").update(path).digest("hex").slice(0, 8)}.json`;
        const record = { source: `https://github.com/${f.repository}/blob/${f.commit}/${path}`, ...configs };
        writeFileSync(join(corpusRoot, "files", name), JSON.stringify(record) + "\n");
        found.push({ path, file: name });
        stored++;
      }
    if (found.length > 0) f.diskModels = found;
    else delete f.diskModels;
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
  console.log(`${stored} model files stored`);
}

if (require.main === module) void main();
