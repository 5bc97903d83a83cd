/**
 * PostgreSQL faults under a ledger-keeping workload: the server ends the storage's connections
 * again and again (`pg_terminate_backend`), and the server itself restarts (`pg_ctlcluster …
 * restart`, in fast and in immediate mode, which is a crash: no shutdown checkpoint). Every write
 * the workload saw succeed must be present afterwards; every write that failed without saying
 * its outcome is unknown must be absent; and once the server is back, operations succeed.
 *
 * Restarting the server disturbs everything else using it, so that test runs only under
 * `deno task stress` (or with `IMPULSE_TEST_PG_RESTART=1`), after the other suites of this file.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, type Storage, StorageError } from "../mod.ts";
import { seedAreas } from "./_fixtures.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { delay, figures, sized, STRESS } from "./_stress.ts";

/** What the workload saw. */
interface Ledger {
  /** Subjects of messages (and names of users) whose write succeeded. */
  acknowledged: Set<string>;
  /** Writes that failed saying their outcome is unknown: present or not. */
  unknown: Set<string>;
  /** Writes that failed otherwise: must be absent. */
  failed: Set<string>;
  /** Increments of the hot user that succeeded, and those of unknown outcome. */
  increments: number;
  unknownIncrements: number;
  /** Failures by message start, for the figures. */
  errors: Record<string, number>;
  /** Calls that succeeded. */
  done: number;
  /** Failures other than `unavailable` and `timeout`: must stay empty. */
  unexpected: string[];
  /** The longest call, in ms. */
  worstMs: number;
}

function withApp(url: string, app: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", app);
  return u.toString();
}

/** Runs `loops` concurrent loops of writes and reads until `stop()` says so. */
async function workload(
  s: Storage,
  hotUserId: number,
  loops: number,
  stop: () => boolean,
  ledger: Ledger,
): Promise<void> {
  const loop = async (n: number) => {
    for (let i = 0; !stop(); i++) {
      const key = `w${n}-${i}`;
      const kind = i % 4;
      const started = performance.now();
      try {
        if (kind === 0) {
          await s.messages.post({
            areaId: 1,
            fromName: "Fault",
            subject: key,
            body: "b",
          });
        } else if (kind === 1) {
          await s.transaction(async (tx) => {
            const user = await tx.users.create({
              username: key,
              passwordHash: "h",
            });
            await tx.messages.post({
              areaId: 2,
              fromUserId: user.id,
              subject: key,
              body: "b",
            });
          });
        } else if (kind === 2) {
          await s.users.incrementStats(hotUserId, { logins: 1 });
        } else await s.messages.list(1, { limit: 10 });
        ledger.done++;
        if (kind === 2) ledger.increments++;
        else if (kind !== 3) ledger.acknowledged.add(key);
      } catch (error) {
        // A fault may end a call as unavailable, or as timeout when a call before it held
        // the storage's writes longer than the wait bound (reconnecting, say).
        if (
          !(error instanceof StorageError) ||
          (error.kind !== "unavailable" && error.kind !== "timeout")
        ) {
          ledger.unexpected.push(String(error));
          continue;
        }
        const unknown = /outcome of .* is unknown/.test(error.message);
        if (kind === 2 && unknown) ledger.unknownIncrements++;
        else if (kind !== 2 && kind !== 3) {
          (unknown ? ledger.unknown : ledger.failed).add(key);
        }
        const start = error.message.replace(/ at \S+/g, "").slice(0, 48);
        ledger.errors[start] = (ledger.errors[start] ?? 0) + 1;
        await delay(5);
      } finally {
        ledger.worstMs = Math.max(ledger.worstMs, performance.now() - started);
      }
    }
  };
  await Promise.all(Array.from({ length: loops }, (_, n) => loop(n)));
}

/** Checks the database against the ledger, and that operations now succeed. */
async function checkLedger(
  s: Storage,
  hotUserId: number,
  ledger: Ledger,
): Promise<void> {
  assert.deepEqual(ledger.unexpected, [], "only unavailable or timeout");
  for (let i = 0; i < 30; i++) {
    await s.messages.post({
      areaId: 1,
      fromName: "After",
      subject: `after ${i}`,
      body: "",
    });
    await s.users.get(hotUserId);
  }
  const subjects = new Set<string>();
  for (const area of [1, 2]) {
    for (let after = 0;;) {
      const page = await s.messages.list(area, { after, limit: 1000 });
      if (page.length === 0) break;
      for (const m of page) subjects.add(m.subject);
      after = page.at(-1)!.id;
    }
  }
  for (const key of ledger.acknowledged) {
    assert.ok(subjects.has(key), `acknowledged write ${key} was lost`);
  }
  for (const key of ledger.failed) {
    assert.ok(
      !subjects.has(key),
      `${key} failed without saying its outcome was unknown, yet it is there`,
    );
    assert.equal(await s.users.findByUsername(key), null, `${key}'s user`);
  }
  for (const key of ledger.acknowledged) {
    if (!key.startsWith("w") || Number(key.split("-")[1]) % 4 !== 1) continue;
    assert.ok(await s.users.findByUsername(key), `${key}'s user`);
  }
  const logins = (await s.users.get(hotUserId))!.stats.logins;
  assert.ok(
    logins >= ledger.increments &&
      logins <= ledger.increments + ledger.unknownIncrements,
    `increments: ${logins} stored, ${ledger.increments} acknowledged, ${ledger.unknownIncrements} unknown`,
  );
}

function newLedger(): Ledger {
  return {
    acknowledged: new Set(),
    unknown: new Set(),
    failed: new Set(),
    increments: 0,
    unknownIncrements: 0,
    errors: {},
    done: 0,
    unexpected: [],
    worstMs: 0,
  };
}

async function prepare(s: Storage): Promise<number> {
  await seedAreas(s, 2);
  return (await s.users.create({ username: "hot", passwordHash: "h" })).id;
}

Deno.test({
  name:
    "[postgres] connections terminated again and again mid-workload: no acknowledged write lost, no failed one present, then every call succeeds",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_terminate");
    const app = `impulse-terminate-${crypto.randomUUID().slice(0, 8)}`;
    await using s = await openStorage(withApp(db.url, app), {
      postgres: { poolSize: 4 },
    });
    const hot = await prepare(s);
    const ledger = newLedger();
    const rounds = sized(12, 60);
    let stopped = false;
    const running = workload(s, hot, 8, () => stopped, ledger);
    const admin = rawClient();
    let terminated = 0;
    try {
      for (let round = 0; round < rounds; round++) {
        await delay(50 + Math.random() * 200);
        const rows = await admin`
          SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = ${app}`;
        terminated += rows.length;
      }
    } finally {
      await admin.end();
      stopped = true;
      await running;
    }
    assert.ok(terminated > 0, "connections were ended");
    await checkLedger(s, hot, ledger);
    figures("postgres terminate", {
      rounds,
      terminated,
      calls: ledger.done,
      acknowledgedWrites: ledger.acknowledged.size + ledger.increments,
      unknownOutcome: ledger.unknown.size + ledger.unknownIncrements,
      failedAbsent: ledger.failed.size,
      worstCallMs: Math.round(ledger.worstMs),
      errors: ledger.errors,
    });
  },
});

const RESTART = STRESS || Deno.env.get("IMPULSE_TEST_PG_RESTART") === "1";

/** `pg_ctlcluster` for the local cluster, if this machine has one. */
function cluster(): string[] | undefined {
  try {
    const versions = [...Deno.readDirSync("/etc/postgresql")].map((e) =>
      e.name
    );
    return versions.length === 1
      ? ["--skip-systemctl-redirect", versions[0]!, "main"]
      : undefined;
  } catch {
    return undefined;
  }
}

async function restartServer(mode: "fast" | "immediate"): Promise<number> {
  const started = performance.now();
  const [skip, version, name] = cluster()!;
  const { code, stderr } = await new Deno.Command("pg_ctlcluster", {
    args: [skip!, "-m", mode, version!, name!, "restart"],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  // Wait until it accepts connections again.
  for (;;) {
    const probe = rawClient();
    try {
      await probe`SELECT 1`;
      break;
    } catch {
      await delay(100);
    } finally {
      await probe.end({ timeout: 1 }).catch(() => {});
    }
  }
  return Math.round(performance.now() - started);
}

Deno.test({
  name:
    "[postgres] the server restarted mid-workload (fast, then immediate: a crash): no acknowledged write lost, no failed one present, then every call succeeds",
  ignore: postgresMissing !== undefined || !RESTART || cluster() === undefined,
  async fn() {
    await using db = await createDatabase("impulse_restart");
    await using s = await openStorage(db.url, { postgres: { poolSize: 4 } });
    const hot = await prepare(s);
    const ledger = newLedger();
    let stopped = false;
    const running = workload(s, hot, 8, () => stopped, ledger);
    const downtimes: Record<string, number> = {};
    try {
      for (const mode of ["fast", "immediate"] as const) {
        await delay(1000);
        downtimes[mode] = await restartServer(mode);
      }
      await delay(1000);
    } finally {
      stopped = true;
      await running;
    }
    await checkLedger(s, hot, ledger);
    figures("postgres restart", {
      restartMs: downtimes,
      calls: ledger.done,
      acknowledgedWrites: ledger.acknowledged.size + ledger.increments,
      unknownOutcome: ledger.unknown.size + ledger.unknownIncrements,
      failedAbsent: ledger.failed.size,
      worstCallMs: Math.round(ledger.worstMs),
      errors: ledger.errors,
    });
  },
});
