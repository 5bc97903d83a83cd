/**
 * The operations of the Storage contract, written once over an {@linkcode Executor}: each
 * module validates its input, runs statements of its own, and maps rows to records. The
 * repositories (src/repositories/) bind them to one executor (the storage's, or a
 * transaction's); {@linkcode DEFINITIONS} lists every repository.
 *
 * Two rules for every operation, which the driver contract ({@linkcode Executor}) relies on: it
 * awaits each statement before it issues the next, and it puts every write that a later failure
 * of the same operation must undo in one `x.atomic` block with what may fail, so that a failure
 * undoes the whole operation at the top level, and only that operation inside a transaction.
 *
 * ## Lock order
 *
 * On PostgreSQL (SQLite has one writer, so no row locks), every operation takes row locks in
 * one global order, so two operations can never wait for each other in a circle:
 *
 * 1. `users`, by ascending id: the author, uploader or downloader whose counters change
 *    (`UPDATE`), a user a new row will refer to (`users.share`, `FOR KEY SHARE`: what the
 *    foreign key check takes, taken early), a user deleted or renamed.
 * 2. `message_areas` and `file_areas`: an area's message numbers and counts.
 * 3. `messages` and `files`: the row written, the rows its foreign keys share (a reply's parent),
 *    the rows a delete's `ON DELETE` actions change, the orphans a post adopts.
 * 4. `sessions`, `last_read`, `logins`, `user_props`, `settings`, `events`: rows nothing else
 *    refers to (an event refers to a session, and takes it with the user in its one statement's
 *    foreign key checks).
 *
 * Why this order: a caller's transaction typically acts on a user and then on what the user
 * does (`users.incrementStats` then `messages.post`), and a delete's `ON DELETE` actions always go
 * from the row referred to to the rows referring to it (users before everything, messages before
 * their replies). So the operations go the same way:
 *
 * - messages.post: author (`posts + 1`) and recipient, ascending id; area (numbering); the new
 *   message, its parent, the orphans it adopts; the author's last-read pointer in the area
 *   (moved past the new message when it was caught up).
 * - reading.markRead, setPointer, setScanned: the one pointer row (the area and the user are
 *   only read); reading.setPointersByDate: the user's pointer rows, one area after another (the
 *   messages and areas are only read).
 * - messages.delete: area (count) before the message and its replies' links.
 * - files.add: uploader (`uploads + 1`) before the new file; files.recordDownload: user before file.
 * - sessions.create: with a node (a number or `"auto"`) or `maxPerUser`, the users by ascending
 *   id: its own (shared; `users.lock` with `maxPerUser`, so that two creates for one user count
 *   its live sessions one after the other) and the user of the expired session still holding the
 *   node it takes (`users.lock`: its time online grows); then the sessions: the oldest ended to
 *   make room, the expired one ended, the new one. An `"auto"` create that loses its node to a
 *   concurrent one searches again, and passes over a node whose expired holder's user would
 *   have to be locked after a higher id.
 * - sessions.end, sessions.delete, sessions.endAllForUser: the session's user (`users.lock`: its time online)
 *   before the sessions. sessions.purgeExpired: the users of every expired session, ascending
 *   id (`sessions.lockLapsedUsers`), before the sessions.
 * - files.move: the file alone (its foreign key shares the area it moves into).
 * - users.recordLogin: user before the login row; users.delete: the user, then its `ON DELETE` actions.
 * - settings.increment: the key's row (made if missing) before its new value.
 * - events.prune: the events, in the order the server finds them; nothing else.
 * - users.setProps: the user (`users.lock`) before its properties, so that two calls on one user
 *   count its keys one after the other.
 * - users.incrementCounter: the counter's row alone (one upsert). users.recordLogin, files.add and
 *   files.recordDownload add to a daily counter (`user_counters`, with the rows of step 4) last.
 * - storage.sql / tx.sql: the application's own statements, outside this order: its tables are
 *   its own; a statement of its that locks the package's rows takes its chances (PostgreSQL
 *   breaks a deadlock by failing one side, which `transaction()` runs again).
 * - messageAreas.delete and fileAreas.delete: the area and the `moveTo` area (`FOR UPDATE`,
 *   ascending id), then the messages or files moved, then the last-read pointers carried.
 * - messageAreas.update: the area (`FOR UPDATE`) before its change; reorder: each area by
 *   ascending id.
 * - Every other write changes one row.
 *
 * Within a table, an operation that changes several rows with one statement (purging expired
 * sessions, the `ON DELETE` actions of users.delete, moving an adopted thread) locks them in the
 * order the server finds them; where two such statements meet on the same rows, as where a
 * caller's transaction goes against this order, the server detects the deadlock, the transaction
 * it rolls back runs again (src/retry.ts), and every wait and retry counts against the call's
 * one deadline, `acquireTimeoutMs` (src/deadline.ts).
 *
 * @module
 */
import type { Executor } from "../driver.ts";
import { CALLERS } from "../repositories/callers.ts";
import { EVENTS } from "../repositories/events.ts";
import {
  type Around,
  bindDefinition,
  type Definition,
} from "../repositories/_definition.ts";
import { FILE_AREAS } from "../repositories/file_areas.ts";
import { FILES } from "../repositories/files.ts";
import { MAIL } from "../repositories/mail.ts";
import { MESSAGE_AREAS } from "../repositories/message_areas.ts";
import { MESSAGES } from "../repositories/messages.ts";
import { READING } from "../repositories/reading.ts";
import { SESSIONS } from "../repositories/sessions.ts";
import { SETTINGS } from "../repositories/settings.ts";
import { USERS } from "../repositories/users.ts";
import type { Repositories } from "../storage.ts";

export { filenameKey, foldKey } from "../keys.ts";
export type { Definition } from "../repositories/_definition.ts";

/**
 * Every repository of the contract and the operations behind its methods: the one list the
 * storage, the transaction handle and the tests that walk every operation take them from.
 */
export const DEFINITIONS: {
  readonly [K in keyof Repositories]: Definition<Repositories[K]>;
} = Object.freeze({
  users: USERS,
  callers: CALLERS,
  messageAreas: MESSAGE_AREAS,
  messages: MESSAGES,
  reading: READING,
  mail: MAIL,
  fileAreas: FILE_AREAS,
  files: FILES,
  sessions: SESSIONS,
  settings: SETTINGS,
  events: EVENTS,
});

/** The repositories' names, in the order of {@linkcode DEFINITIONS}. */
export const REPOSITORIES: readonly (keyof Repositories)[] = Object.freeze(
  Object.keys(DEFINITIONS) as (keyof Repositories)[],
);

/**
 * Every repository bound to one executor (the storage's).
 *
 * @param executor Where the statements run.
 * @param around What each call runs through when the telemetry is on (see bindDefinition).
 * @returns The repositories, each made once.
 */
export function bindRepositories(
  executor: Executor,
  around?: Around,
): Repositories {
  const repositories: Partial<Record<keyof Repositories, unknown>> = {};
  for (const name of REPOSITORIES) {
    repositories[name] = bindDefinition(
      DEFINITIONS[name] as Definition<unknown>,
      executor,
      around && { name, run: around },
    );
  }
  return repositories as Repositories;
}

/** An operation's full name, repository and method: `"users.create"`. */
export type OperationName = {
  [K in keyof Repositories]: `${K}.${keyof Repositories[K] & string}`;
}[keyof Repositories];

/**
 * Every operation of the contract by its full name, repository by repository in the order of
 * {@linkcode DEFINITIONS}: what the tests that walk every operation walk.
 */
export const OPERATIONS: readonly OperationName[] = Object.freeze(
  REPOSITORIES.flatMap((name) =>
    Object.keys(DEFINITIONS[name]).map((method) =>
      `${name}.${method}` as OperationName
    )
  ),
);

/**
 * The function of an operation, by its full name, on a set of repositories. Repositories'
 * methods need no receiver (bound functions, or a handle's queued functions), so neither does it.
 *
 * @param repositories A storage, or a transaction's handle.
 * @param name The operation: `"users.create"`.
 * @returns Its function.
 */
export function operation(
  repositories: Repositories,
  name: OperationName,
): (...args: unknown[]) => Promise<unknown> {
  const dot = name.indexOf(".");
  const repository = repositories[
    name.slice(0, dot) as keyof Repositories
  ] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return repository[name.slice(dot + 1)]!;
}
