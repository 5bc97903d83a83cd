/**
 * Messages: posting (numbers, names, threads, FidoNet links), reading, editing and search.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { dialectSql, type Executor, type Queryable, sql } from "../driver.ts";
import type {
  AfterOptions,
  LimitOptions,
  ListMessagesOptions,
  Message,
  MessagePatch,
  MessageSearchOptions,
  NewMessage,
} from "../records.ts";
import { MESSAGE_COLUMNS as M, prefixed, toMessage } from "../rows.ts";
import { isStorageError, StorageError } from "../errors.ts";
import { foldKey } from "../keys.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { mapError, missing, notFound, reword } from "./_errors.ts";
import { byId } from "./_patch.ts";
import { lockUser, shareUser } from "./_references.ts";
import { searchTerms } from "./search.ts";
import { canReadMessage, isSysop, VIEWER, viewerOf } from "./_access.ts";
import {
  byViewer,
  catchUp,
  messageAreaReach,
  OWN_MESSAGES,
  ownMessagesParams,
} from "./areas.ts";

/** A message joined with its area (`a`) and the viewer (`v`): the first parameter is the viewer's id. */
const VIEWED_FROM =
  `messages m JOIN message_areas a ON a.id = m.area_id JOIN ${VIEWER} ON v.id = ?`;
const PM = prefixed(M, "m");

/**
 * The filters of `messages.list` and `messages.search` (see `MessageFilter`) on message `m`:
 * `[fromKey, fromKey, toKey, toKey, since, until]`, a name's key `''` (no name has it) when the
 * filter is not given, the dates the widest safe integers.
 */
const FILTER =
  `(? = '' OR m.from_name_key = ?) AND (? = '' OR m.to_name_key = ?)
  AND m.created_at BETWEEN ? AND ?`.replace(/\s+/g, " ");

/** A filter's parameters, in the order of {@linkcode FILTER}. */
interface Filter {
  fromKey: string;
  toKey: string;
  since: number;
  until: number;
}

function filterOf(
  o: { fromName?: string; toName?: string; since?: Date; until?: Date },
): Filter | undefined {
  if (
    o.fromName === undefined && o.toName === undefined &&
    o.since === undefined && o.until === undefined
  ) return undefined;
  return {
    fromKey: o.fromName === undefined ? "" : foldKey(o.fromName),
    toKey: o.toName === undefined ? "" : foldKey(o.toName),
    since: o.since?.getTime() ?? Number.MIN_SAFE_INTEGER,
    until: o.until?.getTime() ?? Number.MAX_SAFE_INTEGER,
  };
}

const filterParams = (f: Filter | undefined): unknown[] =>
  f === undefined
    ? ["", "", "", "", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]
    : [f.fromKey, f.fromKey, f.toKey, f.toKey, f.since, f.until];

/**
 * What a viewer who is not the area's sysop may see of a filtered list: `[hide, viewer, viewer,
 * fromKey, viewer]`, `hide` 0 for everyone else (no viewer, or the area's sysop). Others'
 * private messages are left out, and an author's name filter does not match others' anonymous
 * messages (a match would tell who wrote them).
 */
const VISIBLE =
  `(? = 0 OR ((m.private = 0 OR m.from_user_id = ? OR m.to_user_id = ?)
  AND (m.anonymous = 0 OR ? = '' OR m.from_user_id = ?)))`.replace(/\s+/g, " ");

/** The parameters of {@linkcode VISIBLE}. */
const visibleParams = (
  reach: "all" | "public" | "own",
  viewer: number | undefined,
  f: Filter,
): unknown[] => {
  const v = viewer ?? 0;
  return [reach === "all" ? 0 : 1, v, v, f.fromKey, v];
};

/**
 * An area's messages by number with filters, each on the index its first filter seeks: by the
 * author's name key, by the recipient's, or by number alone (the dates then read along), with
 * {@linkcode VISIBLE} last.
 */
const LIST_FILTERED = {
  from: sql(
    "messages.listFrom",
    `SELECT ${PM} FROM messages m
     WHERE m.area_id = ? AND m.from_name_key = ? AND (? = '' OR m.to_name_key = ?)
       AND m.created_at BETWEEN ? AND ? AND m.msg_num > ? AND m.id > ? AND ${VISIBLE}
     ORDER BY m.msg_num LIMIT ?`,
  ),
  to: sql(
    "messages.listTo",
    `SELECT ${PM} FROM messages m
     WHERE m.area_id = ? AND m.to_name_key = ? AND m.created_at BETWEEN ? AND ?
       AND m.msg_num > ? AND m.id > ? AND ${VISIBLE}
     ORDER BY m.msg_num LIMIT ?`,
  ),
  dates: sql(
    "messages.listDates",
    `SELECT ${PM} FROM messages m
     WHERE m.area_id = ? AND m.created_at BETWEEN ? AND ? AND m.msg_num > ? AND m.id > ?
       AND ${VISIBLE}
     ORDER BY m.msg_num LIMIT ?`,
  ),
  /**
   * A private area's messages the viewer wrote or that are addressed to them (as
   * `OWN_MESSAGES`), filtered: `[viewer, areaId, afterNum, after, ...filter, fromKey]` (others'
   * anonymous letters do not match an author's name), then
   * `[viewer, viewer, areaId, afterNum, after, ...filter]`, then the limit.
   */
  own: sql(
    "messages.ownFiltered",
    `SELECT ${M} FROM (
       SELECT ${PM} FROM messages m
       WHERE m.to_user_id = ? AND m.area_id = ? AND m.msg_num > ? AND m.id > ? AND ${FILTER}
         AND (m.anonymous = 0 OR ? = '')
       UNION ALL
       SELECT ${PM} FROM messages m
       WHERE m.from_user_id = ? AND (m.to_user_id IS NULL OR m.to_user_id <> ?)
         AND m.area_id = ? AND m.msg_num > ? AND m.id > ? AND ${FILTER}
     ) mine ORDER BY msg_num LIMIT ?`,
  ),
};

/**
 * The message reads of a viewer (`as()`): only the messages the viewer may read, filtered in the
 * query. Each takes the viewer's id first.
 */
const VQ = {
  parent: sql(
    "messages.parentAs",
    `SELECT m.id, coalesce(m.thread_root_id, m.id) FROM ${VIEWED_FROM}
     WHERE m.id = ? AND ${canReadMessage("m", "a")}`,
  ),
  parentByMsgid: sql(
    "messages.parentByMsgidAs",
    `SELECT m.id, coalesce(m.thread_root_id, m.id) FROM ${VIEWED_FROM}
     WHERE m.area_id = ? AND m.ftn_msgid = ? AND ${canReadMessage("m", "a")}`,
  ),
  orphans: sql(
    "messages.orphansAs",
    `SELECT m.id FROM ${VIEWED_FROM}
     WHERE m.area_id = ? AND m.ftn_reply = ? AND m.parent_id IS NULL
       AND m.thread_root_id IS NULL AND m.id <> ? AND ${
      canReadMessage("m", "a")
    }`,
  ),
  byId: sql(
    "messages.byIdAs",
    `SELECT ${PM} FROM ${VIEWED_FROM} WHERE m.id = ? AND ${
      canReadMessage("m", "a")
    }`,
  ),
  replies: sql(
    "messages.repliesAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.thread_root_id = ? AND ${canReadMessage("m", "a")} ORDER BY m.id`,
  ),
  byMsgid: sql(
    "messages.byMsgidAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.area_id = ? AND m.ftn_msgid = ? AND ${canReadMessage("m", "a")}`,
  ),
  mail: sql(
    "messages.mailAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.to_user_id = ? AND m.id > ? AND ${
      canReadMessage("m", "a")
    } ORDER BY m.id LIMIT ?`,
  ),
  search: dialectSql("messages.searchAs", {
    select: M,
    // An author's name filter does not match others' anonymous messages: [...filter, fromKey].
    where: `${canReadMessage("m", "a")} AND ${FILTER}
      AND (m.anonymous = 0 OR ? = '' OR m.from_user_id = v.id OR ${
      isSysop("a")
    })`,
  }),
  byNum: sql(
    "messages.byNumAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.area_id = ? AND m.msg_num = ? AND ${canReadMessage("m", "a")}`,
  ),
  /** The area's sysops alone see what waits for export. */
  unexported: sql(
    "messages.unexportedAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.area_id = ? AND m.exported_at IS NULL AND m.imported = 0 AND ${
      isSysop("a")
    } ORDER BY m.id LIMIT ?`,
  ),
  /** `[at, viewer, id]`: only in an area the viewer is a sysop of. */
  markExported: sql(
    "messages.markExportedAs",
    `UPDATE messages SET exported_at = ?
     WHERE id = (SELECT m.id FROM ${VIEWED_FROM}
                 WHERE m.id = ? AND m.exported_at IS NULL AND m.imported = 0 AND ${
      isSysop("a")
    })`,
    true,
  ),
};

const Q = {
  parent: sql(
    "messages.parent",
    "SELECT id, coalesce(thread_root_id, id) FROM messages WHERE id = ?",
  ),
  parentByMsgid: sql(
    "messages.parentByMsgid",
    "SELECT id, coalesce(thread_root_id, id) FROM messages WHERE area_id = ? AND ftn_msgid = ?",
  ),
  number: sql(
    "messageAreas.number",
    "UPDATE message_areas SET last_msg_num = last_msg_num + 1, msg_count = msg_count + 1 WHERE id = ? RETURNING last_msg_num, kind, anonymous",
    true,
  ),
  insert: sql(
    "messages.insert",
    `INSERT INTO messages (area_id, msg_num, from_user_id, from_name, to_user_id, to_name, subject, body,
       parent_id, thread_root_id, ftn_msgid, ftn_reply, kludges, created_at, received_at,
       private, anonymous, mail, to_name_key, from_name_key,
       orig_addr, dest_addr, imported)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${M}`,
    true,
  ),
  addPost: sql(
    "users.addPost",
    "UPDATE users SET posts = posts + 1 WHERE id = ?",
    true,
  ),
  orphans: sql(
    "messages.orphans",
    `SELECT id FROM messages
     WHERE area_id = ? AND ftn_reply = ? AND parent_id IS NULL AND thread_root_id IS NULL AND id <> ?`,
  ),
  moveThread: sql(
    "messages.moveThread",
    "UPDATE messages SET thread_root_id = ? WHERE thread_root_id = ?",
    true,
  ),
  adopt: sql(
    "messages.adopt",
    "UPDATE messages SET parent_id = ?, thread_root_id = ? WHERE id = ?",
    true,
  ),
  byId: sql("messages.byId", `SELECT ${M} FROM messages WHERE id = ?`),
  list: sql(
    "messages.list",
    `SELECT ${M} FROM messages WHERE area_id = ? AND msg_num > ? AND id > ? ORDER BY msg_num LIMIT ?`,
  ),
  // A public area as a viewer who is not its sysop sees it: but others' private messages.
  listPublic: sql(
    "messages.listPublic",
    `SELECT ${M} FROM messages WHERE area_id = ? AND msg_num > ? AND id > ?
       AND (private = 0 OR from_user_id = ? OR to_user_id = ?) ORDER BY msg_num LIMIT ?`,
  ),
  update: sql(
    "messages.update",
    `UPDATE messages SET subject = coalesce(?, subject), body = coalesce(?, body) WHERE id = ? RETURNING ${M}`,
    true,
  ),
  delete: sql("messages.delete", "DELETE FROM messages WHERE id = ?", true),
  uncount: sql(
    "messageAreas.uncount",
    "UPDATE message_areas SET msg_count = msg_count - 1 WHERE id = (SELECT area_id FROM messages WHERE id = ?)",
    true,
  ),
  replies: sql(
    "messages.replies",
    `SELECT ${M} FROM messages WHERE thread_root_id = ? ORDER BY id`,
  ),
  mail: sql(
    "messages.mail",
    `SELECT ${M} FROM messages WHERE to_user_id = ? AND id > ? ORDER BY id LIMIT ?`,
  ),
  byMsgid: sql(
    "messages.byMsgid",
    `SELECT ${M} FROM messages WHERE area_id = ? AND ftn_msgid = ?`,
  ),
  search: dialectSql("messages.search", { select: M, where: FILTER }),
  byNum: sql(
    "messages.byNum",
    `SELECT ${M} FROM messages WHERE area_id = ? AND msg_num = ?`,
  ),
  unexported: sql(
    "messages.unexported",
    `SELECT ${M} FROM messages WHERE area_id = ? AND exported_at IS NULL AND imported = 0
     ORDER BY id LIMIT ?`,
  ),
  markExported: sql(
    "messages.markExported",
    "UPDATE messages SET exported_at = ? WHERE id = ? AND exported_at IS NULL AND imported = 0",
    true,
  ),
};

/**
 * See `messages.post`. Locks in the global order (mod.ts): the author and the
 * recipient (ascending id), then the area (numbering), then messages (the new one, the parent
 * its foreign key shares, the orphans it adopts), then the author's last-read pointer (moved past
 * the new message when it was at the previous high-water mark). The author's `posts` is counted
 * on the row already locked, after the message, so a counter that would overflow is the last
 * failure reported.
 */
export async function postMessage(
  x: Executor,
  input: NewMessage,
): Promise<Message> {
  const m = parse(S.newMessage, input, "input", "messages.post");
  // A viewer's post links only to messages the viewer may read: another's is as missing.
  const viewer = viewerOf(x);
  const as = viewer === undefined ? [] : [viewer];
  return await x.atomic(async (q) => {
    const names = await lockUsers(q, m.fromUserId, m.toUserId);
    const fromName = m.fromName ?? names.from!;
    const toName = m.toName ?? names.to ?? "All";
    let parent = m.parentId === null
      ? undefined
      : await q.get(viewer === undefined ? Q.parent : VQ.parent, [
        ...as,
        m.parentId,
      ]);
    if (m.parentId !== null && !parent) {
      throw missing("post message", "parentId", "message", m.parentId);
    }
    if (!parent && m.ftnReply !== null) {
      parent = await q.get(
        viewer === undefined ? Q.parentByMsgid : VQ.parentByMsgid,
        [...as, m.areaId, m.ftnReply],
      );
    }
    const numbered = await q.get(Q.number, [m.areaId]);
    if (!numbered) {
      throw missing("post message", "areaId", "message area", m.areaId);
    }
    const mail = numbered[1] === "private";
    const anonymous = anonymity(numbered[2] as string, m.anonymous);
    const row = await mapError(
      () =>
        q.get(Q.insert, [
          m.areaId,
          numbered[0],
          m.fromUserId,
          fromName,
          m.toUserId,
          toName,
          m.subject,
          m.body,
          parent?.[0] ?? null,
          parent?.[1] ?? null,
          m.ftnMsgid,
          m.ftnReply,
          JSON.stringify(m.kludges),
          m.createdAt?.getTime() ?? nowOf(x),
          m.receivedAt?.getTime() ?? null,
          mail || m.private ? 1 : 0,
          anonymous ? 1 : 0,
          mail ? 1 : 0,
          foldKey(toName),
          foldKey(fromName),
          m.origAddr,
          m.destAddr,
          m.imported ? 1 : 0,
        ]),
      (error) => {
        // The users and the area are locked; only a parent deleted since it was read can fail.
        if (m.parentId !== null && isStorageError(error, "constraint")) {
          return missing(
            "post message",
            "parentId",
            "message",
            m.parentId,
            error,
          );
        }
        return reword(
          "conflict",
          "ftnMsgid",
          () =>
            `Cannot post message as its ftnMsgid is already in area ${m.areaId}: "${m.ftnMsgid}" (a duplicate import)`,
        )(error);
      },
    );
    const message = toMessage(row!);
    if (m.fromUserId !== null) await q.run(Q.addPost, [m.fromUserId]);
    if (m.ftnMsgid !== null) await adoptOrphans(q, message, viewer);
    // The author, caught up before, has read their own message: last_read comes last.
    if (m.fromUserId !== null) {
      await catchUp(q, m.fromUserId, m.areaId, message.msgNum);
    }
    return message;
  });
}

/**
 * Whether a post is anonymous, by its area's setting: `"forced"` makes every post anonymous,
 * `"allowed"` takes what is asked, `"never"` refuses a post that asks (`validation` naming
 * `anonymous`; the caller's transaction undoes the number taken).
 */
function anonymity(setting: string, asked: boolean): boolean {
  if (setting === "forced") return true;
  if (asked && setting !== "allowed") {
    throw new StorageError(
      "validation",
      `Invalid messages.post input: anonymous must be false in this area, which takes no anonymous posts (its anonymous setting is "${setting}")`,
      { field: "anonymous" },
    );
  }
  return asked;
}

/**
 * Locks the author (whose `posts` the post counts) and shares the recipient, in ascending id
 * order, and returns their names; a missing one is a `constraint` naming its field (the
 * author's first).
 */
async function lockUsers(
  q: Queryable,
  fromUserId: number | null,
  toUserId: number | null,
): Promise<{ from?: string; to?: string }> {
  const names: { from?: string; to?: string } = {};
  const ids = [...new Set([fromUserId, toUserId])].filter((id) => id !== null)
    .sort((a, b) => a - b);
  for (const id of ids) {
    const row = id === fromUserId
      ? await q.get(lockUser, [id])
      : await q.get(shareUser, [id]);
    const name = row?.[0] as string | undefined;
    if (id === fromUserId) names.from = name;
    if (id === toUserId) names.to = name;
  }
  if (fromUserId !== null && names.from === undefined) {
    throw missing("post message", "fromUserId", "user", fromUserId);
  }
  if (toUserId !== null && names.to === undefined) {
    throw missing("post message", "toUserId", "user", toUserId);
  }
  return names;
}

/**
 * Replies that arrived before their parent move, with their threads, under it; a viewer's post
 * adopts only replies the viewer may read.
 */
async function adoptOrphans(
  q: Queryable,
  parent: Message,
  viewer: number | undefined,
): Promise<void> {
  const params = [parent.areaId, parent.ftnMsgid, parent.id];
  const orphans = viewer === undefined
    ? await q.all(Q.orphans, params)
    : await q.all(VQ.orphans, [viewer, ...params]);
  for (const [orphan] of orphans) {
    // The orphan is the root of its own thread; if it is also the new message's root, linking
    // it would close a cycle.
    if (orphan === parent.threadRootId) continue;
    await q.run(Q.moveThread, [parent.threadRootId, orphan]);
    await q.run(Q.adopt, [parent.id, parent.threadRootId, orphan]);
  }
}

/** See `messages.get`. */
export function getMessage(
  x: Executor,
  id: number,
): Promise<Message | null> {
  const viewer = viewerOf(x);
  if (viewer !== undefined) {
    return byViewer(x, VQ.byId, viewer, id, "messages.get", toMessage);
  }
  return byId(x, Q.byId, id, "messages.get", toMessage);
}

/** See `messages.list`. */
export async function listMessages(
  x: Executor,
  areaId: number,
  options?: ListMessagesOptions,
): Promise<Message[]> {
  parseId(areaId, "areaId", "messages.list");
  const o = parse(
    S.listMessagesOptions,
    options,
    "options",
    "messages.list",
  );
  const { after, afterNum, limit } = o;
  const viewer = viewerOf(x);
  const reach = viewer === undefined
    ? "all"
    : await messageAreaReach(x, viewer, areaId);
  if (reach === "none") return [];
  const filter = filterOf(o);
  if (filter !== undefined) {
    return (await listFiltered(x, reach, viewer, areaId, o, filter)).map(
      toMessage,
    );
  }
  const rows = reach === "own"
    ? await x.all(
      OWN_MESSAGES,
      ownMessagesParams(viewer!, areaId, afterNum, after, limit),
    )
    : reach === "public"
    ? await x.all(Q.listPublic, [
      areaId,
      afterNum,
      after,
      viewer,
      viewer,
      limit,
    ])
    : await x.all(Q.list, [areaId, afterNum, after, limit]);
  return rows.map(toMessage);
}

/** `messages.list` with filters: on the index of its first filter (see `LIST_FILTERED`). */
function listFiltered(
  x: Executor,
  reach: "all" | "public" | "own",
  viewer: number | undefined,
  areaId: number,
  o: { after: number; afterNum: number; limit: number },
  f: Filter,
) {
  const page = [o.afterNum, o.after];
  if (reach === "own") {
    return x.all(LIST_FILTERED.own, [
      viewer,
      areaId,
      ...page,
      ...filterParams(f),
      f.fromKey,
      viewer,
      viewer,
      areaId,
      ...page,
      ...filterParams(f),
      o.limit,
    ]);
  }
  const dates = [f.since, f.until];
  const visible = visibleParams(reach, viewer, f);
  if (f.fromKey !== "") {
    return x.all(LIST_FILTERED.from, [
      areaId,
      f.fromKey,
      f.toKey,
      f.toKey,
      ...dates,
      ...page,
      ...visible,
      o.limit,
    ]);
  }
  if (f.toKey !== "") {
    return x.all(LIST_FILTERED.to, [
      areaId,
      f.toKey,
      ...dates,
      ...page,
      ...visible,
      o.limit,
    ]);
  }
  return x.all(LIST_FILTERED.dates, [
    areaId,
    ...dates,
    ...page,
    ...visible,
    o.limit,
  ]);
}

/** See `messages.getByNum`. */
export async function getMessageByNum(
  x: Executor,
  areaId: number,
  msgNum: number,
): Promise<Message | null> {
  parseId(areaId, "areaId", "messages.getByNum");
  parseId(msgNum, "msgNum", "messages.getByNum");
  const viewer = viewerOf(x);
  const row = viewer === undefined
    ? await x.get(Q.byNum, [areaId, msgNum])
    : await x.get(VQ.byNum, [viewer, areaId, msgNum]);
  return row ? toMessage(row) : null;
}

/**
 * See `messages.listUnexported`: an area's messages posted locally (not `imported`) and not yet
 * exported, in posting order, on the partial index that holds only those.
 */
export async function listUnexported(
  x: Executor,
  areaId: number,
  options?: LimitOptions,
): Promise<Message[]> {
  parseId(areaId, "areaId", "messages.listUnexported");
  const { limit } = parse(
    S.limitOptions,
    options,
    "options",
    "messages.listUnexported",
  );
  const viewer = viewerOf(x);
  const rows = viewer === undefined
    ? await x.all(Q.unexported, [areaId, limit])
    : await x.all(VQ.unexported, [viewer, areaId, limit]);
  return rows.map(toMessage);
}

/**
 * See `messages.markExported`: sets `exportedAt` of each message not yet exported, all at one
 * time, in one transaction; ids of messages missing, imported or already exported change
 * nothing. Returns how many it marked.
 */
export async function markExported(
  x: Executor,
  ids: number[],
): Promise<number> {
  const all = parse(S.exportedIds, ids, "ids", "messages.markExported");
  const unique = [...new Set(all)].sort((a, b) => a - b);
  if (unique.length === 0) return 0;
  const viewer = viewerOf(x);
  const at = nowOf(x);
  return await x.atomic(async (q) => {
    let marked = 0;
    for (const id of unique) {
      marked += viewer === undefined
        ? await q.run(Q.markExported, [at, id])
        : await q.run(VQ.markExported, [at, viewer, id]);
    }
    return marked;
  });
}

/** See `messages.update`. */
export async function updateMessage(
  x: Executor,
  id: number,
  patch: MessagePatch,
): Promise<Message> {
  parseId(id, "id", "messages.update");
  const p = parse(S.messagePatch, patch, "patch", "messages.update");
  const row = p.subject === undefined && p.body === undefined
    ? await x.get(Q.byId, [id])
    : await x.get(Q.update, [p.subject ?? null, p.body ?? null, id]);
  if (!row) throw notFound("message", id, "update message");
  return toMessage(row);
}

/**
 * See `messages.delete`. Locks the area (its count) before the message, as
 * postMessage does.
 */
export async function deleteMessage(x: Executor, id: number): Promise<void> {
  parseId(id, "id", "messages.delete");
  await x.atomic(async (q) => {
    await q.run(Q.uncount, [id]);
    if (await q.run(Q.delete, [id]) === 0) {
      throw notFound("message", id, "delete message");
    }
  });
}

/** See `messages.thread`. */
export async function getThread(
  x: Executor,
  rootId: number,
): Promise<Message[]> {
  parseId(rootId, "rootId", "messages.thread");
  const viewer = viewerOf(x);
  if (viewer !== undefined) {
    // A viewer: the thread of the message named, whether or not they may read it, and of it the
    // messages they may read (the same answer for any message of the thread).
    const found = await x.get(Q.parent, [rootId]);
    const rootOf = found ? Number(found[1]) : rootId;
    const top = await x.get(VQ.byId, [viewer, rootOf]);
    const replies = await x.all(VQ.replies, [viewer, rootOf]);
    return [...(top ? [top] : []), ...replies].map(toMessage);
  }
  // Any message of the thread will do: start from its root (which may have been deleted).
  const first = await x.get(Q.byId, [rootId]);
  const given = first ? toMessage(first) : undefined;
  const rootOf = given?.threadRootId ?? rootId;
  let root = given;
  if (given && rootOf !== given.id) {
    const top = await x.get(Q.byId, [rootOf]);
    root = top ? toMessage(top) : undefined;
  }
  const replies = (await x.all(Q.replies, [rootOf])).map(toMessage);
  return root ? [root, ...replies] : replies;
}

/** See `mail.listFor`. */
export async function listMailFor(
  x: Executor,
  userId: number,
  options?: AfterOptions,
): Promise<Message[]> {
  parseId(userId, "userId", "mail.listFor");
  const { after, limit } = parse(
    S.afterOptions,
    options,
    "options",
    "mail.listFor",
  );
  const viewer = viewerOf(x);
  const rows = viewer === undefined
    ? await x.all(Q.mail, [userId, after, limit])
    : await x.all(VQ.mail, [viewer, userId, after, limit]);
  return rows.map(toMessage);
}

/** See `messages.findByMsgid`. */
export async function findMessageByMsgid(
  x: Executor,
  areaId: number,
  msgid: string,
): Promise<Message | null> {
  parseId(areaId, "areaId", "messages.findByMsgid");
  const id = parse(S.msgid, msgid, "msgid", "messages.findByMsgid");
  const viewer = viewerOf(x);
  const row = viewer === undefined
    ? await x.get(Q.byMsgid, [areaId, id])
    : await x.get(VQ.byMsgid, [viewer, areaId, id]);
  return row ? toMessage(row) : null;
}

/** See `messages.search`. */
export async function searchMessages(
  x: Executor,
  query: string,
  options?: MessageSearchOptions,
): Promise<Message[]> {
  const terms = searchTerms(parse(S.query, query, "query", "messages.search"));
  const o = parse(
    S.messageSearchOptions,
    options,
    "options",
    "messages.search",
  );
  const { areaId, limit } = o;
  if (terms.length === 0) return [];
  const viewer = viewerOf(x);
  // The driver puts the filter's parameters where its text has the core's condition, {where}.
  const filter = filterParams(filterOf(o));
  const rows = viewer === undefined
    ? await x.all(Q.search, [terms, areaId ?? null, limit, ...filter])
    : await x.all(VQ.search, [
      terms,
      areaId ?? null,
      limit,
      viewer,
      ...filter,
      filter[0],
    ]);
  return rows.map(toMessage);
}
