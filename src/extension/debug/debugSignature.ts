/**
 * Debug Signature (issue 20): the `savedmodel` debug type in VS Code's own debugger. The adapter
 * (src/debug/session.ts) runs as `node dist/debugAdapter.js` (DAP over stdio) in a process of its own,
 * never in the extension host: it runs the model's engine.
 * The command picks model → signature → inputs like Run Signature (same picker, same remembered
 * choices), writes the chosen tensors as .npy files and starts a session on them.
 */
import * as vscode from "vscode";
import type { Ctx } from "../ctx.js";
import { readerPart } from "../lazy.js";
import { partPath, requireFiles } from "../parts.js";
import { tempInputDir, writeTempInput } from "../../node/tempInputs.js";
import { DEFAULT_WORKER_HEAP_MB } from "../../core/limits.js";
import type { MetaGraphSummary, SignatureSummary } from "../../core/savedmodel/types.js";
import type { ModelEntry } from "../models.js";
import type { Node } from "../tree.js";
import { pickInput, resolveChoice, type InputChoice } from "../run/inputs.js";
import { TRUST_MESSAGE, resolveTarget, type RunArgs } from "../run/runSignature.js";

export const DEBUG_TYPE = "savedmodel";

export function refuseUntrusted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(TRUST_MESSAGE.replace("Run Signature is", "Run and Debug Signature are"));
  return true;
}

/** Registers the inline adapter and fills defaults into `savedmodel` launch configurations. */
export function registerDebugAdapter(): vscode.Disposable {
  const factory: vscode.DebugAdapterDescriptorFactory = {
    createDebugAdapterDescriptor() {
      // The adapter runs the engine, so it runs in a Node process of its own with a heap cap (issue 17):
      // a hostile model can end the debug session, never the extension host.
      requireFiles("debugAdapter.js");
      return new vscode.DebugAdapterExecutable(
        process.execPath,
        [`--max-old-space-size=${DEFAULT_WORKER_HEAP_MB}`, partPath("debugAdapter.js")],
        {
          env: { ELECTRON_RUN_AS_NODE: "1" },
        },
      );
    },
  };
  const provider: vscode.DebugConfigurationProvider = {
    resolveDebugConfiguration(folder, config) {
      if (refuseUntrusted()) return undefined;
      if (!config["type"] && !config["request"]) {
        // F5 without a launch.json: ask like the command does.
        void vscode.commands.executeCommand("savedmodelStudio.debugSignature");
        return undefined;
      }
      return { ...config, cwd: config["cwd"] ?? folder?.uri.fsPath };
    },
  };
  return vscode.Disposable.from(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
  );
}

/** A signature with its inputs written as .npy files (what the recording engine reads). */
export interface ChosenInputs {
  readonly model: ModelEntry;
  readonly mg: MetaGraphSummary;
  readonly sig: SignatureSummary;
  readonly inputs: Record<string, string>;
  readonly dir: string;
}

/**
 * Model → signature → inputs like Run Signature (same picker, same remembered choices); inputs given
 * in `arg.inputs` (programmatic calls) skip the picker. The tensors are written as .npy files.
 */
export async function chooseInputFiles(ctx: Ctx, arg?: Node | RunArgs, what = "Debug Signature"): Promise<ChosenInputs | undefined> {
  const target = await resolveTarget(ctx, arg);
  if (!target) return undefined;
  const { model, mg, sig } = target;
  if (model.uri.scheme !== "file") {
    void vscode.window.showErrorMessage(`${what} needs a model on the local file system.`);
    return undefined;
  }
  const given = arg && !("kind" in arg) ? arg.inputs : undefined;
  const memoKey = `lastInputs:${model.id}|${mg.tags.join(",")}|${sig.key}`;
  const remembered = ctx.extension.workspaceState.get<Record<string, InputChoice>>(memoKey) ?? {};
  const choices: Record<string, InputChoice> = {};
  for (const [i, input] of sig.inputs.entries()) {
    const c =
      given?.[input.key] ??
      (given
        ? undefined
        : await pickInput(model, sig, input, remembered[input.key], ctx.config.exclude, { index: i, total: sig.inputs.length }));
    if (!c) return undefined;
    choices[input.key] = c;
  }
  if (!given) await ctx.extension.workspaceState.update(memoKey, { ...remembered, ...choices });
  const { writeNpy } = await readerPart();
  const dir = tempInputDir();
  const inputs: Record<string, string> = {};
  for (const input of sig.inputs) {
    const t = await resolveChoice(input, choices[input.key]!);
    if (!t) continue; // the signature's default
    inputs[input.key] = writeTempInput(dir, input.key, writeNpy(t));
  }
  return { model, mg, sig, inputs, dir };
}

/**
 * `savedmodelStudio.debugSignature`: from a tree node, from the model editor (`{ model, tags, signature }`),
 * or asking for everything. Inputs are always chosen in the picker.
 */
export async function debugSignatureCommand(ctx: Ctx, arg?: Node | Pick<RunArgs, "model" | "tags" | "signature">): Promise<boolean> {
  if (refuseUntrusted()) return false;
  const chosen = await chooseInputFiles(
    ctx,
    arg && !("kind" in arg) ? { model: arg.model, tags: arg.tags, signature: arg.signature } : arg,
  );
  if (!chosen) return false;
  const { model, mg, sig, inputs, dir } = chosen;
  const config: vscode.DebugConfiguration = {
    type: DEBUG_TYPE,
    request: "launch",
    name: `Debug ${sig.key} (${model.label})`,
    model: model.uri.fsPath,
    tags: mg.tags.join(","),
    signature: sig.key,
    inputs,
    stopOnEntry: false,
    backend: ctx.config.backend,
  };
  ctx.log.info(`debugging ${model.label} ${sig.key} with inputs in ${dir}`);
  return vscode.debug.startDebugging(model.folder, config);
}
