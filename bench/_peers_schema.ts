/**
 * The package's tables as Kysely and Drizzle see them, for the peer benchmark: the columns each
 * benchmarked operation reads or writes, declared once per library as its users would, on the
 * schema the package's migrations build. The select lists are the package's own (`src/rows.ts`);
 * {@linkcode checkColumns} holds them against the catalogue, so a new column fails the run
 * rather than quietly making the peers read less than the package.
 *
 * @module
 */
import * as pg from "drizzle-orm/pg-core";
import * as lite from "drizzle-orm/sqlite-core";
import { MESSAGE_AREAS, MESSAGES, SESSIONS, USERS } from "../src/tables/mod.ts";

/** The columns `users.get` reads, in the package's order. */
export const USER_COLS = [
  "id",
  "username",
  "password_hash",
  "security_level",
  "logins",
  "posts",
  "uploads",
  "downloads",
  "upload_bytes",
  "download_bytes",
  "last_login_at",
  "created_at",
  "updated_at",
  "real_name",
  "location",
  "note",
  "flags",
  "status",
  "status_reason",
  "locked_until",
  "failed_logins",
  "time_online_seconds",
] as const;

/** The columns `messages.list` reads. */
export const MESSAGE_COLS = [
  "id",
  "area_id",
  "msg_num",
  "from_user_id",
  "from_name",
  "to_user_id",
  "to_name",
  "subject",
  "body",
  "parent_id",
  "thread_root_id",
  "ftn_msgid",
  "ftn_reply",
  "kludges",
  "created_at",
  "received_at",
  "private",
  "anonymous",
  "orig_addr",
  "dest_addr",
  "imported",
  "exported_at",
] as const;

/** The columns of an area the new-scan reads. */
export const AREA_COLS = [
  "id",
  "tag",
  "name",
  "kind",
  "echo_tag",
  "last_msg_num",
  "msg_count",
  "created_at",
  "description",
  "position",
  "conference",
  "max_messages",
  "max_age_days",
  "origin",
  "anonymous",
  "read_level",
  "write_level",
  "read_flags",
  "write_flags",
  "hidden",
  "sysop_level",
] as const;

/** The columns of a session `sessions.getByToken` reads. */
export const SESSION_COLS = [
  "id",
  "user_id",
  "ip_address",
  "node",
  "activity",
  "login_at",
  "last_activity_at",
  "expires_at",
  "ended_at",
  "idle_timeout_seconds",
] as const;

/**
 * Holds the lists above against the package's catalogue.
 *
 * @throws {Error} When a list differs from the package's select list.
 */
export function checkColumns(): void {
  const pairs = [
    [USER_COLS, USERS],
    [MESSAGE_COLS, MESSAGES],
    [AREA_COLS, MESSAGE_AREAS],
    [SESSION_COLS, SESSIONS],
  ] as const;
  for (const [ours, table] of pairs) {
    if (ours.join() !== table.selected.join()) {
      throw new Error(
        `The peer benchmark's columns of ${table.name} differ from the package's: update bench/_peers_schema.ts`,
      );
    }
  }
}

type Int = number;
type Text = string;
type Nullable<T> = T | null;
/** Columns the database fills in when an insert leaves them out. */
type Defaulted<T> = import("kysely").Generated<T>;

/** The tables as Kysely's `Database` type: what the benchmark touches. */
export interface PeerDatabase {
  users: {
    id: Defaulted<Int>;
    username: Text;
    username_key: Text;
    password_hash: Text;
    security_level: Int;
    logins: Defaulted<Int>;
    posts: Defaulted<Int>;
    uploads: Defaulted<Int>;
    downloads: Defaulted<Int>;
    upload_bytes: Defaulted<Int>;
    download_bytes: Defaulted<Int>;
    last_login_at: Defaulted<Nullable<Int>>;
    created_at: Int;
    updated_at: Int;
    real_name: Text;
    location: Text;
    note: Text;
    flags: Text;
    status: Text;
    status_reason: Defaulted<Nullable<Text>>;
    locked_until: Defaulted<Nullable<Int>>;
    failed_logins: Defaulted<Int>;
    time_online_seconds: Defaulted<Int>;
  };
  messages: {
    id: Defaulted<Int>;
    area_id: Int;
    msg_num: Int;
    from_user_id: Nullable<Int>;
    from_name: Text;
    to_user_id: Nullable<Int>;
    to_name: Text;
    subject: Text;
    body: Text;
    parent_id: Nullable<Int>;
    thread_root_id: Nullable<Int>;
    ftn_msgid: Nullable<Text>;
    ftn_reply: Nullable<Text>;
    kludges: Text;
    created_at: Int;
    received_at: Defaulted<Nullable<Int>>;
    private: Defaulted<Int>;
    anonymous: Defaulted<Int>;
    orig_addr: Defaulted<Nullable<Text>>;
    dest_addr: Defaulted<Nullable<Text>>;
    imported: Defaulted<Int>;
    exported_at: Defaulted<Nullable<Int>>;
    from_name_key: Text;
    to_name_key: Text;
  };
  message_areas: {
    id: Defaulted<Int>;
    tag: Text;
    name: Text;
    kind: Text;
    echo_tag: Nullable<Text>;
    last_msg_num: Int;
    msg_count: Int;
    created_at: Int;
    description: Text;
    position: Int;
    conference: Text;
    max_messages: Nullable<Int>;
    max_age_days: Nullable<Int>;
    origin: Nullable<Text>;
    anonymous: Text;
    read_level: Int;
    write_level: Int;
    read_flags: Text;
    write_flags: Text;
    hidden: Int;
    sysop_level: Nullable<Int>;
  };
  last_read: {
    user_id: Int;
    area_id: Int;
    last_read: Int;
    scanned: Int;
  };
  sessions: {
    id: Defaulted<Int>;
    user_id: Int;
    token_hash: Text;
    ip_address: Nullable<Text>;
    node: Nullable<Int>;
    activity: Nullable<Text>;
    login_at: Int;
    last_activity_at: Int;
    expires_at: Nullable<Int>;
    ended_at: Nullable<Int>;
    idle_timeout_seconds: Nullable<Int>;
    lapses_at: Nullable<Int>;
  };
}

/**
 * Drizzle's SQLite declarations of the same tables. Drizzle writes NULL into a SQLite column an
 * insert leaves out unless the declaration has a default, so the columns with defaults say so.
 */
export const sqliteTables = {
  users: lite.sqliteTable("users", {
    id: lite.integer("id").primaryKey(),
    username: lite.text("username").notNull(),
    username_key: lite.text("username_key").notNull(),
    password_hash: lite.text("password_hash").notNull(),
    security_level: lite.integer("security_level").notNull(),
    logins: lite.integer("logins").notNull().default(0),
    posts: lite.integer("posts").notNull().default(0),
    uploads: lite.integer("uploads").notNull().default(0),
    downloads: lite.integer("downloads").notNull().default(0),
    upload_bytes: lite.integer("upload_bytes").notNull().default(0),
    download_bytes: lite.integer("download_bytes").notNull().default(0),
    last_login_at: lite.integer("last_login_at"),
    created_at: lite.integer("created_at").notNull(),
    updated_at: lite.integer("updated_at").notNull(),
    real_name: lite.text("real_name").notNull(),
    location: lite.text("location").notNull(),
    note: lite.text("note").notNull(),
    flags: lite.text("flags").notNull(),
    status: lite.text("status").notNull(),
    status_reason: lite.text("status_reason"),
    locked_until: lite.integer("locked_until"),
    failed_logins: lite.integer("failed_logins").notNull().default(0),
    time_online_seconds: lite.integer("time_online_seconds").notNull().default(
      0,
    ),
  }),
  messages: lite.sqliteTable("messages", {
    id: lite.integer("id").primaryKey(),
    area_id: lite.integer("area_id").notNull(),
    msg_num: lite.integer("msg_num").notNull(),
    from_user_id: lite.integer("from_user_id"),
    from_name: lite.text("from_name").notNull(),
    to_user_id: lite.integer("to_user_id"),
    to_name: lite.text("to_name").notNull(),
    subject: lite.text("subject").notNull(),
    body: lite.text("body").notNull(),
    parent_id: lite.integer("parent_id"),
    thread_root_id: lite.integer("thread_root_id"),
    ftn_msgid: lite.text("ftn_msgid"),
    ftn_reply: lite.text("ftn_reply"),
    kludges: lite.text("kludges").notNull(),
    created_at: lite.integer("created_at").notNull(),
    received_at: lite.integer("received_at"),
    private: lite.integer("private").notNull().default(0),
    anonymous: lite.integer("anonymous").notNull().default(0),
    orig_addr: lite.text("orig_addr"),
    dest_addr: lite.text("dest_addr"),
    imported: lite.integer("imported").notNull().default(0),
    exported_at: lite.integer("exported_at"),
    from_name_key: lite.text("from_name_key").notNull(),
    to_name_key: lite.text("to_name_key").notNull(),
  }),
  message_areas: lite.sqliteTable("message_areas", {
    id: lite.integer("id").primaryKey(),
    tag: lite.text("tag"),
    name: lite.text("name"),
    kind: lite.text("kind"),
    echo_tag: lite.text("echo_tag"),
    last_msg_num: lite.integer("last_msg_num").notNull(),
    msg_count: lite.integer("msg_count"),
    created_at: lite.integer("created_at"),
    description: lite.text("description"),
    position: lite.integer("position"),
    conference: lite.text("conference"),
    max_messages: lite.integer("max_messages"),
    max_age_days: lite.integer("max_age_days"),
    origin: lite.text("origin"),
    anonymous: lite.text("anonymous"),
    read_level: lite.integer("read_level"),
    write_level: lite.integer("write_level"),
    read_flags: lite.text("read_flags"),
    write_flags: lite.text("write_flags"),
    hidden: lite.integer("hidden"),
    sysop_level: lite.integer("sysop_level"),
  }),
  last_read: lite.sqliteTable("last_read", {
    user_id: lite.integer("user_id").notNull(),
    area_id: lite.integer("area_id").notNull(),
    last_read: lite.integer("last_read").notNull(),
    scanned: lite.integer("scanned").notNull(),
  }),
  sessions: lite.sqliteTable("sessions", {
    id: lite.integer("id").primaryKey(),
    user_id: lite.integer("user_id").notNull(),
    token_hash: lite.text("token_hash").notNull(),
    ip_address: lite.text("ip_address"),
    node: lite.integer("node"),
    activity: lite.text("activity"),
    login_at: lite.integer("login_at"),
    last_activity_at: lite.integer("last_activity_at"),
    expires_at: lite.integer("expires_at"),
    ended_at: lite.integer("ended_at"),
    idle_timeout_seconds: lite.integer("idle_timeout_seconds"),
    lapses_at: lite.integer("lapses_at"),
  }),
};

/** 64-bit integers read as numbers, as the package reads them. */
const big = (name: string) => pg.bigint(name, { mode: "number" });

/** Drizzle's PostgreSQL declarations of the same tables. */
export const pgTables = {
  users: pg.pgTable("users", {
    id: big("id").primaryKey(),
    username: pg.text("username").notNull(),
    username_key: pg.text("username_key").notNull(),
    password_hash: pg.text("password_hash").notNull(),
    security_level: big("security_level").notNull(),
    logins: big("logins"),
    posts: big("posts"),
    uploads: big("uploads"),
    downloads: big("downloads"),
    upload_bytes: big("upload_bytes"),
    download_bytes: big("download_bytes"),
    last_login_at: big("last_login_at"),
    created_at: big("created_at").notNull(),
    updated_at: big("updated_at").notNull(),
    real_name: pg.text("real_name").notNull(),
    location: pg.text("location").notNull(),
    note: pg.text("note").notNull(),
    flags: pg.text("flags").notNull(),
    status: pg.text("status").notNull(),
    status_reason: pg.text("status_reason"),
    locked_until: big("locked_until"),
    failed_logins: big("failed_logins"),
    time_online_seconds: big("time_online_seconds"),
  }),
  messages: pg.pgTable("messages", {
    id: big("id").primaryKey(),
    area_id: big("area_id").notNull(),
    msg_num: big("msg_num").notNull(),
    from_user_id: big("from_user_id"),
    from_name: pg.text("from_name").notNull(),
    to_user_id: big("to_user_id"),
    to_name: pg.text("to_name").notNull(),
    subject: pg.text("subject").notNull(),
    body: pg.text("body").notNull(),
    parent_id: big("parent_id"),
    thread_root_id: big("thread_root_id"),
    ftn_msgid: pg.text("ftn_msgid"),
    ftn_reply: pg.text("ftn_reply"),
    kludges: pg.text("kludges").notNull(),
    created_at: big("created_at").notNull(),
    received_at: big("received_at"),
    private: big("private"),
    anonymous: big("anonymous"),
    orig_addr: pg.text("orig_addr"),
    dest_addr: pg.text("dest_addr"),
    imported: big("imported"),
    exported_at: big("exported_at"),
    from_name_key: pg.text("from_name_key").notNull(),
    to_name_key: pg.text("to_name_key").notNull(),
  }),
  message_areas: pg.pgTable("message_areas", {
    id: big("id").primaryKey(),
    tag: pg.text("tag"),
    name: pg.text("name"),
    kind: pg.text("kind"),
    echo_tag: pg.text("echo_tag"),
    last_msg_num: big("last_msg_num").notNull(),
    msg_count: big("msg_count"),
    created_at: big("created_at"),
    description: pg.text("description"),
    position: big("position"),
    conference: pg.text("conference"),
    max_messages: big("max_messages"),
    max_age_days: big("max_age_days"),
    origin: pg.text("origin"),
    anonymous: pg.text("anonymous"),
    read_level: big("read_level"),
    write_level: big("write_level"),
    read_flags: pg.text("read_flags"),
    write_flags: pg.text("write_flags"),
    hidden: big("hidden"),
    sysop_level: big("sysop_level"),
  }),
  last_read: pg.pgTable("last_read", {
    user_id: big("user_id").notNull(),
    area_id: big("area_id").notNull(),
    last_read: big("last_read").notNull(),
    scanned: big("scanned").notNull(),
  }),
  sessions: pg.pgTable("sessions", {
    id: big("id").primaryKey(),
    user_id: big("user_id").notNull(),
    token_hash: pg.text("token_hash").notNull(),
    ip_address: pg.text("ip_address"),
    node: big("node"),
    activity: pg.text("activity"),
    login_at: big("login_at"),
    last_activity_at: big("last_activity_at"),
    expires_at: big("expires_at"),
    ended_at: big("ended_at"),
    idle_timeout_seconds: big("idle_timeout_seconds"),
    lapses_at: big("lapses_at"),
  }),
};
