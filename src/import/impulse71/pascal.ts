/**
 * Borland Pascal 7 field primitives: `string[N]`, little-endian integers, sets and
 * booleans, plus {@linkcode RecordReader}, which reads the fields of one record and reports
 * what is odd about them.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import { decodeCp437 } from "./cp437.ts";
import {
  decodeStamp,
  type Impulse71Date,
  type Impulse71Stamp,
  parseDateText,
} from "./dates.ts";
import { type DecodeContext, report } from "./problems.ts";

/** A decoded `string[N]`. */
export interface PascalString {
  /** The text: the first `min(L, N)` bytes after the length byte, CP437-decoded. */
  text: string;
  /** The length byte L as stored. */
  length: number;
  /** Whether L was greater than N, so the text was cut to N bytes. */
  clamped: boolean;
}

/**
 * Reads a `string[N]`: a length byte, then that many bytes; the rest of the field is
 * garbage and is never read. A length above N is clamped to N.
 *
 * @param bytes The record.
 * @param offset Where the length byte is.
 * @param max N, the declared capacity.
 * @returns The text, the stored length, and whether it was clamped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPascalString } from "./pascal.ts";
 *
 * const field = new Uint8Array([2, 0x48, 0x49, 0x21, 0x21]); // "HI" then garbage "!!"
 * assert.equal(readPascalString(field, 0, 4).text, "HI");
 * ```
 */
export function readPascalString(
  bytes: Uint8Array,
  offset: number,
  max: number,
): PascalString {
  const length = bytes[offset] ?? 0;
  const clamped = length > max;
  const end = Math.min(offset + 1 + Math.min(length, max), bytes.length);
  return {
    text: decodeCp437(bytes.subarray(offset + 1, end)),
    length,
    clamped,
  };
}

/**
 * Reads a Pascal `set` as the sorted list of its members.
 *
 * @param bytes The record.
 * @param offset Where the set starts.
 * @param size The set's size in bytes.
 * @param low The lowest member the set type allows (`lo` of `set of lo..hi`).
 * @returns The members present, ascending.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSet } from "./pascal.ts";
 *
 * // set of '@'..'Z': 'A' is bit 1 of byte 0, 'Z' bit 2 of byte 3.
 * assert.deepEqual(readSet(new Uint8Array([0b10, 0, 0, 0b100]), 0, 4, 64), [65, 90]);
 * ```
 */
export function readSet(
  bytes: Uint8Array,
  offset: number,
  size: number,
  low = 0,
): number[] {
  const base = low - (low % 8);
  const members: number[] = [];
  for (let index = 0; index < size; index++) {
    const byte = bytes[offset + index] ?? 0;
    for (let bit = 0; bit < 8; bit++) {
      const member = base + index * 8 + bit;
      if ((byte & (1 << bit)) !== 0 && member >= low) members.push(member);
    }
  }
  return members;
}

/**
 * Reads the fields of one fixed-size record, reporting clamped strings and unparseable
 * dates to the decode context under the record's number.
 */
export class RecordReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #context: DecodeContext;
  readonly #record: number | null;

  /**
   * Wraps one record.
   *
   * @param bytes The record's bytes.
   * @param context The file, the time zone and the problem list.
   * @param record The record's 0-based number in its file, or `null` when it has none.
   */
  constructor(
    bytes: Uint8Array,
    context: DecodeContext,
    record: number | null,
  ) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#context = context;
    this.#record = record;
  }

  /** An unsigned byte (`byte`, `char` ordinal, enumeration). */
  u8(offset: number): number {
    return this.#view.getUint8(offset);
  }

  /** A boolean: any non-zero byte is true. */
  bool(offset: number): boolean {
    return this.#view.getUint8(offset) !== 0;
  }

  /** A signed 16-bit little-endian `integer`. */
  i16(offset: number): number {
    return this.#view.getInt16(offset, true);
  }

  /** An unsigned 16-bit little-endian `word`. */
  u16(offset: number): number {
    return this.#view.getUint16(offset, true);
  }

  /** A signed 32-bit little-endian `longint`. */
  i32(offset: number): number {
    return this.#view.getInt32(offset, true);
  }

  /** A run of raw bytes as numbers. */
  bytes(offset: number, size: number): number[] {
    return Array.from(this.#bytes.subarray(offset, offset + size));
  }

  /** A `set` as its members; see {@linkcode readSet}. */
  set(offset: number, size: number, low = 0): number[] {
    return readSet(this.#bytes, offset, size, low);
  }

  /** A `string[max]`; a length above `max` is clamped and reported under `field`. */
  string(offset: number, max: number, field: string): string {
    const value = readPascalString(this.#bytes, offset, max);
    if (value.clamped) {
      report(
        this.#context,
        "clamped_string",
        this.#record,
        `Field "${field}" has length ${value.length}, more than its ${max}: cut to ${
          plural(max, "character")
        }`,
      );
    }
    return value.text;
  }

  /** A `MM/DD/YY` `string[8]`; text that is not a valid date is kept raw and reported. */
  date(offset: number, field: string): Impulse71Date {
    const value = parseDateText(
      this.string(offset, 8, field),
      this.#context.timeZone,
    );
    if (value.raw !== "" && value.date === null) {
      report(
        this.#context,
        "unparseable_date",
        this.#record,
        `Field "${field}" is not a MM/DD/YY date, kept as text: "${value.raw}"`,
      );
    }
    return value;
  }

  /** A packed stamp; `null` when unset, or when out of range (then reported). */
  stamp(offset: number, field: string): Impulse71Stamp | null {
    const value = decodeStamp(this.#bytes, offset, this.#context.timeZone);
    if (value !== "invalid") return value;
    const hex = this.bytes(offset, 6)
      .map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    report(
      this.#context,
      "unparseable_date",
      this.#record,
      `Field "${field}" is not a valid packed date, read as unset: ${hex}`,
    );
    return null;
  }
}

/**
 * Adds a property that `console.log`, `JSON.stringify` and object spread do not show, for
 * clear-text secrets such as passwords.
 *
 * @param target The object to extend.
 * @param key The property name.
 * @param value The secret.
 * @returns `target`, typed with the new property.
 */
export function withSecret<T extends object, K extends string>(
  target: T,
  key: K,
  value: string,
): T & { readonly [P in K]: string } {
  Object.defineProperty(target, key, { value, enumerable: false });
  return target as T & { readonly [P in K]: string };
}

/** Names the members of a flag set, in ordinal order. */
export function flagNames<const N extends readonly string[]>(
  members: readonly number[],
  names: N,
): N[number][] {
  return members.flatMap((member) => {
    const name = names[member];
    return name === undefined ? [] : [name];
  });
}

/** Compares two user names as Impulse did: upper-cased, trimmed. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}
