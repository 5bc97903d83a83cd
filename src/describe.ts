/**
 * Looking at values a caller passed without trusting them: a date's real time, the part of a
 * value that throws when read, and a rendering of a value for messages. Internal.
 *
 * @module
 */

/**
 * The time of a real `Date`, read through `Date.prototype.getTime` itself, or `undefined` for
 * anything else. An object that only inherits from `Date.prototype`, a Proxy of a Date, or a
 * subclass overriding `getTime` cannot pass or lie: the intrinsic reads the hidden date slot.
 *
 * @param value Anything.
 * @returns The time in milliseconds, or `undefined`.
 */
export function timeOf(value: unknown): number | undefined {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/**
 * The path of the first part of `value` that throws when read (its keys, or a property), a few
 * levels deep, or `undefined` when none does (only an error path calls it: it runs getters).
 *
 * @param value Anything.
 * @param depth How many levels to look into.
 * @returns The keys leading to it; empty when `value` itself cannot be read.
 */
export function unreadablePath(
  value: unknown,
  depth = 5,
): string[] | undefined {
  if (typeof value !== "object" && typeof value !== "function") return;
  if (value === null) return;
  let keys: (string | symbol)[];
  try {
    Object.getPrototypeOf(value);
    keys = Reflect.ownKeys(value);
  } catch {
    return [];
  }
  for (const key of keys) {
    if (typeof key === "symbol") continue;
    let inner: unknown;
    try {
      inner = (value as Record<string, unknown>)[key];
    } catch {
      return [key];
    }
    const below = depth > 1 ? unreadablePath(inner, depth - 1) : undefined;
    if (below !== undefined) return [key, ...below];
  }
  return undefined;
}

/**
 * How many characters a string has, as every length limit of the package counts them: Unicode
 * code points, so an emoji or a mathematical letter (two UTF-16 units) is one character, as `é`
 * is. A lone surrogate counts as one. Walks the string once without copying it.
 *
 * @param s A string.
 * @returns Its code points.
 *
 * @example
 * ```ts
 * import { characters } from "./describe.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(characters("😀".repeat(40)), 40);
 * assert.equal("😀".repeat(40).length, 80);
 * ```
 */
export function characters(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const unit = s.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = s.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      n--;
      i++;
    }
  }
  return n;
}

/**
 * A count with its noun, singular for exactly one: `1 row`, `2 rows`, `0 rows`.
 *
 * @param count How many.
 * @param noun The noun for one.
 * @param nouns The noun for any other count (the noun with `s` by default).
 * @returns The phrase.
 *
 * @example
 * ```ts
 * import { plural } from "./describe.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(plural(1, "row"), "1 row");
 * assert.equal(plural(2, "entry", "entries"), "2 entries");
 * ```
 */
export function plural(
  count: number,
  noun: string,
  nouns = `${noun}s`,
): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/**
 * As {@linkcode plural}, the count with thousands separators (`150,000 rows`), as progress
 * lines show it: for reports a person reads.
 *
 * @param count How many.
 * @param noun The singular.
 * @param nouns The plural; the singular with `s` by default.
 * @returns The count and the noun.
 */
export function counted(
  count: number,
  noun: string,
  nouns = `${noun}s`,
): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? noun : nouns}`;
}

/** Strings longer than this (in UTF-16 units) are described by their length in units. */
const LONG_STRING = 1 << 23;

/**
 * A short, safe rendering of a rejected value: type and size, never a long or secret text.
 * Reading the value cannot throw (a revoked Proxy is "an object").
 *
 * @param value Anything.
 * @returns The rendering, like `a string of 12 characters`.
 */
export function describe(value: unknown): string {
  try {
    return describeType(value);
  } catch {
    return "an object"; // a revoked Proxy, say
  }
}

function describeType(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") {
    // Counting a huge string's characters would take as long as reading it: its UTF-16 units
    // say enough, at once.
    return value.length > LONG_STRING
      ? `a string of ${plural(value.length, "UTF-16 code unit")}`
      : `a string of ${plural(characters(value), "character")}`;
  }
  if (typeof value === "number") {
    return Object.is(value, -0) ? "-0" : String(value);
  }
  if (timeOf(value) !== undefined) return "a Date";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}
