/**
 * Rows to records. Each record's column list lives here beside its mapper, so the select list
 * and the positions read from it cannot drift apart. Rows arrive as arrays of values in
 * select-list order (faster than keyed objects on every engine); times arrive as epoch
 * milliseconds and leave as `Date`.
 *
 * @module
 */
import type { Row } from "./driver.ts";
import type {
  FileArea,
  FileEntry,
  Kludge,
  LastCaller,
  Message,
  MessageArea,
  MessageAreaKind,
  Session,
  User,
  UserStatus,
} from "./records.ts";

const date = (value: unknown) => new Date(value as number);
const dateOrNull = (value: unknown) =>
  value === null ? null : new Date(value as number);

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
export const USER_COLUMNS =
  "id, username, password_hash, security_level, logins, posts, " +
  "uploads, downloads, upload_bytes, download_bytes, last_login_at, created_at, updated_at, " +
  "real_name, location, note, flags, status";

/** A row of {@linkcode USER_COLUMNS} as a {@linkcode User}. */
export function toUser(r: Row): User {
  return {
    id: r[0] as number,
    username: r[1] as string,
    passwordHash: r[2] as string,
    securityLevel: r[3] as number,
    realName: r[13] as string,
    location: r[14] as string,
    note: r[15] as string,
    flags: r[16] as string,
    status: r[17] as UserStatus,
    stats: {
      logins: r[4] as number,
      posts: r[5] as number,
      uploads: r[6] as number,
      downloads: r[7] as number,
      uploadBytes: r[8] as number,
      downloadBytes: r[9] as number,
    },
    lastLoginAt: dateOrNull(r[10]),
    createdAt: date(r[11]),
    updatedAt: date(r[12]),
  };
}

/** The select list of a last caller. */
export const CALLER_COLUMNS = "user_id, username, login_at";

/** A row of {@linkcode CALLER_COLUMNS} as a {@linkcode LastCaller}. */
export function toCaller(r: Row): LastCaller {
  return {
    userId: r[0] as number | null,
    username: r[1] as string,
    loginAt: date(r[2]),
  };
}

/** The select list of a message area. */
export const MESSAGE_AREA_COLUMNS =
  "id, tag, name, kind, echo_tag, last_msg_num, msg_count, created_at";

/** A row of {@linkcode MESSAGE_AREA_COLUMNS} as a {@linkcode MessageArea}. */
export function toMessageArea(r: Row): MessageArea {
  return {
    id: r[0] as number,
    tag: r[1] as string,
    name: r[2] as string,
    kind: r[3] as MessageAreaKind,
    echoTag: r[4] as string | null,
    lastMsgNum: r[5] as number,
    msgCount: r[6] as number,
    createdAt: date(r[7]),
  };
}

/** The select list of a file area. */
export const FILE_AREA_COLUMNS = "id, tag, name, created_at";

/** A row of {@linkcode FILE_AREA_COLUMNS} as a {@linkcode FileArea}. */
export function toFileArea(r: Row): FileArea {
  return {
    id: r[0] as number,
    tag: r[1] as string,
    name: r[2] as string,
    createdAt: date(r[3]),
  };
}

/** The select list of a file entry. */
export const FILE_COLUMNS =
  "id, area_id, filename, description, uploader_id, size, sha256, downloads, uploaded_at";

/** A row of {@linkcode FILE_COLUMNS} as a {@linkcode FileEntry}. */
export function toFile(r: Row): FileEntry {
  return {
    id: r[0] as number,
    areaId: r[1] as number,
    filename: r[2] as string,
    description: r[3] as string,
    uploaderId: r[4] as number | null,
    size: r[5] as number,
    sha256: r[6] as string | null,
    downloads: r[7] as number,
    uploadedAt: date(r[8]),
  };
}

/** The select list of a message. */
export const MESSAGE_COLUMNS =
  "id, area_id, msg_num, from_user_id, from_name, to_user_id, to_name, " +
  "subject, body, parent_id, thread_root_id, ftn_msgid, ftn_reply, kludges, created_at";

/** A row of {@linkcode MESSAGE_COLUMNS} as a {@linkcode Message}. */
export function toMessage(r: Row): Message {
  return {
    id: r[0] as number,
    areaId: r[1] as number,
    msgNum: r[2] as number,
    fromUserId: r[3] as number | null,
    fromName: r[4] as string,
    toUserId: r[5] as number | null,
    toName: r[6] as string,
    subject: r[7] as string,
    body: r[8] as string,
    parentId: r[9] as number | null,
    threadRootId: (r[10] ?? r[0]) as number,
    ftnMsgid: r[11] as string | null,
    ftnReply: r[12] as string | null,
    kludges: r[13] === "[]" ? [] : JSON.parse(r[13] as string) as Kludge[],
    createdAt: date(r[14]),
  };
}

/** The select list of a session. */
export const SESSION_COLUMNS =
  "id, user_id, ip_address, node, activity, login_at, last_activity_at, " +
  "expires_at, ended_at";

/** A row of {@linkcode SESSION_COLUMNS} as a {@linkcode Session}. */
export function toSession(r: Row): Session {
  return {
    id: r[0] as number,
    userId: r[1] as number,
    ipAddress: r[2] as string,
    node: r[3] as number | null,
    activity: r[4] as string,
    loginAt: date(r[5]),
    lastActivityAt: date(r[6]),
    expiresAt: dateOrNull(r[7]),
    endedAt: dateOrNull(r[8]),
  };
}
