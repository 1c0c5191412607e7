/**
 * Precision and recall of the Python rules on the real-world corpus (test/python-corpus, issue 16), on both
 * splits and per pitfall family: `npm run bench -- pycorpus`. Judged by line on Error/Warning diagnostics
 * (test/unit/server/corpus-score.ts). The corpus files are local copies, never committed: where they are
 * absent the section says so instead of scoring.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { corpusRoot, formatScore, precision, readManifest, recall, scoreSplit, type Split } from "../test/unit/server/corpus-score.js";
import type { BenchRow } from "./core.js";

const TITLE = "Python rules on real-world Keras code (issue 16)";
/**
 * The last batch added. Each batch added this wave (9, 10, ...) was collected after the held-out split of the
 * batches before it had been measured and its misses read; its held-out part was scored once, untouched, right
 * after it was merged: FIRST_LOOKS keeps those first measures. Its misses were read afterwards, so the
 * "now" rows below are no longer untouched.
 */
const FRESH_BATCHES: ReadonlySet<number> = new Set([13, 14, 15, 16, 17]);
/** What the held-out rows above are, and are not. */
const READ_SPLIT =
  "The held-out rows above are measured on a split whose misses have been read: every batch was scored once before its misses were read (the first measures below), and the rules were then extended for the patterns those misses showed. Session 11 (2026-12-08) closed 7 of the 9 held-out misses named at the end of session 10 (factory tables and class-attribute custom_objects: owalid/leaf-valley ×2; trainer methods and star imports: BNN-UPC/ignnition; training functions and kept extensions: badisa/optpresso; library trainer classes: aertslab/CREsted ×3), each through a general mechanism with its own unit tests, checked on the train split and on 9,257 unlabelled files of the same repositories (scripts/python-wild-scan.ts: the same 39 findings before and after, 0 crashes). So 0.96 says the rules now cover those real patterns; it is not an untouched estimate of recall on new code, which the first measures below put far lower.";

const FIRST_LOOKS = [
  "batch 9 held-out, first measure (commit 3990f68, before its misses were read): precision 0.750 (3 TP, 1 FP), recall 0.273 (3 of 11: h5-subclassed 2 of 5, keras3-extension 1 of 4, key-mismatch 0 of 2)",
  "batch 10 held-out, first measure (commit 00130dd, before its misses were read): precision 1.000 (1 TP, 0 FP), recall 0.250 (1 of 4: h5-subclassed 1 of 1, build-only 0 of 1, unbuilt-save 0 of 1, unregistered-at-load 0 of 1)",
  "batch 11 held-out, first measure (commit bac3112, before its misses were read): precision 0.000 (0 TP, 1 FP), recall 0.000 (0 of 3: h5-subclassed 0 of 1, unregistered-at-load 0 of 2)",
  "batch 12 held-out, first measure (commit 00cd196, before its misses were read): precision 1.000 (1 TP, 0 FP), recall 0.077 (1 of 13: h5-subclassed 1 of 1, get-config 0 of 1, key-mismatch 0 of 2, unregistered-at-load 0 of 9); its train part, also unseen: precision 1.000 (2 TP, 0 FP), recall 0.200 (2 of 10: get-config 1 of 1, keras3-extension 1 of 2, h5-subclassed 0 of 1, unregistered-at-load 0 of 6)",
  "batch 13 held-out, first measure (commit d4a0157, before its misses were read): no finding (0 TP, 0 FP on 25 files), recall 0.000 (0 of 2: unregistered-at-load 0 of 2); its train part, also unseen: precision 0.000 (0 TP, 2 FP on 50 files), recall 0.000 (0 of 6: unregistered-at-load 0 of 6)",
  "batch 14 held-out, first measure (commit 42ad7e6, the first with the workspace index as context, before its misses were read): no label among its 33 files, 4 false alarms (0 TP, 4 FP: SMS201 twice on each of 2 lines, RobotEdh/Yolov-4); its train part, also unseen: precision 0.200 (1 TP, 4 FP on 65 files, the same pattern), recall 0.167 (1 of 6: keras3-extension 1 of 1, get-config 0 of 4, unregistered-at-load 0 of 1)",
  "batch 15 held-out, first measure (commit 1082684, with models on disk, before its misses were read): no label among its 29 files, no false alarm; its train part, also unseen: precision 1.000 (1 TP, 0 FP on 58 files), recall 0.333 (1 of 3: unbuilt-save 1 of 1, get-config 0 of 2)",
  "batch 16 held-out, first measure (commit 94d9b49, before its misses were read): precision 0.000 (0 TP, 1 FP on 20 files: SMS202), recall 0.000 (0 of 1: unregistered-at-load 0 of 1); its train part, also unseen: no false alarm on 38 files, recall 0.000 (0 of 2: unregistered-at-load 0 of 1, keras3-extension 0 of 1)",
  "batch 17 held-out, first measure (commit 8fd449f, after session 11's rules, before anything in it was read): no label among its 15 files, no false alarm; its train part, also unseen: no false alarm on 29 files, recall 0.000 (0 of 1: unregistered-at-load 0 of 1, a tensorflow_addons optimizer ('Addons>AdamW') in an .h5 compile config, outside the rules' custom-class families). 44 files from 26 repositories new to the corpus, gathered by two collectors in 25 minutes; most candidates their searches found were in repositories already in the corpus, and 5 files of forks of corpus repositories were left out.",
];

export async function pythonCorpusBenchmarks(): Promise<{ title: string; rows: BenchRow[]; notes: string[] }> {
  if (!existsSync(join(corpusRoot, "files")))
    return { title: TITLE, rows: [], notes: ["not run: the corpus files are local copies, not committed (test/python-corpus/README.md)"] };
  const files = readManifest();
  const rows: BenchRow[] = [];
  const table = ["| split | family | TP | FP | FN | precision | recall |", "| --- | --- | --- | --- | --- | --- | --- |"];
  for (const split of ["train", "heldout"] as Split[]) {
    const s = await scoreSplit(files, split);
    table.push(formatScore(split, s));
    const held = split === "heldout";
    rows.push(
      {
        name: `${split}: precision (${s.total.tp} TP, ${s.total.fp} FP)`,
        value: precision(s.total),
        unit: "",
        ...(held ? { target: "≥ 0.95", ok: precision(s.total) >= 0.95 } : {}),
      },
      {
        name: `${split}: recall (${s.total.tp} of ${s.total.tp + s.total.fn} labelled pitfalls)`,
        value: recall(s.total),
        unit: "",
        ...(held ? { target: "≥ 0.9", ok: recall(s.total) >= 0.9 } : {}),
      },
    );
    if (held)
      for (const [family, t] of [...s.families].sort(([a], [b]) => a.localeCompare(b)))
        if (t.tp + t.fn > 0)
          rows.push({
            name: `heldout ${family}: recall (${t.tp} of ${t.tp + t.fn})`,
            value: recall(t),
            unit: "",
            target: "≥ 0.8",
            ok: recall(t) >= 0.8,
          });
  }
  if (files.some((f) => FRESH_BATCHES.has(f.batch))) {
    const fresh = await scoreSplit(files, "heldout", FRESH_BATCHES);
    const t = fresh.total;
    table.push(formatScore("heldout", fresh).replace(/\| heldout \|/g, `| batch ${[...FRESH_BATCHES].join(", ")} held-out |`));
    rows.push(
      {
        name: `batch ${[...FRESH_BATCHES].join(", ")} held-out now (its misses read): precision (${t.tp} TP, ${t.fp} FP)`,
        value: precision(t),
        unit: "",
        target: "≥ 0.95",
        ok: precision(t) >= 0.95,
      },
      {
        name: `batch ${[...FRESH_BATCHES].join(", ")} held-out now: recall (${t.tp} of ${t.tp + t.fn})`,
        value: recall(t),
        unit: "",
        target: "≥ 0.9",
        ok: recall(t) >= 0.9,
      },
    );
  }
  const repos = new Set(files.map((f) => f.repository)).size;
  const labels = files.reduce((n, f) => n + f.labels.length, 0);
  return {
    title: TITLE,
    rows,
    notes: [
      `${files.length} files from ${repos} repositories, ${labels} labelled pitfalls; split per batch by the fixed sha256 rule (${files.filter((f) => f.split === "heldout").length} held out). Per split and family:`,
      table.join("\n"),
      READ_SPLIT,
      ...FIRST_LOOKS,
    ],
  };
}

if (process.argv[1]?.endsWith("python-corpus.ts"))
  void pythonCorpusBenchmarks().then((s) => process.stdout.write(`${s.notes.join("\n\n")}\n`));
