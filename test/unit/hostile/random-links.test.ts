// Seeded generator of hostile model folders (issue 17, item 8: symlinks): a copy of a fixture with random
// symbolic links (to '.', '..', outside files and folders, /etc/passwd, dangling targets), added or put in
// place of the model's own files. Listing, discovery, reading every variable and running the model must
// each end in a result or a typed error within 5 s, and no byte from outside the folder may show up.
// `HOSTILE_SEED` / `HOSTILE_CASES` run other seeds / more cases locally.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DataType } from "../../../src/core/dtype.js";
import { StudioError } from "../../../src/core/errors.js";
import { discoverSavedModels } from "../../../src/core/savedmodel/discover.js";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { loadModel } from "../../../src/runtime/index.js";
import { FIXTURES } from "../helpers/fixtures.js";
import { rng } from "./generators.js";

const SEED = Number(process.env["HOSTILE_SEED"] ?? 17);
const CASES = Number(process.env["HOSTILE_CASES"] ?? 12);
const SECRET = "SECRET-OUTSIDE-THE-MODEL";
const tmp = mkdtempSync(join(tmpdir(), "hostile-links-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const outsideFile = join(tmp, "outside.txt");
const outsideDir = join(tmp, "outside-dir");
writeFileSync(outsideFile, `${SECRET}\n`);
mkdirSync(outsideDir);
writeFileSync(join(outsideDir, "vocab.txt"), `${SECRET}\n`);

const TARGETS = [".", "..", outsideFile, outsideDir, "/etc/passwd", join(tmp, "no-such-file"), "saved_model.pb", "variables"];
const PLACES = ["", "variables", "assets"];
/** Files of the model a link may replace. */
const REPLACEABLE = ["variables/variables.index", "variables/variables.data-00000-of-00001", "assets/foo.txt", "saved_model.pb"];

function hostileFolder(r: () => number, n: number): string {
  const parent = join(tmp, `case-${n}`);
  const dir = join(parent, "model");
  cpSync(join(FIXTURES, "savedmodels", "serving_half_plus_two_cpu"), dir, { recursive: true });
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  for (let i = 0, k = 1 + Math.floor(r() * 4); i < k; i++) {
    const target = pick(TARGETS);
    if (r() < 0.4) {
      const file = join(dir, pick(REPLACEABLE));
      rmSync(file, { force: true });
      symlinkSync(target, file);
    } else symlinkSync(target, join(dir, pick(PLACES), `link${i}`));
  }
  if (r() < 0.3) symlinkSync(".", join(parent, "up-loop"));
  return dir;
}

/** A result or a typed error within 5 s; returns the text it produced. */
async function step(what: string, fn: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: over 5 s`)), 5000)));
  try {
    return JSON.stringify((await Promise.race([fn(), timeout])) ?? null, (_k, v: unknown) =>
      v instanceof Uint8Array ? new TextDecoder().decode(v) : typeof v === "bigint" ? String(v) : v,
    );
  } catch (e) {
    assert.ok(e instanceof StudioError, `${what}: ${String(e)}`);
    return e.message;
  } finally {
    clearTimeout(timer);
  }
}

void test(`hostile model folders with random symlinks (seed ${SEED}, ${CASES} cases): typed answers in time, nothing from outside`, async () => {
  const r = rng(SEED);
  for (let n = 0; n < CASES; n++) {
    const dir = hostileFolder(r, n);
    const said: string[] = [];
    said.push(
      await step(`case ${n} discovery`, async () => {
        const found: string[] = [];
        for await (const m of discoverSavedModels(new FsSource("/"), join(dir, ".."))) found.push(m.dir);
        return found;
      }),
    );
    said.push(
      await step(`case ${n} reading`, async () => {
        const reader = await SavedModelReader.open(new FsSource("/"), dir);
        const out: unknown[] = [await reader.allFiles(), await reader.assetFiles()];
        const bundle = await reader.variables();
        for (const e of bundle?.entries() ?? []) out.push(await bundle!.readTensor(e.key).catch((x: unknown) => x));
        return out.map((x) => (x instanceof Error ? (assert.ok(x instanceof StudioError, String(x)), x.message) : x));
      }),
    );
    said.push(
      await step(`case ${n} run`, async () => {
        const m = await loadModel(new FsSource("/"), dir, { backend: "cpu", fastPath: false });
        try {
          const x = { dtype: DataType.DT_FLOAT, shape: [1, 1], data: Float32Array.of(1) };
          return (await (await m.prepare("serving_default")).run({ x })).outputs;
        } finally {
          m.dispose();
        }
      }),
    );
    for (const s of said) assert.doesNotMatch(s, new RegExp(`${SECRET}|root:x:0:0`), `case ${n}: ${s.slice(0, 300)}`);
  }
});
