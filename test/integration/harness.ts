/**
 * A minimal test harness for the real extension host (no mocha dependency): `test()` registers,
 * `runAll()` runs them in order with a timeout each, prints one line per test and the closing
 * "N passed, N failed, N skipped" line, and rejects when anything failed (VS Code's test runner then
 * exits with code 1).
 */
export class Skip extends Error {}

interface Case {
  readonly name: string;
  readonly fn: () => Promise<void>;
  readonly timeoutMs: number;
}

const cases: Case[] = [];

export function test(name: string, fn: () => Promise<void>, timeoutMs = 60_000): void {
  cases.push({ name, fn, timeoutMs });
}

const leftOut: [RegExp, string][] = [];
/** Cases whose name matches `re` are reported as skipped with `reason` (a pass that leaves some out). */
export function skipMatching(re: RegExp, reason: string): void {
  leftOut.push([re, reason]);
}

export function skip(reason: string): never {
  throw new Skip(reason);
}

export async function runAll(suite: string): Promise<void> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const t0 = Date.now();
  console.log(`\n${suite}`);
  for (const c of cases) {
    const start = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const out = leftOut.find(([re]) => re.test(c.name));
      if (out) skip(out[1]);
      await Promise.race([
        c.fn(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${c.timeoutMs} ms`)), c.timeoutMs);
        }),
      ]);
      passed++;
      console.log(`  ✔ ${c.name} (${Date.now() - start} ms)`);
    } catch (e) {
      if (e instanceof Skip) {
        skipped++;
        console.log(`  - ${c.name} (skipped: ${e.message})`);
      } else {
        failed++;
        console.log(
          `  ✘ ${c.name} (${Date.now() - start} ms)\n      ${e instanceof Error ? (e.stack ?? e.message).split("\n").slice(0, 6).join("\n      ") : String(e)}`,
        );
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
  console.log(`${suite}: ${passed} passed, ${failed} failed, ${skipped} skipped (${Date.now() - t0} ms)`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}

/** Polls `fn` until it returns a truthy value (never a fixed sleep). */
export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
