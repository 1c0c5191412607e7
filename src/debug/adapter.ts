/**
 * dist/debugAdapter.js: the `savedmodel` debug adapter. Run directly (`node dist/debugAdapter.js`) it
 * speaks DAP over stdin/stdout; required by the extension it only exports the session class (for
 * vscode.DebugAdapterInlineImplementation).
 */
import { DebugSession } from "@vscode/debugadapter";
import { SavedModelDebugSession } from "./session.js";

export { SavedModelDebugSession };

if (require.main === module) {
  // stdout carries the protocol: anything a dependency logs goes to stderr.
  console.log = console.info = console.warn = console.debug = (...a: unknown[]) => console.error(...a);
  DebugSession.run(SavedModelDebugSession);
}
