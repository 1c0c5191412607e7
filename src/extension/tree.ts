/**
 * Explorer view "SavedModels": model → tag set → signatures → inputs/outputs, concrete functions,
 * variables grouped by scope, assets. Children are computed lazily on expansion; the model list grows
 * while discovery runs.
 */
import * as vscode from "vscode";
import type {
  FunctionSummary,
  ConcreteFunctionSummary,
  MetaGraphSummary,
  SignatureSummary,
  TensorInfoSummary,
  VariableSummary,
} from "../core/savedmodel/types.js";
import { mdCode, mdEscape } from "../core/markdown.js";
import { humanBytes, shapeText } from "../core/display.js";
import { plural, shortMethod, tensorLabel, variableDescription } from "./format.js";
import type { ModelEntry, ModelRegistry } from "./models.js";
import { readerPart } from "./lazy.js";
import { variableDisplayPaths } from "../core/savedmodel/varnames.js";

export const VIEW_ID = "savedmodelStudio.models";

export interface VarScope {
  readonly name: string;
  readonly path: string;
  readonly scopes: Map<string, VarScope>;
  readonly vars: VariableSummary[];
  count: number;
  bytes: number;
}

export type Node =
  | { readonly kind: "model"; readonly model: ModelEntry }
  | { readonly kind: "tagset"; readonly model: ModelEntry; readonly mg: MetaGraphSummary }
  | { readonly kind: "signature"; readonly model: ModelEntry; readonly mg: MetaGraphSummary; readonly sig: SignatureSummary }
  | {
      readonly kind: "tensor";
      readonly model: ModelEntry;
      readonly mg: MetaGraphSummary;
      readonly sig: SignatureSummary;
      readonly io: "input" | "output";
      readonly tensor: TensorInfoSummary;
    }
  | { readonly kind: "functions"; readonly model: ModelEntry; readonly mg: MetaGraphSummary; readonly fns: readonly FunctionSummary[] }
  | { readonly kind: "function"; readonly model: ModelEntry; readonly mg: MetaGraphSummary; readonly fn: FunctionSummary }
  | {
      readonly kind: "concrete";
      readonly model: ModelEntry;
      readonly cf: ConcreteFunctionSummary;
      readonly repr: { input: string; output: string };
    }
  | {
      readonly kind: "variables";
      readonly model: ModelEntry;
      readonly mg: MetaGraphSummary;
      readonly scope: VarScope;
      readonly root: boolean;
    }
  | {
      readonly kind: "variable";
      readonly model: ModelEntry;
      readonly mg: MetaGraphSummary;
      readonly v: VariableSummary;
    }
  | { readonly kind: "assets"; readonly model: ModelEntry; readonly files: readonly string[] }
  | { readonly kind: "asset"; readonly model: ModelEntry; readonly file: string }
  | { readonly kind: "message"; readonly parent: string; readonly text: string; readonly icon: string; readonly tooltip?: string };

export function tagsLabel(tags: readonly string[]): string {
  return tags.length === 0 ? "(no tags)" : tags.join(", ");
}

function nodeId(n: Node): string {
  switch (n.kind) {
    case "model":
      return n.model.id;
    case "tagset":
      return `${n.model.id}#mg${n.mg.index}`;
    case "signature":
      return `${n.model.id}#mg${n.mg.index}/sig/${n.sig.key}`;
    case "tensor":
      return `${n.model.id}#mg${n.mg.index}/sig/${n.sig.key}/${n.io}/${n.tensor.key}`;
    case "functions":
      return `${n.model.id}#mg${n.mg.index}/functions`;
    case "function":
      return `${n.model.id}#mg${n.mg.index}/functions/${n.fn.name}`;
    case "concrete":
      return `${n.model.id}#cf/${n.cf.name}`;
    case "variables":
      return `${n.model.id}#mg${n.mg.index}/vars/${n.scope.path}`;
    case "variable":
      return `${n.model.id}#mg${n.mg.index}/var/${n.v.checkpointKey}`;
    case "assets":
      return `${n.model.id}#assets`;
    case "asset":
      return `${n.model.id}#assets/${n.file}`;
    case "message":
      return `${n.parent}#msg/${n.text}`;
  }
}

export class ModelTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | Node[] | undefined>();
  /** Model nodes whose state changed, flushed together (1,000 models load in bursts). */
  private readonly dirty = new Set<Node>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  readonly onDidChangeTreeData = this.changed.event;
  private readonly modelNodes = new Map<string, Node & { kind: "model" }>();
  private readonly parents = new WeakMap<Node, Node>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly registry: ModelRegistry) {
    this.sub = registry.onDidChange((e) => {
      if (!e) {
        this.changed.fire(undefined);
        return;
      }
      const node = this.modelNodes.get(e.id);
      if (!node) return; // not shown yet: it renders with its current state when it is
      this.dirty.add(node);
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        const nodes = [...this.dirty];
        this.dirty.clear();
        this.changed.fire(nodes);
      }, 50);
    });
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.sub.dispose();
    this.changed.dispose();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    const item = new vscode.TreeItem("", C.None);
    item.id = nodeId(n);
    switch (n.kind) {
      case "model": {
        const m = n.model;
        const s = m.state;
        item.label = m.label;
        item.resourceUri = m.uri;
        item.collapsibleState = C.Collapsed;
        if (s.kind === "pending") {
          item.iconPath = new vscode.ThemeIcon("loading~spin");
          item.description = multiRoot() ? m.folder.name : "";
          item.contextValue = "model";
          void m.load();
        } else if (s.kind === "error") {
          item.iconPath = new vscode.ThemeIcon("error", new vscode.ThemeColor("errorForeground"));
          item.description = `unreadable (${s.code})`;
          item.tooltip = new vscode.MarkdownString().appendText(s.message);
          item.contextValue = "model.error";
          item.collapsibleState = C.None;
          item.command = { command: "savedmodelStudio.showErrorDetails", title: "Show Details", arguments: [n] };
        } else {
          const tf = s.metaGraphs.find((g) => g.tfVersion)?.tfVersion;
          item.iconPath = new vscode.ThemeIcon("package");
          item.description = [multiRoot() ? m.folder.name : "", tf ? `TF ${tf}` : "", humanBytes(s.sizeBytes)].filter(Boolean).join(" · ");
          const md = new vscode.MarkdownString();
          md.appendMarkdown(`**${escapeMd(m.label)}**\n\n`);
          md.appendText(`${m.uri.scheme === "file" ? m.uri.fsPath : m.uri.toString()}\n\n`);
          md.appendMarkdown(
            `${s.reader.format === "pbtxt" ? "saved_model.pbtxt" : "saved_model.pb"} · ${humanBytes(s.sizeBytes)}${tf ? ` · TensorFlow ${escapeMd(tf)}` : ""}\n\n`,
          );
          md.appendMarkdown(`Tag sets: ${s.metaGraphs.map((g) => mdCode(tagsLabel(g.tags))).join(", ")}`);
          item.tooltip = md;
          item.contextValue = "model";
        }
        return item;
      }
      case "tagset": {
        item.label = tagsLabel(n.mg.tags);
        item.iconPath = new vscode.ThemeIcon("tag");
        item.description = plural(n.mg.signatures.length, "signature");
        item.tooltip = `MetaGraph #${n.mg.index}: tags {${n.mg.tags.join(", ")}}${n.mg.tfVersion ? `, TensorFlow ${n.mg.tfVersion}` : ""}`;
        item.collapsibleState = oneMetaGraph(n.model) ? C.Expanded : C.Collapsed;
        item.contextValue = "tagset";
        return item;
      }
      case "signature": {
        item.label = n.sig.key;
        item.iconPath = new vscode.ThemeIcon("symbol-method");
        item.description = shortMethod(n.sig.methodName);
        item.tooltip = new vscode.MarkdownString().appendCodeblock(signatureText(n.sig), "text");
        item.collapsibleState = C.Collapsed;
        item.contextValue = "signature";
        return item;
      }
      case "tensor": {
        const t = n.tensor;
        item.label = tensorLabel(t);
        item.iconPath = new vscode.ThemeIcon(n.io === "input" ? "arrow-right" : "arrow-left");
        const hasDefault = n.io === "input" && n.sig.defaults.includes(t.key);
        item.description = n.io + (hasDefault ? " · default" : "");
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${escapeMd(t.key)}** (${n.io})\n\n`);
        md.appendMarkdown(
          `- dtype: ${mdCode(t.dtypeName)}\n- shape: ${mdCode(t.shapeAbsent ? "unknown (not recorded)" : shapeText(t.shape))}\n`,
        );
        if (t.name) md.appendMarkdown(`- tensor: ${mdCode(t.name)}\n`);
        if (t.cooSparse)
          md.appendMarkdown(
            `- sparse: values ${mdCode(t.cooSparse.values)}, indices ${mdCode(t.cooSparse.indices)}, dense shape ${mdCode(t.cooSparse.denseShape)}\n`,
          );
        if (n.io === "input") md.appendMarkdown(`- default value: ${hasDefault ? "yes (may be omitted)" : "none (required)"}\n`);
        item.tooltip = md;
        item.contextValue = `tensor.${n.io}`;
        return item;
      }
      case "functions":
        return folder(
          item,
          "Concrete functions",
          "symbol-function",
          String(n.fns.reduce((a, f) => a + f.concreteFunctions.length, 0)),
          "functions",
        );
      case "function":
        return folder(
          item,
          n.fn.name,
          "symbol-function",
          n.fn.kind === "bare_concrete_function" ? "bare concrete function" : plural(n.fn.concreteFunctions.length, "concrete function"),
          "function",
        );
      case "concrete": {
        item.label = n.cf.name;
        item.iconPath = new vscode.ThemeIcon("symbol-event");
        item.description = n.repr.input;
        item.tooltip = new vscode.MarkdownString().appendCodeblock(
          `${n.cf.name}\n  inputs:  ${n.repr.input}\n  outputs: ${n.repr.output}`,
          "python",
        );
        item.contextValue = "concreteFunction";
        return item;
      }
      case "variables": {
        item.label = n.root ? "Variables" : n.scope.name;
        item.iconPath = new vscode.ThemeIcon(n.root ? "symbol-variable" : "symbol-namespace");
        item.description = `${n.scope.count} · ${humanBytes(n.scope.bytes)}`;
        item.tooltip = `${plural(n.scope.count, "variable")}, ${humanBytes(n.scope.bytes)}${n.root ? "" : ` in scope ${n.scope.path}`}`;
        item.collapsibleState = C.Collapsed;
        item.contextValue = n.root ? "variables" : "variableScope";
        return item;
      }
      case "variable": {
        const v = n.v;
        const parts = displayName(v).split("/");
        item.label = parts[parts.length - 1] ?? v.checkpointKey;
        item.iconPath = new vscode.ThemeIcon("symbol-variable");
        item.description = variableDescription(v);
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${escapeMd(displayName(v))}**\n\n- checkpoint key: ${mdCode(v.checkpointKey)}\n`);
        if (v.path) md.appendMarkdown(`- object path: ${mdCode(v.path)}\n`);
        md.appendMarkdown(
          `- ${escapeMd(variableDescription(v))}, shard ${v.shardId}${v.trainable === undefined ? "" : v.trainable ? ", trainable" : ", not trainable"}`,
        );
        item.tooltip = md;
        item.contextValue = "variable";
        item.command = { command: "savedmodelStudio.showVariable", title: "Show Variable", arguments: [n] };
        return item;
      }
      case "assets": {
        item.label = "Assets";
        item.iconPath = new vscode.ThemeIcon("file-media");
        item.description = String(n.files.length);
        item.collapsibleState = C.Collapsed;
        item.contextValue = "assets";
        return item;
      }
      case "asset": {
        const uri = vscode.Uri.joinPath(n.model.uri, "assets", n.file);
        item.label = n.file;
        item.resourceUri = uri;
        item.iconPath = vscode.ThemeIcon.File;
        item.command = { command: "vscode.open", title: "Open", arguments: [uri] };
        item.contextValue = "asset";
        return item;
      }
      case "message": {
        item.label = n.text;
        item.iconPath = new vscode.ThemeIcon(n.icon);
        if (n.tooltip) item.tooltip = n.tooltip;
        item.contextValue = "message";
        return item;
      }
    }
  }

  async getChildren(n?: Node): Promise<Node[]> {
    const kids = await this.computeChildren(n);
    if (n) for (const k of kids) this.parents.set(k, n);
    return kids;
  }

  getParent(n: Node): Node | undefined {
    return this.parents.get(n);
  }

  private async computeChildren(n?: Node): Promise<Node[]> {
    if (!n) {
      const nodes = this.registry.models().map((model) => {
        let node = this.modelNodes.get(model.id);
        if (!node || node.model !== model) {
          node = { kind: "model", model };
          this.modelNodes.set(model.id, node);
        }
        return node;
      });
      if (nodes.length > 0 && this.registry.discovering) {
        return [...nodes, { kind: "message", parent: "root", text: "Searching for more models…", icon: "loading~spin" }];
      }
      return nodes;
    }
    switch (n.kind) {
      case "model": {
        const s = await n.model.load();
        if (s.kind !== "loaded") return [];
        const children: Node[] = s.metaGraphs.map((mg) => ({ kind: "tagset", model: n.model, mg }));
        const assets = await s.reader.assetFiles().catch(() => []);
        if (assets.length > 0) children.push({ kind: "assets", model: n.model, files: assets });
        return children;
      }
      case "tagset": {
        const out: Node[] = [...n.mg.signatures]
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .map((sig) => ({ kind: "signature", model: n.model, mg: n.mg, sig }));
        const reader = await n.model.reader();
        try {
          const fns = reader.functions(n.mg.index);
          if (fns.length > 0) out.push({ kind: "functions", model: n.model, mg: n.mg, fns });
        } catch (e) {
          out.push(errorMessage(nodeId(n), "Concrete functions unreadable", e));
        }
        try {
          const vars = await reader.variableSummaries(n.mg.index);
          if (vars.length > 0) out.push({ kind: "variables", model: n.model, mg: n.mg, scope: buildScopes(vars), root: true });
        } catch (e) {
          out.push(errorMessage(nodeId(n), "Variables unreadable", e));
        }
        return out;
      }
      case "signature": {
        const ins: Node[] = n.sig.inputs.map((tensor) => ({ kind: "tensor", model: n.model, mg: n.mg, sig: n.sig, io: "input", tensor }));
        const outs: Node[] = n.sig.outputs.map((tensor) => ({
          kind: "tensor",
          model: n.model,
          mg: n.mg,
          sig: n.sig,
          io: "output",
          tensor,
        }));
        return [...ins, ...outs];
      }
      case "functions":
        return n.fns.map((fn) => ({ kind: "function", model: n.model, mg: n.mg, fn }));
      case "function": {
        const { pyRepr } = await readerPart();
        return n.fn.concreteFunctions.map((cf) => ({
          kind: "concrete",
          model: n.model,
          cf,
          repr: {
            input: cf.inputSignature ? pyRepr(cf.inputSignature) : "?",
            output: cf.outputSignature ? pyRepr(cf.outputSignature) : "?",
          },
        }));
      }
      case "variables": {
        const scopes: Node[] = [...n.scope.scopes.values()].map((scope) => ({
          kind: "variables",
          model: n.model,
          mg: n.mg,
          scope,
          root: false,
        }));
        const vars: Node[] = n.scope.vars.map((v) => ({ kind: "variable", model: n.model, mg: n.mg, v }));
        return [...scopes, ...vars];
      }
      case "assets":
        return n.files.map((file) => ({ kind: "asset", model: n.model, file }));
      default:
        return [];
    }
  }
}

function multiRoot(): boolean {
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
}

function oneMetaGraph(m: ModelEntry): boolean {
  return m.state.kind === "loaded" && m.state.metaGraphs.length === 1;
}

/** Model strings as literal Markdown (one rule for every tooltip; see core/markdown.ts). */
const escapeMd = mdEscape;

function errorMessage(parent: string, text: string, e: unknown): Node {
  return { kind: "message", parent, text, icon: "warning", tooltip: e instanceof Error ? e.message : String(e) };
}

/** Variable display name: TF2 variable name or checkpoint key without the `/.ATTRIBUTES/...` tail. */
export function displayName(v: VariableSummary): string {
  const key = v.checkpointKey.replace(/\/\.ATTRIBUTES\/VARIABLE_VALUE$/, "");
  return v.name && v.name.length > 0 ? v.name.replace(/:\d+$/, "") : key;
}

/**
 * Groups variables by the `/`-separated scopes of their display paths (core/savedmodel/varnames.ts:
 * optimizer slots and state under "Optimizer", metric state under "Metrics"); each group carries its
 * count and byte total.
 */
export function buildScopes(vars: readonly VariableSummary[]): VarScope {
  const root: VarScope = { name: "", path: "", scopes: new Map(), vars: [], count: 0, bytes: 0 };
  const paths = variableDisplayPaths(vars);
  for (const [i, v] of vars.entries()) {
    const parts = paths[i]!.split("/");
    let scope = root;
    scope.count++;
    scope.bytes += v.sizeBytes;
    for (const part of parts.slice(0, -1)) {
      let next = scope.scopes.get(part);
      if (!next) {
        next = { name: part, path: scope.path ? `${scope.path}/${part}` : part, scopes: new Map(), vars: [], count: 0, bytes: 0 };
        scope.scopes.set(part, next);
      }
      next.count++;
      next.bytes += v.sizeBytes;
      scope = next;
    }
    scope.vars.push(v);
  }
  return root;
}

export function signatureText(sig: SignatureSummary): string {
  const line = (t: TensorInfoSummary) => `    ${tensorLabel(t)}${t.name ? `  (${t.name})` : ""}`;
  return [`${sig.key}  (${sig.methodName})`, "  inputs:", ...sig.inputs.map(line), "  outputs:", ...sig.outputs.map(line)].join("\n");
}

/** A collapsed folder-like item: label, codicon, description, context value. */
function folder(item: vscode.TreeItem, label: string, icon: string, description: string, contextValue: string): vscode.TreeItem {
  item.label = label;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.description = description;
  item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
  item.contextValue = contextValue;
  return item;
}
