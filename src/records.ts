/**
 * The records the package keeps, and the inputs that create and change them.
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
  /**
   * Seconds spent online: each session's length (login to end, or to its expiry), added once
   * when it ends.
   */
  timeOnlineSeconds: number;
}

/**
 * Whether a user may log in: `active`, `locked` (refused, for a while or until unlocked),
 * `banned` (refused for good) or `unvalidated` (new, unchecked). A locked user whose
 * `lockedUntil` has passed reads as `active`.
 */
export type UserStatus = "active" | "locked" | "unvalidated" | "banned";

/** Input of `users.create`. */
export interface NewUser {
  /** 1–30 characters, no control characters, no leading or trailing whitespace. */
  username: string;
  /** An opaque password hash (the package never sees passwords): 1–512 characters. */
  passwordHash: string;
  /** 0–255; defaults to 10 (a new user). */
  securityLevel?: number;
  /** The real name, up to 64 characters; defaults to empty. */
  realName?: string;
  /** Where the user calls from, up to 64 characters; defaults to empty. */
  location?: string;
  /** The sysop's note, up to 1000 characters; defaults to empty. */
  note?: string;
  /** Access flags: letters A–Z, in any order (`"ZA"` is stored as `"AZ"`); defaults to none. */
  flags?: string;
  /** Defaults to `"active"`. */
  status?: UserStatus;
  /**
   * Why the user is banned or locked: 1–200 characters, no control characters; only with
   * status `"banned"` or `"locked"` (optional here, for imports; required by `users.update`).
   */
  statusReason?: string | null;
  /**
   * When a lock ends (in the future), only with status `"locked"`; `null` (the default) locks
   * until unlocked.
   */
  lockedUntil?: Date | null;
  /** When the user first called; defaults to now (for imports of older boards). */
  createdAt?: Date;
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
  /** The real name (may be empty). */
  realName: string;
  /** Where the user calls from (may be empty). */
  location: string;
  /** The sysop's note (may be empty). */
  note: string;
  /** Access flags: distinct upper-case letters in alphabetical order. */
  flags: string;
  /** Whether the user may log in (a lock that has ended reads as `"active"`). */
  status: UserStatus;
  /** Why the user is banned or locked, or `null` (always `null` for any other status). */
  statusReason: string | null;
  /** When the user's lock ends, or `null` (no lock, or a lock until unlocked). */
  lockedUntil: Date | null;
  /**
   * Failed logins since the last login (`users.recordFailedLogin`); `recordLogin`, a change of
   * status to `"active"` or `"unvalidated"` and the end of a lock set it back to 0.
   */
  failedLogins: number;
  /** The user's counters. */
  stats: UserStats;
  /** The last login, if any. */
  lastLoginAt: Date | null;
  /** When the user was created. */
  createdAt: Date;
  /** When `users.update` last changed the user. */
  updatedAt: Date;
}

/**
 * Input of `users.update`: the fields to change. Setting `status` to `"banned"` or `"locked"`
 * requires `statusReason` (1–200 characters); setting it to `"active"` or `"unvalidated"` clears
 * `statusReason`, `lockedUntil` and `failedLogins`; setting it at all clears `lockedUntil` unless
 * the patch sets a new one (with `"locked"`).
 */
export type UserPatch = Partial<
  Omit<NewUser, "createdAt"> & {
    /** The last login, or `null` to clear it. */
    lastLoginAt: Date | null;
  }
>;

/** An entry of the "last callers" list. */
export interface LastCaller {
  /** The user, or `null` once deleted. */
  userId: number | null;
  /** The name the user had when logging in. */
  username: string;
  /** When. */
  loginAt: Date;
}

/** Input of `callers.add`: a call from an older board's history. */
export interface NewLastCaller {
  /** The user, if the caller is a user of this board; defaults to `null`. */
  userId?: number | null;
  /** The caller's name as the list shows it: 1–36 characters, no control characters. */
  username: string;
  /** When the call was. */
  loginAt: Date;
}

/** What a message area carries: local, FidoNet echomail or netmail, or private mail. */
export type MessageAreaKind = "local" | "echomail" | "netmail" | "private";

/** Whether a message area takes anonymous posts: never, when the poster asks, or always. */
export type AnonymousPosting = "never" | "allowed" | "forced";

/**
 * Who may use an area, stored with it (`storage.as()` enforces it; the storage itself is the
 * system's view and does not). Levels are 0–255 and compare with `User.securityLevel`; flags are
 * sets of the letters A–Z, each of which the user's `flags` must hold, stored sorted without
 * repeats.
 */
export interface AreaAccess {
  /** The level needed to read (message areas) or to list and download (file areas); 0. */
  readLevel: number;
  /** The level needed to post (message areas) or to upload (file areas); 0. */
  writeLevel: number;
  /** The flags needed to read: `""`. */
  readFlags: string;
  /** The flags needed to write: `""`. */
  writeFlags: string;
  /** Whether the area is left out of lists for those who cannot read it; `false`. */
  hidden: boolean;
  /** The level that reads everything of a private area and administers the area; 255. */
  sysopLevel: number;
}

/** Input of `messageAreas.create`. */
export interface NewMessageArea {
  /** A short unique name (case-insensitively): 1–40 characters without spaces. */
  tag: string;
  /** The name shown to callers: 1–80 characters. */
  name: string;
  /** Defaults to `"local"`. */
  kind?: MessageAreaKind;
  /** The FidoNet echo tag, for echomail areas. */
  echoTag?: string | null;
  /** Up to 1000 characters; `""`. */
  description?: string;
  /** Where `list()` puts it (0–2147483647); by default after every area there is. */
  position?: number;
  /** A group name (free text, one line, up to 80 characters); `""`. */
  conference?: string;
  /** How many messages the area should keep (1 or more), or `null` for no limit (the default). */
  maxMessages?: number | null;
  /** How many days the area should keep a message (1–36500), or `null` (the default). */
  maxAgeDays?: number | null;
  /** The FidoNet origin line (one line, up to 80 characters); `""`. */
  origin?: string;
  /** Whether anonymous posts are taken; `"never"`. */
  anonymous?: AnonymousPosting;
  /** Who may use the area: any setting left out takes its default. */
  access?: Partial<AreaAccess>;
}

/** A patch for `messageAreas.update`: only the fields given change. */
export interface MessageAreaPatch {
  /** A new tag (unique, case-insensitively). */
  tag?: string;
  /** A new name. */
  name?: string;
  /** A new kind: only `"local"` and `"echomail"` change into each other. */
  kind?: MessageAreaKind;
  /** A new echo tag, or `null`. */
  echoTag?: string | null;
  /** A new description. */
  description?: string;
  /** A new position. */
  position?: number;
  /** A new conference. */
  conference?: string;
  /** A new limit, or `null`. */
  maxMessages?: number | null;
  /** A new age limit, or `null`. */
  maxAgeDays?: number | null;
  /** A new origin line. */
  origin?: string;
  /** A new anonymous setting. */
  anonymous?: AnonymousPosting;
  /** New access settings: only those given change. */
  access?: Partial<AreaAccess>;
}

/** A message area ("board"). */
export interface MessageArea {
  /** Positive id, never reused. */
  id: number;
  /** The tag as given. */
  tag: string;
  /** The name. */
  name: string;
  /** The kind. */
  kind: MessageAreaKind;
  /** The FidoNet echo tag, or `null`. */
  echoTag: string | null;
  /** The highest message number ever given in the area (never goes down). */
  lastMsgNum: number;
  /** How many messages the area holds. */
  msgCount: number;
  /** When the area was created. */
  createdAt: Date;
  /** The description. */
  description: string;
  /** Where `list()` puts it: by position, then id. */
  position: number;
  /** The conference (group) it belongs to, or `""`. */
  conference: string;
  /** How many messages it should keep, or `null` (stored for the board; nothing prunes by it). */
  maxMessages: number | null;
  /** How many days it should keep a message, or `null` (stored for the board). */
  maxAgeDays: number | null;
  /** The FidoNet origin line, or `""`. */
  origin: string;
  /** Whether anonymous posts are taken. */
  anonymous: AnonymousPosting;
  /** Who may use it. */
  access: AreaAccess;
}

/** Input of `fileAreas.create`. */
export interface NewFileArea {
  /** A short unique name (case-insensitively): 1–40 characters without spaces. */
  tag: string;
  /** The name shown to callers: 1–80 characters. */
  name: string;
  /** Up to 1000 characters; `""`. */
  description?: string;
  /** Where `list()` puts it (0–2147483647); by default after every area there is. */
  position?: number;
  /** Where the board keeps the area's files (up to 1024 characters, no control characters); `""`. */
  storagePath?: string;
  /** The largest upload in bytes, or `null` for no limit (the default). */
  maxFileSize?: number | null;
  /** Whether callers may upload here; `true`. */
  uploadsAllowed?: boolean;
  /** Who may use the area: any setting left out takes its default. */
  access?: Partial<AreaAccess>;
}

/** A patch for `fileAreas.update`: only the fields given change. */
export interface FileAreaPatch {
  /** A new tag (unique, case-insensitively). */
  tag?: string;
  /** A new name. */
  name?: string;
  /** A new description. */
  description?: string;
  /** A new position. */
  position?: number;
  /** A new storage path. */
  storagePath?: string;
  /** A new upload limit, or `null`. */
  maxFileSize?: number | null;
  /** Whether uploads are allowed. */
  uploadsAllowed?: boolean;
  /** New access settings: only those given change. */
  access?: Partial<AreaAccess>;
}

/** A file area. */
export interface FileArea {
  /** Positive id, never reused. */
  id: number;
  /** The tag as given. */
  tag: string;
  /** The name. */
  name: string;
  /** When the area was created. */
  createdAt: Date;
  /** The description. */
  description: string;
  /** Where `list()` puts it: by position, then id. */
  position: number;
  /** Where the board keeps the area's files, or `""`. */
  storagePath: string;
  /** The largest upload in bytes, or `null` (stored for the board; `files.add` does not check it). */
  maxFileSize: number | null;
  /** Whether callers may upload here (stored for the board). */
  uploadsAllowed: boolean;
  /** Who may use it. */
  access: AreaAccess;
}

/** Options of `messageAreas.delete` and `fileAreas.delete`. */
export interface DeleteAreaOptions {
  /**
   * Another area of the same sort to move the area's messages or files into; without it, an area
   * that holds any is not deleted (`conflict`).
   */
  moveTo?: number;
}

/** Input of `files.add`. */
export interface NewFile {
  /** The file area; it must exist. */
  areaId: number;
  /**
   * 1–255 characters without `/`, `\` or control characters; unique in its area (ASCII letters
   * compare case-insensitively).
   */
  filename: string;
  /** Up to 65536 characters; defaults to the empty string. */
  description?: string;
  /** The uploading user, if any; their `uploads` and `uploadBytes` grow. */
  uploaderId?: number | null;
  /** Size in bytes: a non-negative safe integer. */
  size: number;
  /** The SHA-256 of the content, 64 hex digits (stored lower-case), for duplicate checks. */
  sha256?: string | null;
  /** When the file was uploaded; defaults to now (for imports of older boards). */
  uploadedAt?: Date;
  /** The FILE_ID.DIZ text, up to 65536 characters; `""`. */
  diz?: string;
  /** Where the board keeps the file (up to 1024 characters, no control characters); `""`. */
  storagePath?: string;
  /** Whether the file is offline (listed only on request); `false`. */
  offline?: boolean;
  /**
   * What the virus scan found; `"clean"`, so that a board that does not scan sees its files
   * (give `"pending"` to hold a new upload back until the scan says `"clean"`).
   */
  scanStatus?: ScanStatus;
}

/** What a file's virus scan found: only `"clean"` files are listed unless asked. */
export type ScanStatus = "pending" | "clean" | "infected" | "failed";

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
  /** The SHA-256 of the content (lower-case hex), or `null`. */
  sha256: string | null;
  /** How many times it was downloaded. */
  downloads: number;
  /** When the entry was added. */
  uploadedAt: Date;
  /** The FILE_ID.DIZ text (may be empty). */
  diz: string;
  /** Where the board keeps the file, or `""`. */
  storagePath: string;
  /** Whether the file is offline. */
  offline: boolean;
  /** What the virus scan found. */
  scanStatus: ScanStatus;
}

/** Input of `files.update`: the fields to change. */
export type FilePatch = Partial<
  {
    filename: string;
    description: string;
    sha256: string | null;
    diz: string;
    storagePath: string;
    offline: boolean;
    scanStatus: ScanStatus;
  }
>;

/** A FidoNet control line of a message (`PID`, `TZUTC`, `SEEN-BY`, `PATH` …), kept in order. */
export interface Kludge {
  /** The name, like `MSGID` or `SEEN-BY`: 1–64 characters. */
  name: string;
  /** The value, exactly as received. */
  value: string;
}

/** Input of `messages.post`. */
export interface NewMessage {
  /** The message area; it must exist. */
  areaId: number;
  /** The author, a local user (their `posts` grows by one); `null` when `fromName` is given. */
  fromUserId?: number | null;
  /**
   * The author's name as shown, 1–36 characters; defaults to the author's username. With
   * `imported: true` it may be empty or up to 100 characters (FidoNet bases hold such names).
   */
  fromName?: string;
  /** The recipient, if the message is addressed to a local user. */
  toUserId?: number | null;
  /**
   * The recipient's name as shown, as `fromName` (1–36 characters; with `imported: true`, 0–100);
   * defaults to the recipient's username, or `"All"`.
   */
  toName?: string;
  /** At most 72 characters. */
  subject: string;
  /** The text, kept exactly (colour codes and ANSI included; no NUL characters). */
  body: string;
  /** The message this one replies to, if any. */
  parentId?: number | null;
  /** The FidoNet MSGID (`"2:280/464 5c3b1e2a"`): unique in its area. */
  ftnMsgid?: string | null;
  /** The FidoNet REPLY: the MSGID of the parent, linked whichever arrives first. */
  ftnReply?: string | null;
  /**
   * Control lines, kept in order and returned exactly: at most 10000, with at most 1048576
   * characters of names and values together (like the body).
   */
  kludges?: Kludge[];
  /** When it was written; defaults to now (for imports). */
  createdAt?: Date;
  /**
   * A private message (`false` by default): through `as()` only its author, its addressee and
   * the area's sysops read it. Every message of a private area is private, whatever is given.
   */
  private?: boolean;
  /**
   * Post anonymously (`false` by default): through `as()` other users than the author and the
   * area's sysops see `fromName` `"Anonymous"` and `fromUserId` `null`. The area's `anonymous`
   * setting rules: `"never"` refuses `true` (`validation` naming `anonymous`), `"allowed"`
   * takes what is given, `"forced"` makes every post anonymous.
   */
  anonymous?: boolean;
  /** When the addressee received it, for imports (`null` by default: not yet). */
  receivedAt?: Date | null;
  /** The FidoNet address it comes from, `zone:net/node[.point]` (each part 0–65535). */
  origAddr?: string | null;
  /** The FidoNet address it goes to, `zone:net/node[.point]` (each part 0–65535). */
  destAddr?: string | null;
  /**
   * Whether it came in from the network (an importer or a tosser posting it sets `true`): such
   * a message is never listed by `messages.listUnexported`. Defaults to `false`: a message the
   * board's users post is posted locally, and waits to be exported.
   */
  imported?: boolean;
}

/** A message of a message area. */
export interface Message {
  /** Positive id, never reused. */
  id: number;
  /** The message area. */
  areaId: number;
  /** The message's number in its area: 1, 2, 3 …, never reused. */
  msgNum: number;
  /** The local author, or `null` (a remote author, or a deleted user). */
  fromUserId: number | null;
  /** The author's name as shown. */
  fromName: string;
  /** The local recipient, or `null`. */
  toUserId: number | null;
  /** The recipient's name as shown (`"All"` for everyone). */
  toName: string;
  /** The subject. */
  subject: string;
  /** The text. */
  body: string;
  /** The message replied to, or `null`. */
  parentId: number | null;
  /** The first message of the thread (the message's own id for a root). */
  threadRootId: number;
  /** The FidoNet MSGID, or `null`. */
  ftnMsgid: string | null;
  /** The FidoNet REPLY, or `null`. */
  ftnReply: string | null;
  /** The control lines, in order. */
  kludges: Kludge[];
  /** When the message was written. */
  createdAt: Date;
  /**
   * When the addressee received it (`mail.markReceived`: a letter, or any message addressed to
   * a local user), or `null`: not yet. Once set it stays.
   */
  receivedAt: Date | null;
  /**
   * Whether the message is private: through `as()` only its author, its addressee and the
   * area's sysops read it. Every message of a private area is private.
   */
  private: boolean;
  /**
   * Whether the author posted anonymously: through `as()`, other users than the author and the
   * area's sysops see `fromName` `"Anonymous"` and `fromUserId` `null`.
   */
  anonymous: boolean;
  /** The FidoNet address it comes from (`zone:net/node[.point]`), or `null`. */
  origAddr: string | null;
  /** The FidoNet address it goes to (`zone:net/node[.point]`), or `null`. */
  destAddr: string | null;
  /** Whether it came in from the network (never exported). */
  imported: boolean;
  /**
   * When a tosser exported it (`messages.markExported`), or `null` while it waits (always `null`
   * for an imported message).
   */
  exportedAt: Date | null;
}

/** Input of `messages.update`: the fields to change. */
export type MessagePatch = Partial<{ subject: string; body: string }>;

/** Input of `sessions.create`. */
export interface NewSession {
  /** The logged-in user. */
  userId: number;
  /** The caller's address: an IPv4 or IPv6 literal. */
  ipAddress: string;
  /**
   * The node the caller is on, 1–9999, unique among live sessions (`conflict` when taken); or
   * `"auto"`: the lowest node of 1…`maxNodes` (the open option, 250 by default) that no live
   * session holds (`conflict` when every one is taken).
   */
  node?: number | "auto" | null;
  /** What the caller is doing, up to 80 characters. */
  activity?: string;
  /** Seconds until the session expires (1 second to 400 days); it never expires by default. */
  ttlSeconds?: number;
  /**
   * Seconds the session may stay idle (1 second to 400 days): it expires that long after its
   * last activity (`sessions.touch` moves it on), or at `ttlSeconds`, whichever comes first.
   * Never idles out by default.
   */
  idleTimeoutSeconds?: number;
  /**
   * The most live sessions the user may have with this one, 1–9999; no limit by default. See
   * `onLimit`.
   */
  maxPerUser?: number;
  /**
   * What to do when the user already has `maxPerUser` live sessions: `"refuse"` (the default)
   * fails as `conflict`; `"endOldest"` ends the oldest of them (by login) to make room. Only with
   * `maxPerUser` (without it, `validation` naming `maxPerUser`).
   */
  onLimit?: "refuse" | "endOldest";
}

/** Options of `sessions.endAllForUser`. */
export interface EndAllOptions {
  /** A session to leave live (the caller's own, after a password change). */
  except?: number;
}

/** A login session. Its token is never stored, only a hash of it. */
export interface Session {
  /** Positive id, never reused. */
  id: number;
  /** The logged-in user. */
  userId: number;
  /** The caller's address. */
  ipAddress: string;
  /** The node, or `null`. */
  node: number | null;
  /** What the caller is doing. */
  activity: string;
  /** When the session was created. */
  loginAt: Date;
  /** When the session was last touched. */
  lastActivityAt: Date;
  /** When it expires, or `null`. */
  expiresAt: Date | null;
  /** When it was ended, or `null` while live. */
  endedAt: Date | null;
  /** The idle timeout in seconds, or `null` when it never idles out. */
  idleTimeoutSeconds: number | null;
}

/** A live session with its user's name, as `sessions.listOnline` returns it. */
export interface OnlineSession extends Session {
  /** The user's name. */
  username: string;
}

/** One area of a new-scan. */
export interface NewScanEntry {
  /** The area. */
  area: MessageArea;
  /**
   * How many messages are above the user's pointer: the high-water mark minus the pointer (or
   * minus the number below the area's lowest message when that is higher: numbers a trim took
   * are not unread), less the user's own messages above it (unless `includeOwn`).
   */
  unread: number;
  /** The user's pointer: the highest message number read. */
  lastRead: number;
}

/** The orders of `files.list`. */
export type FileOrder = "uploadedAt" | "name" | "size" | "downloads";

/** Which files `files.list` and `files.count` take. */
export interface FileFilter {
  /** Takes offline files and files whose scan is not `"clean"` too; `false`. */
  includeUnavailable?: boolean;
}

/** Order and paging of `files.list` and `files.page`. */
export interface ListFilesOptions extends FileFilter {
  /**
   * Defaults to `"uploadedAt"`; `"name"` compares as file names do (ASCII letters
   * case-insensitively); ties go by id.
   */
  orderBy?: FileOrder;
  /**
   * Largest first; defaults to `true` but for `"name"`: newest, largest and most downloaded
   * first, names A to Z.
   */
  descending?: boolean;
  /**
   * The `next` cursor of a page of `files.page`, listed in the same area with the same
   * `orderBy`; listed the other way (`descending` flipped), it gives the files before it,
   * nearest first.
   */
  after?: string;
  /** 1–1000; defaults to 100. */
  limit?: number;
  /**
   * A file id: only files older than it (by upload time, then id) are listed. Only with the
   * default order (newest first) and without `after`; `files.list` alone (`files.page` pages by
   * `after`).
   */
  before?: number;
}

/** An area's files and their total size, as `fileAreas.stats` gives them. */
export interface FileAreaStats {
  /** The file area. */
  areaId: number;
  /** How many files it holds (offline and unscanned ones too). */
  files: number;
  /** Their sizes added up, in bytes. */
  bytes: number;
}

/** A page of `files.page`. */
export interface FilePage {
  /** The files of the page, in order. */
  files: FileEntry[];
  /** An opaque cursor for the next page (pass it as `after`), or `null` after the last page. */
  next: string | null;
}

/**
 * What `files.find` and `files.findPage` look for, across file areas: every condition given must
 * hold.
 */
export interface FindFilesOptions {
  /**
   * A DOS wildcard the file name must match whole: `*` any run of characters, `?` exactly one;
   * ASCII letters compare case-insensitively (as file names do), every other character (`%`,
   * `_` and `\` too) stands for itself. 1–255 characters.
   */
  pattern?: string;
  /** Only files this user uploaded. */
  uploaderId?: number;
  /** Only files of at least this many bytes. */
  minSize?: number;
  /** Only files of at most this many bytes. */
  maxSize?: number;
  /** Only files uploaded at or after this time. */
  since?: Date;
  /** Only files uploaded before this time. */
  until?: Date;
  /** Only files of these file areas (1–1000 ids). */
  areaIds?: number[];
  /** 1–1000; defaults to 100. */
  limit?: number;
  /**
   * The `next` cursor of a page of `files.findPage` searched with the same conditions
   * (`validation` naming `options.after` otherwise).
   */
  after?: string;
  /** Takes offline files and files whose scan is not `"clean"` too; `false`. */
  includeUnavailable?: boolean;
}

/** Paging of `messages.list`. */
export interface ListMessagesOptions extends MessageFilter {
  /** A message id: only messages with a greater id are listed. Defaults to 0. */
  after?: number;
  /** A message number: only messages with a greater number are listed. Defaults to 0. */
  afterNum?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/**
 * What `messages.trim` deletes: the messages beyond the newest `keep` (by number), those created
 * before `olderThan`, or, with both, those either lets go. At least one is required.
 */
export interface TrimOptions {
  /** The newest `keep` messages (by number) stay; 0 deletes every message. */
  keep?: number;
  /** Messages created before this time go. */
  olderThan?: Date;
}

/** What `messages.trimAll` deleted in one area. */
export interface TrimResult {
  /** The area, one with `maxMessages` or `maxAgeDays` set. */
  areaId: number;
  /** How many of its messages went (0 when none had to). */
  deleted: number;
}

/**
 * Filters of `messages.list` and `messages.search`, all of them together (ANDed) and with the
 * other options. Names compare as usernames do (a full case fold with NFKC: `SYSOP`, `sysop`
 * and `ＳｙｓＯｐ` are one name); dates bound `createdAt`, both ends included.
 */
export interface MessageFilter {
  /** Only messages whose author's name (`fromName`) is this name. */
  fromName?: string;
  /** Only messages whose recipient's name (`toName`) is this name. */
  toName?: string;
  /** Only messages written at or after this time. */
  since?: Date;
  /** Only messages written at or before this time (not before `since`). */
  until?: Date;
}

/** Paging by id (`mail.listFor`). */
export interface AfterOptions {
  /** Only records with a greater id. Defaults to 0. */
  after?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** A limit alone (`reading.readNext`, `files.listNew`, `callers.recent`). */
export interface LimitOptions {
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** Options of `reading.readNext`. */
export interface ReadNextOptions extends LimitOptions {
  /** Keep the reader's own messages (left out by default). */
  includeOwn?: boolean;
}

/** Options of `mail.inbox`. */
export interface InboxOptions {
  /** Only letters not yet received (`mail.markReceived`). */
  unreadOnly?: boolean;
  /**
   * The id of the last letter of the previous page: only older ones (lower ids). 0, the
   * default, starts from the newest.
   */
  after?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** Options of `mail.sent`. */
export interface SentOptions {
  /** The id of the last letter of the previous page: only older ones. 0 starts from the newest. */
  after?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** Options of `mail.toName`. */
export interface ToNameOptions {
  /** Only these areas (at most 1000); every area by default. */
  areaIds?: number[];
  /** Only messages with a greater id (the last one seen). Defaults to 0. */
  after?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** Options of `reading.newScan`. */
export interface NewScanOptions {
  /** Count the reader's own messages as unread (left out by default). */
  includeOwn?: boolean;
}

/** Options of `reading.setPointersByDate`. */
export interface SetPointersByDateOptions {
  /** Only these areas (each must exist); every area by default. */
  areaIds?: number[];
}

/** Options of `messages.search` and `files.search`. */
export interface SearchOptions {
  /** Only this area. */
  areaId?: number;
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** Options of `messages.search`: an area, a limit and the filters of {@linkcode MessageFilter}. */
export interface MessageSearchOptions extends SearchOptions, MessageFilter {}

/** Options of `sessions.touch`. */
export interface TouchOptions {
  /** What the caller is doing now, up to 80 characters. */
  activity?: string;
}

/**
 * A JSON value: what a setting, an event's data (and a user property) holds. Stored as its JSON
 * text and read back exactly: strings keep every Unicode character, numbers their value, objects
 * their keys in order.
 */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A setting, as `settings.list` returns it. */
export interface Setting {
  /** The key: 1–64 characters. */
  key: string;
  /** The value, never `null` (deleting a setting removes its key). */
  value: JsonValue;
  /** When it was last set (or incremented). */
  updatedAt: Date;
}

/** Input of `events.append`. */
export interface NewEvent {
  /** Dotted lower-case words, 1–64 characters: `login`, `file.upload`, `door.run`. */
  kind: string;
  /** The user it concerns, if any. */
  userId?: number | null;
  /** The session it happened in, if any. */
  sessionId?: number | null;
  /** Anything else, at most 64 KiB as JSON; absent reads as `null`. */
  data?: JsonValue;
}

/** An entry of the event log. */
export interface LogEvent {
  /** Positive id, never reused; later appends have greater ids. */
  id: number;
  /** Dotted lower-case words: `login`, `file.upload`. */
  kind: string;
  /** The user it concerns; `null` when none, or once the user is deleted. */
  userId: number | null;
  /** The session it happened in; `null` when none, or once the session is deleted. */
  sessionId: number | null;
  /** Its data, or `null`. */
  data: JsonValue | null;
  /** When it was appended. */
  at: Date;
}

/** Which events `events.count` counts (and `events.list` lists). */
export interface EventFilter {
  /** Only events of this kind. */
  kind?: string;
  /** Only events of this user. */
  userId?: number;
  /** Only events after this time (exclusive). */
  after?: Date;
  /** Only events before this time (exclusive). */
  before?: Date;
}

/** Options of `events.list`. */
export interface ListEventsOptions extends EventFilter {
  /** 1–1000; defaults to 100. */
  limit?: number;
}

/** Options of `events.top`. */
export interface TopEventsOptions {
  /** The kind of event to rank users by. */
  kind: string;
  /** Only events after this time (exclusive). */
  after?: Date;
  /** 1–1000; defaults to 10. */
  limit?: number;
}

/** One user's count of a kind of event, as `events.top` returns them. */
export interface EventCount {
  /** The user. */
  userId: number;
  /** How many events of the kind the user has. */
  count: number;
}

/** Options of `events.prune`: at least one of the two. */
export interface PruneEventsOptions {
  /** Events older than this time go. */
  olderThan?: Date;
  /** The newest `keep` events stay, whatever their age; with `olderThan`, both must let an event go. */
  keep?: number;
}

/** Which users `users.list` and `users.count` take. */
export interface UserFilter {
  /**
   * A case-insensitive substring of the username or the real name, as plain text (`%`, `_` and
   * `\` match themselves): up to 64 characters; empty matches every user.
   */
  query?: string;
  /** Only users of this status, as they read (a lock that has ended reads as `"active"`). */
  status?: UserStatus;
  /** Only users of at least this security level (0–255). */
  minLevel?: number;
}

/** The order of `users.list`: by case-folded username (the default), id, creation or last login. */
export type UserOrder = "username" | "id" | "createdAt" | "lastLoginAt";

/** Options of `users.list`. */
export interface ListUsersOptions extends UserFilter {
  /** Defaults to `"username"`; ties (equal times) go by id. Users who never logged in come first by `lastLoginAt`. */
  orderBy?: UserOrder;
  /** Largest first; defaults to `false`. */
  descending?: boolean;
  /**
   * The `next` cursor of the previous page, listed with the same `orderBy`; listed the other way
   * (`descending` flipped), it gives the users before it, nearest first.
   */
  after?: string;
  /** 1–1000, default 100. */
  limit?: number;
}

/** A page of `users.list`. */
export interface UserPage {
  /** The users of the page, in order. */
  users: User[];
  /** An opaque cursor for the next page (pass it as `after`), or `null` after the last page. */
  next: string | null;
}

/** Options of `users.recordFailedLogin`. */
export interface FailedLoginOptions {
  /** Failed logins that lock an active user: 1–1000. */
  maxAttempts: number;
  /** How long the lock lasts: 1 second to 10 years (315,360,000 seconds). */
  lockForSeconds: number;
}

/** Options of `users.logins`. */
export interface LoginsOptions {
  /** Only logins before this time. */
  before?: Date;
  /** 1–1000, default 100. */
  limit?: number;
}

/** A login of a user: a session, kept after it ends. */
export interface LoginRecord {
  /** When the session began. */
  at: Date;
  /** When it ended (or expired); `null` while it is live. */
  endedAt: Date | null;
  /** The node it took, or `null`. */
  node: number | null;
  /** The caller's IP address. */
  ipAddress: string;
  /** The session's id. */
  sessionId: number;
}
