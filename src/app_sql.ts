/**
 * The application's own SQL: `storage.sql(text, params)` and `tx.sql(…)`. The text is the
 * application's, in its database's dialect, with `?` placeholders; the driver runs it on the
 * storage's connection (a statement that may write through the storage's writer, serialized
 * with the package's writes) and returns rows keyed by column name.
 *
 * @module
 */
import { appSql, type Executor } from "./driver.ts";
import { StorageError } from "./errors.ts";
import { sqlSegments } from "./sql_segments.ts";

/** The longest text `storage.sql` takes, in characters. */
export const MAX_APP_SQL = 100_000;

/** The most parameters one statement takes. */
export const MAX_APP_PARAMS = 10_000;

function invalid(field: string, message: string): StorageError {
  return new StorageError("validation", message, { field });
}

/**
 * The first statement's keyword, whether the text holds one statement, and how many `?`
 * placeholders it has (`undefined` when it numbers them, `?1`): `?`, `;` and dashes inside
 * strings, quoted identifiers, dollar quotes and comments (see {@linkcode sqlSegments}) are text.
 */
function scan(
  text: string,
): { keyword: string; single: boolean; placeholders: number | undefined } {
  let keyword = "";
  let statements = 0;
  let placeholders: number | undefined = 0;
  let open = false; // whether a statement has started and not ended
  const start = (i: number) => {
    if (open) return;
    open = true;
    statements++;
    if (statements === 1) {
      keyword = /^[A-Za-z]+/.exec(text.slice(i))?.[0]?.toUpperCase() ?? "";
    }
  };
  for (const [from, to, code] of sqlSegments(text)) {
    if (!code) {
      // A string or a quoted name starts a statement; a comment does not.
      if (!text.startsWith("--", from) && !text.startsWith("/*", from)) {
        start(from);
      }
      continue;
    }
    for (let i = from; i < to; i++) {
      const c = text[i]!;
      if (c === ";") open = false;
      else if (!/\s/.test(c)) {
        if (c === "?" && placeholders !== undefined) {
          // A numbered placeholder (`?1`, SQLite's) binds by number: no count to check.
          placeholders = /[0-9]/.test(text[i + 1] ?? "")
            ? undefined
            : placeholders + 1;
        }
        start(i);
      }
    }
  }
  return { keyword, single: statements === 1, placeholders };
}

/** Keywords that start a statement that only reads (it may run on the reader). */
const READS = new Set(["SELECT", "VALUES"]);

/** Keywords that start a statement whose changed rows the driver counts (see `Sql.changes`). */
const CHANGES = new Set([
  "INSERT",
  "UPDATE",
  "DELETE",
  "REPLACE",
  "MERGE",
  "WITH",
]);

/**
 * Whether the database refused an application's statement itself (a syntax error, an unknown
 * table or column): the driver's `internal` or `migration` error, which `storage.sql` throws as
 * `validation` naming `text`. The query log and the spans report that kind too.
 *
 * @param error What the driver threw.
 * @returns The answer.
 */
export function refusedStatement(error: unknown): error is StorageError {
  return error instanceof StorageError &&
    (error.kind === "internal" || error.kind === "migration");
}

/**
 * Keywords that start a transaction-control statement, on either dialect: the package begins,
 * commits and rolls back its transactions itself, and one begun or ended by the application's
 * SQL would take the package's own writes into it or out of it (a `COMMIT` in `tx.sql` would
 * commit half a transaction; a `BEGIN` on `storage.sql` would hold later acknowledged writes
 * open for a `ROLLBACK` to undo).
 */
const TRANSACTION_CONTROL = new Set([
  "BEGIN",
  "START",
  "COMMIT",
  "END",
  "ROLLBACK",
  "ABORT",
  "SAVEPOINT",
  "RELEASE",
  "PREPARE",
]);

/** The largest and smallest values a 64-bit integer column holds, on either dialect. */
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Checks the parameters: the values every driver binds alike. */
function checkParams(params: unknown, operation: string): readonly unknown[] {
  try {
    return checkValues(params, operation);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    // A revoked proxy, a throwing getter: what cannot be read is not a list of values.
    throw invalid(
      "params",
      `Invalid ${operation} input: params could not be read as an array of values: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

/** {@linkcode checkParams}, reading each value once, holes included. */
function checkValues(params: unknown, operation: string): readonly unknown[] {
  if (params === undefined) return [];
  if (!Array.isArray(params)) {
    throw invalid(
      "params",
      `Invalid ${operation} input: params must be an array of values: got ${typeof params}`,
    );
  }
  if (params.length > MAX_APP_PARAMS) {
    throw invalid(
      "params",
      `Invalid ${operation} input: params must hold at most ${MAX_APP_PARAMS} values`,
    );
  }
  const values: unknown[] = [];
  for (let i = 0; i < params.length; i++) {
    const value: unknown = params[i];
    values.push(value);
    const field = `params[${i}]`;
    if (
      value === null || typeof value === "string" ||
      value instanceof Uint8Array
    ) continue;
    if (typeof value === "bigint") {
      if (value >= INT64_MIN && value <= INT64_MAX) continue;
      throw invalid(
        field,
        `Invalid ${operation} input: ${field} must fit a 64-bit integer (−2^63 … 2^63−1): ` +
          `got ${value}; pass it as a string`,
      );
    }
    if (typeof value === "number") {
      if (Number.isFinite(value)) continue;
      throw invalid(
        field,
        `Invalid ${operation} input: ${field} must be a finite number: got ${value}`,
      );
    }
    const what = value instanceof Date
      ? "a Date: pass date.toISOString() or date.getTime()"
      : typeof value === "boolean"
      ? "a boolean: pass 1 or 0"
      : value === undefined
      ? "undefined: pass null"
      : `${typeof value}`;
    throw invalid(
      field,
      `Invalid ${operation} input: ${field} must be null, a string, a number, a bigint or a ` +
        `Uint8Array: got ${what}`,
    );
  }
  return values;
}

/**
 * Runs one statement of the application's on `x`.
 *
 * @param x The storage's executor, or a transaction's.
 * @param text The SQL, with `?` placeholders.
 * @param params The values of the placeholders.
 * @param operation `storage.sql` or `tx.sql`, for messages.
 * @returns The rows, keyed by column name.
 * @throws {StorageError} `validation` naming `text` or `params[i]` for bad input, and naming
 *   `text` when the database refuses the statement itself (a syntax error, an unknown table or
 *   column, a value of the wrong type); `constraint` and `conflict` as for the package's own
 *   writes; `unavailable` when the driver does not run the application's SQL.
 */
export async function runAppSql<T>(
  x: Executor,
  text: unknown,
  params: unknown,
  operation: string,
): Promise<T[]> {
  if (typeof text !== "string") {
    throw invalid(
      "text",
      `Invalid ${operation} input: text must be a string of SQL: got ${typeof text}`,
    );
  }
  if (text.length > MAX_APP_SQL) {
    throw invalid(
      "text",
      `Invalid ${operation} input: text must be at most ${MAX_APP_SQL} characters`,
    );
  }
  const { keyword, single, placeholders } = scan(text);
  if (keyword === "" || !single) {
    throw invalid(
      "text",
      `Invalid ${operation} input: text must hold exactly one SQL statement: got ${
        keyword === "" ? "none" : "several"
      }; call ${operation} once for each`,
    );
  }
  if (TRANSACTION_CONTROL.has(keyword)) {
    throw invalid(
      "text",
      `Invalid ${operation} input: text may not control transactions (${keyword}): ` +
        "use storage.transaction(async (tx) => …), whose tx.sql runs in it, commits with it " +
        "and rolls back with it",
    );
  }
  const values = checkParams(params, operation);
  if (placeholders !== undefined && placeholders !== values.length) {
    throw invalid(
      "params",
      `Invalid ${operation} input: text has ${placeholders} ? placeholder${
        placeholders === 1 ? "" : "s"
      }, so params must hold ${placeholders} value${
        placeholders === 1 ? "" : "s"
      }: got ${values.length}`,
    );
  }
  if (typeof x.rows !== "function") {
    throw new StorageError(
      "unavailable",
      `Cannot run ${operation}: the storage's driver does not run the application's SQL`,
    );
  }
  const q = appSql(text, !READS.has(keyword), CHANGES.has(keyword));
  let rows;
  try {
    rows = await x.rows(q, values);
  } catch (error) {
    if (refusedStatement(error)) {
      throw new StorageError(
        "validation",
        `Invalid ${operation} input: the database refused the statement (text): ` +
          `${
            error.message.replace(
              /: the database schema is not at the version[\s\S]*$/,
              "",
            )
          }: check that it is in the database's own dialect and that its ` +
          `tables and columns exist`,
        { field: "text", cause: error },
      );
    }
    throw error;
  }
  return rows.map((row) => ({ ...row }) as T);
}
