// Types for the untyped `snappyjs` package (raw snappy block format, no framing).
declare module "snappyjs" {
  /** Throws a plain Error on an invalid stream or when the declared length exceeds `maxLength`. */
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(uncompressed: Uint8Array): Uint8Array;
  const snappy: { uncompress: typeof uncompress; compress: typeof compress };
  export default snappy;
}

// Types for the untyped `jsfive` package (HDF5 reader over an in-memory buffer), the part we use.
declare module "jsfive" {
  export class File {
    constructor(buffer: ArrayBuffer, filename: string);
    /** Attributes of the root group (strings for HDF5 string attributes). */
    readonly attrs: Record<string, unknown>;
  }
}
