/**
 * Bounded waits on SQLite, written from docs/guarantees.md ("Bounded waits"): every wait of a
 * call, for this storage's writer and for another process's lock alike, takes what is left of
 * one deadline, `acquireTimeoutMs`, and a call that runs out fails as `timeout` saying another
 * process holds the database's lock. `retry.attempts` does not cut the wait short (it bounds
 * PostgreSQL's re-runs only). The lock is held by a real process (tests/_lock_holder.ts), on
 * both engines.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { OpenOptions } from "../mod.ts";
import { rejectsKind } from "./_assert.ts";
import { holdLock } from "./_lock_holder.ts";
import type { Fresh } from "./_targets.ts";
import { assertTimedOut, FILE_TARGETS, filePath, timed } from "./_waits.ts";

/** Retry settings that used to decide how long a busy SQLite call waited. */
const RETRIES: readonly (OpenOptions["retry"] | undefined)[] = [
  undefined,
  { attempts: 400, baseDelayMs: 5, maxDelayMs: 50 },
  { attempts: 1, baseDelayMs: 5, maxDelayMs: 50 },
];

for (const target of FILE_TARGETS) {
  const test = (name: string, fn: (fresh: Fresh) => Promise<void>) =>
    Deno.test({
      name: `[${target.name}] ${name}`,
      ignore: target.ignore !== undefined,
      async fn() {
        await using fresh = await target.fresh();
        await (await fresh.open()).close();
        await fn(fresh);
      },
    });

  test(
    "a call blocked by another process's write lock fails as timeout at acquireTimeoutMs, whatever retry.attempts says (the issue's repro)",
    async (fresh) => {
      {
        await using s = await fresh.open();
        await s.users.create({ username: "u", passwordHash: "h" });
        await s.messageAreas.create({ tag: "A", name: "A" });
      }
      await using holder = await holdLock(filePath(fresh));
      const waited: number[] = [];
      for (const retry of RETRIES) {
        await using s = await fresh.open({
          acquireTimeoutMs: 300,
          migrate: "off",
          ...(retry ? { retry } : {}),
        });
        const calls: Record<string, () => Promise<unknown>> = {
          "users.incrementStats": () =>
            s.users.incrementStats(1, { logins: 1 }),
          "users.create": () =>
            s.users.create({ username: "v", passwordHash: "h" }),
          "messages.post": () =>
            s.messages.post({
              areaId: 1,
              fromName: "x",
              subject: "s",
              body: "",
            }),
          transaction: () => s.transaction((tx) => tx.users.recordLogin(1)),
        };
        for (const [name, call] of Object.entries(calls)) {
          const outcome = await timed(call);
          waited.push(outcome.ms);
          const error = assertTimedOut(
            outcome,
            300,
            `${name} (retry ${JSON.stringify(retry ?? "default")})`,
          );
          assert.match(error.message, /write lock/);
        }
        // Reads do not wait for a writer (WAL).
        assert.equal((await s.users.get(1))?.stats.logins, 0);
      }
      await holder.release();
      console.log(
        `figures: ${waited.length} calls blocked by another process, acquireTimeoutMs 300: ` +
          `timeout after ${Math.round(Math.min(...waited))}–${
            Math.round(Math.max(...waited))
          } ms`,
      );
      await using s = await fresh.open();
      assert.equal((await s.users.get(1))?.stats.logins, 0);
      assert.equal(await s.users.findByUsername("v"), null);
      assert.equal((await s.messageAreas.get(1))?.msgCount, 0);
    },
  );

  test(
    "opening fails as timeout at acquireTimeoutMs while another process holds the whole database",
    async (fresh) => {
      await using _holder = await holdLock(filePath(fresh), "exclusive");
      for (const migrate of ["up", "check", "off"] as const) {
        assertTimedOut(
          await timed(() => fresh.open({ migrate, acquireTimeoutMs: 300 })),
          300,
          `openStorage(migrate: "${migrate}")`,
        );
      }
    },
  );

  test(
    "a call's wait for this storage's writer and its wait for another process's lock share one deadline",
    async (fresh) => {
      await using s = await fresh.open({ acquireTimeoutMs: 2000 });
      const user = await s.users.create({ username: "u", passwordHash: "h" });
      await using _holder = await holdLock(filePath(fresh));
      // The first holds this storage's writer while it waits for the other process, until its
      // deadline; the second, begun a second later, waits behind it, then for the process.
      const first = timed(() =>
        s.transaction((tx) => tx.users.recordLogin(user.id))
      );
      await new Promise((r) => setTimeout(r, 1000));
      const second = await timed(() =>
        s.users.incrementStats(user.id, { logins: 1 })
      );
      const firstOutcome = await first;
      assertTimedOut(firstOutcome, 2000, "the first");
      console.log(
        `figures: acquireTimeoutMs 2000: the writer's holder timed out after ` +
          `${Math.round(firstOutcome.ms)} ms, the call behind it after ${
            Math.round(second.ms)
          } ms`,
      );
      // Its own deadline: 2 s after it began, not 2 s after it got the writer (3 s).
      assertTimedOut(second, 2000, "the second");
      assert.ok(second.ms < 2600, `the second waited ${second.ms} ms`);
    },
  );

  test(
    "a lock released before the deadline is waited for: the call succeeds",
    async (fresh) => {
      await using s = await fresh.open({
        acquireTimeoutMs: 5000,
        retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 50 },
      });
      const user = await s.users.create({ username: "u", passwordHash: "h" });
      const holder = await holdLock(filePath(fresh));
      const releasing = new Promise((r) => setTimeout(r, 300)).then(() =>
        holder.release()
      );
      const { error, ms } = await timed(() =>
        s.users.incrementStats(user.id, { posts: 1 })
      );
      await releasing;
      assert.equal(error, undefined);
      assert.ok(ms >= 200, `the write waited for the lock: ${ms} ms`);
      assert.equal((await s.users.get(user.id))?.stats.posts, 1);
    },
  );
}

Deno.test("[sqlite-file] another storage's open transaction on the same file is waited for at most acquireTimeoutMs", async () => {
  const target = FILE_TARGETS[0]!;
  await using fresh = await target.fresh();
  await using a = await fresh.open();
  await using b = await fresh.open({ acquireTimeoutMs: 300, migrate: "off" });
  const user = await a.users.create({ username: "u", passwordHash: "h" });
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  const tx = a.transaction(async (t) => {
    await t.users.recordLogin(user.id);
    await held;
  });
  await new Promise((r) => setTimeout(r, 50));
  const error = await rejectsKind(
    b.users.incrementStats(user.id, { logins: 1 }),
    "timeout",
  );
  assert.match(error.message, /write lock/);
  release();
  await tx;
  assert.equal((await b.users.get(user.id))?.stats.logins, 1);
});
