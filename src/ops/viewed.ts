/**
 * The repositories as a user sees them (`storage.as(userId)`, `tx.as(userId)`): every operation
 * of {@linkcode DEFINITIONS}, run for a viewer.
 *
 * Reads run as they are, on a {@linkcode ViewerExecutor}: the operations that return areas,
 * messages or files filter in their queries (src/ops/_access.ts). A few reads of other users'
 * private records answer empty unless the viewer is a board sysop (level 255): `users.getProps`,
 * `users.counters`,
 * `users.logins`, `users.findByProp` (the viewer alone), `sessions.listForUser`.
 *
 * Writes first read the viewer's row: a banned or locked viewer may write nothing (`forbidden`).
 * Then each write's guard checks what it touches: posting and uploading need an area the viewer
 * may write in, as themselves; editing and deleting a message or a file needs its author or the
 * area's sysop; administering an area needs its sysop (of every area involved), as does trimming
 * it (`messages.trim`; `messages.trimAll` needs a board sysop, and both check again in each batch's
 * transaction), and so does
 * marking messages exported (`messages.markExported`; `messages.listUnexported` shows a
 * viewer only the queues of areas they are a sysop of); marking read,
 * setting pointers (`setPointer`, `setPointersByDate`) and the new-scan selection (`setScanned`)
 * need the viewer's own pointers in areas they may read (as does reading one with `pointer`;
 * `setPointersByDate` without `areaIds` sets those of the areas the viewer may read). Every other write needs a board
 * sysop, but for a user's own account: `users.update` of their own name, password hash, real
 * name, location and note, `users.setProps` of their own properties, `users.incrementCounter` of
 * their own counters, `sessions.touch`, `end` and
 * `endAllForUser` of their own sessions, and `events.append` about themselves.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { type Executor, type Queryable, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import type { Repositories } from "../storage.ts";
import * as V from "../validate.ts";
import {
  type AreaAccessRow,
  BOARD_SYSOP_LEVEL,
  isBarred,
  readable,
  sysopOf,
  ViewerExecutor,
  type ViewerRow,
  visible,
  writable,
} from "./_access.ts";
import { notFound } from "./_errors.ts";
import { foldKey } from "../keys.ts";
import { lockUser } from "./_references.ts";
import type { Definition } from "../repositories/_definition.ts";
import { DEFINITIONS, type OperationName, REPOSITORIES } from "./mod.ts";

type Run = (x: Executor, ...args: unknown[]) => Promise<unknown>;
type Guard = (x: Executor, v: ViewerRow, args: unknown[]) => Promise<void>;
/** A read answered without running it: `{ result }`, or `undefined` to run it. */
type ReadGuard = (
  x: Executor,
  v: ViewerRow,
  args: unknown[],
) => Promise<{ result: unknown } | undefined>;

const ACCESS_COLUMNS =
  "id, tag, read_level, write_level, read_mask, write_mask, hidden, sysop_level";

const Q = {
  viewer: sql(
    "viewer.get",
    "SELECT security_level, flag_mask, status, locked_until, username FROM users WHERE id = ?",
  ),
  messageArea: sql(
    "viewer.messageArea",
    `SELECT ${ACCESS_COLUMNS}, 1 AS uploads_allowed, kind FROM message_areas WHERE id = ?`,
  ),
  fileArea: sql(
    "viewer.fileArea",
    `SELECT ${ACCESS_COLUMNS}, uploads_allowed, 'files' AS kind FROM file_areas WHERE id = ?`,
  ),
  message: sql(
    "viewer.message",
    `SELECT ${
      ACCESS_COLUMNS.replace(/\w+/g, "a.$&")
    }, 1 AS uploads_allowed, a.kind, m.from_user_id, m.to_user_id, m.private
     FROM messages m JOIN message_areas a ON a.id = m.area_id WHERE m.id = ?`,
  ),
  file: sql(
    "viewer.file",
    `SELECT ${
      ACCESS_COLUMNS.replace(/\w+/g, "a.$&")
    }, a.uploads_allowed, 'files', f.uploader_id
     FROM files f JOIN file_areas a ON a.id = f.area_id WHERE f.id = ?`,
  ),
  sessionUser: sql(
    "viewer.sessionUser",
    "SELECT user_id FROM sessions WHERE id = ?",
  ),
};

/** Reads the viewer's row; `not_found` if the user is gone. */
async function loadViewer(
  x: Executor,
  id: number,
  op: string,
): Promise<ViewerRow> {
  const row = await x.get(Q.viewer, [id]);
  if (!row) throw notFound("user", id, `run ${op} as that user`);
  return {
    id,
    level: Number(row[0]),
    mask: Number(row[1]),
    status: row[2] as string,
    lockedUntil: row[3] === null ? null : Number(row[3]),
    username: row[4] as string,
  };
}

function toArea(row: readonly unknown[]): AreaAccessRow {
  return {
    id: Number(row[0]),
    tag: row[1] as string,
    readLevel: Number(row[2]),
    writeLevel: Number(row[3]),
    readMask: Number(row[4]),
    writeMask: Number(row[5]),
    hidden: Number(row[6]) !== 0,
    sysopLevel: Number(row[7]),
    uploadsAllowed: Number(row[8]) !== 0 || row[8] === true,
    kind: row[9] as string,
  };
}

/** `forbidden` for a viewer. */
function forbidden(op: string, v: ViewerRow, why: string, todo: string) {
  return new StorageError(
    "forbidden",
    `Cannot run ${op} as user ${v.id} ${why}: ${todo}`,
  );
}

/** An area in a message: by id, and by tag when the viewer may see it. */
function areaName(a: AreaAccessRow, v: ViewerRow): string {
  return `${a.kind === "files" ? "file" : "message"} area ${a.id}${
    visible(v, a) ? ` ("${a.tag}")` : ""
  }`;
}

const isId = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) > 0;

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;

/**
 * An area by id, for a guard: `undefined` when the id is not an id or names no area (the
 * operation reports it).
 */
async function areaFor(
  x: Executor,
  files: boolean,
  id: unknown,
): Promise<AreaAccessRow | undefined> {
  if (!isId(id)) return undefined;
  const row = await x.get(files ? Q.fileArea : Q.messageArea, [id]);
  return row ? toArea(row) : undefined;
}

/** Posting (`messages.post`) or uploading (`files.add`): a writable area, as the viewer. */
function authoring(files: boolean, author: string): Guard {
  const op = files ? "files.add" : "messages.post";
  return async (x, v, [input]) => {
    const area = await areaFor(x, files, field(input, "areaId"));
    // A missing area: the operation reports it.
    if (!area) return;
    if (!writable(v, area)) {
      throw forbidden(
        op,
        v,
        `may not ${files ? "upload to" : "post in"} ${areaName(area, v)}`,
        files && !area.uploadsAllowed
          ? "the area takes no uploads but from its sysops"
          : "the area's access levels or flags exclude the user; ask its sysop",
      );
    }
    const name = files ? undefined : field(input, "fromName");
    if (
      typeof name === "string" && foldKey(name) !== foldKey(v.username) &&
      !boardSysop(v)
    ) {
      throw forbidden(
        op,
        v,
        `may not post under another name than their own ("${v.username}")`,
        "leave fromName out (the username is used)",
      );
    }
    const by = field(input, author);
    if (by !== v.id && (by === undefined || by === null || isId(by))) {
      throw forbidden(
        op,
        v,
        `may not ${files ? "upload" : "post"} as ${
          by === null || by === undefined ? "no user" : `user ${by}`
        }`,
        `set ${author} to ${v.id}`,
      );
    }
  };
}

/** Editing or deleting a message or a file: its author, or the area's sysop. */
function owning(files: boolean, op: string): Guard {
  return async (x, v, [id]) => {
    if (!isId(id)) return;
    const row = await x.get(files ? Q.file : Q.message, [id]);
    const what = files ? "file" : "message";
    if (!row) return; // the operation reports it missing
    const area = toArea(row);
    const author = row[10] === null ? null : Number(row[10]);
    const addressee = files || row[11] === null ? null : Number(row[11]);
    const hidden = !files && (area.kind === "private" || Number(row[12]) === 1);
    const canRead = readable(v, area) &&
      (!hidden || sysopOf(v, area) || author === v.id || addressee === v.id);
    // Not revealed to a viewer who may not read it.
    if (!canRead) throw notFound(what, id, `run ${op}`);
    if (author !== v.id && !sysopOf(v, area)) {
      throw forbidden(
        op,
        v,
        `did not ${files ? "upload" : "write"} ${what} ${id} of ${
          areaName(area, v)
        }`,
        "only its author and the area's sysops may change it",
      );
    }
  };
}

/**
 * The fields of a file only its area's sysops may change: where the board keeps it, whether it
 * is offline, and what its scan found (an uploader may not mark their own upload clean).
 */
const SYSOP_FILE_FIELDS = ["storagePath", "offline", "scanStatus"];

/** Editing a file: its uploader or the area's sysop, and the sysop alone for the fields above. */
const updatingFile: Guard = async (x, v, args) => {
  await owning(true, "files.update")(x, v, args);
  const [id, patch] = args;
  const fields = SYSOP_FILE_FIELDS.filter((f) => field(patch, f) !== undefined);
  if (!isId(id) || fields.length === 0) return;
  const row = await x.get(Q.file, [id]);
  if (!row) return;
  const area = toArea(row);
  if (!sysopOf(v, area)) {
    throw forbidden(
      "files.update",
      v,
      `may not change ${fields.join(", ")} of file ${id} of ${
        areaName(area, v)
      }`,
      "only the area's sysops may; leave these fields out",
    );
  }
};

/** Moving a file: a file the viewer may read, and the sysop of both areas. */
const movingFile: Guard = async (x, v, [id, toAreaId]) => {
  if (!isId(id)) return;
  const row = await x.get(Q.file, [id]);
  if (!row) return; // the operation reports it missing
  const from = toArea(row);
  if (!readable(v, from)) throw notFound("file", id, "run files.move");
  const to = await areaFor(x, true, toAreaId);
  for (const area of to === undefined ? [from] : [from, to]) {
    if (!sysopOf(v, area)) {
      throw forbidden(
        "files.move",
        v,
        `is not a sysop of ${areaName(area, v)}`,
        "only the sysops of both areas may move a file",
      );
    }
  }
};

/**
 * Marking a letter received (`mail.markReceived`): the viewer's own letter alone, a message
 * addressed to them that they may read; not even a sysop receives another's mail.
 */
const receiving: Guard = async (x, v, [id, userId]) => {
  if (!isId(id) || !isId(userId)) return; // the operation reports it
  const row = await x.get(Q.message, [id]);
  if (!row) return; // the operation reports it missing
  const area = toArea(row);
  const author = row[10] === null ? null : Number(row[10]);
  const addressee = row[11] === null ? null : Number(row[11]);
  const hidden = area.kind === "private" || Number(row[12]) === 1;
  const canRead = readable(v, area) &&
    (!hidden || sysopOf(v, area) || author === v.id || addressee === v.id);
  // Not revealed to a viewer who may not read it.
  if (!canRead) throw notFound("message", id, "run mail.markReceived");
  if (userId !== v.id || addressee !== v.id) {
    throw forbidden(
      "mail.markReceived",
      v,
      `is not the addressee of message ${id} of ${areaName(area, v)}${
        userId === v.id ? "" : ` (and may not act for user ${userId})`
      }`,
      "only a letter's addressee may mark it received, for themselves",
    );
  }
};

/** Area administration: the viewer must be the sysop of every area involved. */
function administering(files: boolean, op: string): Guard {
  const need = (v: ViewerRow, level: unknown, what: string) => {
    if (typeof level === "number" && level > v.level) {
      throw forbidden(
        op,
        v,
        `has level ${v.level}, below the sysop level ${level} of ${what}`,
        "only an area's sysops may administer it",
      );
    }
  };
  const existing = async (v: ViewerRow, x: Executor, id: unknown) => {
    const area = await areaFor(x, files, id);
    if (area) need(v, area.sysopLevel, areaName(area, v));
  };
  return async (x, v, args) => {
    switch (op.slice(op.indexOf(".") + 1)) {
      case "create":
        need(
          v,
          field(field(args[0], "access"), "sysopLevel") ?? BOARD_SYSOP_LEVEL,
          "the new area",
        );
        return;
      case "update":
        await existing(v, x, args[0]);
        need(
          v,
          field(field(args[1], "access"), "sysopLevel"),
          "the area as changed",
        );
        return;
      case "delete":
        await existing(v, x, args[0]);
        await existing(v, x, field(args[1], "moveTo"));
        return;
      case "reorder":
        if (Array.isArray(args[0])) {
          for (const id of args[0]) {
            await existing(v, x, id);
          }
        }
        return;
    }
  };
}

/** Trimming an area (`messages.trim`): the area's sysop. */
const trimming: Guard = async (x, v, [areaId]) => {
  const area = await areaFor(x, false, areaId);
  if (area && !sysopOf(v, area)) {
    throw forbidden(
      "messages.trim",
      v,
      `has level ${v.level}, below the sysop level ${area.sysopLevel} of ${
        areaName(area, v)
      }`,
      "only an area's sysops may trim it",
    );
  }
};

/**
 * The viewer's own pointers, in areas they may read: `forbidden` for another user's pointers or
 * an area the viewer may not read (a missing area: the operation reports it).
 *
 * @param x Where to look.
 * @param v The viewer.
 * @param op The operation.
 * @param userId The user whose pointers it changes or reads.
 * @param areaIds The areas.
 */
async function ownPointers(
  x: Executor,
  v: ViewerRow,
  op: string,
  userId: unknown,
  areaIds: readonly unknown[],
): Promise<void> {
  if (isId(userId) && userId !== v.id) {
    throw forbidden(
      op,
      v,
      `may not ${
        op === "reading.pointer" ? "read" : "move"
      } user ${userId}'s pointers`,
      `pass ${v.id}, the user's own id`,
    );
  }
  for (const areaId of areaIds) {
    const area = await areaFor(x, false, areaId);
    if (area && !readable(v, area)) {
      throw forbidden(
        op,
        v,
        `may not read ${areaName(area, v)}`,
        "ask the area's sysop for access",
      );
    }
  }
}

/** Marking read, setting a pointer or the new-scan selection: the viewer's own, readable area. */
const pointerGuard = (op: string): Guard => (x, v, [userId, areaId]) =>
  ownPointers(x, v, op, userId, [areaId]);

/** Setting pointers by date: the viewer's own, in the areas named (each readable). */
const pointersByDate: Guard = (x, v, [userId, _date, options]) => {
  const areaIds = field(options, "areaIds");
  return ownPointers(
    x,
    v,
    "reading.setPointersByDate",
    userId,
    Array.isArray(areaIds) ? areaIds : [],
  );
};

/** Downloading: a file the viewer may read, counted to the viewer. */
const recordDownload: Guard = async (x, v, [fileId, userId]) => {
  if (isId(userId) && userId !== v.id) {
    throw forbidden(
      "files.recordDownload",
      v,
      `may not count a download to user ${userId}`,
      `pass ${v.id}`,
    );
  }
  if (!isId(fileId)) return;
  const row = await x.get(Q.file, [fileId]);
  if (row && !readable(v, toArea(row))) {
    throw notFound("file", fileId, "run files.recordDownload");
  }
};

const boardSysop = (v: ViewerRow) => v.level >= BOARD_SYSOP_LEVEL;

/** A write only a board sysop may make, but on the viewer's own records where `own` says so. */
function sysopOr(
  op: string,
  own?: (x: Executor, v: ViewerRow, args: unknown[]) => Promise<boolean>,
): Guard {
  return async (x, v, args) => {
    if (boardSysop(v) || (own && await own(x, v, args))) return;
    throw forbidden(
      op,
      v,
      `is not a board sysop (level ${BOARD_SYSOP_LEVEL}; the user has ${v.level})`,
      "only board sysops may do this for other users or for the board",
    );
  };
}

/** The fields of their own account a user may change. */
const OWN_USER_FIELDS = new Set([
  "username",
  "passwordHash",
  "realName",
  "location",
  "note",
]);

/**
 * Whether the first argument is the viewer's own id; one that is no id at all is let through,
 * for the operation to refuse as `validation` (nothing is written).
 */
const ownId = (_x: Executor, v: ViewerRow, [id]: unknown[]) =>
  Promise.resolve(!isId(id) || id === v.id);

const ownSession = async (x: Executor, v: ViewerRow, [id]: unknown[]) => {
  if (!isId(id)) return true; // the operation reports the bad id
  const row = await x.get(Q.sessionUser, [id]);
  return row === undefined || Number(row[0]) === v.id;
};

/**
 * Marking messages exported (`messages.markExported`), a tosser's tool: the sysops of the
 * messages' areas. A message the viewer may read in an area they are no sysop of is
 * `forbidden`, naming the area; one they may not read is left alone as a missing one is (the
 * operation, run for the viewer, marks only messages of areas they are a sysop of).
 */
const markingExported: Guard = async (x, v, [ids]) => {
  if (!Array.isArray(ids)) return; // the operation reports it
  for (const id of ids.slice(0, 1001)) {
    if (!isId(id)) return;
    const row = await x.get(Q.message, [id]);
    if (!row) continue;
    const area = toArea(row);
    const author = row[10] === null ? null : Number(row[10]);
    const addressee = row[11] === null ? null : Number(row[11]);
    const canRead = readable(v, area) &&
      (area.kind !== "private" || sysopOf(v, area) || author === v.id ||
        addressee === v.id);
    if (canRead && !sysopOf(v, area)) {
      throw forbidden(
        "messages.markExported",
        v,
        `is not a sysop of ${areaName(area, v)} (message ${id})`,
        "only an area's sysops (or its tosser, running as one) may mark its messages exported",
      );
    }
  }
};

const GUARDS: Partial<Record<OperationName | string, Guard>> = {
  "messages.markExported": markingExported,
  "messages.post": authoring(false, "fromUserId"),
  "messages.update": owning(false, "messages.update"),
  "messages.delete": owning(false, "messages.delete"),
  "messages.trim": trimming,
  "messages.trimAll": sysopOr("messages.trimAll"),
  "files.add": authoring(true, "uploaderId"),
  "files.update": updatingFile,
  "files.move": movingFile,
  "files.delete": owning(true, "files.delete"),
  "files.recordDownload": recordDownload,
  "mail.markReceived": receiving,
  "reading.markRead": pointerGuard("reading.markRead"),
  "reading.setPointer": pointerGuard("reading.setPointer"),
  "reading.setScanned": pointerGuard("reading.setScanned"),
  "reading.setPointersByDate": pointersByDate,
  "users.update": sysopOr(
    "users.update",
    (_x, v, [id, patch]) =>
      Promise.resolve(
        !isId(id) ||
          (id === v.id && typeof patch === "object" && patch !== null &&
            Object.keys(patch).every((key) => OWN_USER_FIELDS.has(key))),
      ),
  ),
  "users.setProps": sysopOr("users.setProps", ownId),
  "users.incrementCounter": sysopOr("users.incrementCounter", ownId),
  "sessions.touch": sysopOr("sessions.touch", ownSession),
  "sessions.end": sysopOr("sessions.end", ownSession),
  "sessions.endAllForUser": sysopOr("sessions.endAllForUser", ownId),
  "events.append": sysopOr(
    "events.append",
    async (x, v, [input]) => {
      if (field(input, "userId") !== v.id) return false;
      const sessionId = field(input, "sessionId");
      return sessionId === undefined || sessionId === null ||
        await ownSession(x, v, [sessionId]);
    },
  ),
};
for (const files of [false, true]) {
  const name = files ? "fileAreas" : "messageAreas";
  for (const method of ["create", "update", "delete", "reorder"]) {
    GUARDS[`${name}.${method}`] = administering(files, `${name}.${method}`);
  }
}

/** Reads of other users' private records: empty unless the viewer is a board sysop. */
const othersEmpty = (empty: () => unknown): ReadGuard => (_x, v, [id]) =>
  Promise.resolve(
    isId(id) && id !== v.id && !boardSysop(v) ? { result: empty() } : undefined,
  );

const READ_GUARDS: Partial<Record<OperationName | string, ReadGuard>> = {
  "reading.newScan": othersEmpty(() => []),
  "reading.readNext": othersEmpty(() => []),
  "users.getProps": othersEmpty(() => ({})),
  "users.counters": othersEmpty(() => ({})),
  "users.logins": othersEmpty(() => []),
  "sessions.listForUser": othersEmpty(() => []),
  "reading.pointer": async (x, v, [userId, areaId]) => {
    await ownPointers(x, v, "reading.pointer", userId, [areaId]);
    return undefined;
  },
};

/**
 * The operations that read: through `as()` they run filtered (or answered by a read guard);
 * every other operation writes, and is guarded.
 */
export const READS: ReadonlySet<string> = new Set([
  "users.get",
  "users.findByUsername",
  "users.list",
  "users.count",
  "users.getProps",
  "users.counters",
  "users.findByProp",
  "users.logins",
  "callers.recent",
  "messageAreas.get",
  "messageAreas.getByTag",
  "messageAreas.list",
  "messages.get",
  "messages.list",
  "messages.thread",
  "messages.findByMsgid",
  "messages.search",
  "messages.getByNum",
  "messages.listUnexported",
  "reading.pointer",
  "reading.newScan",
  "reading.readNext",
  "mail.listFor",
  "mail.inbox",
  "mail.sent",
  "mail.unreadCount",
  "mail.toName",
  "fileAreas.get",
  "fileAreas.getByTag",
  "fileAreas.list",
  "fileAreas.stats",
  "files.get",
  "files.list",
  "files.page",
  "files.count",
  "files.find",
  "files.findPage",
  "files.listNew",
  "files.findByHash",
  "files.search",
  "sessions.getByToken",
  "sessions.listOnline",
  "sessions.listForUser",
  "settings.get",
  "settings.list",
  "events.list",
  "events.count",
  "events.top",
]);

/**
 * The reads that filter by the viewer in their queries (joining the viewer's row): an empty
 * answer may mean the viewer is gone, which a second look tells. The other reads are the
 * system's, and look for the viewer first.
 */
const FILTERED = /^(messageAreas|messages|reading|mail|fileAreas|files)\./;

/** How deep arguments are copied before a guard reads them: deeper than any guard looks. */
const SETTLE_DEPTH = 3;

/**
 * An argument as plain data, read once: own enumerable properties of objects and the items of
 * arrays are copied (to {@linkcode SETTLE_DEPTH} levels), each read once, into plain objects
 * and arrays; dates are copied by their time. A guard and the operation then read the same
 * values: a getter, a proxy or a prototype cannot show the guard one value and the operation
 * another, and inherited properties do not count.
 */
function settle(value: unknown, depth = 0): unknown {
  if (typeof value !== "object" || value === null || depth >= SETTLE_DEPTH) {
    return value;
  }
  if (value instanceof Date) {
    try {
      return new Date(Date.prototype.getTime.call(value));
    } catch {
      return value; // not a real date: the operation refuses it
    }
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    const length = value.length;
    for (let i = 0; i < length; i++) items.push(settle(value[i], depth + 1));
    return items;
  }
  const copy: Record<string, unknown> = Object.create(
    Object.getPrototypeOf(value) === null ? null : Object.prototype,
  );
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, {
      value: settle((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

/** The arguments of a write, settled; a value that cannot be read is `validation`. */
function settleAll(op: string, args: unknown[]): unknown[] {
  try {
    return args.map((arg) => settle(arg));
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError(
      "validation",
      `Invalid ${op} input: reading it failed (${
        describeError(error)
      }): pass plain objects, arrays and values`,
      { field: "input" },
    );
  }
}

function describeError(error: unknown): string {
  try {
    return error instanceof Error ? error.name : typeof error;
  } catch {
    return "unknown";
  }
}

/** What a viewer sees of an anonymous message's author who is not them (and not their area's). */
export const ANONYMOUS = "Anonymous";

const areaSysop = sql(
  "viewer.areaSysop",
  `SELECT CASE WHEN a.sysop_level <= v.security_level THEN 1 ELSE 0 END
   FROM message_areas a JOIN users v ON v.id = ? WHERE a.id = ?`,
);

interface Authored {
  areaId: number;
  fromUserId: number | null;
  fromName: string;
  anonymous: boolean;
}

function isAnonymousMessage(value: unknown): value is Authored {
  return typeof value === "object" && value !== null &&
    (value as Authored).anonymous === true &&
    typeof (value as Authored).fromName === "string" &&
    typeof (value as Authored).areaId === "number";
}

/**
 * The messages of a read's answer (one, a list, or the lists of a page), each anonymous one not
 * the viewer's and of an area the viewer is not the sysop of showing `fromName`
 * {@linkcode ANONYMOUS} and `fromUserId` `null`. Every read of messages through `as()` passes
 * here, so none shows an anonymous author.
 */
async function withoutAnonymousAuthors(
  x: Executor,
  viewer: number,
  result: unknown,
): Promise<unknown> {
  const sysopOfArea = new Map<number, boolean>();
  const hide = async (item: unknown): Promise<unknown> => {
    if (!isAnonymousMessage(item) || item.fromUserId === viewer) return item;
    let sysop = sysopOfArea.get(item.areaId);
    if (sysop === undefined) {
      const row = await x.get(areaSysop, [viewer, item.areaId]);
      sysop = row !== undefined && Number(row[0]) === 1;
      sysopOfArea.set(item.areaId, sysop);
    }
    return sysop ? item : { ...item, fromName: ANONYMOUS, fromUserId: null };
  };
  const all = async (items: unknown[]) => {
    const out: unknown[] = [];
    for (const item of items) out.push(await hide(item));
    return out;
  };
  if (Array.isArray(result)) return await all(result);
  if (isAnonymousMessage(result)) return await hide(result);
  if (result && typeof result === "object") {
    const entries = Object.entries(result);
    if (entries.some(([, part]) => Array.isArray(part))) {
      const page: Record<string, unknown> = {};
      for (const [key, part] of entries) {
        page[key] = Array.isArray(part) ? await all(part) : part;
      }
      return page;
    }
  }
  return result;
}

/** Another user's password hash, as a viewer who is not a board sysop reads it: not at all. */
function withoutHashes(result: unknown, v: ViewerRow): unknown {
  if (boardSysop(v)) return result;
  const hide = (user: unknown) =>
    user && typeof user === "object" && (user as { id: number }).id !== v.id
      ? { ...user, passwordHash: "" }
      : user;
  if (Array.isArray(result)) return result.map(hide);
  if (result && typeof result === "object" && "users" in result) {
    const page = result as { users: unknown[] };
    return { ...page, users: page.users.map(hide) };
  }
  return hide(result);
}

const USER_READS = new Set([
  "users.get",
  "users.findByUsername",
  "users.list",
  "users.findByProp",
]);

/** Runs a read for the viewer of `x`. */
async function readViewed(
  x: ViewerExecutor,
  op: string,
  run: Run,
  args: unknown[],
): Promise<unknown> {
  if (FILTERED.test(op)) {
    const guard = READ_GUARDS[op];
    if (guard) {
      const answer = await guard(
        x.inner,
        await loadViewer(x.inner, x.viewerId, op),
        args,
      );
      if (answer) return answer.result;
    }
    const result = await withoutAnonymousAuthors(
      x.inner,
      x.viewerId,
      await run(x, ...args),
    );
    const empty = result === null || result === 0 ||
      (Array.isArray(result) && result.length === 0) ||
      // A page: every list of it empty (`files.page`).
      (typeof result === "object" && !Array.isArray(result) &&
        Object.values(result).every((part) =>
          part === null || (Array.isArray(part) && part.length === 0)
        ));
    // Nothing found: perhaps nothing the viewer may read, perhaps no viewer.
    if (empty) await loadViewer(x.inner, x.viewerId, op);
    return result;
  }
  const v = await loadViewer(x.inner, x.viewerId, op);
  const answer = await READ_GUARDS[op]?.(x.inner, v, args);
  if (answer) return answer.result;
  let result = await run(x, ...args);
  if (op === "users.findByProp" && !boardSysop(v)) {
    result = (result as { id: number }[]).filter((u) => u.id === v.id);
  }
  return USER_READS.has(op) ? withoutHashes(result, v) : result;
}

/**
 * Runs a write for the viewer of `x`: in one transaction (the caller's, for `tx.as`) that
 * first locks the viewer's row (`users.lock`: PostgreSQL's `FOR NO KEY UPDATE`, which a ban's
 * `UPDATE` waits for and makes wait), then reads it, checks the guard and runs the operation,
 * so that no ban, demotion or change of the area's access can come between the check and the
 * write.
 */
function writeViewed(
  x: ViewerExecutor,
  op: string,
  run: Run,
  given: unknown[],
): Promise<unknown> {
  const args = settleAll(op, given);
  const check = async (inner: Executor) => {
    await inner.get(lockUser, [x.viewerId]);
    const v = await loadViewer(inner, x.viewerId, op);
    if (isBarred(v, nowOf(inner))) {
      throw forbidden(
        op,
        v,
        `is ${v.status === "banned" ? "banned" : "locked out"}`,
        v.status === "banned"
          ? "a banned user may write nothing; a sysop may lift the ban"
          : "a locked user may write nothing until the lock ends",
      );
    }
    await (GUARDS[op] ?? sysopOr(op))(inner, v, args);
  };
  if (BATCHED.has(op) && x.transaction) {
    // Each batch is a transaction of its own, checked there: no ban, demotion or change of the
    // area's access comes between a batch's check and its writes.
    const inner = x.inner;
    const checked: Executor = {
      all: (q, params) => inner.all(q, params),
      get: (q, params) => inner.get(q, params),
      run: (q, params) => inner.run(q, params),
      atomic: (fn) =>
        inner.atomic(async (q) => {
          await check({ ...bound(q), atomic: (f) => f(q) });
          return await fn(q);
        }),
    };
    return run(new ViewerExecutor(checked, x.viewerId), ...args);
  }
  const write = async (inner: Executor) => {
    await check(inner);
    // A write's answer is read by the viewer too (`mail.markReceived` answers the letter).
    return await withoutAnonymousAuthors(
      inner,
      x.viewerId,
      await run(new ViewerExecutor(inner, x.viewerId), ...args),
    );
  };
  return x.transaction ? x.transaction(write) : write(x.inner);
}

/**
 * Writes that run in batches, each in a transaction of its own (`messages.trim`, `trimAll`):
 * through `storage.as()`, the viewer and the guard are checked in every batch's transaction
 * (in `tx.as()`, once, in the caller's transaction, as every write).
 */
const BATCHED = new Set(["messages.trim", "messages.trimAll"]);

/** A queryable's methods, bound. */
const bound = (q: Queryable): Queryable => ({
  all: (s, params) => q.all(s, params),
  get: (s, params) => q.get(s, params),
  run: (s, params) => q.run(s, params),
});

/** Runs an operation for the viewer of `x`, guarded. */
function runViewed(
  x: ViewerExecutor,
  op: string,
  run: Run,
  args: unknown[],
): Promise<unknown> {
  return READS.has(op)
    ? readViewed(x, op, run, args)
    : writeViewed(x, op, run, args);
}

/**
 * Every repository's operations as a viewer runs them, on a {@linkcode ViewerExecutor}: what
 * `storage.as` binds and `tx.as` queues.
 */
export const VIEWED_DEFINITIONS: {
  readonly [K in keyof Repositories]: Definition<Repositories[K]>;
} = Object.fromEntries(
  REPOSITORIES.map((name) => [
    name,
    Object.freeze(Object.fromEntries(
      Object.entries(DEFINITIONS[name] as Record<string, Run>).map((
        [method, run],
      ) => [
        method,
        (x: Executor, ...args: unknown[]) =>
          runViewed(x as ViewerExecutor, `${name}.${method}`, run, args),
      ]),
    )),
  ]),
) as never;

/**
 * Checks the id given to `as()`: a user that exists.
 *
 * @param x Where to look.
 * @param userId The id.
 * @param where `storage.as` or `tx.as`.
 * @returns The id.
 */
export async function checkViewer(
  x: Executor,
  userId: number,
  where: string,
): Promise<number> {
  V.parseId(userId, "userId", where);
  await loadViewer(x, userId, where);
  return userId;
}
