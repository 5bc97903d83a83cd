import assert from "node:assert/strict";
import { StorageError } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

testCase("transaction() commits when the callback resolves", async (s) => {
  await seedAreas(s);
  const result = await s.transaction(async (tx) => {
    const user = await tx.users.create({
      username: "in-tx",
      passwordHash: "h",
    });
    await tx.messages.post({
      areaId: 1,
      fromUserId: user.id,
      subject: "s",
      body: "b",
    });
    return user.id;
  });
  assert.equal((await s.users.get(result))?.stats.posts, 1);
});

testCase(
  "transaction() rolls back everything and rethrows when the callback throws",
  async (s) => {
    await seedAreas(s);
    const keep = await s.users.create({ username: "keep", passwordHash: "h" });
    const marker = new Error("boom");
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.users.create({ username: "ghost", passwordHash: "h" });
        await tx.users.incrementStats(keep.id, { logins: 5 });
        await tx.messages.post({
          areaId: 1,
          fromUserId: keep.id,
          subject: "s",
          body: "b",
        });
        throw marker;
      }),
      (error) => error === marker,
    );
    assert.equal(await s.users.findByUsername("ghost"), null);
    assert.equal((await s.users.get(keep.id))?.stats.logins, 0);
    assert.equal((await s.users.get(keep.id))?.stats.posts, 0);
    assert.deepEqual(await s.messages.list(1), []);
  },
);

testCase(
  "a failed operation inside a transaction leaves it usable and unchanged",
  async (s) => {
    await seedAreas(s);
    const taken = await s.users.create({
      username: "taken",
      passwordHash: "h",
    });
    await s.messages.post({
      areaId: 1,
      fromUserId: taken.id,
      subject: "s",
      body: "b",
      ftnMsgid: "1:1/1 0001",
    });
    const file = await s.files.add({ areaId: 1, filename: "A.ZIP", size: 10 });
    const id = await s.transaction(async (tx) => {
      const a = await tx.users.create({ username: "first", passwordHash: "h" });
      await rejectsKind(
        tx.users.create({ username: "TAKEN", passwordHash: "h" }),
        "conflict",
      );
      const post = { areaId: 1, fromUserId: a.id, subject: "s", body: "b" };
      await rejectsKind(
        tx.messages.post({ ...post, parentId: 12345 }),
        "constraint",
      );
      // These fail after they changed something: numbering the message, counting the download.
      await rejectsKind(
        tx.messages.post({ ...post, ftnMsgid: "1:1/1 0001" }),
        "conflict",
      );
      await rejectsKind(tx.files.recordDownload(file.id, 12345), "not_found");
      assert.equal((await tx.users.get(a.id))?.stats.posts, 0);
      assert.equal((await tx.messageAreas.get(1))?.lastMsgNum, 1);
      assert.equal((await tx.files.get(file.id))?.downloads, 0);
      await tx.messages.post(post);
      return a.id;
    });
    assert.equal((await s.users.get(id))?.stats.posts, 1);
    assert.deepEqual((await s.messages.list(1)).map((m) => m.msgNum), [1, 2]);
    assert.equal((await s.messageAreas.get(1))?.msgCount, 2);
    assert.equal((await s.files.get(file.id))?.downloads, 0);
  },
);

testCase(
  "the transaction handle refuses work after the transaction ends",
  async (s) => {
    await seedAreas(s);
    let leaked: Parameters<Parameters<typeof s.transaction>[0]>[0] | undefined;
    await s.transaction((tx) => {
      leaked = tx;
      return Promise.resolve();
    });
    await rejectsKind(leaked!.users.get(1), "unavailable");
  },
);

testCase(
  "reads on the storage inside a transaction see the last committed state, or wait for it",
  async (s, { capabilities }) => {
    const user = await s.users.create({
      username: "before",
      passwordHash: "h",
    });
    await s.transaction(async (tx) => {
      await tx.users.update(user.id, { username: "after" });
      assert.equal((await tx.users.get(user.id))?.username, "after");
      if (capabilities.snapshotReads) {
        assert.equal((await s.users.get(user.id))?.username, "before");
        assert.equal(await s.users.findByUsername("after"), null);
      } else {
        // One connection (an in-memory database): the read waits for the transaction, so
        // awaiting it here can only end as timeout, and never sees the uncommitted name.
        await rejectsKind(s.users.get(user.id), "timeout");
      }
    });
    assert.equal((await s.users.get(user.id))?.username, "after");
  },
  { acquireTimeoutMs: 300 },
);

testCase(
  "a write on the storage awaited inside its own transaction times out and joins nothing",
  async (s) => {
    await seedAreas(s);
    const error = await s.transaction(async (tx) => {
      await tx.users.create({ username: "tx-user", passwordHash: "h" });
      return await s.users.create({ username: "outside", passwordHash: "h" })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
    });
    assert.ok(
      error instanceof StorageError && error.kind === "timeout",
      String(error),
    );
    assert.match(error.message, /transaction/);
    assert.ok(await s.users.findByUsername("tx-user"));
    assert.equal(await s.users.findByUsername("outside"), null);
  },
  { acquireTimeoutMs: 200 },
);

/** Waits for `work` to settle, or `ms` milliseconds, whichever comes first. */
async function settleWithin(work: Promise<unknown>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.catch(() => {}),
    new Promise((resolve) => timer = setTimeout(resolve, ms)),
  ]);
  clearTimeout(timer);
}

testCase(
  "writes of other callers wait for an open transaction and never join it",
  async (s) => {
    await seedAreas(s);
    const events: string[] = [];
    let outside!: Promise<number>;
    const tx = s.transaction(async (t) => {
      await t.users.create({ username: "rolled-back", passwordHash: "h" });
      outside = s.users.create({ username: "independent", passwordHash: "h" })
        .then((user) => {
          events.push("outside written");
          return user.id;
        });
      // Many times what the write takes when nothing holds it up.
      await settleWithin(outside, 300);
      assert.ok(
        !events.includes("outside written"),
        "the outside write waits for the transaction",
      );
      assert.equal(
        await t.users.findByUsername("independent"),
        null,
        "the outside write is not part of the transaction",
      );
      events.push("transaction ends");
      throw new Error("abort");
    });
    await assert.rejects(tx, /abort/);
    const created = await outside;
    assert.deepEqual(events, ["transaction ends", "outside written"]);
    assert.equal((await s.users.get(created))?.username, "independent");
    assert.equal(await s.users.findByUsername("rolled-back"), null);
  },
);

testCase("transaction() validates its callback", async (s) => {
  await seedAreas(s);
  await rejectsKind(s.transaction("nope" as never), "validation", "fn");
});

testCase(
  "close() is idempotent and later calls fail as unavailable",
  async (s) => {
    await seedAreas(s);
    await s.close();
    await s.close();
    const error = await rejectsKind(s.users.get(1), "unavailable");
    assert.match(error.message, /closed/);
    await rejectsKind(
      s.users.create({ username: "x", passwordHash: "h" }),
      "unavailable",
    );
    await rejectsKind(s.transaction(() => Promise.resolve()), "unavailable");
    // Lookups of what no record can be fail the same way: nothing answers for a closed storage.
    for (const name of ["", "a\0b", "nobody"]) {
      await rejectsKind(s.users.findByUsername(name), "unavailable");
    }
    for (const token of ["x", ""]) {
      await rejectsKind(s.sessions.getByToken(token), "unavailable");
    }
  },
);

testCase(
  "close() resolves only after the transaction it found running has ended, whole or not at all",
  async (s, { capabilities, database }) => {
    const events: string[] = [];
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => inside = resolve);
    const tx = s.transaction(async (t) => {
      await t.users.create({ username: "first", passwordHash: "h" });
      inside();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await t.users.create({ username: "second", passwordHash: "h" });
    }).then(
      () => events.push("transaction committed"),
      (e) => events.push(`transaction failed: ${e?.kind}`),
    );
    await entered;
    await s.close();
    events.push("closed");
    await tx;
    assert.equal(events.length, 2);
    assert.match(events[0]!, /^transaction (committed|failed: unavailable)$/);
    assert.equal(events[1], "closed");
    if (!capabilities.persistent) return;
    await using again = await database.open();
    const committed = events[0] === "transaction committed";
    assert.equal(!!await again.users.findByUsername("first"), committed);
    assert.equal(!!await again.users.findByUsername("second"), committed);
  },
);

testCase(
  "a persistent database keeps its data across reopening; an in-memory one starts empty",
  async (s, { capabilities, database }) => {
    const user = await s.users.create({
      username: "durable",
      passwordHash: "h",
    });
    await s.close();
    await using again = await database.open();
    assert.equal(
      (await again.users.get(user.id))?.username,
      capabilities.persistent ? "durable" : undefined,
    );
  },
);

testCase(
  "operations on a database whose schema is behind fail as migration",
  async (s) => {
    const error = await rejectsKind(s.users.get(1), "migration");
    assert.match(error.message, /deno task migrate/);
  },
  { migrate: "off" },
);
