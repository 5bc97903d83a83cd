/**
 * The driver-agnostic contract: the records the package keeps and the {@linkcode Storage}
 * interface every driver implements.
 *
 * @module
 */

import type {
  AfterOptions,
  FileArea,
  FileEntry,
  FilePatch,
  LastCaller,
  LimitOptions,
  ListFilesOptions,
  ListMessagesOptions,
  Message,
  MessageArea,
  MessagePatch,
  NewFile,
  NewFileArea,
  NewLastCaller,
  NewMessage,
  NewMessageArea,
  NewScanEntry,
  NewSession,
  NewUser,
  OnlineSession,
  SearchOptions,
  Session,
  TouchOptions,
  User,
  UserPatch,
  UserStats,
} from "./records.ts";

export type * from "./records.ts";

/**
 * The operations on stored records. Both {@linkcode Storage} and the handle given to a
 * {@linkcode Storage.transaction} callback offer them.
 *
 * Every input is validated before anything is written: bad input rejects with a
 * `StorageError` of kind `validation` that names the field.
 */
export interface StorageOps {
  // Users

  /** Creates a user; `conflict` when the name is taken (case-insensitively). */
  createUser(input: NewUser): Promise<User>;
  /** Returns the user, or `null`. */
  getUser(id: number): Promise<User | null>;
  /**
   * Finds a user by name, case-insensitively and Unicode-aware (`ＳｙｓＯｐ` finds `sysop`): by
   * every spelling whose key equals theirs, up to 540 characters (U+FDFA written out included);
   * `null` for any other text, `validation` for a value that is not text.
   */
  findUserByUsername(username: string): Promise<User | null>;
  /** Changes the given fields; `not_found` if the user is missing. */
  updateUser(id: number, patch: UserPatch): Promise<User>;
  /** Deletes a user and their sessions, keeping their messages and files; `not_found` if missing. */
  deleteUser(id: number): Promise<void>;
  /** Adds to a user's counters atomically; `not_found` if missing. */
  incrementUserStats(id: number, delta: Partial<UserStats>): Promise<User>;
  /** Counts a login: `logins` + 1 and `lastLoginAt` = now, atomically, and records it for {@linkcode StorageOps.lastCallers}. */
  recordLogin(id: number): Promise<User>;
  /** The most recent logins recorded by `recordLogin`, newest first; `limit` 1–1000, default 10. */
  lastCallers(limit?: number): Promise<LastCaller[]>;
  /**
   * Adds a call from another board's history to the last-callers list, at its own time,
   * counting nothing (for imports); `constraint` when `userId` names no user.
   */
  addLastCaller(input: NewLastCaller): Promise<LastCaller>;

  // Areas

  /** Creates a message area; `conflict` when the tag is taken (case-insensitively). */
  createMessageArea(input: NewMessageArea): Promise<MessageArea>;
  /** Returns the message area, or `null`. */
  getMessageArea(id: number): Promise<MessageArea | null>;
  /** Lists every message area by id. */
  listMessageAreas(): Promise<MessageArea[]>;
  /** Creates a file area; `conflict` when the tag is taken (case-insensitively). */
  createFileArea(input: NewFileArea): Promise<FileArea>;
  /** Returns the file area, or `null`. */
  getFileArea(id: number): Promise<FileArea | null>;
  /** Lists every file area by id. */
  listFileAreas(): Promise<FileArea[]>;

  // Messages

  /** Posts a message: numbers it in its area, counts it to its author, links FidoNet replies. */
  postMessage(input: NewMessage): Promise<Message>;
  /** Returns the message, or `null`. */
  getMessage(id: number): Promise<Message | null>;
  /** Lists an area's messages by ascending number, after an id and/or a number. */
  listMessages(
    areaId: number,
    options?: ListMessagesOptions,
  ): Promise<Message[]>;
  /** Changes a message's subject or body; `not_found` if missing. */
  updateMessage(id: number, patch: MessagePatch): Promise<Message>;
  /** Deletes a message (its number is never reused; replies stay); `not_found` if missing. */
  deleteMessage(id: number): Promise<void>;
  /** The root of a thread first, then every reply in posting order (any message id of the thread will do). */
  getThread(rootId: number): Promise<Message[]>;
  /** Messages addressed to a user, by ascending id. */
  listMailFor(userId: number, options?: AfterOptions): Promise<Message[]>;
  /** The message with a FidoNet MSGID in an area, or `null`. */
  findMessageByMsgid(areaId: number, msgid: string): Promise<Message | null>;
  /** Moves a user's last-read pointer forward (never back); returns the pointer. */
  markRead(userId: number, areaId: number, msgNum: number): Promise<number>;
  /** The areas with messages above the user's pointer, read from pointers and high-water marks alone. */
  newScan(userId: number): Promise<NewScanEntry[]>;
  /** The next messages above the user's pointer, by number; the pointer does not move. */
  readNext(
    userId: number,
    areaId: number,
    options?: LimitOptions,
  ): Promise<Message[]>;
  /** Messages whose subject or body match, best first (words ANDed, "quoted phrases"). */
  searchMessages(query: string, options?: SearchOptions): Promise<Message[]>;

  // Files

  /** Adds a file entry and counts it to its uploader; `conflict` when the name is taken in the area. */
  addFile(input: NewFile): Promise<FileEntry>;
  /** Returns the file entry, or `null`. */
  getFile(id: number): Promise<FileEntry | null>;
  /** Lists an area's files, newest first by (upload time, id). */
  listFiles(areaId: number, options?: ListFilesOptions): Promise<FileEntry[]>;
  /** Files uploaded after `since` in every area, newest first. */
  listNewFiles(since: Date, options?: LimitOptions): Promise<FileEntry[]>;
  /** Files with a SHA-256, by id. */
  findFilesByHash(sha256: string): Promise<FileEntry[]>;
  /** Counts a download: the file's `downloads` + 1, the user's `downloads` + 1 and `downloadBytes` + size. */
  recordDownload(fileId: number, userId: number): Promise<FileEntry>;
  /** Changes a file entry's name, description or hash; `not_found` if missing. */
  updateFile(id: number, patch: FilePatch): Promise<FileEntry>;
  /** Deletes a file entry; `not_found` if missing. */
  deleteFile(id: number): Promise<void>;
  /** Files whose name or description match, best first (words ANDed, "quoted phrases"). */
  searchFiles(query: string, options?: SearchOptions): Promise<FileEntry[]>;

  // Sessions

  /** Creates a session and returns it with its token; the token is shown only here. */
  createSession(
    input: NewSession,
  ): Promise<{ session: Session; token: string }>;
  /** Finds the live session of a token; `null` for an unknown, malformed, ended or expired token. */
  getSessionByToken(token: string): Promise<Session | null>;
  /** Sets a session's last activity to now (and its activity text); `not_found` if missing. */
  touchSession(id: number, options?: TouchOptions): Promise<void>;
  /** Ends a session, keeping its row (its node is free again); `not_found` if missing. */
  endSession(id: number): Promise<void>;
  /** Deletes a session; `not_found` if missing. */
  deleteSession(id: number): Promise<void>;
  /** Live sessions (not ended, not expired) with their usernames, by node then id. */
  listOnline(): Promise<OnlineSession[]>;
  /** Ends every expired live session; returns how many. */
  purgeExpiredSessions(): Promise<number>;
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
   * Operations on `tx` run one at a time in call order, awaited or not, and one that fails undoes
   * only itself. The commit waits for every operation called on `tx` before `fn` resolved. If
   * `fn` throws, the operation running then finishes, those queued behind it fail as
   * `unavailable` without running, and everything rolls back. Operations called on `tx` after
   * `fn` settled fail as `unavailable`.
   *
   * @param fn Receives the operations bound to the transaction.
   * @returns What `fn` resolved to.
   */
  transaction<T>(fn: (tx: StorageOps) => Promise<T>): Promise<T>;
  /**
   * Closes the storage; idempotent. Waits for running work at most `acquireTimeoutMs`: a
   * transaction still running then is rolled back and fails as `unavailable`, as do later calls.
   */
  close(): Promise<void>;
  /** Closes the storage, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@linkcode openStorage}. */
export interface OpenOptions {
  /**
   * What to do about the schema at open: `"up"` (the default) applies pending migrations under
   * the migration lock, waiting for another process's migration at most `acquireTimeoutMs`;
   * `"check"` fails as `migration` unless the schema is current (and, on SQLite, in WAL mode),
   * and only reads; `"off"` does nothing. With nothing to apply, `"up"` only reads too: neither
   * waits for a lock.
   */
  migrate?: "up" | "check" | "off";
  /**
   * Whether a database that does not exist may be created: `true` (the default) creates a
   * missing SQLite file and its directory; `false` fails as `not_found` instead, creating
   * nothing. `migrate: "check"` never creates one either (a new database is never current).
   */
  create?: boolean;
  /**
   * How long, in milliseconds, a call may wait in all, from when it first has to wait, before it
   * fails as `timeout`: for the storage's writer (an open transaction), for another process's
   * lock on a SQLite database, for a pooled connection and row locks (PostgreSQL), and the
   * pauses between retries. `openStorage` also waits at most this long for another process's
   * migration, and `close()` for running work. Defaults to 5000.
   */
  acquireTimeoutMs?: number;
  /**
   * Retry of transient errors (SQLite busy; PostgreSQL serialization failures, deadlocks and
   * lost connections): the pauses between attempts and, on PostgreSQL, how many.
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
    /**
     * The mode of a database file the driver creates (SQLite gives its `-wal` and `-shm` files
     * the same); defaults to `0o600`, readable by the owner only. It must let the owner read
     * and write. A file that exists keeps its mode.
     */
    fileMode?: number;
    /**
     * The mode of the database's directory when the driver creates it; defaults to `0o700`. It
     * must let the owner in (read, write and search). A directory that exists keeps its mode.
     */
    dirMode?: number;
  };
  /**
   * For `postgres:` URLs: the connection pool. The URL parameters `poolSize=`,
   * `connectTimeoutMs=`, `idleTimeoutMs=` and `statementTimeoutMs=` say the same and win over
   * these.
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
  /**
   * How long one statement may run, in milliseconds (1 to 86400000); defaults to 60000. The
   * server cancels a longer one (`timeout`), and a connection that owes a reply and stays silent
   * 2 s longer than this is closed (`unavailable`): no call waits on a stalled network for ever.
   * Raise it for a migration with long statements.
   */
  statementTimeoutMs?: number;
}

/**
 * Bounded exponential backoff with jitter. The defaults poll often (SQLite's write lock is not
 * queued: a process that sleeps long loses it to the ones that ask more often). Every retry ends
 * at the call's deadline, `acquireTimeoutMs`.
 */
export interface RetryOptions {
  /**
   * PostgreSQL: attempts in all, including the first; 1–1000, defaults to 100. SQLite retries a
   * busy database until the call's deadline, however many attempts that takes.
   */
  attempts?: number;
  /** The first delay in milliseconds; defaults to 5. */
  baseDelayMs?: number;
  /** The largest delay in milliseconds; defaults to 50. */
  maxDelayMs?: number;
}
