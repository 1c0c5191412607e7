/** The workspace index of unopened Python files (src/server/python-index.ts) feeding the cross-file rules. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { DEFAULT_SETTINGS } from "../../../src/server/python/analyze.js";
import { PythonWorkspace } from "../../../src/server/workspace.js";
import { serveGateScript, trainGateScript } from "../helpers/python-scripts.js";
import { getParser } from "./harness.js";

const SERVE = serveGateScript("models/gate.h5");

function workspaceDir(): string {
  const root = mkdtempSync(join(tmpdir(), "sms-index-"));
  writeFileSync(join(root, "train.py"), trainGateScript("models/gate.h5"));
  writeFileSync(join(root, "serve.py"), SERVE);
  writeFileSync(join(root, "notes.py"), "print('no deep learning here')\n");
  return root;
}

async function serving(root: string) {
  const ws = new PythonWorkspace(await getParser(), () => {});
  ws.roots = [root];
  const uri = pathToFileURL(join(root, "serve.py")).href;
  ws.update(uri, SERVE);
  const codes = () =>
    (ws.analyze(uri, DEFAULT_SETTINGS)?.findings ?? []).map((f) => `${f.diagnostic.range.start.line + 1}:${f.diagnostic.code}`);
  return { ws, codes };
}

test("a serving script is checked against a training script that is on disk but not open", async () => {
  const root = workspaceDir();
  try {
    const { ws, codes } = await serving(root);
    assert.deepEqual(codes(), [], "before the index: the training script is unknown");
    const stats = await ws.index.rebuild([root]);
    assert.deepEqual(
      { files: stats.files, analysed: stats.analysed, skipped: stats.skipped, truncated: stats.truncated },
      {
        files: 3,
        analysed: 2,
        skipped: 0,
        truncated: false,
      },
    );
    assert.deepEqual(codes(), ["7:SMS202"], "the key 'Gate' never matches the saved 'shop>Gate'");

    // the training script changes on disk: the watcher's refresh follows it
    writeFileSync(join(root, "train.py"), trainGateScript("models/other.h5"));
    assert.equal(await ws.index.refresh(join(root, "train.py")), true);
    assert.deepEqual(codes(), []);
    writeFileSync(join(root, "train.py"), trainGateScript("models/gate.h5"));
    await ws.index.refresh(join(root, "train.py"));
    assert.deepEqual(codes(), ["7:SMS202"]);
    unlinkSync(join(root, "train.py"));
    assert.equal(ws.index.remove(join(root, "train.py")), true);
    assert.deepEqual(codes(), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("an open document's live text wins over its indexed copy on disk", async () => {
  const root = workspaceDir();
  try {
    const { ws, codes } = await serving(root);
    await ws.index.rebuild([root]);
    const trainUri = pathToFileURL(join(root, "train.py")).href;
    ws.update(trainUri, trainGateScript("models/edited.h5")); // unsaved edit in the editor
    ws.analyze(trainUri, DEFAULT_SETTINGS);
    assert.deepEqual(codes(), []);
    ws.close(trainUri);
    assert.deepEqual(codes(), ["7:SMS202"], "closed without saving: the file on disk counts again");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a training notebook counts: its code cells are indexed, its magics do not break the parse", async () => {
  const root = workspaceDir();
  try {
    unlinkSync(join(root, "train.py"));
    const cells = [
      { cell_type: "markdown", source: ["# Training\n"] },
      {
        cell_type: "code",
        source: ["!pip install tensorflow\n", "%matplotlib inline\n", ...trainGateScript("models/gate.h5").split(/(?<=\n)/)],
      },
      { cell_type: "code", source: "print(model.summary())" },
    ];
    writeFileSync(join(root, "Train.ipynb"), JSON.stringify({ nbformat: 4, cells, metadata: {} }));
    writeFileSync(join(root, "broken.ipynb"), "{ not json");
    const { ws, codes } = await serving(root);
    const stats = await ws.index.rebuild([root]);
    assert.deepEqual({ files: stats.files, analysed: stats.analysed, skipped: stats.skipped }, { files: 4, analysed: 2, skipped: 1 });
    assert.deepEqual(codes(), ["7:SMS202"]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the walk skips virtual environments, site-packages, hidden and excluded folders, big files and links out of the folder", async () => {
  const root = workspaceDir();
  const outside = mkdtempSync(join(tmpdir(), "sms-outside-"));
  try {
    for (const dir of ["venv-x", "lib/site-packages/pkg", ".hidden", "node_modules/m", "pkg/sub"])
      mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, "venv-x", "pyvenv.cfg"), "home = /usr/bin\n");
    for (const f of ["venv-x/a.py", "lib/site-packages/pkg/b.py", ".hidden/c.py", "node_modules/m/d.py"])
      writeFileSync(join(root, f), trainGateScript("x.h5"));
    writeFileSync(join(root, "pkg/sub/layers.py"), trainGateScript("models/deep.h5"));
    writeFileSync(join(root, "pkg/big.py"), `import keras\n${"x = 1\n".repeat(60_000)}`);
    writeFileSync(join(outside, "secret.py"), trainGateScript("leak.h5"));
    symlinkSync(outside, join(root, "linked"));
    symlinkSync(join(outside, "secret.py"), join(root, "secret_link.py"));
    const { ws } = await serving(root);
    const stats = await ws.index.rebuild([root]);
    // train, serve, notes, pkg/sub/layers, pkg/big (over the size limit), secret_link (outside: unreadable)
    assert.deepEqual({ files: stats.files, analysed: stats.analysed, skipped: stats.skipped }, { files: 6, analysed: 3, skipped: 2 });
    const keys = [...ws.index.summaries(new Set())].flatMap((s) => s.saves.map((x) => x.key)).sort();
    assert.deepEqual(keys, ["models/deep.h5", "models/gate.h5"]);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test("a rebuild stops at the file limit and a later rebuild cancels an earlier one", async () => {
  const root = workspaceDir();
  try {
    for (let i = 0; i < 30; i++) writeFileSync(join(root, `m${String(i).padStart(2, "0")}.py`), "import keras\n");
    const { ws } = await serving(root);
    const { PythonFileIndex } = await import("../../../src/server/python-index.js");
    const small = new PythonFileIndex(async (uri) => ({ saves: [], defs: { uri, objects: [] } }), {
      files: 10,
      bytes: 1024,
      notebookBytes: 1024,
      depth: 4,
      dirs: 100,
    });
    const s = await small.rebuild([root]);
    assert.deepEqual({ files: s.files, truncated: s.truncated }, { files: 10, truncated: true });
    // a tree of folders without Python files ends the walk at the folder limit
    for (let i = 0; i < 12; i++) mkdirSync(join(root, "data", `d${String(i).padStart(2, "0")}`), { recursive: true });
    const fewDirs = new PythonFileIndex(async (uri) => ({ saves: [], defs: { uri, objects: [] } }), {
      files: 100,
      bytes: 1024,
      notebookBytes: 1024,
      depth: 4,
      dirs: 5,
    });
    const d = await fewDirs.rebuild([root]);
    assert.deepEqual(
      { files: d.files, truncated: d.truncated },
      { files: 33, truncated: true },
      "the root's files, then 4 folders of data",
    );
    const first = ws.index.rebuild([root]);
    const second = ws.index.rebuild([root]);
    assert.equal((await first).cancelled, true);
    assert.equal((await second).cancelled, false);
    assert.equal(ws.index.size, 32);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
