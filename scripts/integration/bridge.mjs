// The file bridge of the web pass (run.mjs --host web): the tests run in the web-worker extension host,
// which has no Node, and reach the launcher's files with synchronous XMLHttpRequest (test/integration/web/fs.ts).
// POST /<node:fs function> with a JSON argument list → {value} or {error}; POST /env → the suite's variables.
// Listens on 127.0.0.1 only, for the length of one run.
import * as fs from "node:fs";
import { createServer } from "node:http";

const OPS = {
  readFileSync: (file) => fs.readFileSync(file).toString("base64"),
  writeFileSync: (file, b64) => fs.writeFileSync(file, Buffer.from(b64, "base64")),
  existsSync: (p) => fs.existsSync(p),
  readdirSync: (p) => fs.readdirSync(p),
  mkdirSync: (p, o) => void fs.mkdirSync(p, o),
  rmSync: (p, o) => fs.rmSync(p, o),
  renameSync: (a, b) => fs.renameSync(a, b),
  copyFileSync: (a, b) => fs.copyFileSync(a, b),
  cpSync: (a, b, o) => fs.cpSync(a, b, o),
  symlinkSync: (a, b) => fs.symlinkSync(a, b),
};

export async function startBridge() {
  let env = {};
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const op = decodeURIComponent(req.url.slice(1));
      let out;
      try {
        const args = body ? JSON.parse(body) : [];
        if (op === "env") out = { value: env };
        else if (Object.hasOwn(OPS, op)) out = { value: OPS[op](...args) ?? null };
        else out = { error: { message: `bridge: unknown operation ${op}` } };
      } catch (e) {
        out = { error: { message: String(e?.message ?? e), code: e?.code } };
      }
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
      });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    setEnv: (e) => (env = e),
    close: () => server.close(),
  };
}
