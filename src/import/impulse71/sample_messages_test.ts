import assert from "node:assert/strict";
import { problemsOf, sampleTest } from "./_sample_test.ts";

sampleTest(
  "readImpulse71() reads the sample's two boards; BS's only message is deleted",
  ({ boards, problems }) => {
    assert.deepEqual(
      boards.map((
        b,
      ) => [
        b.number,
        b.name,
        b.fileName,
        b.lastMsgid,
        b.acs,
        b.postAcs,
        b.conference,
      ]),
      [[1, "Local Bullshit", "BS", 56, "s30", "s30", 1], [
        2,
        "Unused",
        "NEWBOARD",
        1,
        "s30",
        "s30",
        1,
      ]],
    );
    for (const board of boards) {
      assert.deepEqual(board.flags, [
        "stripKludges",
        "stripSeenBy",
        "stripCentring",
        "stripBoxCodes",
        "centreBoxedLines",
        "addTearOrigin",
      ]);
      assert.equal(board.maxMessages, 100);
      assert.equal(board.origin, "blah");
      assert.equal(board.password, "");
      assert.equal(board.slots, 100);
      assert.equal(board.messages.length, 0);
    }
    const [bs, newboard] = boards;
    assert.deepEqual([bs!.indexFile, bs!.textFile], [
      "MSGS/BS.MIX",
      "MSGS/BS.BRD",
    ]);
    assert.deepEqual([bs!.usedSlots, newboard!.usedSlots], [1, 0]);
    const deleted = bs!.deletedMessages[0]!;
    assert.equal(bs!.deletedMessages.length, 1);
    assert.equal(deleted.msgid, 49);
    assert.equal(deleted.postedAt?.wallClock, "1998-08-11T21:53:42.58");
    assert.deepEqual(deleted.flags, ["allowMci"]);
    assert.equal(deleted.from.shownAs, "SYSOP #1");
    assert.equal(deleted.from.user, 1);
    assert.equal(deleted.to.shownAs, ""); // All
    assert.equal(deleted.title, "blah");
    assert.deepEqual(deleted.lines, ["blah", "", "Impulse Sysop"]);
    assert.deepEqual(
      problemsOf(problems, "deleted_message", "MSGS/BS.MIX").map((p) =>
        p.record
      ),
      [0],
    );
  },
);

sampleTest(
  "readImpulse71() reads the sample's e-mail: 80 live mass-mail copies, 7 deleted, 11 orphans",
  ({ mail, problems }) => {
    assert.deepEqual([
      mail.slots,
      mail.usedSlots,
      mail.messages.length,
      mail.deletedMessages.length,
    ], [
      100,
      87,
      80,
      7,
    ]);
    const recipients = Array.from({ length: 81 }, (_, i) => i + 8).filter((n) =>
      n !== 81
    );
    assert.deepEqual(mail.messages.map((m) => m.messageNumber), recipients);
    assert.deepEqual(mail.messages.map((m) => m.to.userNumber), recipients);
    for (const message of mail.messages) {
      assert.equal(message.msgid, 0);
      assert.equal(message.from.shownAs, "MARDUKK #1");
      assert.equal(message.from.anonymous, 2);
      assert.equal(message.from.user, null); // slot 1 is SYSOP now
      assert.equal(message.to.user, null); // no recipient exists in this USER.LST
      assert.equal(message.title, "test");
      assert.equal(message.postedAt?.wallClock.slice(0, 10), "1997-12-22");
      assert.deepEqual(message.flags, ["exists", "massMail"]);
      assert.equal(message.lines.length, 4);
      assert.equal(message.lines[3], "mardukkian");
    }
    assert.equal(mail.messages[0]!.to.shownAs, "INTERNAL STALKER #8");
    assert.deepEqual(
      mail.deletedMessages.map((
        m,
      ) => [m.slot, m.messageNumber, m.from.shownAs, m.title]),
      [
        [80, 1, "SYSOP #1", "blah"],
        [81, 1, "SYSOP #1", "blah"],
        [82, 2, "SYSOP #1", "this is a test!"],
        [83, 1, "SYSOP #1", "test"],
        [84, 1, "SYSOP #1", "d"],
        [85, 1, "LO #4", "Validation E-mail"],
        [86, 1, "DD #5", "Validation E-mail"],
      ],
    );
    assert.equal(mail.orphanHeaders, 11);
    const orphans = problemsOf(problems, "orphan_header", "MSGS/EMAIL.BRD");
    assert.deepEqual(
      orphans.map((p) => p.offset),
      Array.from({ length: 11 }, (_, i) => 37174 + i * 350),
    );
    assert.ok(orphans.every((p) => p.reason.includes('"Validation E-mail"')));
    assert.deepEqual(
      problemsOf(problems, "ignored_file").map((p) => p.file),
      ["DATA/EMAIL.MIX", "DATA/EMAIL.BRD"],
    );
  },
);

sampleTest(
  "readImpulse71() reports the sample's orphan base LOCAL",
  ({ orphans, problems }) => {
    assert.equal(orphans.messageBases.length, 1);
    const local = orphans.messageBases[0]!;
    assert.deepEqual([
      local.name,
      local.slots,
      local.usedSlots,
      local.messages.length,
    ], ["LOCAL", 2700, 1, 0]);
    assert.equal(local.deletedMessages[0]?.msgid, 48);
    assert.deepEqual(local.deletedMessages[0]?.lines, [
      "this is cool!",
      "",
      "Impulse Sysop",
    ]);
    assert.deepEqual(problemsOf(problems, "orphan_base").map((p) => p.file), [
      "MSGS/LOCAL.MIX",
    ]);
  },
);

sampleTest(
  "readImpulse71() reads the sample's conferences: MCONF empty, FCONF 2..4",
  ({ conferences, problems }) => {
    assert.deepEqual(conferences.message, []);
    assert.deepEqual(conferences.file, [
      { number: 2, name: "bbs related", acs: "s30" },
      { number: 3, name: "art scene", acs: "s30" },
      { number: 4, name: "operating systems", acs: "s30" },
    ]);
    assert.deepEqual(
      problemsOf(problems, "missing_conference").map((p) => [p.file, p.record]),
      [
        ["DATA/BOARDS.DAT", 0],
        ["DATA/BOARDS.DAT", 1],
        ["DATA/UPLOADS.DAT", 0],
        ["DATA/UPLOADS.DAT", 1],
      ],
    );
  },
);
