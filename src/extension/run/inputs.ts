/**
 * Choosing a value for each signature input: workspace .npy files (and .npz members) checked against
 * the input's dtype and shape, a typed literal, tf.Example features for serialized-Example inputs,
 * or the signature's default. The last choice per model/signature/input is remembered.
 */
import * as vscode from "vscode";
import type { ModelSource } from "../../core/io.js";
import type { SignatureSummary, TensorInfoSummary } from "../../core/savedmodel/types.js";
import type { HostTensor } from "../../core/tensor.js";
import { dtypeText, shapeText, typeText } from "../../core/display.js";
import { tensorLabel } from "../format.js";
import type { ModelEntry } from "../models.js";
import { sourceRootFor } from "../sources.js";
import { byName, fitWarning, incompatibility, type ArrayInfo } from "./compat.js";
import { exampleTemplate, literalHint, literalToTensor, parseExampleJson } from "../../core/inputs/literal.js";
import type { ExampleFeature } from "../../core/savedmodel/examples.js";

export type { ArrayInfo };
import { readerPart } from "../lazy.js";

export type InputChoice =
  | { readonly kind: "file"; readonly uri: string; readonly member?: string }
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "example"; readonly json: string }
  | { readonly kind: "default" };

export interface Candidate {
  readonly uri: vscode.Uri;
  readonly member?: string;
  readonly info?: ArrayInfo;
  /** Why it cannot feed the input; undefined when compatible. */
  readonly reason?: string;
  /** It runs, but its shape is not the one the placeholder declares (the run warns too). */
  readonly warning?: string;
}

const DT_STRING = 7;

/** Reads only the header of a .npy (dtype and shape), from its first bytes. */
export async function npyHeader(source: ModelSource, path: string): Promise<ArrayInfo> {
  const head = await source.read(path, 0, 4096);
  return parseNpyHeader(head, path, async (len) => source.read(path, 0, len));
}

async function parseNpyHeader(head: Uint8Array, path: string, more: (len: number) => Promise<Uint8Array>): Promise<ArrayInfo> {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (head.length < 10 || magic.some((b, i) => head[i] !== b)) throw new Error(`${path}: not a .npy file`);
  const major = head[6]!;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  let bytes = head;
  if (start + hlen > head.length) bytes = await more(start + hlen);
  const text = new TextDecoder("latin1").decode(bytes.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || shapeText === undefined) throw new Error(`${path}: unreadable .npy header`);
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const { dtypeForNpyDescr } = await readerPart();
  return { dtype: dtypeForNpyDescr(descr), descr, shape };
}

/** Largest .npz whose members are decoded to check dtype and shape while listing. */
const NPZ_INSPECT_BYTES = 64 * 1024 * 1024;

/** Members of a .npz with dtype and shape (small archives), or just their names (large ones). */
async function npzMembers(
  source: ModelSource,
  path: string,
): Promise<{ member: string; info?: ArrayInfo; error?: string; unchecked?: boolean }[]> {
  const st = await source.stat(path);
  const bytes = await source.read(path);
  const npz = await readerPart();
  if (!st || st.size > NPZ_INSPECT_BYTES) return npz.listNpz(bytes, path).map((m) => ({ member: m.name, unchecked: true }));
  const arrays = npz.parseNpz(bytes, path);
  return [...arrays.entries()].map(([member, a]) => ({ member, info: { dtype: a.dtype, descr: a.descr, shape: a.shape } }));
}

/** Every .npy / .npz member in the workspace, with its compatibility with `input`. */
export async function findCandidates(
  input: TensorInfoSummary,
  exclude: readonly string[],
  token?: vscode.CancellationToken,
): Promise<Candidate[]> {
  const excludeGlob = exclude.length > 0 ? `{${exclude.join(",")}}` : undefined;
  const uris = await vscode.workspace.findFiles("**/*.{npy,npz}", excludeGlob, 2000, token);
  const out: Candidate[] = [];
  await Promise.all(
    uris.map(async (uri) => {
      const root = sourceRootFor(uri);
      const path = root.pathOf(uri);
      try {
        if (uri.path.endsWith(".npy")) {
          const info = await npyHeader(root.source, path);
          out.push({ uri, info, ...reasonOf(input, info) });
        } else {
          for (const m of await npzMembers(root.source, path)) {
            if (m.info) out.push({ uri, member: m.member, info: m.info, ...reasonOf(input, m.info) });
            else if (m.unchecked) out.push({ uri, member: m.member });
            else out.push({ uri, member: m.member, reason: m.error ?? "unreadable" });
          }
        }
      } catch (e) {
        out.push({ uri, reason: e instanceof Error ? e.message.replace(/^.*?: /, "") : String(e) });
      }
    }),
  );
  return out.sort((a, b) => a.uri.path.localeCompare(b.uri.path) || (a.member ?? "").localeCompare(b.member ?? ""));
}

function reasonOf(input: TensorInfoSummary, info: ArrayInfo): { reason?: string; warning?: string } {
  const r = incompatibility(input, info);
  if (r !== undefined) return { reason: r };
  const w = fitWarning(input, info);
  return w === undefined ? {} : { warning: w };
}

interface ChoiceItem extends vscode.QuickPickItem {
  readonly choice?: InputChoice;
  readonly action?: "literal" | "example";
  readonly disabledReason?: string;
}

function describeChoice(c: InputChoice): string {
  switch (c.kind) {
    case "file":
      return vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri)) + (c.member ? ` [${c.member}]` : "");
    case "literal":
      return `value ${c.text.length > 40 ? c.text.slice(0, 40) + "…" : c.text}`;
    case "example":
      return `tf.Example ${c.json.length > 40 ? c.json.slice(0, 40) + "…" : c.json}`;
    case "default":
      return "the signature's default";
  }
}

/** Shows the picker for one input; undefined when the user cancels. */
export async function pickInput(
  model: ModelEntry,
  sig: SignatureSummary,
  input: TensorInfoSummary,
  last: InputChoice | undefined,
  exclude: readonly string[],
  step: { index: number; total: number },
): Promise<InputChoice | undefined> {
  const qp = vscode.window.createQuickPick<ChoiceItem>();
  qp.title = `Run ${sig.key}: input ${step.index + 1}/${step.total}  ${tensorLabel(input)}`;
  qp.placeholder = `Choose a value for '${input.key}' (${typeText(input.dtypeName, input.shape)})`;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.ignoreFocusOut = true;
  qp.busy = true;
  const isString = (input.dtype > 100 ? input.dtype - 100 : input.dtype) === DT_STRING;
  const head: ChoiceItem[] = [];
  if (last) head.push({ label: `$(history) ${describeChoice(last)}`, description: "last used", choice: last });
  const hint = literalHint(input.dtype, input.shape);
  head.push({ label: "$(edit) Enter a value…", description: `e.g. ${hint}`, action: "literal" });
  const features = isString ? await parsedFeatures(model, sig) : [];
  if (isString)
    head.push({
      label: "$(symbol-structure) tf.Example features (JSON)…",
      description: features.length > 0 ? `the model parses ${featureList(features)}` : 'serialized tf.Example, e.g. [{"x": [2.0]}]',
      action: "example",
    });
  if (sig.defaults.includes(input.key)) head.push({ label: "$(check) Use the signature's default value", choice: { kind: "default" } });
  qp.items = head;
  qp.show();
  const cts = new vscode.CancellationTokenSource();
  const loaded = findCandidates(input, exclude, cts.token).then((cands) => {
    const ok: ChoiceItem[] = [];
    const bad: ChoiceItem[] = [];
    for (const c of byName(cands, input.key)) {
      const label = vscode.workspace.asRelativePath(c.uri) + (c.member !== undefined ? ` › ${c.member}` : "");
      const what = c.info ? `${typeText(c.info.dtype ?? -1, c.info.shape)}` : "";
      if (!c.reason)
        ok.push({
          label: `$(file-binary) ${label}`,
          description: c.warning ? `${what}  $(warning) ${c.warning} (runs; TensorFlow does not enforce placeholder shapes)` : what,
          choice: { kind: "file", uri: c.uri.toString(), ...(c.member !== undefined ? { member: c.member } : {}) },
        });
      else bad.push({ label: `$(circle-slash) ${label}`, description: what, detail: `Not usable: ${c.reason}`, disabledReason: c.reason });
    }
    const sep = (label: string): ChoiceItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
    qp.items = [
      ...head,
      ...(ok.length ? [sep("compatible .npy / .npz")] : []),
      ...ok,
      ...(bad.length ? [sep("incompatible")] : []),
      ...bad,
    ];
    qp.busy = false;
  });
  loaded.catch(() => (qp.busy = false));
  try {
    for (;;) {
      const picked = await new Promise<ChoiceItem | undefined>((resolve) => {
        const subs: vscode.Disposable[] = [];
        subs.push(
          qp.onDidAccept(() => {
            subs.forEach((d) => d.dispose());
            resolve(qp.selectedItems[0]);
          }),
          qp.onDidHide(() => {
            subs.forEach((d) => d.dispose());
            resolve(undefined);
          }),
        );
      });
      if (!picked) return undefined;
      if (picked.disabledReason) {
        qp.placeholder = `That file cannot feed '${input.key}': ${picked.disabledReason}. Choose another.`;
        continue;
      }
      if (picked.choice) return picked.choice;
      qp.hide();
      if (picked.action === "literal") {
        const text = await vscode.window.showInputBox({
          title: `Value for '${input.key}' (${typeText(input.dtypeName, input.shape)})`,
          prompt: `A number, a string, or a nested list (JSON), e.g. ${hint}. Lower-rank values get leading 1-dims.`,
          placeHolder: hint,
          value: last?.kind === "literal" ? last.text : "",
          ignoreFocusOut: true,
          validateInput: (v) => validate(() => literalToTensor(v, input.dtype, input.shape), input),
        });
        return text === undefined ? undefined : { kind: "literal", text };
      }
      const json = await vscode.window.showInputBox({
        title: `tf.Example features for '${input.key}'`,
        prompt:
          (features.length > 0 ? `Features: ${featureList(features, 20)}. ` : "") +
          'One example {"feature": [values]} or a list of them. 2.0 is a float, 2 an int64, "s" bytes.',
        value: last?.kind === "example" ? last.json : features.length > 0 ? exampleTemplate(features) : "",
        ignoreFocusOut: true,
        validateInput: (v) => validate(() => parseExampleJson(v), undefined),
      });
      return json === undefined ? undefined : { kind: "example", json };
    }
  } finally {
    cts.cancel();
    cts.dispose();
    qp.dispose();
  }
}

/** Features the signature's model parses from tf.Examples (its ParseExample nodes); [] when unknown. */
async function parsedFeatures(model: ModelEntry, sig: SignatureSummary): Promise<ExampleFeature[]> {
  try {
    const reader = await model.reader();
    await reader.loadBody();
    const mg = reader.metaGraphs().find((g) => g.signatures.some((s) => s.key === sig.key)) ?? reader.metaGraphs()[0];
    return mg ? (await readerPart()).exampleFeatures(reader.metaGraphDef(mg.index)) : [];
  } catch {
    return [];
  }
}

/** `trip_miles float32[1]`, `company string (sparse)`, … at most `max` of them. */
function featureList(features: readonly ExampleFeature[], max = 4): string {
  const one = (f: ExampleFeature) =>
    `${f.name} ${dtypeText(f.dtype)}${f.kind === "dense" ? shapeText(f.shape ?? []) + (f.required ? "" : " (has default)") : ` (${f.kind})`}`;
  const shown = features.slice(0, max).map(one).join(", ");
  return features.length > max ? `${shown}, … ${features.length - max} more` : shown;
}

function validate(fn: () => unknown, input: TensorInfoSummary | undefined): string | undefined {
  try {
    const t = fn();
    if (input && t && typeof t === "object" && "shape" in t) {
      const tt = t as HostTensor;
      const reason = incompatibility(input, { dtype: tt.dtype, descr: "", shape: tt.shape });
      if (reason) return reason;
    }
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Materializes a choice as a tensor for `input` (undefined: use the default). */
export async function resolveChoice(input: TensorInfoSummary, choice: InputChoice): Promise<HostTensor | undefined> {
  switch (choice.kind) {
    case "default":
      return undefined;
    case "literal":
      return literalToTensor(choice.text, input.dtype, input.shape);
    case "example":
      return (await readerPart()).examplesFromText(choice.json);
    case "file": {
      const uri = vscode.Uri.parse(choice.uri);
      const root = sourceRootFor(uri);
      const path = root.pathOf(uri);
      const { parseNpy, readNpzMember } = await readerPart();
      const bytes = await root.source.read(path);
      const t: HostTensor = choice.member !== undefined ? readNpzMember(bytes, path, choice.member) : parseNpy(bytes, path);
      const reason = incompatibility(input, { dtype: t.dtype, descr: "", shape: t.shape });
      if (reason)
        throw new Error(
          `${vscode.workspace.asRelativePath(uri)}${choice.member ? ` [${choice.member}]` : ""} cannot feed '${input.key}': ${reason}`,
        );
      return { dtype: t.dtype, shape: t.shape, data: t.data };
    }
  }
}

export function describeInputChoice(c: InputChoice): string {
  return describeChoice(c);
}
