/**
 * Conformance cases of privacy through `storage.as()` (issue 12, item 3): in a `"private"` area
 * a user reads only the messages they wrote or that are addressed to them, unless they are the
 * area's sysop; another user's mail never appears in any read, on any path, and searches and
 * lists filter in the query (a limit counts readable messages only). Written from the wording
 * of the decisions (ACCESS_SPEC), before the implementation.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Message, Repositories, Storage, User } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { forbidden, member } from "./_access.ts";

const ids = (records: { id: number }[]) => records.map((r) => r.id);
const sorted = (numbers: number[]) => [...numbers].sort((a, b) => a - b);

/** The word every private message between alice and bob carries, and no other message. */
const SECRET = "xyzzyplugh";

/**
 * A mail room: a private area EMAIL (its sysop at 200) and a public area PUB; alice, bob and
 * eve at level 10, mod at 200 (EMAIL's sysop), almost at 199, boss at 255.
 */
async function mailroom(s: Repositories) {
  const email = await s.messageAreas.create({
    tag: "EMAIL",
    name: "E-mail",
    kind: "private",
    access: { sysopLevel: 200 },
  });
  const pub = await s.messageAreas.create({ tag: "PUB", name: "Public" });
  const alice = await member(s, "alice", 10);
  const bob = await member(s, "bob", 10);
  const eve = await member(s, "eve", 10);
  const mod = await member(s, "mod", 200);
  const almost = await member(s, "almost", 199);
  const boss = await member(s, "boss", 255);
  const mail = (
    from: User,
    to: User | null,
    subject: string,
    extra: Record<string, unknown> = {},
  ) =>
    s.messages.post({
      areaId: email.id,
      fromUserId: from.id,
      toUserId: to?.id ?? null,
      subject,
      body: `${subject} body`,
      ...extra,
    });
  return { email, pub, alice, bob, eve, mod, almost, boss, mail };
}

testCase(
  "privacy: messages.get and findByMsgid: another's mail is null to a third user, seen by author, addressee and area sysop",
  async (s) => {
    const { email, alice, bob, eve, mod, almost, boss, mail } = await mailroom(
      s,
    );
    const m1 = await mail(alice, bob, `${SECRET} one`, {
      ftnMsgid: "2:280/464 0001",
    });
    const m2 = await mail(bob, alice, `${SECRET} two`, {
      parentId: m1.id,
      ftnMsgid: "2:280/464 0002",
    });
    const m3 = await mail(alice, eve, "to eve", { ftnMsgid: "2:280/464 0003" });
    const m4 = await mail(alice, null, `${SECRET} to nobody`);
    const readers: [User, Message[]][] = [
      [eve, [m3]],
      [alice, [m1, m2, m3, m4]],
      [bob, [m1, m2]],
      [mod, [m1, m2, m3, m4]],
      [almost, []],
      [boss, [m1, m2, m3, m4]],
    ];
    for (const [user, readable] of readers) {
      const v = await s.as(user.id);
      for (const m of [m1, m2, m3, m4]) {
        const shown = readable.includes(m);
        assert.deepEqual(
          await v.messages.get(m.id),
          shown ? m : null,
          `${user.username} gets ${m.subject}`,
        );
        if (m.ftnMsgid !== null) {
          assert.deepEqual(
            await v.messages.findByMsgid(email.id, m.ftnMsgid),
            shown ? m : null,
            `${user.username} finds ${m.ftnMsgid}`,
          );
        }
      }
    }
  },
);

testCase(
  "privacy: messages.list and reading.readNext page over the viewer's readable mail only",
  async (s) => {
    const { email, alice, bob, eve, mod, mail } = await mailroom(s);
    const toEve: Message[] = [];
    const toBob: Message[] = [];
    for (let i = 0; i < 30; i++) {
      if (i % 10 === 9) toEve.push(await mail(alice, eve, `eve ${i}`));
      else toBob.push(await mail(alice, bob, `${SECRET} ${i}`));
    }
    const ve = await s.as(eve.id);
    assert.deepEqual(ids(await ve.messages.list(email.id)), ids(toEve));
    assert.deepEqual(
      ids(await ve.messages.list(email.id, { limit: 2 })),
      ids(toEve.slice(0, 2)),
      "a limit counts readable messages",
    );
    assert.deepEqual(
      ids(await ve.messages.list(email.id, { after: toEve[0]!.id, limit: 1 })),
      [toEve[1]!.id],
    );
    assert.deepEqual(
      ids(
        await ve.messages.list(email.id, {
          afterNum: toEve[1]!.msgNum,
          limit: 5,
        }),
      ),
      [toEve[2]!.id],
    );
    assert.deepEqual(
      ids(await ve.reading.readNext(eve.id, email.id, { limit: 2 })),
      ids(toEve.slice(0, 2)),
    );
    await ve.reading.markRead(eve.id, email.id, toEve[1]!.msgNum);
    assert.deepEqual(
      ids(await ve.reading.readNext(eve.id, email.id, { limit: 1 })),
      [toEve[2]!.id],
    );
    // Another's pointer, read through eve's eyes, shows nothing (their read state is theirs).
    assert.deepEqual(
      ids(await ve.reading.readNext(bob.id, email.id, { limit: 3 })),
      [],
    );
    const vb = await s.as(bob.id);
    assert.deepEqual(
      ids(await vb.messages.list(email.id, { limit: 5 })),
      ids(toBob.slice(0, 5)),
    );
    assert.deepEqual(
      ids(await vb.reading.readNext(bob.id, email.id, { limit: 100 })),
      ids(toBob),
    );
    const vm = await s.as(mod.id);
    assert.equal((await vm.messages.list(email.id)).length, 30);
    assert.equal(
      (await vm.reading.readNext(mod.id, email.id)).length,
      30,
    );
  },
);

testCase(
  "privacy: messages.thread leaves out another's mail, whichever message of the thread is named",
  async (s) => {
    const { alice, bob, eve, mod, mail } = await mailroom(s);
    const root = await mail(alice, bob, `${SECRET} root`);
    const reply = await mail(bob, alice, `${SECRET} reply`, {
      parentId: root.id,
    });
    const toEve = await mail(alice, eve, "cc eve", { parentId: reply.id });
    const ve = await s.as(eve.id);
    for (const named of [root, reply, toEve]) {
      const seen = ids(await ve.messages.thread(named.id));
      assert.ok(
        seen.every((id) => id === toEve.id),
        `eve's thread(${named.subject}): ${seen}`,
      );
    }
    assert.deepEqual(ids(await ve.messages.thread(toEve.id)), [toEve.id]);
    for (const viewer of [alice, mod]) {
      const v = await s.as(viewer.id);
      assert.deepEqual(ids(await v.messages.thread(reply.id)), [
        root.id,
        reply.id,
        toEve.id,
      ]);
    }
    const vb = await s.as(bob.id);
    assert.deepEqual(ids(await vb.messages.thread(root.id)), [
      root.id,
      reply.id,
    ]);
    // "Any message id of the thread will do": one bob may not read names the thread too.
    assert.deepEqual(ids(await vb.messages.thread(toEve.id)), [
      root.id,
      reply.id,
    ]);
  },
);

testCase(
  "privacy: messages.search filters in the query: 30 private matches and 20 readable, limit 20, gives the 20 readable",
  async (s) => {
    const { email, pub, alice, bob, eve, mod, mail } = await mailroom(s);
    // The private matches carry the word in subject and body: they rank first.
    const hidden: number[] = [];
    for (let i = 0; i < 30; i++) {
      hidden.push(
        (await s.messages.post({
          areaId: email.id,
          fromUserId: alice.id,
          toUserId: bob.id,
          subject: `quokka ${i}`,
          body: `quokka quokka ${SECRET}`,
        })).id,
      );
    }
    const readable: number[] = [];
    for (let i = 0; i < 10; i++) {
      readable.push(
        (await s.messages.post({
          areaId: pub.id,
          fromUserId: alice.id,
          subject: `public ${i}`,
          body: "a quokka",
        })).id,
      );
      readable.push(
        (await mail(alice, eve, `for eve ${i}`, { body: "a quokka" })).id,
      );
    }
    const ve = await s.as(eve.id);
    const found = ids(await ve.messages.search("quokka", { limit: 20 }));
    assert.equal(found.length, 20, `20 readable results, got ${found.length}`);
    assert.deepEqual(sorted(found), sorted(readable));
    assert.deepEqual(
      sorted(ids(await ve.messages.search("quokka"))),
      sorted(readable),
    );
    const inMail = ids(
      await ve.messages.search("quokka", { areaId: email.id, limit: 10 }),
    );
    assert.equal(inMail.length, 10);
    assert.deepEqual(
      sorted(inMail),
      sorted(readable.filter((_, i) => i % 2 === 1)),
    );
    assert.deepEqual(
      ids(await ve.messages.search("quokka", { limit: 1 })).length,
      1,
    );
    assert.deepEqual(await ve.messages.search(SECRET), []);
    // Bob reads his 30 and the public 10; the limit takes 20 of those, none of eve's.
    const vb = await s.as(bob.id);
    const bobs = ids(await vb.messages.search("quokka", { limit: 20 }));
    assert.equal(bobs.length, 20);
    const bobReads = new Set([
      ...hidden,
      ...readable.filter((_, i) => i % 2 === 0),
    ]);
    assert.ok(bobs.every((id) => bobReads.has(id)), `bob's search: ${bobs}`);
    assert.equal(
      (await vb.messages.search("quokka", { limit: 1000 })).length,
      40,
    );
    const vm = await s.as(mod.id);
    assert.equal(
      (await vm.messages.search("quokka", { limit: 1000 })).length,
      50,
    );
  },
);

testCase(
  "privacy: mail.listFor(anyone) lists only the mail the viewer may read",
  async (s) => {
    const { pub, alice, bob, eve, mod, mail } = await mailroom(s);
    const privateToBob: Message[] = [];
    for (let i = 0; i < 5; i++) {
      privateToBob.push(await mail(alice, bob, `${SECRET} ${i}`));
    }
    const fromEve = await mail(eve, bob, "from eve");
    const publicToBob = await s.messages.post({
      areaId: pub.id,
      fromUserId: alice.id,
      toUserId: bob.id,
      subject: "open letter",
      body: "b",
    });
    const toEve = await mail(alice, eve, "to eve");
    const ve = await s.as(eve.id);
    assert.deepEqual(ids(await ve.mail.listFor(bob.id)), [
      fromEve.id,
      publicToBob.id,
    ]);
    assert.deepEqual(
      ids(await ve.mail.listFor(bob.id, { limit: 1 })),
      [fromEve.id],
      "a limit counts readable mail",
    );
    assert.deepEqual(
      ids(await ve.mail.listFor(bob.id, { after: fromEve.id, limit: 1 })),
      [publicToBob.id],
    );
    assert.deepEqual(ids(await ve.mail.listFor(eve.id)), [toEve.id]);
    assert.deepEqual(await ve.mail.listFor(alice.id), []);
    const va = await s.as(alice.id);
    assert.deepEqual(ids(await va.mail.listFor(bob.id)), [
      ...ids(privateToBob),
      publicToBob.id,
    ]);
    const vb = await s.as(bob.id);
    assert.deepEqual(ids(await vb.mail.listFor(bob.id)), [
      ...ids(privateToBob),
      fromEve.id,
      publicToBob.id,
    ]);
    const vm = await s.as(mod.id);
    assert.deepEqual(
      await vm.mail.listFor(bob.id),
      await s.mail.listFor(bob.id),
    );
  },
);

/** Five messages in EMAIL: #1–#3 alice → bob, #4 alice → eve, #5 alice → bob. */
async function fiveMails(s: Repositories) {
  const room = await mailroom(s);
  const { alice, bob, eve, mail } = room;
  for (const to of [bob, bob, bob, eve, bob]) {
    await mail(alice, to, to === bob ? `${SECRET} to bob` : "to eve");
  }
  const carol = await member(s, "carol", 10);
  return { ...room, carol };
}

testCase(
  "privacy: reading.newScan leaves private areas out for every viewer, as the system does; readNext of one shows only the viewer's readable messages",
  async (s) => {
    const { email, pub, alice, bob, eve, mod, carol } = await fiveMails(s);
    for (let i = 0; i < 2; i++) {
      // By no user: the reader's own messages are left out of the new-scan.
      await s.messages.post({
        areaId: pub.id,
        fromName: "Remote",
        subject: `public ${i}`,
        body: "b",
      });
    }
    // The README: private (mail) areas are left out of the new-scan (use mail.listFor); so
    // through as() too, whoever looks; public areas count as the system counts them.
    for (const user of [alice, bob, eve, mod, carol]) {
      const v = await s.as(user.id);
      const scan = await v.reading.newScan(user.id);
      assert.deepEqual(
        scan.map((e) => [e.area.tag, e.unread, e.lastRead]),
        [["PUB", 2, 0]],
        user.username,
      );
      assert.deepEqual(scan, await s.reading.newScan(user.id));
    }
    const next = async (user: User, of = user) =>
      (await (await s.as(user.id)).reading.readNext(of.id, email.id)).map((
        m,
      ) => m.msgNum);
    assert.deepEqual(await next(eve), [4]);
    assert.deepEqual(await next(bob), [1, 2, 3, 5]);
    // alice wrote them all: her own are left out (and posting moved her pointer past them).
    assert.deepEqual(await next(alice), []);
    await s.reading.setPointer(alice.id, email.id, 0);
    assert.deepEqual(
      (await (await s.as(alice.id)).reading.readNext(alice.id, email.id, {
        includeOwn: true,
      })).map((m) => m.msgNum),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(await next(mod), [1, 2, 3, 4, 5]);
    assert.deepEqual(await next(carol), []);
    assert.deepEqual(await next(eve, bob), [], "bob's pointer, eve's eyes");
    const ve = await s.as(eve.id);
    await ve.reading.markRead(eve.id, email.id, 4);
    assert.deepEqual(await next(eve), []);
    const vb = await s.as(bob.id);
    await vb.reading.markRead(bob.id, email.id, 3);
    assert.deepEqual(await next(bob), [5]);
    assert.deepEqual(await next(carol, bob), []);
  },
);

testCase(
  "privacy: messageAreas get, getByTag and list count msgCount and lastMsgNum over the viewer's readable messages",
  async (s) => {
    const { email, pub, alice, bob, eve, mod, almost, carol } = await fiveMails(
      s,
    );
    await s.messages.post({
      areaId: pub.id,
      fromUserId: alice.id,
      subject: "public",
      body: "b",
    });
    const counts: [User, number, number][] = [
      [eve, 1, 4],
      [bob, 4, 5],
      [alice, 5, 5],
      [mod, 5, 5],
      [almost, 0, 0],
      [carol, 0, 0],
    ];
    for (const [user, msgCount, lastMsgNum] of counts) {
      const v = await s.as(user.id);
      const got = [
        await v.messageAreas.get(email.id),
        await v.messageAreas.getByTag("email"),
        (await v.messageAreas.list()).find((a) => a.id === email.id),
      ];
      for (const area of got) {
        assert.deepEqual(
          [area?.msgCount, area?.lastMsgNum],
          [msgCount, lastMsgNum],
          `${user.username}`,
        );
      }
      // A public area's counts are the system's.
      const open = await v.messageAreas.get(pub.id);
      assert.deepEqual([open?.msgCount, open?.lastMsgNum], [1, 1]);
    }
    const system = await s.messageAreas.get(email.id);
    assert.deepEqual([system?.msgCount, system?.lastMsgNum], [5, 5]);
  },
);

testCase(
  "privacy: messages.update and delete of another's mail are not_found to a third user and change nothing",
  async (s) => {
    const { email, alice, bob, eve, mod, mail } = await mailroom(s);
    const secret = await mail(alice, bob, `${SECRET} keep`);
    const toEve = await mail(alice, eve, "to eve");
    const ve = await s.as(eve.id);
    await rejectsKind(
      ve.messages.update(secret.id, { body: "x" }),
      "not_found",
    );
    await rejectsKind(ve.messages.delete(secret.id), "not_found");
    // Addressed to eve: she reads it, but did not write it.
    await forbidden(ve.messages.update(toEve.id, { body: "x" }));
    await forbidden(ve.messages.delete(toEve.id));
    // Addressed to bob: neither may he change alice's words.
    const vb = await s.as(bob.id);
    await forbidden(vb.messages.update(secret.id, { body: "x" }));
    assert.deepEqual(await s.messages.get(secret.id), secret);
    assert.deepEqual(await s.messages.get(toEve.id), toEve);
    assert.equal((await s.messageAreas.get(email.id))!.msgCount, 2);
    // The area's sysop may.
    const vm = await s.as(mod.id);
    await vm.messages.delete(secret.id);
    assert.equal(await s.messages.get(secret.id), null);
  },
);

testCase(
  "privacy: a private area's own levels and flags still apply to its addressee",
  async (s) => {
    const staff = await s.messageAreas.create({
      tag: "STAFFMAIL",
      name: "Staff mail",
      kind: "private",
      access: { readLevel: 20, readFlags: "S" },
    });
    const alice = await member(s, "alice", 50, "S");
    const bob = await member(s, "bob", 10, "S");
    const m = await s.messages.post({
      areaId: staff.id,
      fromUserId: alice.id,
      toUserId: bob.id,
      subject: "staff",
      body: "b",
    });
    const vb = await s.as(bob.id);
    assert.equal(await vb.messages.get(m.id), null);
    assert.deepEqual(await vb.mail.listFor(bob.id), []);
    await s.users.update(bob.id, { securityLevel: 20 });
    assert.deepEqual(await vb.messages.get(m.id), m);
    await s.users.update(bob.id, { flags: "" });
    assert.equal(await vb.messages.get(m.id), null);
  },
);

testCase(
  "privacy: tx.as() hides another's mail too, including mail posted in the transaction",
  async (s) => {
    const { email, alice, bob, eve, mail } = await mailroom(s);
    const before = await mail(alice, bob, `${SECRET} before`);
    await s.transaction(async (tx) => {
      const during = await tx.messages.post({
        areaId: email.id,
        fromUserId: alice.id,
        toUserId: bob.id,
        subject: `${SECRET} during`,
        body: SECRET,
      });
      const ve = await tx.as(eve.id);
      for (const m of [before, during]) {
        assert.equal(await ve.messages.get(m.id), null);
        assert.deepEqual(await ve.messages.thread(m.id), []);
      }
      assert.deepEqual(await ve.messages.list(email.id), []);
      assert.deepEqual(await ve.messages.search(SECRET), []);
      assert.deepEqual(await ve.mail.listFor(bob.id), []);
      assert.deepEqual(await ve.reading.readNext(eve.id, email.id), []);
      assert.equal((await ve.messageAreas.get(email.id))?.msgCount, 0);
      const vb = await tx.as(bob.id);
      assert.deepEqual(ids(await vb.mail.listFor(bob.id)), [
        before.id,
        during.id,
      ]);
      assert.deepEqual(await vb.messages.get(during.id), during);
    });
  },
);

/**
 * Every read path that can show a message, as `view` sees it: the name of the path and its
 * answer. Bob (the addressee) sees the secret on each one; eve must see it on none.
 */
async function readPaths(
  view: Repositories,
  room: Awaited<ReturnType<typeof mailroom>>,
  mails: Message[],
): Promise<[string, unknown][]> {
  const { email, alice, bob, eve } = room;
  const paths: [string, () => Promise<unknown>][] = [];
  for (const m of mails) {
    paths.push([`messages.get(${m.id})`, () => view.messages.get(m.id)]);
    paths.push([`messages.thread(${m.id})`, () => view.messages.thread(m.id)]);
    if (m.ftnMsgid !== null) {
      paths.push([
        `messages.findByMsgid(${m.ftnMsgid})`,
        () => view.messages.findByMsgid(email.id, m.ftnMsgid!),
      ]);
    }
  }
  paths.push(
    ["messages.list", () => view.messages.list(email.id)],
    ["messages.list limit 1", () => view.messages.list(email.id, { limit: 1 })],
    ["messages.search", () => view.messages.search(SECRET)],
    [
      "messages.search in EMAIL",
      () => view.messages.search(SECRET, { areaId: email.id }),
    ],
    [
      "messages.search limit 1",
      () => view.messages.search(SECRET, { limit: 1 }),
    ],
    [
      "messages.search of a phrase",
      () => view.messages.search(`"${SECRET} one"`),
    ],
    ["mail.listFor(bob)", () => view.mail.listFor(bob.id)],
    ["mail.listFor(alice)", () => view.mail.listFor(alice.id)],
    [
      "mail.listFor(bob) limit 1",
      () => view.mail.listFor(bob.id, { limit: 1 }),
    ],
    ["reading.readNext(bob)", () => view.reading.readNext(bob.id, email.id)],
    ["reading.readNext(eve)", () => view.reading.readNext(eve.id, email.id)],
    [
      "reading.readNext(alice)",
      () => view.reading.readNext(alice.id, email.id),
    ],
  );
  const answers: [string, unknown][] = [];
  for (const [name, read] of paths) answers.push([name, await read()]);
  return answers;
}

testCase(
  "privacy: walk: no read path shows a third user another's mail, and each shows it to the addressee",
  async (s: Storage) => {
    const room = await mailroom(s);
    const { alice, bob, eve, mail } = room;
    const one = await mail(alice, bob, `${SECRET} one`, {
      ftnMsgid: "2:280/464 0001",
      kludges: [{ name: "PID", value: SECRET }],
    });
    const two = await mail(bob, alice, `${SECRET} two`, {
      parentId: one.id,
      ftnMsgid: "2:280/464 0002",
    });
    const three = await mail(alice, bob, "three", { body: SECRET });
    const mails = [one, two, three];
    for (
      const [name, answer] of await readPaths(await s.as(bob.id), room, mails)
    ) {
      // Another user's read state reads as empty (README): no path of bob's there.
      if (/^reading\.readNext\((eve|alice)\)$/.test(name)) {
        assert.deepEqual(answer, [], name);
        continue;
      }
      assert.ok(
        JSON.stringify(answer).includes(SECRET),
        `${name} shows bob his mail: ${JSON.stringify(answer)}`,
      );
    }
    for (
      const [name, answer] of await readPaths(await s.as(eve.id), room, mails)
    ) {
      assert.ok(
        !JSON.stringify(answer).includes(SECRET),
        `${name} shows eve another's mail: ${JSON.stringify(answer)}`,
      );
    }
  },
);
