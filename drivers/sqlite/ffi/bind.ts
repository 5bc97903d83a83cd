/**
 * Binding JavaScript values to statement parameters of the FFI engine, without allocating on the
 * common paths: text is encoded into a reusable buffer per parameter position.
 *
 * @module
 */
import type { Sqlite3 } from "./library.ts";

/** `SQLITE_STATIC`: SQLite reads the caller's memory until the statement is rebound or reset. */
const STATIC = null;
/** Text longer than this (encoded) gets a buffer of its own, copied by SQLite. */
const MAX_SLOT_BYTES = 32 * 1024;
/** Strings this short are encoded by a loop while they stay ASCII. */
const SHORT = 32;

const encoder = new TextEncoder();

/**
 * Binds values for one database handle. Text goes into a buffer kept per parameter position and
 * is bound `SQLITE_STATIC`: safe because every statement is bound, stepped and reset in one
 * synchronous call, and is bound again before it steps again.
 */
export class Binder {
  readonly #lib: Sqlite3;
  readonly #slots: Uint8Array[] = [];
  /** `SQLITE_TRANSIENT`: SQLite copies the value before the bind call returns. */
  readonly #transient: Deno.PointerObject;

  /** @param lib The library's functions. */
  constructor(lib: Sqlite3) {
    this.#lib = lib;
    this.#transient = Deno.UnsafePointer.create(0xffff_ffff_ffff_ffffn)!;
  }

  /**
   * Binds one value.
   *
   * @param statement The statement.
   * @param index The 1-based parameter position.
   * @param value A number, bigint, string, `null`, or bytes (`Uint8Array` or another view).
   * @returns SQLite's result code.
   * @throws {TypeError} For a value of another type.
   * @throws {RangeError} For a bigint outside 64 bits.
   */
  bind(statement: Deno.PointerObject, index: number, value: unknown): number {
    const lib = this.#lib;
    switch (typeof value) {
      case "number":
        if ((value | 0) === value) {
          // `value | 0` turns -0 (which passes the test above) into 0: Deno's FFI refuses -0
          // as an i32.
          return lib.sqlite3_bind_int(statement, index, value | 0);
        }
        if (Number.isSafeInteger(value)) {
          return lib.sqlite3_bind_int64(statement, index, BigInt(value));
        }
        return lib.sqlite3_bind_double(statement, index, value);
      case "string":
        return this.#text(statement, index, value);
      case "bigint":
        if (BigInt.asIntN(64, value) !== value) {
          throw new RangeError(
            `Cannot bind SQLite parameter ${index} as the bigint does not fit in 64 bits: ${value}`,
          );
        }
        return lib.sqlite3_bind_int64(statement, index, value);
      case "object":
        if (value === null) return lib.sqlite3_bind_null(statement, index);
        if (ArrayBuffer.isView(value)) {
          const bytes = value instanceof Uint8Array
            ? value
            : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
          return bytes.length === 0
            ? lib.sqlite3_bind_zeroblob(statement, index, 0)
            : lib.sqlite3_bind_blob(
              statement,
              index,
              bytes,
              bytes.length,
              this.#transient,
            );
        }
    }
    throw new TypeError(
      `Cannot bind SQLite parameter ${index} as its type is unsupported: got ${
        value === undefined ? "undefined" : typeof value
      }`,
    );
  }

  #text(statement: Deno.PointerObject, index: number, value: string): number {
    const lib = this.#lib;
    const length = value.length;
    const most = length * 3;
    if (most > MAX_SLOT_BYTES) {
      const bytes = encoder.encode(value);
      return lib.sqlite3_bind_text(
        statement,
        index,
        bytes,
        bytes.length,
        this.#transient,
      );
    }
    let slot = this.#slots[index];
    if (slot === undefined || slot.length < most) {
      slot = this.#slots[index] = new Uint8Array(
        Math.max(256, 2 ** Math.ceil(Math.log2(most))),
      );
    }
    let written = 0;
    if (length <= SHORT) {
      for (; written < length; written++) {
        const code = value.charCodeAt(written);
        if (code > 0x7f) break;
        slot[written] = code;
      }
    }
    if (written < length) written = encoder.encodeInto(value, slot).written;
    return lib.sqlite3_bind_text(statement, index, slot, written, STATIC);
  }
}
