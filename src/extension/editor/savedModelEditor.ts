/**
 * Custom readonly editor for saved_model.pb / saved_model.pbtxt (GUIDE §2.5): a document wrapping the
 * pure EditorSession, a provider that validates every webview message (protocol/editor.ts) and posts
 * exactly one response per request. Strict CSP with a nonce; resources only from dist/ and media/.
 * Decoding happens per request: opening the editor reads the model's head, the graph is decoded the
 * first time a view needs it.
 */
import * as vscode from "vscode";
import type { DirEntry, FileStat, ModelSource } from "../../core/io.js";
import { describeError } from "../../core/errors.js";
import type { RunOverlay } from "../../editor-model/overlay.js";
import type { SavedModelReader } from "../../core/savedmodel/reader.js";
import type { EditorSession, HostActions, Reveal } from "../../editor-model/session.js";
import type { ModelEntry, ModelRegistry } from "../models.js";
import { readerPart } from "../lazy.js";
import { nonce } from "../nonce.js";
import { checkFiles } from "../parts.js";
import { parseRequest, ProtocolError, type Request, type Response } from "../../protocol/editor.js";
import { servingModelName, signatureSnippet } from "../snippets.js";
import { sourceRootFor } from "../sources.js";

const MODEL_NAMES = new Set(["saved_model.pb", "saved_model.pbtxt"]);

/** Serves another file under the name saved_model.pb, so any .pb can be opened as a SavedModel. */
class AliasSource implements ModelSource {
  constructor(
    private readonly inner: ModelSource,
    private readonly alias: string,
    private readonly actual: string,
  ) {}
  private map(p: string): string {
    return p === this.alias ? this.actual : p;
  }
  stat(p: string): Promise<FileStat | undefined> {
    return this.inner.stat(this.map(p));
  }
  read(p: string, offset?: number, length?: number): Promise<Uint8Array> {
    return this.inner.read(this.map(p), offset, length);
  }
  list(dir: string): Promise<DirEntry[]> {
    return this.inner.list(dir);
  }
  confine(dir: string): ModelSource {
    return new AliasSource(this.inner.confine?.(dir) ?? this.inner, this.alias, this.actual);
  }
}

/** A renamed .pb opened as a SavedModel: a reader of its own over an alias, outside the registry. */
async function openRenamed(uri: vscode.Uri): Promise<SavedModelReader> {
  const root = sourceRootFor(uri);
  const dir = root.pathOf(vscode.Uri.joinPath(uri, ".."));
  const { SavedModelReader } = await readerPart();
  return SavedModelReader.open(new AliasSource(root.source, `${dir}/saved_model.pb`, root.pathOf(uri)), dir);
}

export class SavedModelDocument implements vscode.CustomDocument {
  /** Resolves to the session, or rejects with the reason the model cannot be opened. */
  readonly session: Promise<EditorSession>;
  readonly dirUri: vscode.Uri;
  /** The host's entry for this model (models.ts), shared with the tree and Run; none for a renamed .pb. */
  readonly model: ModelEntry | undefined;

  constructor(
    readonly uri: vscode.Uri,
    models: ModelRegistry,
    actions: (doc: SavedModelDocument) => HostActions,
  ) {
    const dirUri = vscode.Uri.joinPath(uri, "..");
    this.dirUri = dirUri;
    const name = uri.path.slice(uri.path.lastIndexOf("/") + 1);
    this.model = MODEL_NAMES.has(name) ? models.open(dirUri) : undefined;
    this.session = (async () => {
      // The reader and the view models live in dist/reader.js: opening an editor loads them, activation does not.
      const { EditorSession } = await readerPart();
      const reader = this.model ? await this.model.reader() : await openRenamed(uri);
      const title = vscode.workspace.asRelativePath(uri, true);
      return new EditorSession(reader, title, actions(this));
    })();
    this.session.catch(() => undefined); // reported to the webview on its first request
  }

  /** Set by the provider: forget this document when VS Code closes it. */
  onDispose: (() => void) | undefined;

  dispose(): void {
    this.onDispose?.();
  }
}

/** The editor's page when its own UI bundle is missing: the reason, no script. */
function missingPartHtml(message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>
<body><p role="alert" class="missing-part">${text}</p></body></html>`;
}

export class SavedModelEditorProvider implements vscode.CustomReadonlyEditorProvider<SavedModelDocument> {
  static readonly viewType = "savedmodelStudio.modelEditor";
  /** Command that runs a signature (contributed by the extension's command table). */
  static readonly runCommand = "savedmodelStudio.runSignature";

  /**
   * Same editor under a second id: a custom editor contribution has one priority for all its
   * selectors, so `saved_model.pbtxt` and other `.pb` files (priority "option") need their own entry.
   */
  static readonly optionViewType = "savedmodelStudio.modelEditor.option";

  static register(context: vscode.ExtensionContext, models: ModelRegistry): vscode.Disposable {
    const provider = new SavedModelEditorProvider(context, models);
    const opts = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(SavedModelEditorProvider.viewType, provider, opts),
      vscode.window.registerCustomEditorProvider(SavedModelEditorProvider.optionViewType, provider, opts),
    );
  }

  /** Open documents by URI: where "Show in Graph" finds the editor to reveal a graph in. */
  private static readonly open = new Map<string, SavedModelDocument>();
  /** The last traced run per model folder, meta graph and signature (Run with Trace): overlaid on its graph. */
  private static readonly overlays = new Map<string, RunOverlay>();

  static setRunOverlay(modelDir: vscode.Uri, metaGraph: number, overlay: RunOverlay): void {
    SavedModelEditorProvider.overlays.set(JSON.stringify([modelDir.toString(), metaGraph, overlay.signature]), overlay);
  }

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly models: ModelRegistry,
  ) {}

  /**
   * Opens the model in `modelDir` (its saved_model.pb, else .pbtxt) in the model editor, or focuses it,
   * and shows `reveal` in its Graph tab, through the webview's `awaitReveal` long poll.
   */
  static async showGraph(modelDir: vscode.Uri, reveal: Reveal): Promise<void> {
    const files = [...MODEL_NAMES].map((n) => vscode.Uri.joinPath(modelDir, n));
    const file = (
      await Promise.all(
        files.map((f) =>
          vscode.workspace.fs.stat(f).then(
            () => f,
            () => undefined,
          ),
        ),
      )
    ).find(Boolean);
    if (!file) throw new Error(`${vscode.workspace.asRelativePath(modelDir)} holds no saved_model.pb or saved_model.pbtxt`);
    const viewType = file.path.endsWith("/saved_model.pb") ? SavedModelEditorProvider.viewType : SavedModelEditorProvider.optionViewType;
    await vscode.commands.executeCommand("vscode.openWith", file, viewType);
    const doc = SavedModelEditorProvider.open.get(file.toString());
    if (!doc) throw new Error(`${vscode.workspace.asRelativePath(file)} did not open in the model editor`);
    (await doc.session).reveal(reveal);
  }

  openCustomDocument(uri: vscode.Uri): SavedModelDocument {
    const doc = new SavedModelDocument(uri, this.models, (d) => this.actions(d));
    SavedModelEditorProvider.open.set(uri.toString(), doc);
    doc.onDispose = () => SavedModelEditorProvider.open.delete(uri.toString());
    return doc;
  }

  private actions(doc: SavedModelDocument): HostActions {
    const runOverlay = (metaGraph: number, signature: string) =>
      SavedModelEditorProvider.overlays.get(JSON.stringify([doc.dirUri.toString(), metaGraph, signature]));
    const signature = async (metaGraph: number, key: string) => {
      const reader = (await doc.session).reader;
      const mg = reader.metaGraphs()[metaGraph];
      const sig = mg?.signatures.find((s) => s.key === key);
      if (!mg || !sig) throw new Error(`no signature '${key}'`);
      return { mg, sig };
    };
    return {
      runOverlay,
      runSignature: async (s) => {
        const { mg } = await signature(s.metaGraph, s.key);
        await vscode.commands.executeCommand(SavedModelEditorProvider.runCommand, {
          model: doc.model ?? doc.dirUri.toString(),
          tags: [...mg.tags],
          signature: s.key,
          interactive: true,
        });
        return `Run ${s.key}`;
      },
      debugSignature: async (s) => {
        const { mg } = await signature(s.metaGraph, s.key);
        await vscode.commands.executeCommand("savedmodelStudio.debugSignature", {
          model: doc.model ?? doc.dirUri.toString(),
          tags: [...mg.tags],
          signature: s.key,
        });
        return `Debug ${s.key}`;
      },
      copyRequest: async (s) => {
        const { mg, sig } = await signature(s.metaGraph, s.key);
        const folder = vscode.workspace.getWorkspaceFolder(doc.dirUri);
        const rel = folder
          ? vscode.workspace.asRelativePath(doc.dirUri, false)
          : (doc.dirUri.path.split("/").filter(Boolean).pop() ?? "model");
        const text = signatureSnippet("rest", sig, mg.tags, servingModelName(rel === doc.dirUri.fsPath ? "" : rel, folder?.name ?? rel));
        await vscode.env.clipboard.writeText(text);
        return `Copied the TF Serving REST request for ${s.key}`;
      },
      copyText: async (text) => {
        await vscode.env.clipboard.writeText(text);
        return `Copied ${text.length} characters`;
      },
    };
  }

  async resolveCustomEditor(doc: SavedModelDocument, panel: vscode.WebviewPanel): Promise<void> {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, "dist");
    const media = vscode.Uri.joinPath(this.context.extensionUri, "media");
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    try {
      await checkFiles("webview.js", "codicons/codicon.css");
      webview.html = this.html(webview, dist, media);
    } catch (e) {
      // Reported (notification + Output) by parts.ts; the editor says it too instead of "Loading…".
      webview.html = missingPartHtml(e instanceof Error ? e.message : String(e));
      return;
    }
    const sub = webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(doc, webview, raw));
    panel.onDidDispose(() => sub.dispose());
  }

  private async onMessage(doc: SavedModelDocument, webview: vscode.Webview, raw: unknown): Promise<void> {
    let req: Request;
    try {
      req = parseRequest(raw);
    } catch (e) {
      const id =
        typeof raw === "object" && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id) ? (raw as { id: number }).id : 0;
      await webview.postMessage({
        id,
        kind: "error",
        code: "BAD_REQUEST",
        message: e instanceof ProtocolError ? e.message : "malformed message",
      } satisfies Response);
      return;
    }
    let res: Response;
    try {
      const session = await doc.session;
      res = { ...(await session.handle(req)), id: req.id };
    } catch (e) {
      res = { id: req.id, kind: "error", code: "OPEN_FAILED", message: describeError(e) };
    }
    await webview.postMessage(res);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
    const n = nonce();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
      // the layout worker is this bundle fetched from dist/ and started from a blob: URL
      `connect-src ${webview.cspSource}`,
      "worker-src blob:",
    ].join("; ");
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, "webview.js"));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(media, "editor", "editor.css"));
    const codicons = webview.asWebviewUri(vscode.Uri.joinPath(dist, "codicons", "codicon.css"));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons.toString()}">
<link rel="stylesheet" href="${css.toString()}">
<title>SavedModel</title>
</head>
<body>
<div id="root"><p>Loading…</p></div>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
