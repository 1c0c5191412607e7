/** The `process` global of the web test bundle (esbuild `inject`): the launcher's environment for the suite. */
import { bridge } from "./bridge.js";

export const process = {
  env: bridge("env", []) as Record<string, string | undefined>,
  pid: 1,
  platform: "web",
};
