// A minimal DAP client over stdio for the adapter tests: spawns `node dist/debugAdapter.js`,
// frames messages with Content-Length headers, matches responses to requests and queues events.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { REPO_ROOT } from "../helpers/fixtures.js";

export const ADAPTER = join(REPO_ROOT, "dist", "debugAdapter.js");

type Waiter = { match: (e: DebugProtocol.Event) => boolean; resolve: (e: DebugProtocol.Event) => void };

export class DapClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buf = Buffer.alloc(0);
  private seq = 1;
  private readonly pending = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly events: DebugProtocol.Event[] = [];
  private waiters: Waiter[] = [];
  stderr = "";

  constructor() {
    if (!existsSync(ADAPTER)) throw new Error(`${ADAPTER} is missing: run npm run build first`);
    this.proc = spawn(process.execPath, [ADAPTER], { stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stdout.on("data", (d: Buffer) => this.data(d));
    this.proc.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
  }

  private data(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const head = this.buf.indexOf("\r\n\r\n");
      if (head < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, head).toString())?.[1]);
      if (this.buf.length < head + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(head + 4, head + 4 + len).toString()) as DebugProtocol.ProtocolMessage;
      this.buf = this.buf.subarray(head + 4 + len);
      if (msg.type === "response") {
        const r = msg as DebugProtocol.Response;
        this.pending.get(r.request_seq)?.(r);
        this.pending.delete(r.request_seq);
      } else if (msg.type === "event") this.event(msg as DebugProtocol.Event);
    }
  }

  private event(e: DebugProtocol.Event): void {
    const w = this.waiters.find((x) => x.match(e));
    if (w) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(e);
    } else this.events.push(e);
  }

  /** Sends a request; resolves with the response (success or not). */
  request<R extends DebugProtocol.Response>(command: string, args?: unknown): Promise<R> {
    const seq = this.seq++;
    const body = JSON.stringify({ seq, type: "request", command, arguments: args });
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return new Promise((resolve) => this.pending.set(seq, resolve as (r: DebugProtocol.Response) => void));
  }

  /** The next event named `name` (or any of several names; queued or future), failing after `ms`. */
  waitEvent<E extends DebugProtocol.Event>(name: string | readonly string[], ms = 60_000): Promise<E> {
    const names = typeof name === "string" ? [name] : name;
    const i = this.events.findIndex((e) => names.includes(e.event));
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0] as E);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${names.join("' or '")}' event within ${ms} ms; stderr: ${this.stderr}`)), ms);
      this.waiters.push({
        match: (e) => names.includes(e.event),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as E);
        },
      });
    });
  }

  /** Events of a kind received so far (removed from the queue). */
  drain(name: string): DebugProtocol.Event[] {
    const out = this.events.filter((e) => e.event === name);
    for (const e of out) this.events.splice(this.events.indexOf(e), 1);
    return out;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      this.proc.once("exit", () => resolve());
      this.proc.stdin.end();
      this.proc.kill();
    });
  }
}
