/**
 * Rows to records. Each record's column list lives here beside its mapper, so the select list
 * and the positions read from it cannot drift apart. Rows arrive as arrays of values in
 * select-list order (faster than keyed objects on every engine); times arrive as epoch
 * milliseconds and leave as `Date`.
 *
 * @module
 */
import type { Row } from "./driver.ts";
import type { FileEntry, Message, Session, User } from "./storage.ts";

/** The select list of a user. */
export const USER_COLUMNS =
  "id, username, password_hash, security_level, logins, posts, " +
  "uploads, downloads, upload_bytes, download_bytes, last_login_at, created_at, updated_at";

/** A row of {@linkcode USER_COLUMNS} as a {@linkcode User}. */
export function toUser(r: Row): User {
  return {
    id: r[0] as number,
    username: r[1] as string,
    passwordHash: r[2] as string,
    securityLevel: r[3] as number,
    stats: {
      logins: r[4] as number,
      posts: r[5] as number,
      uploads: r[6] as number,
      downloads: r[7] as number,
      uploadBytes: r[8] as number,
      downloadBytes: r[9] as number,
    },
    lastLoginAt: r[10] === null ? null : new Date(r[10] as number),
    createdAt: new Date(r[11] as number),
    updatedAt: new Date(r[12] as number),
  };
}

/** The select list of a file entry. */
export const FILE_COLUMNS =
  "id, area_id, filename, description, uploader_id, size, uploaded_at";

/** A row of {@linkcode FILE_COLUMNS} as a {@linkcode FileEntry}. */
export function toFile(r: Row): FileEntry {
  return {
    id: r[0] as number,
    areaId: r[1] as number,
    filename: r[2] as string,
    description: r[3] as string,
    uploaderId: r[4] as number | null,
    size: r[5] as number,
    uploadedAt: new Date(r[6] as number),
  };
}

/** The select list of a message. */
export const MESSAGE_COLUMNS =
  "id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at";

/** A row of {@linkcode MESSAGE_COLUMNS} as a {@linkcode Message}. */
export function toMessage(r: Row): Message {
  return {
    id: r[0] as number,
    areaId: r[1] as number,
    fromUserId: r[2] as number | null,
    toUserId: r[3] as number | null,
    subject: r[4] as string,
    body: r[5] as string,
    parentId: r[6] as number | null,
    createdAt: new Date(r[7] as number),
  };
}

/** The select list of a session. */
export const SESSION_COLUMNS =
  "id, user_id, ip_address, login_at, last_activity_at";

/** A row of {@linkcode SESSION_COLUMNS} as a {@linkcode Session}. */
export function toSession(r: Row): Session {
  return {
    id: r[0] as number,
    userId: r[1] as number,
    ipAddress: r[2] as string,
    loginAt: new Date(r[3] as number),
    lastActivityAt: new Date(r[4] as number),
  };
}
