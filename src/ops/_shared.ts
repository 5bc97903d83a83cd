/**
 * What the operation modules share: error helpers, name keys, and UPDATE statements built
 * for the fields a patch has.
 *
 * @module
 */
import { type Awaitable, type Sql, sql } from "../driver.ts";
import { StorageError, type StorageErrorKind } from "../errors.ts";

/**
 * The key a name is unique and found by: NFKC-normalised and lower-cased, so `ＳｙｓＯｐ` and
 * `sysop` are the same name.
 *
 * @param name The name.
 * @returns Its key.
 */
export function foldKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().normalize("NFKC");
}

/**
 * The key a file name is unique by in its area: ASCII letters lower-cased, everything else as
 * is (the same folding SQL's `lower()` does in SQLite, so migrations can compute it).
 *
 * @param filename The name.
 * @returns Its key.
 */
export function filenameKey(filename: string): string {
  return filename.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * Runs `work` and passes whatever it throws through `map`.
 *
 * @param work The work (sync or async).
 * @param map Turns an error into the one to throw.
 * @returns What `work` returned.
 */
export async function mapError<T>(
  work: () => Awaitable<T>,
  map: (error: unknown) => unknown,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw map(error);
  }
}

/**
 * Whether `error` is a `StorageError` of `kind`.
 *
 * @param error The value.
 * @param kind The kind.
 * @returns The answer.
 */
export function isKind(
  error: unknown,
  kind: StorageErrorKind,
): error is StorageError {
  return error instanceof StorageError && error.kind === kind;
}

/**
 * `not_found` for a record an operation needs.
 *
 * @param what The record (`user`, `message area` …).
 * @param id Its id.
 * @param operation The operation, like `updateUser`.
 * @returns The error.
 */
export function notFound(
  what: string,
  id: unknown,
  operation: string,
): StorageError {
  return new StorageError(
    "not_found",
    `Cannot ${verb(operation)} as ${what} ${id} does not exist`,
  );
}

/**
 * `constraint` for a reference to a record that does not exist.
 *
 * @param operation The operation.
 * @param field The field holding the reference.
 * @param what The record it should name.
 * @param id The value.
 * @param cause The database error, if any.
 * @returns The error.
 */
export function missing(
  operation: string,
  field: string,
  what: string,
  id: unknown,
  cause?: unknown,
): StorageError {
  return new StorageError(
    "constraint",
    `Cannot ${verb(operation)} as ${field} names no ${what}: ${id}`,
    {
      cause,
      field,
    },
  );
}

/**
 * An operation's name as words: `createUser` → `create user`.
 *
 * @param operation The operation.
 * @returns The words.
 */
export function verb(operation: string): string {
  return operation.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

/**
 * Builds, once per combination of present fields, `UPDATE <table> SET … WHERE id = ? RETURNING
 * <columns>`. Each field maps to its SET clause (one or more `?`).
 */
export class PatchStatements<F extends string> {
  #name: string;
  #table: string;
  #sets: readonly (readonly [F, string])[];
  #tail: string;
  #cache = new Map<number, Sql>();

  /**
   * @param name The statement name prefix, like `users.update`.
   * @param table The table.
   * @param sets Each patchable field and its SET clause, in parameter order.
   * @param tail What follows the fields' clauses: extra SET clauses, `WHERE` and `RETURNING`.
   */
  constructor(
    name: string,
    table: string,
    sets: readonly (readonly [F, string])[],
    tail: string,
  ) {
    this.#name = name;
    this.#table = table;
    this.#sets = sets;
    this.#tail = tail;
  }

  /**
   * The statement for the fields `present` says are in the patch.
   *
   * @param present Whether a field is in the patch.
   * @returns The statement.
   */
  for(present: (field: F) => boolean): Sql {
    let mask = 0;
    this.#sets.forEach(([field], bit) => {
      if (present(field)) mask |= 1 << bit;
    });
    let statement = this.#cache.get(mask);
    if (!statement) {
      const sets = this.#sets.filter((_, bit) => mask & (1 << bit)).map((
        [, set],
      ) => set);
      statement = sql(
        `${this.#name}.${mask}`,
        `UPDATE ${this.#table} SET ${sets.join(", ")} ${this.#tail}`,
        true,
      );
      this.#cache.set(mask, statement);
    }
    return statement;
  }
}

/** Whether a user exists: `SELECT id FROM users WHERE id = ?`. */
export const userExists: Sql = sql(
  "users.exists",
  "SELECT id FROM users WHERE id = ?",
);
