/**
 * Worker threads started from a bundle or from source: the script next to the running module (`<name>.js`
 * in dist/, or the TypeScript source under tsx, which a worker does not inherit and must register itself).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** The first of `names` that exists next to this module (dist/ in the bundle, the source folder under tsx). */
export function scriptNextTo(dir: string | undefined, names: readonly string[]): string | undefined {
  if (typeof dir !== "string") return undefined;
  for (const name of names) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Starts `script` in a worker thread; a `.ts` script is run through tsx's loader. */
export function startWorker(script: string, options: WorkerOptions): Worker {
  if (!script.endsWith(".ts")) return new Worker(script, options);
  const tsx = createRequire(__filename).resolve(`${"tsx"}/cjs`);
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { ...options, eval: true });
}
