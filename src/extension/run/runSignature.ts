/**
 * Run Signature: pick model → tag set → signature (skipped from a tree item), choose each input,
 * run with a cancellable progress notification, show the results panel, log engine/backend/timings.
 * Also callable programmatically (tests, keybindings) with a `RunArgs` object.
 */
import * as vscode from "vscode";
import type { MetaGraphSummary, SignatureSummary, TensorInfoSummary } from "../../core/savedmodel/types.js";
import type { HostTensor } from "../../core/tensor.js";
import type { Ctx } from "../ctx.js";
import { plural, shortMethod } from "../format.js";
import { ModelEntry } from "../models.js";
import { tagsLabel, type Node } from "../tree.js";
import { describeInputChoice, pickInput, resolveChoice, type InputChoice } from "./inputs.js";
import { outputFileNames } from "../../core/output-names.js";
import { entryExists, writeNewFile } from "../../node/writeOutputs.js";
import type { RunRecord } from "./results.js";
import type { RunThreads } from "../../runtime/types.js";
import { readerPart } from "../lazy.js";
import { dtypeName } from "../../core/dtype.js";

/** Programmatic form: `executeCommand("savedmodelStudio.runSignature", args)`. */
export interface RunArgs {
  /** The model: its entry (from the model editor, in process), or its directory URI (string or Uri). */
  readonly model: ModelEntry | string | vscode.Uri;
  readonly tags?: readonly string[];
  readonly signature?: string;
  readonly inputs?: Record<string, InputChoice>;
  /** Write every output as <key>.npy into this folder (refuses to overwrite existing files). */
  readonly saveTo?: string | vscode.Uri;
  /** Do not open the results panel. */
  readonly quiet?: boolean;
  /** Ask for inputs not given in `inputs` (as from the tree) instead of failing: the model editor's "Run…". */
  readonly interactive?: boolean;
}

export interface RunSummary {
  readonly outputs: Record<string, { dtype: number; shape: readonly number[] }>;
  readonly saved: string[];
  readonly engine: string;
  readonly backend: string;
  /** Threads the kernels used (the embedded engine). */
  readonly threads?: RunThreads;
  /** Graph nodes the engine executed (a network the fast path takes whole counts as one). */
  readonly opsExecuted: number;
}

/** Makes run ids unique within a session (two runs can finish in the same millisecond). */
let runCounter = 0;

export const TRUST_MESSAGE =
  "Running a SavedModel executes its graph, which can read and write files: it is code. Run Signature is disabled until you trust this workspace; browsing models stays available.";

export async function runSignatureCommand(ctx: Ctx, arg?: Node | RunArgs): Promise<RunSummary | undefined> {
  if (!vscode.workspace.isTrusted) return refuseUntrustedRun(ctx);
  const args = arg !== undefined && !("kind" in arg) ? arg : undefined;
  const target = await resolveTarget(ctx, arg);
  if (!target || !(await checkRunnable(ctx, target, args !== undefined))) return undefined;
  const memoKey = `lastInputs:${target.model.id}|${target.mg.tags.join(",")}|${target.sig.key}`;
  const choices = await chooseInputs(ctx, target, args, memoKey);
  if (!choices) return undefined;
  const abort = new AbortController();
  const started = performance.now();
  try {
    const record = await runWithProgress(ctx, target, choices, abort);
    logRun(ctx, target, record, started);
    return await deliver(ctx, record, args);
  } catch (e) {
    return reportFailure(ctx, target, e, { cancelled: abort.signal.aborted, started, memoKey, programmatic: args !== undefined });
  }
}

function refuseUntrustedRun(ctx: Ctx): undefined {
  const manage = "Manage Workspace Trust";
  void vscode.window.showWarningMessage(TRUST_MESSAGE, manage).then((a) => {
    if (a === manage) void vscode.commands.executeCommand("workbench.trust.manage");
  });
  ctx.log.warn("Run Signature refused: the workspace is not trusted.");
  return undefined;
}

/**
 * A value for every input: given by the command's arguments, the input's default, or picked (the last
 * choice per model, tag set and signature offered first and remembered); undefined when the user cancels.
 */
async function chooseInputs(
  ctx: Ctx,
  target: Target,
  args: RunArgs | undefined,
  memoKey: string,
): Promise<Record<string, InputChoice> | undefined> {
  const { model, mg, sig } = target;
  const remembered = ctx.extension.workspaceState.get<Record<string, InputChoice>>(memoKey) ?? {};
  const choices: Record<string, InputChoice> = {};
  const checked = await graphCheckedInputs(ctx, model, mg, sig);
  for (const [i, input] of sig.inputs.entries()) {
    const given = args?.inputs?.[input.key] ?? (args && sig.defaults.includes(input.key) ? ({ kind: "default" } as const) : undefined);
    if (given) {
      choices[input.key] = given;
      continue;
    }
    if (args && !args.interactive) throw new Error(`no value given for input '${input.key}'`);
    const c = await pickInput(model, sig, checked(input), remembered[input.key], ctx.config.exclude, {
      index: i,
      total: sig.inputs.length,
    });
    if (!c) return undefined;
    choices[input.key] = c;
  }
  await ctx.extension.workspaceState.update(memoKey, { ...remembered, ...choices });
  return choices;
}

/** Reads the inputs and runs the signature under a cancellable progress notification. */
function runWithProgress(ctx: Ctx, target: Target, choices: Record<string, InputChoice>, abort: AbortController): Thenable<RunRecord> {
  const { model, mg, sig } = target;
  const { engine, backend } = ctx.config;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${sig.key} on ${model.label}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      progress.report({ message: "reading inputs…" });
      const feeds: Record<string, HostTensor> = {};
      const inputsShown: RunRecord["inputs"][number][] = [];
      for (const input of sig.inputs) {
        const choice = choices[input.key]!;
        const t = await resolveChoice(input, choice);
        if (!t) continue;
        feeds[input.key] = t;
        inputsShown.push({ key: input.key, from: describeInputChoice(choice), dtype: t.dtype, shape: t.shape });
      }
      progress.report({ message: `loading (${engine}/${backend})…` });
      const out = await ctx.engine.run({
        model,
        tags: mg.tags,
        signature: sig.key,
        feeds,
        engine,
        backend,
        signal: abort.signal,
        allowUnsafeOps: ctx.config.allowsUnsafeOps(model),
      });
      return {
        id: `${Date.now()}-${++runCounter}`,
        at: Date.now(),
        modelLabel: model.label,
        modelUri: model.uri,
        tags: mg.tags,
        signature: sig.key,
        inputs: inputsShown,
        outputs: out.outputs,
        engine: out.engine,
        backend: out.backend,
        ...(out.threads ? { threads: out.threads } : {}),
        timings: {
          loadMs: out.loadMs,
          prepareMs: out.prepareMs,
          runMs: out.timings.totalMs,
          execMs: out.timings.execMs,
          opsExecuted: out.timings.opsExecuted,
        },
        warnings: out.warnings,
      };
    },
  );
}

function logRun(ctx: Ctx, { model, mg, sig }: Target, record: RunRecord, started: number): void {
  const t = record.timings;
  ctx.log.info(
    `ran ${model.label} [${tagsLabel(mg.tags)}] ${sig.key}: engine=${record.engine} backend=${record.backend} load=${t.loadMs.toFixed(1)}ms prepare=${t.prepareMs.toFixed(1)}ms run=${t.runMs.toFixed(1)}ms exec=${t.execMs.toFixed(1)}ms ops=${t.opsExecuted} total=${(performance.now() - started).toFixed(1)}ms`,
  );
  for (const w of record.warnings) ctx.log.warn(`${sig.key}: ${w}`);
}

/** Shows the results (unless quiet), saves them when asked, and answers the command with a summary. */
async function deliver(ctx: Ctx, record: RunRecord, args: RunArgs | undefined): Promise<RunSummary> {
  if (!args?.quiet) ctx.results.show(record);
  const saveTo = args?.saveTo;
  const saved = saveTo ? await saveOutputs(ctx, record, typeof saveTo === "string" ? vscode.Uri.parse(saveTo) : saveTo, "refuse") : [];
  return {
    outputs: Object.fromEntries(Object.entries(record.outputs).map(([k, v]) => [k, { dtype: v.dtype, shape: v.shape }])),
    saved,
    engine: record.engine,
    backend: record.backend,
    ...(record.threads ? { threads: record.threads } : {}),
    opsExecuted: record.timings.opsExecuted,
  };
}

/** Cancel is a note; a failure is logged and shown with its remedies (a programmatic caller gets the error). */
function reportFailure(
  ctx: Ctx,
  { model, mg, sig }: Target,
  e: unknown,
  how: { cancelled: boolean; started: number; memoKey: string; programmatic: boolean },
): undefined {
  const code = (e as { code?: unknown })?.code;
  if (how.cancelled || code === "CANCELLED") {
    ctx.log.info(`${sig.key}: cancelled after ${(performance.now() - how.started).toFixed(0)} ms`);
    void vscode.window.showInformationMessage(`Run of ${sig.key} cancelled.`);
    return undefined;
  }
  const msg = e instanceof Error ? e.message : String(e);
  ctx.log.error(`${sig.key} on ${model.label} failed${typeof code === "string" ? ` (${code})` : ""}: ${msg}`);
  if (how.programmatic) throw e;
  void vscode.window.showErrorMessage(`Run ${sig.key} failed: ${msg}`, "Show Log", "Choose Other Inputs").then((a) => {
    if (a === "Show Log") ctx.log.show(true);
    if (a === "Choose Other Inputs")
      void ctx.extension.workspaceState
        .update(how.memoKey, {})
        .then(() => vscode.commands.executeCommand("savedmodelStudio.runSignature", { kind: "signature", model, mg, sig } satisfies Node));
  });
  return undefined;
}

/** Codes of errors that say the signature cannot run here whatever the inputs. */
const NOT_RUNNABLE = new Set(["UNSUPPORTED_OP", "UNSAFE_OP", "SIGNATURE_NOT_FOUND"]);

/**
 * Plans the signature before any input is asked for: a signature that needs ops the engine lacks (or
 * ops with effects outside the model) is refused now, with the reason, instead of after the inputs.
 */
async function checkRunnable(ctx: Ctx, { model, mg, sig }: Target, programmatic: boolean): Promise<boolean> {
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Checking ${sig.key} of ${model.label}` }, () =>
      ctx.engine.check({
        model,
        tags: mg.tags,
        signature: sig.key,
        engine: ctx.config.engine,
        backend: ctx.config.backend,
        allowUnsafeOps: ctx.config.allowsUnsafeOps(model),
      }),
    );
    return true;
  } catch (e) {
    if (!causes(e).some((c) => NOT_RUNNABLE.has(String((c as { code?: unknown })?.code)))) return true; // the run reports it
    const msg = `${sig.key} of ${model.label} cannot run here: ${e instanceof Error ? e.message : String(e)}`;
    ctx.log.error(msg);
    if (programmatic) throw e;
    void vscode.window.showErrorMessage(msg, "Show Log").then((a) => a && ctx.log.show(true));
    return false;
  }
}

/** An error and its causes, outermost first (a planning error wraps the op error that caused it). */
function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c = e; c !== undefined && c !== null && out.length < 10; c = (c as { cause?: unknown }).cause) out.push(c);
  return out;
}

interface Target {
  model: ModelEntry;
  mg: MetaGraphSummary;
  sig: SignatureSummary;
}

/**
 * The picker checks arrays against the tensor the graph really has (the engine's policy, see
 * runtime/feeds.ts): where the SignatureDef disagrees with the graph, the graph wins, with a warning.
 */
async function graphCheckedInputs(
  ctx: Ctx,
  model: ModelEntry,
  mg: MetaGraphSummary,
  sig: SignatureSummary,
): Promise<(input: TensorInfoSummary) => TensorInfoSummary> {
  try {
    const h = await readerPart();
    const reader = await model.reader();
    const { specs, warnings } = h.signatureFeedSpecs(reader.metaGraphDef(mg.index), sig.key);
    for (const w of warnings) ctx.log.warn(`${model.label}: ${w}`);
    return (input) => {
      const spec = specs.get(input.key);
      if (!spec) return input;
      return {
        ...input,
        dtype: spec.dtype,
        dtypeName: dtypeName(spec.dtype),
        shape: spec.shape && [...spec.shape],
      };
    };
  } catch (e) {
    ctx.log.warn(
      `${model.label}: graph not read for input checks (${e instanceof Error ? e.message : String(e)}); using the signature's declarations`,
    );
    return (input) => input;
  }
}

export async function resolveTarget(ctx: Ctx, arg?: Node | RunArgs): Promise<Target | undefined> {
  if (arg && "kind" in arg) {
    if (arg.kind === "signature") return { model: arg.model, mg: arg.mg, sig: arg.sig };
    if (arg.kind === "tensor") return { model: arg.model, mg: arg.mg, sig: arg.sig };
    if (arg.kind === "tagset") return pickSignature(arg.model, arg.mg);
    if (arg.kind === "model") return pickFromModel(arg.model);
  }
  if (arg && !("kind" in arg)) {
    const model = await modelOf(ctx, arg.model);
    const reader = await model.reader();
    const mg = arg.tags ? reader.findMetaGraph(arg.tags) : reader.metaGraphs()[0];
    if (!mg) throw new Error(`${model.label}: no meta graph`);
    const sig = mg.signatures.find((s) => s.key === (arg.signature ?? "serving_default")) ?? (arg.signature ? undefined : mg.signatures[0]);
    if (!sig) throw new Error(`${model.label}: no signature '${arg.signature}'`);
    return { model, mg, sig };
  }
  const model = await pickModel(ctx);
  return model ? pickFromModel(model) : undefined;
}

/** The entry of a command's model argument; a URI outside the discovered set is opened by the registry too. */
async function modelOf(ctx: Ctx, model: RunArgs["model"]): Promise<ModelEntry> {
  if (model instanceof ModelEntry) return model;
  const uri = typeof model === "string" ? vscode.Uri.parse(model) : model;
  await ctx.registry.whenDiscovered();
  return ctx.registry.find(uri) ?? ctx.registry.open(uri);
}

export async function pickModel(ctx: Ctx, title = "Run Signature"): Promise<ModelEntry | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { model: ModelEntry }>();
  qp.title = `${title}: choose a SavedModel`;
  qp.placeholder = "SavedModel";
  qp.matchOnDescription = true;
  const update = () => {
    qp.items = ctx.registry.models().map((model) => ({
      label: `$(package) ${model.label}`,
      description:
        model.state.kind === "loaded"
          ? `TF ${model.state.metaGraphs[0]?.tfVersion ?? "?"}`
          : model.state.kind === "error"
            ? "unreadable"
            : "",
      model,
    }));
    qp.busy = ctx.registry.discovering;
  };
  update();
  const sub = ctx.registry.onDidChange(update);
  qp.show();
  try {
    return await new Promise<ModelEntry | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems[0]?.model));
      qp.onDidHide(() => resolve(undefined));
    });
  } finally {
    sub.dispose();
    qp.dispose();
  }
}

async function pickFromModel(model: ModelEntry): Promise<Target | undefined> {
  const s = await model.load();
  if (s.kind === "error") {
    void vscode.window.showErrorMessage(`${model.label} cannot be read: ${s.message}`);
    return undefined;
  }
  if (s.kind !== "loaded") return undefined;
  const withSigs = s.metaGraphs.filter((g) => runnable(g).length > 0);
  if (withSigs.length === 0) {
    void vscode.window.showWarningMessage(`${model.label} has no signatures to run.`);
    return undefined;
  }
  let mg = withSigs[0]!;
  if (withSigs.length > 1) {
    const picked = await vscode.window.showQuickPick(
      withSigs.map((g) => ({ label: `$(tag) ${tagsLabel(g.tags)}`, description: plural(g.signatures.length, "signature"), g })),
      { title: `Run Signature: tag set of ${model.label}` },
    );
    if (!picked) return undefined;
    mg = picked.g;
  }
  return pickSignature(model, mg);
}

/** Signatures a user would run: the TF2 `__saved_model_init_op` pseudo-signature is left out. */
function runnable(mg: MetaGraphSummary): SignatureSummary[] {
  return mg.signatures.filter((s) => s.key !== "__saved_model_init_op");
}

async function pickSignature(model: ModelEntry, mg: MetaGraphSummary): Promise<Target | undefined> {
  if (runnable(mg).length === 0) return undefined;
  const sigs = runnable(mg).sort((a, b) => (a.key === "serving_default" ? -1 : b.key === "serving_default" ? 1 : a.key < b.key ? -1 : 1));
  const picked = await vscode.window.showQuickPick(
    sigs.map((sig) => ({
      label: `$(symbol-method) ${sig.key}`,
      description: shortMethod(sig.methodName),
      detail: `${sig.inputs.map((i) => i.key).join(", ") || "no inputs"} → ${sig.outputs.map((o) => o.key).join(", ")}`,
      sig,
    })),
    { title: `Run Signature: signature of ${model.label} [${tagsLabel(mg.tags)}]`, matchOnDetail: true },
  );
  return picked ? { model, mg, sig: picked.sig } : undefined;
}

/**
 * Writes each output as <key>.npy into `folder`. Existing files are never overwritten silently:
 * "ask" prompts (Overwrite / Keep Both), "refuse" throws.
 */
export async function saveOutputs(
  ctx: Ctx,
  record: RunRecord,
  folder: vscode.Uri | undefined,
  policy: "ask" | "refuse" = "ask",
): Promise<string[]> {
  if (!folder) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: "Save outputs here",
      title: `Save outputs of ${record.signature}`,
    });
    if (!picked?.[0]) return [];
    folder = picked[0];
  }
  const { writeNpy } = await readerPart();
  // Distinct, length-limited names; two keys mapping to one name fail here, before anything is written.
  const fileNames = outputFileNames(Object.keys(record.outputs));
  const targets = [...fileNames].map(([key, name]) => ({ key, name, uri: vscode.Uri.joinPath(folder, name) }));
  const existing: typeof targets = [];
  for (const t of targets) if (await exists(t.uri)) existing.push(t);
  let keepBoth = false;
  if (existing.length > 0) {
    const names = existing.map((t) => t.name).join(", ");
    if (policy === "refuse") throw new Error(`not overwriting existing ${names} in ${folder.toString()}`);
    const a = await vscode.window.showWarningMessage(
      `${names} already exist${existing.length === 1 ? "s" : ""} in ${vscode.workspace.asRelativePath(folder)}.`,
      { modal: true },
      "Keep Both",
      "Overwrite",
    );
    if (!a) return [];
    keepBoth = a === "Keep Both";
  }
  const written: string[] = [];
  for (const t of targets) {
    let uri = t.uri;
    if (keepBoth && existing.includes(t)) {
      for (let i = 1; await exists(uri); i++) uri = vscode.Uri.joinPath(folder, t.name.replace(/\.npy$/, `-${i}.npy`));
    }
    const bytes = writeNpy(record.outputs[t.key]!, { file: uri.path });
    await writeNew(uri, bytes, !keepBoth && existing.includes(t));
    written.push(uri.toString());
  }
  ctx.log.info(`saved ${written.length} output(s) of ${record.signature} to ${folder.toString()}`);
  if (policy === "ask") {
    void vscode.window.showInformationMessage(`Saved ${plural(written.length, "output")} of ${record.signature}.`, "Reveal").then((a) => {
      if (a === "Reveal" && written[0]) void vscode.commands.executeCommand("revealInExplorer", vscode.Uri.parse(written[0]));
    });
  }
  return written;
}

/** Local files: exclusive create, never through a symbolic link (see node/writeOutputs.ts). */
async function writeNew(uri: vscode.Uri, bytes: Uint8Array, replace: boolean): Promise<void> {
  if (uri.scheme === "file") return writeNewFile(uri.fsPath, bytes, replace);
  await vscode.workspace.fs.writeFile(uri, bytes);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme === "file") return entryExists(uri.fsPath);
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
