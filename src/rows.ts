/**
 * Rows to records, derived from the table catalogue (`src/tables/`): each table's select list
 * and the mapper that reads it come from one declaration, so they cannot drift apart. Rows
 * arrive as arrays of values in select-list order (faster than keyed objects on every engine);
 * times arrive as epoch milliseconds and leave as `Date`.
 *
 * @module
 */
import type { Row } from "./driver.ts";
import type {
  FileArea,
  FileEntry,
  LastCaller,
  LogEvent,
  Message,
  MessageArea,
  Session,
  Setting,
  User,
} from "./records.ts";
import {
  EVENTS,
  FILE_AREAS,
  FILES,
  LOGINS,
  MESSAGE_AREAS,
  MESSAGES,
  SESSIONS,
  SETTINGS,
  USERS,
} from "./tables/mod.ts";
import { mapperOf } from "./tables/table.ts";

/**
 * A column list with every column prefixed by a table alias (`m.id, m.area_id …`).
 *
 * @param columns A column list.
 * @param alias The alias.
 * @returns The prefixed list.
 */
export function prefixed(columns: string, alias: string): string {
  return columns.split(", ").map((column) => `${alias}.${column}`).join(", ");
}

/** The select list of a user. */
export const USER_COLUMNS: string = USERS.select;

const mapUser: (r: Row) => User = mapperOf(USERS);

/**
 * A row of {@linkcode USER_COLUMNS} as a {@linkcode User}. A lock whose end has passed reads as
 * no lock, as if `users.update` had set the status to `"active"`: status `"active"`, no reason,
 * no end, no failed logins (the row keeps it until the user is next written).
 *
 * @param r The row.
 * @param now Now on the storage's clock (`nowOf`).
 * @returns The user.
 */
export function toUser(r: Row, now: number): User {
  const user = mapUser(r);
  if (
    user.status === "locked" && user.lockedUntil !== null &&
    user.lockedUntil.getTime() <= now
  ) {
    user.status = "active";
    user.statusReason = null;
    user.lockedUntil = null;
    user.failedLogins = 0;
  }
  return user;
}

/** The select list of a last caller. */
export const CALLER_COLUMNS: string = LOGINS.select;

/** A row of {@linkcode CALLER_COLUMNS} as a {@linkcode LastCaller}. */
export const toCaller: (r: Row) => LastCaller = mapperOf(LOGINS);

/** The select list of a message area. */
export const MESSAGE_AREA_COLUMNS: string = MESSAGE_AREAS.select;

/** A row of {@linkcode MESSAGE_AREA_COLUMNS} as a {@linkcode MessageArea}. */
export const toMessageArea: (r: Row) => MessageArea = mapperOf(MESSAGE_AREAS);

/** The select list of a file area. */
export const FILE_AREA_COLUMNS: string = FILE_AREAS.select;

/** A row of {@linkcode FILE_AREA_COLUMNS} as a {@linkcode FileArea}. */
export const toFileArea: (r: Row) => FileArea = mapperOf(FILE_AREAS);

/** The select list of a file entry. */
export const FILE_COLUMNS: string = FILES.select;

/** A row of {@linkcode FILE_COLUMNS} as a {@linkcode FileEntry}. */
export const toFile: (r: Row) => FileEntry = mapperOf(FILES);

/** The select list of a message. */
export const MESSAGE_COLUMNS: string = MESSAGES.select;

/** A row of {@linkcode MESSAGE_COLUMNS} as a {@linkcode Message}. */
export const toMessage: (r: Row) => Message = mapperOf(MESSAGES);

/** The select list of a session. */
export const SESSION_COLUMNS: string = SESSIONS.select;

/** A row of {@linkcode SESSION_COLUMNS} as a {@linkcode Session}. */
export const toSession: (r: Row) => Session = mapperOf(SESSIONS);

/** The select list of a setting. */
export const SETTING_COLUMNS: string = SETTINGS.select;

/** A row of {@linkcode SETTING_COLUMNS} as a {@linkcode Setting}. */
export const toSetting: (r: Row) => Setting = mapperOf(SETTINGS);

/** The select list of an event. */
export const EVENT_COLUMNS: string = EVENTS.select;

/** A row of {@linkcode EVENT_COLUMNS} as a {@linkcode LogEvent}. */
export const toEvent: (r: Row) => LogEvent = mapperOf(EVENTS);
