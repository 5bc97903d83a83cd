/**
 * The spec's sample install (impulse71-formats.md §14) imported on every target: every user,
 * area, live message and file entry it lists, with its values, and every skip with a reason.
 */
import assert from "node:assert/strict";
import { verifyPassword } from "../mod.ts";
import { importImpulse71 } from "../src/import/mod.ts";
import { FAST, importTest, SAMPLE } from "./_impulse71.ts";

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

importTest(
  "importImpulse71() brings the sample's users across with their passwords hashed",
  async (storage) => {
    const report = await importImpulse71(SAMPLE!, storage, FAST);
    assert.deepEqual(report.counts.users, {
      read: 6,
      imported: 5,
      skipped: 1,
    });
    const rows = [];
    for (let id = 1; id <= 5; id++) {
      const u = (await storage.users.get(id))!;
      rows.push([
        u.username,
        u.realName,
        u.location,
        u.note,
        u.securityLevel,
        u.flags,
        u.status,
        u.stats,
        u.createdAt,
        u.lastLoginAt,
      ]);
    }
    const stats = (logins: number, posts: number) => ({
      logins,
      posts,
      uploads: 0,
      downloads: 0,
      uploadBytes: 0,
      downloadBytes: 0,
      timeOnlineSeconds: 0,
    });
    assert.deepEqual(rows, [
      [
        "SYSOP",
        "Sysop",
        "blah",
        "Impulse Sysop",
        255,
        "",
        "active",
        stats(142, 19),
        day("1980-01-01"),
        day("1998-08-29"),
      ],
      [
        "D",
        "d",
        "d",
        "look mom, i'm an imp gimp!",
        30,
        "",
        "active",
        stats(9, 0),
        day("1998-08-11"),
        day("1998-08-20"),
      ],
      [
        "H",
        "d",
        "dd",
        "",
        30,
        "",
        "active",
        stats(2, 0),
        day("1998-08-11"),
        day("1998-08-20"),
      ],
      [
        "LO",
        "lo",
        "2",
        "",
        20,
        "",
        "active",
        stats(1, 0),
        day("1998-08-20"),
        day("1998-08-20"),
      ],
      [
        "DD",
        "dd",
        "dd",
        "",
        20,
        "",
        "active",
        stats(0, 0),
        day("1998-08-20"),
        day("1998-08-20"),
      ],
    ]);
    assert.equal(await storage.users.get(6), null);
    // None of the sample's users is locked out or deleted: none is banned, none has a reason.
    for (let id = 1; id <= 5; id++) {
      const u = (await storage.users.get(id))!;
      assert.deepEqual([u.status, u.statusReason, u.lockedUntil], [
        "active",
        null,
        null,
      ]);
    }
    assert.equal(await storage.users.count({ status: "banned" }), 0);
    assert.doesNotMatch((await storage.users.get(1))!.passwordHash, /FLARE/i);
    // Old passwords log in, in any case; nothing else does, and none is stored in clear.
    const passwords = { SYSOP: "FLARE", D: "D", H: "H", LO: "LO", DD: "DD" };
    for (const [name, password] of Object.entries(passwords)) {
      const user = (await storage.users.findByUsername(name.toLowerCase()))!;
      assert.match(user.passwordHash, /^\$scrypt\$ln=10,r=8,p=1,ci=1\$/);
      for (const typed of [password, password.toLowerCase()]) {
        assert.equal(await verifyPassword(typed, user.passwordHash), true);
      }
      assert.equal(
        await verifyPassword(`${password}X`, user.passwordHash),
        false,
      );
    }
  },
  { sample: true },
);

importTest(
  "importImpulse71() brings the sample's boards and its 80 live e-mails across, in slot order",
  async (storage) => {
    const report = await importImpulse71(SAMPLE!, storage, FAST);
    assert.deepEqual(report.counts.messageAreas, {
      read: 4,
      imported: 3,
      skipped: 1,
    });
    assert.deepEqual(report.counts.messages, {
      read: 2,
      imported: 0,
      skipped: 2,
    });
    assert.deepEqual(report.counts.mail, {
      read: 98,
      imported: 80,
      skipped: 18,
    });
    const areas = await storage.messageAreas.list();
    assert.deepEqual(
      areas.map((a) => [a.tag, a.name, a.kind, a.msgCount, a.lastMsgNum]),
      [
        ["BS", "Local Bullshit", "local", 0, 0],
        ["NEWBOARD", "Unused", "local", 0, 0],
        ["EMAIL", "E-mail", "private", 80, 80],
      ],
    );
    // BOARDS.DAT's settings: acs and postacs "s30", 100 messages kept, origin "blah", and
    // not visible without access.
    assert.deepEqual(
      areas.map((a) => [a.maxMessages, a.origin, a.anonymous, a.access]),
      [
        ...[0, 1].map(() => [100, "blah", "never", {
          readLevel: 30,
          writeLevel: 30,
          readFlags: "",
          writeFlags: "",
          hidden: true,
          sysopLevel: 255,
        }]),
        [null, "", "never", {
          readLevel: 0,
          writeLevel: 0,
          readFlags: "",
          writeFlags: "",
          hidden: false,
          sysopLevel: 255,
        }],
      ],
    );
    const mail = await storage.messages.list(areas[2]!.id, { limit: 1000 });
    assert.deepEqual(
      mail.map((m) => m.msgNum),
      [...Array(80)].map((_, i) => i + 1),
    );
    for (const m of mail) {
      // Sent anonymously by a Co-SysOp: callers saw "Anonymous", so the import shows that.
      assert.equal(m.fromName, "Anonymous");
      assert.equal(m.fromUserId, null);
      assert.equal(m.toUserId, null);
      assert.equal(m.subject, "test");
      assert.equal(
        m.body,
        "i rule the fucking world you piece of shit cock sucker! you can bite my gimpy\narse!\n\nmardukkian",
      );
      assert.deepEqual(m.createdAt, new Date("1997-12-22T23:33:16.110Z"));
      assert.equal(m.parentId, null);
    }
    const to = mail.map((m) => m.toName);
    assert.deepEqual(to.slice(0, 3), [
      "INTERNAL STALKER",
      "ZONE",
      "D'ARC KNIGHT",
    ]);
    assert.equal(to[53], "‼◄JAVIST");
    assert.deepEqual(to.slice(-2), ["MENTICIDE", "_DIZZ_"]);
    assert.equal(new Set(to).size, 80);
    assert.ok(
      report.changed.some((c) =>
        c.kind === "mail" && c.record === 53 && /glyphs/.test(c.reason)
      ),
    );
  },
  { sample: true },
);

importTest(
  "importImpulse71() brings the sample's file area SR across with its 13 entries, long descriptions as DIZ text",
  async (storage) => {
    const report = await importImpulse71(SAMPLE!, storage, FAST);
    assert.deepEqual(report.counts.fileAreas, {
      read: 4,
      imported: 1,
      skipped: 3,
    });
    assert.deepEqual(report.counts.files, {
      read: 64,
      imported: 13,
      skipped: 51,
    });
    const [sr] = await storage.fileAreas.list();
    assert.deepEqual([sr!.tag, sr!.name], ["SR", "Unused"]);
    assert.deepEqual([sr!.storagePath, sr!.access.readLevel], [
      "C:\\SR\\ART\\",
      0,
    ]);
    const files = await storage.files.list(sr!.id);
    const sauce = (artist: string, group: string, date: string) =>
      `Artist: ${artist}\nGroup:${
        group ? ` ${group}` : ""
      }\nDate: ${date}\nSauce: v00`;
    const title = (text: string) => `Title: ${text}`.padEnd(42);
    assert.deepEqual(
      files.map((
        f,
      ) => [
        f.filename,
        f.description,
        f.diz,
        f.size,
        f.uploaderId,
        f.uploadedAt,
        f.downloads,
      ]),
      [
        ["SRART.ZIP", "blah", "", 276 * 128, 1, day("1998-07-28"), 0],
        ["SC-SRAD.ANS", "", "", 35 * 128, 1, day("1998-07-27"), 0],
        [
          "US-RAD.ANS",
          "",
          sauce("idler & sephiroth", "", "07/24/1998"),
          343 * 128,
          1,
          day("1998-07-27"),
          0,
        ],
        [
          "US-SUPER.ANS",
          title("Super Rad"),
          sauce("Enzo", "Zenith", "05/30/1998"),
          666 * 128,
          1,
          day("1998-07-27"),
          0,
        ],
        ["E0-BAT.ANS", "blah", "", 49 * 128, 1, day("1998-07-27"), 0],
        ["LS-SUPRD.ANS", "gimp ansi!", "", 20 * 128, 1, day("1998-05-15"), 0],
        [
          "KL-SRAD.ANS",
          title("superRAD"),
          sauce("knocturnal", "avenge", "|DT"),
          21 * 128,
          1,
          day("1998-05-15"),
          0,
        ],
        [
          "US-HOR.ANS",
          title("HOR"),
          sauce("Multiple Artists", "AvengeCult 98", "|DT"),
          60 * 128,
          1,
          day("1998-05-15"),
          0,
        ],
        ["K4-RAD.ANS", "ansi!", "", 13 * 128, 1, day("1998-05-15"), 0],
        ["3L-SRAD.ANS", "ansi!", "", 9 * 128, 1, day("1998-05-15"), 0],
        [
          "ENZO-SR1.ANS",
          title("Supah Soccer Rad"),
          sauce("Enzo", "Fire Graphics 1998", "|DT"),
          209 * 128,
          1,
          day("1998-05-15"),
          0,
        ],
        ["KY-SR1.ANS", "ansi!", "", 43 * 128, 1, day("1998-05-15"), 0],
        ["TR-SUPER.ASC", "ascii!", "", 32 * 128, 1, day("1998-05-15"), 0],
      ],
    );
    // Uploading counted nothing beyond what USER.LST says.
    assert.equal((await storage.users.get(1))!.stats.uploads, 0);
  },
  { sample: true },
);

importTest(
  "importImpulse71() keeps the sample's ten last callers in order and reports every skip",
  async (storage) => {
    const report = await importImpulse71(SAMPLE!, storage, FAST);
    assert.deepEqual(report.counts.lastCallers, {
      read: 10,
      imported: 10,
      skipped: 0,
    });
    assert.deepEqual(report.counts.lastRead, {
      read: 6,
      imported: 0,
      skipped: 6,
    });
    const callers = await storage.callers.recent(20);
    assert.deepEqual(
      callers.map((c) => [c.userId, c.username]),
      [
        [2, "D"],
        [null, "Flare"],
        [1, "Sysop"],
        [null, "Horrid"],
        ...[...Array(6)].map(() => [1, "Sysop"]),
      ],
    );
    // D's last call (08/20/98) is the newest on the list; no call is dated after it.
    for (const c of callers) assert.deepEqual(c.loginAt, day("1998-08-20"));
    // Every skip is counted under its kind, has a reason, and the decoder's findings all come along.
    for (const [kind, count] of Object.entries(report.counts)) {
      assert.equal(count.read, count.imported + count.skipped, kind);
      assert.equal(
        report.skipped.filter((s) => s.kind === kind).length,
        count.skipped,
        kind,
      );
    }
    for (const s of report.skipped) assert.match(s.reason, /\w{3}/);
    assert.equal(report.problems.length, 74);
    assert.deepEqual(
      report.skipped.filter((s) => s.kind !== "files" && s.kind !== "mail").map(
        (s) => [s.kind, s.file, s.record],
      ),
      [
        ["users", "DATA/USER.LST", 0],
        ["messages", "MSGS/BS.MIX", 0],
        ["messages", "MSGS/LOCAL.MIX", 0],
        ["messageAreas", "MSGS/LOCAL.MIX", null],
        ["fileAreas", "DATA/UPLOADS.DAT", 0],
        ["fileAreas", "DATA/MISC.DIR", null],
        ["fileAreas", "DATA/TEST.DIR", null],
        ["lastRead", "DATA/ZSCAN.DAT", 0],
        ["lastRead", "DATA/ZSCAN.DAT", 6],
        ["lastRead", "DATA/ZSCAN.DAT", 7],
        ["lastRead", "DATA/ZSCAN.DAT", 8],
        ["lastRead", "DATA/ZSCAN.DAT", 9],
        ["lastRead", "DATA/ZSCAN.DAT", 1],
      ],
    );
    const mailSkips = report.skipped.filter((s) => s.kind === "mail");
    assert.equal(
      mailSkips.filter((s) => /is deleted/.test(s.reason)).length,
      7,
    );
    assert.equal(
      mailSkips.filter((s) => /in no index slot/.test(s.reason)).length,
      11,
    );
  },
  { sample: true },
);

importTest(
  "importImpulse71() with includeOrphans brings LOCAL, MISC and TEST across too",
  async (storage) => {
    const report = await importImpulse71(SAMPLE!, storage, {
      ...FAST,
      includeOrphans: true,
    });
    assert.deepEqual(report.counts.messageAreas, {
      read: 4,
      imported: 4,
      skipped: 0,
    });
    assert.deepEqual(report.counts.fileAreas, {
      read: 4,
      imported: 3,
      skipped: 1,
    });
    assert.deepEqual(report.counts.files, {
      read: 64,
      imported: 64,
      skipped: 0,
    });
    assert.deepEqual((await storage.messageAreas.list()).map((a) => a.tag), [
      "BS",
      "NEWBOARD",
      "EMAIL",
      "LOCAL",
    ]);
    const areas = await storage.fileAreas.list();
    assert.deepEqual(areas.map((a) => a.tag), ["SR", "MISC", "TEST"]);
    const misc = await storage.files.list(areas[1]!.id, { limit: 100 });
    assert.equal(misc.length, 45);
    // MISC.DIR came from another board: its uploader is no user here.
    assert.ok(misc.every((f) => f.uploaderId === null));
    assert.equal(
      report.changed.filter((c) => /NIVENH/.test(c.reason)).length,
      45,
    );
    assert.equal((await storage.files.list(areas[2]!.id)).length, 6);
  },
  { sample: true },
);
