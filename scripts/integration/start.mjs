#!/usr/bin/env node
// Opens the product: builds the extension, starts a real VS Code (code-server 4.100.3, VS Code 1.100.3)
// on 127.0.0.1 with SavedModel Studio installed and a workspace holding the sample models, and prints
// the URL to open. Runs until Ctrl-C. Installs what it needs on first use (scripts/integration/setup.sh).
//
//   node scripts/integration/start.mjs [--port 3210] [--restricted] [--workspace DIR] [--state DIR] [--smoke [shot.png]]
//
// --restricted  keep Workspace Trust on (the workbench opens in Restricted Mode: browse only)
// --state       where the profile, extensions dir and generated workspace live (default: a tmp folder)
// --smoke       start, then drive the whole product in headless chromium (scripts/integration/smoke.mjs:
//               tree, model editor, Python diagnostic, Run Signature, Save Outputs), a line per check; exit 0/1
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { PYTHON_SAMPLE, runSmoke } from "./smoke.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] && !args[i + 1].startsWith("--") ? args[i + 1] : dflt;
};
const port = Number(opt("--port", process.env.SMS_PORT ?? "3210"));
const restricted = args.includes("--restricted");
const smoke = args.includes("--smoke");
const smokeShot = opt("--smoke");
const state = resolve(opt("--state", join(tmpdir(), "savedmodel-studio-start")));
const workspace = resolve(opt("--workspace", join(state, "workspace")));
const log = (...a) => console.log("[start]", ...a);

// 1. VS Code (code-server from npm), chromium for --smoke.
const setup = spawnSync("bash", [join(root, "scripts/integration/setup.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
if (setup.status !== 0) process.exit(1);
const serverMain = setup.stdout.trim().split("\n").pop();
// code-server's CLI (out/node/entry.js), next to lib/vscode in the same package.
const codeServer = resolve(serverMain, "../../../../out/node/entry.js");

// 2. The extension: the one build (scripts/build.mjs) — every bundle and file the product loads.
if (spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" }).status !== 0) process.exit(1);

// 3. A workspace with the sample models and an input to run them on.
if (!opt("--workspace")) {
  rmSync(workspace, { recursive: true, force: true });
  cpSync(join(root, "test/fixtures/samples"), join(workspace, "models"), { recursive: true, filter: (p) => !p.endsWith("README.md") });
  mkdirSync(join(workspace, "inputs"), { recursive: true });
  writeFileSync(join(workspace, "inputs", "x.npy"), npyFloat32([3, 1], [1, 2, 5]));
  writeFileSync(join(workspace, "inputs", "x_row.npy"), npyFloat32([1, 3], [1, 2, 3]));
  // A training script with a Keras pitfall the language server flags (SMS101: saved before it was built).
  mkdirSync(dirname(join(workspace, PYTHON_SAMPLE)), { recursive: true });
  cpSync(join(root, "test/python/a03_basic_unbuilt_save.py"), join(workspace, PYTHON_SAMPLE));
}

// 4. Profile: extension installed by linking this folder into a private extensions dir.
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const home = join(state, "home");
const extDir = join(state, "extensions");
for (const d of [home, extDir, join(state, "user-data", "User"), join(state, "xdg-config"), join(state, "xdg-data")])
  mkdirSync(d, { recursive: true });
// VS Code caches scanned extension manifests here; ours is this working tree, whose package.json may
// have changed since the last start (a view moved, a command added): scan it anew.
rmSync(join(state, "user-data", "CachedProfilesData"), { recursive: true, force: true });
const link = join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
rmSync(link, { force: true, recursive: false });
symlinkSync(root, link);
writeFileSync(
  join(state, "user-data", "User", "settings.json"),
  JSON.stringify(
    {
      "workbench.startupEditor": "none",
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
    },
    null,
    2,
  ),
);
writeFileSync(join(state, "config.yaml"), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

const flags = [
  "--config",
  join(state, "config.yaml"),
  "--bind-addr",
  `127.0.0.1:${port}`,
  "--auth",
  "none",
  "--disable-telemetry",
  "--disable-update-check",
  "--disable-getting-started-override",
  "--user-data-dir",
  join(state, "user-data"),
  "--extensions-dir",
  extDir,
  ...(restricted ? [] : ["--disable-workspace-trust"]),
  workspace,
];
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(state, "xdg-config"), XDG_DATA_HOME: join(state, "xdg-data") };
const server = spawn(process.execPath, [codeServer, ...flags], { detached: true, env, stdio: ["ignore", "pipe", "pipe"] });
let out = "";
server.stdout.on("data", (d) => (out += d));
server.stderr.on("data", (d) => (out += d));
const stop = () => {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("SIGINT", () => {
  stop();
  process.exit(0);
});
process.on("SIGTERM", () => {
  stop();
  process.exit(0);
});
server.on("exit", (code) => {
  if (!stopping) {
    console.error(out.slice(-3000));
    log(`code-server exited (${code})`);
    process.exit(1);
  }
});

let stopping = false;
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
for (let i = 0; ; i++) {
  const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
    .then((r) => r.ok)
    .catch(() => false);
  if (ok) break;
  if (i > 300) {
    console.error(out.slice(-3000));
    throw new Error("code-server did not answer in 30 s");
  }
  await new Promise((r) => setTimeout(r, 100));
}

if (!smoke) {
  console.log(
    `\nSavedModel Studio is running in VS Code ${JSON.parse(readFileSync(resolve(serverMain, "../../product.json"), "utf8")).version}:\n\n    ${url}\n`,
  );
  console.log(`Workspace: ${workspace} (sample models in models/, inputs in inputs/)`);
  console.log(`Try: SavedModels view in the Explorer → serving_half_plus_two_cpu → serving_default → Run (▷), pick inputs/x.npy.`);
  console.log("Ctrl-C stops the server.");
} else {
  // --smoke: drive the whole product in headless chromium (scripts/integration/smoke.mjs); exit 0/1.
  const browser = await launchChromium({ env: { ...process.env, HOME: home } });
  let code = 1;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    code = await runSmoke({ page, url, workspace, shot: smokeShot });
  } catch (e) {
    console.error("smoke: FAILED:", e);
  } finally {
    await browser.close().catch(() => undefined);
    stopping = true;
    stop();
  }
  if (code === 0) console.log(`smoke: all checks passed at ${url}`);
  process.exit(code);
}

/** A float32 C-order .npy (version 1.0, header padded to 64 bytes like numpy). */
function npyFloat32(shape, values) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const buf = Buffer.alloc(10 + header.length + 4 * values.length);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(buf, 0);
  buf.writeUInt16LE(header.length, 8);
  buf.write(header, 10, "latin1");
  values.forEach((v, i) => buf.writeFloatLE(v, 10 + header.length + 4 * i));
  return buf;
}
