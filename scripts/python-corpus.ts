// Precision / recall of the Python rules on the real-world corpus (test/python-corpus), per split and family.
//   node --import tsx scripts/python-corpus.ts [train|heldout|all] [--details] [--batch N[,M...]]
import { formatScore, readManifest, scoreSplit, type Split } from "../test/unit/server/corpus-score.js";

const which = process.argv[2] ?? "train";
const details = process.argv.includes("--details");
const batchArg = process.argv.indexOf("--batch");
const batches = batchArg > 0 ? new Set(process.argv[batchArg + 1]!.split(",").map(Number)) : undefined;
const splits: Split[] = which === "all" ? ["train", "heldout"] : [which as Split];
async function main(): Promise<void> {
  const files = readManifest();
  process.stdout.write("| split | family | TP | FP | FN | precision | recall |\n| --- | --- | --- | --- | --- | --- | --- |\n");
  for (const split of splits) {
    const s = await scoreSplit(files, split, batches);
    process.stdout.write(formatScore(split, s) + "\n");
    if (s.unrestored.length) process.stdout.write(`  ${split}: not scored, no local copy: ${s.unrestored.join(", ")}\n`);
    if (details) {
      for (const m of s.misses) process.stdout.write(`  miss ${m}\n`);
      for (const f of s.falseAlarms) process.stdout.write(`  false alarm ${f}\n`);
    }
  }
}

void main();
