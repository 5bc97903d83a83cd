/**
 * Mail: the letters of private areas addressed to a user (inbox, unread count, received times),
 * the letters a user sent, and the messages addressed to a name in any area.
 *
 * A letter is a message of a private area (`messages.mail` is 1: a private area never changes
 * kind, so neither does that). Each read runs on an index of its own (0019_message_flags):
 * messages_inbox, messages_sent, messages_unreceived (the letters not yet received) and
 * messages_to_name.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { type Executor, sql } from "../driver.ts";
import type {
  InboxOptions,
  Message,
  SentOptions,
  ToNameOptions,
} from "../records.ts";
import { MESSAGE_COLUMNS as M, prefixed, toMessage } from "../rows.ts";
import { StorageError } from "../errors.ts";
import { foldKey } from "../keys.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { notFound } from "./_errors.ts";
import { canReadMessage, isSysop, VIEWER, viewerOf } from "./_access.ts";

/** Newest first from the start: ids below this. */
const TOP = Number.MAX_SAFE_INTEGER;

/** A message joined with its area (`a`) and the viewer (`v`): the first parameter is the viewer's id. */
const VIEWED_FROM =
  `messages m JOIN message_areas a ON a.id = m.area_id JOIN ${VIEWER} ON v.id = ?`;
const PM = prefixed(M, "m");

const Q = {
  inbox: sql(
    "mail.inbox",
    `SELECT ${M} FROM messages WHERE to_user_id = ? AND mail = 1 AND id < ?
     ORDER BY id DESC LIMIT ?`,
  ),
  inboxUnread: sql(
    "mail.inboxUnread",
    `SELECT ${M} FROM messages
     WHERE to_user_id = ? AND mail = 1 AND received_at IS NULL AND id < ?
     ORDER BY id DESC LIMIT ?`,
  ),
  sent: sql(
    "mail.sent",
    `SELECT ${M} FROM messages WHERE from_user_id = ? AND mail = 1 AND id < ?
     ORDER BY id DESC LIMIT ?`,
  ),
  unreadCount: sql(
    "mail.unreadCount",
    `SELECT count(*) FROM messages
     WHERE to_user_id = ? AND mail = 1 AND received_at IS NULL`,
  ),
  toName: sql(
    "mail.toName",
    `SELECT ${M} FROM messages WHERE to_name_key = ? AND id > ? ORDER BY id LIMIT ?`,
  ),
  toNameIn: sql(
    "mail.toNameIn",
    `SELECT ${M} FROM messages WHERE to_name_key = ? AND area_id = ? AND id > ?
     ORDER BY id LIMIT ?`,
  ),
  // The first time stays: [now, id, userId].
  markReceived: sql(
    "mail.markReceived",
    `UPDATE messages SET received_at = coalesce(received_at, ?)
     WHERE id = ? AND to_user_id = ? RETURNING ${M}`,
    true,
  ),
  addressee: sql(
    "mail.addressee",
    "SELECT to_user_id FROM messages WHERE id = ?",
  ),
};

/** The same reads for a viewer (`as()`): the viewer's id first, only what they may read. */
const VQ = {
  inbox: sql(
    "mail.inboxAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.to_user_id = ? AND m.mail = 1 AND m.id < ? AND ${
      canReadMessage("m", "a")
    } ORDER BY m.id DESC LIMIT ?`,
  ),
  inboxUnread: sql(
    "mail.inboxUnreadAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.to_user_id = ? AND m.mail = 1 AND m.received_at IS NULL AND m.id < ? AND ${
      canReadMessage("m", "a")
    } ORDER BY m.id DESC LIMIT ?`,
  ),
  // Another's anonymous letters do not tell who sent them: left out but for the author and
  // the area's sysops.
  sent: sql(
    "mail.sentAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.from_user_id = ? AND m.mail = 1 AND m.id < ? AND ${
      canReadMessage("m", "a")
    } AND (m.anonymous = 0 OR m.from_user_id = v.id OR ${isSysop("a")})
     ORDER BY m.id DESC LIMIT ?`,
  ),
  unreadCount: sql(
    "mail.unreadCountAs",
    `SELECT count(*) FROM ${VIEWED_FROM}
     WHERE m.to_user_id = ? AND m.mail = 1 AND m.received_at IS NULL AND ${
      canReadMessage("m", "a")
    }`,
  ),
  toName: sql(
    "mail.toNameAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.to_name_key = ? AND m.id > ? AND ${
      canReadMessage("m", "a")
    } ORDER BY m.id LIMIT ?`,
  ),
  toNameIn: sql(
    "mail.toNameInAs",
    `SELECT ${PM} FROM ${VIEWED_FROM}
     WHERE m.to_name_key = ? AND m.area_id = ? AND m.id > ? AND ${
      canReadMessage("m", "a")
    } ORDER BY m.id LIMIT ?`,
  ),
};

/** See `mail.inbox`. */
export async function inbox(
  x: Executor,
  userId: number,
  options?: InboxOptions,
): Promise<Message[]> {
  parseId(userId, "userId", "mail.inbox");
  const { unreadOnly, after, limit } = parse(
    S.inboxOptions,
    options,
    "options",
    "mail.inbox",
  );
  const viewer = viewerOf(x);
  const below = after === 0 ? TOP : after;
  const rows = viewer === undefined
    ? await x.all(unreadOnly ? Q.inboxUnread : Q.inbox, [userId, below, limit])
    : await x.all(unreadOnly ? VQ.inboxUnread : VQ.inbox, [
      viewer,
      userId,
      below,
      limit,
    ]);
  return rows.map(toMessage);
}

/** See `mail.sent`. */
export async function sent(
  x: Executor,
  userId: number,
  options?: SentOptions,
): Promise<Message[]> {
  parseId(userId, "userId", "mail.sent");
  const { after, limit } = parse(
    S.sentOptions,
    options,
    "options",
    "mail.sent",
  );
  const viewer = viewerOf(x);
  const below = after === 0 ? TOP : after;
  const rows = viewer === undefined
    ? await x.all(Q.sent, [userId, below, limit])
    : await x.all(VQ.sent, [viewer, userId, below, limit]);
  return rows.map(toMessage);
}

/** See `mail.unreadCount`. */
export async function unreadCount(
  x: Executor,
  userId: number,
): Promise<number> {
  parseId(userId, "userId", "mail.unreadCount");
  const viewer = viewerOf(x);
  const row = viewer === undefined
    ? await x.get(Q.unreadCount, [userId])
    : await x.get(VQ.unreadCount, [viewer, userId]);
  return Number(row?.[0] ?? 0);
}

/** See `mail.markReceived`. */
export async function markReceived(
  x: Executor,
  messageId: number,
  userId: number,
): Promise<Message> {
  parseId(messageId, "messageId", "mail.markReceived");
  parseId(userId, "userId", "mail.markReceived");
  return await x.atomic(async (q) => {
    const row = await q.get(Q.markReceived, [nowOf(x), messageId, userId]);
    if (row) return toMessage(row);
    const found = await q.get(Q.addressee, [messageId]);
    if (!found) throw notFound("message", messageId, "mark message received");
    throw new StorageError(
      "forbidden",
      `Cannot mark message ${messageId} received for user ${userId} as it is not addressed to them: only its addressee receives it`,
    );
  });
}

/** See `mail.toName`. */
export async function toName(
  x: Executor,
  name: string,
  options?: ToNameOptions,
): Promise<Message[]> {
  const key = foldKey(parse(S.toName, name, "name", "mail.toName"));
  const { areaIds, after, limit } = parse(
    S.toNameOptions,
    options,
    "options",
    "mail.toName",
  );
  const viewer = viewerOf(x);
  const as = viewer === undefined ? [] : [viewer];
  if (areaIds === undefined) {
    const rows = await x.all(viewer === undefined ? Q.toName : VQ.toName, [
      ...as,
      key,
      after,
      limit,
    ]);
    return rows.map(toMessage);
  }
  // Each area on the index, then the first `limit` of them all by id.
  const found: Message[] = [];
  for (const areaId of new Set(areaIds)) {
    const rows = await x.all(viewer === undefined ? Q.toNameIn : VQ.toNameIn, [
      ...as,
      key,
      areaId,
      after,
      limit,
    ]);
    found.push(...rows.map(toMessage));
  }
  return found.sort((a, b) => a.id - b.id).slice(0, limit);
}
