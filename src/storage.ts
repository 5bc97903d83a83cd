/**
 * The driver-agnostic contract: the records the package keeps and the {@linkcode Storage}
 * interface every driver implements.
 *
 * @module
 */

/** A user's counters. Every value is a non-negative safe integer. */
export interface UserStats {
  /** Completed logins. */
  logins: number;
  /** Messages posted. */
  posts: number;
  /** Files uploaded. */
  uploads: number;
  /** Files downloaded. */
  downloads: number;
  /** Bytes uploaded. */
  uploadBytes: number;
  /** Bytes downloaded. */
  downloadBytes: number;
}

/** Input of {@linkcode StorageOps.createUser}. */
export interface NewUser {
  /** 1–30 characters, no control characters, no leading or trailing whitespace. */
  username: string;
  /** An opaque password hash (the package never sees passwords): 1–512 characters. */
  passwordHash: string;
  /** 0–255; defaults to 10 (a new user). */
  securityLevel?: number;
}

/** A user account. */
export interface User {
  /** Positive id, never reused. */
  id: number;
  /** The name as given at creation or last update. */
  username: string;
  /** The opaque password hash. */
  passwordHash: string;
  /** 0–255. */
  securityLevel: number;
  /** The user's counters. */
  stats: UserStats;
  /** The last login, if any. */
  lastLoginAt: Date | null;
  /** When the user was created. */
  createdAt: Date;
  /** When the user was last changed. */
  updatedAt: Date;
}

/** Input of {@linkcode StorageOps.updateUser}: the fields to change. */
export type UserPatch = Partial<{
  username: string;
  passwordHash: string;
  securityLevel: number;
  lastLoginAt: Date | null;
}>;

/** Input of {@linkcode StorageOps.addFile}. */
export interface NewFile {
  /** The file area. */
  areaId: number;
  /** 1–255 characters without `/`, `\` or control characters. */
  filename: string;
  /** Defaults to the empty string. */
  description?: string;
  /** The uploading user, if any; their `uploads` and `uploadBytes` grow. */
  uploaderId?: number | null;
  /** Size in bytes: a non-negative safe integer. */
  size: number;
}

/** A file entry of a file area. */
export interface FileEntry {
  /** Positive id, never reused. */
  id: number;
  /** The file area. */
  areaId: number;
  /** The file's name. */
  filename: string;
  /** The description (may be empty). */
  description: string;
  /** The uploader, or `null` when unknown or deleted. */
  uploaderId: number | null;
  /** Size in bytes. */
  size: number;
  /** When the entry was added. */
  uploadedAt: Date;
}

/** Input of {@linkcode StorageOps.postMessage}. */
export interface NewMessage {
  /** The message area. */
  areaId: number;
  /** The author, who must exist; their `posts` grows by one. */
  fromUserId: number;
  /** The recipient, if the message is addressed to a user. */
  toUserId?: number | null;
  /** At most 72 characters. */
  subject: string;
  /** The text, kept exactly (colour codes and ANSI included; no NUL characters). */
  body: string;
  /** The message this one replies to, if any. */
  parentId?: number | null;
}

/** A message of a message area. */
export interface Message {
  /** Positive id, never reused. */
  id: number;
  /** The message area. */
  areaId: number;
  /** The author, or `null` when deleted. */
  fromUserId: number | null;
  /** The recipient, or `null`. */
  toUserId: number | null;
  /** The subject. */
  subject: string;
  /** The text. */
  body: string;
  /** The message replied to, or `null`. */
  parentId: number | null;
  /** When the message was posted. */
  createdAt: Date;
}

/** Input of {@linkcode StorageOps.createSession}. */
export interface NewSession {
  /** The logged-in user. */
  userId: number;
  /** The caller's address: an IPv4 or IPv6 literal. */
  ipAddress: string;
}

/** A login session. Its token is never stored, only a hash of it. */
export interface Session {
  /** Positive id, never reused. */
  id: number;
  /** The logged-in user. */
  userId: number;
  /** The caller's address. */
  ipAddress: string;
  /** When the session was created. */
  loginAt: Date;
  /** When the session was last touched. */
  lastActivityAt: Date;
}

/** Paging of {@linkcode StorageOps.listFiles}. */
export interface ListFilesOptions {
  /** 1–1000; defaults to 100. */
  limit?: number;
  /** A file id: only files older than it (by upload time, then id) are listed. */
  before?: number;
}

/** Paging of {@linkcode StorageOps.listMessages}. */
export interface ListMessagesOptions {
  /** A message id: only messages with a greater id are listed. Defaults to 0. */
  after?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/**
 * The operations on stored records. Both {@linkcode Storage} and the handle given to a
 * {@linkcode Storage.transaction} callback offer them.
 *
 * Every input is validated before anything is written: bad input rejects with a
 * `StorageError` of kind `validation` that names the field.
 */
export interface StorageOps {
  /** Creates a user; `conflict` when the name is taken (case-insensitively). */
  createUser(input: NewUser): Promise<User>;
  /** Returns the user, or `null`. */
  getUser(id: number): Promise<User | null>;
  /** Finds a user by name, case-insensitively and Unicode-aware (`ＳｙｓＯｐ` finds `sysop`). */
  findUserByUsername(username: string): Promise<User | null>;
  /** Changes the given fields; `not_found` if the user is missing. */
  updateUser(id: number, patch: UserPatch): Promise<User>;
  /** Deletes a user and their sessions, keeping their messages and files; `not_found` if missing. */
  deleteUser(id: number): Promise<void>;
  /** Adds to a user's counters atomically; `not_found` if missing. */
  incrementUserStats(id: number, delta: Partial<UserStats>): Promise<User>;
  /** Adds a file entry and counts it to its uploader. */
  addFile(input: NewFile): Promise<FileEntry>;
  /** Returns the file entry, or `null`. */
  getFile(id: number): Promise<FileEntry | null>;
  /** Lists an area's files, newest first by (upload time, id). */
  listFiles(areaId: number, options?: ListFilesOptions): Promise<FileEntry[]>;
  /** Posts a message and counts it to its author. */
  postMessage(input: NewMessage): Promise<Message>;
  /** Returns the message, or `null`. */
  getMessage(id: number): Promise<Message | null>;
  /** Lists an area's messages by ascending id, after the given id. */
  listMessages(
    areaId: number,
    options?: ListMessagesOptions,
  ): Promise<Message[]>;
  /** Creates a session and returns it with its token; the token is shown only here. */
  createSession(
    input: NewSession,
  ): Promise<{ session: Session; token: string }>;
  /** Finds the session of a token; `null` for an unknown or malformed token. */
  getSessionByToken(token: string): Promise<Session | null>;
  /** Sets a session's last activity to now; `not_found` if missing. */
  touchSession(id: number): Promise<void>;
  /** Ends a session; `not_found` if missing. */
  deleteSession(id: number): Promise<void>;
}

/**
 * An open storage: the operations, transactions and closing.
 *
 * Calls on the `Storage` itself never join an open transaction, even when made from inside a
 * transaction callback: writes wait for the transaction (and end as `timeout` if it outlasts
 * the wait bound); reads see the last committed state.
 */
export interface Storage extends StorageOps {
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back and rethrows when it
   * throws.
   *
   * @param fn Receives the operations bound to the transaction.
   * @returns What `fn` resolved to.
   */
  transaction<T>(fn: (tx: StorageOps) => Promise<T>): Promise<T>;
  /** Closes the storage; idempotent. Later calls fail as `unavailable`. */
  close(): Promise<void>;
  /** Closes the storage, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@linkcode openStorage}. */
export interface OpenOptions {
  /**
   * What to do about the schema at open: `"up"` (the default) applies pending migrations under
   * the migration lock; `"check"` fails as `migration` unless the schema is current; `"off"`
   * does nothing.
   */
  migrate?: "up" | "check" | "off";
  /**
   * How long, in milliseconds, a call may wait for the writer (SQLite), or for a pooled
   * connection, an open transaction or a row lock (PostgreSQL), before it fails as `timeout`.
   * Defaults to 5000.
   */
  acquireTimeoutMs?: number;
  /**
   * Retry of transient errors (SQLite busy; PostgreSQL serialization failures, deadlocks and
   * lost connections): attempts and delays.
   */
  retry?: RetryOptions;
  /**
   * For `sqlite:` URLs: the engine, `"node"` (the built-in `node:sqlite`, the default) or `"ffi"`
   * (a libsqlite3 loaded with `Deno.dlopen`; needs `--allow-ffi`), and for the FFI engine the
   * library to load. The URL parameters `engine=` and `library=` say the same; they must agree.
   */
  sqlite?: {
    /** `"node"` (the default) or `"ffi"`. */
    engine?: "node" | "ffi";
    /** A libsqlite3 path or name for the FFI engine; implies `engine: "ffi"`. */
    library?: string;
  };
  /**
   * For `postgres:` URLs: the connection pool. The URL parameters `poolSize=`,
   * `connectTimeoutMs=` and `idleTimeoutMs=` say the same and win over these.
   */
  postgres?: PostgresOptions;
}

/** The connection pool of a PostgreSQL storage. */
export interface PostgresOptions {
  /** Connections in the pool: 1–1000, defaults to 10. */
  poolSize?: number;
  /** How long opening one connection may take, in milliseconds; defaults to 10000. */
  connectTimeoutMs?: number;
  /** How long an idle connection stays open, in milliseconds (0: for ever); defaults to 30000. */
  idleTimeoutMs?: number;
}

/** Bounded exponential backoff with jitter. */
export interface RetryOptions {
  /** Attempts in all, including the first; 1–100, defaults to 8. */
  attempts?: number;
  /** The first delay in milliseconds; defaults to 5. */
  baseDelayMs?: number;
  /** The largest delay in milliseconds; defaults to 500. */
  maxDelayMs?: number;
}
