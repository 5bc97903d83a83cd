/**
 * One deadline per call on PostgreSQL: the waits for the storage's write gate, a pooled
 * connection and row locks take what is left of `acquireTimeoutMs`, instead of each its own.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test({
  name:
    "[postgres] a write that waits for an open transaction, then for a row lock, fails as timeout at its one deadline",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const acquireTimeoutMs = 1500;
    await using s = await openStorage(db.url, { acquireTimeoutMs });
    await using other = await openStorage(db.url, { migrate: "off" });
    const user = await s.users.create({ username: "hot", passwordHash: "h" });
    // Another process holds the user's row for 5 s.
    let rowHeld!: () => void;
    const holding = new Promise<void>((resolve) => rowHeld = resolve);
    const holder = other.transaction(async (tx) => {
      await tx.users.incrementStats(user.id, { logins: 1 });
      rowHeld();
      await pause(5000);
    });
    await holding;
    // A transaction of this storage holds its writes for 1 s.
    let gateHeld!: () => void;
    const gate = new Promise<void>((resolve) => gateHeld = resolve);
    const open = s.transaction(async (tx) => {
      await tx.users.get(user.id);
      gateHeld();
      await pause(1000);
    });
    await gate;
    const started = performance.now();
    const error = await s.users.incrementStats(user.id, { posts: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    const took = performance.now() - started;
    await open;
    await holder;
    assert.ok(
      error instanceof StorageError && error.kind === "timeout",
      String(error),
    );
    // About 1 s at the gate, then the rest of the 1.5 s for the row lock; never 1 s + 1.5 s.
    assert.ok(took >= acquireTimeoutMs - 100, `gave up early: ${took} ms`);
    assert.ok(took < acquireTimeoutMs + 700, `waited ${took} ms`);
    assert.equal((await s.users.get(user.id))!.stats.posts, 0);
    assert.equal((await s.users.get(user.id))!.stats.logins, 1);
  },
});
