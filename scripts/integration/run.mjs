#!/usr/bin/env node
// Runs the integration tests inside a real VS Code: the VS Code server bundled in code-server
// (lib/vscode/out/server-main.js), opened by headless Debian chromium through playwright-core with the
// standard extensionDevelopmentPath / extensionTestsPath payload. Exits with the tests' result.
//
//   node scripts/integration/run.mjs [--suite all|trusted|untrusted|ui] [--host node|web|web-isolated|both] [--screenshots docs/images] [--keep]
//
// Hosts: without --suite, both (the node suites, then the two web passes); with --suite, node unless --host says.
// web-isolated is the web pass behind isolate.mjs (COOP/COEP, as vscode.dev): SharedArrayBuffer, so threads;
// it runs the Run Signature tests only (test/integration/web/index.ts).
// The web pass runs the packaged .vsix of the same build (installed into the server, see installVsix) in the
// web-worker extension host (VS Code for the Web): the user setting
// remote.extensionKind moves the extension there, and the trusted workspace's suites (test/integration/web/index.ts:
// tree, editor, Run Signature, results) run from a browser bundle of the tests that reaches files through a
// local bridge (bridge.mjs).
//
// Each suite gets its own server, profile and temporary workspace (copies of a few fixture models from
// ../shared/fixtures under models/ and editor/, input .npy files, an unreadable model). The trusted suite runs with
// --disable-workspace-trust; the untrusted one in Restricted Mode.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "./chromium.mjs";
import { startBridge } from "./bridge.mjs";
import { startIsolatingProxy } from "./isolate.mjs";
import { format } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixtures = resolve(root, "..", "shared", "fixtures");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const hostArg = opt("--host", opt("--suite") ? "node" : "both");
if (!["node", "web", "web-isolated", "both"].includes(hostArg)) throw new Error(`--host ${hostArg}: node, web, web-isolated or both`);
const nodeSuites = opt("--suite", "all") === "all" ? ["trusted", "untrusted", "ui"] : [opt("--suite")];
/** [host, suite] in order; the web pass is one run of the trusted workspace's suites (test/integration/web/index.ts). */
const runs = [
  ...(hostArg === "node" || hostArg === "both" ? nodeSuites.map((s) => ["node", s]) : []),
  ...(hostArg === "web" || hostArg === "both" ? [["web", "trusted"]] : []),
  ...(hostArg === "web-isolated" || hostArg === "both" ? [["web-isolated", "trusted"]] : []),
];
const withWeb = hostArg !== "node";
const EXTENSION_ID = "savedmodel-studio.savedmodel-studio";
const shotsDir = opt("--screenshots") ? resolve(opt("--screenshots")) : undefined;
const keep = args.includes("--keep");
const TIMEOUT_MS = Number(process.env.SMS_TIMEOUT_MS ?? 300_000);
const MODELS = [
  "serving_half_plus_two_cpu",
  "serving_half_plus_two_tf2_cpu",
  "tfjs_times_three_float",
  "tfjs_module_with_multiple_signatures",
  "serving_half_plus_two_2_versions",
];
// Opened in the custom editor (copied to <workspace>/editor/<name>, outside models/).
const EDITOR_MODELS = ["keras_mnist", "teachable_machine_mobilenet_2shards"];
// Run Signature's checks before inputs (copied to <workspace>/run/<name>): a TF-Text model the engine
// cannot run, and an Estimator export that parses tf.Examples.
const RUN_MODELS = ["serving_tf_text_regression", "tfx_chicago_taxi_estimator_serving"];

// Workbench console lines that say nothing about our tests (no gallery, no service worker offline).
const NOISE = [
  /open-vsx\.org/,
  /ServiceWorker/,
  /^Creating a socket|^Resolv(ing|ed) connection token|^Updating additional builtin|^ChatSessionStore/,
];
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Adds a suite's closing line ("…: N passed, N failed, N skipped") to the totals. */
function countLine(line) {
  const m = /: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(line);
  if (!m) return;
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  totals.skipped += Number(m[3] ?? 0);
}
const log = (...a) => console.log("[integration]", ...a);

function serverMain() {
  if (process.env.SMS_SERVER_MAIN) return process.env.SMS_SERVER_MAIN;
  const r = spawnSync("bash", [join(root, "scripts/integration/setup.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error("scripts/integration/setup.sh failed");
  return r.stdout.trim().split("\n").pop();
}

async function build() {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit", cwd: root });
  if (r.status !== 0) throw new Error("extension build failed");
  const esbuild = await import(join(root, "node_modules/esbuild/lib/main.js"));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["test/integration/index.ts"],
    outfile: "out/integration/index.js",
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "es2022",
    external: ["vscode"],
    sourcemap: "inline",
    logLevel: "warning",
  });
  if (withWeb) await buildWebTests(esbuild);
  log(`built extension and test bundle in ${Date.now() - t0} ms`);
}

/** The suites as a browser bundle: node:fs / node:path / node:assert / node:child_process and `process` from test/integration/web/. */
const bridge = withWeb ? await startBridge() : undefined;
async function buildWebTests(esbuild) {
  const shim = (f) => join(root, "test/integration/web", f);
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["test/integration/web/index.ts"],
    outfile: "out/integration/web.js",
    bundle: true,
    platform: "browser",
    format: "cjs",
    target: "es2022",
    alias: {
      "node:fs": shim("fs.ts"),
      "node:path": shim("path.ts"),
      "node:assert/strict": shim("assert.ts"),
      "node:child_process": shim("child_process.ts"),
    },
    inject: [shim("process.ts")],
    plugins: [
      {
        // the suites' `vscode` is web/vscode.ts (Uri.file → the workspace's remote URIs); that file gets the real one
        name: "web-vscode",
        setup: (b) =>
          b.onResolve({ filter: /^vscode$/ }, (a) =>
            a.importer === shim("vscode.ts") ? { path: "vscode", external: true } : { path: shim("vscode.ts") },
          ),
      },
    ],
    define: { __SMS_BRIDGE__: JSON.stringify(bridge.url) },
    sourcemap: "inline",
    logLevel: "warning",
  });
}

/** A fresh workspace folder with copies of the fixture models and inputs the tests use. */
function makeWorkspace(base) {
  const ws = join(base, "workspace");
  for (const m of MODELS) cpSync(join(fixtures, "savedmodels", m), join(ws, "models", m), { recursive: true });
  for (const m of EDITOR_MODELS) cpSync(join(fixtures, "savedmodels", m), join(ws, "editor", m), { recursive: true });
  for (const m of RUN_MODELS) cpSync(join(fixtures, "savedmodels", m), join(ws, "run", m), { recursive: true });
  mkdirSync(join(ws, "models", "broken_model"), { recursive: true });
  // A length-delimited field claiming more bytes than the file has: a truncated saved_model.pb.
  writeFileSync(join(ws, "models", "broken_model", "saved_model.pb"), Uint8Array.of(0x12, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02));
  mkdirSync(join(ws, "inputs"), { recursive: true });
  cpSync(join(fixtures, "cases/serving_half_plus_two_cpu__serving_default/inputs/x.npy"), join(ws, "inputs", "x.npy"));
  cpSync(join(fixtures, "cases/keras_mnist__serving_default/inputs/conv2d_input.npy"), join(ws, "inputs", "conv2d_input.npy"));
  const int64Case = join(fixtures, "cases/tfjs_int64_multiply__serving_default/inputs");
  const int64File = readdirSync(int64Case).find((f) => f.endsWith(".npy"));
  cpSync(join(int64Case, int64File), join(ws, "inputs", "int64_x.npy"));
  // a real app's committed Keras model (MIT, test/fixtures/keras-files/README.md): the Python rules read it from disk
  cpSync(join(root, "test/fixtures/keras-files/siamese_model.keras"), join(ws, "apps", "models", "siamese_model.keras"));
  mkdirSync(join(ws, "out"), { recursive: true });
  return ws;
}

function startServer(main, base, suite, env) {
  const flags = [
    main,
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--without-connection-token",
    "--accept-server-license-terms",
    "--enable-smoke-test-driver",
    "--disable-telemetry",
    "--server-data-dir",
    join(base, "server-data"),
    "--user-data-dir",
    join(base, "user-data"),
    "--extensions-dir",
    join(base, "extensions"),
  ];
  if (suite === "trusted") flags.push("--disable-workspace-trust");
  const child = spawn(process.execPath, flags, { detached: true, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const port = new Promise((resolvePort, reject) => {
    const onData = (d) => {
      out += d.toString();
      const m = /Extension host agent listening on (\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (out += d.toString()));
    child.on("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${out.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`server did not start in 60 s:\n${out.slice(-2000)}`)), 60_000);
  });
  return { child, port, output: () => out };
}

/**
 * Runs a probe from a test in the workbench page: finds the frame holding `frame.selector` (with
 * `frame.text`, if given) — webviews are nested iframes — then runs the steps in it and returns one value
 * per step: wait (selector appears; null), click (null), count (number of matches), text (textContent of
 * the first match), attrs ([selector, attribute]: the attribute of every match), shot (page screenshot <shotsDir>/<name>.png when --screenshots was given; null).
 * Everything polls (playwright's auto-waiting) within `timeoutMs` in all.
 */
async function probe(page, spec) {
  const end = Date.now() + (spec.timeoutMs ?? 60_000);
  const left = () => Math.max(1_000, end - Date.now());
  let frame;
  while (!frame) {
    for (const f of page.frames()) {
      const n = await f
        .locator(spec.frame.selector, spec.frame.text ? { hasText: spec.frame.text } : {})
        .count()
        .catch(() => 0);
      if (n > 0) {
        frame = f;
        break;
      }
    }
    if (frame) break;
    if (Date.now() > end)
      throw new Error(`no frame has ${spec.frame.selector}${spec.frame.text ? ` with text ${JSON.stringify(spec.frame.text)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const values = [];
  for (const step of spec.steps) {
    if (step.wait)
      values.push(
        await frame
          .locator(step.wait)
          .first()
          .waitFor({ timeout: left() })
          .then(() => null),
      );
    else if (step.click)
      values.push(
        await frame
          .locator(step.click)
          .first()
          .click({ timeout: left() })
          .then(() => null),
      );
    else if (step.count) values.push(await frame.locator(step.count).count());
    else if (step.text) values.push(await frame.locator(step.text).first().textContent({ timeout: left() }));
    else if (step.fill)
      values.push(
        await frame
          .locator(step.fill[0])
          .first()
          .fill(step.fill[1], { timeout: left() })
          .then(() => null),
      );
    else if (step.attrs)
      values.push(await frame.locator(step.attrs[0]).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), step.attrs[1]));
    else if (step.shot) {
      if (shotsDir) {
        mkdirSync(shotsDir, { recursive: true });
        await page.screenshot({ path: join(shotsDir, `${step.shot}.png`) });
        log(`screenshot ${join(shotsDir, `${step.shot}.png`)}`);
      }
      values.push(null);
    } else throw new Error(`unknown probe step ${JSON.stringify(step)}`);
  }
  return values;
}

function killGroup(child) {
  if (child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** The UI suite: start.mjs --smoke drives the workbench like a user (palette → Run Signature → results). */
async function runUiSuite() {
  const t0 = Date.now();
  const base = mkdtempSync(join(tmpdir(), "sms-it-ui-"));
  const port = await new Promise((r) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const p = srv.address().port;
      srv.close(() => r(p));
    });
  });
  const shot = shotsDir ? join(shotsDir, "run-results.png") : undefined;
  const r = spawnSync(
    process.execPath,
    [join(root, "scripts/integration/start.mjs"), "--smoke", ...(shot ? [shot] : []), "--port", String(port), "--state", base],
    { stdio: "inherit", timeout: TIMEOUT_MS },
  );
  if (!keep) rmSync(base, { recursive: true, force: true });
  const code = r.status ?? 1;
  const line = `SavedModel Studio integration (ui): ${code === 0 ? "1 passed, 0 failed" : "0 passed, 1 failed"}`;
  console.log(line);
  countLine(line);
  log(`suite ui: exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

/**
 * The web passes test the packaged extension, the one file users install: `vsce package` of this build
 * (the .vscodeignore allowlist decides what is in it), installed into the server's extensions folder; the
 * installed folder is also the development path the tests are run from, so they load its files only.
 */
let vsixFile;
function installVsix(main, base, env) {
  if (!vsixFile) {
    vsixFile = join(tmpdir(), `sms-it-${process.pid}.vsix`);
    const vsce = [join(root, "node_modules/@vscode/vsce/vsce"), "package", "--no-dependencies", "--allow-missing-repository"];
    const r = spawnSync(process.execPath, [...vsce, "--skip-license", "--no-rewrite-relative-links", "--out", vsixFile], {
      cwd: root,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
    log(`packaged ${/\((\d+ files, [^)]*)\)/.exec(r.stdout)?.[1] ?? "the extension"} for the web passes`);
  }
  const flags = ["--install-extension", vsixFile, "--extensions-dir", join(base, "extensions"), "--accept-server-license-terms"];
  const r = spawnSync(process.execPath, [main, ...flags], { env, encoding: "utf8" });
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`installing the .vsix failed:\n${r.stdout}\n${r.stderr}`);
}

/** The folder the .vsix was installed into (the extension's files exactly as packaged). */
function installedExtension(base) {
  const dir = readdirSync(join(base, "extensions")).find((d) => d.startsWith(`${EXTENSION_ID}-`));
  if (!dir) throw new Error(`the .vsix did not install ${EXTENSION_ID}`);
  // A copy with the test bundle inside: VS Code runs a test bundle in the extension host of the
  // development extension whose folder holds it (here the web-worker host), not from an installed folder.
  const copy = join(base, "vsix-extension");
  cpSync(join(base, "extensions", dir), copy, { recursive: true });
  cpSync(join(root, "out/integration/web.js"), join(copy, "out/integration/web.js"));
  return copy;
}

async function runSuite(suite, main, host) {
  if (suite === "ui") return runUiSuite();
  const base = mkdtempSync(join(tmpdir(), `sms-it-${suite}-`));
  const ws = makeWorkspace(base);
  const sync = join(base, "sync");
  mkdirSync(sync);
  mkdirSync(join(base, "user-data", "User"), { recursive: true });
  writeFileSync(
    join(base, "user-data", "User", "settings.json"),
    JSON.stringify({
      "workbench.startupEditor": "none",
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      "workbench.tips.enabled": false,
      "security.workspace.trust.startupPrompt": "never",
      "chat.commandCenter.enabled": false,
      ...(host !== "node" ? { "remote.extensionKind": { [EXTENSION_ID]: ["web"] } } : {}),
    }),
  );
  const home = join(base, "home");
  mkdirSync(home);
  const env = { ...process.env, HOME: home, TMPDIR: base, SMS_SUITE: suite, SMS_WORKSPACE: ws, SMS_FIXTURES: fixtures, SMS_SYNC_DIR: sync };
  const isolated = host === "web-isolated";
  bridge?.setEnv({
    SMS_SUITE: suite,
    SMS_WORKSPACE: ws,
    SMS_FIXTURES: fixtures,
    SMS_SYNC_DIR: sync,
    SMS_HOST: host === "node" ? "node" : "web",
    SMS_ISOLATED: isolated ? "1" : "",
  });
  delete env.ELECTRON_RUN_AS_NODE;
  const t0 = Date.now();
  if (host !== "node") installVsix(main, base, env);
  const server = startServer(main, base, suite, env);
  let browser;
  let proxy;
  let code = 1;
  try {
    const serverPort = await server.port;
    proxy = isolated ? await startIsolatingProxy(serverPort) : undefined;
    // The page (and the remote authority) is the proxy's when isolating.
    const port = proxy?.port ?? serverPort;
    browser = await launchChromium({ env: { ...process.env, HOME: home } });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const done = new Promise((resolveDone) => {
      void page.exposeFunction("codeAutomationLog", (type, a) => {
        const line = format(...(Array.isArray(a) ? a : [a]));
        if (NOISE.some((r) => r.test(line))) return;
        countLine(line);
        (type === "error" ? console.error : console.log)(line);
      });
      void page.exposeFunction("codeAutomationExit", (c) => resolveDone(Number(c)));
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const devPath = host === "node" ? root : installedExtension(base);
    const testsPath = host === "node" ? join(root, "out/integration/index.js") : join(devPath, "out/integration/web.js");
    const payload = [
      ["extensionDevelopmentPath", remote(devPath)],
      ["extensionTestsPath", remote(testsPath)],
      ["skipWelcome", "true"],
    ];
    // The untrusted suite also opens a second folder: a multi-root workspace.
    let target = `folder=${encodeURIComponent(ws)}`;
    if (suite === "untrusted") {
      const second = join(base, "second-folder");
      cpSync(join(fixtures, "savedmodels", "tfjs_times_three_float"), join(second, "times_three"), { recursive: true });
      const file = join(base, "multi.code-workspace");
      writeFileSync(file, JSON.stringify({ folders: [{ path: ws }, { path: second }] }));
      target = `workspace=${encodeURIComponent(file)}`;
    }
    const url = `http://127.0.0.1:${port}/?${target}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    let finished = false;
    // Requests from the tests in the extension host (test/integration/env.ts), through files in `sync`:
    // <name>.probe (JSON, see probe()) is answered with <name>.result; <name>.request (a screenshot) with
    // <name>.done, at once when no --screenshots folder was given.
    const shots = (async () => {
      while (!finished) {
        for (const f of readdirSync(sync).filter((n) => n.endsWith(".probe"))) {
          const name = f.replace(/\.probe$/, "");
          const spec = JSON.parse(readFileSync(join(sync, f), "utf8"));
          rmSync(join(sync, f));
          const result = await probe(page, spec).then(
            (values) => ({ values }),
            (e) => ({
              error: String(e?.message ?? e)
                .split("\n")
                .slice(0, 8)
                .join("\n"),
            }),
          );
          writeFileSync(join(sync, `${name}.result.tmp`), JSON.stringify(result));
          renameSync(join(sync, `${name}.result.tmp`), join(sync, `${name}.result`));
        }
        for (const f of readdirSync(sync).filter((n) => n.endsWith(".request"))) {
          const name = f.replace(/\.request$/, "");
          const req = JSON.parse(readFileSync(join(sync, f), "utf8") || "{}");
          rmSync(join(sync, f));
          if (!shotsDir) {
            writeFileSync(join(sync, `${name}.done`), "");
            continue;
          }
          // Collapse the named Explorer sections so the view being shown gets the room.
          for (const title of req.collapse ?? []) {
            const header = page.locator(".pane-header", { hasText: title }).first();
            // Click the twistie end of the header: its right end holds action buttons.
            if ((await header.count()) > 0 && (await header.getAttribute("aria-expanded")) === "true")
              await header.click({ position: { x: 8, y: 8 } });
          }
          if (req.widenSidebar) {
            const box = await page.locator(".part.sidebar").first().boundingBox();
            if (box) {
              const y = box.y + box.height / 2;
              await page.mouse.move(box.x + box.width - 1, y);
              await page.mouse.down();
              await page.mouse.move(box.x + box.width + req.widenSidebar, y, { steps: 5 });
              await page.mouse.up();
              await page.mouse.move(box.x + box.width + req.widenSidebar + 400, y); // off the sash
              await page.waitForTimeout(300);
            }
          }
          mkdirSync(shotsDir, { recursive: true });
          await page.waitForTimeout(400); // let the workbench paint the state the test just set up
          await page.screenshot({ path: join(shotsDir, `${name}.png`) });
          log(`screenshot ${join(shotsDir, `${name}.png`)}`);
          writeFileSync(join(sync, `${name}.done`), "");
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    code = await Promise.race([done, new Promise((r) => setTimeout(() => r(124), TIMEOUT_MS))]);
    finished = true;
    await shots;
    if (code === 124) log(`suite ${suite} timed out after ${TIMEOUT_MS} ms`);
  } catch (e) {
    console.error(e);
    console.error(server.output().slice(-3000));
  } finally {
    await browser?.close().catch(() => undefined);
    proxy?.close();
    killGroup(server.child);
    if (!keep) rmSync(base, { recursive: true, force: true });
    else log(`kept ${base}`);
  }
  log(`suite ${suite}${host === "node" ? "" : ` (${host} worker host)`}: exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

const main = serverMain();
await build();
const t0 = Date.now();
let failed = 0;
for (const [host, s] of runs) if ((await runSuite(s, main, host)) !== 0) failed++;
log(`${runs.length - failed} of ${runs.length} suite(s) passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
// A suite that crashed before reporting counts as one failure.
if (failed > 0 && totals.failed === 0) totals.failed = failed;
bridge?.close();
console.log(`integration: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed === 0 ? 0 : 1);
