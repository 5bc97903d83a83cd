import assert from "node:assert/strict";
import { join } from "node:path";
import { problemsOf, SAMPLE, sampleTest } from "./_sample_test.ts";
import { decodeZscan } from "./zscan.ts";

sampleTest("readImpulse71() reads the sample's STATUS.DAT", ({ system }) => {
  assert.ok(system !== null);
  assert.equal(system.dataPath, "C:\\IMP\\DATA\\");
  assert.equal(system.messagePath, "C:\\IMP\\MSGS\\");
  assert.equal(system.bbsName, "impulse");
  assert.equal(system.sysopName, "sysop");
  assert.equal(system.callerNumber, 47);
  assert.equal(system.userCount, 17);
  assert.equal(system.lastDate.date, "1998-08-29");
  assert.equal(system.phonePassword, false);
});

sampleTest(
  "readImpulse71() reads the sample's five users and skips scratch slot 0",
  ({ users, problems }) => {
    const rows = users.map((u) => [
      u.number,
      u.name,
      u.realName,
      u.securityLevel,
      u.downloadSecurityLevel,
      u.calls,
      u.posts,
      u.emailSent,
      u.feedbackSent,
      u.minutesOnline,
      u.firstOn.date,
      u.lastOn.date,
      u.deleted,
      u.lockedOut,
    ]);
    assert.deepEqual(rows, [
      [
        1,
        "SYSOP",
        "Sysop",
        255,
        255,
        142,
        19,
        1,
        4,
        33,
        "1980-01-01",
        "1998-08-29",
        false,
        false,
      ],
      [
        2,
        "D",
        "d",
        30,
        30,
        9,
        0,
        0,
        0,
        2,
        "1998-08-11",
        "1998-08-20",
        false,
        false,
      ],
      [
        3,
        "H",
        "d",
        30,
        30,
        2,
        0,
        0,
        0,
        0,
        "1998-08-11",
        "1998-08-20",
        false,
        false,
      ],
      [
        4,
        "LO",
        "lo",
        20,
        20,
        1,
        0,
        0,
        1,
        0,
        "1998-08-20",
        "1998-08-20",
        false,
        false,
      ],
      [
        5,
        "DD",
        "dd",
        20,
        20,
        0,
        0,
        0,
        0,
        0,
        "1998-08-20",
        "1998-08-20",
        false,
        false,
      ],
    ]);
    const places = users.map((
      u,
    ) => [u.street, u.cityState, u.zipCode, u.phone, u.sex]);
    assert.deepEqual(places, [
      ["", "blah", "92557", "333-339-4884", "F"],
      ["D", "d", "92557", "999-999-9999", "M"],
      ["333333", "dd", "92557", "999-999-9999", "M"],
      ["43W9", "2", "92557", "999-999-9999", "M"],
      ["Df", "dd", "92557", "", "M"],
    ]);
    const sysop = users[0]!;
    assert.equal(sysop.note, "Impulse Sysop");
    assert.equal(sysop.autoSignature, "Impulse Sysop");
    assert.deepEqual(sysop.flags, ["onekey", "ansi", "color"]);
    assert.deepEqual(sysop.colours.colour, [15, 7, 1, 11, 9, 8, 25, 3, 7, 8]);
    assert.equal(sysop.timeBank, 200);
    assert.equal(users[1]!.note, "look mom, i'm an imp gimp!");
    assert.deepEqual(users.map((u) => u.birthday.raw), [
      "10/34/03",
      "33/33/33",
      "10/10/00",
      "34/32/42",
      "34/44/44",
    ]);
    assert.deepEqual(users.map((u) => u.birthday.date), [
      null,
      null,
      "2000-10-10",
      null,
      null,
    ]);
    assert.deepEqual(
      problemsOf(problems, "unparseable_date", "DATA/USER.LST").map((p) =>
        p.record
      ),
      [1, 2, 4, 5],
    );
    assert.equal(
      problemsOf(problems, "scratch_record")[0]?.reason,
      'Slot 0 is scratch space, not a user: skipped "NEW USER"',
    );
  },
);

sampleTest(
  "readImpulse71() decodes the sample's clear-text passwords, hidden from JSON",
  async (install) => {
    const raw = await Deno.readFile(join(SAMPLE!, "DATA", "USER.LST"));
    for (const user of install.users) {
      const at = user.number * 843 + 74;
      const stored = String.fromCharCode(
        ...raw.subarray(at + 1, at + 1 + raw[at]!),
      );
      assert.equal(user.password, stored, `user ${user.number}`);
      assert.equal(user.password, user.password.toUpperCase());
    }
    assert.deepEqual(install.users.map((u) => u.password.length), [
      5,
      1,
      1,
      2,
      2,
    ]);
    assert.ok(!JSON.stringify(install).includes('"password"'));
  },
);

sampleTest(
  "readImpulse71() finds the sample's NAMES.LST junk",
  ({ problems }) => {
    const junk = problemsOf(problems, "junk_index_entry", "DATA/NAMES.LST");
    assert.equal(junk.length, 12);
    assert.equal(
      junk.filter((p) => p.reason.includes('"NEW USER"')).length,
      11,
    );
    assert.match(junk[0]!.reason, /duplicates record 0: "SYSOP" → 1/);
    assert.deepEqual(problemsOf(problems, "index_mismatch"), []);
  },
);

sampleTest(
  "readImpulse71() reads the sample's last callers, newest first",
  ({ lastCallers }) => {
    assert.deepEqual(
      lastCallers.map((
        c,
      ) => [c.callNumber, c.name, c.userNumber, c.user, c.cityState]),
      [
        [47, "D", 2, 2, "d"],
        [45, "Flare", 2, null, "horrid"],
        [43, "Sysop", 1, 1, "blah"],
        [42, "Horrid", 2, null, "l"],
        [41, "Sysop", 1, 1, "blah"],
        [39, "Sysop", 1, 1, "blah"],
        [38, "Sysop", 1, 1, "blah"],
        [37, "Sysop", 1, 1, "blah"],
        [36, "Sysop", 1, 1, "blah"],
        [35, "Sysop", 1, 1, "blah"],
      ],
    );
  },
);

sampleTest(
  "readImpulse71() maps the sample's ZSCAN.DAT onto users 1..5",
  async ({ scans, problems }) => {
    assert.deepEqual(scans.map((s) => s.userNumber), [1, 2, 3, 4, 5]);
    assert.deepEqual(
      scans[0]!.lastRead.map((
        r,
      ) => [r.board, r.readUpTo.wallClock, r.slot, r.msgid]),
      [
        [1, "1998-08-11T21:53:42.58", null, null], // read up to BS slot 0, since deleted
      ],
    );
    assert.ok(scans.slice(1).every((s) => s.lastRead.length === 0));
    assert.ok(
      scans.every((s) =>
        s.boards.join() === "1,2" && s.fileAreas.join() === "0,1"
      ),
    );
    assert.deepEqual(
      problemsOf(problems, "unmapped_scan").map((p) => p.record),
      [
        0,
        6,
        7,
        8,
        9,
      ],
    );
    const context = { file: "DATA/ZSCAN.DAT", timeZone: "UTC", problems: [] };
    const raw = decodeZscan(
      await Deno.readFile(join(SAMPLE!, "DATA", "ZSCAN.DAT")),
      context,
    );
    assert.equal(raw.length, 10);
    assert.ok(
      raw.every((r) => r.boards.length === 254 && r.fileAreas.length === 255),
    );
    assert.deepEqual(raw.map((r) => r.highRead.length), [
      1,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
  },
);
