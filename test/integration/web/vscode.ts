/**
 * `vscode` for the suites in the web bundle (run.mjs routes the suites' `vscode` imports here; this file
 * gets the real one). In code-server the node host's `file:` URIs are the remote machine's files; in the
 * web-worker host `file:` means the browser's local files, and the remote machine's are the workspace
 * folder's `vscode-remote:` URIs. The suites build URIs with `Uri.file(<remote path>)`, so here that
 * gives the workspace folder's scheme and authority; everything else is the real API.
 */
import * as real from "vscode";

export * from "vscode";

function remoteFile(path: string): real.Uri {
  const folder = real.workspace.workspaceFolders?.[0]?.uri;
  return folder && folder.scheme !== "file" ? folder.with({ path, query: "", fragment: "" }) : real.Uri.file(path);
}

export const Uri = new Proxy(real.Uri, {
  get: (target, key, receiver) => (key === "file" ? remoteFile : Reflect.get(target, key, receiver)),
});
