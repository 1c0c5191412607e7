/**
 * `savedmodel` command line: thin over core/runtime. Exit code 0 on success; 1 with a one-line error
 * on bad input (stack trace only with --debug).
 */
import { terminalSafe } from "../core/terminal.js";
import { describeError, isStudioError } from "../core/errors.js";
import { UsageError, type CliIO, type CommandFn } from "./io.js";
import { scanCommand } from "./commands/scan.js";
import { showCommand } from "./commands/show.js";
import { varsCommand } from "./commands/vars.js";

const HELP = `usage: savedmodel <command> [options]

Commands (no Python or TensorFlow needed):
  show   what a SavedModel contains (saved_model_cli show options, plus --json)
  scan   deny-listed ops (ReadFile, WriteFile, PrintV2 by default)
  vars   checkpoint variables (like inspect_checkpoint); --name X --values prints one
  run    run a signature on .npy/.npz inputs, literals or tf.Examples
  trace  run a signature node by node; one row per node (statistics, NaN/Inf, time) as CSV/JSON

Run 'savedmodel <command> --help' for a command's options. Add --debug for stack traces.
`;

/** Commands are loaded on demand: `show` never pays for the engine. */
const COMMANDS: Record<string, () => Promise<CommandFn>> = {
  show: async () => showCommand,
  scan: async () => scanCommand,
  vars: async () => varsCommand,
  run: async () => (await import("./commands/run.js")).runCommand,
  trace: async () => (await import("./commands/trace.js")).traceCommand,
};

export async function main(argv: string[], rawIO: CliIO): Promise<number> {
  // Model strings reach the terminal through these: control sequences become visible escapes.
  const io: CliIO = { ...rawIO, stdout: (s) => rawIO.stdout(terminalSafe(s)), stderr: (s) => rawIO.stderr(terminalSafe(s)) };
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  const [name, ...rest] = args;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(HELP);
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`savedmodel: unknown command '${name}' (expected one of: ${Object.keys(COMMANDS).join(", ")})\n`);
    return 1;
  }
  try {
    return await (
      await load()
    )(rest, io);
  } catch (e) {
    if (debug) io.stderr(stackOf(e));
    const known = isStudioError(e) || e instanceof UsageError || (e instanceof TypeError && /parseArgs|option/i.test(e.message));
    const prefix = known ? "" : "internal error: ";
    io.stderr(`savedmodel ${name}: ${prefix}${describeError(e)}\n`);
    return 1;
  }
}

/** The stack of an error and of every error it wraps (`cause`): a kernel failure's real origin. */
function stackOf(e: unknown): string {
  const parts: string[] = [];
  for (let c: unknown = e, depth = 0; c !== undefined && depth < 8; depth++) {
    parts.push(c instanceof Error ? (c.stack ?? c.message) : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  return parts.join("\ncaused by: ") + "\n";
}

/** Process entry (bin/savedmodel.js, or `node dist/cli.js`). */
export function cliEntry(): void {
  // `savedmodel show ... | head`: the reader went away; stop quietly, as other Unix tools do.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: CliIO = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), cwd: process.cwd() };
  main(process.argv.slice(2), io).then(exitWhenWritten, (e: unknown) => {
    process.stderr.write(`savedmodel: internal error: ${describeError(e)}\n`);
    exitWhenWritten(1);
  });
}

/**
 * Every command is finished when main settles: exit once what it wrote is flushed, rather than when the event loop
 * drains. An engine worker stopped by Ctrl-C in the middle of a loop can take longer than a second to tear down
 * on a loaded machine, and the user asked to stop.
 */
function exitWhenWritten(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

if (require.main === module) cliEntry();
