/**
 * Conformance cases of mail and message flags (issue 13, items 2 and 3): the inbox (letters of
 * private areas, newest first, paged, unread only), sent letters, received times set once by the
 * addressee alone, the unread count, messages addressed to a name in any area; private messages
 * of public areas and anonymous authors through `as()`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Message, MessageArea, Repositories } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { forbidden, ids, member } from "./_access.ts";

/** A letter from one user to another in an area. */
function letter(
  s: Repositories,
  areaId: number,
  fromUserId: number,
  toUserId: number,
  subject = "letter",
  more: Record<string, unknown> = {},
): Promise<Message> {
  return s.messages.post({
    areaId,
    fromUserId,
    toUserId,
    subject,
    body: "text",
    ...more,
  });
}

/** The board's e-mail: a private area. */
function emailArea(s: Repositories): Promise<MessageArea> {
  return s.messageAreas.create({
    tag: "EMAIL",
    name: "E-mail",
    kind: "private",
  });
}

testCase(
  "mail: inbox() is the private-area letters addressed to the user, newest first, paged by the last id, unreadOnly keeps the unreceived",
  async (s) => {
    const email = await emailArea(s);
    const pub = await s.messageAreas.create({ tag: "PUB", name: "Public" });
    const alice = await member(s, "alice");
    const bob = await member(s, "bob");
    const l1 = await letter(s, email.id, alice.id, bob.id, "1");
    const l2 = await letter(s, email.id, alice.id, bob.id, "2");
    // A reply in a public area addressed to Bob is not mail; nor is Alice's own letter.
    await letter(s, pub.id, alice.id, bob.id, "public reply");
    await letter(s, email.id, bob.id, alice.id, "to alice");
    const l3 = await letter(s, email.id, alice.id, bob.id, "3");
    assert.deepEqual(ids(await s.mail.inbox(bob.id)), [l3.id, l2.id, l1.id]);
    assert.deepEqual(ids(await s.mail.inbox(bob.id, { limit: 2 })), [
      l3.id,
      l2.id,
    ]);
    assert.deepEqual(
      ids(await s.mail.inbox(bob.id, { after: l2.id, limit: 2 })),
      [l1.id],
    );
    assert.deepEqual(ids(await s.mail.sent(alice.id)), [l3.id, l2.id, l1.id]);
    assert.deepEqual(ids(await s.mail.sent(alice.id, { after: l3.id })), [
      l2.id,
      l1.id,
    ]);
    assert.equal(await s.mail.unreadCount(bob.id), 3);
    await s.mail.markReceived(l2.id, bob.id);
    assert.deepEqual(ids(await s.mail.inbox(bob.id, { unreadOnly: true })), [
      l3.id,
      l1.id,
    ]);
    assert.deepEqual(
      ids(await s.mail.inbox(bob.id, { unreadOnly: true, after: l3.id })),
      [l1.id],
    );
    assert.equal(await s.mail.unreadCount(bob.id), 2);
    assert.equal(await s.mail.unreadCount(alice.id), 1);
    for (const bad of [0, -1, 1.5, "1", null]) {
      await rejectsKind(s.mail.inbox(bad as never), "validation", "userId");
      await rejectsKind(s.mail.sent(bad as never), "validation", "userId");
      await rejectsKind(
        s.mail.unreadCount(bad as never),
        "validation",
        "userId",
      );
    }
    await rejectsKind(
      s.mail.inbox(bob.id, { limit: 0 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.mail.inbox(bob.id, { unreadOnly: "yes" as never }),
      "validation",
      "options.unreadOnly",
    );
  },
);

testCase(
  "mail: markReceived() sets receivedAt once (a second call keeps the first time), for the addressee alone",
  async (s) => {
    const email = await emailArea(s);
    const alice = await member(s, "alice");
    const bob = await member(s, "bob");
    const sent = await letter(s, email.id, alice.id, bob.id);
    assert.equal(sent.receivedAt, null);
    assert.equal(sent.private, true);
    assert.equal(sent.anonymous, false);
    const before = Date.now();
    const first = await s.mail.markReceived(sent.id, bob.id);
    assert.ok(first.receivedAt instanceof Date);
    assert.ok(first.receivedAt.getTime() >= before - 1000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await s.mail.markReceived(sent.id, bob.id);
    assert.deepEqual(second.receivedAt, first.receivedAt);
    assert.deepEqual(
      (await s.messages.get(sent.id))?.receivedAt,
      first.receivedAt,
    );
    // Not the addressee: forbidden, nothing written.
    const other = await letter(s, email.id, bob.id, alice.id);
    await rejectsKind(s.mail.markReceived(other.id, bob.id), "forbidden");
    assert.equal((await s.messages.get(other.id))?.receivedAt, null);
    await rejectsKind(s.mail.markReceived(9999, bob.id), "not_found");
    await rejectsKind(
      s.mail.markReceived(0, bob.id),
      "validation",
      "messageId",
    );
    await rejectsKind(
      s.mail.markReceived(other.id, -1),
      "validation",
      "userId",
    );
    assert.equal(await s.mail.unreadCount(alice.id), 1);
  },
);

testCase(
  "mail: toName() finds messages addressed to a name as usernames compare, in any area or in areaIds, paged by id",
  async (s) => {
    const fido = await s.messageAreas.create({
      tag: "FIDO",
      name: "Fido",
      kind: "echomail",
    });
    const local = await s.messageAreas.create({ tag: "LOCAL", name: "Local" });
    const post = (areaId: number, toName: string) =>
      s.messages.post({
        areaId,
        fromName: "Remote",
        toName,
        subject: "s",
        body: "b",
      });
    const a = await post(fido.id, "Bob Smith");
    const b = await post(local.id, "BOB SMITH");
    await post(fido.id, "Bob Smithers");
    const c = await post(fido.id, "bob smith");
    const d = await post(local.id, "STRASSE");
    assert.deepEqual(ids(await s.mail.toName("bob smith")), [a.id, b.id, c.id]);
    assert.deepEqual(ids(await s.mail.toName("Bob Smith", { limit: 2 })), [
      a.id,
      b.id,
    ]);
    assert.deepEqual(ids(await s.mail.toName("BOB smith", { after: b.id })), [
      c.id,
    ]);
    assert.deepEqual(
      ids(await s.mail.toName("bob smith", { areaIds: [fido.id] })),
      [a.id, c.id],
    );
    assert.deepEqual(
      ids(
        await s.mail.toName("bob smith", {
          areaIds: [local.id, fido.id],
          limit: 2,
        }),
      ),
      [a.id, b.id],
    );
    assert.deepEqual(ids(await s.mail.toName("straße")), [d.id]);
    assert.deepEqual(await s.mail.toName("nobody"), []);
    // An imported message's name may be longer than FidoNet's 36 characters: found too.
    const long = "Bartholomew Aloysius Featherstonehaugh-Cholmondeley of Kent"; // 59
    const e = await s.messages.post({
      areaId: fido.id,
      fromName: "Remote",
      toName: long,
      subject: "s",
      body: "b",
      imported: true,
    });
    assert.deepEqual(ids(await s.mail.toName(long.toUpperCase())), [e.id]);
    await rejectsKind(s.mail.toName("x".repeat(101)), "validation", "name");
    await rejectsKind(s.mail.toName(""), "validation", "name");
    await rejectsKind(s.mail.toName(5 as never), "validation", "name");
    await rejectsKind(
      s.mail.toName("bob", { areaIds: [0] }),
      "validation",
      "options.areaIds.0",
    );
  },
);

testCase(
  "messages: anonymous follows the area's setting: never refuses (validation naming anonymous, nothing written), allowed takes it, forced makes every post anonymous",
  async (s) => {
    const never = await s.messageAreas.create({ tag: "NEVER", name: "N" });
    const allowed = await s.messageAreas.create({
      tag: "ALLOWED",
      name: "A",
      anonymous: "allowed",
    });
    const forced = await s.messageAreas.create({
      tag: "FORCED",
      name: "F",
      anonymous: "forced",
    });
    const alice = await member(s, "alice");
    const post = (areaId: number, anonymous?: boolean) =>
      s.messages.post({
        areaId,
        fromUserId: alice.id,
        subject: "s",
        body: "b",
        ...(anonymous === undefined ? {} : { anonymous }),
      });
    await rejectsKind(post(never.id, true), "validation", "anonymous");
    assert.equal((await s.messageAreas.get(never.id))?.lastMsgNum, 0);
    assert.equal((await s.users.get(alice.id))?.stats.posts, 0);
    assert.equal((await post(never.id, false)).anonymous, false);
    assert.equal((await post(allowed.id, true)).anonymous, true);
    assert.equal((await post(allowed.id)).anonymous, false);
    assert.equal((await post(forced.id)).anonymous, true);
    assert.equal((await post(forced.id, false)).anonymous, true);
    await rejectsKind(
      post(allowed.id, "yes" as never),
      "validation",
      "anonymous",
    );
  },
);

testCase(
  "access: an anonymous message's author is hidden through as() from other users (not the author, not the area's sysops) in every read",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "ANON",
      name: "Anonymous",
      anonymous: "allowed",
      access: { sysopLevel: 200 },
    });
    const email = await s.messageAreas.create({
      tag: "EMAIL",
      name: "E-mail",
      kind: "private",
      anonymous: "allowed",
      access: { sysopLevel: 200 },
    });
    const author = await member(s, "author");
    const reader = await member(s, "reader");
    const sysop = await member(s, "sysop", 200);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      toName: "Reader",
      subject: "secret admirer",
      body: "guess who",
      anonymous: true,
      ftnMsgid: "1:2/3 00000001",
    });
    const reply = await s.messages.post({
      areaId: area.id,
      fromUserId: reader.id,
      parentId: m.id,
      subject: "Re: secret admirer",
      body: "who?",
    });
    const mailed = await s.messages.post({
      areaId: email.id,
      fromUserId: author.id,
      toUserId: reader.id,
      subject: "anonymous letter",
      body: "guess",
      anonymous: true,
    });
    const hidden = (msg: Message | null | undefined, what: string) => {
      assert.ok(msg, `${what}: found`);
      assert.equal(msg.fromName, "Anonymous", `${what}: fromName`);
      assert.equal(msg.fromUserId, null, `${what}: fromUserId`);
      assert.equal(msg.anonymous, true);
    };
    const shown = (msg: Message | null | undefined, what: string) => {
      assert.ok(msg, `${what}: found`);
      assert.equal(msg.fromName, "author", `${what}: fromName`);
      assert.equal(msg.fromUserId, author.id, `${what}: fromUserId`);
    };
    const view = await s.as(reader.id);
    const byId = (list: Message[], id: number) => list.find((x) => x.id === id);
    hidden(await view.messages.get(m.id), "get");
    hidden(byId(await view.messages.list(area.id), m.id), "list");
    hidden(byId(await view.messages.thread(reply.id), m.id), "thread");
    hidden(byId(await view.messages.search("admirer"), m.id), "search");
    hidden(
      await view.messages.findByMsgid(area.id, "1:2/3 00000001"),
      "findByMsgid",
    );
    hidden(
      byId(
        await view.reading.readNext(reader.id, area.id, { includeOwn: true }),
        m.id,
      ),
      "readNext",
    );
    hidden(byId(await view.mail.toName("reader"), m.id), "toName");
    hidden(byId(await view.mail.inbox(reader.id), mailed.id), "inbox");
    hidden(byId(await view.mail.listFor(reader.id), mailed.id), "listFor");
    // Who sent an anonymous letter is not told by their sent mail either.
    assert.deepEqual(await view.mail.sent(author.id), []);
    // Nor by the author's name as a filter: it finds none of their anonymous messages.
    assert.deepEqual(
      await view.messages.list(area.id, { fromName: "author" }),
      [],
    );
    assert.deepEqual(
      await view.messages.list(email.id, { fromName: "author" }),
      [],
    );
    assert.deepEqual(
      await view.messages.search("admirer", { fromName: "author" }),
      [],
    );
    // Filters without the author's name still find it, hidden.
    hidden(
      byId(await view.messages.list(area.id, { toName: "reader" }), m.id),
      "list by toName",
    );
    hidden(
      byId(
        await view.messages.list(area.id, { since: new Date(0) }),
        m.id,
      ),
      "list since",
    );
    // What markReceived answers is a read too.
    hidden(await view.mail.markReceived(mailed.id, reader.id), "markReceived");
    // The reader's own message shows its author.
    assert.equal((await view.messages.get(reply.id))?.fromName, "reader");
    // The author and the area's sysops see who wrote it; so does the system.
    shown(await (await s.as(author.id)).messages.get(m.id), "author");
    shown(await (await s.as(sysop.id)).messages.get(m.id), "sysop");
    assert.deepEqual(
      ids(await (await s.as(sysop.id)).mail.sent(author.id)),
      [mailed.id],
    );
    shown(await s.messages.get(m.id), "system");
    // The author and the area's sysops find them by the author's name.
    assert.deepEqual(
      ids(
        await (await s.as(sysop.id)).messages.list(area.id, {
          fromName: "author",
        }),
      ),
      [m.id],
    );
    assert.deepEqual(
      ids(
        await (await s.as(author.id)).messages.search("admirer", {
          fromName: "author",
        }),
      ),
      [m.id],
    );
  },
);

testCase(
  "access: a private message of a public area is read through as() by its author, its addressee and the area's sysops alone, in every read and count",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "PUB",
      name: "Public",
      access: { sysopLevel: 200 },
    });
    const author = await member(s, "author");
    const addressee = await member(s, "addressee");
    const stranger = await member(s, "stranger");
    const sysop = await member(s, "sysop", 200);
    const open = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "open",
      body: "everyone",
    });
    const secret = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      toUserId: addressee.id,
      subject: "whisper",
      body: "just you",
      private: true,
      ftnMsgid: "1:2/3 00000002",
      parentId: open.id,
    });
    assert.equal(secret.private, true);
    assert.equal(open.private, false);
    const v = await s.as(stranger.id);
    assert.equal(await v.messages.get(secret.id), null);
    assert.deepEqual(ids(await v.messages.list(area.id)), [open.id]);
    // Filtered lists too, whichever index they seek.
    for (
      const filter of [
        { fromName: "author" },
        { toName: "addressee" },
        { since: new Date(0) },
      ]
    ) {
      assert.deepEqual(
        ids(await v.messages.list(area.id, filter)),
        "toName" in filter ? [] : [open.id],
        JSON.stringify(filter),
      );
    }
    assert.deepEqual(
      await v.messages.search("whisper", { fromName: "author" }),
      [],
    );
    assert.deepEqual(
      ids(
        await (await s.as(addressee.id)).messages.list(area.id, {
          toName: "addressee",
        }),
      ),
      [secret.id],
    );
    assert.deepEqual(ids(await v.messages.thread(open.id)), [open.id]);
    assert.deepEqual(await v.messages.search("whisper"), []);
    assert.equal(
      await v.messages.findByMsgid(area.id, "1:2/3 00000002"),
      null,
    );
    assert.deepEqual(ids(await v.reading.readNext(stranger.id, area.id)), [
      open.id,
    ]);
    const scan = await v.reading.newScan(stranger.id);
    assert.deepEqual(scan.map((e) => [e.area.id, e.unread]), [[area.id, 1]]);
    assert.equal((await v.messageAreas.get(area.id))?.msgCount, 1);
    assert.deepEqual(await v.mail.toName("addressee"), []);
    assert.deepEqual(await v.mail.listFor(addressee.id), []);
    // After reading the open message, nothing is new: the hidden one does not count.
    await v.reading.markRead(stranger.id, area.id, open.msgNum);
    assert.deepEqual(await v.reading.newScan(stranger.id), []);
    for (const who of [author, addressee, sysop]) {
      const w = await s.as(who.id);
      assert.deepEqual(
        ids(await w.messages.list(area.id)),
        [open.id, secret.id],
        who.username,
      );
      assert.equal((await w.messages.get(secret.id))?.id, secret.id);
      assert.deepEqual(ids(await w.messages.thread(open.id)), [
        open.id,
        secret.id,
      ]);
      assert.deepEqual(ids(await w.messages.search("whisper")), [secret.id]);
      assert.equal((await w.messageAreas.get(area.id))?.msgCount, 2);
    }
    assert.deepEqual(
      ids(
        await (await s.as(addressee.id)).reading.readNext(
          addressee.id,
          area.id,
        ),
      ),
      [open.id, secret.id],
    );
    const scanned = await (await s.as(addressee.id)).reading.newScan(
      addressee.id,
    );
    assert.deepEqual(scanned.map((e) => e.unread), [2]);
    // The system reads everything.
    assert.deepEqual(ids(await s.messages.list(area.id)), [open.id, secret.id]);
    // Another's private message is as missing to edit, too.
    await rejectsKind(
      v.messages.update(secret.id, { body: "x" }),
      "not_found",
    );
  },
);

testCase(
  "access: mail.markReceived() through as() is the addressee's alone: another user, or acting for another, is forbidden naming the area",
  async (s) => {
    const email = await emailArea(s);
    const alice = await member(s, "alice");
    const bob = await member(s, "bob");
    const boss = await member(s, "boss", 255);
    const sent = await letter(s, email.id, alice.id, bob.id);
    // The author may read it, but it is not theirs to receive.
    await forbidden(
      (await s.as(alice.id)).mail.markReceived(sent.id, alice.id),
      email,
    );
    await forbidden(
      (await s.as(alice.id)).mail.markReceived(sent.id, bob.id),
      email,
    );
    // Not even a board sysop receives another's letter.
    await forbidden(
      (await s.as(boss.id)).mail.markReceived(sent.id, bob.id),
      email,
    );
    // A stranger may not read it: as missing.
    const carol = await member(s, "carol");
    await rejectsKind(
      (await s.as(carol.id)).mail.markReceived(sent.id, carol.id),
      "not_found",
    );
    assert.equal((await s.messages.get(sent.id))?.receivedAt, null);
    const bobView = await s.as(bob.id);
    assert.equal(await bobView.mail.unreadCount(bob.id), 1);
    const got = await bobView.mail.markReceived(sent.id, bob.id);
    assert.ok(got.receivedAt instanceof Date);
    assert.equal(await bobView.mail.unreadCount(bob.id), 0);
    // Another user's counts and inbox through as() hold only what the viewer may read.
    assert.equal(await (await s.as(carol.id)).mail.unreadCount(bob.id), 0);
    assert.deepEqual(await (await s.as(carol.id)).mail.inbox(bob.id), []);
  },
);

testCase(
  "access: mail.inbox, sent, unreadCount and toName through as() hold only the letters the viewer may read, a limit counting readable ones",
  async (s) => {
    const email = await emailArea(s);
    const alice = await member(s, "alice");
    const bob = await member(s, "bob");
    const eve = await member(s, "eve");
    const secret: Message[] = [];
    for (let i = 0; i < 5; i++) {
      secret.push(await letter(s, email.id, alice.id, bob.id, `secret ${i}`));
    }
    const fromEve = await letter(s, email.id, eve.id, bob.id, "from eve");
    const later = await letter(s, email.id, alice.id, bob.id, "later");
    const ve = await s.as(eve.id);
    assert.deepEqual(ids(await ve.mail.inbox(bob.id, { limit: 1 })), [
      fromEve.id,
    ]);
    assert.deepEqual(ids(await ve.mail.inbox(bob.id, { unreadOnly: true })), [
      fromEve.id,
    ]);
    assert.equal(await ve.mail.unreadCount(bob.id), 1);
    assert.deepEqual(await ve.mail.sent(alice.id), []);
    assert.deepEqual(ids(await ve.mail.sent(eve.id)), [fromEve.id]);
    assert.deepEqual(ids(await ve.mail.toName("BOB", { limit: 1 })), [
      fromEve.id,
    ]);
    const vb = await s.as(bob.id);
    assert.deepEqual(ids(await vb.mail.inbox(bob.id)), [
      later.id,
      fromEve.id,
      ...ids(secret).reverse(),
    ]);
    assert.equal(await vb.mail.unreadCount(bob.id), 7);
    assert.deepEqual(
      ids(await (await s.as(alice.id)).mail.sent(alice.id, { limit: 2 })),
      [later.id, secret[4]!.id],
    );
  },
);
