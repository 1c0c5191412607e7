/**
 * Typed errors. Every failure caused by input data is one of these: the message names the file and
 * what was wrong, `code` is stable for programs (CLI `--json`, tests, the webview protocol).
 * Never `throw "string"`; never let a RangeError from a DataView escape a reader.
 */
export type ErrorCode =
  | "NOT_FOUND"
  | "NOT_A_SAVEDMODEL"
  | "PROTO_DECODE"
  | "PBTXT_SYNTAX"
  | "BUNDLE_FORMAT"
  | "BUNDLE_CHECKSUM"
  | "BUNDLE_MISSING_SHARD"
  | "NPY_FORMAT"
  | "KERAS_FILE"
  | "LIMIT_EXCEEDED"
  | "TAG_SET_NOT_FOUND"
  | "SIGNATURE_NOT_FOUND"
  | "INVALID_INPUT"
  | "UNSUPPORTED_OP"
  | "UNSAFE_OP"
  | "GRAPH"
  | "ENGINE"
  | "CANCELLED"
  | "OUTSIDE_MODEL"
  | "USAGE"
  | "DESKTOP_ONLY";

export class StudioError extends Error {
  override readonly name: string = "StudioError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The file the problem is in, when there is one. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** saved_model.pb / .pbtxt / keras_metadata.pb / fingerprint.pb that cannot be decoded. */
export class FormatError extends StudioError {
  override readonly name = "FormatError";
  constructor(file: string, what: string, options?: { cause?: unknown; code?: ErrorCode; offset?: number }) {
    super(options?.code ?? "PROTO_DECODE", `${file}: ${what}`, file, options);
    this.offset = options?.offset;
  }
  readonly offset: number | undefined;
}

/** Protobuf text format syntax or schema error, with a 1-based position. */
export class PbtxtError extends StudioError {
  override readonly name = "PbtxtError";
  constructor(
    file: string,
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super("PBTXT_SYNTAX", `${file}:${line}:${column}: ${what}`, file);
  }
}

/** variables.index / variables.data-* problems. */
export class BundleError extends StudioError {
  override readonly name = "BundleError";
  constructor(
    code: "BUNDLE_FORMAT" | "BUNDLE_CHECKSUM" | "BUNDLE_MISSING_SHARD",
    file: string,
    what: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${file}: ${what}`, file, options);
  }
}

/** .npy / .npz problems. */
export class NpyError extends StudioError {
  override readonly name = "NpyError";
  constructor(file: string, what: string, options?: { cause?: unknown }) {
    super("NPY_FORMAT", `${file}: ${what}`, file, options);
  }
}

/** A declared size or nesting beyond the configured budget; raised before allocating. */
export class LimitError extends StudioError {
  override readonly name = "LimitError";
  constructor(file: string | undefined, what: string) {
    super("LIMIT_EXCEEDED", file ? `${file}: ${what}` : what, file);
  }
}

/** A path that resolves (through symbolic links) outside the model directory, or an unsafe output path. */
export class PathError extends StudioError {
  override readonly name = "PathError";
  constructor(file: string, what: string) {
    super("OUTSIDE_MODEL", `${file}: ${what}`, file);
  }
}

export function isStudioError(e: unknown): e is StudioError {
  return e instanceof StudioError;
}

/** A one-line description of any thrown value, for CLIs and notifications. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message.split("\n")[0] ?? e.name;
  return String(e);
}
