/**
 * Language server entry (dist/server.js): connection wiring only. Transport comes from the command
 * line (`--stdio`, `--node-ipc`, `--socket=<port>`), as vscode-languageserver reads it.
 *
 * Serves three kinds of documents, each through pure modules:
 *   Python        Keras save/load pitfalls (python/*) + signature assistance (client/*)
 *   JS/TS, *.request.json   signature and TF Serving REST assistance (client/*)
 *   pbtxt         protobuf text format: schema diagnostics, hover, outline, folding, formatting (pbtxt/*)
 *
 * initializationOptions: { wasmDir?: string; settings?: Partial<PythonSettings> }
 * configuration sections: "savedmodelStudio.python" { enable, kerasVersion: "auto"|"2"|"3", checkModelsOnDisk },
 * "savedmodelStudio.client" { modelRoots }, "savedmodelStudio.serving" { models }
 */
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  FileChangeType,
  FoldingRangeRequest,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CLIENT_CAPABILITIES, loadClientSettings, registerClientAssist, type ClientRegistration } from "./client/register.js";
import { clientSettingsFrom, type ClientSettings } from "./client/assist.js";
import * as pbtxt from "./pbtxt/index.js";
import { codeActionsFor, DEFAULT_SETTINGS, type PythonSettings } from "./python/analyze.js";
import { createPythonParser } from "./python/parser.js";
import { INDEX_LIMITS, isIndexed } from "./python-index.js";
import { uriToPath, PythonWorkspace } from "./workspace.js";

const SECTION = "savedmodelStudio.python";
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspace: PythonWorkspace | undefined;
let settings: PythonSettings = DEFAULT_SETTINGS;
let pullConfiguration = false;
let watchDynamically = false;
/** The client registers pbtxt-only features for a pbtxt selector (so Python/JS files get no empty outline or formatter). */
let registerPbtxtDynamically = false;
const timers = new Map<string, NodeJS.Timeout>();
let clientReg: ClientRegistration | undefined;
let clientSettings: ClientSettings = clientSettingsFrom(undefined, undefined);

function mergeSettings(raw: unknown): PythonSettings {
  const r = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  return {
    enable: typeof r["enable"] === "boolean" ? r["enable"] : DEFAULT_SETTINGS.enable,
    kerasVersion: r["kerasVersion"] === "2" || r["kerasVersion"] === "3" ? r["kerasVersion"] : "auto",
    checkModelsOnDisk: typeof r["checkModelsOnDisk"] === "boolean" ? r["checkModelsOnDisk"] : DEFAULT_SETTINGS.checkModelsOnDisk,
  };
}

function isPython(doc: TextDocument): boolean {
  return doc.languageId === "python" || doc.uri.endsWith(".py");
}

function isPbtxt(doc: TextDocument): boolean {
  return doc.languageId === "pbtxt" || /\.(pbtxt|pbtext|textproto|txtpb|prototxt)$/i.test(doc.uri);
}

function validate(uri: string): void {
  const doc = documents.get(uri);
  if (!workspace || !doc) return;
  if (isPbtxt(doc)) {
    try {
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: pbtxt.diagnostics(doc.getText(), uri) });
    } catch (e) {
      connection.console.error(`pbtxt analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    return;
  }
  if (!isPython(doc)) return;
  try {
    const result = workspace.analyze(uri, settings);
    // a training script's saves changed: serving scripts that load the same paths are re-checked
    if (workspace.savesChanged) for (const other of workspace.uris()) if (other !== uri) schedule(other);
    const keras = result?.findings.map((f) => f.diagnostic) ?? [];
    // One publish replaces all of a document's diagnostics: merge the Keras rules with client assistance.
    const version = doc.version;
    const assist = clientReg ? clientReg.assist.diagnose(doc) : Promise.resolve([]);
    assist.then(
      (client) => {
        if (documents.get(uri)?.version === version) void connection.sendDiagnostics({ uri, version, diagnostics: [...keras, ...client] });
      },
      (e: unknown) => {
        connection.console.error(`client assistance of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void connection.sendDiagnostics({ uri, version, diagnostics: keras });
      },
    );
  } catch (e) {
    connection.console.error(`analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

function schedule(uri: string, delayMs = 120): void {
  clearTimeout(timers.get(uri));
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      validate(uri);
    }, delayMs),
  );
}

function revalidateAll(): void {
  for (const uri of workspace?.uris() ?? []) schedule(uri, 0);
}

/** Re-walks the workspace's Python files (python-index.ts), then re-checks the open documents against them. */
async function reindex(): Promise<void> {
  if (!workspace) return;
  workspace.settings = settings;
  let s;
  try {
    s = await workspace.index.rebuild(settings.enable ? workspace.roots : []);
  } catch (e) {
    connection.console.error(`Python index failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return;
  }
  if (s.cancelled) return;
  const notes = [
    s.truncated ? `stopped after ${s.files} files (limits: ${INDEX_LIMITS.files} files, ${INDEX_LIMITS.dirs} folders)` : "",
    s.skipped ? `${s.skipped} skipped (unreadable or over the size limit)` : "",
  ];
  connection.console.info(
    `Python index: ${s.analysed} Keras files of ${s.files} Python files and notebooks in ${s.ms} ms${notes
      .filter(Boolean)
      .map((n) => `; ${n}`)
      .join("")}`,
  );
  revalidateAll();
}

/** A watched Python file or notebook changed on disk: the index follows; open documents are re-checked when it matters to them. */
async function pythonFileChanged(file: string, type: FileChangeType): Promise<boolean> {
  if (!workspace) return false;
  return type === FileChangeType.Deleted ? workspace.index.remove(file) : workspace.index.refresh(file);
}

connection.onInitialize(async (params: InitializeParams) => {
  const init = (params.initializationOptions ?? {}) as { wasmDir?: unknown; settings?: unknown };
  settings = mergeSettings(init.settings);
  pullConfiguration = params.capabilities.workspace?.configuration === true;
  watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  const td = params.capabilities.textDocument;
  registerPbtxtDynamically =
    td?.formatting?.dynamicRegistration === true &&
    td.documentSymbol?.dynamicRegistration === true &&
    td.foldingRange?.dynamicRegistration === true;
  const parser = await createPythonParser(typeof init.wasmDir === "string" ? { wasmDir: init.wasmDir } : {});
  workspace = new PythonWorkspace(parser, revalidateAll);
  workspace.roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
  workspace.models.onDidChange(revalidateAll);
  const ws = workspace;
  clientReg = await registerClientAssist(
    connection,
    documents,
    { roots: () => ws.roots, settings: () => clientSettings },
    typeof init.wasmDir === "string" ? { wasmDir: init.wasmDir } : {},
  );
  // Hovers: pbtxt documents answer from the schema/op table, the rest from client assistance.
  const reg = clientReg;
  connection.onHover(async (p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    if (isPbtxt(doc)) return pbtxt.hover(doc.getText(), p.position, doc.uri);
    try {
      return await reg.assist.hover(doc, p.position);
    } catch (e) {
      connection.console.error(`hover in ${doc.uri} failed: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  });
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      ...CLIENT_CAPABILITIES,
      // Static only for clients without dynamic registration (they get them for every document).
      ...(registerPbtxtDynamically ? {} : { documentSymbolProvider: true, foldingRangeProvider: true, documentFormattingProvider: true }),
      codeActionProvider: { codeActionKinds: ["quickfix"] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: "savedmodel-studio-python" },
  };
});

connection.onInitialized(async () => {
  if (pullConfiguration) {
    settings = mergeSettings(await connection.workspace.getConfiguration(SECTION));
    clientSettings = await loadClientSettings(connection);
    clientReg?.refresh();
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      if (!workspace) return;
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      workspace.roots = [
        ...workspace.roots.filter((r) => !removed.has(r)),
        ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined),
      ];
      revalidateAll();
      void reindex();
    });
  }
  if (registerPbtxtDynamically) {
    const documentSelector = [{ language: "pbtxt" }];
    await Promise.all([
      connection.client.register(DocumentFormattingRequest.type, { documentSelector }),
      connection.client.register(DocumentSymbolRequest.type, { documentSelector }),
      connection.client.register(FoldingRangeRequest.type, { documentSelector }),
    ]);
  }
  if (watchDynamically) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: "**/{saved_model.pb,saved_model.pbtxt,keras_metadata.pb,requirements*.txt,pyproject.toml,setup.cfg,*.py,*.ipynb}" },
      ],
    });
  }
  void reindex();
  connection.console.info(`SavedModel Studio Python server ready (keras version setting: ${settings.kerasVersion})`);
});

connection.onDidChangeConfiguration(async (change) => {
  const section = (change.settings as Record<string, unknown> | undefined)?.["savedModelStudio"] as Record<string, unknown> | undefined;
  settings = pullConfiguration ? mergeSettings(await connection.workspace.getConfiguration(SECTION)) : mergeSettings(section?.["python"]);
  clientSettings = pullConfiguration ? await loadClientSettings(connection) : clientSettingsFrom(section?.["client"], section?.["serving"]);
  clientReg?.refresh();
  revalidateAll();
  void reindex();
});

connection.onDidChangeWatchedFiles(async (e) => {
  if (!workspace) return;
  const python: Promise<boolean>[] = [];
  let other = false;
  for (const c of e.changes) {
    const p = uriToPath(c.uri);
    if (!p) continue;
    if (isIndexed(p)) python.push(pythonFileChanged(p, c.type));
    else if (/(saved_model\.pbtxt?|keras_metadata\.pb)$/.test(p)) {
      const dir = p.slice(0, p.lastIndexOf("/"));
      workspace.models.invalidate(dir);
      clientReg?.invalidate(dir);
      other = true;
    } else {
      workspace.invalidateProjectFiles();
      other = true;
    }
  }
  const changed = (await Promise.all(python)).some(Boolean);
  if (other || changed) revalidateAll();
});

// Fires on open too: the first analysis of a document runs at once, later ones are debounced.
documents.onDidChangeContent((e) => {
  if (!workspace) return;
  if (isPbtxt(e.document)) {
    schedule(e.document.uri, 150);
    return;
  }
  if (!isPython(e.document)) return;
  const first = workspace.lastResult(e.document.uri) === undefined;
  workspace.update(e.document.uri, e.document.getText());
  if (first) validate(e.document.uri);
  else schedule(e.document.uri);
});

documents.onDidClose((e) => {
  clearTimeout(timers.get(e.document.uri));
  workspace?.close(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCodeAction((params) => {
  const uri = params.textDocument.uri;
  const doc = documents.get(uri);
  if (doc && isPbtxt(doc)) return pbtxt.codeActions(uri, params.context.diagnostics);
  if (timers.has(uri)) {
    // an edit is waiting for its debounced analysis: fixes must match the current text
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    validate(uri);
  }
  const result = workspace?.lastResult(params.textDocument.uri);
  return result ? codeActionsFor(params.textDocument.uri, result.findings, params.range) : [];
});

connection.onDocumentSymbol((p) => {
  const doc = documents.get(p.textDocument.uri);
  return doc && isPbtxt(doc) ? pbtxt.documentSymbols(doc.getText(), doc.uri) : [];
});

connection.onFoldingRanges((p) => {
  const doc = documents.get(p.textDocument.uri);
  return doc && isPbtxt(doc) ? pbtxt.foldingRanges(doc.getText(), doc.uri) : [];
});

connection.onDocumentFormatting((p) => {
  const doc = documents.get(p.textDocument.uri);
  return doc && isPbtxt(doc) ? pbtxt.formatting(doc.getText(), p.options) : [];
});

connection.onShutdown(() => {
  clientReg?.dispose();
  for (const t of timers.values()) clearTimeout(t);
  workspace?.dispose();
});

documents.listen(connection);
connection.listen();
