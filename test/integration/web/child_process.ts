/** node:child_process for the web test bundle: the web-worker host starts no processes (the tests that do are skipped there). */
export function spawnSync(): never {
  throw new Error("the web-worker extension host has no child processes");
}
