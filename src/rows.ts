/**
 * Rows to records: column names to field names, epoch milliseconds to `Date`.
 *
 * @module
 */
import type { Row } from "./driver.ts";
import type { FileEntry, Message, Session, User } from "./storage.ts";

const date = (value: unknown) => new Date(value as number);
const dateOrNull = (value: unknown) =>
  value === null ? null : new Date(value as number);

/** A `users` row as a {@linkcode User}. */
export function toUser(row: Row): User {
  return {
    id: row.id as number,
    username: row.username as string,
    passwordHash: row.password_hash as string,
    securityLevel: row.security_level as number,
    stats: {
      logins: row.logins as number,
      posts: row.posts as number,
      uploads: row.uploads as number,
      downloads: row.downloads as number,
      uploadBytes: row.upload_bytes as number,
      downloadBytes: row.download_bytes as number,
    },
    lastLoginAt: dateOrNull(row.last_login_at),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** A `files` row as a {@linkcode FileEntry}. */
export function toFile(row: Row): FileEntry {
  return {
    id: row.id as number,
    areaId: row.area_id as number,
    filename: row.filename as string,
    description: row.description as string,
    uploaderId: row.uploader_id as number | null,
    size: row.size as number,
    uploadedAt: date(row.uploaded_at),
  };
}

/** A `messages` row as a {@linkcode Message}. */
export function toMessage(row: Row): Message {
  return {
    id: row.id as number,
    areaId: row.area_id as number,
    fromUserId: row.from_user_id as number | null,
    toUserId: row.to_user_id as number | null,
    subject: row.subject as string,
    body: row.body as string,
    parentId: row.parent_id as number | null,
    createdAt: date(row.created_at),
  };
}

/** A `sessions` row as a {@linkcode Session}. */
export function toSession(row: Row): Session {
  return {
    id: row.id as number,
    userId: row.user_id as number,
    ipAddress: row.ip_address as string,
    loginAt: date(row.login_at),
    lastActivityAt: date(row.last_activity_at),
  };
}
