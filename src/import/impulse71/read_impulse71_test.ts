import assert from "node:assert/strict";
import { StorageError } from "../../errors.ts";
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
} from "./_builders_test.ts";
import { readImpulse71 } from "./read_impulse71.ts";

/** These tests write synthetic installs to a temp directory; without --allow-write they are ignored. */
const CAN_WRITE =
  Deno.permissions.querySync({ name: "write" }).state === "granted";
if (!CAN_WRITE) {
  console.log(
    "Synthetic Impulse 7.1 install tests ignored: run with --allow-write to include them",
  );
}

function test(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, ignore: !CAN_WRITE, fn });
}

const SYSOP = { number: 1, name: "SYSOP" };
const ALL = { number: 0, name: "" };

/** A small install with what the sample lacks, its file names in mixed case. */
async function syntheticInstall(): Promise<string> {
  const general = new BaseBuilder();
  general.add({
    msgid: 1,
    from: SYSOP,
    to: ALL,
    title: "Welcome",
    lines: ["Hi"],
    posted: "2000-01-01T00:00:01.00",
  });
  general.add({
    msgid: 2,
    replyToId: 1,
    replyToSlot: 0,
    status: 0x21,
    from: { number: 2, name: "CARLA" },
    to: SYSOP,
    title: "Re: Welcome",
    lines: ["\x033Thanks|07!"],
    posted: "2003-05-06T07:08:09.10",
  });
  general.add({
    msgid: 3,
    replyToId: 2,
    from: { anon: 1, number: 2, name: "CARLA" },
    title: "Anonymous",
    lines: ["Who am I?"],
    posted: "2003-05-07T00:00:00.00",
  });
  const mail = new BaseBuilder();
  mail.add({
    messageNumber: 3,
    from: SYSOP,
    to: { number: 3, name: "GONE" },
    title: "Bye",
    lines: ["Sorry"],
  });
  const zscan = (slot: number) => {
    const b = new Bytes(1588).raw(1524, new Uint8Array(32).fill(0xff)).raw(
      1556,
      new Uint8Array(32).fill(0xff),
    );
    return slot === 1 ? b.stamp(0, "2003-05-06T12:00:00.00").bytes : b.bytes;
  };
  const fileArea = area("Uploads", "UPLOADS", "C:\\BBS\\DL\\");
  const general1 = general.build();
  const mail1 = mail.build();
  return await writeInstall({
    "status.dat": status("D:\\BBS\\Files\\", "D:\\BBS\\NOWHERE\\"),
    "files/user.lst": concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP" }),
      user({ name: "CARLA", firstOn: "02/03/01" }),
      user({ name: "GONE", deleted: true }),
    ),
    "files/Boards.Dat": concat(
      board("General", "general", 2),
      board("Lost", "LOST"),
    ),
    "msgs/GENERAL.mix": general1.mix,
    "msgs/general.BRD": general1.brd,
    "msgs/email.mix": mail1.mix,
    "msgs/email.brd": mail1.brd,
    "files/uploads.dat": concat(area("Unused", "NEWDIR"), fileArea),
    "files/newdir.dir": listing([]),
    "files/uploads.dir": listing([
      {
        fileName: "NEW.ZIP",
        description: "Fresh",
        date: "01/15/02",
        pointer: 0,
        blocks: 1,
      },
      {
        fileName: "OLD.TXT",
        description: "Old",
        date: "12/31/99",
        uploader: "CARLA",
        owner: 2,
      },
    ]),
    "dl/new.zip": new Uint8Array(100),
    "files/verbose.dat": verbose(
      Array.from({ length: 20 }, (_, i) => `Line ${i + 1}`),
    ),
    "files/laston.dat": concat(
      lastCaller(3, "Carla", 2),
      lastCaller(-1, "", 0),
    ),
    "files/zscan.dat": concat(zscan(0), zscan(1), zscan(2)),
    "files/mconf.dat": new Bytes(540).str(120 + 21, 20, "Talk").bytes,
  });
}

test("readImpulse71() maps STATUS.DAT paths and file names case-insensitively", async () => {
  const dir = await syntheticInstall();
  try {
    const install = await readImpulse71(dir);
    assert.deepEqual(install.users.map((u) => [u.number, u.name, u.deleted]), [
      [1, "SYSOP", false],
      [2, "CARLA", false],
      [3, "GONE", true],
    ]);
    assert.equal(install.boards[0]?.indexFile, "msgs/GENERAL.mix");
    assert.deepEqual(install.sources, {
      users: "files/user.lst",
      boards: "files/Boards.Dat",
      fileAreas: "files/uploads.dat",
      lastCallers: "files/laston.dat",
      scans: "files/zscan.dat",
    });
    const fallback = install.problems.filter((p) => p.kind === "path_fallback");
    assert.deepEqual(fallback.map((p) => [p.file, p.reason]), [[
      "status.dat",
      'Field "msgpath" names no directory of the install, used MSGS/: "D:\\BBS\\NOWHERE\\"',
    ]]);
    const missing = install.problems.filter((p) => p.kind === "missing_file")
      .map((p) => p.file);
    assert.deepEqual(missing, [
      "files/NAMES.LST",
      "msgs/LOST.MIX",
      "msgs/LOST.BRD",
      "files/FCONF.DAT",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("readImpulse71() reads threads, anonymous posts and dates from 2000 on", async () => {
  const dir = await syntheticInstall();
  try {
    const [general, lost] = (await readImpulse71(dir)).boards;
    assert.deepEqual(
      general!.messages.map((
        m,
      ) => [m.msgid, m.parentSlot, m.from.anonymous, m.postedAt?.wallClock]),
      [
        [1, null, 0, "2000-01-01T00:00:01.00"],
        [2, 0, 0, "2003-05-06T07:08:09.10"],
        [3, 1, 1, "2003-05-07T00:00:00.00"],
      ],
    );
    assert.deepEqual(general!.messages[1]!.lines, ["\x033Thanks|07!"]);
    assert.equal(general!.messages[1]!.from.user, 2);
    assert.deepEqual([lost!.slots, lost!.messages.length, lost!.indexFile], [
      0,
      0,
      null,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("readImpulse71() reads mail to deleted users, files, callers, scans and conferences", async () => {
  const dir = await syntheticInstall();
  try {
    const install = await readImpulse71(dir);
    assert.deepEqual(
      install.mail.messages.map((m) => [m.messageNumber, m.to.user, m.title]),
      [[3, 3, "Bye"]],
    );
    const [hidden, uploads] = install.fileAreas;
    assert.deepEqual([hidden!.hidden, hidden!.entries.length], [true, 0]);
    const [fresh, old] = uploads!.entries;
    assert.equal(fresh!.uploadedOn.date, "2002-01-15");
    assert.equal(fresh!.size, 100); // found in C:\BBS\DL\ → dl/
    assert.equal(fresh!.longDescription?.split("\n").length, 20);
    assert.equal(old!.uploadedOn.date, "1999-12-31");
    assert.equal(old!.uploader, 2);
    assert.equal(old!.size, null);
    assert.deepEqual(
      install.lastCallers.map((c) => [c.callNumber, c.name, c.user]),
      [[3, "Carla", 2]],
    );
    assert.deepEqual(install.scans.map((s) => s.userNumber), [1, 2]);
    assert.deepEqual(install.scans[0]!.lastRead, [{
      board: 1,
      readUpTo: install.scans[0]!.lastRead[0]!.readUpTo,
      slot: 1,
      msgid: 2,
    }]);
    assert.deepEqual(install.scans[0]!.boards, [1, 2]);
    assert.deepEqual(install.scans[0]!.fileAreas, [0, 1]);
    assert.deepEqual(install.conferences.message, [{
      number: 2,
      name: "Talk",
      acs: "",
    }]);
    const unmapped = install.problems.filter((p) => p.kind === "unmapped_scan");
    assert.deepEqual(unmapped.map((p) => p.record), [0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("readImpulse71() reads stamps in the board's time zone", async () => {
  const dir = await syntheticInstall();
  try {
    const install = await readImpulse71(new URL(`file://${dir}/`), {
      timeZone: "America/Chicago",
    });
    const first = install.boards[0]!.messages[0]!;
    assert.equal(first.postedAt?.wallClock, "2000-01-01T00:00:01.00");
    assert.equal(first.postedAt?.at.toISOString(), "2000-01-01T06:00:01.000Z");
    assert.equal(
      install.users[1]!.firstOn.at?.toISOString(),
      "2001-02-03T06:00:00.000Z",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("readImpulse71() falls back to DATA/ and MSGS/ without STATUS.DAT", async () => {
  const dir = await writeInstall({
    "DATA/USER.LST": concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP" }),
    ),
  });
  try {
    const install = await readImpulse71(dir);
    assert.equal(install.system, null);
    assert.deepEqual(install.users.map((u) => u.name), ["SYSOP"]);
    assert.equal(install.problems[0]?.file, "STATUS.DAT");
    assert.equal(install.problems[0]?.kind, "missing_file");
    assert.ok(!install.problems.some((p) => p.kind === "path_fallback"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("readImpulse71() refuses a missing directory, an empty one and an unknown zone", async () => {
  const empty = await Deno.makeTempDir();
  try {
    await assert.rejects(readImpulse71(`${empty}/nope`), (error) => {
      assert.ok(error instanceof StorageError);
      assert.equal(error.kind, "not_found");
      assert.match(
        error.message,
        /^Cannot read the Impulse 7.1 install as the directory does not exist: "/,
      );
      return true;
    });
    await assert.rejects(readImpulse71(empty), (error) => {
      assert.ok(error instanceof StorageError && error.kind === "not_found");
      assert.match(
        error.message,
        /holds neither STATUS.DAT nor DATA\/USER.LST/,
      );
      return true;
    });
    await assert.rejects(
      readImpulse71(empty, { timeZone: "Mars/Olympus_Mons" }),
      (error) => {
        assert.ok(error instanceof StorageError && error.kind === "validation");
        assert.equal(error.field, "timeZone");
        return true;
      },
    );
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
