/**
 * Zod schemas for every input of the API, and {@linkcode parse}, which turns a failure into a
 * `StorageError` of kind `validation` naming the field. Internal: zod types are never exported
 * from the package.
 *
 * @module
 */
import { canonicalZone } from "./ops/_zone.ts";
import { z } from "zod";
import { EDGE_BLANK, VISIBLE } from "./blanks.ts";
import {
  characters,
  describe,
  plural,
  timeOf,
  unreadablePath,
} from "./describe.ts";
import { StorageError } from "./errors.ts";

/** Control, format and line-separator characters: what names and identifiers may not hold. */
export const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/**
 * Text the databases can store exactly: well-formed UTF-16 without NUL characters, of `min` to
 * `max` characters, counted as code points ({@linkcode characters}), as every limit is.
 *
 * One check, reporting the first rule broken in this order: the length (a string that is too
 * long is refused without walking it further), well-formed, no NUL, not too short. Every string
 * of the inputs passes here (a message's body and each of its kludges), so the check counts
 * characters only where UTF-16 units cannot answer: at most `max` units is at most `max`
 * characters, and at least `2 × min` units is at least `min`.
 */
export function text(max: number, min = 0): z.ZodString {
  const size = min === 1 && max > 1
    ? `must have 1–${max} characters`
    : `must have at most ${plural(max, "character")}`;
  const short = min === 1 ? "must not be empty" : size;
  return z.string().check((ctx) => {
    const s = ctx.value;
    const problem =
      s.length > max && (s.length > 2 * max || characters(s) > max)
        ? size
        : !s.isWellFormed()
        ? "must be well-formed Unicode (no lone surrogates)"
        : s.includes("\0")
        ? "must not contain NUL characters"
        : s.length < 2 * min && characters(s) < min
        ? short
        : null;
    if (problem !== null) {
      ctx.issues.push({
        code: "custom",
        message: problem,
        input: s,
        continue: false,
      });
    }
  });
}

/**
 * A name shown to people: no control or default-ignorable characters, something visible in it
 * (not only blanks: see `blanks.ts`), no space or blank at either end.
 */
export function name(max: number): z.ZodString {
  return text(max, 1)
    .refine((s) => !IGNORABLE.test(s), {
      error:
        "must not contain invisible characters (default-ignorable code points like U+200B)",
    })
    .refine((s) => !CONTROL.test(s), {
      error: "must not contain control characters",
    })
    .refine((s) => VISIBLE.test(s), {
      error:
        "must show something: a letter, digit, punctuation mark or symbol, not only " +
        "spaces or blanks like U+2800",
    })
    .refine((s) => !EDGE_BLANK.test(s), {
      error: "must not start or end with a space or a blank like U+2800",
    });
}

/**
 * A name that is unique by its key (`foldKey` of `keys.ts`): a {@linkcode name} without unassigned code
 * points, so its key never changes with the Unicode version (Unicode keeps the case folding and
 * normalisation of assigned characters stable).
 */
export function keyedName(max: number): z.ZodString {
  return name(max).refine((s) => !/\p{Cn}/u.test(s), {
    error: "must not contain unassigned code points",
  });
}

/** An integer within [min, max]. */
export const int = (min: number, max = Number.MAX_SAFE_INTEGER): z.ZodNumber =>
  z.number({ error: "must be a number" }).int({ error: "must be an integer" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** A record id: a positive safe integer. */
export const id: z.ZodNumber = int(1);
/** A count: a non-negative safe integer. */
export const count: z.ZodNumber = int(0);
/** A signed change of a counter. */
export const delta: z.ZodNumber = int(-Number.MAX_SAFE_INTEGER);
/** A list limit: 1–1000, default 100. */
export const limit = int(1, 1000).default(100);
/**
 * A valid Date, handed on as a fresh plain `Date` of the same time, so nothing after validation
 * calls a caller's object.
 */
export const date: z.ZodType<Date, unknown> = z.unknown().transform(
  (value, ctx) => {
    const time = timeOf(value);
    if (time === undefined || !Number.isSafeInteger(time)) {
      ctx.addIssue({
        code: "custom",
        message: time === undefined ? "must be a Date" : "must be a valid Date",
        input: value,
      });
      return z.NEVER;
    }
    return new Date(time);
  },
);

/** Usernames: 1–30 characters. */
export const username: z.ZodString = keyedName(30);

/** Options of openStorage, with every default applied: the core's, not the drivers' sections. */
export interface ParsedOpenOptions {
  /** What to do about the schema at open. */
  migrate: "up" | "check" | "off";
  /**
   * Whether a missing database may be created (SQLite: the file and its directory); `true` when
   * left out. `migrate: "check"` never creates one either.
   */
  create?: boolean;
  /**
   * Open for reading only (set by the package's reading commands, never by a caller's options):
   * create nothing, and write nothing to the database. SQLite opens its file read-only.
   */
  readOnly?: boolean;
  /** How long a call may wait for the writer or a connection, in milliseconds. */
  acquireTimeoutMs: number;
  /** Retry of transient errors. */
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** The board's time zone, an IANA name in its canonical spelling; `UTC` when left out. */
  timeZone?: string;
  /**
   * The board's nodes, 1–9999: `sessions.create({ node: "auto" })` takes the lowest free one of
   * 1…`maxNodes`; 250 when left out. The core's: drivers need not look at it.
   */
  maxNodes?: number;
}

const OPEN_DEFAULTS = {
  migrate: "up" as const,
  create: true,
  acquireTimeoutMs: 5000,
  retry: { attempts: 100, baseDelayMs: 5, maxDelayMs: 50 },
  timeZone: "UTC",
  maxNodes: 250,
};

/** An IANA time zone name `Intl` knows, in its canonical spelling. */
const timeZone = z.string({ error: "must be a string" }).transform(
  (value, ctx) => {
    const zone = canonicalZone(value);
    if (zone === undefined) {
      ctx.addIssue({
        code: "custom",
        message:
          'must be an IANA time zone name, such as "UTC" or "Europe/Berlin"',
      });
      return z.NEVER;
    }
    return zone;
  },
);

/** The core's open options, by name. */
export const openOptionsShape = {
  migrate: z.enum(["up", "check", "off"], {
    error: 'must be "up", "check" or "off"',
  }).default("up"),
  create: z.boolean({ error: "must be a boolean" }).default(true),
  acquireTimeoutMs: int(0, 3_600_000).default(5000),
  retry: z.strictObject({
    attempts: int(1, 1000).default(100),
    baseDelayMs: int(0, 60_000).default(5),
    maxDelayMs: int(0, 600_000).default(50),
  }).default({ attempts: 100, baseDelayMs: 5, maxDelayMs: 50 }),
  timeZone: timeZone.default("UTC"),
  maxNodes: int(1, 9999).default(250),
};

/** Options of openStorage without drivers' sections (what `copy` and `openMigrator` use). */
export const openOptions: z.ZodType<ParsedOpenOptions> = z.strictObject(
  openOptionsShape,
).default(OPEN_DEFAULTS);

/**
 * Options of openStorage with any other keys kept as they are (the drivers' sections, checked
 * once the drivers are known).
 */
export const looseOpenOptions: z.ZodType<
  ParsedOpenOptions & Record<string, unknown>
> = z.looseObject(openOptionsShape).default(OPEN_DEFAULTS);

/**
 * Validates `value` against `schema`.
 *
 * @param schema The schema.
 * @param value The caller's value.
 * @param what The argument's name, used as the field path's root (`input`, `id`, `options`).
 * @param operation The operation, named in the message.
 * @returns The parsed value, with defaults applied.
 * @throws {StorageError} `validation`, naming the first offending field.
 */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  operation: string,
): z.output<S> {
  let issue: z.core.$ZodIssue;
  try {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    issue = result.error.issues[0]!; // zod writes its messages here: they may read the value
  } catch (error) {
    // A getter or Proxy trap of the caller's threw while the value was read.
    const field = fieldName(what, (unreadablePath(value) ?? []).map(shown));
    throw new StorageError(
      "validation",
      `Invalid ${operation} input: ${field} cannot be read: reading it threw ${
        error instanceof Error ? error.name : typeof error
      }`,
      { field, cause: error },
    );
  }
  throw toValidationError(issue, schema, what, operation);
}

/**
 * Validates a record id ({@linkcode id}). An id is validated on nearly every call (each get,
 * update and delete) and is nearly always valid: a positive safe integer passes without zod,
 * whose checks cost more than a read of the row by its key; anything else goes through
 * {@linkcode parse}, for its message.
 *
 * @param value The caller's value.
 * @param what The argument's name (`id`, `areaId`).
 * @param operation The operation, named in the message.
 * @returns The id.
 * @throws {StorageError} `validation`, naming `what`.
 */
export function parseId(
  value: unknown,
  what: string,
  operation: string,
): number {
  if (Number.isSafeInteger(value) && (value as number) >= 1) {
    return value as number;
  }
  return parse(id, value, what, operation);
}

/**
 * A `validation` error for a field that passed its schema but fails a check that needs more
 * than the value (the storage's clock, say), worded as {@linkcode parse}'s are.
 *
 * @param value The field's value.
 * @param field The field's name, as parse names it (`lockedUntil`).
 * @param detail What it must be (`must be in the future`).
 * @param operation The operation, named in the message.
 * @returns The error.
 */
export function invalidField(
  value: unknown,
  field: string,
  detail: string,
  operation: string,
): StorageError {
  return new StorageError(
    "validation",
    `Invalid ${operation} input: ${field} ${detail}: got ${describe(value)}`,
    { field },
  );
}

function toValidationError(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  what: string,
  operation: string,
): StorageError {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const field = fieldName(what, [...path, shown(key)]);
    const hint = suggest(schema, key);
    return new StorageError(
      "validation",
      `Invalid ${operation} input: unknown field "${field}"${
        hint ? `: did you mean "${hint}"?` : ""
      }`,
      { field },
    );
  }
  const field = fieldName(what, path);
  const detail =
    issue.code === "invalid_type" && !issue.message.startsWith("must")
      ? `must be ${
        issue.expected === "object" ? "an object" : `a ${issue.expected}`
      }`
      : issue.message;
  return new StorageError(
    "validation",
    `Invalid ${operation} input: ${field} ${detail}: got ${
      describe(issue.input)
    }`,
    { field },
  );
}

/**
 * An unknown key as errors show it: the caller chose it, so control, format and line-separator
 * characters are escaped (no forged log lines) and a long key is cut short.
 */
function shown(key: string): string {
  const cut = key.length > 64 ? key.slice(0, 64) : key;
  const escaped = cut.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\\]/gu,
    (c) => c === "\\" ? "\\\\" : `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
  return cut === key ? escaped : `${escaped}…`;
}

function fieldName(what: string, path: string[]): string {
  const argumentIsObject = what === "input" || what === "patch" ||
    what === "delta";
  return path.length === 0
    ? what
    : argumentIsObject
    ? path.join(".")
    : `${what}.${path.join(".")}`;
}

function suggest(schema: z.ZodType, key: string): string | undefined {
  const inner = schema instanceof z.ZodDefault ? schema.def.innerType : schema;
  if (!(inner instanceof z.ZodObject)) return undefined;
  return Object.keys(inner.shape).find((k) =>
    k.toLowerCase() === key.toLowerCase()
  );
}
