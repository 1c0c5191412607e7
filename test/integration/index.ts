/**
 * extensionTestsPath entry: VS Code calls `run()` inside the real extension host. The suite is chosen
 * by SMS_SUITE (trusted | untrusted); the launcher runs each in its own server and workbench.
 */
import { runAll } from "./harness.js";
import { suite } from "./env.js";

export async function run(): Promise<void> {
  if (suite === "untrusted") await import("./untrusted.suite.js");
  else {
    await import("./trusted.suite.js");
    await import("./editor.suite.js");
    await import("./results.suite.js");
    await import("./debug.suite.js");
    await import("./hostile.suite.js");
    await import("./language.suite.js");
  }
  await runAll(`SavedModel Studio integration (${suite} workspace)`);
}
