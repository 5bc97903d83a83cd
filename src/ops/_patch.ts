/**
 * Rows by id, and UPDATE statements built for the fields a patch has.
 *
 * @module
 */
import {
  type Awaitable,
  type Executor,
  type Row,
  type Sql,
  sql,
} from "../driver.ts";
import { parseId } from "../validate.ts";
import { notFound } from "./_errors.ts";
import { valueAt } from "../tables/table.ts";

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
export function byId<T>(
  x: Executor,
  q: Sql,
  id: number,
  operation: string,
  map: (row: Row) => T,
): Promise<T | null> {
  // Not async: a SQLite read answers synchronously, and the one promise made here is the only
  // one the call makes (an async function would await the row, and resolve a promise of its own).
  try {
    return mapRow(x.get(q, [parseId(id, "id", operation)]), map);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * A row as its record, or `null`, as a promise: a synchronous row (SQLite) resolves at once,
 * with no `await` in between.
 *
 * @param row What the executor's `get` returned.
 * @param map Turns the row into the record.
 * @returns The record, or `null`.
 */
export function mapRow<T>(
  row: Awaitable<Row | undefined>,
  map: (row: Row) => T,
): Promise<T | null> {
  return row instanceof Promise
    ? row.then((r: Row | undefined) => r ? map(r) : null)
    : Promise.resolve(row ? map(row) : null);
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
    parseId(id, "id", operation),
  ]);
  if (changed === 0) {
    const method = operation.slice(operation.indexOf(".") + 1);
    throw notFound(what, id, `${method} ${what}`);
  }
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
      const value = valueAt(patch, field);
      if (value === undefined) return;
      mask |= 1 << bit;
      params.push(...(values ? values(patch) : [value]));
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
