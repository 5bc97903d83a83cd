/**
 * The table catalogue: each table of the package declared once, with its columns in select-list
 * order, the record field each maps to, its codec, whether a patch or a create input sets it and
 * whether `copy` carries it. The select lists and row mappers (`src/rows.ts`), the patch and
 * insert statements (`src/ops/`), copy's check of the package's columns (`src/copy/plan.ts`)
 * and the tests' table lists are derived from it; `tests/catalogue_schema_test.ts` holds it
 * against the schema the migrations build, on every dialect, and `types_test.ts` holds the
 * record fields against `src/records.ts`.
 *
 * Internal: not exported from `mod.ts`.
 *
 * @module
 */
import { filenameKey, foldKey } from "../keys.ts";
import { type Table, table } from "./table.ts";

export type { Table } from "./table.ts";

/**
 * Access flags as a bit mask: A is 1, B is 2, … Z is 2^25 (the flags are upper-case letters, as
 * validated before they are written; anything else adds nothing).
 *
 * @param flags The flags.
 * @returns The mask.
 */
export function flagMask(flags: string): number {
  let mask = 0;
  for (let i = 0; i < flags.length; i++) {
    const bit = flags.charCodeAt(i) - 65;
    if (bit >= 0 && bit < 26) mask |= 1 << bit;
  }
  return mask;
}

/** Accounts. */
export const USERS = table("users", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    username: { field: "username", codec: "text", patch: true, create: true },
    username_key: {
      codec: "text",
      keyOf: { column: "username", fold: foldKey },
    },
    password_hash: {
      field: "passwordHash",
      codec: "text",
      patch: true,
      create: true,
    },
    security_level: {
      field: "securityLevel",
      codec: "integer",
      patch: true,
      create: true,
    },
    logins: { field: "stats.logins", codec: "integer" },
    posts: { field: "stats.posts", codec: "integer" },
    uploads: { field: "stats.uploads", codec: "integer" },
    downloads: { field: "stats.downloads", codec: "integer" },
    upload_bytes: { field: "stats.uploadBytes", codec: "integer" },
    download_bytes: { field: "stats.downloadBytes", codec: "integer" },
    last_login_at: {
      field: "lastLoginAt",
      codec: "date",
      nullable: true,
      patch: true,
    },
    created_at: { field: "createdAt", codec: "date" },
    updated_at: { field: "updatedAt", codec: "date" },
    real_name: { field: "realName", codec: "text", patch: true, create: true },
    location: { field: "location", codec: "text", patch: true, create: true },
    note: { field: "note", codec: "text", patch: true, create: true },
    flags: { field: "flags", codec: "text", patch: true, create: true },
    // The flags as a bit mask, for the access tests of `as()` (0015_access_masks).
    flag_mask: { codec: "integer", keyOf: { column: "flags", fold: flagMask } },
    status: { field: "status", codec: "text", patch: true, create: true },
    status_reason: {
      field: "statusReason",
      codec: "text",
      nullable: true,
      patch: true,
      create: true,
    },
    locked_until: {
      field: "lockedUntil",
      codec: "date",
      nullable: true,
      patch: true,
      create: true,
    },
    failed_logins: { field: "failedLogins", codec: "integer" },
    // What `users.list({ query })` searches besides `username_key` (0011_user_admin).
    real_name_key: {
      codec: "text",
      keyOf: { column: "real_name", fold: foldKey },
    },
    // Each ended session's length, added once when it ends (0014_sessions_nodes).
    time_online_seconds: { field: "stats.timeOnlineSeconds", codec: "integer" },
  },
});

/**
 * User properties: a JSON value per user and key, and its lookup form (the value's JSON text, or
 * `#` and the SHA-256 of a long one; NULL for arrays and objects) that `users.findByProp` finds
 * it by.
 */
export const USER_PROPS = table("user_props", {
  generatedId: false,
  columns: {
    user_id: { codec: "integer" },
    key: { codec: "text" },
    value: { codec: "json" },
    lookup: { codec: "text", nullable: true },
  },
});

/**
 * A user's counters (`users.incrementCounter`, `users.counters`): a daily one keeps the day it
 * counts (`YYYY-MM-DD` in the board's time zone), a lasting one none.
 */
export const USER_COUNTERS = table("user_counters", {
  generatedId: false,
  columns: {
    user_id: { codec: "integer" },
    name: { codec: "text" },
    value: { codec: "integer" },
    day: { codec: "text", nullable: true },
  },
});

/** The "last callers" list: one row per login. */
export const LOGINS = table("logins", {
  generatedId: true,
  columns: {
    id: { codec: "integer" },
    user_id: { field: "userId", codec: "integer", nullable: true },
    username: { field: "username", codec: "text" },
    login_at: { field: "loginAt", codec: "date" },
  },
});

/** A setting of an area: its create input and its patch set it. */
const SET = { patch: true, create: true } as const;

/** The access settings of an area (message and file areas alike), `area.access`. */
const ACCESS = {
  read_level: { ...SET, field: "access.readLevel", codec: "integer" },
  write_level: { ...SET, field: "access.writeLevel", codec: "integer" },
  read_flags: { ...SET, field: "access.readFlags", codec: "text" },
  write_flags: { ...SET, field: "access.writeFlags", codec: "text" },
  hidden: { ...SET, field: "access.hidden", codec: "boolean" },
  sysop_level: { ...SET, field: "access.sysopLevel", codec: "integer" },
  // The flags as bit masks, for the access tests of `as()` (0015_access_masks).
  read_mask: {
    codec: "integer",
    keyOf: { column: "read_flags", fold: flagMask },
  },
  write_mask: {
    codec: "integer",
    keyOf: { column: "write_flags", fold: flagMask },
  },
} as const;

/** Message areas. */
export const MESSAGE_AREAS = table("message_areas", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    tag: { field: "tag", codec: "text", patch: true, create: true },
    tag_key: { codec: "text", keyOf: { column: "tag", fold: foldKey } },
    name: { field: "name", codec: "text", patch: true, create: true },
    kind: { field: "kind", codec: "text", patch: true, create: true },
    echo_tag: {
      field: "echoTag",
      codec: "text",
      nullable: true,
      patch: true,
      create: true,
    },
    last_msg_num: { field: "lastMsgNum", codec: "integer" },
    msg_count: { field: "msgCount", codec: "integer" },
    created_at: { field: "createdAt", codec: "date" },
    description: { ...SET, field: "description", codec: "text" },
    position: { ...SET, field: "position", codec: "integer" },
    conference: { ...SET, field: "conference", codec: "text" },
    max_messages: {
      ...SET,
      field: "maxMessages",
      codec: "integer",
      nullable: true,
    },
    max_age_days: {
      ...SET,
      field: "maxAgeDays",
      codec: "integer",
      nullable: true,
    },
    origin: { ...SET, field: "origin", codec: "text" },
    anonymous: { ...SET, field: "anonymous", codec: "text" },
    ...ACCESS,
  },
});

/** File areas. */
export const FILE_AREAS = table("file_areas", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    tag: { field: "tag", codec: "text", patch: true, create: true },
    tag_key: { codec: "text", keyOf: { column: "tag", fold: foldKey } },
    name: { field: "name", codec: "text", patch: true, create: true },
    created_at: { field: "createdAt", codec: "date" },
    description: { ...SET, field: "description", codec: "text" },
    position: { ...SET, field: "position", codec: "integer" },
    storage_path: { ...SET, field: "storagePath", codec: "text" },
    max_file_size: {
      ...SET,
      field: "maxFileSize",
      codec: "integer",
      nullable: true,
    },
    uploads_allowed: { ...SET, field: "uploadsAllowed", codec: "boolean" },
    ...ACCESS,
  },
});

/** Messages of message areas. */
export const MESSAGES = table("messages", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    area_id: { field: "areaId", codec: "integer" },
    msg_num: { field: "msgNum", codec: "integer" },
    from_user_id: { field: "fromUserId", codec: "integer", nullable: true },
    from_name: { field: "fromName", codec: "text" },
    to_user_id: { field: "toUserId", codec: "integer", nullable: true },
    to_name: { field: "toName", codec: "text" },
    subject: { field: "subject", codec: "text", patch: true },
    body: { field: "body", codec: "text", patch: true },
    parent_id: { field: "parentId", codec: "integer", nullable: true },
    // NULL for a thread's first message (its root is itself).
    thread_root_id: {
      field: "threadRootId",
      codec: "integer",
      nullReadsAs: "id",
    },
    ftn_msgid: { field: "ftnMsgid", codec: "text", nullable: true },
    ftn_reply: { field: "ftnReply", codec: "text", nullable: true },
    kludges: { field: "kludges", codec: "json" },
    created_at: { field: "createdAt", codec: "date" },
    received_at: { field: "receivedAt", codec: "date", nullable: true },
    private: { field: "private", codec: "boolean" },
    anonymous: { field: "anonymous", codec: "boolean" },
    // 1 for a message of a private area (mail), which it never leaves (0019_message_flags).
    mail: { codec: "integer" },
    // The addressee's name as usernames compare, for mail.toName (0019_message_flags).
    to_name_key: { codec: "text", keyOf: { column: "to_name", fold: foldKey } },
    // 0020_message_export
    from_name_key: {
      codec: "text",
      keyOf: { column: "from_name", fold: foldKey },
    },
    orig_addr: { field: "origAddr", codec: "text", nullable: true },
    dest_addr: { field: "destAddr", codec: "text", nullable: true },
    imported: { field: "imported", codec: "boolean" },
    exported_at: { field: "exportedAt", codec: "date", nullable: true },
  },
  computed: {
    // PostgreSQL's search vector: a generated column (0008_search).
    columns: { postgres: ["search"] },
    // SQLite's FTS5 index of subject and body, with its shadow tables (0008_search).
    tables: { sqlite: "messages_fts" },
  },
});

/** File entries of file areas. */
export const FILES = table("files", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    area_id: { field: "areaId", codec: "integer", create: true },
    filename: { field: "filename", codec: "text", patch: true, create: true },
    filename_key: {
      codec: "text",
      keyOf: { column: "filename", fold: filenameKey },
    },
    description: {
      field: "description",
      codec: "text",
      patch: true,
      create: true,
    },
    uploader_id: {
      field: "uploaderId",
      codec: "integer",
      nullable: true,
      create: true,
    },
    size: { field: "size", codec: "integer", create: true },
    sha256: {
      field: "sha256",
      codec: "text",
      nullable: true,
      patch: true,
      create: true,
    },
    downloads: { field: "downloads", codec: "integer" },
    uploaded_at: { field: "uploadedAt", codec: "date" },
    // 0017_file_depth
    diz: { field: "diz", codec: "text", patch: true, create: true },
    storage_path: {
      field: "storagePath",
      codec: "text",
      patch: true,
      create: true,
    },
    offline: { field: "offline", codec: "boolean", patch: true, create: true },
    scan_status: {
      field: "scanStatus",
      codec: "text",
      patch: true,
      create: true,
    },
  },
  computed: {
    columns: { postgres: ["search"] },
    tables: { sqlite: "files_fts" },
  },
});

/** Login sessions (only a token's SHA-256 is stored). */
export const SESSIONS = table("sessions", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    user_id: { field: "userId", codec: "integer" },
    token_hash: { codec: "text" },
    ip_address: { field: "ipAddress", codec: "text" },
    node: { field: "node", codec: "integer", nullable: true },
    activity: { field: "activity", codec: "text" },
    login_at: { field: "loginAt", codec: "date" },
    last_activity_at: { field: "lastActivityAt", codec: "date" },
    expires_at: { field: "expiresAt", codec: "date", nullable: true },
    ended_at: { field: "endedAt", codec: "date", nullable: true },
    idle_timeout_seconds: {
      field: "idleTimeoutSeconds",
      codec: "integer",
      nullable: true,
    },
    // When the session lapses unless ended first: the earlier of expires_at and the last
    // activity plus the idle timeout; NULL when it has neither (0014_sessions_nodes).
    lapses_at: { codec: "date", nullable: true },
  },
});

/** Last-read pointers: per user and message area, the highest message number read. */
export const LAST_READ = table("last_read", {
  generatedId: false,
  columns: {
    user_id: { codec: "integer" },
    area_id: { codec: "integer" },
    last_read: { codec: "integer" },
    scanned: { codec: "boolean" },
  },
});

/**
 * What the FidoNet import brought into each area, by MSGID or content hash, kept when the
 * message is deleted (0023_ftn_imported).
 */
export const FTN_IMPORTED = table("ftn_imported", {
  generatedId: false,
  columns: {
    area_id: { codec: "integer" },
    kind: { codec: "text" },
    key: { codec: "text" },
    imported_at: { codec: "date" },
  },
});

/** Settings: one JSON value per key (`settings.*`). */
export const SETTINGS = table("settings", {
  generatedId: false,
  columns: {
    key: { field: "key", codec: "text" },
    value: { field: "value", codec: "json" },
    updated_at: { field: "updatedAt", codec: "date" },
  },
});

/** The event log (`events.*`). */
export const EVENTS = table("events", {
  generatedId: true,
  columns: {
    id: { field: "id", codec: "integer" },
    kind: { field: "kind", codec: "text", create: true },
    user_id: {
      field: "userId",
      codec: "integer",
      nullable: true,
      create: true,
    },
    session_id: {
      field: "sessionId",
      codec: "integer",
      nullable: true,
      create: true,
    },
    data: { field: "data", codec: "json", nullable: true, create: true },
    at: { field: "at", codec: "date" },
  },
});

/** Every table of the package, parents before children (by their foreign keys). */
export const CATALOGUE: readonly Table[] = [
  USERS,
  USER_PROPS,
  USER_COUNTERS,
  LOGINS,
  MESSAGE_AREAS,
  FILE_AREAS,
  MESSAGES,
  FILES,
  SESSIONS,
  LAST_READ,
  FTN_IMPORTED,
  SETTINGS,
  EVENTS,
];
