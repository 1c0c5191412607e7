/**
 * An output channel that drops writes once VS Code has closed it. While the window shuts down or
 * switches workspaces, our channel is disposed before the language client has finished stopping; the
 * client then logs a failed request into it, VS Code throws "Channel has been closed", and the Extension
 * Host log fills with `provider FAILED` errors. Only that error is swallowed; anything else still throws.
 * No `vscode` import: the host wraps the channel it creates.
 */
const CLOSED = /Channel has been closed/;

export function guardChannel<T extends object>(channel: T): T {
  return new Proxy(channel, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        try {
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        } catch (e) {
          if (e instanceof Error && CLOSED.test(e.message)) return undefined;
          throw e;
        }
      };
    },
  });
}
