/**
 * Loads dist/heavy.js (reader, protobuf schemas, .npy, engine) on first use, through parts.ts so a
 * missing bundle is reported to the user. Activation parses only the host bundle.
 */
import type * as HeavyModule from "./heavy.js";
import { requirePart } from "./parts.js";

export type Heavy = typeof HeavyModule;

let cached: Heavy | undefined;

export async function heavy(): Promise<Heavy> {
  cached ??= requirePart<Heavy>("heavy.js");
  return cached;
}
