/**
 * JSON values as settings and event data hold them: checked so that what is stored comes back
 * exactly (the same strings, numbers, arrays and objects, keys in the same order) and bounded in
 * size. Internal: the schema is zod, never exported from the package.
 *
 * What is refused, each as `validation` naming the place in the value (`value.scores.2`):
 * - anything JSON cannot hold: `undefined`, functions, symbols, bigints, `NaN`, `Infinity`;
 * - `-0`, which JSON writes as `0` (store `0`);
 * - objects other than plain objects and arrays (a `Date`, a `Map`, a class instance: JSON
 *   would turn them into something else), arrays with holes, and objects that contain themselves;
 * - values nested more than {@linkcode MAX_JSON_DEPTH} levels deep;
 * - values whose JSON text is longer than {@linkcode MAX_JSON_BYTES} bytes of UTF-8.
 *
 * Strings may hold any characters, NUL and lone surrogates included: the JSON text escapes them.
 *
 * @module
 */
import { z } from "zod";
import type { JsonValue } from "./records.ts";

/** The most bytes (UTF-8) a JSON value's text may have: 64 KiB. */
export const MAX_JSON_BYTES = 65_536;

/** How deep a JSON value may nest arrays and objects. */
export const MAX_JSON_DEPTH = 64;

const TOO_LONG = `must be at most ${MAX_JSON_BYTES} bytes as JSON (UTF-8)`;

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Where a value is not storable, and why. */
interface Fault {
  path: (string | number)[];
  message: string;
}

/** The length of a value's JSON text, in UTF-8 bytes. */
function textBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value));
}

/**
 * Why `value` is no storable JSON value, and where; else the length of its JSON text in UTF-8
 * bytes. A value too long is named at the deepest part that is too long on its own.
 */
function fault(
  value: unknown,
  path: (string | number)[],
  open: Set<object>,
): Fault | number {
  switch (typeof value) {
    case "string": {
      // Each UTF-16 unit takes 1 to 6 bytes of JSON text: only a string between the two
      // bounds is measured exactly (a long one is refused at once, without reading it).
      if (value.length + 2 > MAX_JSON_BYTES) return { path, message: TOO_LONG };
      const bytes = value.length * 6 + 2 > MAX_JSON_BYTES
        ? textBytes(value)
        : utf8Length(value) + 2;
      return bytes > MAX_JSON_BYTES ? { path, message: TOO_LONG } : bytes;
    }
    case "boolean":
      return value ? 4 : 5;
    case "number":
      if (!Number.isFinite(value)) {
        return {
          path,
          message: "must be a finite number (JSON has no NaN or Infinity)",
        };
      }
      if (Object.is(value, -0)) {
        return {
          path,
          message: "must not be -0 (JSON writes it as 0): store 0",
        };
      }
      return textBytes(value);
    case "object":
      break;
    default:
      return {
        path,
        message:
          "must be a JSON value: a string, a finite number, a boolean, null, an array or a plain object",
      };
  }
  if (value === null) return 4;
  if (open.has(value)) {
    return { path, message: "must not contain itself" };
  }
  if (path.length >= MAX_JSON_DEPTH) {
    return {
      path,
      message: `must not nest more than ${MAX_JSON_DEPTH} levels deep`,
    };
  }
  const proto = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value) && proto === Array.prototype;
  if (!isArray && proto !== Object.prototype && proto !== null) {
    return {
      path,
      message:
        "must be a JSON value: a plain object or an array, not an instance of a class (a Date or a Map)",
    };
  }
  open.add(value);
  try {
    // Brackets, and a comma between parts (one too many, taken back for an empty one).
    let bytes = 1;
    const add = (part: Fault | number, key: number): Fault | undefined => {
      if (typeof part !== "number") return part;
      bytes += part + key + 1;
      return bytes > MAX_JSON_BYTES ? { path, message: TOO_LONG } : undefined;
    };
    if (isArray) {
      const array = value as unknown[];
      for (let i = 0; i < array.length; i++) {
        if (!(i in array)) {
          return { path: [...path, i], message: "must not be a hole" };
        }
        const found = add(fault(array[i], [...path, i], open), 0);
        if (found) return found;
      }
      return Math.max(2, bytes);
    }
    for (const key of Object.keys(value)) {
      const found = add(
        fault((value as Record<string, unknown>)[key], [...path, key], open),
        textBytes(key) + 1,
      );
      if (found) return found;
    }
    return Math.max(2, bytes);
  } finally {
    open.delete(value);
  }
}

/** More items than any array of at most {@linkcode MAX_JSON_BYTES} bytes of JSON holds. */
const MAX_ITEMS = MAX_JSON_BYTES / 2 + 1;

/**
 * A value's plain objects and arrays copied, each property and item read once (a cycle stays a
 * cycle, a hole a hole; anything else, a class instance too, is kept as it is for the check to
 * refuse), so that the check and the JSON text read the same values: a getter that answers
 * differently each time cannot pass the check with one value and be stored with another.
 */
function readOnce(
  value: unknown,
  depth = 0,
  seen = new Map<object, unknown>(),
): unknown {
  if (typeof value !== "object" || value === null || depth > MAX_JSON_DEPTH) {
    return value;
  }
  if (seen.has(value)) return seen.get(value);
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value) && proto === Array.prototype) {
    const length = Math.min(value.length, MAX_ITEMS);
    const copy: unknown[] = new Array(length);
    seen.set(value, copy);
    for (let i = 0; i < length; i++) {
      if (i in value) copy[i] = readOnce(value[i], depth + 1, seen);
    }
    return copy;
  }
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = Object.create(proto);
  seen.set(value, copy);
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, {
      value: readOnce((value as Record<string, unknown>)[key], depth + 1, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * A storable JSON value, handed on as a fresh copy read back from its JSON text (so nothing
 * after validation touches the caller's objects, and what is stored is what was checked: the
 * value is read once, {@linkcode readOnce}, before it is checked).
 */
export const jsonValue: z.ZodType<JsonValue, unknown> = z.unknown().transform(
  (given, ctx) => {
    const value = readOnce(given);
    const found = fault(value, [], new Set());
    if (typeof found !== "number") {
      ctx.addIssue({
        code: "custom",
        message: found.message,
        path: found.path,
        input: found.path.reduce<unknown>(
          (part, key) => (part as Record<string | number, unknown>)[key],
          value,
        ),
      });
      return z.NEVER;
    }
    const text = JSON.stringify(value);
    const bytes = utf8Length(text);
    if (bytes > MAX_JSON_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `${TOO_LONG}: it is ${bytes}`,
        input: value,
      });
      return z.NEVER;
    }
    return JSON.parse(text) as JsonValue;
  },
);
