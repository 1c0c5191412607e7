import assert from "node:assert/strict";
import { test } from "node:test";
import { guardChannel } from "../../../src/extension/guardChannel.js";

/** Behaves like VS Code's LogOutputChannel: every write throws once it is disposed. */
class FakeChannel {
  lines: string[] = [];
  closed = false;
  readonly name = "SavedModel Studio";
  info(line: string): void {
    if (this.closed) throw new Error("Channel has been closed");
    this.lines.push(line);
  }
  show(): void {
    throw new Error("something else");
  }
  dispose(): void {
    this.closed = true;
  }
}

void test("writes after the channel closed are dropped, not thrown (shutdown, workspace switch); other errors still throw", () => {
  const raw = new FakeChannel();
  const log = guardChannel(raw);
  log.info("before");
  assert.equal(log.name, "SavedModel Studio");
  log.dispose();
  assert.throws(() => raw.info("unguarded"), /Channel has been closed/);
  log.info("after");
  assert.deepEqual(raw.lines, ["before"]);
  assert.throws(() => log.show(), /something else/);
});
