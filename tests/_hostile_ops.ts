/**
 * Every operation of the Storage contract as the hostile-input test calls it: valid arguments on
 * a small seeded board (into which the test injects hostile values), a check that a success
 * stored exactly what was given, and a clean-up so that the next call starts alike. The table
 * is typed by `OperationName`, so an operation added to the contract does not compile until
 * it has a case here.
 *
 * @module
 */
import assert from "node:assert/strict";
import type {
  FileArea,
  FileEntry,
  LogEvent,
  Message,
  MessageArea,
  Repositories,
  Session,
  Setting,
  User,
} from "../src/storage.ts";
import * as S from "../src/schemas.ts";
import * as SU from "../src/schemas_users.ts";
import { incrementOptions } from "../src/ops/counters.ts";
import { z as zod } from "zod";
import { nameKey } from "./_model.ts";
import type { OperationName } from "../src/ops/mod.ts";

/** The seeded board every call runs on. */
export interface Board {
  /** The storage. */
  s: Repositories;
  /** A user the calls act as. */
  a: User;
  /** A user the calls change. */
  b: User;
  /** A message area with one message. */
  area: MessageArea;
  /** A file area with one file. */
  fileArea: FileArea;
  /** The message. */
  message: Message;
  /** The file. */
  file: FileEntry;
  /** A live session of `a`. */
  session: Session;
  /** Its token. */
  token: string;
  /** A number not used before, for unique names. */
  next(): number;
}

/** How one operation is called. */
export interface OpCase {
  /**
   * Whether the call deletes or ends the record its first argument names. A small id there
   * could name a record of the board the other calls rely on, so the test gives it only ids
   * that name nothing (deleting by id is the model test's business).
   */
  destroys?: boolean;
  /** Whether `args` writes (a user made for the call): what a failed call must leave is read after it. */
  argsWrite?: boolean;
  /** Valid arguments (building any record the call consumes, like a user to delete). */
  args(b: Board): unknown[] | Promise<unknown[]>;
  /** The schema of each object argument: the test proves every field of it is exercised. */
  schemas?: Record<number, zod.ZodType>;
  /** Checks a successful call's result against what was given. */
  verify?(b: Board, args: unknown[], result: unknown): void | Promise<void>;
  /** Removes what the call (successful or not) left behind. */
  cleanup?(b: Board, args: unknown[], result: unknown): Promise<void>;
}

/**
 * Asserts that every field given in `input` is stored as given: the same string, the same
 * number (`-0` reads back as `0`), the same time, the same structure. Flags and hashes are
 * stored in their documented normal forms.
 */
export function assertStored(input: unknown, stored: unknown, what: string) {
  const given = input as Record<string, unknown>;
  const record = stored as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in record) || given[key] === undefined) continue;
    if (key === "access") {
      // Access settings are a partial object: each one given is stored, flags normalised.
      const access = given[key] as Record<string, unknown>;
      const stored = record[key] as Record<string, unknown>;
      for (const [setting, value] of Object.entries(access)) {
        if (value === undefined) continue;
        const expected = /Flags$/.test(setting)
          ? [...new Set(value as string)].sort().join("")
          : value;
        assert.deepStrictEqual(
          stored[setting],
          expected,
          `${what}: access.${setting} is stored exactly`,
        );
      }
      continue;
    }
    let expected = given[key], actual = record[key];
    if (key === "flags") {
      expected = [...new Set(expected as string)].sort().join("");
    }
    if (key === "sha256" && typeof expected === "string") {
      expected = expected.toLowerCase();
    }
    // Through the intrinsic: a Date given may override getTime (the corpus has such).
    expected = timeOf(expected) ?? expected;
    actual = timeOf(actual) ?? actual;
    if (typeof expected === "number") {
      assert.ok(
        actual === expected,
        `${what}: ${key} stored as ${actual}, given ${expected}`,
      );
    } else {
      assert.deepStrictEqual(
        actual,
        expected,
        `${what}: ${key} is stored exactly`,
      );
    }
  }
}

/** A real Date's time, read through `Date.prototype`; `undefined` for anything else. */
export function timeOf(value: unknown): number | undefined {
  try {
    return Date.prototype.getTime.call(value);
  } catch {
    return undefined;
  }
}

/** Names for `users.incrementCounter`'s counters, one per call. */
let counterNames = 0;

const input = (args: unknown[], i = 0) => args[i] as Record<string, unknown>;
const gone = async (work: Promise<unknown>): Promise<void> => {
  await work.catch(() => {});
};
/** The id of a record a call returned, if it returned one. */
const idOf = (r: unknown) => (r as { id?: number } | undefined)?.id ?? 0;

async function victimUser(b: Board): Promise<number> {
  return (await b.s.users.create({
    username: `victim${b.next()}`,
    passwordHash: "h",
  })).id;
}

async function victimMessage(b: Board): Promise<number> {
  return (await b.s.messages.post({
    areaId: b.area.id,
    fromName: "Victim",
    subject: "victim",
    body: "to be deleted",
  })).id;
}

async function victimFile(b: Board): Promise<number> {
  return (await b.s.files.add({
    areaId: b.fileArea.id,
    filename: `victim${b.next()}.zip`,
    size: 1,
  }))
    .id;
}

async function victimSession(b: Board): Promise<number> {
  return (await b.s.sessions.create({ userId: b.a.id, ipAddress: "10.0.0.1" }))
    .session.id;
}

/** Reads a user back and checks the fields given. */
const userStored = async (
  b: Board,
  args: unknown[],
  result: unknown,
  i = 0,
) => {
  const user = result as User;
  assert.deepStrictEqual(await b.s.users.get(user.id), user);
  assertStored(input(args, i), user, "user");
};

/** Every access setting, not the defaults (flags in their stored form). */
const ACCESS = {
  readLevel: 10,
  writeLevel: 20,
  readFlags: "A",
  writeFlags: "BC",
  hidden: true,
  sysopLevel: 200,
};

/** Every setting of a message area but its tag, name, kind and echo tag. */
const MESSAGE_AREA_SETTINGS = {
  description: "An area's description",
  position: 7,
  conference: "FidoNet",
  maxMessages: 500,
  maxAgeDays: 90,
  origin: "The Hostile BBS",
  anonymous: "allowed",
  access: ACCESS,
} as const;

/** Every setting of a file area but its tag and name. */
const FILE_AREA_SETTINGS = {
  description: "A file area's description",
  position: 3,
  storagePath: "/srv/files",
  maxFileSize: 1_000_000,
  uploadsAllowed: false,
  access: ACCESS,
} as const;

/** Every operation, with its valid arguments. */
export const OPS: Record<OperationName, OpCase> = {
  "users.create": {
    args: (b) => [{
      username: `user${b.next()}`,
      passwordHash: "$scrypt$x",
      securityLevel: 20,
      realName: "Real Name",
      location: "Somewhere",
      note: "A note",
      flags: "BA",
      status: "unvalidated",
      statusReason: null,
      lockedUntil: null,
      createdAt: new Date(1_000),
    }],
    schemas: { 0: S.newUser },
    verify: (b, args, r) => userStored(b, args, r),
    cleanup: (b, _, r) => gone(b.s.users.delete(idOf(r))),
  },
  "users.get": {
    args: (b) => [b.a.id],
    verify: (_, [id], r) => assert.ok(r === null || (r as User).id === id),
  },
  "users.findByUsername": {
    args: (b) => [b.a.username],
    verify: (_, [name], r) =>
      assert.ok(
        r === null ||
          nameKey((r as User).username) === nameKey(name as string),
        `users.findByUsername(${JSON.stringify(name)}) found ${
          (r as User)?.username
        }`,
      ),
  },
  "users.update": {
    args: (b) => [b.b.id, {
      username: `renamed${b.next()}`,
      passwordHash: "$scrypt$y",
      securityLevel: 30,
      realName: "New Name",
      location: "Elsewhere",
      note: "Another note",
      flags: "C",
      status: "locked",
      statusReason: "Spamming",
      lockedUntil: new Date(Date.now() + 3_600_000),
      lastLoginAt: new Date(2_000),
    }],
    schemas: { 1: S.userPatch },
    verify: (b, args, r) => userStored(b, args, r, 1),
  },
  "users.delete": {
    destroys: true,
    args: async (b) => [await victimUser(b)],
    verify: async (b, [id]) =>
      assert.equal(await b.s.users.get(id as number), null),
    cleanup: (b, [id]) => gone(b.s.users.delete(id as number)),
  },
  "users.incrementStats": {
    args: (b) => [b.a.id, {
      logins: 1,
      posts: 0,
      uploads: 0,
      downloads: 0,
      uploadBytes: 0,
      downloadBytes: 0,
    }],
    schemas: { 1: S.statsDelta },
    verify: async (b, _, r) =>
      assert.deepStrictEqual(await b.s.users.get(b.a.id), r),
  },
  "users.recordLogin": { args: (b) => [b.a.id] },
  "users.list": {
    args: async (b) => {
      // The defaults' order, so that leaving orderBy or descending out keeps the cursor good.
      const first = await b.s.users.list({ limit: 1 });
      return [{
        query: "",
        status: "active",
        minLevel: 0,
        orderBy: "username",
        descending: false,
        after: first.next ?? undefined,
        limit: 10,
      }];
    },
    schemas: { 0: SU.listUsersOptions },
  },
  "users.count": {
    args: () => [{ query: "al", status: "active", minLevel: 0 }],
    schemas: { 0: SU.userFilter },
  },
  "users.recordFailedLogin": {
    // A lock (a hostile maxAttempts of 1) outlasts the run: one that ended mid-run would change
    // what the failed calls after it are compared by (users.get reads an ended lock as none).
    args: (b) => [b.a.id, { maxAttempts: 1000, lockForSeconds: 86_400 }],
    schemas: { 1: SU.failedLoginOptions },
  },
  "users.getProps": { args: (b) => [b.a.id] },
  "users.setProps": {
    args: (b) => [b.a.id, { email: "alice@example.org" }],
    // Any key may be given; this one stands for them.
    schemas: { 1: zod.strictObject({ email: zod.unknown() }) },
    verify: async (b, [id, patch], r) => {
      assert.deepStrictEqual(await b.s.users.getProps(id as number), r);
      for (const [key, value] of Object.entries(patch as object)) {
        const stored = (r as Record<string, unknown>)[key];
        if (value === null) {
          assert.equal(Object.hasOwn(r as object, key), false);
        } else {assert.deepStrictEqual(
            stored,
            JSON.parse(JSON.stringify(value)),
          );}
      }
    },
    cleanup: async (b, [id]) => {
      const props = await b.s.users.getProps(id as number).catch(() => ({}));
      const removal = Object.fromEntries(
        Object.keys(props).map((k) => [k, null]),
      );
      await b.s.users.setProps(id as number, removal).catch(() => {});
    },
  },
  "users.findByProp": { args: () => ["email", "alice@example.org"] },
  "users.incrementCounter": {
    // A new counter each time: a variant of the options may make it daily or lasting.
    args: (b) => [b.a.id, `door.${++counterNames}`, 1, { daily: false }],
    schemas: { 3: incrementOptions },
  },
  "users.counters": { args: (b) => [b.a.id] },
  "users.logins": {
    args: (b) => [b.a.id, { before: new Date(), limit: 10 }],
    schemas: { 1: SU.loginsOptions },
  },
  "callers.recent": { args: () => [10] },
  "callers.add": {
    args: (
      b,
    ) => [{ userId: b.a.id, username: "Old Caller", loginAt: new Date(3_000) }],
    schemas: { 0: S.newLastCaller },
    verify: async (b, args, r) => {
      assertStored(input(args), r, "last caller");
      const callers = await b.s.callers.recent(1000);
      assert.ok(
        callers.some((c) =>
          c.username === (r as { username: string }).username
        ),
      );
    },
  },

  "messageAreas.create": {
    args: (
      b,
    ) => [{
      tag: `AREA${b.next()}`,
      name: "An area",
      kind: "echomail",
      echoTag: "ECHO",
      ...MESSAGE_AREA_SETTINGS,
    }],
    schemas: { 0: S.newMessageArea },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(
        await b.s.messageAreas.get((r as MessageArea).id),
        r,
      );
      assertStored(input(args), r, "message area");
    },
  },
  "messageAreas.get": { args: (b) => [b.area.id] },
  "messageAreas.getByTag": {
    args: (b) => [b.area.tag],
    verify: (_, [tag], r) =>
      assert.ok(
        r === null ||
          nameKey((r as MessageArea).tag) === nameKey(tag as string),
      ),
  },
  "messageAreas.list": { args: () => [] },
  "messageAreas.update": {
    args: (b) => [b.area.id, {
      tag: `RENAMED${b.next()}`,
      name: "Renamed",
      kind: "echomail",
      echoTag: "RENAMED",
      ...MESSAGE_AREA_SETTINGS,
    }],
    schemas: { 1: S.messageAreaPatch },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(
        await b.s.messageAreas.get((r as MessageArea).id),
        r,
      );
      assertStored(input(args, 1), r, "message area");
    },
  },
  "messageAreas.delete": {
    destroys: true,
    args: async (b) => [
      (await b.s.messageAreas.create({ tag: `GONE${b.next()}`, name: "G" }))
        .id,
      { moveTo: b.area.id },
    ],
    schemas: { 1: S.deleteAreaOptions },
    verify: async (b, [id]) =>
      assert.equal(await b.s.messageAreas.get(id as number), null),
    cleanup: (b, [id]) => gone(b.s.messageAreas.delete(id as number)),
  },
  "messageAreas.reorder": {
    args: async (b) => [(await b.s.messageAreas.list()).map((a) => a.id)],
  },
  "fileAreas.create": {
    args: (b) => [{
      tag: `FILES${b.next()}`,
      name: "A file area",
      ...FILE_AREA_SETTINGS,
    }],
    schemas: { 0: S.newFileArea },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(await b.s.fileAreas.get((r as FileArea).id), r);
      assertStored(input(args), r, "file area");
    },
  },
  "fileAreas.get": { args: (b) => [b.fileArea.id] },
  "fileAreas.getByTag": {
    args: (b) => [b.fileArea.tag],
    verify: (_, [tag], r) =>
      assert.ok(
        r === null || nameKey((r as FileArea).tag) === nameKey(tag as string),
      ),
  },
  "fileAreas.list": { args: () => [] },
  "fileAreas.update": {
    args: (b) => [b.fileArea.id, {
      tag: `RENAMED${b.next()}`,
      name: "Renamed",
      ...FILE_AREA_SETTINGS,
    }],
    schemas: { 1: S.fileAreaPatch },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(await b.s.fileAreas.get((r as FileArea).id), r);
      assertStored(input(args, 1), r, "file area");
    },
  },
  "fileAreas.delete": {
    destroys: true,
    args: async (b) => [
      (await b.s.fileAreas.create({ tag: `GONE${b.next()}`, name: "G" })).id,
      { moveTo: b.fileArea.id },
    ],
    schemas: { 1: S.deleteAreaOptions },
    verify: async (b, [id]) =>
      assert.equal(await b.s.fileAreas.get(id as number), null),
    cleanup: (b, [id]) => gone(b.s.fileAreas.delete(id as number)),
  },
  "fileAreas.reorder": {
    args: async (b) => [(await b.s.fileAreas.list()).map((a) => a.id)],
  },

  "messages.post": {
    args: (b) => [{
      areaId: b.area.id,
      fromUserId: b.a.id,
      fromName: "Sender",
      toUserId: b.b.id,
      toName: "Receiver",
      subject: "Subject",
      body: "Body",
      parentId: b.message.id,
      ftnMsgid: `2:280/464 ${b.next()}`,
      ftnReply: "2:280/464 999999",
      kludges: [{ name: "PID", value: "Hostile 1" }],
      createdAt: new Date(4_000),
      private: true,
      anonymous: true,
      receivedAt: new Date(5_000),
      origAddr: "2:280/464.1",
      destAddr: "1:2/3",
      imported: true,
    }],
    schemas: { 0: S.newMessage },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(await b.s.messages.get((r as Message).id), r);
      assertStored(input(args), r, "message");
    },
    cleanup: (b, _, r) => gone(b.s.messages.delete(idOf(r))),
  },
  "messages.get": { args: (b) => [b.message.id] },
  "messages.list": {
    args: (b) => [b.area.id, {
      after: 0,
      afterNum: 0,
      limit: 10,
      fromName: "Sender",
      toName: "Receiver",
      since: new Date(0),
      // The latest Date: no since the hostile values give can pass it (which would be
      // refused naming until, conformance messages).
      until: new Date(8.64e15),
    }],
    schemas: { 1: S.listMessagesOptions },
  },
  "messages.getByNum": { args: (b) => [b.area.id, b.message.msgNum] },
  "messages.listUnexported": {
    args: (b) => [b.area.id, { limit: 10 }],
    schemas: { 1: S.limitOptions },
  },
  "messages.markExported": { args: (b) => [[b.message.id]] },
  "messages.update": {
    args: (b) => [b.message.id, { subject: "Edited", body: "Edited body" }],
    schemas: { 1: S.messagePatch },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(await b.s.messages.get(b.message.id), r);
      assertStored(input(args, 1), r, "message");
    },
    cleanup: (b) =>
      gone(
        b.s.messages.update(b.message.id, {
          subject: b.message.subject,
          body: b.message.body,
        }),
      ),
  },
  "messages.delete": {
    destroys: true,
    args: async (b) => [await victimMessage(b)],
    verify: async (b, [id]) =>
      assert.equal(await b.s.messages.get(id as number), null),
    cleanup: (b, [id]) => gone(b.s.messages.delete(id as number)),
  },
  "messages.thread": { args: (b) => [b.message.id] },
  "messages.trim": {
    // An area of its own with one message (created now), so no trim takes the board's.
    destroys: true,
    argsWrite: true,
    args: async (b) => {
      const area = await b.s.messageAreas.create({
        tag: `TRIM${b.next()}`,
        name: "Trim",
      });
      await b.s.messages.post({
        areaId: area.id,
        fromUserId: b.a.id,
        subject: "s",
        body: "b",
      });
      return [area.id, { keep: 1, olderThan: new Date(1_000) }];
    },
    schemas: { 1: S.trimOptions },
    // The area held one message: what went is what is no longer there.
    verify: async (b, [areaId], r) => {
      const left = await b.s.messages.list(areaId as number);
      assert.ok(r === 0 || r === 1, `trimmed ${r}`);
      assert.equal(left.length, 1 - (r as number));
    },
  },
  "messages.trimAll": { args: () => [] },
  "mail.listFor": {
    args: (b) => [b.b.id, { after: 0, limit: 10 }],
    schemas: { 1: S.afterOptions },
  },
  "mail.inbox": {
    args: (b) => [b.b.id, { unreadOnly: false, after: 0, limit: 10 }],
    schemas: { 1: S.inboxOptions },
  },
  "mail.sent": {
    args: (b) => [b.a.id, { after: 0, limit: 10 }],
    schemas: { 1: S.sentOptions },
  },
  "mail.unreadCount": { args: (b) => [b.b.id] },
  "mail.markReceived": { args: (b) => [b.message.id, b.b.id] },
  "mail.toName": {
    args: (b) => ["Receiver", { areaIds: [b.area.id], after: 0, limit: 10 }],
    schemas: { 1: S.toNameOptions },
  },
  "messages.findByMsgid": {
    args: (b) => [b.area.id, b.message.ftnMsgid],
    verify: (_, [areaId, msgid], r) =>
      assert.ok(
        r === null ||
          ((r as Message).ftnMsgid === msgid &&
            (r as Message).areaId === areaId),
      ),
  },
  "reading.markRead": { args: (b) => [b.a.id, b.area.id, 1] },
  "reading.pointer": { args: (b) => [b.a.id, b.area.id] },
  "reading.setPointer": { args: (b) => [b.a.id, b.area.id, 1] },
  "reading.setPointersByDate": {
    args: (b) => [b.a.id, new Date(5_000), { areaIds: [b.area.id] }],
    schemas: { 2: S.pointersByDateOptions },
  },
  "reading.setScanned": { args: (b) => [b.a.id, b.area.id, true] },
  "reading.newScan": {
    args: (b) => [b.a.id, { includeOwn: true }],
    schemas: { 1: S.newScanOptions },
  },
  "reading.readNext": {
    args: (b) => [b.a.id, b.area.id, { limit: 10, includeOwn: true }],
    schemas: { 2: S.readNextOptions },
  },
  "messages.search": {
    args: (b) => ["hostile", {
      areaId: b.area.id,
      limit: 10,
      fromName: "Sender",
      toName: "Receiver",
      since: new Date(0),
      // The latest Date: no since the hostile values give can pass it (which would be
      // refused naming until, conformance messages).
      until: new Date(8.64e15),
    }],
    schemas: { 1: S.messageSearchOptions },
  },

  "files.add": {
    args: (b) => [{
      areaId: b.fileArea.id,
      filename: `file${b.next()}.zip`,
      description: "A file",
      uploaderId: b.a.id,
      size: 10,
      sha256: "Cd".repeat(32),
      uploadedAt: new Date(5_000),
      diz: "FILE_ID.DIZ",
      storagePath: "/srv/files/file.zip",
      offline: true,
      scanStatus: "pending",
    }],
    schemas: { 0: S.newFile },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(await b.s.files.get((r as FileEntry).id), r);
      assertStored(input(args), r, "file");
    },
    cleanup: (b, _, r) => gone(b.s.files.delete(idOf(r))),
  },
  "files.get": { args: (b) => [b.file.id] },
  "files.list": {
    // `after` and `before` exclude each other: `after` is there, undefined, for the fuzzing.
    args: (b) => [b.fileArea.id, {
      orderBy: "uploadedAt",
      descending: true,
      includeUnavailable: true,
      limit: 10,
      before: b.file.id,
      after: undefined,
    }],
    schemas: { 1: S.listFilesOptions },
  },
  "files.page": {
    args: async (b) => [b.fileArea.id, {
      orderBy: "size",
      descending: false,
      includeUnavailable: true,
      limit: 10,
      after: (await b.s.files.page(b.fileArea.id, {
        orderBy: "size",
        includeUnavailable: true,
        limit: 1,
      })).next ?? undefined,
    }],
    schemas: { 1: S.pageFilesOptions },
  },
  "files.count": {
    args: (b) => [b.fileArea.id, { includeUnavailable: true }],
    schemas: { 1: S.fileFilter },
  },
  "files.find": { args: findArgs, schemas: { 0: S.findFilesOptions } },
  "files.findPage": { args: findArgs, schemas: { 0: S.findFilesOptions } },
  "files.move": { args: (b) => [b.file.id, b.fileArea.id] },
  "fileAreas.stats": { args: () => [] },
  "files.listNew": {
    args: () => [new Date(0), { limit: 10 }],
    schemas: { 1: S.limitOptions },
  },
  "files.findByHash": {
    args: () => ["ab".repeat(32)],
    verify: (_, [hash], r) =>
      assert.ok(
        (r as FileEntry[]).every((f) =>
          f.sha256 === (hash as string).toLowerCase()
        ),
      ),
  },
  "files.recordDownload": { args: (b) => [b.file.id, b.a.id] },
  "files.update": {
    args: (b) => [b.file.id, {
      filename: `renamed${b.next()}.zip`,
      description: "Renamed",
      sha256: "ab".repeat(32),
      diz: "Renamed DIZ",
      storagePath: "/srv/files/renamed.zip",
      offline: false,
      scanStatus: "clean",
    }],
    schemas: { 1: S.filePatch },
    verify: async (b, args, r) => {
      assert.deepStrictEqual(await b.s.files.get(b.file.id), r);
      assertStored(input(args, 1), r, "file");
    },
    cleanup: (b) =>
      gone(
        b.s.files.update(b.file.id, {
          filename: b.file.filename,
          description: b.file.description,
        }),
      ),
  },
  "files.delete": {
    destroys: true,
    args: async (b) => [await victimFile(b)],
    verify: async (b, [id]) =>
      assert.equal(await b.s.files.get(id as number), null),
    cleanup: (b, [id]) => gone(b.s.files.delete(id as number)),
  },
  "files.search": {
    args: (b) => ["hostile", { areaId: b.fileArea.id, limit: 10 }],
    schemas: { 1: S.searchOptions },
  },

  "sessions.create": {
    // A user of its own: a hostile maxPerUser with onLimit "endOldest" ends its oldest sessions.
    argsWrite: true,
    args: async (b) => [{
      userId: await victimUser(b),
      ipAddress: "192.0.2.1",
      node: 7,
      activity: "Logging in",
      ttlSeconds: 3600,
      idleTimeoutSeconds: 600,
      maxPerUser: 100,
      onLimit: "endOldest",
    }],
    schemas: { 0: S.newSession },
    verify: async (b, args, r) => {
      const { session, token } = r as { session: Session; token: string };
      assert.deepStrictEqual(await b.s.sessions.getByToken(token), session);
      assertStored(input(args), session, "session");
      const ttl = input(args).ttlSeconds;
      if (typeof ttl === "number") {
        assert.equal(
          session.expiresAt!.getTime() - session.loginAt.getTime(),
          ttl * 1000,
        );
      }
    },
    cleanup: (b, _, r) =>
      gone(
        b.s.sessions.delete(
          idOf((r as { session?: Session } | undefined)?.session),
        ),
      ),
  },
  "sessions.getByToken": {
    args: (b) => [b.token],
    verify: (b, [token], r) =>
      assert.ok(
        r === null || (token === b.token && (r as Session).id === b.session.id),
      ),
  },
  "sessions.touch": {
    args: (b) => [b.session.id, { activity: "Reading" }],
    schemas: { 1: S.touchOptions },
    verify: async (b, args) => {
      const activity = input(args, 1)?.activity;
      const live = await b.s.sessions.getByToken(b.token);
      if (typeof activity === "string") assert.equal(live?.activity, activity);
    },
  },
  "sessions.end": {
    destroys: true,
    args: async (b) => [await victimSession(b)],
    cleanup: (b, [id]) => gone(b.s.sessions.delete(id as number)),
  },
  "sessions.delete": {
    destroys: true,
    args: async (b) => [await victimSession(b)],
    cleanup: (b, [id]) => gone(b.s.sessions.delete(id as number)),
  },
  "sessions.listOnline": { args: () => [] },
  "sessions.purgeExpired": { args: () => [] },
  "sessions.listForUser": {
    args: (b) => [b.a.id],
    // Another user's id (a hostile number naming one) lists that user's live sessions only.
    verify: (b, [id], r) =>
      assert.ok(
        (r as Session[]).every((x) => x.userId === id && x.endedAt === null) &&
          (id !== b.a.id ||
            (r as Session[]).some((x) => x.id === b.session.id)),
      ),
  },
  "sessions.endAllForUser": {
    destroys: true,
    args: async (b) => {
      const user = await victimUser(b);
      const kept = await b.s.sessions.create({
        userId: user,
        ipAddress: "::1",
      });
      await b.s.sessions.create({ userId: user, ipAddress: "::1" });
      return [user, { except: kept.session.id }];
    },
    schemas: { 1: S.endAllOptions },
    verify: async (b, [user, options], r) => {
      // Of the user's two sessions, each but `except` ended (a hostile except naming another
      // session, or no except at all, ends both).
      const kept = (options as { except?: unknown } | null)?.except;
      const left = await b.s.sessions.listForUser(user as number);
      assert.ok(left.every((x) => x.id === kept));
      assert.equal((r as number) + left.length, 2);
    },
    cleanup: (b, [id]) => gone(b.s.users.delete(id as number)),
  },
  "settings.get": { args: () => ["board.name"] },
  "settings.set": {
    args:
      () => ["board.name", { name: "The Board", nodes: [1, 2.5, true, null] }],
    // A value may hold any key; these stand for them.
    schemas: {
      1: zod.strictObject({ name: zod.unknown(), nodes: zod.unknown() }),
    },
    verify: async (b, [key, value], r) => {
      // As JSON has it: a null-prototype object reads back as a plain one.
      const json = JSON.parse(JSON.stringify(value));
      assert.deepStrictEqual((r as Setting).value, json);
      assert.deepStrictEqual(await b.s.settings.get(key as string), json);
    },
    cleanup: (b, [key]) =>
      gone(
        typeof key === "string" ? b.s.settings.delete(key) : Promise.resolve(),
      ),
  },
  "settings.delete": { args: () => ["board.gone"] },
  "settings.list": { args: () => ["board."] },
  "settings.increment": {
    args: () => ["stats.calls", 3],
    verify: async (b, [key], r) =>
      assert.equal(await b.s.settings.get(key as string), r),
    cleanup: (b) => gone(b.s.settings.delete("stats.calls")),
  },
  "events.append": {
    args: (b) => [{
      kind: "file.upload",
      userId: b.a.id,
      sessionId: b.session.id,
      data: { file: "DOOM.ZIP", size: 1 },
    }],
    schemas: { 0: S.newEvent },
    verify: async (b, args, r) => {
      const event = r as LogEvent;
      const { data, ...rest } = input(args);
      assertStored(rest, event, "event");
      // As JSON has it: a null-prototype object reads back as a plain one.
      assert.deepStrictEqual(
        event.data,
        data === undefined ? null : JSON.parse(JSON.stringify(data)),
      );
      assert.deepStrictEqual(
        (await b.s.events.list({ limit: 1 }))[0],
        event,
      );
    },
  },
  "events.list": {
    args: (b) => [{
      kind: "file.upload",
      userId: b.a.id,
      after: new Date(0),
      before: new Date(4_000_000_000_000),
      limit: 5,
    }],
    schemas: { 0: S.listEventsOptions },
  },
  "events.count": {
    args: (b) => [{
      kind: "login",
      userId: b.a.id,
      after: new Date(0),
      before: new Date(4_000_000_000_000),
    }],
    schemas: { 0: S.eventFilter },
  },
  "events.top": {
    args: () => [{ kind: "login", after: new Date(0), limit: 3 }],
    schemas: { 0: S.topEventsOptions },
  },
  "events.prune": {
    args: () => [{ olderThan: new Date(1_000), keep: 100 }],
    schemas: { 0: S.pruneEventsOptions },
  },
};

/**
 * Seeds the board: two users, an area with a message, a file area with a file, a session.
 *
 * @param s The storage.
 * @returns The board.
 */
export async function seedBoard(s: Repositories): Promise<Board> {
  let n = 0;
  const a = await s.users.create({ username: "alice", passwordHash: "h" });
  const b = await s.users.create({ username: "bob", passwordHash: "h" });
  const area = await s.messageAreas.create({
    tag: "GENERAL",
    name: "General",
    anonymous: "allowed",
  });
  const fileArea = await s.fileAreas.create({
    tag: "UPLOADS",
    name: "Uploads",
  });
  const message = await s.messages.post({
    areaId: area.id,
    fromUserId: a.id,
    toUserId: b.id,
    subject: "hostile hello",
    body: "the first message",
    ftnMsgid: "2:280/464 1",
  });
  const file = await s.files.add({
    areaId: fileArea.id,
    filename: "HOSTILE.ZIP",
    description: "hostile file",
    size: 100,
    sha256: "ab".repeat(32),
  });
  const { session, token } = await s.sessions.create({
    userId: a.id,
    ipAddress: "127.0.0.1",
  });
  return {
    s,
    a,
    b,
    area,
    fileArea,
    message,
    file,
    session,
    token,
    next: () => ++n,
  };
}

/** Every option of files.find, the cursor of the same search's first page among them. */
async function findArgs(b: Board): Promise<unknown[]> {
  const search = {
    pattern: "*",
    uploaderId: b.a.id,
    minSize: 0,
    maxSize: 1_000_000,
    since: new Date(0),
    until: new Date(Date.UTC(2100, 0)),
    areaIds: [b.fileArea.id],
    includeUnavailable: true,
  };
  const first = await b.s.files.findPage({ ...search, limit: 1 });
  return [{ ...search, limit: 10, after: first.next ?? undefined }];
}
