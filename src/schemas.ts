/**
 * The zod schema of every operation's input, built from the primitives of `validate.ts`.
 * Internal: zod types are never exported from the package.
 *
 * @module
 */
import { z } from "zod";
import {
  CONTROL,
  count,
  date,
  delta,
  id,
  int,
  keyedName,
  limit,
  name,
  text,
  username,
} from "./validate.ts";
import {
  countWords,
  longestWordBytes,
  MAX_WORD_BYTES,
  MAX_WORDS,
} from "./ops/search.ts";
import { BLANK } from "./blanks.ts";
import { characters } from "./describe.ts";
import { KEY_GROWTH } from "./keys.ts";
import { jsonValue } from "./json_value.ts";

const passwordHash = text(512, 1);
const securityLevel = int(0, 255);
/** Text shown on one line: no control characters (ESC, line breaks …). */
const oneLine = (schema: z.ZodString) =>
  schema.refine((s) => !/\p{Cc}/u.test(s), {
    error: "must not contain control characters",
  });
const profile = (max: number) => oneLine(text(max));
const flags = z.string({ error: "must be a string" })
  .regex(/^[A-Z]*$/, { error: "must be upper-case letters A–Z" })
  .transform((s) => [...new Set(s)].sort().join(""));
const status = z.enum(["active", "locked", "unvalidated", "banned"], {
  error: 'must be "active", "locked", "unvalidated" or "banned"',
});
/** Why a user is banned or locked. */
const statusReason = oneLine(text(200, 1));
/**
 * The end of a lock. It must be in the future on the storage's clock (a lock that has ended reads
 * as no lock): the operations check that ({@linkcode LOCKED_UNTIL_PAST}).
 */
const lockedUntil = date;

/** What a past `lockedUntil` must be instead. */
export const LOCKED_UNTIL_PAST =
  'must be in the future: a lock that has ended reads as "active"; set status "active" to lift one';
const filename = name(255)
  .refine((s) => !/[\\/]/.test(s), { error: "must not contain / or \\" })
  .refine((s) => s !== "." && s !== "..", { error: 'must not be "." or ".."' });
const sha256 = z.string({ error: "must be a string" })
  .regex(/^[0-9a-fA-F]{64}$/, { error: "must be 64 hex digits" })
  .transform((s) => s.toLowerCase());
/** Area tags hold no spaces, and so no blanks (see `blanks.ts`). */
const tag = keyedName(40).refine((s) => !BLANK.test(s), {
  error: "must not contain spaces or blanks like U+2800",
});
/** Names on messages: kept exactly as given, FidoNet's 36 characters at most. */
const personName = oneLine(text(36, 1));
/**
 * The most characters of a name on an imported message (JAM keeps up to 100 bytes; real bases
 * hold longer names than FidoNet's 36, and empty ones).
 */
export const IMPORTED_NAME_MAX = 100;
/** A name on a message as the schema first takes it: the imported bound, checked again below. */
const messageName = oneLine(text(IMPORTED_NAME_MAX));

/**
 * A name on a message posted locally (not `imported`) holds 1–36 characters, with the messages
 * `personName` gives; an imported one may be empty or up to {@linkcode IMPORTED_NAME_MAX}.
 */
function localNames(
  m: { imported: boolean; fromName?: string; toName?: string },
  ctx: z.RefinementCtx,
): void {
  if (m.imported) return;
  for (const field of ["fromName", "toName"] as const) {
    const value = m[field];
    if (value === undefined) continue;
    const n = characters(value);
    if (n === 0 || n > 36) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        input: value,
        message: n === 0
          ? "must not be empty (only an imported message may have an empty name)"
          : "must have 1–36 characters (an imported message may have up to 100)",
      });
    }
  }
}
const ftnId = text(200, 1).refine((s) => !CONTROL.test(s), {
  error: "must not contain control or format characters",
});
/**
 * A FidoNet address, `zone:net/node[.point]`, each part a whole number 0–65535; kept in its
 * plain form (no leading zeros, no point `.0`, which is the node itself), as it is compared and
 * indexed.
 */
export const ftnAddress = z.string({ error: "must be a string" })
  .regex(/^\d{1,5}:\d{1,5}\/\d{1,5}(\.\d{1,5})?$/, {
    error: "must be a FidoNet address zone:net/node or zone:net/node.point",
  })
  .refine((s) => s.split(/[:/.]/).every((part) => Number(part) <= 65535), {
    error: "must have each part (zone, net, node, point) between 0 and 65535",
  })
  .transform(plainFtnAddress);

/**
 * A FidoNet address `zone:net/node[.point]` in the form it is stored and compared in: no
 * leading zeros, no point `.0` (the node itself).
 *
 * @param address An address of that form.
 * @returns Its plain form.
 */
export function plainFtnAddress(address: string): string {
  const [zone, net, node, point] = address.split(/[:/.]/).map(Number);
  return `${zone}:${net}/${node}${point ? `.${point}` : ""}`;
}
const activity = profile(80);
const ipAddress = z.string({ error: "must be a string" }).refine(
  (s) => z.ipv4().safeParse(s).success || z.ipv6().safeParse(s).success,
  { error: "must be an IPv4 or IPv6 address" },
);

/** Input of users.create. */
export const newUser = z.strictObject({
  username,
  passwordHash,
  securityLevel: securityLevel.default(10),
  realName: profile(64).default(""),
  location: profile(64).default(""),
  note: text(1000).default(""),
  flags: flags.default(""),
  status: status.default("active"),
  statusReason: statusReason.nullable().default(null),
  lockedUntil: lockedUntil.nullable().default(null),
  createdAt: date.optional(),
}).refine((u) => u.statusReason === null || reasoned(u.status), {
  error: 'must be null unless status is "banned" or "locked"',
  path: ["statusReason"],
}).refine((u) => u.lockedUntil === null || u.status === "locked", {
  error: 'must be null unless status is "locked"',
  path: ["lockedUntil"],
});

/** Whether a status takes a reason: `banned` and `locked`. */
function reasoned(s: string | undefined): boolean {
  return s === "banned" || s === "locked";
}

/** Input of users.update. */
export const userPatch = z.strictObject({
  username: username.optional(),
  passwordHash: passwordHash.optional(),
  securityLevel: securityLevel.optional(),
  realName: profile(64).optional(),
  location: profile(64).optional(),
  note: text(1000).optional(),
  flags: flags.optional(),
  status: status.optional(),
  statusReason: statusReason.nullable().optional(),
  lockedUntil: lockedUntil.nullable().optional(),
  lastLoginAt: date.nullable().optional(),
}).refine((p) => !reasoned(p.status) || typeof p.statusReason === "string", {
  error: 'must be given (1–200 characters) when status is "banned" or "locked"',
  path: ["statusReason"],
}).refine(
  (p) => p.status === undefined || reasoned(p.status) || p.statusReason == null,
  {
    error: 'must be null or left out unless status is "banned" or "locked"',
    path: ["statusReason"],
  },
).refine(
  (p) =>
    p.status === undefined || p.status === "locked" || p.lockedUntil == null,
  {
    error: 'must be null or left out unless status is "locked"',
    path: ["lockedUntil"],
  },
).refine((p) => p.status !== undefined || p.statusReason !== null, {
  error:
    'must not be null without a status: set status to "active" to lift a ban or lock',
  path: ["statusReason"],
});

/** Input of users.incrementStats. */
export const statsDelta = z.strictObject({
  logins: delta.optional(),
  posts: delta.optional(),
  uploads: delta.optional(),
  downloads: delta.optional(),
  uploadBytes: delta.optional(),
  downloadBytes: delta.optional(),
});

const areaKind = z.enum(["local", "echomail", "netmail", "private"], {
  error: 'must be "local", "echomail", "netmail" or "private"',
});
const level = int(0, 255);
const position = int(0, 2_147_483_647);
const description = text(1000);
const anonymous = z.enum(["never", "allowed", "forced"], {
  error: 'must be "never", "allowed" or "forced"',
});
/** A file system path as the board names it: no control characters. */
const storagePath = text(1024).refine((s) => !CONTROL.test(s), {
  error: "must not contain control or format characters",
});

/** Access settings: every one optional (a patch changes only those given). */
const accessFields = z.strictObject({
  readLevel: level.optional(),
  writeLevel: level.optional(),
  readFlags: flags.optional(),
  writeFlags: flags.optional(),
  hidden: z.boolean({ error: "must be true or false" }).optional(),
  sysopLevel: level.optional(),
});

/** Access settings as a plain object (not a Date, a Map or an array, which zod would take). */
const accessPatch = z.unknown().refine(
  (v) =>
    typeof v === "object" && v !== null &&
    [Object.prototype, null].includes(Object.getPrototypeOf(v)),
  { error: "must be a plain object of access settings", abort: true },
).pipe(accessFields);

/** Access settings of a new area: every one left out takes its default. */
const newAccess = accessPatch.optional().transform((a) => ({
  readLevel: a?.readLevel ?? 0,
  writeLevel: a?.writeLevel ?? 0,
  readFlags: a?.readFlags ?? "",
  writeFlags: a?.writeFlags ?? "",
  hidden: a?.hidden ?? false,
  sysopLevel: a?.sysopLevel ?? 255,
}));

/** Input of messageAreas.create. */
export const newMessageArea = z.strictObject({
  tag,
  name: name(80),
  kind: areaKind.default("local"),
  echoTag: tag.nullable().default(null),
  description: description.default(""),
  position: position.optional(),
  conference: profile(80).default(""),
  maxMessages: int(1).nullable().default(null),
  maxAgeDays: int(1, 36_500).nullable().default(null),
  origin: profile(80).default(""),
  anonymous: anonymous.default("never"),
  access: newAccess,
});

/** Input of messageAreas.update. */
export const messageAreaPatch = z.strictObject({
  tag: tag.optional(),
  name: name(80).optional(),
  kind: areaKind.optional(),
  echoTag: tag.nullable().optional(),
  description: description.optional(),
  position: position.optional(),
  conference: profile(80).optional(),
  maxMessages: int(1).nullable().optional(),
  maxAgeDays: int(1, 36_500).nullable().optional(),
  origin: profile(80).optional(),
  anonymous: anonymous.optional(),
  access: accessPatch.optional(),
});

/** Input of fileAreas.create. */
export const newFileArea = z.strictObject({
  tag,
  name: name(80),
  description: description.default(""),
  position: position.optional(),
  storagePath: storagePath.default(""),
  maxFileSize: int(0).nullable().default(null),
  uploadsAllowed: z.boolean({ error: "must be true or false" }).default(true),
  access: newAccess,
});

/** Input of fileAreas.update. */
export const fileAreaPatch = z.strictObject({
  tag: tag.optional(),
  name: name(80).optional(),
  description: description.optional(),
  position: position.optional(),
  storagePath: storagePath.optional(),
  maxFileSize: int(0).nullable().optional(),
  uploadsAllowed: z.boolean({ error: "must be true or false" }).optional(),
  access: accessPatch.optional(),
});

/** Options of messageAreas.delete and fileAreas.delete. */
export const deleteAreaOptions = z.strictObject({ moveTo: id.optional() })
  .default({});

/** Input of messageAreas.reorder and fileAreas.reorder: ids, each once. */
export const areaIds = z.array(id, { error: "must be an array of area ids" })
  .max(100_000)
  .refine((ids) => new Set(ids).size === ids.length, {
    error: "must name each area once",
  });

/** An area tag as a caller may spell it for `getByTag` (its key may be longer than the tag). */
export const tagSpelling: z.ZodString = text(40 * KEY_GROWTH, 1);

const scanStatus = z.enum(["pending", "clean", "infected", "failed"], {
  error: 'must be "pending", "clean", "infected" or "failed"',
});

/** Input of files.add. */
export const newFile = z.strictObject({
  areaId: id,
  filename,
  description: text(65_536).default(""),
  uploaderId: id.nullable().default(null),
  size: count,
  sha256: sha256.nullable().default(null),
  uploadedAt: date.optional(),
  diz: text(65_536).default(""),
  storagePath: storagePath.default(""),
  offline: z.boolean({ error: "must be true or false" }).default(false),
  scanStatus: scanStatus.default("clean"),
});

/** Input of files.update. */
export const filePatch = z.strictObject({
  filename: filename.optional(),
  description: text(65_536).optional(),
  sha256: sha256.nullable().optional(),
  diz: text(65_536).optional(),
  storagePath: storagePath.optional(),
  offline: z.boolean({ error: "must be true or false" }).optional(),
  scanStatus: scanStatus.optional(),
});

/** A SHA-256 to look up. */
export const hash = sha256;

const kludge = z.strictObject({
  name: oneLine(text(64, 1)),
  value: text(65_536),
});

/**
 * Whether a message's kludges, names and values together, hold at most {@linkcode KLUDGE_CHARS}
 * characters. Bounded like the body: else 10000 values of 65536 characters pass each entry's
 * bound and fail as a RangeError when the list is serialised (a JavaScript string holds at most
 * about 2^29 characters). Characters are counted only past as many UTF-16 units (never more
 * characters than units).
 */
function kludgesFit(kludges: readonly { name: unknown; value: unknown }[]) {
  return total(kludges, (s) => s.length) <= KLUDGE_CHARS ||
    total(kludges, characters) <= KLUDGE_CHARS;
}

/** The characters all kludges of a message may hold together. */
const KLUDGE_CHARS = 1_048_576;

/** The sum of `size` over the names and values of the kludges that are strings. */
function total(
  kludges: readonly { name: unknown; value: unknown }[],
  size: (s: string) => number,
): number {
  let n = 0;
  for (const { name, value } of kludges) {
    n += (typeof name === "string" ? size(name) : 0) +
      (typeof value === "string" ? size(value) : 0);
  }
  return n;
}

/** Input of messages.post. */
export const newMessage = z.strictObject({
  areaId: id,
  fromUserId: id.nullable().default(null),
  fromName: messageName.optional(),
  toUserId: id.nullable().default(null),
  toName: messageName.optional(),
  subject: text(72),
  body: text(1_048_576),
  parentId: id.nullable().default(null),
  ftnMsgid: ftnId.nullable().default(null),
  ftnReply: ftnId.nullable().default(null),
  kludges: z.array(kludge, { error: "must be an array of { name, value }" })
    .max(10_000, { error: "must have at most 10000 entries" })
    .refine(kludgesFit, {
      error: "must have at most 1048576 characters in all (names and values)",
    }).default([]),
  createdAt: date.optional(),
  private: z.boolean({ error: "must be true or false" }).default(false),
  anonymous: z.boolean({ error: "must be true or false" }).default(false),
  receivedAt: date.nullable().default(null),
  origAddr: ftnAddress.nullable().default(null),
  destAddr: ftnAddress.nullable().default(null),
  imported: z.boolean({ error: "must be true or false" }).default(false),
}).refine((m) => m.fromUserId !== null || m.fromName !== undefined, {
  error: "must be given when fromName is not",
  path: ["fromUserId"],
}).superRefine(localNames);

/** Input of messages.update. */
export const messagePatch = z.strictObject({
  subject: text(72).optional(),
  body: text(1_048_576).optional(),
});

/** A FidoNet MSGID to look up. */
export const msgid = ftnId;

/** Input of sessions.create. */
export const newSession = z.strictObject({
  userId: id,
  ipAddress,
  node: z.union([int(1, 9999), z.literal("auto")], {
    error: 'must be an integer of 1–9999, "auto" or null',
  }).nullable().default(null),
  activity: activity.default(""),
  ttlSeconds: int(1, 400 * 86_400).optional(),
  idleTimeoutSeconds: int(1, 400 * 86_400).optional(),
  maxPerUser: int(1, 9999).optional(),
  onLimit: z.enum(["refuse", "endOldest"], {
    error: 'must be "refuse" or "endOldest"',
  }).optional(),
}).refine((s) => s.onLimit === undefined || s.maxPerUser !== undefined, {
  error:
    "must be given with onLimit: give maxPerUser too, or leave onLimit out",
  path: ["maxPerUser"],
});

/** Options of sessions.endAllForUser. */
export const endAllOptions = z.strictObject({ except: id.optional() })
  .default({});

/** Options of sessions.touch. */
export const touchOptions = z.strictObject({ activity: activity.optional() })
  .default({});

/** Options of files.list. */
export const listFilesOptions = z.strictObject({
  orderBy: z.enum(["uploadedAt", "name", "size", "downloads"], {
    error: 'must be "uploadedAt", "name", "size" or "downloads"',
  }).default("uploadedAt"),
  descending: z.boolean({ error: "must be true or false" }).optional(),
  after: z.string({ error: "must be a string" }).max(2000, {
    error: "must be a cursor from files.page (this is too long for one)",
  }).optional(),
  limit,
  before: id.optional(),
  includeUnavailable: z.boolean({ error: "must be true or false" }).default(
    false,
  ),
}).default({ orderBy: "uploadedAt", limit: 100, includeUnavailable: false });

/** Options of files.page: those of files.list but the id-based `before`. */
export const pageFilesOptions = z.strictObject({
  orderBy: z.enum(["uploadedAt", "name", "size", "downloads"], {
    error: 'must be "uploadedAt", "name", "size" or "downloads"',
  }).default("uploadedAt"),
  descending: z.boolean({ error: "must be true or false" }).optional(),
  after: z.string({ error: "must be a string" }).max(2000, {
    error: "must be a cursor from files.page (this is too long for one)",
  }).optional(),
  limit,
  includeUnavailable: z.boolean({ error: "must be true or false" }).default(
    false,
  ),
}).default({ orderBy: "uploadedAt", limit: 100, includeUnavailable: false });

/** Filter of files.count. */
export const fileFilter = z.strictObject({
  includeUnavailable: z.boolean({ error: "must be true or false" }).default(
    false,
  ),
}).default({ includeUnavailable: false });

/** Options of files.find and files.findPage. */
export const findFilesOptions = z.strictObject({
  pattern: oneLine(text(255, 1)).optional(),
  uploaderId: id.optional(),
  minSize: count.optional(),
  maxSize: count.optional(),
  since: date.optional(),
  until: date.optional(),
  areaIds: z.array(id, { error: "must be an array of file area ids" }).min(1, {
    error:
      "must hold at least one file area id (leave it out to search every area)",
  }).max(1000, { error: "must hold at most 1000 file area ids" }).optional(),
  limit,
  after: z.string({ error: "must be a string" }).max(2000, {
    error: "must be a cursor from files.findPage (this is too long for one)",
  }).optional(),
  includeUnavailable: z.boolean({ error: "must be true or false" }).default(
    false,
  ),
}).default({ limit: 100, includeUnavailable: false });

/** Options of messages.list. */
/**
 * A name to filter messages by (`fromName`, `toName`): any text of 1 to 36 ×
 * {@linkcode KEY_GROWTH} characters, compared by its key as usernames are; a spelling no
 * message's name has simply finds nothing.
 */
const nameFilter = text(36 * KEY_GROWTH, 1);

/** The filters of messages.list and messages.search (see `MessageFilter`). */
const messageFilter = {
  fromName: nameFilter.optional(),
  toName: nameFilter.optional(),
  since: date.optional(),
  until: date.optional(),
};

/** `until` before `since` would find nothing: refused, naming `until`. */
const sinceUntil = {
  check: (o: { since?: Date; until?: Date } | undefined) =>
    o?.since === undefined || o.until === undefined ||
    o.since.getTime() <= o.until.getTime(),
  error: { error: "must not be before since", path: ["until"] },
};

/** Options of messages.list. */
export const listMessagesOptions = z.strictObject({
  after: count.default(0),
  afterNum: count.default(0),
  limit,
  ...messageFilter,
}).refine(sinceUntil.check, sinceUntil.error)
  .default({ after: 0, afterNum: 0, limit: 100 });

/** Options of messages.search. */
export const messageSearchOptions = z.strictObject({
  areaId: id.optional(),
  limit,
  ...messageFilter,
}).refine(sinceUntil.check, sinceUntil.error).default({ limit: 100 });

/** The ids of messages.markExported: at most 1000 message ids (none is allowed). */
export const exportedIds = z.array(id, { error: "must be an array of ids" })
  .max(1000, { error: "must have at most 1000 ids: mark them in batches" });

/** Options of messages.trim: at least one of `keep` and `olderThan`. */
export const trimOptions = z.strictObject({
  keep: count.optional(),
  olderThan: date.optional(),
}).refine((o) => o.keep !== undefined || o.olderThan !== undefined, {
  error:
    "must give keep, olderThan or both: a trim with neither would say nothing to delete",
});

/** Options of mail.listFor. */
export const afterOptions = z.strictObject({ after: count.default(0), limit })
  .default({ after: 0, limit: 100 });

/** Options that are only a limit. */
export const limitOptions = z.strictObject({ limit }).default({ limit: 100 });

/** Input of callers.add. */
export const newLastCaller = z.strictObject({
  userId: id.nullable().default(null),
  username: personName,
  loginAt: date,
});

/** The limit of callers.recent. */
export const callersLimit = int(1, 1000).default(10);

/** A message number to mark read. */
export const msgNum = count;

/** A point in time. */
export const since = date;

/** A pointer to set: any integer, clamped to 0…the area's high-water mark. */
export const pointerNum = delta;

const includeOwn = z.boolean({ error: "must be true or false" }).default(false);

/** Options of reading.readNext. */
export const readNextOptions = z.strictObject({ limit, includeOwn })
  .default({ limit: 100, includeOwn: false });

/** Options of reading.newScan. */
export const newScanOptions = z.strictObject({ includeOwn })
  .default({ includeOwn: false });

/** Options of reading.setPointersByDate. */
export const pointersByDateOptions = z.strictObject({
  areaIds: z.array(id, { error: "must be an array of area ids" }).max(10_000, {
    error: "must hold at most 10000 area ids",
  }).optional(),
}).default({});

/** Options of mail.inbox. */
export const inboxOptions = z.strictObject({
  unreadOnly: z.boolean({ error: "must be true or false" }).default(false),
  after: count.default(0),
  limit,
}).default({ unreadOnly: false, after: 0, limit: 100 });

/** Options of mail.sent. */
export const sentOptions = z.strictObject({ after: count.default(0), limit })
  .default({ after: 0, limit: 100 });

/**
 * A name to find mail by (mail.toName): as a message's toName, up to the
 * {@linkcode IMPORTED_NAME_MAX} characters an imported one may have.
 */
export const toName = oneLine(text(IMPORTED_NAME_MAX, 1));

/** Options of mail.toName. */
export const toNameOptions = z.strictObject({
  areaIds: z.array(id, { error: "must be an array of area ids" }).max(1000, {
    error: "must hold at most 1000 area ids",
  }).optional(),
  after: count.default(0),
  limit,
}).default({ after: 0, limit: 100 });

/** Whether an area is in a user's new-scan. */
export const scanned = z.boolean({ error: "must be true or false" });

/** Options of messages.search and files.search. */
export const searchOptions = z.strictObject({ areaId: id.optional(), limit })
  .default({ limit: 100 });

/**
 * A search query: any text, at most 1000 characters and {@linkcode MAX_WORDS} words (phrases'
 * words included), none longer than {@linkcode MAX_WORD_BYTES} bytes of UTF-8, with something
 * besides spaces.
 */
export const query = text(1000).refine((s) => s.trim() !== "", {
  error: "must not be blank",
}).refine((s) => countWords(s) <= MAX_WORDS, {
  error: `must have at most ${MAX_WORDS} words (phrases' words included)`,
}).refine((s) => longestWordBytes(s) <= MAX_WORD_BYTES, {
  error:
    `must have no word longer than ${MAX_WORD_BYTES} bytes (counted in UTF-8, as written and in lower case; phrases' words included): shorten or leave out the longest word`,
});

/** A session token as handed out: 43 base64url characters (256 bits). */
export const token = z.string({ error: "must be a string" });

/**
 * A spelling to find a user by: any text of 1 to 30 × {@linkcode KEY_GROWTH} characters, not
 * only the spellings that are valid names themselves, as a lookup must find a holder by every
 * spelling whose key equals theirs (U+FDFA written out is 18 characters; `¨` is a symbol, its
 * key starts with a space). No spelling is longer: every code point of a spelling becomes at
 * least one code point of its key's full decomposition (folding and decomposing never drop one),
 * and a 30-character name's key decomposes to at most 30 × 18. A spelling that is no valid name
 * is simply not found.
 */
export const usernameSpelling: z.ZodString = text(30 * KEY_GROWTH, 1);

/** A setting's key: 1–64 characters (code points), any but NUL, well-formed Unicode. */
export const settingKey: z.ZodString = text(64, 1);

/** A key prefix of settings.list: up to 64 characters; none lists every setting. */
export const settingPrefix = text(64).optional();

/** A setting's value: a storable JSON value (`json_value.ts`) other than `null`. */
export const settingValue = jsonValue.refine((v) => v !== null, {
  error:
    "must not be null: remove the setting with settings.delete(key) instead",
});

/** How much settings.increment adds: a finite number, 1 by default. */
export const incrementBy = z.number({ error: "must be a number" })
  .refine((n) => Number.isFinite(n), { error: "must be a finite number" })
  .default(1);

/** An event kind: dotted lower-case words (letters, digits, `_`, each word starting with a letter). */
export const eventKind = z.string({ error: "must be a string" })
  .max(64, { error: "must have 1–64 characters" })
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/, {
    error:
      'must be dotted lower-case words like "login" or "file.upload" (a–z, 0–9 and _, each word starting with a letter)',
  });

/** Input of events.append. */
export const newEvent = z.strictObject({
  kind: eventKind,
  userId: id.nullable().default(null),
  sessionId: id.nullable().default(null),
  data: jsonValue.optional().transform((v) => v ?? null),
});

const eventFilterShape = {
  kind: eventKind.optional(),
  userId: id.optional(),
  after: date.optional(),
  before: date.optional(),
};

/** The filter of events.count. */
export const eventFilter = z.strictObject(eventFilterShape).default({});

/** Options of events.list. */
export const listEventsOptions = z.strictObject({ ...eventFilterShape, limit })
  .default({ limit: 100 });

/** Options of events.top. */
export const topEventsOptions = z.strictObject({
  kind: eventKind,
  after: date.optional(),
  limit: int(1, 1000).default(10),
});

/** Options of events.prune: at least one of `olderThan` and `keep`. */
export const pruneEventsOptions = z.strictObject({
  olderThan: date.optional(),
  keep: count.optional(),
}).refine((o) => o.olderThan !== undefined || o.keep !== undefined, {
  error:
    "must give olderThan, keep or both: pruning with neither would remove every event",
});
