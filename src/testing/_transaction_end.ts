/**
 * The end of a transaction with operations in flight (issue 10, item 2): `transaction()` commits
 * only after every operation called before the callback settled, or rolls back as a whole; an
 * operation called after that is refused, and no statement runs outside the transaction. (That
 * a driver's own transaction executor refuses statements after the end is checked on the built-in
 * drivers by tests/conformance_executor_test.ts: it needs the driver seam, not the public API.)
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Message } from "../../mod.ts";
import { rejectsKind } from "./_assert.ts";
import { assertCountersAgree, kindOf } from "./_counters.ts";
import { seedAreas } from "./_fixtures.ts";
import { testCase } from "./_case.ts";

testCase(
  "transaction() commits only after the operations its callback started and did not await",
  async (s) => {
    await seedAreas(s, 1);
    const user = await s.users.create({
      username: "author",
      passwordHash: "h",
    });
    await s.messages.post({
      areaId: 1,
      fromUserId: user.id,
      subject: "seed",
      body: "b",
      ftnMsgid: "1:1/1 0001",
    });
    const post = (subject: string, extra: object = {}) => ({
      areaId: 1,
      fromUserId: user.id,
      subject,
      body: "b",
      ...extra,
    });
    let started!: Promise<PromiseSettledResult<unknown>[]>;
    let chained!: Promise<unknown>;
    const result = await s.transaction(async (tx) => {
      await tx.users.incrementStats(user.id, { logins: 1 });
      started = Promise.allSettled([
        tx.messages.post(post("dangling")),
        tx.messages.post(post("dup", { ftnMsgid: "1:1/1 0001" })),
        tx.files.add({
          areaId: 1,
          filename: "LATE.ZIP",
          size: 5,
          uploaderId: user.id,
        }),
      ]);
      // Called only once its first step is done, after the callback resolved: refused.
      chained = tx.messages.post(post("first of chain")).then(() =>
        tx.messages.post(post("second of chain"))
      );
      chained.catch(() => {});
      return "committed";
    });
    assert.equal(result, "committed");
    const outcomes = await started;
    assert.deepEqual(outcomes.map(kindOf), ["ok", "conflict", "ok"]);
    const error = await rejectsKind(chained, "unavailable");
    assert.match(error.message, /transaction has ended/);
    assert.deepEqual(
      (await s.messages.list(1)).map((m) => m.subject),
      ["seed", "dangling", "first of chain"],
    );
    const message = (outcomes[0] as PromiseFulfilledResult<Message>).value;
    assert.deepEqual(await s.messages.get(message.id), message);
    assert.deepEqual((await s.files.list(1)).map((f) => f.filename), [
      "LATE.ZIP",
    ]);
    assert.equal((await s.users.get(user.id))!.stats.logins, 1);
    await assertCountersAgree(s, [1]);
  },
);

testCase(
  "a callback that throws with operations in flight leaves nothing, and nothing runs after",
  async (s) => {
    await seedAreas(s, 1);
    const user = await s.users.create({ username: "keep", passwordHash: "h" });
    const marker = new Error("abort");
    let started!: Promise<PromiseSettledResult<unknown>[]>;
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.users.create({ username: "ghost", passwordHash: "h" });
        started = Promise.allSettled([
          tx.messages.post({
            areaId: 1,
            fromUserId: user.id,
            subject: "s",
            body: "b",
          }),
          tx.files.add({
            areaId: 1,
            filename: "X.ZIP",
            size: 5,
            uploaderId: user.id,
          }),
          tx.users.recordLogin(user.id),
          tx.sessions.create({
            userId: user.id,
            ipAddress: "192.0.2.1",
            node: 1,
          }),
          tx.users.incrementStats(user.id, { downloads: 4 }),
        ]);
        throw marker;
      }),
      (error) => error === marker,
    );
    const outcomes = await started;
    for (const outcome of outcomes) {
      // The operation running when the callback threw finishes inside the transaction and is
      // rolled back with it; the ones still waiting are refused.
      if (outcome.status === "fulfilled") continue;
      assert.equal(kindOf(outcome), "unavailable", String(outcome.reason));
      assert.match(outcome.reason.message, /rolled back/);
    }
    assert.ok(outcomes.filter((o) => o.status === "rejected").length >= 4);
    // Give any straggling statement time to land outside the transaction.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await s.users.findByUsername("ghost"), null);
    assert.deepEqual(await s.messages.list(1), []);
    assert.deepEqual(await s.files.list(1), []);
    assert.deepEqual(await s.sessions.listOnline(), []);
    assert.deepEqual(await s.callers.recent(), []);
    assert.deepEqual((await s.users.get(user.id))!.stats, {
      logins: 0,
      posts: 0,
      uploads: 0,
      downloads: 0,
      uploadBytes: 0,
      downloadBytes: 0,
      timeOnlineSeconds: 0,
    });
    await assertCountersAgree(s, [1]);
    // The writer is free again: a write on the storage does not wait for anything.
    const later = await s.users.create({
      username: "later",
      passwordHash: "h",
    });
    assert.equal((await s.users.get(later.id))?.username, "later");
  },
  { acquireTimeoutMs: 1000 },
);
