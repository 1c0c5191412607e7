// "Show in Graph": the host answers the webview's awaitReveal long poll through the session's queue.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { SavedModelReader } from "../../../src/core/savedmodel/reader.js";
import { EditorSession, RevealQueue } from "../../../src/editor-model/session.js";
import { FsSource } from "../../../src/node/fsSource.js";
import { ProtocolError, parseRequest, parseResponse } from "../../../src/protocol/editor.js";
import { FIXTURES } from "../helpers/fixtures.js";

const sig = (key: string) => ({ metaGraph: 0, target: { kind: "signature" as const, key } });

void test("a reveal waits for the poll, or the poll for the reveal; the newest pending reveal wins", async () => {
  const q = new RevealQueue();
  q.push(sig("a"));
  q.push(sig("b"));
  assert.deepEqual(await q.next(), sig("b"));
  const waiting = q.next();
  let settled = false;
  void waiting.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(settled, false, "no reveal yet: the poll waits");
  q.push(sig("c"));
  assert.deepEqual(await waiting, sig("c"));
});

void test("awaitReveal through a real session and the protocol's validation on both sides", async () => {
  const reader = await SavedModelReader.open(new FsSource(), join(FIXTURES, "savedmodels", "serving_half_plus_two_cpu"));
  const noop = () => Promise.resolve("");
  const session = new EditorSession(reader, "m", { runSignature: noop, debugSignature: noop, copyRequest: noop, copyText: noop });
  const req = parseRequest({ id: 7, type: "awaitReveal" });
  const pending = session.handle(req);
  session.reveal(sig("regress_x_to_y"));
  const res = parseResponse({ ...(await pending), id: 7 });
  assert.deepEqual(res, { kind: "reveal", metaGraph: 0, target: { kind: "signature", key: "regress_x_to_y" }, id: 7 });
  assert.throws(() => parseResponse({ id: 7, kind: "reveal", metaGraph: 0 }), ProtocolError);
});
