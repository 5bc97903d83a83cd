/**
 * What the sample install lacks, in a small install built byte by byte: replies and threads,
 * dates from 2000 on, anonymous, private and deleted messages, deleted, duplicate and
 * locked-out (banned) users, long descriptions, odd files; imported on every target.
 */
import assert from "node:assert/strict";
import { type Storage, verifyPassword } from "../mod.ts";
import {
  area,
  BaseBuilder,
  board,
  Bytes,
  concat,
  lastCaller,
  listing,
  status,
  user,
  verbose,
  writeInstall,
} from "../src/import/impulse71/_builders_test.ts";
import { encodeCp437 } from "../src/import/impulse71/cp437.ts";
import {
  importImpulse71,
  type Impulse71ImportReport,
} from "../src/import/mod.ts";
import { FAST, importTest } from "./_impulse71.ts";

const SYSOP = { number: 1, name: "SYSOP" };
const CARLA = { number: 2, name: "CARLA" };
const ALL = { number: 0, name: "" };

/** Writes `text` as a `string[max]` at `offset` of a record. */
function str(record: Uint8Array, offset: number, max: number, text: string) {
  const bytes = encodeCp437(text);
  record[offset] = bytes.length;
  record.set(bytes.subarray(0, max), offset + 1);
  return record;
}

/** USER.LST: scratch, SYSOP, CARLA, a deleted user, a second CARLA, a locked user with counters. */
function users(): Uint8Array {
  const carla = user({
    name: "CARLA",
    password: "Pa55",
    firstOn: "02/03/01",
    laston: "05/07/03",
  });
  str(carla, 37, 36, "\x034Carla\x13");
  const locked = user({
    name: "LOCKED",
    firstOn: "33/33/33",
    laston: "12/31/99",
  });
  const view = new DataView(locked.buffer);
  locked[366] = 1; // lockedout
  locked[782] = 50; // sl
  locked.set([0x02, 0, 0, 0x04], 383); // AR flags A and Z
  for (const [offset, value] of [[763, 7], [767, 3], [759, 2], [761, 1]]) {
    view.setInt16(offset!, value!, true);
  }
  view.setInt32(747, 10, true);
  view.setInt32(753, 20, true);
  return concat(
    user({ name: "NEW USER" }),
    user({ name: "SYSOP", password: "SECRET" }),
    carla,
    user({ name: "GONE", deleted: true }),
    user({ name: "carla" }),
    locked,
  );
}

function general() {
  const b = new BaseBuilder();
  b.add({
    msgid: 1,
    from: SYSOP,
    to: ALL,
    title: "Welcome",
    lines: ["Hi", "", "|07all"],
    posted: "2000-01-01T00:00:01.00",
  });
  b.add({
    msgid: 2,
    replyToId: 1,
    replyToSlot: 0,
    status: 0x21,
    from: CARLA,
    to: SYSOP,
    title: "Re: Welcome",
    lines: ["\x033Thanks|07!"],
    posted: "2003-05-06T07:08:09.10",
  });
  b.add({
    msgid: 3,
    replyToId: 2,
    from: { ...CARLA, anon: 1 },
    title: "Anonymous",
    lines: ["Who am I?"],
    posted: "2003-05-07T00:00:00.00",
  });
  b.add({
    msgid: 4,
    status: 0x10,
    from: SYSOP,
    title: "Deleted",
    lines: ["gone"],
  });
  b.add({
    msgid: 5,
    status: 0x05,
    from: CARLA,
    title: "Unvalidated",
    lines: ["wait"],
    posted: "2003-05-08T00:00:00.00",
  });
  b.add({
    msgid: 6,
    from: { number: 9, name: "VISITOR" },
    title: "Hello\0there",
    lines: ["a\0b"],
    posted: "1800-00-00T00:00:00.00",
  });
  b.add({
    msgid: 7,
    from: { number: 3, name: "GONE" },
    to: CARLA,
    title: "Old",
    lines: ["x"],
    posted: "2003-06-01T10:00:00.00",
  });
  b.add({
    msgid: 8,
    replyToId: 99,
    from: { ...CARLA, anon: 5, name: "THE SHADOW" },
    title: "Boo",
    lines: ["y"],
    posted: "2003-06-02T10:00:00.00",
  });
  return b.build();
}

function email() {
  const b = new BaseBuilder();
  b.add({
    messageNumber: 3,
    from: SYSOP,
    to: { number: 3, name: "GONE" },
    title: "Bye",
    lines: ["Sorry"],
    posted: "2002-02-02T02:02:02.02",
  });
  b.add({
    messageNumber: 1,
    from: CARLA,
    to: SYSOP,
    title: "Private",
    lines: ["Just you"],
    posted: "2002-02-03T00:00:00.00",
  });
  b.add({
    messageNumber: 1,
    status: 0,
    from: CARLA,
    to: SYSOP,
    title: "Read",
    lines: ["old"],
  });
  b.orphan({
    from: { number: 0, name: "NEW USER" },
    to: SYSOP,
    title: "Validation E-mail",
    lines: ["?"],
  });
  return b.build();
}

function zscan(
  read: Record<number, string>,
  unscanned: number[] = [],
): Uint8Array {
  // mzscan, a set of 1..254: board e is bit e mod 8 of byte e div 8.
  const scanned = new Uint8Array(32).fill(0xff);
  for (const board of unscanned) scanned[board >> 3]! &= ~(1 << (board & 7));
  const b = new Bytes(1588).raw(1524, scanned).raw(
    1556,
    new Uint8Array(32).fill(0xff),
  );
  for (const [board, at] of Object.entries(read)) {
    b.stamp((Number(board) - 1) * 6, at);
  }
  return b.bytes;
}

async function syntheticInstall(): Promise<string> {
  const g = general();
  const m = email();
  return await writeInstall({
    "STATUS.DAT": status("C:\\BBS\\DATA\\", "C:\\BBS\\MSGS\\"),
    "DATA/USER.LST": users(),
    "DATA/BOARDS.DAT": concat(
      board("\x031General", "GENERAL"),
      board("Lost", "LOST", 0, {
        acs: "s20",
        postAcs: "s50&fA",
        maxMessages: 300,
        anonymous: 3,
        visible: true,
        origin: "The \x032Lost BBS",
      }),
    ),
    "MSGS/GENERAL.MIX": g.mix,
    "MSGS/GENERAL.BRD": g.brd,
    "MSGS/EMAIL.MIX": m.mix,
    "MSGS/EMAIL.BRD": m.brd,
    "DATA/UPLOADS.DAT": concat(
      area("Unused", "NEWDIR"),
      area("Uploads", "UPLOADS", "C:\\BBS\\DL\\"),
    ),
    "DATA/NEWDIR.DIR": listing([]),
    "DATA/UPLOADS.DIR": listing([
      {
        fileName: "NEW.ZIP",
        description: "Fresh",
        date: "01/15/02",
      },
      {
        fileName: "TWO.ZIP",
        description: "Second",
        date: "03/04/01",
        pointer: 1,
      },
      {
        fileName: "BAD.ZIP",
        description: "Lost text",
        date: "03/04/01",
        pointer: 7,
      },
      { fileName: "UNVAL.ZIP", date: "03/04/01", status: 1 },
      // Request-only: imported offline.
      {
        fileName: "ASK.ZIP",
        description: "On request",
        date: "03/04/01",
        status: 2,
      },
      { fileName: "PRIV.ZIP", date: "03/04/01", privateFor: "CARLA" },
      {
        fileName: "new.zip",
        description: "Older twin",
        date: "02/02/01",
        blocks: 3,
        pointer: 0,
      },
      {
        fileName: "OLD.TXT",
        description: "Old",
        date: "12/31/99",
        uploader: "CARLA",
        owner: 2,
      },
      {
        fileName: "BADDATE.TXT",
        date: "13/45/99",
        uploader: "STRANGER",
        owner: 9,
      },
    ]),
    "DL/NEW.ZIP": new Uint8Array(100),
    "DATA/VERBOSE.DAT": concat(
      verbose(["Line one", "Line two |DT", "\x034Third"], [
        "garbage after the blank line",
      ]),
      verbose(["Second record"]),
    ),
    "DATA/LASTON.DAT": concat(
      lastCaller(12, "Carla", 2),
      lastCaller(11, "Horrid", 2),
      lastCaller(10, "Sysop", 1),
      lastCaller(-1, "", 0),
    ),
    "DATA/ZSCAN.DAT": concat(
      zscan({}),
      zscan({ 1: "2003-05-06T12:00:00.00" }),
      // Carla left GENERAL out of her new-scan.
      zscan({ 1: "1999-01-01T00:00:00.00" }, [1]),
      zscan({ 1: "2003-05-06T12:00:00.00" }),
    ),
  });
}

/** Imports the synthetic install into `storage`, removing the install after. */
async function imported(
  storage: Storage,
  options: { timeZone?: string } = {},
): Promise<Impulse71ImportReport> {
  const dir = await syntheticInstall();
  try {
    return await importImpulse71(dir, storage, { ...FAST, ...options });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const at = (iso: string) => new Date(`${iso}Z`);

importTest(
  "importImpulse71() skips deleted and duplicate users and keeps counters, flags and dates",
  async (storage) => {
    const report = await imported(storage);
    assert.deepEqual(report.counts.users, { read: 6, imported: 3, skipped: 3 });
    assert.deepEqual(
      report.skipped.filter((s) => s.kind === "users").map((
        s,
      ) => [s.record, s.reason.replace(/:.*/, "")]),
      [[0, "Slot 0 is scratch space, not a user"], [
        3,
        'User 3 "GONE" is deleted',
      ], [
        4,
        'User 4 "carla" has the name of user 2 (names compare case-insensitively)',
      ]],
    );
    const [sysop, carla, locked] = [
      await storage.users.get(1),
      await storage.users.get(2),
      await storage.users.get(3),
    ];
    assert.deepEqual([sysop!.username, carla!.username, locked!.username], [
      "SYSOP",
      "CARLA",
      "LOCKED",
    ]);
    // Colour code removed, control character shown as DOS showed it.
    assert.equal(carla!.realName, "Carla‼");
    assert.deepEqual([carla!.createdAt, carla!.lastLoginAt], [
      at("2001-02-03T00:00:00"),
      at("2003-05-07T00:00:00"),
    ]);
    assert.deepEqual(
      [
        locked!.status,
        locked!.statusReason,
        locked!.lockedUntil,
        locked!.flags,
        locked!.securityLevel,
        locked!.createdAt,
      ],
      [
        "banned",
        "Locked out in Impulse 7.1 (USER.LST lockedout flag)",
        null,
        "AZ",
        50,
        at("1999-12-31T00:00:00"),
      ],
    );
    assert.deepEqual(locked!.stats, {
      logins: 7,
      posts: 3,
      uploads: 2,
      downloads: 1,
      uploadBytes: 10240,
      downloadBytes: 20480,
      timeOnlineSeconds: 0, // not carried (USER.LST's minutes online)
    });
    // Posting and uploading during the import counted nothing: USER.LST's counters stand.
    assert.deepEqual([
      sysop!.stats.posts,
      carla!.stats.uploads,
      carla!.stats.uploadBytes,
    ], [0, 0, 0]);
    assert.ok(
      report.changed.some((c) =>
        c.kind === "users" && c.record === 5 &&
        /"33\/33\/33" is no date/.test(c.reason)
      ),
    );
    assert.equal(await verifyPassword("pa55", carla!.passwordHash), true);
    assert.equal(await verifyPassword("secret", sysop!.passwordHash), true);
  },
);

importTest(
  "importImpulse71() carries board and file area settings, and closes an area whose condition is more than a level",
  async (storage) => {
    const report = await imported(storage);
    const [general, lost] = await storage.messageAreas.list();
    assert.deepEqual(
      [
        general!.maxMessages,
        general!.anonymous,
        general!.origin,
        general!.access,
      ],
      [null, "never", "", {
        readLevel: 30,
        writeLevel: 0,
        readFlags: "",
        writeFlags: "",
        hidden: true,
        sysopLevel: 255,
      }],
    );
    assert.deepEqual(
      [lost!.maxMessages, lost!.anonymous, lost!.origin, lost!.access],
      [300, "allowed", "The Lost BBS", {
        readLevel: 20,
        writeLevel: 255,
        readFlags: "",
        writeFlags: "",
        hidden: false,
        sysopLevel: 255,
      }],
    );
    assert.ok(
      report.changed.some((c) =>
        c.kind === "messageAreas" && /"s50&fA" is more than a security level/
          .test(c.reason)
      ),
    );
    const [uploads] = await storage.fileAreas.list();
    assert.equal(uploads!.storagePath, "C:\\BBS\\DL\\");
    assert.deepEqual([uploads!.access.readLevel, uploads!.access.hidden], [
      0,
      true,
    ]);
  },
);

importTest(
  "importImpulse71() keeps threads, names from headers, anonymity and dates from 2000 on",
  async (storage) => {
    const report = await imported(storage);
    assert.deepEqual(report.counts.messages, {
      read: 8,
      imported: 6,
      skipped: 2,
    });
    const [generalArea, lost] = await storage.messageAreas.list();
    assert.deepEqual([
      generalArea!.tag,
      generalArea!.name,
      lost!.tag,
      lost!.msgCount,
    ], ["GENERAL", "General", "LOST", 0]);
    const messages = await storage.messages.list(generalArea!.id);
    assert.deepEqual(
      messages.map((
        m,
      ) => [
        m.msgNum,
        m.subject,
        m.fromName,
        m.fromUserId,
        m.toName,
        m.toUserId,
        m.body,
        m.createdAt,
      ]),
      [
        [
          1,
          "Welcome",
          "SYSOP",
          1,
          "All",
          null,
          "Hi\n\n|07all",
          at("2000-01-01T00:00:01.000"),
        ],
        [
          2,
          "Re: Welcome",
          "CARLA",
          2,
          "SYSOP",
          1,
          "\x033Thanks|07!",
          at("2003-05-06T07:08:09.100"),
        ],
        [
          3,
          "Anonymous",
          "Anonymous",
          null,
          "All",
          null,
          "Who am I?",
          at("2003-05-07T00:00:00.000"),
        ],
        // No date of its own: its neighbour's. NUL became a space.
        [
          4,
          "Hello there",
          "VISITOR",
          null,
          "All",
          null,
          "a b",
          at("2003-05-08T00:00:00.000"),
        ],
        // The author's account was deleted: the header's name stays.
        [
          5,
          "Old",
          "GONE",
          null,
          "CARLA",
          2,
          "x",
          at("2003-06-01T10:00:00.000"),
        ],
        [
          6,
          "Boo",
          "THE SHADOW",
          null,
          "All",
          null,
          "y",
          at("2003-06-02T10:00:00.000"),
        ],
      ],
    );
    const [root, reply, anonymous] = messages;
    assert.deepEqual(
      (await storage.messages.thread(root!.id)).map((m) => [m.id, m.parentId]),
      [[root!.id, null], [reply!.id, root!.id], [anonymous!.id, reply!.id]],
    );
    assert.equal(messages[5]!.parentId, null); // replied to msgid 99, which is gone
    assert.deepEqual(
      report.skipped.filter((s) => s.kind === "messages").map((
        s,
      ) => [s.record, /deleted|validation/.exec(s.reason)?.[0]]),
      [[3, "deleted"], [4, "validation"]],
    );
    assert.ok(
      report.changed.some((c) =>
        c.record === 5 && /no readable date/.test(c.reason)
      ),
    );
    assert.ok(
      report.changed.some((c) =>
        c.kind === "messageAreas" && /colour codes/.test(c.reason)
      ),
    );
  },
);

importTest(
  "importImpulse71() reads dates in the board's time zone",
  async (storage) => {
    await imported(storage, { timeZone: "America/New_York" });
    const [generalArea] = await storage.messageAreas.list();
    const [root, reply] = await storage.messages.list(generalArea!.id);
    assert.deepEqual(root!.createdAt, at("2000-01-01T05:00:01.000")); // EST
    assert.deepEqual(reply!.createdAt, at("2003-05-06T11:08:09.100")); // EDT
    assert.deepEqual(
      (await storage.users.get(2))!.createdAt,
      at("2001-02-03T05:00:00"),
    );
  },
);

importTest(
  "importImpulse71() brings private mail to the users it names",
  async (storage) => {
    const report = await imported(storage);
    assert.deepEqual(report.counts.mail, { read: 4, imported: 2, skipped: 2 });
    const mailArea = (await storage.messageAreas.list()).find((a) =>
      a.kind === "private"
    )!;
    assert.equal(mailArea.tag, "EMAIL");
    const mail = await storage.messages.list(mailArea.id);
    assert.deepEqual(
      mail.map((
        m,
      ) => [m.fromName, m.fromUserId, m.toName, m.toUserId, m.subject]),
      [["SYSOP", 1, "GONE", null, "Bye"], ["CARLA", 2, "SYSOP", 1, "Private"]],
    );
    assert.deepEqual((await storage.mail.listFor(1)).map((m) => m.subject), [
      "Re: Welcome",
      "Private",
    ]);
    // Impulse 7.1 keeps no received flag: reading a letter deletes it (clears miexist), and
    // deleted letters are left out, so every letter imported is still waiting.
    assert.ok(mail.every((m) => m.receivedAt === null && m.private));
    assert.equal(await storage.mail.unreadCount(1), 1);
    assert.deepEqual(
      (await storage.mail.inbox(1, { unreadOnly: true })).map((m) => m.subject),
      ["Private"],
    );
    // The private area is not part of anyone's new-scan.
    assert.ok(
      (await storage.reading.newScan(2)).every((e) =>
        e.area.kind !== "private"
      ),
    );
  },
);

importTest(
  "importImpulse71() brings files with long descriptions and skips the ones callers never saw",
  async (storage) => {
    const report = await imported(storage);
    assert.deepEqual(report.counts.fileAreas, {
      read: 2,
      imported: 1,
      skipped: 1,
    });
    assert.deepEqual(report.counts.files, { read: 9, imported: 6, skipped: 3 });
    const [uploads] = await storage.fileAreas.list();
    const files = await storage.files.list(uploads!.id, {
      includeUnavailable: true,
    });
    // The one-line description is the description, the long one (VERBOSE.DAT) the DIZ text.
    assert.deepEqual(
      files.map((
        f,
      ) => [
        f.filename,
        f.description,
        f.diz,
        f.offline,
        f.size,
        f.uploaderId,
        f.uploadedAt,
      ]),
      [
        [
          "TWO.ZIP",
          "Second",
          "Second record",
          false,
          128,
          1,
          at("2001-03-04T00:00:00"),
        ],
        ["BAD.ZIP", "Lost text", "", false, 128, 1, at("2001-03-04T00:00:00")],
        // Request-only: offline.
        [
          "ASK.ZIP",
          "On request",
          "",
          true,
          128,
          1,
          at("2001-03-04T00:00:00"),
        ],
        // The long description keeps its MCI and colour codes; what followed its blank line is not read.
        [
          "new.zip",
          "Older twin",
          "Line one\nLine two |DT\n\x034Third",
          false,
          100,
          1,
          at("2001-02-02T00:00:00"),
        ],
        ["OLD.TXT", "Old", "", false, 128, 2, at("1999-12-31T00:00:00")],
        // "13/45/99" is no date: the oldest entry takes the date of the one after it.
        ["BADDATE.TXT", "", "", false, 128, null, at("1999-12-31T00:00:00")],
      ],
    );
    assert.deepEqual(
      (await storage.files.list(uploads!.id)).map((f) => f.filename),
      ["TWO.ZIP", "BAD.ZIP", "new.zip", "OLD.TXT", "BADDATE.TXT"],
      "an offline file is listed only when asked",
    );
    assert.deepEqual(
      report.skipped.filter((s) => s.kind === "files").map((
        s,
      ) => [s.record, s.reason.replace(/^File "[^"]+" is skipped, as /, "")]),
      [
        [6, 'it is private for "CARLA" and the store has no private files'],
        [4, "it awaits the SysOp's validation (hidden from callers)"],
        [1, "the area already lists a file of that name (slot 7)"],
      ],
    );
    assert.ok(
      report.problems.some((p) => p.kind === "bad_pointer" && p.record === 3),
    );
    assert.ok(
      report.changed.some((c) => c.record === 9 && /STRANGER/.test(c.reason)),
    );
  },
);

importTest(
  "importImpulse71() brings last callers in order and last-read pointers where they map",
  async (storage) => {
    const report = await imported(storage);
    assert.deepEqual(
      (await storage.callers.recent()).map((
        c,
      ) => [c.userId, c.username, c.loginAt]),
      [
        [2, "Carla", at("2003-05-07T00:00:00")],
        [null, "Horrid", at("2003-05-07T00:00:00")],
        // SYSOP's last call (01/01/80 here) is earlier than the calls after it.
        [1, "Sysop", at("1980-01-01T00:00:00")],
      ],
    );
    assert.deepEqual(report.counts.lastRead, {
      read: 4,
      imported: 1,
      skipped: 3,
    });
    const [generalArea] = await storage.messageAreas.list();
    // SYSOP had read up to 2003-05-06 12:00: message 2 (07:08 that day) is the newest before it.
    assert.deepEqual(
      (await storage.reading.newScan(1)).map((
        e,
      ) => [e.area.id, e.lastRead, e.unread]),
      [[generalArea!.id, 2, 4]],
    );
    // Carla left GENERAL out of her new-scan in ZSCAN.DAT: it stays out.
    assert.deepEqual(await storage.reading.newScan(2), []);
    assert.deepEqual(
      (await storage.reading.newScan(3)).map((e) => e.area.id),
      [generalArea!.id],
    );
    assert.deepEqual(
      report.skipped.filter((s) => s.kind === "lastRead").map((s) => s.record),
      [0, 2, 3],
    );
  },
);
