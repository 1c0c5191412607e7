/** Copy Signature formats: JSON, a TF Serving REST request skeleton, a Python client snippet. Pure. */
import type { SignatureSummary, TensorInfoSummary } from "../core/savedmodel/types.js";
import { dtypeTextOfName } from "../core/display.js";

export type SnippetKind = "json" | "rest" | "python";

/** Name TF Serving would serve the model under: the base folder of a version folder, else the folder. */
export function servingModelName(relPath: string, folderName: string): string {
  const parts = (relPath === "" ? folderName : relPath).split("/").filter(Boolean);
  const last = parts[parts.length - 1] ?? "model";
  return /^\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2]! : last;
}

function instanceShape(t: TensorInfoSummary): number[] {
  // One instance: drop the batch dimension, unknown dims become 1.
  const s = t.shape ?? [];
  return s.slice(1).map((d) => (d < 0 ? 1 : d));
}

function placeholder(t: TensorInfoSummary, shape: readonly number[]): unknown {
  const dt = dtypeTextOfName(t.dtypeName);
  const leaf = dt === "string" ? "" : dt === "bool" ? false : dt.startsWith("float") || dt === "bfloat16" ? 0.0 : 0;
  const build = (i: number): unknown => (i === shape.length ? leaf : Array.from({ length: Math.min(shape[i]!, 4) }, () => build(i + 1)));
  return build(0);
}

function isExampleInput(sig: SignatureSummary): boolean {
  return /classify|regress/.test(sig.methodName);
}

export function signatureSnippet(kind: SnippetKind, sig: SignatureSummary, tags: readonly string[], modelName: string): string {
  if (kind === "json") {
    const t = (x: TensorInfoSummary) => ({
      key: x.key,
      dtype: x.dtypeName,
      shape: x.shape,
      name: x.name,
      ...(x.cooSparse ? { cooSparse: x.cooSparse } : {}),
    });
    return JSON.stringify(
      {
        model: modelName,
        tags,
        signature: sig.key,
        method: sig.methodName,
        inputs: sig.inputs.map(t),
        outputs: sig.outputs.map(t),
        defaults: sig.defaults,
      },
      null,
      2,
    );
  }
  const verb = isExampleInput(sig) ? (sig.methodName.endsWith("classify") ? "classify" : "regress") : "predict";
  const url = `http://localhost:8501/v1/models/${modelName}:${verb}`;
  let body: Record<string, unknown>;
  if (verb === "predict") {
    const inputs = Object.fromEntries(sig.inputs.map((i) => [i.key, [placeholder(i, instanceShape(i))]]));
    body = { signature_name: sig.key, inputs };
  } else {
    body = { signature_name: sig.key, examples: [{ feature_name: 0.0 }] };
  }
  if (kind === "rest") {
    return [`POST ${url}`, "Content-Type: application/json", "", JSON.stringify(body, null, 2)].join("\n");
  }
  const lines = ["import json", "", "import numpy as np", "import requests", ""];
  if (verb === "predict") {
    for (const i of sig.inputs) {
      const shape = [1, ...instanceShape(i)];
      const dt = dtypeTextOfName(i.dtypeName);
      if (dt === "string")
        lines.push(`${pyIdent(i.key)} = np.array(${JSON.stringify(placeholder(i, shape))}, dtype=object)  # ${i.key}: ${dt}${fmt(i)}`);
      else
        lines.push(
          `${pyIdent(i.key)} = np.zeros((${shape.join(", ")}${shape.length === 1 ? "," : ""}), dtype=np.${dt === "string" ? "object_" : dt})  # ${i.key}: ${dt}${fmt(i)}`,
        );
    }
    lines.push("", `payload = {"signature_name": ${JSON.stringify(sig.key)}, "inputs": {`);
    for (const i of sig.inputs) lines.push(`    ${JSON.stringify(i.key)}: ${pyIdent(i.key)}.tolist(),`);
    lines.push("}}");
  } else {
    lines.push(
      "# tf.Example features, one dict per example",
      `payload = {"signature_name": ${JSON.stringify(sig.key)}, "examples": [{"feature_name": 0.0}]}`,
    );
  }
  lines.push(
    `response = requests.post(${JSON.stringify(url)}, data=json.dumps(payload))`,
    "response.raise_for_status()",
    `print(response.json()${verb === "predict" ? '["outputs"]' : '["results"]'})`,
    "",
    "# Locally, without a server:",
    "# import tensorflow as tf",
    `# fn = tf.saved_model.load("<model dir>", tags=${JSON.stringify(tags)}).signatures[${JSON.stringify(sig.key)}]`,
  );
  return lines.join("\n") + "\n";
}

function fmt(i: TensorInfoSummary): string {
  return i.shape === null ? "[unknown rank]" : `[${i.shape.map((d) => (d < 0 ? "?" : d)).join(", ")}]`;
}

function pyIdent(key: string): string {
  const s = key.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(s) ? `_${s}` : s || "value";
}
