import assert from "node:assert/strict";
import { StorageError } from "../mod.ts";
import { conformance } from "./_targets.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

conformance("transaction() commits when the callback resolves", async (s) => {
  await seedAreas(s);
  const result = await s.transaction(async (tx) => {
    const user = await tx.createUser({ username: "in-tx", passwordHash: "h" });
    await tx.postMessage({
      areaId: 1,
      fromUserId: user.id,
      subject: "s",
      body: "b",
    });
    return user.id;
  });
  assert.equal((await s.getUser(result))?.stats.posts, 1);
});

conformance(
  "transaction() rolls back everything and rethrows when the callback throws",
  async (s) => {
    await seedAreas(s);
    const keep = await s.createUser({ username: "keep", passwordHash: "h" });
    const marker = new Error("boom");
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.createUser({ username: "ghost", passwordHash: "h" });
        await tx.incrementUserStats(keep.id, { logins: 5 });
        await tx.postMessage({
          areaId: 1,
          fromUserId: keep.id,
          subject: "s",
          body: "b",
        });
        throw marker;
      }),
      (error) => error === marker,
    );
    assert.equal(await s.findUserByUsername("ghost"), null);
    assert.equal((await s.getUser(keep.id))?.stats.logins, 0);
    assert.equal((await s.getUser(keep.id))?.stats.posts, 0);
    assert.deepEqual(await s.listMessages(1), []);
  },
);

conformance(
  "a failed operation inside a transaction leaves it usable and unchanged",
  async (s) => {
    await seedAreas(s);
    await s.createUser({ username: "taken", passwordHash: "h" });
    const id = await s.transaction(async (tx) => {
      const a = await tx.createUser({ username: "first", passwordHash: "h" });
      await rejectsKind(
        tx.createUser({ username: "TAKEN", passwordHash: "h" }),
        "conflict",
      );
      await rejectsKind(
        tx.postMessage({
          areaId: 1,
          fromUserId: a.id,
          parentId: 12345,
          subject: "s",
          body: "b",
        }),
        "constraint",
      );
      assert.equal((await tx.getUser(a.id))?.stats.posts, 0);
      await tx.postMessage({
        areaId: 1,
        fromUserId: a.id,
        subject: "s",
        body: "b",
      });
      return a.id;
    });
    assert.equal((await s.getUser(id))?.stats.posts, 1);
    assert.equal((await s.listMessages(1)).length, 1);
  },
);

conformance(
  "the transaction handle refuses work after the transaction ends",
  async (s) => {
    await seedAreas(s);
    let leaked: Parameters<Parameters<typeof s.transaction>[0]>[0] | undefined;
    await s.transaction((tx) => {
      leaked = tx;
      return Promise.resolve();
    });
    await rejectsKind(leaked!.getUser(1), "unavailable");
  },
);

conformance(
  "reads on the storage inside a transaction see the last committed state, or wait for it",
  async (s, target) => {
    const user = await s.createUser({ username: "before", passwordHash: "h" });
    await s.transaction(async (tx) => {
      await tx.updateUser(user.id, { username: "after" });
      assert.equal((await tx.getUser(user.id))?.username, "after");
      if (target.capabilities.snapshotReads) {
        assert.equal((await s.getUser(user.id))?.username, "before");
        assert.equal(await s.findUserByUsername("after"), null);
      } else {
        // One connection (an in-memory database): the read waits for the transaction, so
        // awaiting it here can only end as timeout, and never sees the uncommitted name.
        await rejectsKind(s.getUser(user.id), "timeout");
      }
    });
    assert.equal((await s.getUser(user.id))?.username, "after");
  },
  { acquireTimeoutMs: 300 },
);

conformance(
  "a write on the storage awaited inside its own transaction times out and joins nothing",
  async (s) => {
    await seedAreas(s);
    const error = await s.transaction(async (tx) => {
      await tx.createUser({ username: "tx-user", passwordHash: "h" });
      return await s.createUser({ username: "outside", passwordHash: "h" })
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
    assert.ok(await s.findUserByUsername("tx-user"));
    assert.equal(await s.findUserByUsername("outside"), null);
  },
  { acquireTimeoutMs: 200 },
);

conformance(
  "writes of other callers wait for an open transaction and never join it",
  async (s) => {
    await seedAreas(s);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const tx = s.transaction(async (t) => {
      await t.createUser({ username: "rolled-back", passwordHash: "h" });
      await gate;
      throw new Error("abort");
    });
    const outside = s.createUser({
      username: "independent",
      passwordHash: "h",
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await assert.rejects(tx, /abort/);
    const created = await outside;
    assert.equal((await s.getUser(created.id))?.username, "independent");
    assert.equal(await s.findUserByUsername("rolled-back"), null);
  },
);

conformance("transaction() validates its callback", async (s) => {
  await seedAreas(s);
  await rejectsKind(s.transaction("nope" as never), "validation", "fn");
});

conformance(
  "close() is idempotent and later calls fail as unavailable",
  async (s) => {
    await seedAreas(s);
    await s.close();
    await s.close();
    const error = await rejectsKind(s.getUser(1), "unavailable");
    assert.match(error.message, /closed/);
    await rejectsKind(
      s.createUser({ username: "x", passwordHash: "h" }),
      "unavailable",
    );
    await rejectsKind(s.transaction(() => Promise.resolve()), "unavailable");
  },
);

conformance(
  "a persistent database keeps its data across reopening; an in-memory one starts empty",
  async (s, target, fresh) => {
    const user = await s.createUser({ username: "durable", passwordHash: "h" });
    await s.close();
    await using again = await fresh.open();
    assert.equal(
      (await again.getUser(user.id))?.username,
      target.capabilities.persistent ? "durable" : undefined,
    );
  },
);

conformance(
  "operations on a database whose schema is behind fail as migration",
  async (s) => {
    const error = await rejectsKind(s.getUser(1), "migration");
    assert.match(error.message, /deno task migrate/);
  },
  { migrate: "off" },
);
