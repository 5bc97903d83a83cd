/**
 * What a write refers to, and the row locks on users the global lock order (mod.ts) takes:
 * a failed write names the reference that names nothing; `shareUser` and `lockUser` lock a user
 * before the rows that will refer to it.
 *
 * @module
 */
import { dialectSql, type Executor, type Sql, sql } from "../driver.ts";
import { isStorageError } from "../errors.ts";
import { missing } from "./_errors.ts";

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
