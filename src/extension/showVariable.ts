/** Show Variable: reads one variable's value (lazily, on demand) and shows it in a tensor panel. */
import { tensorDisplay } from "../core/display.js";
import { checkHostValue } from "../editor-model/valueBudget.js";
import type { TensorPage } from "../protocol/results.js";
import type { Ctx } from "./ctx.js";
import type { ModelEntry } from "./models.js";
import { variablePage } from "./run/tensorPage.js";

export async function showVariable(ctx: Ctx, model: ModelEntry, key: string, title: string): Promise<TensorPage | undefined> {
  const reader = await model.reader();
  const bundle = await reader.variables();
  const entry = bundle?.get(key);
  if (!bundle || !entry) throw new Error(`${model.label}: no variable with checkpoint key '${key}'`);
  checkHostValue(entry, key, bundle.indexPath); // the host reads only what fits the editor's value budget
  const t0 = performance.now();
  const t = await bundle.readTensor(key);
  const readMs = performance.now() - t0;
  const page = variablePage({ model: model.label, key, shard: entry.shardId, readMs }, tensorDisplay(t, ctx.config.preview, entry.size));
  return ctx.results.showVariable(`${model.id}|${key}`, `${title} · ${model.label.split("/").pop() ?? model.label}`, page);
}
