/**
 * Closing under work, written from docs/guarantees.md ("close() releases everything"): after
 * `close()`, every operation, `transaction()` and every Migrator method fail as `unavailable`,
 * never `internal`; a transaction still running when `close()` stops waiting for it fails as
 * `unavailable` saying it was rolled back, and nothing of it is kept. Every target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { StorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { conformance, TARGETS } from "./_targets.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asserts the error of a transaction that `close()` cut off. */
function assertRolledBackByClose(error: unknown): void {
  assert.ok(
    error instanceof StorageError && error.kind === "unavailable",
    `expected unavailable, got ${error}`,
  );
  assert.match(error.message, /closed/);
  assert.match(error.message, /rolled back/);
}

conformance(
  "a transaction still running when close() stops waiting fails as unavailable, rolled back (the issue's repro)",
  async (s, target, fresh) => {
    const tx = s.transaction(async (t) => {
      await t.users.create({ username: "during", passwordHash: "h" });
      await sleep(900); // outlives close()'s wait of acquireTimeoutMs
      return "done";
    });
    await sleep(50);
    await s.close();
    assertRolledBackByClose(await tx.then(() => undefined, (e) => e));
    if (!target.capabilities.persistent) return;
    await using again = await fresh.open();
    assert.equal(await again.users.findByUsername("during"), null);
  },
  { acquireTimeoutMs: 300 },
);

conformance(
  "an operation called on a transaction after close() fails as unavailable, and the transaction too",
  async (s, target, fresh) => {
    let inner: unknown;
    const tx = s.transaction(async (t) => {
      await t.users.create({ username: "first", passwordHash: "h" });
      await sleep(700);
      inner = await t.users.create({ username: "second", passwordHash: "h" })
        .then(() => undefined, (e) => e);
      await t.users.get(1); // a read, too
    });
    await sleep(50);
    await s.close();
    const error = await tx.then(() => undefined, (e) => e);
    assert.ok(
      inner instanceof StorageError && inner.kind === "unavailable",
      `the operation after close(): ${inner}`,
    );
    assert.match(inner.message, /closed/);
    assert.ok(
      error instanceof StorageError && error.kind === "unavailable",
      `the transaction: ${error}`,
    );
    if (!target.capabilities.persistent) return;
    await using again = await fresh.open();
    assert.equal(await again.users.findByUsername("first"), null);
  },
  { acquireTimeoutMs: 300 },
);

for (const target of TARGETS) {
  Deno.test({
    name:
      `[${target.name}] every Migrator method after close() fails as unavailable`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      const migrator = await openMigrator(fresh.url);
      await migrator.up();
      await migrator.close();
      await migrator.close();
      const calls: Record<string, () => Promise<unknown>> = {
        status: () => migrator.status(),
        notes: () => migrator.notes(),
        up: () => migrator.up(),
        down: () => migrator.down(),
        downForced: () => migrator.down({ force: true }),
        to: () => migrator.to(0),
        verify: () => migrator.verify(),
      };
      for (const [name, call] of Object.entries(calls)) {
        const error = await rejectsKind(call, "unavailable");
        assert.match(error.message, /closed/, name);
      }
    },
  });
}
