/**
 * Debug Signature in the real extension host: the `savedmodel` debug type starts the adapter (dist/debugAdapter.js, a process of its own),
 * an `op:MatMul` function breakpoint stops before keras_mnist's first MatMul, the stack and the
 * Computed scope read like the DAP suite (test/unit/debug/adapter.test.ts) says, and stepping works.
 * The Variables *view* itself is UI: check it with probePage (env.ts) on the debug viewlet's rows
 * (`.debug-view-content .monaco-list-row`) for `sequential/flatten/Reshape` and `float32[2, 576] min`.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as vscode from "vscode";
import { activate } from "./common.js";
import { fixtures, probePage, screenshot, wsPath } from "./env.js";
import { test, waitFor } from "./harness.js";

/** DAP events of the `savedmodel` sessions, seen through a tracker (no UI needed). */
const events: { event: string; body?: { reason?: string; description?: string } }[] = [];
let tracker: vscode.Disposable | undefined;

test("Debug Signature: op:MatMul stops before keras_mnist's first MatMul; the Computed scope holds its input", async () => {
  await activate();
  tracker = vscode.debug.registerDebugAdapterTrackerFactory("savedmodel", {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string; description?: string } }) => {
        if (m.type === "event" && m.event) events.push({ event: m.event, ...(m.body ? { body: m.body } : {}) });
      },
    }),
  });
  const bp = new vscode.FunctionBreakpoint("op:MatMul");
  vscode.debug.addBreakpoints([bp]);
  const folder = vscode.workspace.workspaceFolders![0]!;
  const input = path.join(fixtures, "cases", "keras_mnist__serving_default", "inputs", "conv2d_input.npy");
  const started = await vscode.debug.startDebugging(folder, {
    type: "savedmodel",
    request: "launch",
    name: "Debug keras_mnist",
    model: wsPath("editor", "keras_mnist"),
    signature: "serving_default",
    inputs: { conv2d_input: input },
  });
  assert.ok(started, "the session starts");
  await waitFor("a stop", () => events.find((e) => e.event === "stopped"), 60_000);
  const session = vscode.debug.activeDebugSession;
  assert.equal(session?.type, "savedmodel");
  const st = (await session.customRequest("stackTrace", { threadId: 1 })) as { stackFrames: { id: number; name: string }[] };
  assert.equal(st.stackFrames[0]?.name, "sequential/dense/MatMul (MatMul)");
  const scopes = (await session.customRequest("scopes", { frameId: st.stackFrames[0]!.id })) as {
    scopes: { name: string; variablesReference: number }[];
  };
  const computed = scopes.scopes.find((s) => s.name === "Computed")!;
  const vars = (await session.customRequest("variables", { variablesReference: computed.variablesReference })) as {
    variables: { name: string; value: string }[];
  };
  const reshape = vars.variables.find((v) => v.name === "sequential/flatten/Reshape");
  assert.match(reshape?.value ?? "", /^float32\[2, 576\] min /);
  // The Variables view of the Run and Debug viewlet shows the stopped node's inputs (first scope, expanded).
  await vscode.commands.executeCommand("workbench.view.debug");
  const [row] = (await probePage({ selector: ".debug-pane .monaco-list-row", text: "float32[2, 576] min" }, [
    { text: ".debug-pane .monaco-list-row" },
  ])) as [string];
  assert.ok(row !== null, "a Variables row");
  const [shown] = (await probePage({ selector: ".debug-pane", text: "float32[2, 576] min" }, [{ text: ".debug-pane" }])) as [string];
  assert.match(shown, /sequential\/flatten\/Reshape/);
  await screenshot("debug-signature", { widenSidebar: 220 });
  // A step, then run to the end.
  events.length = 0;
  await session.customRequest("next", { threadId: 1 });
  await waitFor("the step's stop", () => events.find((e) => e.event === "stopped"));
  vscode.debug.removeBreakpoints([bp]);
  await session.customRequest("continue", { threadId: 1 });
  await waitFor("the session ends", () => events.find((e) => e.event === "terminated"), 60_000);
}, 120_000);

test("Debug Signature: cleanup (tracker, sessions)", async () => {
  tracker?.dispose();
  await vscode.debug.stopDebugging();
});
