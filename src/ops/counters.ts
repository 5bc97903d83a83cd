/**
 * A user's counters (`users.incrementCounter`, `users.counters`), in `user_counters`: one row per
 * user and name, removed with the user by `ON DELETE CASCADE`. A daily counter keeps the day it
 * counts (the date in the board's time zone, src/ops/_zone.ts) and reads as 0 on another day; a
 * lasting one keeps none. Each increment is one statement (an upsert), so concurrent ones never
 * lose a count.
 *
 * @module
 */
import { z } from "zod";
import { type Executor, type Queryable, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import { int, parse, parseId } from "../validate.ts";
import { notFound } from "./_errors.ts";
import { userExists } from "./_references.ts";
import { today } from "./_zone.ts";

/** The daily counters the package keeps itself; `increment` refuses their names. */
export const BUILT_IN_COUNTERS: readonly string[] = [
  "callsToday",
  "uploadBytesToday",
  "downloadBytesToday",
  "timeOnlineTodaySeconds",
];

/** The built-in counters `counters` always lists (0 until counted today). */
const LISTED = [
  "callsToday",
  "uploadBytesToday",
  "downloadBytesToday",
  "timeOnlineTodaySeconds",
];

const Q = {
  // A row of another kind (daily against lasting) is left alone, and none is returned. A daily
  // row starts again from the increment on a later day; an increment for an earlier day than
  // the row's (a call that read the clock just before midnight and arrived after another's of
  // the new day, or a board whose time zone moved west) adds to the row's day.
  bump: sql(
    "users.counters.bump",
    `INSERT INTO user_counters (user_id, name, value, day) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, name) DO UPDATE SET
       value = CASE
         WHEN user_counters.day IS NULL OR user_counters.day >= excluded.day
           THEN user_counters.value + excluded.value
         ELSE excluded.value END,
       day = CASE WHEN user_counters.day > excluded.day THEN user_counters.day
         ELSE excluded.day END
     WHERE (user_counters.day IS NULL) = (excluded.day IS NULL)
     RETURNING value`,
    true,
  ),
  all: sql(
    "users.counters",
    "SELECT name, value, day FROM user_counters WHERE user_id = ? ORDER BY name",
  ),
};

/** A counter's name: 1–64 letters, digits, `_`, `.`, `:` or `-`. */
const counterName = z.string({ error: "must be a string" }).regex(
  /^[A-Za-z0-9_.:-]{1,64}$/,
  { error: "must be 1–64 letters, digits, '_', '.', ':' or '-'" },
);

export const incrementOptions: z.ZodType<
  { daily?: boolean } | undefined,
  unknown
> = z.strictObject({
  daily: z.boolean({ error: "must be a boolean" }).optional(),
}, { error: "must be an object" }).optional();

/**
 * Adds `by` to a counter in one statement.
 *
 * @returns The counter's value after, or `undefined` when it exists of the other kind.
 */
async function bump(
  q: Queryable,
  userId: number,
  name: string,
  by: number,
  day: string | null,
): Promise<number | undefined> {
  const row = await q.get(Q.bump, [userId, name, by, day]);
  return row === undefined ? undefined : Number(row[0]);
}

/**
 * Adds to one of the package's daily counters, in the operation's own atomic block (after its
 * other writes: `user_counters` comes last in the lock order).
 *
 * @param q The operation's statements.
 * @param day The day, from {@linkcode today} on the operation's executor.
 * @param userId The user.
 * @param name A built-in counter's name.
 * @param by How much.
 */
export async function bumpDaily(
  q: Queryable,
  day: string,
  userId: number,
  name: string,
  by: number,
): Promise<void> {
  await bump(q, userId, name, by, day);
}

/** See `users.incrementCounter`. */
export async function incrementCounter(
  x: Executor,
  id: number,
  name: string,
  by: number = 1,
  options?: { daily?: boolean },
): Promise<number> {
  const op = "users.incrementCounter";
  parseId(id, "id", op);
  parse(counterName, name, "name", op);
  if (BUILT_IN_COUNTERS.includes(name)) {
    throw new StorageError(
      "validation",
      `Invalid ${op} input: name ${name} is a counter the package keeps itself: choose ` +
        `another name`,
      { field: "name" },
    );
  }
  parse(int(-Number.MAX_SAFE_INTEGER), by, "by", op);
  const daily = parse(incrementOptions, options, "options", op)?.daily ?? false;
  let value: number | undefined;
  try {
    // The clock is read once the statement may run (on SQLite, holding the writer), so the days
    // of increments follow the order they are made in.
    value = await x.atomic((q) =>
      bump(q, id, name, by, daily ? today(x) : null)
    );
  } catch (error) {
    if (
      error instanceof StorageError && error.kind === "constraint" &&
      !await x.get(userExists, [id])
    ) throw notFound("user", id, "increment a counter");
    throw error;
  }
  if (value === undefined) {
    throw new StorageError(
      "conflict",
      `Cannot increment counter ${name} of user ${id} as it is ${
        daily ? "a lasting" : "a daily"
      } counter: pass { daily: ${!daily} }, or use another name`,
    );
  }
  return value;
}

/** See `users.counters`. */
export async function counters(
  x: Executor,
  id: number,
): Promise<Record<string, number>> {
  parseId(id, "id", "users.counters");
  const rows = await x.all(Q.all, [id]);
  if (rows.length === 0 && !await x.get(userExists, [id])) {
    throw notFound("user", id, "read the counters");
  }
  const day = today(x);
  const result: Record<string, number> = {};
  for (const name of LISTED) result[name] = 0;
  for (const [name, value, rowDay] of rows) {
    // A day ahead of today's (the board's time zone moved west) is still today.
    result[name as string] = rowDay === null || (rowDay as string) >= day
      ? Number(value)
      : 0;
  }
  return result;
}
