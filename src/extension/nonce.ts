/** A fresh nonce for a webview page's Content-Security-Policy (its one allowed script). */
export function nonce(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
