/**
 * extensionTestsPath entry of the web pass (run.mjs `--host web`): the same suites as the node host's
 * trusted pass where the web build offers the feature, run in the web-worker extension host. Debug
 * Signature and Run with Trace are desktop-only (src/web/desktopOnly.ts), and so are the Python / JS language
 * features (the browser language server serves pbtxt).
 */
import { runAll, skipMatching } from "../harness.js";
import { isolated } from "../env.js";

export async function run(): Promise<void> {
  // Behind the isolating proxy (SharedArrayBuffer, threads) only Run Signature differs from the web pass.
  if (isolated)
    skipMatching(/^(?!activates|Run Signature|the backend setting)/, "ran in the web pass (cross-origin isolation changes Run only)");
  skipMatching(/^1,000 models/, "the discovery scale test runs in the node pass (same discovery code)");
  skipMatching(/^Run with Trace/, "desktop-only: records from input files through Node (src/web/desktopOnly.ts)");
  skipMatching(
    /^Save Outputs and `savedmodel run --outdir`/,
    "starts the CLI (bin/savedmodel.js) with Node: no processes in the web-worker host",
  );
  await import("../trusted.suite.js");
  await import("../editor.suite.js");
  await import("../results.suite.js");
  skipMatching(/^(hover in Python client code|Python:)/, "desktop-only: the Python / JS checks run in the Node language server");
  await import("../language.suite.js");
  await runAll(`SavedModel Studio integration (web worker host${isolated ? ", cross-origin isolated" : ""})`);
}
