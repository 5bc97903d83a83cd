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

/** The ids of records, in order. */
export const ids = (records: { id: number }[]): number[] =>
  records.map((r) => r.id);

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
