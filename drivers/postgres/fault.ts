/**
 * What of a PostgreSQL (or postgres.js) error may be shown: its SQLSTATE, the names of the
 * objects it concerns, and a message that holds no value. Never the statement, its parameters,
 * `detail` (rows and keys), `where`, `hint` or `internal_query`.
 *
 * @module
 */
import { DatabaseError, StorageError } from "../../driver.ts";

/**
 * SQLSTATE classes whose messages name objects, types and settings but never a value: the
 * server's message is kept. Others (class 22, data exceptions, quotes the input: `invalid input
 * syntax for type integer: "…"`, `value "…" is out of range`; P0 is a function's own text; XX
 * and the rest are not vouched for) are replaced by the condition's name.
 */
const NAMING_CLASSES = new Set([
  "08",
  "0A",
  "23",
  "25",
  "28",
  "2B",
  "3D",
  "3F",
  "40",
  "42",
  "53",
  "54",
  "55",
  "57",
  "58",
]);

/** The names of conditions whose server message may hold a value (PostgreSQL's appendix A). */
const CONDITIONS: Record<string, string> = {
  "21000": "cardinality violation",
  "22001": "string data right truncation (a value is too long for its type)",
  "22003": "numeric value out of range",
  "22004": "null value not allowed",
  "22007": "invalid datetime format",
  "22008": "datetime field overflow",
  "22012": "division by zero",
  "22021":
    "character not in repertoire (invalid byte sequence for the encoding)",
  "22023": "invalid parameter value",
  "22026": "string data length mismatch",
  "22P02":
    "invalid text representation (a value is not valid input for its type)",
  "22P05": "untranslatable character",
  "P0001": "raise exception",
};

/** The names of the SQLSTATE classes not in {@linkcode NAMING_CLASSES}. */
const CLASSES: Record<string, string> = {
  "21": "cardinality violation",
  "22": "data exception",
  "24": "invalid cursor state",
  "27": "triggered data change violation",
  "2F": "SQL routine exception",
  "38": "external routine exception",
  "39": "external routine invocation exception",
  "44": "with check option violation",
  "P0": "PL/pgSQL error",
  "XX": "internal error",
};

/**
 * The safe copy of what postgres.js (or the runtime) threw: its SQLSTATE and the names of the
 * objects it concerns, and a message that holds no value (see {@linkcode safeMessage}); never
 * the statement, parameters, `detail` (which holds rows and keys), `where`, `hint` or
 * `internal_query`.
 *
 * @param error What was thrown.
 * @returns The copy (a `DatabaseError` or `StorageError` cause passes unchanged).
 */
export function pgFault(error: unknown): DatabaseError | StorageError {
  if (error instanceof StorageError || error instanceof DatabaseError) {
    return error;
  }
  const message = error instanceof Error ? error.message : undefined;
  return DatabaseError.from(
    error,
    message === undefined ? undefined : safeMessage(codeOf(error), message),
  );
}

/**
 * A server message as it may be shown: as PostgreSQL wrote it for a SQLSTATE whose messages
 * name only objects (without the token a syntax error quotes: `at or near "…"`); else the
 * condition's name. Client errors (no SQLSTATE) keep theirs: they
 * are fixed texts naming a code, a host and a port.
 *
 * @param code The SQLSTATE, if any.
 * @param message PostgreSQL's (or the client's) message.
 * @returns The message.
 */
export function safeMessage(code: string | undefined, message: string): string {
  if (code === undefined || !/^[0-9A-Z]{5}$/.test(code)) return message;
  const cls = code.slice(0, 2);
  // A syntax error quotes the token it stopped at, which may be a literal of the statement.
  if (NAMING_CLASSES.has(cls)) {
    return message.replace(/ at or near "[\s\S]*"$/, "");
  }
  return CONDITIONS[code] ?? CLASSES[cls] ??
    "an error of SQLSTATE class " + cls;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
