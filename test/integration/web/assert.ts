/** node:assert/strict for the web test bundle: the assertions the suites use, with Node's meaning. */
export class AssertionError extends Error {
  override readonly name = "AssertionError";
}

const show = (v: unknown): string => {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x))?.slice(0, 400) ?? String(v);
  } catch {
    return String(v);
  }
};

function fail(message: string | Error | undefined, dflt: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError(message ?? dflt);
}

export function ok(value: unknown, message?: string | Error): asserts value {
  if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
}

export function equal<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
  if (!Object.is(actual, expected)) fail(message, `${show(actual)} !== ${show(expected)}`);
}

export function notEqual(actual: unknown, expected: unknown, message?: string | Error): void {
  if (Object.is(actual, expected)) fail(message, `${show(actual)} === ${show(expected)}`);
}

/** Strict deep equality: same prototype, same own enumerable keys, values compared the same way. */
export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Map && b instanceof Map)
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && isDeepStrictEqual(v, b.get(k)));
  if (a instanceof Set && b instanceof Set) return a.size === b.size && [...a].every((v) => b.has(v));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isDeepStrictEqual((a as never)[k], (b as never)[k]));
}

export function deepEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T {
  if (!isDeepStrictEqual(actual, expected)) fail(message, `not deep-equal:\n  actual   ${show(actual)}\n  expected ${show(expected)}`);
}

export function match(value: string, re: RegExp, message?: string | Error): void {
  if (typeof value !== "string" || !re.test(value)) fail(message, `${show(value)} does not match ${re}`);
}

export function doesNotMatch(value: string, re: RegExp, message?: string | Error): void {
  if (typeof value !== "string" || re.test(value)) fail(message, `${show(value)} matches ${re}`);
}

type Expected = RegExp | ((e: unknown) => boolean) | (new (...a: never[]) => unknown) | object;

function check(e: unknown, expected: Expected | undefined): void {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    const text = e instanceof Error ? e.message : String(e);
    if (!expected.test(text) && !expected.test(String(e))) throw new AssertionError(`error ${show(text)} does not match ${expected}`);
  } else if (typeof expected === "function") {
    if ((expected as { prototype?: unknown }).prototype !== undefined && e instanceof (expected as new () => unknown)) return;
    if ((expected as (e: unknown) => boolean)(e) !== true) throw new AssertionError("the error did not pass the validation function");
  } else {
    for (const [k, v] of Object.entries(expected)) {
      const got = (e as Record<string, unknown>)[k];
      if (v instanceof RegExp ? !v.test(String(got)) : !isDeepStrictEqual(got, v))
        throw new AssertionError(`error.${k} is ${show(got)}, expected ${show(v)}`);
    }
  }
}

export async function rejects(p: Promise<unknown> | (() => Promise<unknown>), expected?: Expected, message?: string): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    check(e, expected);
    return;
  }
  fail(message, "expected the promise to reject");
}

export function throws(fn: () => unknown, expected?: Expected, message?: string): void {
  try {
    fn();
  } catch (e) {
    check(e, expected);
    return;
  }
  fail(message, "expected the function to throw");
}
