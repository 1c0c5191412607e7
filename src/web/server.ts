/**
 * The browser language server of the web build (dist/web/server.js, started by src/web/lsp.ts in a Blob worker):
 * the protobuf text format features of src/server/pbtxt (pure functions over the text) over
 * vscode-languageserver/browser. The Python and JS/TS client-code features stay in the Node server: they read
 * their tree-sitter grammars and the models they check through Node (server/python/parser.ts, workspace.ts).
 */
import {
  BrowserMessageReader,
  BrowserMessageWriter,
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
} from "vscode-languageserver/browser";
import { TextDocument } from "vscode-languageserver-textdocument";
import * as pbtxt from "../server/pbtxt/index.js";

const port = globalThis as unknown as ConstructorParameters<typeof BrowserMessageReader>[0];
const connection = createConnection(new BrowserMessageReader(port), new BrowserMessageWriter(port));
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
    codeActionProvider: true,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    documentFormattingProvider: true,
  },
}));

/** `fn` on the document's text, or `empty` when the document is not open here. */
function onText<T>(uri: string, empty: T, fn: (doc: TextDocument) => T): T {
  const doc = documents.get(uri);
  return doc ? fn(doc) : empty;
}

documents.onDidChangeContent(({ document: d }) => {
  void connection.sendDiagnostics({ uri: d.uri, version: d.version, diagnostics: pbtxt.diagnostics(d.getText(), d.uri) });
});
documents.onDidClose(({ document: d }) => void connection.sendDiagnostics({ uri: d.uri, diagnostics: [] }));
connection.onHover((p) => onText(p.textDocument.uri, null, (d) => pbtxt.hover(d.getText(), p.position, d.uri)));
connection.onCodeAction((p) => pbtxt.codeActions(p.textDocument.uri, p.context.diagnostics));
connection.onDocumentSymbol((p) => onText(p.textDocument.uri, [], (d) => pbtxt.documentSymbols(d.getText(), d.uri)));
connection.onFoldingRanges((p) => onText(p.textDocument.uri, [], (d) => pbtxt.foldingRanges(d.getText(), d.uri)));
connection.onDocumentFormatting((p) => onText(p.textDocument.uri, [], (d) => pbtxt.formatting(d.getText(), p.options)));

documents.listen(connection);
connection.listen();
