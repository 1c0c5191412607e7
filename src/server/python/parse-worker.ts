/**
 * Parse worker (worker_threads): its own web-tree-sitter and Python grammar. For a job it claims block
 * indices from the counter it shares with the server thread (parse-protocol.ts `claimNext`), parses and encodes each claimed
 * block (ast.ts `encodeTree`, the same code as the inline path) and posts the encodings back in
 * batches, transferring the buffers. See parse-pool.ts for the protocol.
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { encodeTree, NODE_INTS } from "./ast.js";
import { createPythonParser } from "./parser.js";
import { claimNext, CTL, jobTag, type JobMessage, type ResultMessage, type WorkerData } from "./parse-protocol.js";

const BATCH = 16;

async function start(): Promise<void> {
  const data = workerData as WorkerData;
  const ctl = new Int32Array(data.ctl);
  const port: MessagePort = data.port;
  const parser = await createPythonParser({ files: { runtime: data.runtime, python: data.python } });
  port.on("message", (job: JobMessage) => {
    if (job.crash) process.exit(1); // tests: a worker that dies
    let items: number[] = [];
    let parts: Int32Array[] = [];
    let ints = 0;
    let claimed = 0;
    const flush = (): void => {
      if (items.length === 0) return;
      const all = new Int32Array(ints);
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      const index = Int32Array.from(items);
      const msg: ResultMessage = { id: job.id, index, data: all };
      port.postMessage(msg, [index.buffer, all.buffer]);
      Atomics.add(ctl, CTL.POSTED, 1);
      Atomics.notify(ctl, CTL.POSTED);
      items = [];
      parts = [];
      ints = 0;
    };
    const tag = jobTag(job.id);
    for (;;) {
      const i = claimNext(ctl, tag, job.texts.length);
      if (i < 0) break;
      if (job.crashAfter !== undefined && claimed >= job.crashAfter) process.exit(1); // tests: dies holding a claim
      claimed++;
      const tree = parser.parse(job.texts[i]!);
      if (!tree) throw new Error("tree-sitter returned no tree");
      const enc = encodeTree(tree);
      tree.delete();
      const n = enc.count * NODE_INTS;
      items.push(i, enc.count, enc.hasError ? 1 : 0);
      parts.push(enc.data.subarray(0, n));
      ints += n;
      if (items.length >= BATCH * 3) flush();
    }
    flush();
  });
  Atomics.store(ctl, CTL.READY, 1);
  Atomics.notify(ctl, CTL.READY);
}

if (parentPort) {
  start().catch(() => process.exit(2));
}
