/**
 * The errors the operations throw for one another: a database error reworded (a taken name),
 * a record that does not exist, a reference that names nothing.
 *
 * @module
 */
import type { Awaitable } from "../driver.ts";
import {
  isStorageError,
  StorageError,
  type StorageErrorKind,
} from "../errors.ts";

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
