// Preloaded (--import) into a child process by attacks.ts: on exit, writes the process's peak resident
// set (KiB, worker threads included) to the file named by SMS_PEAK_RSS_FILE.
import { writeFileSync } from "node:fs";
import process from "node:process";

const file = process.env["SMS_PEAK_RSS_FILE"];
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
