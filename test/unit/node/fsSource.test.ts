import assert from "node:assert/strict";
import { realpathSync } from "node:fs";
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { discoverSavedModels } from "../../../src/core/savedmodel/discover.js";
import { FsSource } from "../../../src/node/fsSource.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "../../../../shared/fixtures/savedmodels");

void test("FsSource reads byte ranges equal to the file's bytes", async () => {
  const src = new FsSource(fixtures);
  const file = "serving_half_plus_two_cpu/saved_model.pb";
  const whole = new Uint8Array(await readFile(join(fixtures, file)));
  const st = await src.stat(file);
  assert.equal(st?.kind, "file");
  assert.equal(st?.size, whole.length);
  assert.ok((st?.mtimeMs ?? 0) > 0);
  assert.deepEqual(await src.read(file), whole);
  assert.deepEqual(await src.read(file, 10, 20), whole.subarray(10, 30));
  // past the end: fewer bytes, never an error
  assert.deepEqual(await src.read(file, whole.length - 5, 100), whole.subarray(whole.length - 5));
  assert.equal((await src.read(file, whole.length + 10, 4)).length, 0);
  assert.deepEqual(await src.read(file, 7), whole.subarray(7));
});

void test("FsSource stat/list: missing paths, sorted entries, symlinks followed", async () => {
  const tmp = await mkdtemp(join(tmpdir(), "fssrc-"));
  try {
    await mkdir(join(tmp, "b"));
    await writeFile(join(tmp, "c.txt"), "hello");
    await writeFile(join(tmp, "a.txt"), "x");
    await symlink(join(fixtures, "serving_half_plus_two_cpu"), join(tmp, "linked"));
    await symlink(join(tmp, "nope"), join(tmp, "dangling"));
    const src = new FsSource(tmp);
    assert.equal(await src.stat("missing"), undefined);
    assert.equal(await src.stat("c.txt/under-a-file"), undefined);
    assert.deepEqual(await src.list("."), [
      { name: "a.txt", kind: "file" },
      { name: "b", kind: "dir" },
      { name: "c.txt", kind: "file" },
      // A linked directory carries its real path, so walks enter it once.
      { name: "linked", kind: "dir", id: realpathSync(join(fixtures, "serving_half_plus_two_cpu")) },
    ]);
    await assert.rejects(src.list("missing"));
    const found = [];
    for await (const m of discoverSavedModels(src, tmp)) found.push(m.dir);
    assert.deepEqual(found, [join(tmp, "linked")]);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
