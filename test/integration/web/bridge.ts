/**
 * The web-worker extension host has no Node: the integration tests reach the launcher's files through
 * a small local HTTP bridge (scripts/integration/run.mjs `--host web`) with synchronous XMLHttpRequest,
 * which workers allow. The bridge's URL is compiled in (`__SMS_BRIDGE__`).
 */
declare const __SMS_BRIDGE__: string;

interface SyncXhr {
  open(method: string, url: string, async: boolean): void;
  send(body: string): void;
  readonly status: number;
  readonly responseText: string;
}
const XHR = (globalThis as unknown as { XMLHttpRequest: new () => SyncXhr }).XMLHttpRequest;

/** Runs `op` (a node:fs function name, or "env") in the launcher with JSON arguments; throws its error. */
export function bridge(op: string, args: unknown[]): unknown {
  const x = new XHR();
  x.open("POST", `${__SMS_BRIDGE__}/${op}`, false);
  x.send(JSON.stringify(args));
  const r = JSON.parse(x.responseText) as { value?: unknown; error?: { message: string; code?: string } };
  if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value;
}
