/** Checks feeds against a prepared signature before running: keys, then the one input policy (feedPolicy.ts). */
import { StudioError } from "../core/errors.js";
import type { HostTensor } from "../core/tensor.js";
import { SHAPE_NOT_ENFORCED } from "./feedPolicy.js";
import { feedMismatch } from "./feeds.js";
import type { TensorSpec } from "./types.js";

/**
 * Throws INVALID_INPUT for unknown keys (listing the valid ones) and for a feed of the wrong dtype;
 * returns a warning for each feed whose shape does not fit the placeholder (specs are the graph's, see
 * feeds.ts; the policy is feedPolicy.ts).
 */
export function validateFeeds(signature: string, inputs: readonly TensorSpec[], feeds: Readonly<Record<string, HostTensor>>): string[] {
  const byKey = new Map(inputs.map((i) => [i.key, i]));
  const unknown = Object.keys(feeds).filter((k) => !byKey.has(k));
  if (unknown.length > 0) {
    const valid = inputs.map((i) => i.key).join(", ") || "(none)";
    throw new StudioError(
      "INVALID_INPUT",
      `'${signature}' has no input ${unknown.map((k) => `'${k}'`).join(", ")}; valid inputs: ${valid}`,
    );
  }
  const warnings: string[] = [];
  for (const [key, t] of Object.entries(feeds)) {
    const spec = byKey.get(key)!;
    const m = feedMismatch(spec, t);
    if (m?.level === "refuse")
      throw new StudioError("INVALID_INPUT", `input '${key}' of '${signature}' (${spec.name}) cannot take this value: ${m.reason}`);
    if (m) warnings.push(`input '${key}' (${spec.name}): ${m.reason}; ${SHAPE_NOT_ENFORCED}`);
  }
  return warnings;
}

export { validateFeeds as validateInputs };
