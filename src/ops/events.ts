/**
 * The event log: appending, listing newest first, counting, ranking users by a kind of event,
 * and pruning old events.
 *
 * Each filtered read runs one of four statements (by which of `kind` and `userId` it filters
 * on), with the time bounds always given (the widest bounds when the caller gives none), so each
 * is a range search of one index: `events_at`, `events_kind` or `events_user`.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { type Executor, type Sql, sql } from "../driver.ts";
import type {
  EventCount,
  EventFilter,
  ListEventsOptions,
  LogEvent,
  NewEvent,
  PruneEventsOptions,
  TopEventsOptions,
} from "../records.ts";
import { EVENT_COLUMNS as C, toEvent } from "../rows.ts";
import * as S from "../schemas.ts";
import { EVENTS } from "../tables/mod.ts";
import { insertOf } from "../tables/table.ts";
import { parse } from "../validate.ts";
import { checkReferences, userExists } from "./_references.ts";

/** The widest time bounds: every stored time lies strictly between them. */
const EARLIEST = -Number.MAX_SAFE_INTEGER;
const LATEST = Number.MAX_SAFE_INTEGER;

const insert = insertOf<{
  kind: string;
  userId: number | null;
  sessionId: number | null;
  data: unknown;
}>(EVENTS, ["at"]);

/** The WHERE clause of each filter: by time alone, kind, user, or both. */
const WHERE = {
  all: "at > ? AND at < ?",
  kind: "kind = ? AND at > ? AND at < ?",
  user: "user_id = ? AND at > ? AND at < ?",
  both: "user_id = ? AND kind = ? AND at > ? AND at < ?",
} as const;

type Which = keyof typeof WHERE;

function statements(
  make: (which: Which, where: string) => Sql,
): Record<Which, Sql> {
  return {
    all: make("all", WHERE.all),
    kind: make("kind", WHERE.kind),
    user: make("user", WHERE.user),
    both: make("both", WHERE.both),
  };
}

const Q = {
  insert: sql("events.insert", insert.text, true),
  sessionExists: sql(
    "events.sessionExists",
    "SELECT id FROM sessions WHERE id = ?",
  ),
  list: statements((which, where) =>
    sql(
      `events.list.${which}`,
      `SELECT ${C} FROM events WHERE ${where} ORDER BY at DESC, id DESC LIMIT ?`,
    )
  ),
  count: statements((which, where) =>
    sql(`events.count.${which}`, `SELECT count(*) FROM events WHERE ${where}`)
  ),
  top: sql(
    "events.top",
    `SELECT user_id, count(*) AS n FROM events
     WHERE kind = ? AND user_id IS NOT NULL AND at > ?
     GROUP BY user_id ORDER BY n DESC, user_id LIMIT ?`,
  ),
  // The newest event that `keep` lets go of: the one after the newest `keep`.
  cutoff: sql(
    "events.cutoff",
    "SELECT at, id FROM events WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?",
  ),
  pruneOlder: sql(
    "events.pruneOlder",
    "DELETE FROM events WHERE at < ?",
    true,
  ),
  pruneFrom: sql(
    "events.pruneFrom",
    "DELETE FROM events WHERE at < ? AND (at, id) <= (?, ?)",
    true,
  ),
};

/** The statement and parameters of a filter, before any limit. */
function filtered(
  set: Record<Which, Sql>,
  f: EventFilter,
): [Sql, unknown[]] {
  const times = [f.after?.getTime() ?? EARLIEST, f.before?.getTime() ?? LATEST];
  if (f.kind !== undefined && f.userId !== undefined) {
    return [set.both, [f.userId, f.kind, ...times]];
  }
  if (f.kind !== undefined) return [set.kind, [f.kind, ...times]];
  if (f.userId !== undefined) return [set.user, [f.userId, ...times]];
  return [set.all, times];
}

/** See `events.append`. */
export async function appendEvent(
  x: Executor,
  input: NewEvent,
): Promise<LogEvent> {
  const e = parse(S.newEvent, input, "input", "events.append");
  const row = await checkReferences(
    x,
    "append event",
    [
      ["userId", "user", userExists, e.userId],
      ["sessionId", "session", Q.sessionExists, e.sessionId],
    ],
    async () => await x.get(Q.insert, insert.params(e, [nowOf(x)])),
  );
  return toEvent(row!);
}

/** See `events.list`. */
export async function listEvents(
  x: Executor,
  options?: ListEventsOptions,
): Promise<LogEvent[]> {
  const o = parse(S.listEventsOptions, options, "options", "events.list");
  const [q, params] = filtered(Q.list, o);
  const rows = await x.all(q, [...params, o.limit]);
  return rows.map(toEvent);
}

/** See `events.count`. */
export async function countEvents(
  x: Executor,
  filter?: EventFilter,
): Promise<number> {
  const f = parse(S.eventFilter, filter, "filter", "events.count");
  const [q, params] = filtered(Q.count, f);
  const row = await x.get(q, params);
  return Number(row![0]);
}

/** See `events.top`. */
export async function topEvents(
  x: Executor,
  options: TopEventsOptions,
): Promise<EventCount[]> {
  const o = parse(S.topEventsOptions, options, "options", "events.top");
  const rows = await x.all(Q.top, [
    o.kind,
    o.after?.getTime() ?? EARLIEST,
    o.limit,
  ]);
  return rows.map((r) => ({ userId: r[0] as number, count: Number(r[1]) }));
}

/** See `events.prune`. */
export async function pruneEvents(
  x: Executor,
  options: PruneEventsOptions,
): Promise<number> {
  const o = parse(S.pruneEventsOptions, options, "options", "events.prune");
  const older = o.olderThan?.getTime() ?? LATEST;
  if (o.keep === undefined) return await x.run(Q.pruneOlder, [older]);
  const keep = o.keep;
  return await x.atomic(async (q) => {
    const first = await q.get(Q.cutoff, [LATEST, keep]);
    if (!first) return 0;
    return await q.run(Q.pruneFrom, [older, first[0], first[1]]);
  });
}
