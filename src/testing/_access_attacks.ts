/**
 * Conformance cases of access through `as()` from an outside attack (issue 12): arguments that
 * change between reads (getters, proxies, prototypes), a ban racing a write, links into other
 * users' mail, a handle whose user is gone, names and counts that are not the viewer's.
 *
 * @module
 */
import assert from "node:assert/strict";
import { rejectsKind } from "./_assert.ts";
import { testCase } from "./_case.ts";
import { forbidden, member } from "./_access.ts";

/** An object whose property `key` reads `first` once, then `then` ever after. */
function flipping<T extends object>(
  base: T,
  key: string,
  first: unknown,
  then: unknown,
): T {
  let reads = 0;
  return Object.defineProperty({ ...base }, key, {
    get: () => reads++ === 0 ? first : then,
    enumerable: true,
  }) as T;
}

testCase(
  "access: attack: inherited, hidden or proxied fields of a patch never raise the viewer's own level or status",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const v = await s.as(bob.id);
    const attempts: [string, () => object][] = [
      [
        "inherited",
        () =>
          Object.assign(Object.create({ securityLevel: 255 }), { note: "a" }),
      ],
      [
        "non-enumerable",
        () =>
          Object.defineProperty({ note: "b" }, "securityLevel", {
            value: 255,
            enumerable: false,
          }),
      ],
      [
        "keys hidden by a proxy",
        () =>
          new Proxy({ note: "c", securityLevel: 255, status: "active" }, {
            ownKeys: () => ["note"],
          }),
      ],
      [
        "keys shown by a proxy only after the first listing",
        () => {
          let listed = 0;
          const target = { note: "d", securityLevel: 255 };
          return new Proxy(target, {
            ownKeys: () =>
              listed++ === 0 ? ["note"] : ["note", "securityLevel"],
            getOwnPropertyDescriptor: (t, k) =>
              Object.getOwnPropertyDescriptor(t, k),
          });
        },
      ],
    ];
    for (const [what, patch] of attempts) {
      try {
        await v.users.update(bob.id, patch() as never);
      } catch (error) {
        assert.ok(
          (error as { kind?: string }).kind === "forbidden" ||
            (error as { kind?: string }).kind === "validation",
          `${what}: ${error}`,
        );
      }
      const now = (await s.users.get(bob.id))!;
      assert.equal(now.securityLevel, 10, `${what}: the level is unchanged`);
      assert.equal(now.status, "active", what);
    }
    await s.transaction(async (tx) => {
      const t = await tx.as(bob.id);
      await t.users.update(
        bob.id,
        Object.assign(Object.create({ securityLevel: 255 }), { note: "tx" }),
      );
    });
    assert.equal((await s.users.get(bob.id))!.securityLevel, 10);
  },
);

testCase(
  "access: attack: a getter cannot show the guard one area or author and the write another",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const alice = await member(s, "alice", 10);
    const open = await s.messageAreas.create({ tag: "OPEN", name: "Open" });
    const staff = await s.messageAreas.create({
      tag: "STAFF",
      name: "Staff",
      access: { readLevel: 100, hidden: true },
    });
    const files = await s.fileAreas.create({ tag: "F", name: "F" });
    const vault = await s.fileAreas.create({
      tag: "VAULT",
      name: "Vault",
      access: { readLevel: 100, hidden: true },
    });
    const v = await s.as(bob.id);
    const post = {
      areaId: open.id,
      fromUserId: bob.id,
      subject: "s",
      body: "b",
    };
    const outcomes = [
      await v.messages.post(flipping(post, "areaId", open.id, staff.id))
        .catch((e) => e),
      await v.messages.post(flipping(post, "fromUserId", bob.id, alice.id))
        .catch((e) => e),
      // A proxy whose areaId reads the open area first, the hidden one after.
      await v.messages.post(
        (() => {
          let reads = 0;
          return new Proxy(post, {
            get: (t, k) =>
              k === "areaId"
                ? (reads++ === 0 ? open.id : staff.id)
                : Reflect.get(t, k),
          });
        })(),
      ).catch((e) => e),
    ];
    for (const outcome of outcomes) {
      if (outcome instanceof Error) continue;
      assert.equal(outcome.areaId, open.id);
      assert.equal(outcome.fromUserId, bob.id);
    }
    assert.equal((await s.messageAreas.get(staff.id))!.msgCount, 0);
    assert.equal((await s.users.get(alice.id))!.stats.posts, 0);
    const upload = {
      areaId: files.id,
      filename: "A.ZIP",
      size: 1,
      uploaderId: bob.id,
    };
    await v.files.add(flipping(upload, "areaId", files.id, vault.id)).catch(
      () => {},
    );
    await v.files.add(
      flipping(
        { ...upload, filename: "B.ZIP" },
        "uploaderId",
        bob.id,
        alice.id,
      ),
    )
      .catch(() => {});
    assert.deepEqual(await s.files.list(vault.id), []);
    assert.ok(
      (await s.files.list(files.id)).every((f) => f.uploaderId === bob.id),
    );
    await v.events.append(
      flipping({ kind: "door.run" }, "userId", bob.id, alice.id),
    )
      .catch(() => {});
    assert.deepEqual(await s.events.list({ userId: alice.id }), []);
  },
);

testCase(
  "access: attack: a getter cannot move a deleted area's messages into an area the viewer does not administer",
  async (s) => {
    const mod = await member(s, "mod", 50);
    const mine = await s.messageAreas.create({
      tag: "MINE",
      name: "Mine",
      access: { sysopLevel: 50 },
    });
    const spare = await s.messageAreas.create({
      tag: "SPARE",
      name: "Spare",
      access: { sysopLevel: 50 },
    });
    const staff = await s.messageAreas.create({ tag: "STAFF", name: "Staff" });
    await s.messages.post({
      areaId: mine.id,
      fromUserId: mod.id,
      subject: "s",
      body: "b",
    });
    const v = await s.as(mod.id);
    await v.messageAreas.delete(
      mine.id,
      flipping({}, "moveTo", spare.id, staff.id),
    ).catch(() => {});
    assert.equal((await s.messageAreas.get(staff.id))!.msgCount, 0);
  },
);

testCase(
  "access: attack: a ban committed while the viewer's write waits refuses the write",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const v = await s.as(bob.id);
    let waiting: Promise<unknown> | undefined;
    await s.transaction(async (tx) => {
      await tx.users.update(bob.id, {
        status: "banned",
        statusReason: "Spam",
      });
      // Bob's post starts while the ban is written but not committed, and waits for it.
      waiting = v.messages.post({
        areaId: area.id,
        fromUserId: bob.id,
        subject: "s",
        body: "b",
      }).then(() => "posted", (e) => e);
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    const outcome = await waiting;
    assert.equal(
      (outcome as { kind?: string }).kind,
      "forbidden",
      `${outcome}`,
    );
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 0);
  },
);

testCase(
  "access: attack: a viewer's post links to no message the viewer may not read",
  async (s) => {
    const sysop = await member(s, "sysop", 255);
    const alice = await member(s, "alice", 10);
    const bob = await member(s, "bob", 10);
    const mail = await s.messageAreas.create({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    const secret = await s.messages.post({
      areaId: mail.id,
      fromUserId: alice.id,
      toUserId: sysop.id,
      subject: "s",
      body: "b",
      ftnReply: "1:2/3 cafe",
    });
    const v = await s.as(bob.id);
    // A parent bob may not read is as missing; so is a FidoNet parent or orphan of his.
    await rejectsKind(
      v.messages.post({
        areaId: mail.id,
        fromUserId: bob.id,
        toUserId: sysop.id,
        parentId: secret.id,
        subject: "Re",
        body: "b",
      }),
      "constraint",
    );
    const adopter = await v.messages.post({
      areaId: mail.id,
      fromUserId: bob.id,
      toUserId: sysop.id,
      subject: "Mine",
      body: "b",
      ftnMsgid: "1:2/3 cafe",
    });
    assert.deepEqual(await s.messages.get(secret.id), secret);
    assert.deepEqual(
      (await s.messages.thread(secret.id)).map((m) => m.id),
      [secret.id],
    );
    assert.equal(adopter.parentId, null);
  },
);

testCase(
  "access: attack: a handle whose user is gone fails reads as not_found",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const v = await s.as(bob.id);
    await s.users.delete(bob.id);
    for (
      const [what, read] of [
        ["messages.list", () => v.messages.list(area.id)],
        ["messages.search", () => v.messages.search("x")],
        ["messageAreas.list", () => v.messageAreas.list()],
        ["mail.listFor", () => v.mail.listFor(bob.id)],
        ["users.get", () => v.users.get(bob.id)],
        ["events.list", () => v.events.list()],
        ["settings.list", () => v.settings.list()],
        ["files.listNew", () => v.files.listNew(new Date(0))],
      ] as const
    ) {
      await rejectsKind((read as () => Promise<unknown>)(), "not_found")
        .catch((error) => {
          throw new Error(`${what}: ${error}`);
        });
    }
  },
);

testCase(
  "access: attack: another user's pointers, an unreadable area's counts and another's name are not the viewer's",
  async (s) => {
    const alice = await member(s, "alice", 10);
    const bob = await member(s, "bob", 10);
    const open = await s.messageAreas.create({ tag: "OPEN", name: "Open" });
    const high = await s.messageAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 100 },
    });
    for (const areaId of [open.id, high.id]) {
      await s.messages.post({
        areaId,
        fromUserId: alice.id,
        subject: "s",
        body: "b",
      });
    }
    const v = await s.as(bob.id);
    assert.deepEqual(await v.reading.newScan(alice.id), []);
    assert.deepEqual(await v.reading.readNext(alice.id, open.id), []);
    assert.equal((await v.reading.newScan(bob.id)).length, 1);
    const seen = (await v.messageAreas.get(high.id))!;
    assert.equal(seen.msgCount, 0);
    assert.equal(seen.lastMsgNum, 0);
    assert.equal((await v.messageAreas.get(open.id))!.msgCount, 1);
    await forbidden(
      v.messages.post({
        areaId: open.id,
        fromUserId: bob.id,
        fromName: "SysOp",
        subject: "s",
        body: "b",
      }),
    );
    const own = await v.messages.post({
      areaId: open.id,
      fromUserId: bob.id,
      fromName: "BOB",
      subject: "s",
      body: "b",
    });
    assert.equal(own.fromName, "BOB");
  },
);

testCase(
  "access: a viewer's writes know the board's settings (maxNodes)",
  async (s) => {
    const sysop = await member(s, "sysop", 255);
    const v = await s.as(sysop.id);
    const take = () =>
      v.sessions.create({ userId: sysop.id, ipAddress: "::1", node: "auto" });
    assert.equal((await take()).session.node, 1);
    assert.equal((await take()).session.node, 2);
    await rejectsKind(take(), "conflict");
    await s.transaction(async (tx) => {
      const t = await tx.as(sysop.id);
      await rejectsKind(
        t.sessions.create({ userId: sysop.id, ipAddress: "::1", node: "auto" }),
        "conflict",
      );
    });
  },
  { maxNodes: 2 },
);

testCase(
  "access: attack: tx.as() gives the repositories alone: no way to another user, to the transaction's end or to sql",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const sysop = await member(s, "sysop", 255);
    await s.transaction(async (tx) => {
      const view = await tx.as(bob.id) as unknown as Record<string, unknown>;
      for (const name of ["as", "end", "sql", "transaction"]) {
        assert.equal(name in view, false, `the view offers ${name}`);
      }
      assert.equal(Object.getPrototypeOf(view), Object.prototype);
      assert.equal(Object.isFrozen(view), true);
      assert.equal(
        "end" in (tx as unknown as Record<string, unknown>),
        false,
        "the handle offers end",
      );
      const v = view as unknown as Awaited<ReturnType<typeof tx.as>>;
      await forbidden(v.users.update(bob.id, { securityLevel: 255 }));
    });
    assert.equal((await s.users.get(bob.id))!.securityLevel, 10);
    assert.equal((await s.users.get(sysop.id))!.securityLevel, 255);
  },
);

testCase(
  "access: attack: an argument that is no id is validation through any view, not forbidden",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const v = await s.as(bob.id);
    const notIds: unknown[] = ["2", { valueOf: () => bob.id }, 1.5, -1];
    for (const id of notIds) {
      await rejectsKind(v.sessions.endAllForUser(id as number), "validation");
      await rejectsKind(v.users.setProps(id as number, { a: 1 }), "validation");
      await rejectsKind(
        v.users.incrementCounter(id as number, "x"),
        "validation",
      );
      await rejectsKind(
        v.users.update(id as number, { securityLevel: 255 }),
        "validation",
      );
    }
    assert.equal((await s.users.get(bob.id))!.securityLevel, 10);
  },
);

testCase(
  "access: attack: a gone viewer's page and count of files fail as not_found",
  async (s) => {
    const bob = await member(s, "bob", 10);
    const area = await s.fileAreas.create({ tag: "F", name: "F" });
    const v = await s.as(bob.id);
    await s.users.delete(bob.id);
    await rejectsKind(v.files.page(area.id), "not_found");
    await rejectsKind(v.files.count(area.id), "not_found");
    await rejectsKind(v.fileAreas.stats(), "not_found");
  },
);
