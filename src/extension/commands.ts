/**
 * The command table (GUIDE §2.6): each entry is a factory taking the injected context; extension.ts
 * registers them all in one loop. Command ids are declared in package.json `contributes.commands`.
 */
import * as vscode from "vscode";
import type { Ctx } from "./ctx.js";
import type { ModelEntry } from "./models.js";
import { debugSignatureCommand } from "./debug/debugSignature.js";
import { traceSignatureCommand } from "./debug/traceSignature.js";
import { pickModel, runSignatureCommand, saveOutputs } from "./run/runSignature.js";
import { servingModelName, signatureSnippet, type SnippetKind } from "./snippets.js";
import { displayName, tagsLabel, type Node } from "./tree.js";
import { SavedModelEditorProvider } from "./editor/savedModelEditor.js";
import { showVariable } from "./showVariable.js";
import { VirtualDocs } from "./virtualDocs.js";

type Factory = (ctx: Ctx) => (...args: never[]) => unknown;

function modelOf(arg: unknown): ModelEntry | undefined {
  const n = arg as Node | undefined;
  return n && typeof n === "object" && "model" in n ? n.model : undefined;
}

async function modelFromArg(ctx: Ctx, arg: unknown, title: string): Promise<ModelEntry | undefined> {
  const fromNode = modelOf(arg);
  if (fromNode) return fromNode;
  if (arg instanceof vscode.Uri) {
    await ctx.registry.whenDiscovered();
    return ctx.registry.find(arg);
  }
  return pickModel(ctx, title);
}

export const commands: Record<string, Factory> = {
  "savedmodelStudio.refresh": (ctx) => () => ctx.registry.refresh(),

  "savedmodelStudio.runSignature": (ctx) => (arg?: Node) => runSignatureCommand(ctx, arg),

  "savedmodelStudio.debugSignature": (ctx) => (arg?: Parameters<typeof debugSignatureCommand>[1]) => debugSignatureCommand(ctx, arg),

  "savedmodelStudio.saveOutputs": (ctx) => async (folder?: vscode.Uri) => {
    const last = ctx.results.last;
    if (!last) {
      void vscode.window.showInformationMessage("No results to save yet: run a signature first.");
      return [];
    }
    return saveOutputs(ctx, last, folder instanceof vscode.Uri ? folder : undefined, "ask");
  },

  "savedmodelStudio.copySignature": (ctx) => async (n?: Node, kind?: SnippetKind) => {
    let target: { model: ModelEntry; tags: readonly string[]; sig: Node & { kind: "signature" } } | undefined;
    if (n?.kind === "signature") target = { model: n.model, tags: n.mg.tags, sig: n };
    if (!target) {
      const model = await modelFromArg(ctx, n, "Copy Signature");
      if (!model) return undefined;
      const reader = await model.reader();
      const items = reader.metaGraphs().flatMap((mg) =>
        mg.signatures.map((sig) => ({
          label: sig.key,
          description: tagsLabel(mg.tags),
          node: { kind: "signature", model, mg, sig } as Node & { kind: "signature" },
        })),
      );
      const picked = await vscode.window.showQuickPick(items, { title: `Copy Signature: ${model.label}` });
      if (!picked) return undefined;
      target = { model, tags: picked.node.mg.tags, sig: picked.node };
    }
    let format = kind;
    if (!format) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: "$(json) JSON", description: "inputs, outputs, dtypes, shapes, tensor names", fmt: "json" as const },
          { label: "$(globe) TF Serving REST request", description: "POST …:predict skeleton", fmt: "rest" as const },
          { label: "$(code) Python client snippet", description: "numpy + requests", fmt: "python" as const },
        ],
        { title: `Copy ${target.sig.sig.key} as…` },
      );
      if (!picked) return undefined;
      format = picked.fmt;
    }
    const text = signatureSnippet(format, target.sig.sig, target.tags, servingModelName(target.model.relPath, target.model.folder.name));
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`Copied ${target.sig.sig.key} (${format})`, 3000);
    return text;
  },

  "savedmodelStudio.showVariable": (ctx) => async (n?: Node) => {
    let model: ModelEntry | undefined;
    let key: string | undefined;
    let title: string | undefined;
    if (n?.kind === "variable") {
      model = n.model;
      key = n.v.checkpointKey;
      title = displayName(n.v);
    } else {
      model = await modelFromArg(ctx, n, "Show Variable");
      if (!model) return undefined;
      const reader = await model.reader();
      const vars = await reader.variableSummaries(0);
      if (vars.length === 0) {
        void vscode.window.showInformationMessage(`${model.label} has no variables.`);
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        vars.map((v) => ({ label: displayName(v), description: v.checkpointKey, v })),
        { title: `Show Variable: ${model.label}`, matchOnDescription: true },
      );
      if (!picked) return undefined;
      key = picked.v.checkpointKey;
      title = displayName(picked.v);
    }
    return showVariable(ctx, model, key, title);
  },

  "savedmodelStudio.revealInExplorer": (ctx) => async (n?: Node | vscode.Uri) => {
    const model = await modelFromArg(ctx, n, "Reveal");
    if (!model) return;
    if (model.uri.scheme === "file" && vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
      await vscode.commands.executeCommand("revealFileInOS", model.uri);
    } else {
      await vscode.commands.executeCommand("revealInExplorer", model.uri);
    }
  },

  "savedmodelStudio.traceSignature": (ctx) => (arg?: Parameters<typeof traceSignatureCommand>[1]) => traceSignatureCommand(ctx, arg),

  "savedmodelStudio.showInGraph": () => async (n?: Node) => {
    if (n?.kind !== "signature") return;
    await SavedModelEditorProvider.showGraph(n.model.uri, { metaGraph: n.mg.index, target: { kind: "signature", key: n.sig.key } });
  },

  "savedmodelStudio.openModelEditor": (ctx) => async (n?: Node | vscode.Uri) => {
    const model = await modelFromArg(ctx, n, "Open Model Editor");
    if (!model) return undefined;
    const uri = VirtualDocs.uri(`${model.label}/saved_model_cli show --all.txt`, { kind: "show", model: model.id });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc.getText();
  },

  "savedmodelStudio.showErrorDetails": (ctx) => async (n?: Node) => {
    const model = modelOf(n);
    if (!model) return;
    const s = await model.load();
    if (s.kind !== "error") return;
    ctx.log.error(`${model.label}: ${s.message}`);
    const detail = `${s.message}\n\nError code: ${s.code}\nFolder: ${model.uri.scheme === "file" ? model.uri.fsPath : model.uri.toString()}`;
    const pick = await vscode.window.showErrorMessage(
      `${model.label} cannot be read`,
      { modal: true, detail },
      "Show Log",
      "Reveal in Explorer",
    );
    if (pick === "Show Log") ctx.log.show(true);
    if (pick === "Reveal in Explorer") await vscode.commands.executeCommand("revealInExplorer", model.uri);
  },

  "savedmodelStudio.showLog": (ctx) => () => ctx.log.show(true),
};
