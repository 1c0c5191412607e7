/**
 * A Jupyter notebook's code as one Python source, for the workspace index (training often happens in a
 * notebook that a serving script's load links to): code cells only, `# %%` before each cell, shell
 * (`!`) and magic (`%`) lines commented out so the rest parses. nbformat 4 (`cells`) and 3
 * (`worksheets[].cells`, `input`). Pure.
 */
interface Cell {
  readonly cell_type?: unknown;
  readonly source?: unknown;
  readonly input?: unknown;
}

/** `undefined` when the text is not a notebook. */
export function notebookToPython(json: string): string | undefined {
  let nb: { cells?: unknown; worksheets?: unknown };
  try {
    nb = JSON.parse(json) as typeof nb;
  } catch {
    return undefined;
  }
  if (!nb || typeof nb !== "object") return undefined;
  const cells = Array.isArray(nb.cells)
    ? (nb.cells as Cell[])
    : Array.isArray(nb.worksheets)
      ? (nb.worksheets as { cells?: unknown }[]).flatMap((w) => (Array.isArray(w?.cells) ? (w.cells as Cell[]) : []))
      : undefined;
  if (!cells) return undefined;
  const out: string[] = [];
  for (const c of cells) {
    if (c?.cell_type !== "code") continue;
    out.push("# %%");
    for (const line of cellText(c.source ?? c.input).split("\n")) out.push(/^\s*[!%]/.test(line) ? `# ${line}` : line);
  }
  return `${out.join("\n")}\n`;
}

function cellText(src: unknown): string {
  if (typeof src === "string") return src;
  return Array.isArray(src) ? src.filter((s): s is string => typeof s === "string").join("") : "";
}
