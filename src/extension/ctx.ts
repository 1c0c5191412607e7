/**
 * The extension's context (GUIDE §2.6, §2.14): settings, log, model registry, tree, engine, panels.
 * Owns every disposable; commands get it injected.
 */
import * as vscode from "vscode";
import { Config } from "./config.js";
import { guardChannel } from "./guardChannel.js";
import { ModelRegistry } from "./models.js";
import { EngineHost } from "./run/engine.js";
import { ResultsPanels, type RunRecord } from "./run/results.js";
import { ModelTreeProvider, VIEW_ID, type Node } from "./tree.js";
import { VirtualDocs } from "./virtualDocs.js";

export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly log: vscode.LogOutputChannel;
  readonly registry: ModelRegistry;
  readonly tree: ModelTreeProvider;
  readonly view: vscode.TreeView<Node>;
  readonly engine: EngineHost;
  readonly results: ResultsPanels;
  readonly docs: VirtualDocs;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly extension: vscode.ExtensionContext,
    saveOutputs: (ctx: Ctx, r: RunRecord) => Promise<unknown>,
  ) {
    this.log = this.own(guardChannel(vscode.window.createOutputChannel("SavedModel Studio", { log: true })));
    this.registry = this.own(new ModelRegistry(this.config));
    this.tree = this.own(new ModelTreeProvider(this.registry));
    this.view = this.own(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true }));
    this.engine = this.own(new EngineHost(vscode.Uri.joinPath(extension.extensionUri, "dist").fsPath));
    this.results = this.own(
      new ResultsPanels(
        extension.extensionUri,
        () => this.config.preview,
        (r) => saveOutputs(this, r),
        (m) => this.log.warn(m),
      ),
    );
    this.docs = this.own(new VirtualDocs(this));
    this.own(vscode.workspace.registerTextDocumentContentProvider(VirtualDocs.scheme, this.docs));
    this.own(
      Config.onDidChange((e) => {
        if (e.affectsConfiguration("savedmodelStudio.exclude")) void this.registry.refresh();
      }),
    );
    let discovering: boolean | undefined;
    this.own(
      this.registry.onDidChange((e) => {
        if (e) {
          if (e.state.kind === "pending") this.engine.invalidate(e.id); // changed on disk
          return;
        }
        if (discovering !== this.registry.discovering) {
          discovering = this.registry.discovering;
          void vscode.commands.executeCommand("setContext", "savedmodelStudio.discovering", discovering);
        }
      }),
    );
  }

  own<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) {
      try {
        d.dispose();
      } catch {
        // keep disposing the rest
      }
    }
    this.disposables.length = 0;
  }
}
