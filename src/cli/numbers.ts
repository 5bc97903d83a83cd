/**
 * Numbers on the command line: a count or a version is plain ASCII digits within a range, or
 * the command stops before it opens anything.
 *
 * `Number()` and `parseInt()` take far more than a person means by a number: `"1e3"` (1000),
 * `"0x10"` (16), `" 3"`, `"3.0"`, `"+3"`, `""` (0), `"٣"` (parseInt: NaN, but other parsers
 * take it), and `"99999999999999999999"` (rounded to another integer). None of these is taken
 * here.
 *
 * @module
 */
import { StorageError } from "../errors.ts";

/** The range a numeric argument must fall in. */
export interface NumberRange {
  /** The least value taken. */
  min: number;
  /** The greatest value taken (a safe integer). */
  max: number;
}

const DIGITS = /^[0-9]+$/;

/**
 * Parses a numeric argument of the command line: one or more ASCII digits `0`–`9` and nothing
 * else (no sign, space, point, exponent, prefix or other script's digits), within `range`.
 *
 * @param value The argument as given, or `undefined` when it is missing.
 * @param flag How the command line names it, such as `--steps` or `version`.
 * @param range The least and greatest value taken.
 * @returns The number.
 * @throws {StorageError} `validation` naming the flag, the range and the value given.
 *
 * @example
 * ```ts
 * import { parseNumberArgument } from "./numbers.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseNumberArgument("12", "--steps", { min: 1, max: 100 }), 12);
 * assert.throws(() => parseNumberArgument("1e3", "--steps", { min: 1, max: 10_000 }));
 * ```
 */
export function parseNumberArgument(
  value: string | undefined,
  flag: string,
  range: NumberRange,
): number {
  // BigInt of plain digits is exact however many there are, so no value is rounded into range.
  if (
    value !== undefined && DIGITS.test(value) &&
    BigInt(value) >= BigInt(range.min) && BigInt(value) <= BigInt(range.max)
  ) {
    return Number(value);
  }
  const got = value === undefined ? "nothing" : JSON.stringify(value);
  throw new StorageError(
    "validation",
    `Invalid ${flag}: must be a whole number from ${range.min} to ${range.max} in plain ` +
      `digits 0-9: got ${got}`,
    { field: flag },
  );
}
