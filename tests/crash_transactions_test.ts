/**
 * Crashes during a batch of transactions: a child process (tests/_crash_worker.ts) commits
 * transactions from three loops and prints each id once its commit resolved; it is killed with
 * SIGKILL at a random moment. Afterwards every acknowledged transaction is wholly present, every
 * other one wholly present or wholly absent, the counters agree with what is present, and the
 * database works. The same database takes every trial: crash, reopen, crash again.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  assertSqliteIntact,
  delay,
  figures,
  inspect,
  readLines,
  sized,
  testPath,
} from "./_stress.ts";
import { TARGETS } from "./_targets.ts";
import { random } from "./_stress_worker.ts";

const WORKER = testPath("./_crash_worker.ts");
const TRIALS = sized(20, 200);

interface Trial {
  /** Ids whose commit the child acknowledged. */
  acknowledged: Set<number>;
  /** How long the child ran after it was ready, in ms. */
  ranMs: number;
}

/** Runs the child until `killAfterMs` after it is ready, then SIGKILLs it. */
async function crashOnce(
  url: string,
  firstId: number,
  hotUserId: number,
  killAfterMs: number,
): Promise<Trial> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, url, String(firstId), String(hotUserId)],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const acknowledged = new Set<number>();
  let readyAt = 0;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => markReady = resolve);
  const lines = readLines(child.stdout, (line) => {
    if (line === "ready") {
      readyAt = performance.now();
      markReady();
    } else acknowledged.add(Number(line));
  });
  const stderr = new Response(child.stderr).text();
  const exited = child.status.then((status) => (markReady(), status));
  await ready;
  await Promise.race([delay(killAfterMs), exited]);
  try {
    child.kill("SIGKILL");
  } catch {
    // It exited by itself: the assertion below says why.
  }
  const status = await exited;
  await lines;
  assert.equal(
    status.signal,
    "SIGKILL",
    `the child died by itself: ${await stderr}`,
  );
  return { acknowledged, ranMs: performance.now() - readyAt };
}

/** What the database holds, per transaction id: which of its four effects are there. */
function present(url: string, hotUserId: number) {
  const ids = (rows: Record<string, unknown>[], key: string, pattern: RegExp) =>
    new Set(rows.map((r) => Number(pattern.exec(String(r[key]))?.[1] ?? NaN)));
  return inspect(url, async (db) => {
    const users = ids(
      await db.all("SELECT username FROM users WHERE username LIKE 'c%'"),
      "username",
      /^c(\d+)$/,
    );
    const messages = await db.all(
      "SELECT subject, msg_num FROM messages WHERE area_id = 1 ORDER BY msg_num",
    );
    const posted = ids(messages, "subject", /^tx (\d+)$/);
    const files = ids(
      await db.all("SELECT filename FROM files WHERE area_id = 1"),
      "filename",
      /^f(\d+)\.zip$/,
    );
    const [hot] = await db.all("SELECT uploads FROM users WHERE id = ?", [
      hotUserId,
    ]);
    const counters = await db.all(
      "SELECT username, posts, uploads, upload_bytes FROM users WHERE username LIKE 'c%'",
    );
    return {
      users,
      posted,
      files,
      messages,
      hotUploads: Number(hot!.uploads),
      counters,
    };
  });
}

for (const target of TARGETS.filter((t) => t.capabilities.persistent)) {
  Deno.test({
    name:
      `[${target.name}] ${TRIALS} transaction batches killed with SIGKILL at random points keep every acknowledged commit whole`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      const hotUserId = await (async () => {
        await using s = await fresh.open();
        await s.messageAreas.create({ tag: "CRASH", name: "Crash" });
        await s.fileAreas.create({ tag: "CRASH", name: "Crash" });
        return (await s.users.create({ username: "hot", passwordHash: "h" }))
          .id;
      })();
      const rnd = random(42 + target.name.length);
      const acknowledged = new Set<number>();
      let unacknowledgedPresent = 0;
      let ranMs = 0;
      for (let trial = 0; trial < TRIALS; trial++) {
        const first = (trial + 1) * 1_000_000;
        const run = await crashOnce(fresh.url, first, hotUserId, rnd() * 400);
        ranMs += run.ranMs;
        if (fresh.url.startsWith("sqlite:")) {
          assertSqliteIntact(fresh.url.slice("sqlite:".length).split("?")[0]!);
        }
        const db = await present(fresh.url, hotUserId);
        const all = new Set([...db.users, ...db.posted, ...db.files]);
        for (const id of all) {
          assert.ok(
            db.users.has(id) && db.posted.has(id) && db.files.has(id),
            `transaction ${id} is half-present: user ${
              db.users.has(id)
            }, message ` +
              `${db.posted.has(id)}, file ${db.files.has(id)}`,
          );
        }
        for (const id of run.acknowledged) {
          assert.ok(all.has(id), `acknowledged transaction ${id} is missing`);
          acknowledged.add(id);
        }
        for (const id of all) {
          if (id >= first && !run.acknowledged.has(id)) unacknowledgedPresent++;
        }
        assert.equal(
          db.hotUploads,
          all.size,
          "the shared counter counts every present transaction",
        );
        assert.deepEqual(
          db.messages.map((m) => Number(m.msg_num)),
          db.messages.map((_, i) => i + 1),
          "message numbers run 1..n",
        );
        for (const c of db.counters) {
          const id = Number(String(c.username).slice(1));
          assert.deepEqual(
            [Number(c.posts), Number(c.uploads), Number(c.upload_bytes)],
            [1, 1, id],
            `counters of c${id}`,
          );
        }
      }
      // The database works after the last crash.
      {
        await using s = await fresh.open({ migrate: "check" });
        const user = await s.users.create({
          username: "after",
          passwordHash: "h",
        });
        await s.messages.post({
          areaId: 1,
          fromUserId: user.id,
          subject: "after",
          body: "",
        });
      }
      const db = await present(fresh.url, hotUserId);
      figures(`crash transactions [${target.name}]`, {
        trials: TRIALS,
        acknowledged: acknowledged.size,
        present: db.users.size,
        committedButUnacknowledged: unacknowledgedPresent,
        averageRunMs: Math.round(ranMs / TRIALS),
      });
    },
  });
}
