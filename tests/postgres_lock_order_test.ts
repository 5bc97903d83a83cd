/**
 * Lock order and deadlines on PostgreSQL, under load: several storages (as several processes
 * would) run every operation that changes more than one row on the same few rows, beside
 * transactions of callers. Operations take row locks in one global order (src/ops/mod.ts), so
 * with caller transactions that follow it the server sees no deadlock at all; with caller
 * transactions that do not, deadlocks are retried within the caller's deadline. Either way every
 * call finishes, or fails as `timeout`, within `acquireTimeoutMs` plus a margin, and every
 * acknowledged write is there afterwards.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, type Storage } from "../mod.ts";
import {
  ACQUIRE_MS,
  type Board,
  check,
  deadlocks,
  type Ledger,
  runStep,
  setUp,
  type Step,
  steps,
} from "./_lock_order.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { figures, sized } from "./_stress.ts";

const ignore = postgresMissing !== undefined;

const STORAGES = 4;
const LOOPS = 6;

/** Runs the workload with `callerTx` as the callers' transaction; returns ledger and deadlocks. */
async function run(
  name: string,
  deadlockTimeout: string,
  callerTx: (board: Board, ledger: Ledger) => Step,
) {
  await using db = await createDatabase();
  const admin = rawClient();
  await admin.unsafe(
    `ALTER DATABASE "${db.name}" SET deadlock_timeout = '${deadlockTimeout}'`,
  );
  await admin.end();
  const board = await setUp(db.url);
  const ledger: Ledger = {
    posts: [0, 0, 0],
    logins: [0, 0, 0],
    downloads: [0, 0, 0],
    uploads: [0, 0, 0],
    messages: new Set(),
    deleted: new Set(),
    files: new Set(),
    calls: 0,
    timeouts: 0,
    unexpected: [],
    overdue: [],
    worstMs: 0,
  };
  const kinds = steps(board, ledger, callerTx(board, ledger));
  const before = await deadlocks(db.name);
  const stopAt = Date.now() + sized(3000, 30_000);
  const storages: Storage[] = [];
  for (let i = 0; i < STORAGES; i++) {
    storages.push(
      await openStorage(db.url, {
        migrate: "off",
        acquireTimeoutMs: ACQUIRE_MS,
      }),
    );
  }
  const loop = async (s: Storage, n: number) => {
    for (let i = 0; Date.now() < stopAt; i++) {
      const kind = (n + i) % kinds.length;
      const key = `k${n}x${i}`;
      const u = (n + i) % 3;
      await runStep(
        ledger,
        `step ${kind}`,
        (call) => kinds[kind]!(s, key, u, (u + 1) % 3, call),
      );
    }
  };
  await Promise.all(
    storages.flatMap((s, i) =>
      Array.from({ length: LOOPS }, (_, j) => loop(s, i * LOOPS + j))
    ),
  );
  for (const s of storages) await s.close();
  const seen = await deadlocks(db.name) - before;
  figures(name, {
    calls: ledger.calls,
    timeouts: ledger.timeouts,
    deadlocks: seen,
    worstMs: Math.round(ledger.worstMs),
    messages: ledger.messages.size,
  });
  assert.deepEqual(ledger.unexpected, [], "every failure is a timeout");
  assert.deepEqual(
    ledger.overdue,
    [],
    "every call ends within its deadline plus the margin",
  );
  await check(db.url, board, ledger);
  return { ledger, deadlocks: seen };
}

Deno.test({
  name:
    "[postgres] operations lock rows in one order: beside callers' users.incrementStats-then-messages.post, no deadlock, and every call ends within acquireTimeoutMs",
  ignore,
  async fn() {
    const { deadlocks } = await run(
      "lock order, callers in order",
      "50ms",
      (board, ledger) => async (s, key, u, v, call) => {
        await call(() =>
          s.transaction(async (tx) => {
            await tx.users.incrementStats(board.users[u]!, { logins: 1 });
            await tx.messages.post({
              areaId: board.area,
              fromUserId: board.users[u]!,
              toUserId: board.users[v]!,
              subject: key,
              body: "b",
            });
          })
        );
        ledger.logins[u]!++;
        ledger.posts[u]!++;
        ledger.messages.add(key);
      },
    );
    assert.equal(deadlocks, 0, "the server saw no deadlock");
  },
});

Deno.test({
  name:
    "[postgres] a caller's transaction locking out of order may deadlock; it is retried within the deadline and single operations still end within acquireTimeoutMs",
  ignore,
  async fn() {
    await run(
      "lock order, callers out of order",
      "200ms",
      (board, ledger) => async (s, key, u, v, call) => {
        await call(() =>
          s.transaction(async (tx) => {
            await tx.messages.post({
              areaId: board.area,
              fromUserId: board.users[u]!,
              subject: key,
              body: "b",
            });
            await tx.users.incrementStats(board.users[v]!, { logins: 1 });
          })
        );
        ledger.posts[u]!++;
        ledger.logins[v]!++;
        ledger.messages.add(key);
      },
    );
  },
});
