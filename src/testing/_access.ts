/**
 * Conformance cases of access through `storage.as()` (issue 12, item 3): area levels, flags,
 * hidden areas and area sysops; who may write what; barred users; `tx.as()`; changes that take
 * effect on the next call; and a walk of every operation through a banned viewer. Written from
 * the wording of the decisions (ACCESS_SPEC), before the implementation.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Repositories, StorageError, User } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { operation, type OperationName, OPERATIONS } from "../ops/mod.ts";

/** A user of `level` and `flags`. */
export function member(
  s: Repositories,
  username: string,
  securityLevel = 10,
  flags = "",
): Promise<User> {
  return s.users.create({ username, passwordHash: "h", securityLevel, flags });
}

/**
 * Asserts `work` rejects as `forbidden`, and, given an area, that the message names it: by its
 * tag, or, for an area the viewer may not see (`hidden`), by its id alone (the tag kept back).
 */
export async function forbidden(
  work: Promise<unknown> | (() => Promise<unknown>),
  area?: { id: number; tag: string },
  hidden = false,
): Promise<StorageError> {
  const error = await rejectsKind(work, "forbidden");
  if (area !== undefined && !hidden) {
    assert.ok(
      error.message.includes(area.tag),
      `the message names the area ${area.tag}: ${error.message}`,
    );
  }
  if (area !== undefined && hidden) {
    assert.ok(
      new RegExp(`area ${area.id}\\b`).test(error.message) &&
        !error.message.includes(area.tag),
      `the message names the area ${area.id} by its id alone: ${error.message}`,
    );
  }
  return error;
}

const ids = (records: { id: number }[]) => records.map((r) => r.id);

testCase(
  "access: storage.as() validates userId and refuses a user who does not exist",
  async (s) => {
    for (const bad of [0, -1, 1.5, "1", null, undefined, 2 ** 53]) {
      await rejectsKind(s.as(bad as never), "validation", "userId");
    }
    await rejectsKind(s.as(4242), "not_found");
    const gone = await member(s, "gone");
    await s.users.delete(gone.id);
    await rejectsKind(s.as(gone.id), "not_found");
    const here = await member(s, "here");
    const view = await s.as(here.id);
    assert.equal((await view.users.get(here.id))?.id, here.id);
  },
);

testCase(
  "access: the storage and tx themselves stay the system's view",
  async (s) => {
    const low = await member(s, "low", 0);
    const other = await member(s, "other");
    const closed = await s.messageAreas.create({
      tag: "CLOSED",
      name: "Closed",
      kind: "private",
      access: {
        readLevel: 255,
        writeLevel: 255,
        readFlags: "Z",
        hidden: true,
        sysopLevel: 255,
      },
    });
    const files = await s.fileAreas.create({
      tag: "FCLOSED",
      name: "Closed files",
      uploadsAllowed: false,
      access: { readLevel: 255, hidden: true },
    });
    // The system posts as anyone, anywhere.
    const mail = await s.messages.post({
      areaId: closed.id,
      fromUserId: other.id,
      toUserId: other.id,
      subject: "private",
      body: "b",
    });
    const file = await s.files.add({
      areaId: files.id,
      filename: "A.ZIP",
      size: 1,
      uploaderId: low.id,
    });
    await s.users.setProps(other.id, { secret: 1 });
    assert.deepEqual(ids(await s.messageAreas.list()), [closed.id]);
    assert.deepEqual(ids(await s.fileAreas.list()), [files.id]);
    assert.deepEqual(await s.messages.get(mail.id), mail);
    assert.deepEqual(await s.files.get(file.id), file);
    assert.equal((await s.messageAreas.get(closed.id))?.msgCount, 1);
    assert.deepEqual(await s.users.getProps(other.id), { secret: 1 });
    await s.transaction(async (tx) => {
      assert.deepEqual(ids(await tx.messageAreas.list()), [closed.id]);
      assert.deepEqual(await tx.messages.get(mail.id), mail);
      assert.deepEqual(await tx.mail.listFor(other.id), [mail]);
      await tx.messages.post({
        areaId: closed.id,
        fromUserId: low.id,
        subject: "tx",
        body: "b",
      });
    });
    assert.equal((await s.messageAreas.get(closed.id))?.msgCount, 2);
  },
);

testCase(
  "access: below readLevel an area's messages are unreadable on every path, but the area is listed",
  async (s) => {
    const author = await member(s, "author", 100);
    const low = await member(s, "low", 49);
    const high = await member(s, "high", 50);
    const open = await s.messageAreas.create({ tag: "OPEN", name: "Open" });
    const secret = await s.messageAreas.create({
      tag: "SECRET",
      name: "Secret",
      access: { readLevel: 50 },
    });
    const post = (areaId: number, extra: Record<string, unknown> = {}) =>
      s.messages.post({
        areaId,
        fromUserId: author.id,
        subject: "lemur sighting",
        body: "lemur",
        ...extra,
      });
    const visible = await post(open.id);
    const root = await post(secret.id, {
      ftnMsgid: "1:2/3 0001",
      toUserId: low.id,
    });
    const reply = await post(secret.id, { parentId: root.id });
    const lv = await s.as(low.id);
    assert.equal((await lv.messageAreas.get(secret.id))?.id, secret.id);
    assert.equal((await lv.messageAreas.getByTag("secret"))?.id, secret.id);
    assert.deepEqual(ids(await lv.messageAreas.list()), [open.id, secret.id]);
    assert.equal(await lv.messages.get(root.id), null);
    assert.equal(await lv.messages.get(reply.id), null);
    assert.deepEqual(await lv.messages.list(secret.id), []);
    assert.deepEqual(await lv.messages.thread(reply.id), []);
    assert.deepEqual(await lv.messages.thread(root.id), []);
    assert.equal(await lv.messages.findByMsgid(secret.id, "1:2/3 0001"), null);
    assert.deepEqual(ids(await lv.messages.search("lemur")), [visible.id]);
    assert.deepEqual(
      await lv.messages.search("lemur", { areaId: secret.id }),
      [],
    );
    assert.deepEqual(await lv.reading.readNext(low.id, secret.id), []);
    assert.deepEqual(
      (await lv.reading.newScan(low.id)).map((e) => e.area.tag),
      ["OPEN"],
    );
    assert.deepEqual(await lv.mail.listFor(low.id), [], "mail in SECRET");
    // Exactly the read level reads it all.
    const hv = await s.as(high.id);
    assert.deepEqual(await hv.messages.get(root.id), root);
    assert.deepEqual(ids(await hv.messages.list(secret.id)), [
      root.id,
      reply.id,
    ]);
    assert.deepEqual(ids(await hv.messages.thread(reply.id)), [
      root.id,
      reply.id,
    ]);
    assert.equal(
      (await hv.messages.findByMsgid(secret.id, "1:2/3 0001"))?.id,
      root.id,
    );
    assert.deepEqual(
      ids(await hv.messages.search("lemur")).sort((a, b) => a - b),
      [visible.id, root.id, reply.id],
    );
    assert.deepEqual(
      ids(await hv.reading.readNext(high.id, secret.id)),
      [root.id, reply.id],
    );
    assert.deepEqual(
      (await hv.reading.newScan(high.id)).map((e) => [e.area.tag, e.unread]),
      [["OPEN", 1], ["SECRET", 2]],
    );
    assert.deepEqual(ids(await hv.mail.listFor(low.id)), [root.id]);
  },
);

testCase(
  "access: below readLevel a file area's files are unreadable on every path",
  async (s) => {
    const low = await member(s, "low", 49);
    const high = await member(s, "high", 50);
    const open = await s.fileAreas.create({ tag: "OPEN", name: "Open" });
    const secret = await s.fileAreas.create({
      tag: "SECRET",
      name: "Secret",
      access: { readLevel: 50 },
    });
    const sha = "ab".repeat(32);
    const add = (areaId: number, filename: string) =>
      s.files.add({
        areaId,
        filename,
        size: 10,
        description: "wombat utility",
        sha256: sha,
      });
    const a = await add(open.id, "A.ZIP");
    const b = await add(secret.id, "B.ZIP");
    const lv = await s.as(low.id);
    assert.equal((await lv.fileAreas.get(secret.id))?.id, secret.id);
    assert.equal((await lv.fileAreas.getByTag("SECRET"))?.id, secret.id);
    assert.deepEqual(ids(await lv.fileAreas.list()), [open.id, secret.id]);
    assert.equal(await lv.files.get(b.id), null);
    assert.deepEqual(await lv.files.list(secret.id), []);
    assert.deepEqual(ids(await lv.files.listNew(new Date(0))), [a.id]);
    assert.deepEqual(ids(await lv.files.findByHash(sha)), [a.id]);
    assert.deepEqual(ids(await lv.files.search("wombat")), [a.id]);
    assert.deepEqual(
      await lv.files.search("wombat", { areaId: secret.id }),
      [],
    );
    const hv = await s.as(high.id);
    assert.deepEqual(await hv.files.get(b.id), b);
    assert.deepEqual(ids(await hv.files.list(secret.id)), [b.id]);
    assert.deepEqual(
      ids(await hv.files.listNew(new Date(0))).sort((x, y) => x - y),
      [a.id, b.id],
    );
    assert.deepEqual(ids(await hv.files.findByHash(sha)), [a.id, b.id]);
    assert.deepEqual(
      ids(await hv.files.search("wombat")).sort((x, y) => x - y),
      [a.id, b.id],
    );
  },
);

testCase(
  "access: files.search, listNew and findByHash filter in the query: 30 unreadable matches and 20 readable, limit 20, give the 20 readable",
  async (s) => {
    const low = await member(s, "low", 10);
    const open = await s.fileAreas.create({ tag: "OPEN", name: "Open" });
    const secret = await s.fileAreas.create({
      tag: "SECRET",
      name: "Secret",
      access: { readLevel: 50 },
    });
    const sha = "ef".repeat(32);
    const readable: number[] = [];
    // The readable files come first, so the newest (listNew) and best (search) are unreadable.
    for (let i = 0; i < 20; i++) {
      readable.push(
        (await s.files.add({
          areaId: open.id,
          filename: `OPEN${i}.ZIP`,
          description: "a numbat",
          size: 1,
          sha256: sha,
          uploadedAt: new Date(Date.UTC(2000, 0, 1, 0, 0, i)),
        })).id,
      );
    }
    for (let i = 0; i < 30; i++) {
      await s.files.add({
        areaId: secret.id,
        filename: `NUMBAT${i}.ZIP`,
        description: "numbat numbat",
        size: 1,
        sha256: sha,
        uploadedAt: new Date(Date.UTC(2010, 0, 1, 0, 0, i)),
      });
    }
    const v = await s.as(low.id);
    const sorted = (list: { id: number }[]) => ids(list).sort((a, b) => a - b);
    assert.deepEqual(
      sorted(await v.files.search("numbat", { limit: 20 })),
      readable,
    );
    assert.deepEqual(
      sorted(await v.files.listNew(new Date(0), { limit: 20 })),
      readable,
    );
    assert.deepEqual(
      ids(await v.files.listNew(new Date(0), { limit: 5 })),
      [...readable].reverse().slice(0, 5),
      "newest first, of the readable",
    );
    assert.deepEqual(sorted(await v.files.findByHash(sha)), readable);
    assert.equal((await s.files.search("numbat", { limit: 1000 })).length, 50);
  },
);

testCase(
  "access: a hidden area is not listed, got or found by tag by those who cannot read it",
  async (s) => {
    const low = await member(s, "low", 10);
    const high = await member(s, "high", 60);
    const shown = await s.messageAreas.create({
      tag: "SHOWN",
      name: "Hidden but open",
      access: { hidden: true },
    });
    const hidden = await s.messageAreas.create({
      tag: "HIDDEN",
      name: "Hidden",
      access: { hidden: true, readLevel: 60 },
    });
    const fShown = await s.fileAreas.create({
      tag: "FSHOWN",
      name: "Hidden but open",
      access: { hidden: true },
    });
    const fHidden = await s.fileAreas.create({
      tag: "FHIDDEN",
      name: "Hidden",
      access: { hidden: true, readFlags: "X" },
    });
    const lv = await s.as(low.id);
    assert.equal(await lv.messageAreas.get(hidden.id), null);
    assert.equal(await lv.messageAreas.getByTag("HIDDEN"), null);
    assert.equal(await lv.messageAreas.getByTag("hidden"), null);
    assert.deepEqual(ids(await lv.messageAreas.list()), [shown.id]);
    assert.deepEqual(await lv.messageAreas.get(shown.id), shown);
    assert.equal(await lv.fileAreas.get(fHidden.id), null);
    assert.equal(await lv.fileAreas.getByTag("FHIDDEN"), null);
    assert.deepEqual(ids(await lv.fileAreas.list()), [fShown.id]);
    // Reading it (level, or flags) makes it visible.
    const hv = await s.as(high.id);
    assert.deepEqual(await hv.messageAreas.get(hidden.id), hidden);
    assert.deepEqual(await hv.messageAreas.getByTag("hidden"), hidden);
    assert.deepEqual(ids(await hv.messageAreas.list()), [shown.id, hidden.id]);
    assert.equal(await hv.fileAreas.get(fHidden.id), null, "lacks flag X");
    const flagged = await member(s, "flagged", 0, "X");
    const fv = await s.as(flagged.id);
    assert.deepEqual(await fv.fileAreas.get(fHidden.id), fHidden);
    assert.deepEqual(ids(await fv.fileAreas.list()), [fShown.id, fHidden.id]);
    assert.equal(await fv.messageAreas.get(hidden.id), null);
  },
);

const FLAG_ROWS: [string, boolean, boolean, boolean, boolean][] = [
  // flags, reads messages, posts, lists files, uploads
  ["", false, false, false, false],
  ["A", false, false, false, false],
  ["B", false, false, false, false],
  ["C", false, false, false, false],
  ["AB", true, false, false, false],
  ["ABC", true, true, false, false],
  ["ABCKU", true, true, true, false],
  ["KV", false, false, true, false],
  ["KUV", false, false, true, true],
  ["UV", false, false, false, false],
  ["ABCDKUVZ", true, true, true, true],
];

testCase(
  "access: a message area's readFlags and writeFlags need every letter",
  async (s) => {
    const author = await member(s, "author");
    const area = await s.messageAreas.create({
      tag: "FLAGS",
      name: "Flags",
      access: { readFlags: "AB", writeFlags: "C" },
    });
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    for (const [flags, reads, posts] of FLAG_ROWS) {
      const u = await member(s, `u${flags || "none"}`, 10, flags);
      const v = await s.as(u.id);
      assert.equal(
        (await v.messages.get(m.id))?.id,
        reads ? m.id : undefined,
        `${flags} reads`,
      );
      const post = v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: flags,
        body: "b",
      });
      if (posts) await post;
      else await forbidden(post, area);
    }
    const posted = await s.messages.list(area.id);
    assert.deepEqual(posted.map((p) => p.subject), [
      "s",
      "ABC",
      "ABCKU",
      "ABCDKUVZ",
    ]);
  },
);

testCase(
  "access: a file area's readFlags and writeFlags need every letter",
  async (s) => {
    const files = await s.fileAreas.create({
      tag: "FFLAGS",
      name: "Flags",
      access: { readFlags: "K", writeFlags: "UV" },
    });
    const f = await s.files.add({ areaId: files.id, filename: "F", size: 1 });
    for (const [flags, , , lists, uploads] of FLAG_ROWS) {
      const u = await member(s, `u${flags || "none"}`, 10, flags);
      const v = await s.as(u.id);
      const add = v.files.add({
        areaId: files.id,
        filename: `up-${flags || "none"}`,
        size: 1,
        uploaderId: u.id,
      });
      if (uploads) await add;
      else await forbidden(add, files);
      assert.equal(
        (await v.files.get(f.id))?.id,
        lists ? f.id : undefined,
        `${flags} lists`,
      );
    }
    const uploaded = await s.files.list(files.id);
    assert.deepEqual(
      uploaded.map((u) => u.filename).sort(),
      ["F", "up-ABCDKUVZ", "up-KUV"],
    );
  },
);

testCase(
  "access: writeLevel gates messages.post; forbidden names the area and writes nothing",
  async (s) => {
    const general = await s.messageAreas.create({
      tag: "GENERAL",
      name: "General",
      access: { writeLevel: 20 },
    });
    const readers = await s.messageAreas.create({
      tag: "READERS",
      name: "Readable at 30",
      access: { readLevel: 30 },
    });
    const u19 = await member(s, "nineteen", 19);
    const u20 = await member(s, "twenty", 20);
    const v19 = await s.as(u19.id);
    const input = { areaId: general.id, subject: "hi", body: "b" };
    const error = await forbidden(
      v19.messages.post({ ...input, fromUserId: u19.id }),
      general,
    );
    assert.ok(
      error.message.includes(String(general.id)),
      `names the area's id: ${error.message}`,
    );
    assert.deepEqual(await s.messageAreas.get(general.id), general);
    assert.deepEqual(await s.messages.list(general.id), []);
    assert.equal((await s.users.get(u19.id))!.stats.posts, 0);
    // Reading is still allowed below writeLevel.
    assert.deepEqual(await v19.messages.list(general.id), []);
    const v20 = await s.as(u20.id);
    const posted = await v20.messages.post({ ...input, fromUserId: u20.id });
    assert.equal(posted.msgNum, 1);
    assert.equal((await s.users.get(u20.id))!.stats.posts, 1);
    assert.deepEqual(ids(await v19.messages.list(general.id)), [posted.id]);
    // An area one cannot read cannot be written, whatever its writeLevel.
    await forbidden(
      v20.messages.post({ ...input, areaId: readers.id, fromUserId: u20.id }),
      readers,
    );
    assert.equal((await s.messageAreas.get(readers.id))!.msgCount, 0);
    assert.equal((await s.users.get(u20.id))!.stats.posts, 1);
  },
);

testCase(
  "access: messages.post as anyone but the viewer is forbidden",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const me = await member(s, "me");
    const other = await member(s, "other");
    const v = await s.as(me.id);
    const input = { areaId: area.id, subject: "s", body: "b" };
    await forbidden(v.messages.post({ ...input, fromUserId: other.id }));
    await forbidden(
      v.messages.post({ ...input, fromUserId: null, fromName: "Ghost" }),
    );
    assert.deepEqual(await s.messages.list(area.id), []);
    assert.equal((await s.users.get(other.id))!.stats.posts, 0);
    const mine = await v.messages.post({
      ...input,
      fromUserId: me.id,
      toUserId: other.id,
    });
    assert.equal(mine.fromUserId, me.id);
    // Left out, fromUserId would be null too: a post by no user, not by the viewer.
    await forbidden(v.messages.post({ ...input, fromName: "Ghost" }));
    assert.deepEqual(ids(await s.messages.list(area.id)), [mine.id]);
  },
);

testCase(
  "access: files.add needs a writable area, the viewer as uploader, and uploads allowed or a sysop",
  async (s) => {
    const area = await s.fileAreas.create({
      tag: "UPLOADS",
      name: "Uploads",
      access: { writeLevel: 20, sysopLevel: 100 },
    });
    const closed = await s.fileAreas.create({
      tag: "CLOSED",
      name: "Closed for uploads",
      uploadsAllowed: false,
      access: { sysopLevel: 100 },
    });
    const u10 = await member(s, "ten", 10);
    const u20 = await member(s, "twenty", 20);
    const sysop = await member(s, "sysop", 100);
    const v10 = await s.as(u10.id);
    const v20 = await s.as(u20.id);
    const vs = await s.as(sysop.id);
    const file = (
      areaId: number,
      filename: string,
      uploaderId: number | null,
    ) => ({
      areaId,
      filename,
      size: 100,
      uploaderId,
    });
    await forbidden(v10.files.add(file(area.id, "A.ZIP", u10.id)), area);
    await forbidden(v20.files.add(file(area.id, "A.ZIP", u10.id)));
    await forbidden(v20.files.add(file(area.id, "A.ZIP", null)));
    await forbidden(v20.files.add(file(closed.id, "A.ZIP", u20.id)), closed);
    assert.deepEqual(await s.files.list(area.id), []);
    assert.deepEqual(await s.files.list(closed.id), []);
    for (const u of [u10, u20]) {
      assert.deepEqual((await s.users.get(u.id))!.stats, u.stats);
    }
    const a = await v20.files.add(file(area.id, "A.ZIP", u20.id));
    assert.equal(a.uploaderId, u20.id);
    assert.equal((await s.users.get(u20.id))!.stats.uploads, 1);
    const c = await vs.files.add(file(closed.id, "C.ZIP", sysop.id));
    assert.deepEqual(ids(await s.files.list(closed.id)), [c.id]);
    // Left out, uploaderId would be null too: an upload by no user, not by the viewer.
    await forbidden(
      v20.files.add({ areaId: area.id, filename: "B.ZIP", size: 100 }),
    );
    assert.deepEqual(ids(await s.files.list(area.id)), [a.id]);
  },
);

testCase(
  "access: an area's sysop reads, lists and writes it whatever its levels, flags and hiding",
  async (s) => {
    const locked = {
      readLevel: 250,
      writeLevel: 250,
      readFlags: "Z",
      writeFlags: "Y",
      hidden: true,
      sysopLevel: 100,
    };
    const area = await s.messageAreas.create({
      tag: "STAFF",
      name: "Staff",
      access: locked,
    });
    const files = await s.fileAreas.create({
      tag: "FSTAFF",
      name: "Staff files",
      access: locked,
    });
    const sysop = await member(s, "sysop", 100);
    const almost = await member(s, "almost", 99, "Z");
    const vs = await s.as(sysop.id);
    const va = await s.as(almost.id);
    assert.deepEqual(await vs.messageAreas.get(area.id), area);
    assert.deepEqual(ids(await vs.messageAreas.list()), [area.id]);
    assert.deepEqual(await vs.fileAreas.getByTag("fstaff"), files);
    const m = await vs.messages.post({
      areaId: area.id,
      fromUserId: sysop.id,
      subject: "s",
      body: "b",
    });
    const f = await vs.files.add({
      areaId: files.id,
      filename: "S.ZIP",
      size: 1,
      uploaderId: sysop.id,
    });
    assert.deepEqual(await vs.messages.get(m.id), m);
    assert.deepEqual(await vs.files.get(f.id), f);
    // One level below: flag Z but not level 250, so not even visible.
    assert.equal(await va.messageAreas.get(area.id), null);
    assert.deepEqual(await va.messageAreas.list(), []);
    assert.equal(await va.messages.get(m.id), null);
    assert.equal(await va.fileAreas.get(files.id), null);
    assert.equal(await va.files.get(f.id), null);
  },
);

testCase(
  "access: posting or uploading in a hidden area the viewer cannot see is forbidden, naming the area by its id alone, and writes nothing",
  async (s) => {
    const hidden = { readLevel: 50, hidden: true };
    const area = await s.messageAreas.create({
      tag: "HIDDEN",
      name: "Hidden",
      access: hidden,
    });
    const files = await s.fileAreas.create({
      tag: "FHIDDEN",
      name: "Hidden",
      access: hidden,
    });
    const u = await member(s, "user", 49);
    const v = await s.as(u.id);
    assert.equal(await v.messageAreas.get(area.id), null);
    // The issue: "forbidden that names the area"; README: an area the viewer may not see is
    // named by its id alone.
    await forbidden(
      v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: "s",
        body: "b",
      }),
      area,
      true,
    );
    await forbidden(
      v.files.add({
        areaId: files.id,
        filename: "A.ZIP",
        size: 1,
        uploaderId: u.id,
      }),
      files,
      true,
    );
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 0);
    assert.deepEqual(await s.files.list(files.id), []);
    assert.deepEqual((await s.users.get(u.id))!.stats, u.stats);
  },
);

testCase(
  "access: levels compare inclusively: readLevel, writeLevel and sysopLevel reached exactly",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "EDGE",
      name: "Edge",
      access: { readLevel: 30, writeLevel: 40, sysopLevel: 60 },
    });
    const author = await member(s, "author", 0);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    const rows: [number, boolean, boolean, boolean][] = [
      // level, reads, posts, edits another's message (area sysop)
      [29, false, false, false],
      [30, true, false, false],
      [39, true, false, false],
      [40, true, true, false],
      [59, true, true, false],
      [60, true, true, true],
    ];
    for (const [level, reads, posts, edits] of rows) {
      const u = await member(s, `level${level}`, level);
      const v = await s.as(u.id);
      assert.equal(
        (await v.messages.get(m.id))?.id,
        reads ? m.id : undefined,
        `level ${level} reads`,
      );
      const post = v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: `${level}`,
        body: "b",
      });
      if (posts) await post;
      else await forbidden(post, area);
      const edit = v.messages.update(m.id, { body: `edited by ${level}` });
      if (edits) await edit;
      else await rejectsKind(edit, reads ? "forbidden" : "not_found");
    }
    assert.equal((await s.messages.get(m.id))!.body, "edited by 60");
  },
);

testCase(
  "access: messages.update and delete take the author or the area's sysop; an unreadable message is not_found",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "A",
      name: "A",
      access: { sysopLevel: 100 },
    });
    const high = await s.messageAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 50 },
    });
    const alice = await member(s, "alice", 60);
    const bob = await member(s, "bob", 10);
    const mod = await member(s, "mod", 100);
    const post = (areaId: number, from: User, subject: string) =>
      s.messages.post({ areaId, fromUserId: from.id, subject, body: "b" });
    const a1 = await post(area.id, alice, "alice 1");
    const a2 = await post(area.id, alice, "alice 2");
    const b1 = await post(area.id, bob, "bob 1");
    const hidden = await post(high.id, alice, "high");
    const vb = await s.as(bob.id);
    await forbidden(vb.messages.update(a1.id, { subject: "mine now" }));
    await forbidden(vb.messages.delete(a1.id));
    await rejectsKind(
      vb.messages.update(hidden.id, { subject: "x" }),
      "not_found",
    );
    await rejectsKind(vb.messages.delete(hidden.id), "not_found");
    assert.deepEqual(await s.messages.get(a1.id), a1);
    assert.deepEqual(await s.messages.get(hidden.id), hidden);
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 3);
    assert.equal(
      (await vb.messages.update(b1.id, { subject: "bob edited" })).subject,
      "bob edited",
    );
    await vb.messages.delete(b1.id);
    const vm = await s.as(mod.id);
    assert.equal(
      (await vm.messages.update(a1.id, { body: "moderated" })).body,
      "moderated",
    );
    await vm.messages.delete(a2.id);
    assert.deepEqual(ids(await s.messages.list(area.id)), [a1.id]);
    // The author edits their own, in an area they read.
    const va = await s.as(alice.id);
    assert.equal(
      (await va.messages.update(hidden.id, { subject: "mine" })).subject,
      "mine",
    );
  },
);

testCase(
  "access: files.update, delete and recordDownload: the uploader or the area's sysop, the viewer's own download",
  async (s) => {
    const area = await s.fileAreas.create({
      tag: "F",
      name: "F",
      access: { sysopLevel: 100 },
    });
    const high = await s.fileAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 50 },
    });
    const alice = await member(s, "alice", 60);
    const bob = await member(s, "bob", 10);
    const mod = await member(s, "mod", 100);
    const add = (areaId: number, filename: string, uploaderId: number) =>
      s.files.add({ areaId, filename, size: 1000, uploaderId });
    const a1 = await add(area.id, "A1.ZIP", alice.id);
    const a2 = await add(area.id, "A2.ZIP", alice.id);
    const b1 = await add(area.id, "B1.ZIP", bob.id);
    const hidden = await add(high.id, "H.ZIP", alice.id);
    const vb = await s.as(bob.id);
    await forbidden(vb.files.update(a1.id, { description: "mine" }));
    await forbidden(vb.files.delete(a1.id));
    await rejectsKind(
      vb.files.update(hidden.id, { description: "x" }),
      "not_found",
    );
    await rejectsKind(vb.files.delete(hidden.id), "not_found");
    await forbidden(vb.files.recordDownload(a1.id, alice.id));
    // A file the viewer cannot read: refused, as not_found or forbidden (the decisions name
    // neither for recordDownload), and not counted.
    const refused = await kindOf(vb.files.recordDownload(hidden.id, bob.id));
    assert.ok(["not_found", "forbidden"].includes(refused), refused);
    assert.deepEqual(await s.files.get(a1.id), a1);
    assert.deepEqual(await s.files.get(hidden.id), hidden);
    assert.deepEqual((await s.users.get(bob.id))!.stats, b1Stats(bob));
    assert.deepEqual((await s.users.get(alice.id))!.stats.downloads, 0);
    assert.equal((await vb.files.recordDownload(a1.id, bob.id)).downloads, 1);
    assert.equal((await s.users.get(bob.id))!.stats.downloads, 1);
    assert.equal(
      (await vb.files.update(b1.id, { description: "bob's" })).description,
      "bob's",
    );
    await vb.files.delete(b1.id);
    const vm = await s.as(mod.id);
    assert.equal(
      (await vm.files.update(a1.id, { description: "moderated" })).description,
      "moderated",
    );
    await vm.files.delete(a2.id);
    assert.deepEqual(ids(await s.files.list(area.id)), [a1.id]);
  },
);

/** bob's stats after uploading one file of 1000 bytes. */
function b1Stats(bob: User) {
  return { ...bob.stats, uploads: 1, uploadBytes: 1000 };
}

/** The kind a promise rejects with, or "fulfilled". */
async function kindOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "fulfilled";
  } catch (error) {
    return (error as StorageError).kind ?? String(error);
  }
}

testCase(
  "access: reading.markRead moves only the viewer's own pointer, in an area they read",
  async (s) => {
    const open = await s.messageAreas.create({ tag: "OPEN", name: "Open" });
    const high = await s.messageAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 50 },
    });
    const alice = await member(s, "alice", 60);
    const bob = await member(s, "bob", 10);
    for (const areaId of [open.id, open.id, high.id]) {
      await s.messages.post({
        areaId,
        fromUserId: alice.id,
        subject: "s",
        body: "b",
      });
    }
    const vb = await s.as(bob.id);
    await forbidden(vb.reading.markRead(alice.id, open.id, 2));
    await forbidden(vb.reading.markRead(bob.id, high.id, 1));
    assert.deepEqual(
      (await s.reading.newScan(alice.id)).map((e) => e.lastRead),
      [0, 0],
    );
    assert.deepEqual(
      (await s.reading.newScan(bob.id)).map((e) => [e.area.tag, e.lastRead]),
      [["OPEN", 0], ["HIGH", 0]],
    );
    assert.equal(await vb.reading.markRead(bob.id, open.id, 2), 2);
    assert.deepEqual(
      (await s.reading.newScan(bob.id)).map((e) => e.area.tag),
      ["HIGH"],
    );
  },
);

testCase(
  "access: area administration needs the sysop of every area involved",
  async (s) => {
    const mod = await member(s, "mod", 100);
    const boss = await member(s, "boss", 255);
    const vm = await s.as(mod.id);
    const vb = await s.as(boss.id);
    for (
      const repo of [
        "messageAreas",
        "fileAreas",
      ] as const
    ) {
      const areas = vm[repo];
      const system = s[repo];
      const top = await system.create({ tag: `${repo}-TOP`, name: "Top" });
      const before = await system.list();
      // create: of the new area's sysopLevel, 255 by default.
      await forbidden(areas.create({ tag: `${repo}-X`, name: "X" }));
      await forbidden(
        areas.create({
          tag: `${repo}-X`,
          name: "X",
          access: { sysopLevel: 101 },
        }),
      );
      assert.deepEqual(await system.list(), before);
      const mine = await areas.create({
        tag: `${repo}-MINE`,
        name: "Mine",
        access: { sysopLevel: 100 },
      });
      const spare = await areas.create({
        tag: `${repo}-SPARE`,
        name: "Spare",
        access: { sysopLevel: 50 },
      });
      // update: of the area as it is and as it will be.
      await forbidden(areas.update(top.id, { description: "d" }));
      await forbidden(
        areas.update(mine.id, { access: { sysopLevel: 200 } }),
      );
      await forbidden(
        areas.update(mine.id, { name: "Renamed", access: { sysopLevel: 101 } }),
      );
      assert.deepEqual(await system.get(mine.id), mine);
      assert.deepEqual(await system.get(top.id), top);
      assert.equal(
        (await areas.update(mine.id, { description: "d" })).description,
        "d",
      );
      // delete: of the area and of moveTo.
      await forbidden(areas.delete(top.id));
      await forbidden(areas.delete(spare.id, { moveTo: top.id }));
      assert.equal((await system.get(spare.id))?.id, spare.id);
      // reorder: of every area.
      const order = ids(await system.list()).reverse();
      await forbidden(areas.reorder(order));
      assert.deepEqual(
        ids(await system.list()),
        [...order].reverse(),
        "order unchanged",
      );
      await areas.delete(spare.id, { moveTo: mine.id });
      assert.equal(await system.get(spare.id), null);
      // The board sysop administers every area; once every area is the mod's, so does the mod.
      await vb[repo].update(top.id, { access: { sysopLevel: 90 } });
      await areas.reorder([mine.id, top.id]);
      assert.deepEqual(ids(await system.list()), [mine.id, top.id]);
      await areas.delete(top.id);
      assert.deepEqual(ids(await system.list()), [mine.id]);
      await vb[repo].update(mine.id, { access: { sysopLevel: 255 } });
      await forbidden(areas.delete(mine.id));
      await vb[repo].delete(mine.id);
      assert.deepEqual(await system.list(), []);
    }
  },
);

testCase(
  "access: users, sessions, settings, events and callers writes need a board sysop, but for the viewer's own account",
  async (s) => {
    const me = await member(s, "me", 254);
    const other = await member(s, "other", 10);
    const boss = await member(s, "boss", 255);
    const v = await s.as(me.id);
    const vb = await s.as(boss.id);
    const mine = await s.sessions.create({
      userId: me.id,
      ipAddress: "192.0.2.1",
    });
    const theirs = await s.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.2",
    });
    await s.settings.set("board.name", "Board");
    await s.events.append({ kind: "seed" });
    const state = async () => ({
      users: (await s.users.list({ orderBy: "id" })).users,
      props: await Promise.all(
        [me, other, boss].map((u) => s.users.getProps(u.id)),
      ),
      online: await s.sessions.listOnline(),
      settings: await s.settings.list(),
      events: await s.events.list(),
      callers: await s.callers.recent(),
      logins: await s.users.logins(me.id),
    });
    const before = await state();
    const refused: [string, () => Promise<unknown>][] = [
      [
        "users.create",
        () => v.users.create({ username: "new", passwordHash: "h" }),
      ],
      ["users.update other", () => v.users.update(other.id, { realName: "x" })],
      ["users.delete other", () => v.users.delete(other.id)],
      ["users.delete self", () => v.users.delete(me.id)],
      [
        "users.incrementStats",
        () => v.users.incrementStats(me.id, { logins: 1 }),
      ],
      ["users.recordLogin", () => v.users.recordLogin(me.id)],
      [
        "users.recordFailedLogin",
        () =>
          v.users.recordFailedLogin(other.id, {
            maxAttempts: 3,
            lockForSeconds: 60,
          }),
      ],
      ["users.setProps other", () => v.users.setProps(other.id, { a: 1 })],
      [
        "callers.add",
        () => v.callers.add({ username: "old", loginAt: new Date(0) }),
      ],
      [
        "sessions.create",
        () => v.sessions.create({ userId: me.id, ipAddress: "192.0.2.3" }),
      ],
      ["sessions.touch other", () => v.sessions.touch(theirs.session.id)],
      ["sessions.end other", () => v.sessions.end(theirs.session.id)],
      ["sessions.delete", () => v.sessions.delete(mine.session.id)],
      ["sessions.purgeExpired", () => v.sessions.purgeExpired()],
      ["settings.set", () => v.settings.set("board.name", "Mine")],
      ["settings.delete", () => v.settings.delete("board.name")],
      ["settings.increment", () => v.settings.increment("calls")],
      [
        "events.append other",
        () => v.events.append({ kind: "x", userId: other.id }),
      ],
      ["events.prune", () => v.events.prune({ keep: 0 })],
    ];
    for (const [what, work] of refused) {
      const kind = await kindOf(work());
      assert.equal(kind, "forbidden", `${what}: ${kind}`);
    }
    assert.deepEqual(await state(), before, "nothing was written");
    // The viewer's own account.
    assert.deepEqual(await v.users.setProps(me.id, { theme: "dark" }), {
      theme: "dark",
    });
    await v.sessions.touch(mine.session.id, { activity: "Reading" });
    assert.equal(
      (await s.sessions.listOnline()).find((o) => o.id === mine.session.id)
        ?.activity,
      "Reading",
    );
    await v.sessions.end(mine.session.id);
    assert.equal(await s.sessions.getByToken(mine.token), null);
    assert.equal(
      (await v.events.append({ kind: "mine", userId: me.id })).userId,
      me.id,
    );
    assert.equal((await v.events.append({ kind: "anon" })).userId, null);
    // The board sysop does all of it.
    const made = await vb.users.create({ username: "new", passwordHash: "h" });
    await vb.users.update(other.id, { realName: "Other" });
    await vb.users.incrementStats(other.id, { logins: 1 });
    await vb.users.recordLogin(boss.id);
    await vb.users.recordFailedLogin(other.id, {
      maxAttempts: 3,
      lockForSeconds: 60,
    });
    await vb.users.setProps(other.id, { a: 1 });
    await vb.callers.add({ username: "old", loginAt: new Date(0) });
    const session = await vb.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.9",
    });
    await vb.sessions.touch(theirs.session.id);
    await vb.sessions.end(theirs.session.id);
    await vb.sessions.delete(session.session.id);
    await vb.sessions.purgeExpired();
    await vb.settings.set("board.name", "Boss");
    await vb.settings.increment("calls");
    assert.equal(await vb.settings.delete("board.name"), true);
    await vb.events.append({ kind: "x", userId: other.id });
    await vb.events.prune({ keep: 1 });
    await vb.users.delete(made.id);
    assert.equal(await s.users.get(made.id), null);
    assert.equal((await s.users.get(other.id))!.realName, "Other");
    assert.equal(await s.settings.get("calls"), 1);
    assert.equal(await s.events.count(), 1);
  },
);

testCase(
  "access: users.update of the viewer's own account: profile fields yes; level, flags and status need a board sysop",
  async (s) => {
    const me = await member(s, "me", 100, "A");
    const boss = await member(s, "boss", 255);
    const v = await s.as(me.id);
    const refused = [
      { securityLevel: 255 },
      { securityLevel: 100 },
      { flags: "AZ" },
      { status: "active" as const },
      { status: "banned" as const, statusReason: "self" },
      { statusReason: "why" },
      { lockedUntil: null },
      { realName: "Sneaky", securityLevel: 101 },
    ];
    for (const patch of refused) {
      const kind = await kindOf(v.users.update(me.id, patch));
      assert.equal(kind, "forbidden", `${JSON.stringify(patch)}: ${kind}`);
    }
    assert.deepEqual(await s.users.get(me.id), me, "nothing was written");
    const changed = await v.users.update(me.id, {
      username: "Me2",
      passwordHash: "h2",
      realName: "Real",
      location: "Here",
      note: "Note",
    });
    assert.deepEqual(
      [
        changed.username,
        changed.passwordHash,
        changed.realName,
        changed.location,
        changed.note,
      ],
      ["Me2", "h2", "Real", "Here", "Note"],
    );
    assert.equal(changed.securityLevel, 100);
    const vb = await s.as(boss.id);
    const raised = await vb.users.update(me.id, {
      securityLevel: 200,
      flags: "B",
    });
    assert.deepEqual([raised.securityLevel, raised.flags], [200, "B"]);
    // The board sysop on their own account too.
    assert.equal((await vb.users.update(boss.id, { flags: "Z" })).flags, "Z");
  },
);

testCase(
  "access: another user's properties and logins are hidden unless the viewer is a board sysop",
  async (s) => {
    const me = await member(s, "me", 254);
    const other = await member(s, "other", 10);
    const boss = await member(s, "boss", 255);
    await s.users.setProps(me.id, { team: "red", mine: true });
    await s.users.setProps(other.id, { team: "red", secret: "x" });
    const { session } = await s.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.7",
    });
    await s.sessions.create({ userId: me.id, ipAddress: "192.0.2.8" });
    const v = await s.as(me.id);
    assert.deepEqual(await v.users.getProps(other.id), {});
    assert.deepEqual(await v.users.getProps(me.id), {
      team: "red",
      mine: true,
    });
    assert.deepEqual(ids(await v.users.findByProp("team", "red")), [me.id]);
    assert.deepEqual(await v.users.findByProp("secret", "x"), []);
    assert.deepEqual(await v.users.logins(other.id), []);
    assert.equal((await v.users.logins(me.id)).length, 1);
    // The rest of a user is the system's view.
    assert.deepEqual(await v.users.get(other.id), await s.users.get(other.id));
    const vb = await s.as(boss.id);
    assert.deepEqual(await vb.users.getProps(other.id), {
      team: "red",
      secret: "x",
    });
    assert.deepEqual(ids(await vb.users.findByProp("team", "red")), [
      me.id,
      other.id,
    ]);
    assert.deepEqual(
      (await vb.users.logins(other.id)).map((l) => l.sessionId),
      [session.id],
    );
  },
);

testCase(
  "access: banned and locked users get forbidden on every write; a lock that has ended does not bar",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const files = await s.fileAreas.create({ tag: "F", name: "F" });
    const u = await member(s, "user", 10);
    const seed = await s.messages.post({
      areaId: area.id,
      fromUserId: u.id,
      subject: "seed",
      body: "b",
    });
    const { session } = await s.sessions.create({
      userId: u.id,
      ipAddress: "192.0.2.1",
    });
    const v = await s.as(u.id);
    let n = 0;
    const writes = (): (() => Promise<unknown>)[] => {
      n++;
      return [
        () =>
          v.messages.post({
            areaId: area.id,
            fromUserId: u.id,
            subject: `s${n}`,
            body: "b",
          }),
        () => v.messages.update(seed.id, { body: `edit ${n}` }),
        () =>
          v.files.add({
            areaId: files.id,
            filename: `F${n}.ZIP`,
            size: 1,
            uploaderId: u.id,
          }),
        () => v.reading.markRead(u.id, area.id, 1),
        () => v.users.setProps(u.id, { n }),
        () => v.users.update(u.id, { realName: `Name ${n}` }),
        () => v.events.append({ kind: "walk", userId: u.id }),
        () => v.sessions.touch(session.id, { activity: `a${n}` }),
      ];
    };
    const state = async () => ({
      messages: await s.messages.list(area.id),
      files: await s.files.list(files.id),
      scan: await s.reading.newScan(u.id),
      props: await s.users.getProps(u.id),
      events: await s.events.list(),
      online: await s.sessions.listOnline(),
    });
    const bars = [
      { status: "banned" as const, statusReason: "Abuse" },
      {
        status: "locked" as const,
        statusReason: "Cooling off",
        lockedUntil: new Date(Date.now() + 3_600_000),
      },
      { status: "locked" as const, statusReason: "Until unlocked" },
    ];
    for (const bar of bars) {
      await s.users.update(u.id, bar);
      const before = await state();
      const user = await s.users.get(u.id);
      for (const [i, work] of writes().entries()) {
        const kind = await kindOf(work());
        assert.equal(
          kind,
          "forbidden",
          `${bar.statusReason}: write ${i}: ${kind}`,
        );
      }
      assert.deepEqual(await state(), before);
      assert.deepEqual(await s.users.get(u.id), user);
      // Reads still answer.
      assert.deepEqual(await v.messages.get(seed.id), before.messages[0]);
      assert.deepEqual(
        ids(await v.messages.list(area.id)),
        ids(before.messages),
      );
    }
    // A lock that has ended reads as active, and bars nothing.
    const until = new Date(Date.now() + 1_000);
    await s.users.update(u.id, {
      status: "locked",
      statusReason: "Short",
      lockedUntil: until,
    });
    await forbidden(v.users.setProps(u.id, { short: true }));
    while (Date.now() <= until.getTime() + 50) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const work of writes()) await work();
    assert.equal((await s.messages.list(area.id)).length, 2);
    // Active and unvalidated users write.
    await s.users.update(u.id, { status: "unvalidated" });
    for (const work of writes()) await work();
    assert.equal((await s.messages.list(area.id)).length, 3);
  },
);

testCase(
  "access: a change of level, flags or status takes effect on the next call of an existing as() handle",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "CLUB",
      name: "Club",
      access: { readLevel: 50, writeFlags: "W" },
    });
    const lounge = await s.messageAreas.create({
      tag: "LOUNGE",
      name: "Hidden lounge",
      access: { readLevel: 50, hidden: true },
    });
    const author = await member(s, "author", 0);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    const u = await member(s, "user", 10);
    const v = await s.as(u.id);
    const post = () =>
      v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: "mine",
        body: "b",
      });
    assert.equal(await v.messages.get(m.id), null);
    assert.deepEqual(ids(await v.messageAreas.list()), [area.id]);
    await s.users.update(u.id, { securityLevel: 50 });
    assert.deepEqual(await v.messages.get(m.id), m);
    assert.deepEqual(ids(await v.messageAreas.list()), [area.id, lounge.id]);
    await forbidden(post(), area);
    await s.users.update(u.id, { flags: "W" });
    const mine = await post();
    await s.users.update(u.id, { status: "banned", statusReason: "Spam" });
    await forbidden(post());
    await forbidden(v.messages.delete(mine.id));
    assert.deepEqual(await v.messages.get(mine.id), mine, "still reads");
    await s.users.update(u.id, { status: "active" });
    await post();
    await s.users.update(u.id, { securityLevel: 49 });
    assert.equal(await v.messages.get(m.id), null);
    assert.equal(await v.messageAreas.get(lounge.id), null);
    await forbidden(post(), area);
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 3);
    // The area's own access changes take effect too.
    await s.messageAreas.update(area.id, { access: { readLevel: 0 } });
    assert.deepEqual(await v.messages.get(m.id), m);
  },
);

testCase(
  "access: tx.as() runs in the transaction: sees its writes, commits and rolls back with it",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "GATED",
      name: "Gated",
      access: { readLevel: 50, writeLevel: 50 },
    });
    const author = await member(s, "author", 100);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    const u = await member(s, "user", 10);
    // Rolled back: a user, a level and a post made in the transaction, seen through tx.as().
    await assert.rejects(
      s.transaction(async (tx) => {
        await rejectsKind(tx.as(0), "validation", "userId");
        await rejectsKind(tx.as(4242), "not_found");
        const v = await tx.as(u.id);
        assert.equal(await v.messages.get(m.id), null);
        await forbidden(
          v.messages.post({
            areaId: area.id,
            fromUserId: u.id,
            subject: "no",
            body: "b",
          }),
          area,
        );
        // tx itself stays the system's view.
        assert.deepEqual(await tx.messages.get(m.id), m);
        await tx.users.update(u.id, { securityLevel: 50 });
        assert.deepEqual(await v.messages.get(m.id), m);
        await v.messages.post({
          areaId: area.id,
          fromUserId: u.id,
          subject: "in tx",
          body: "b",
        });
        const newcomer = await tx.users.create({
          username: "newcomer",
          passwordHash: "h",
          securityLevel: 50,
        });
        const nv = await tx.as(newcomer.id);
        assert.deepEqual(
          (await nv.messages.list(area.id)).map((x) => x.subject),
          ["s", "in tx"],
        );
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal((await s.users.get(u.id))!.securityLevel, 10);
    assert.equal(await s.users.findByUsername("newcomer"), null);
    assert.deepEqual(ids(await s.messages.list(area.id)), [m.id]);
    assert.equal((await s.users.get(u.id))!.stats.posts, 0);
    // Committed: what tx.as() wrote stays; a forbidden call caught inside writes nothing.
    const posted = await s.transaction(async (tx) => {
      await tx.users.update(u.id, { securityLevel: 50 });
      const v = await tx.as(u.id);
      const mine = await v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: "committed",
        body: "b",
      });
      await forbidden(
        v.messages.post({
          areaId: area.id,
          fromUserId: author.id,
          subject: "as author",
          body: "b",
        }),
      );
      await forbidden(v.settings.set("k", 1));
      return mine;
    });
    assert.deepEqual(await s.messages.get(posted.id), posted);
    assert.deepEqual(
      (await s.messages.list(area.id)).map((x) => x.subject),
      ["s", "committed"],
    );
    assert.equal(await s.settings.get("k"), null);
    assert.equal((await s.users.get(author.id))!.stats.posts, 1);
  },
);

/** The board the walk runs on. */
interface WalkBoard {
  s: Repositories;
  /** The viewer: a board sysop (level 255), banned. */
  boss: User;
  other: User;
  areaId: number;
  fileAreaId: number;
  messageId: number;
  fileId: number;
  sessionId: number;
  token: string;
  next(): number;
}

/** One operation of the walk: a read or a write, and valid arguments for it. */
interface WalkStep {
  write: boolean;
  args(b: WalkBoard): unknown[] | Promise<unknown[]>;
}

const SHA = "cd".repeat(32);

/**
 * Every operation, read or write by its name, with arguments a board sysop may use. Typed by
 * `OperationName`: an operation added to the contract does not compile until it is listed here.
 */
const WALK: Record<OperationName, WalkStep> = {
  "users.create": {
    write: true,
    args: (b) => [{ username: `new${b.next()}`, passwordHash: "h" }],
  },
  "users.get": { write: false, args: (b) => [b.other.id] },
  "users.findByUsername": { write: false, args: () => ["other"] },
  "users.update": {
    write: true,
    args: (b) => [b.boss.id, { realName: `Boss ${b.next()}` }],
  },
  "users.delete": {
    write: true,
    args: async (b) => [(await member(b.s, `victim${b.next()}`)).id],
  },
  "users.incrementStats": {
    write: true,
    args: (b) => [b.boss.id, { logins: 1 }],
  },
  "users.recordLogin": { write: true, args: (b) => [b.boss.id] },
  "users.list": { write: false, args: () => [{ orderBy: "id" }] },
  "users.count": { write: false, args: () => [{}] },
  "users.recordFailedLogin": {
    write: true,
    args: (b) => [b.other.id, { maxAttempts: 100, lockForSeconds: 60 }],
  },
  "users.getProps": { write: false, args: (b) => [b.other.id] },
  "users.setProps": { write: true, args: (b) => [b.boss.id, { n: b.next() }] },
  "users.findByProp": { write: false, args: () => ["team", "red"] },
  "users.logins": { write: false, args: (b) => [b.other.id] },
  "callers.recent": { write: false, args: () => [] },
  "callers.add": {
    write: true,
    args: (b) => [{ username: `old${b.next()}`, loginAt: new Date(0) }],
  },
  "messageAreas.create": {
    write: true,
    args: (b) => [{ tag: `MA${b.next()}`, name: "New" }],
  },
  "messageAreas.get": { write: false, args: (b) => [b.areaId] },
  "messageAreas.getByTag": { write: false, args: () => ["WALK"] },
  "messageAreas.list": { write: false, args: () => [] },
  "messageAreas.update": {
    write: true,
    args: (b) => [b.areaId, { description: `d${b.next()}` }],
  },
  "messageAreas.delete": {
    write: true,
    args: async (b) => [
      (await b.s.messageAreas.create({ tag: `DM${b.next()}`, name: "Doomed" }))
        .id,
    ],
  },
  "messageAreas.reorder": {
    write: true,
    args: async (b) => [ids(await b.s.messageAreas.list()).reverse()],
  },
  "messages.post": {
    write: true,
    args: (b) => [{
      areaId: b.areaId,
      fromUserId: b.boss.id,
      subject: `post ${b.next()}`,
      body: "walk",
    }],
  },
  "messages.get": { write: false, args: (b) => [b.messageId] },
  "messages.list": { write: false, args: (b) => [b.areaId] },
  "messages.update": {
    write: true,
    args: (b) => [b.messageId, { body: `edit ${b.next()}` }],
  },
  "messages.delete": {
    write: true,
    args: async (b) => [
      (await b.s.messages.post({
        areaId: b.areaId,
        fromUserId: b.other.id,
        subject: "doomed",
        body: "b",
      })).id,
    ],
  },
  "messages.thread": { write: false, args: (b) => [b.messageId] },
  "messages.findByMsgid": {
    write: false,
    args: (b) => [b.areaId, "1:2/3 0001"],
  },
  "messages.search": { write: false, args: () => ["walk"] },
  "reading.markRead": {
    write: true,
    args: (b) => [b.boss.id, b.areaId, 1],
  },
  "reading.newScan": { write: false, args: (b) => [b.boss.id] },
  "reading.readNext": { write: false, args: (b) => [b.boss.id, b.areaId] },
  "mail.listFor": { write: false, args: (b) => [b.other.id] },
  "fileAreas.create": {
    write: true,
    args: (b) => [{ tag: `FA${b.next()}`, name: "New" }],
  },
  "fileAreas.get": { write: false, args: (b) => [b.fileAreaId] },
  "fileAreas.getByTag": { write: false, args: () => ["FWALK"] },
  "fileAreas.list": { write: false, args: () => [] },
  "fileAreas.update": {
    write: true,
    args: (b) => [b.fileAreaId, { description: `d${b.next()}` }],
  },
  "fileAreas.delete": {
    write: true,
    args: async (b) => [
      (await b.s.fileAreas.create({ tag: `DF${b.next()}`, name: "Doomed" })).id,
    ],
  },
  "fileAreas.reorder": {
    write: true,
    args: async (b) => [ids(await b.s.fileAreas.list()).reverse()],
  },
  "files.add": {
    write: true,
    args: (b) => [{
      areaId: b.fileAreaId,
      filename: `N${b.next()}.ZIP`,
      size: 5,
      uploaderId: b.boss.id,
    }],
  },
  "files.get": { write: false, args: (b) => [b.fileId] },
  "files.list": { write: false, args: (b) => [b.fileAreaId] },
  "files.listNew": { write: false, args: () => [new Date(0)] },
  "files.findByHash": { write: false, args: () => [SHA] },
  "files.recordDownload": {
    write: true,
    args: (b) => [b.fileId, b.boss.id],
  },
  "files.update": {
    write: true,
    args: (b) => [b.fileId, { description: `walk ${b.next()}` }],
  },
  "files.delete": {
    write: true,
    args: async (b) => [
      (await b.s.files.add({
        areaId: b.fileAreaId,
        filename: `D${b.next()}.ZIP`,
        size: 1,
      })).id,
    ],
  },
  "files.search": { write: false, args: () => ["walk"] },
  "sessions.create": {
    write: true,
    args: (b) => [{ userId: b.boss.id, ipAddress: "192.0.2.50" }],
  },
  "sessions.getByToken": { write: false, args: (b) => [b.token] },
  "sessions.touch": {
    write: true,
    args: (b) => [b.sessionId, { activity: `a${b.next()}` }],
  },
  "sessions.end": {
    write: true,
    args: async (b) => [
      (await b.s.sessions.create({
        userId: b.other.id,
        ipAddress: "192.0.2.60",
      })).session.id,
    ],
  },
  "sessions.delete": {
    write: true,
    args: async (b) => [
      (await b.s.sessions.create({
        userId: b.other.id,
        ipAddress: "192.0.2.61",
      })).session.id,
    ],
  },
  "sessions.listOnline": { write: false, args: () => [] },
  "sessions.purgeExpired": { write: true, args: () => [] },
  "settings.get": { write: false, args: () => ["board.name"] },
  "settings.set": {
    write: true,
    args: (b) => [`key${b.next()}`, "value"],
  },
  "settings.delete": {
    write: true,
    args: async (b) => {
      const key = `gone${b.next()}`;
      await b.s.settings.set(key, 1);
      return [key];
    },
  },
  "settings.list": { write: false, args: () => [] },
  "settings.increment": { write: true, args: () => ["calls"] },
  "events.append": {
    write: true,
    args: (b) => [{ kind: "walk", userId: b.boss.id }],
  },
  "events.list": { write: false, args: () => [] },
  "events.count": { write: false, args: () => [] },
  "events.top": { write: false, args: () => [{ kind: "walk" }] },
  "events.prune": { write: true, args: () => [{ keep: 1 }] },
};

/** Everything the board holds, read as the system. */
async function everything(s: Repositories) {
  const users = (await s.users.list({ orderBy: "id", limit: 1000 })).users;
  const messageAreas = await s.messageAreas.list();
  const fileAreas = await s.fileAreas.list();
  return {
    users,
    props: await Promise.all(users.map((u) => s.users.getProps(u.id))),
    logins: await Promise.all(users.map((u) => s.users.logins(u.id))),
    scans: await Promise.all(users.map((u) => s.reading.newScan(u.id))),
    messageAreas,
    messages: await Promise.all(
      messageAreas.map((a) => s.messages.list(a.id, { limit: 1000 })),
    ),
    fileAreas,
    files: await Promise.all(
      fileAreas.map((a) => s.files.list(a.id, { limit: 1000 })),
    ),
    online: await s.sessions.listOnline(),
    settings: await s.settings.list(),
    events: await s.events.list({ limit: 1000 }),
    callers: await s.callers.recent(1000),
  };
}

testCase(
  "access: walk: through as() of a banned board sysop every write is forbidden and writes nothing, every read answers as the system; unbanned, every write goes through",
  async (s) => {
    assert.deepEqual(
      Object.keys(WALK).sort(),
      [...OPERATIONS].sort(),
      "the walk lists every operation",
    );
    const boss = await member(s, "boss", 255);
    const other = await member(s, "other", 10);
    const area = await s.messageAreas.create({ tag: "WALK", name: "Walk" });
    const fileArea = await s.fileAreas.create({ tag: "FWALK", name: "Walk" });
    const message = await s.messages.post({
      areaId: area.id,
      fromUserId: other.id,
      toUserId: other.id,
      subject: "walk",
      body: "walk",
      ftnMsgid: "1:2/3 0001",
    });
    await s.messages.post({
      areaId: area.id,
      fromUserId: boss.id,
      parentId: message.id,
      subject: "re: walk",
      body: "walk",
    });
    const file = await s.files.add({
      areaId: fileArea.id,
      filename: "WALK.ZIP",
      description: "walk",
      size: 10,
      sha256: SHA,
      uploaderId: other.id,
    });
    const { session, token } = await s.sessions.create({
      userId: boss.id,
      ipAddress: "192.0.2.1",
    });
    await s.sessions.create({ userId: other.id, ipAddress: "192.0.2.2" });
    await s.users.setProps(other.id, { team: "red" });
    await s.users.setProps(boss.id, { team: "red" });
    await s.settings.set("board.name", "Walk");
    await s.events.append({ kind: "walk", userId: other.id });
    await s.users.update(boss.id, { status: "banned", statusReason: "Walk" });
    let n = 0;
    const board: WalkBoard = {
      s,
      boss,
      other,
      areaId: area.id,
      fileAreaId: fileArea.id,
      messageId: message.id,
      fileId: file.id,
      sessionId: session.id,
      token,
      next: () => ++n,
    };
    const view = await s.as(boss.id);
    const writes = OPERATIONS.filter((op) => WALK[op].write);
    const reads = OPERATIONS.filter((op) => !WALK[op].write);
    assert.deepEqual([writes.length, reads.length], [34, 34]);
    for (const op of writes) {
      const args = await WALK[op].args(board);
      const before = await everything(s);
      const kind = await kindOf(operation(view, op)(...args));
      assert.equal(kind, "forbidden", `${op} as a banned user: ${kind}`);
      assert.deepEqual(await everything(s), before, `${op} wrote nothing`);
    }
    for (const op of reads) {
      const args = await WALK[op].args(board);
      const expected = await operation(s, op)(...args);
      let got: unknown;
      try {
        got = await operation(view, op)(...args);
      } catch (error) {
        assert.fail(`${op} as a banned board sysop: ${error}`);
      }
      assert.deepEqual(got, expected, `${op} answers as the system`);
    }
    // Unbanned, the same handle does every write (so the walk's arguments are valid, and what
    // refused them above was the ban).
    await s.users.update(boss.id, { status: "active" });
    for (const op of writes) {
      const args = await WALK[op].args(board);
      try {
        await operation(view, op)(...args);
      } catch (error) {
        assert.fail(`${op} as an active board sysop: ${error}`);
      }
    }
  },
);
