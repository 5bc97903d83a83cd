/**
 * What the operation modules share: error helpers, name keys, and UPDATE statements built
 * for the fields a patch has.
 *
 * @module
 */
import {
  type Awaitable,
  dialectSql,
  type Executor,
  type Row,
  type Sql,
  sql,
} from "../driver.ts";
import {
  isStorageError,
  StorageError,
  type StorageErrorKind,
} from "../errors.ts";
import { id as idSchema, parse } from "../validate.ts";

export { foldKey } from "../keys.ts";

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
 * A `mapError` mapping that rewords a `StorageError` of `kind` (a database's "UNIQUE constraint
 * failed" becomes "Username is taken …") and passes any other error through.
 *
 * @param kind The kind to reword.
 * @param field The field the new error names, if any.
 * @param message The new message, built only when needed.
 * @returns The mapping.
 */
export function reword(
  kind: StorageErrorKind,
  field: string | undefined,
  message: () => string,
): (error: unknown) => unknown {
  return (error) =>
    isStorageError(error, kind)
      ? new StorageError(kind, message(), {
        cause: error,
        ...(field === undefined ? {} : { field }),
      })
      : error;
}

/**
 * A record by id, or `null`: the body of `users.get`, `files.get` and the like.
 *
 * @param x Where to run.
 * @param q `SELECT … WHERE id = ?`.
 * @param id The caller's id (validated here).
 * @param operation The operation, for validation messages (`users.get`).
 * @param map Turns the row into the record.
 * @returns The record, or `null`.
 */
export async function byId<T>(
  x: Executor,
  q: Sql,
  id: number,
  operation: string,
  map: (row: Row) => T,
): Promise<T | null> {
  const row = await x.get(q, [parse(idSchema, id, "id", operation)]);
  return row ? map(row) : null;
}

/**
 * Runs a statement on one record by id (`… WHERE id = ?`, the id its last parameter) and fails as
 * `not_found` when it changed nothing: the body of `users.delete`, `sessions.end` and the like.
 *
 * @param x Where to run.
 * @param q The statement.
 * @param params Its parameters before the id.
 * @param id The caller's id (validated here).
 * @param what The record, for the message (`user`, `session`).
 * @param operation The operation (`users.delete`): its method and `what` make the message's
 *   action (`delete user`).
 */
export async function changeById(
  x: Executor,
  q: Sql,
  params: readonly unknown[],
  id: number,
  what: string,
  operation: string,
): Promise<void> {
  const changed = await x.run(q, [
    ...params,
    parse(idSchema, id, "id", operation),
  ]);
  if (changed === 0) {
    const method = operation.slice(operation.indexOf(".") + 1);
    throw notFound(what, id, `${method} ${what}`);
  }
}

/**
 * `not_found` for a record an operation needs.
 *
 * @param what The record (`user`, `message area` …).
 * @param id Its id.
 * @param action What could not be done, in words: `update user`.
 * @returns The error.
 */
export function notFound(
  what: string,
  id: unknown,
  action: string,
): StorageError {
  return new StorageError(
    "not_found",
    `Cannot ${action} as ${what} ${id} does not exist`,
  );
}

/**
 * `constraint` for a reference to a record that does not exist.
 *
 * @param action What could not be done, in words: `post message`.
 * @param field The field holding the reference.
 * @param what The record it should name.
 * @param id The value.
 * @param cause The database error, if any.
 * @returns The error.
 */
export function missing(
  action: string,
  field: string,
  what: string,
  id: unknown,
  cause?: unknown,
): StorageError {
  return new StorageError(
    "constraint",
    `Cannot ${action} as ${field} names no ${what}: ${id}`,
    {
      cause,
      field,
    },
  );
}

/** A patchable field: its SET clause and, when not just the field's value, its parameters. */
export type PatchSet<P> = readonly [
  field: keyof P & string,
  clause: string,
  values?: (patch: P) => unknown[],
];

/**
 * `UPDATE <table> SET … WHERE id = ? RETURNING …` for the fields a patch has: each combination
 * of fields is one statement, prepared once; the parameters come from the same list as the
 * clauses, so they cannot fall out of order.
 */
export class PatchStatements<P extends object> {
  #name: string;
  #table: string;
  #sets: readonly PatchSet<P>[];
  #tail: string;
  #cache = new Map<number, Sql>();

  /**
   * @param name The statement name prefix, like `users.update`.
   * @param table The table.
   * @param sets Each patchable field, its SET clause (one or more `?`) and how its parameters
   *   come from the patch (by default the field's value).
   * @param tail What follows the fields' clauses: extra SET clauses, `WHERE` and `RETURNING`.
   */
  constructor(
    name: string,
    table: string,
    sets: readonly PatchSet<P>[],
    tail: string,
  ) {
    this.#name = name;
    this.#table = table;
    this.#sets = sets;
    this.#tail = tail;
  }

  /**
   * The statement and the parameters of the fields `patch` has (those not `undefined`); the
   * caller appends the tail's parameters.
   *
   * @param patch The parsed patch.
   * @returns The statement and its leading parameters, or `null` when the patch is empty.
   */
  bind(patch: P): { statement: Sql; params: unknown[] } | null {
    let mask = 0;
    const params: unknown[] = [];
    this.#sets.forEach(([field, , values], bit) => {
      if (patch[field] === undefined) return;
      mask |= 1 << bit;
      params.push(...(values ? values(patch) : [patch[field]]));
    });
    if (mask === 0) return null;
    let statement = this.#cache.get(mask);
    if (!statement) {
      const sets = this.#sets.filter((_, bit) => mask & (1 << bit)).map((
        [, clause],
      ) => clause);
      statement = sql(
        `${this.#name}.${mask}`,
        `UPDATE ${this.#table} SET ${sets.join(", ")} ${this.#tail}`,
        true,
      );
      this.#cache.set(mask, statement);
    }
    return { statement, params };
  }
}

/**
 * A reference a write makes: the field holding it, what it names, the query that says whether
 * that exists, and the value.
 */
export type Reference = readonly [
  field: string,
  what: string,
  exists: Sql,
  id: number | null,
];

/**
 * Runs a write whose references the database checks (foreign keys), and when it fails on a
 * constraint or a conflict, fails instead naming the first reference that names nothing. The lookups run only
 * after a failure, once the failed work has been undone, so a write that succeeds pays none.
 *
 * @param x Where to look the references up.
 * @param action What could not be done, in words, for the message: `add file`.
 * @param references What the write refers to, in the order to report them.
 * @param work The write.
 * @returns What the write returned.
 */
export async function checkReferences<T>(
  x: Executor,
  action: string,
  references: readonly Reference[],
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // A missing reference is reported before anything else the write broke (a taken name).
    if (
      !isStorageError(error, "constraint") && !isStorageError(error, "conflict")
    ) throw error;
    for (const [field, what, exists, id] of references) {
      if (id !== null && !await x.get(exists, [id])) {
        throw missing(action, field, what, id, error);
      }
    }
    throw error;
  }
}

/** Whether a user exists: `SELECT id FROM users WHERE id = ?`. */
export const userExists: Sql = sql(
  "users.exists",
  "SELECT id FROM users WHERE id = ?",
);

/**
 * A user's name, locking the user against deletion and renaming until the transaction ends
 * (PostgreSQL: `FOR KEY SHARE`, what a foreign key check takes; SQLite's one writer needs no
 * row locks): an operation takes it where the global lock order (mod.ts) puts users, before the
 * rows that will refer to the user.
 */
export const shareUser: Sql = dialectSql("users.share");

/**
 * A user's name, locking the user as an update of its counters does (PostgreSQL: `FOR NO KEY
 * UPDATE`): an operation that counts something to a user after writing other rows takes it
 * first, where the global lock order (mod.ts) puts users.
 */
export const lockUser: Sql = dialectSql("users.lock");
