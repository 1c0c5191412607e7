/**
 * The web build's lazy.ts: the worker host cannot `require` a second bundle, so heavy.ts is part of
 * dist/web/extension.js and `heavy()` returns it (its Node-only members are replaced, see desktopOnly.ts).
 */
import * as HeavyModule from "../extension/heavy.js";

export type Heavy = typeof HeavyModule;

export async function heavy(): Promise<Heavy> {
  return HeavyModule;
}
