/**
 * Hostile models (issue 17): every attack of test/unit/hostile/attacks.ts as a `savedmodel` command in a
 * child process of its own (dist/cli.js, engine in its worker thread): wall time and the process's peak
 * RSS (worker included). Targets from the issue: ≤ 30 s and ≤ 2 GiB, with a typed error or a correct answer.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_ATTACKS, judge, runCli } from "../test/unit/hostile/attacks.js";
import type { BenchRow } from "./core.js";

export async function hostileBenchmarks(): Promise<BenchRow[]> {
  const tmp = mkdtempSync(join(tmpdir(), "sms-bench-hostile-"));
  const rows: BenchRow[] = [];
  try {
    for (const a of CLI_ATTACKS) {
      const dir = join(tmp, a.name);
      mkdirSync(dir);
      const o = await runCli(await a.setup(dir), dir, 40_000);
      const wrong = judge(a, o, dir);
      const note = wrong ? `wrong answer: ${wrong.slice(0, 80)}` : o.exit === 0 ? "correct result" : "typed error";
      rows.push({ name: `${a.name}: time`, value: o.ms / 1000, unit: "s", target: "≤ 30 s", ok: !wrong && o.ms <= 30_000, note });
      rows.push({
        name: `${a.name}: peak RSS`,
        value: o.peakMiB ?? NaN,
        unit: "MiB",
        target: "≤ 2048 MiB",
        ok: o.peakMiB !== undefined && o.peakMiB <= 2048,
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
