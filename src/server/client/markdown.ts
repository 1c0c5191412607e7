/**
 * Hover texts (Markdown) for signatures and tensors, with a command link that opens the model editor.
 */
import { mdCode, mdEscape } from "../../core/markdown.js";
import type { SignatureSummary, TensorInfoSummary } from "../../core/savedmodel/types.js";
import { tensorTypeLabel } from "../serving/rest.js";
import { usableSignatures, type ClientModel } from "./models.js";

export const OPEN_MODEL_EDITOR = "savedmodelStudio.openModelEditor";

/**
 * `command:savedmodelStudio.openModelEditor?[uri]`: the argument is a marshalled `file:` Uri
 * (`$mid: 1`), which VS Code revives into a `vscode.Uri` for command links.
 */
export function openEditorLink(dir: string): string {
  const args = [{ $mid: 1, scheme: "file", authority: "", path: dir.startsWith("/") ? dir : "/" + dir }];
  // encodeURIComponent leaves ( ) ! ' * alone: a ")" in a folder name must not end the link target.
  const encoded = encodeURIComponent(JSON.stringify(args)).replace(/[()!'*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  return `command:${OPEN_MODEL_EDITOR}?${encoded}`;
}

/** Model strings go into code spans (never interpreted); in table rows `|` is escaped too. */
function code(s: string): string {
  return mdCode(s);
}

function cell(s: string): string {
  return mdCode(s, { inTable: true });
}

export function shapeText(t: TensorInfoSummary): string {
  return t.shape === null ? "unknown rank" : `[${t.shape.map((d) => (d < 0 ? "None" : String(d))).join(", ")}]`;
}

function dtypeText(t: TensorInfoSummary): string {
  return tensorTypeLabel(t).replace(/\[.*$/, "");
}

function tensorRow(t: TensorInfoSummary, defaults: readonly string[]): string {
  const extra = defaults.includes(t.key) ? " (has default)" : "";
  return `| ${cell(t.key)}${extra} | ${dtypeText(t)} | ${shapeText(t)} | ${t.name !== null ? cell(t.name) : "—"} |`;
}

function modelLabel(m: ClientModel): string {
  return m.base !== undefined ? `${m.base} (version ${m.version ?? "?"})` : m.dir;
}

export function signatureMarkdown(m: ClientModel, sig: SignatureSummary): string {
  const lines = [`**signature** ${code(sig.key)} · method ${code(sig.methodName || "(none)")}`, ""];
  const table = (title: string, ts: readonly TensorInfoSummary[], defaults: readonly string[]) => {
    lines.push(`**${title}**`, "", "| key | dtype | shape | tensor |", "|---|---|---|---|");
    for (const t of ts) lines.push(tensorRow(t, defaults));
    if (ts.length === 0) lines.push("| (none) | | | |");
    lines.push("");
  };
  table("inputs", sig.inputs, sig.defaults);
  table("outputs", sig.outputs, []);
  if (sig.defaults.length > 0) lines.push(`defaults: ${sig.defaults.map(code).join(", ")}`, "");
  lines.push(`model ${code(modelLabel(m))} · tags ${code(m.tags.join(", "))} · [Open in model editor](${openEditorLink(m.dir)})`);
  return lines.join("\n");
}

export function tensorMarkdown(m: ClientModel, sig: SignatureSummary, t: TensorInfoSummary, role: "input" | "output"): string {
  const lines = [
    `**${role}** ${code(t.key)} of signature ${code(sig.key)}`,
    "",
    `- dtype: ${code(dtypeText(t))} (${t.dtypeName})`,
    `- shape: ${code(shapeText(t))}`,
    `- tensor: ${t.name !== null ? code(t.name) : "—"}`,
  ];
  if (role === "input" && sig.defaults.includes(t.key)) lines.push("- has a default value (may be omitted)");
  lines.push("", `model ${code(modelLabel(m))} · [Open in model editor](${openEditorLink(m.dir)})`);
  return lines.join("\n");
}

export function modelMarkdown(m: ClientModel): string {
  const sigs = usableSignatures(m);
  const lines = [
    `**SavedModel** ${code(modelLabel(m))}`,
    "",
    `tags: ${m.tagSets.map((t) => code(t.join(", "))).join(" · ")}`,
    "",
    "**signatures**",
    "",
  ];
  for (const s of sigs)
    lines.push(
      `- ${code(s.key)}(${s.inputs.map((t) => `${mdEscape(t.key)}: ${tensorTypeLabel(t)}`).join(", ")}) → ${s.outputs.map((t) => `${mdEscape(t.key)}: ${tensorTypeLabel(t)}`).join(", ")}`,
    );
  if (sigs.length === 0) lines.push("- (none)");
  lines.push("", `[Open in model editor](${openEditorLink(m.dir)})`);
  return lines.join("\n");
}
