/**
 * Entry point of the extension host bundle. Activation only wires things up: discovery starts in the
 * background, and the SavedModel reader, protobuf schemas, tfjs and the engine load on first use.
 */
import * as vscode from "vscode";
import { commands } from "./commands.js";
import { Ctx } from "./ctx.js";
import { registerDebugAdapter } from "./debug/debugSignature.js";
import { SavedModelEditorProvider } from "./editor/savedModelEditor.js";
import { LanguageClientHost } from "./lsp.js";
import type { ModelEntry } from "./models.js";
import { readerPart } from "./lazy.js";
import { configureParts } from "./parts.js";
import { saveOutputs } from "./run/runSignature.js";
import type { Node } from "./tree.js";

/** What `activate` returns: used by the integration tests (and any extension that depends on us). */
export interface StudioApi {
  /** Resolves when the current discovery pass has finished. */
  whenDiscovered(): Promise<void>;
  models(): readonly ModelEntry[];
  /** The tree's children, through the real TreeDataProvider. */
  children(node?: Node): Promise<Node[]>;
  treeItem(node: Node): vscode.TreeItem;
  /** Reveals a node in the SavedModels view. */
  reveal(node: Node, options?: { select?: boolean; focus?: boolean; expand?: boolean | number }): Thenable<void>;
  /** Milliseconds spent in activate(). */
  readonly activationMs: number;
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): StudioApi {
  const t0 = performance.now();
  const c = new Ctx(context, (cx, r) => saveOutputs(cx, r, undefined, "ask"));
  ctx = c;
  context.subscriptions.push(c);
  configureParts(vscode.Uri.joinPath(context.extensionUri, "dist").fsPath, (message) => {
    c.log.error(message);
    void vscode.window.showErrorMessage(message, "Show Output").then((pick) => pick && c.log.show(true));
  });
  for (const [id, factory] of Object.entries(commands)) {
    c.own(vscode.commands.registerCommand(id, factory(c) as (...args: unknown[]) => unknown));
  }
  c.own(SavedModelEditorProvider.register(context, c.registry));
  c.own(registerDebugAdapter());
  registerLazyPbtxtCommands(c, context);
  // Started on the first Python / JS / TS / request.json / pbtxt document, not now.
  c.own(new LanguageClientHost(context, c.log));
  void vscode.commands.executeCommand("setContext", "savedmodelStudio.discovering", true);
  // Discovery never blocks activation.
  setTimeout(() => void c.registry.refresh(), 0);
  const activationMs = performance.now() - t0;
  c.log.info(`activated in ${activationMs.toFixed(1)} ms (VS Code ${vscode.version}, ${vscode.env.appHost})`);
  return {
    whenDiscovered: async () => {
      // refresh() starts on the next tick: wait for it, then for the pass.
      await new Promise((r) => setTimeout(r, 0));
      await c.registry.whenDiscovered();
    },
    models: () => c.registry.models(),
    children: (node?: Node) => c.tree.getChildren(node),
    treeItem: (node: Node) => c.tree.getTreeItem(node),
    reveal: (node, options) => c.view.reveal(node, options),
    activationMs,
  };
}

/** pb <-> pbtxt conversion ids (src/extension/pbtxt), registered for real on first use. */
const PBTXT_COMMANDS = ["savedmodelStudio.convertToPbtxt", "savedmodelStudio.convertToPb"] as const;

/**
 * The conversion commands need the protobuf schemas (dist/reader.js). Activation registers proxies;
 * the first invocation swaps them for the real commands and re-runs the call.
 */
function registerLazyPbtxtCommands(c: Ctx, context: vscode.ExtensionContext): void {
  let loading: Promise<void> | undefined;
  const proxies = PBTXT_COMMANDS.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      loading ??= (async () => {
        for (const p of proxies) p.dispose();
        // The language server formats pbtxt documents itself: no second formatter here.
        for (const d of (await readerPart()).registerPbtxtCommands(context, { formatter: false })) c.own(d);
      })();
      await loading;
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  for (const p of proxies) c.own(p);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
