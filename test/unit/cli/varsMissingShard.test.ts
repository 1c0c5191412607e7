// `savedmodel vars` lists variables from variables.index alone when the data shard holding the TF2
// object graph is missing (names then fall back to checkpoint keys).
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../../src/cli/main.js";

const FIXTURE = join(import.meta.dirname, "..", "..", "..", "..", "shared", "fixtures", "savedmodels", "keras_mnist");

void test("vars without the data shard lists the index's entries", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vars-"));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, "variables", "variables.data-00000-of-00001"));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["vars", "--dir", dir], { stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd: dir });
    assert.equal(code, 0, err.join(""));
    assert.match(out.join(""), /kernel\/\.ATTRIBUTES\/VARIABLE_VALUE \(DT_FLOAT\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
