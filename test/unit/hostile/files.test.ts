// Issue 17, item 3: a hostile model folder must not make us read or write outside it, or loop.
// Every hostile folder is generated here (copies of fixtures with symbolic links added), never committed.
import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { StudioError } from "../../../src/core/errors.js";
import { outputFileName, outputFileNames } from "../../../src/core/output-names.js";
import { discoverSavedModels } from "../../../src/core/savedmodel/discover.js";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { writeOutputFiles } from "../../../src/node/writeOutputs.js";
import { loadModel } from "../../../src/runtime/index.js";
import { FIXTURES } from "../helpers/fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "hostile-files-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A writable copy of a fixture model (fixtures are read-only). */
function copyModel(name: string, to: string): string {
  const walk = (from: string, dest: string) => {
    mkdirSync(dest, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(from, e.name), join(dest, e.name));
      else writeFileSync(join(dest, e.name), readFileSync(join(from, e.name)));
    }
  };
  const dest = join(tmp, to);
  walk(join(FIXTURES, "savedmodels", name), dest);
  return dest;
}

function isCode(code: string) {
  return (e: unknown) => e instanceof StudioError && e.code === code;
}

/** Resolves within `ms` or fails the test. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

void test("a vocabulary asset symlinked to a file outside the model: run refuses it (OUTSIDE_MODEL), nothing read", async () => {
  const dir = copyModel("tfx_transform_fn", "asset-link");
  const outside = join(tmp, "secret.txt");
  writeFileSync(outside, "root:x:0:0:root:/root:/bin/bash\n");
  const vocab = readdirSync(join(dir, "assets"))[0]!;
  rmSync(join(dir, "assets", vocab));
  symlinkSync(outside, join(dir, "assets", vocab));
  await assert.rejects(loadModel(new FsSource("/"), dir, { tags: ["transform"], backend: "cpu", fastPath: false }), (e: unknown) => {
    assert.ok(isCode("OUTSIDE_MODEL")(e), String(e));
    assert.doesNotMatch((e as Error).message, /root:x/);
    return true;
  });
});

void test("assets/ symlinked to an outside directory: its files are never listed or read", async () => {
  const dir = copyModel("serving_half_plus_two_cpu", "assets-dir-link");
  const outsideDir = join(tmp, "etc-like");
  mkdirSync(outsideDir, { recursive: true });
  writeFileSync(join(outsideDir, "passwd"), "secret");
  rmSync(join(dir, "assets"), { recursive: true, force: true });
  symlinkSync(outsideDir, join(dir, "assets"));
  const reader = await SavedModelReader.open(new FsSource("/"), dir);
  assert.deepEqual(await reader.assetFiles(), []);
  assert.ok(!(await reader.allFiles()).some((f) => f.includes("passwd")));
  await assert.rejects(reader.source.read(join(dir, "assets", "passwd")), isCode("OUTSIDE_MODEL"));
});

void test("a data shard symlinked outside the model: values are refused (OUTSIDE_MODEL), not printed", async () => {
  const dir = copyModel("serving_half_plus_two_cpu", "shard-link");
  const shard = join(dir, "variables", "variables.data-00000-of-00001");
  // Even an outside copy with the right checksum must not be read.
  const outside = join(tmp, "outside-shard");
  writeFileSync(outside, readFileSync(shard));
  rmSync(shard);
  symlinkSync(outside, shard);
  const reader = await SavedModelReader.open(new FsSource("/"), dir);
  const bundle = await reader.variables();
  assert.ok(bundle);
  const key = bundle.entries().find((e) => e.key !== "_CHECKPOINTABLE_OBJECT_GRAPH")!.key;
  await assert.rejects(
    bundle.readTensor(key),
    (e: unknown) => e instanceof StudioError && /OUTSIDE_MODEL|BUNDLE_MISSING_SHARD/.test(e.code),
  );
});

void test("keras_metadata.pb / fingerprint.pb symlinked outside: never read", async () => {
  const dir = copyModel("serving_half_plus_two_cpu", "meta-link");
  const outside = join(tmp, "garbage.pb");
  writeFileSync(outside, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]));
  symlinkSync(outside, join(dir, "keras_metadata.pb"));
  symlinkSync(outside, join(dir, "fingerprint.pb"));
  const reader = await SavedModelReader.open(new FsSource("/"), dir);
  // Read, the garbage would be a PROTO_DECODE error; confined, the files count as absent.
  assert.equal(await reader.fingerprint(), null);
  await reader.keras(); // no decode error
  await assert.rejects(reader.source.read(join(dir, "keras_metadata.pb")), isCode("OUTSIDE_MODEL"));
});

void test("a checksum error does not echo checksums of the unverified bytes", async () => {
  const dir = copyModel("serving_half_plus_two_cpu", "bad-crc");
  const shard = join(dir, "variables", "variables.data-00000-of-00001");
  const bytes = readFileSync(shard);
  bytes[0] = bytes[0]! ^ 0x55;
  writeFileSync(shard, bytes);
  const reader = await SavedModelReader.open(new FsSource("/"), dir);
  const bundle = (await reader.variables())!;
  const key = bundle.entries().find((e) => e.key !== "_CHECKPOINTABLE_OBJECT_GRAPH" && e.size > 0)!.key;
  await assert.rejects(bundle.readTensor(key), (e: unknown) => {
    assert.ok(isCode("BUNDLE_CHECKSUM")(e), String(e));
    assert.doesNotMatch((e as Error).message, /computed|0x[0-9a-f]{8}/);
    return true;
  });
});

void test("two symlinks to '.' inside a model folder: listing, opening and discovery finish quickly", async () => {
  const dir = copyModel("serving_half_plus_two_cpu", "loops/model");
  symlinkSync(".", join(dir, "self1"));
  symlinkSync(".", join(dir, "self2"));
  symlinkSync("..", join(dir, "assets", "up"));
  const parent = join(tmp, "loops");
  symlinkSync(".", join(parent, "l1"));
  symlinkSync(".", join(parent, "l2"));
  const t0 = performance.now();
  const reader = await within(5000, SavedModelReader.open(new FsSource("/"), dir));
  const files = await within(5000, reader.allFiles());
  assert.ok(files.includes("saved_model.pb"));
  assert.ok(files.length < 100, `${files.length} files listed`);
  await within(5000, reader.assetFiles());
  const found: string[] = [];
  await within(
    5000,
    (async () => {
      for await (const m of discoverSavedModels(new FsSource("/"), parent)) found.push(m.dir);
    })(),
  );
  assert.ok(found.length >= 1 && found.length <= 3, found.join(", "));
  assert.ok(performance.now() - t0 < 10_000);
});

void test("output names: distinct, length-limited; colliding keys fail before anything is written", async () => {
  assert.throws(() => outputFileNames(["a/b", "a:b", "a_b"]), isCode("USAGE"));
  assert.throws(() => outputFileNames(["Out", "out"]), isCode("USAGE"));
  const long = "k".repeat(300);
  const names = outputFileNames([long, long + "x", "../../etc/passwd", "\u001b[31mred"]);
  for (const n of names.values()) {
    assert.ok(n.length <= 104, n);
    assert.match(n, /^[A-Za-z0-9_][A-Za-z0-9._-]*\.npy$/);
  }
  assert.notEqual(names.get(long), names.get(long + "x"));
  assert.equal(outputFileName("serving_default"), "serving_default.npy");

  const out = join(tmp, "out-collide");
  await assert.rejects(
    writeOutputFiles(out, [
      { name: "ok.npy", bytes: () => new Uint8Array([1]) },
      { name: "../escape.npy", bytes: () => new Uint8Array([1]) },
    ]),
    isCode("USAGE"),
  );
  assert.ok(!existsSync(join(out, "ok.npy")));
  // A 300-character key writes fine (no ENAMETOOLONG).
  await writeOutputFiles(out, [{ name: names.get(long)!, bytes: () => new Uint8Array([7]) }]);
  assert.ok(existsSync(join(out, names.get(long)!)));
});

void test("--outdir holding a dangling symlink y.npy: refused without --overwrite; with it, the link is replaced, never followed", async () => {
  const out = join(tmp, "out-dangling");
  mkdirSync(out);
  const target = join(tmp, "written-outside.npy");
  symlinkSync(target, join(out, "y.npy"));
  const files = [
    { name: "a.npy", bytes: () => new Uint8Array([1]) },
    { name: "y.npy", bytes: () => new Uint8Array([2]) },
  ];
  await assert.rejects(writeOutputFiles(out, files), isCode("USAGE"));
  assert.ok(!existsSync(target));
  assert.ok(!existsSync(join(out, "a.npy")), "nothing written before the refusal");
  await writeOutputFiles(out, files, { overwrite: true });
  assert.ok(!existsSync(target));
  assert.ok(!lstatSync(join(out, "y.npy")).isSymbolicLink());
  assert.equal(statSync(join(out, "y.npy")).size, 1);
});
