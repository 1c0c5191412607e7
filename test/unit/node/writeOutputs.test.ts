import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeNewFile } from "../../../src/node/writeOutputs.js";

void test("Save Outputs into a folder that does not exist yet creates it; an existing entry is refused unless replaced", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sms-write-"));
  try {
    const file = join(dir, "new", "deeper", "y.npy");
    await writeNewFile(file, Uint8Array.of(1, 2), false);
    assert.deepEqual([...readFileSync(file)], [1, 2]);
    await assert.rejects(writeNewFile(file, Uint8Array.of(3), false), /cannot write .*EEXIST/);
    // A dangling link is an entry too: refused, and its target is never created.
    symlinkSync(join(dir, "elsewhere.npy"), join(dir, "link.npy"));
    await assert.rejects(writeNewFile(join(dir, "link.npy"), Uint8Array.of(4), false), /EEXIST/);
    await writeNewFile(join(dir, "link.npy"), Uint8Array.of(5), true);
    assert.deepEqual([...readFileSync(join(dir, "link.npy"))], [5]);
    assert.throws(() => readFileSync(join(dir, "elsewhere.npy")), /ENOENT/);
    writeFileSync(join(dir, "keep.npy"), "x");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
