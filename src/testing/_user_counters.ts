/**
 * A user's counters: `users.incrementCounter`, `users.counters`, the daily counters the package
 * keeps, and the board's time zone (`OpenOptions.timeZone`).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Storage } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

const NONE = {
  callsToday: 0,
  uploadBytesToday: 0,
  downloadBytesToday: 0,
  timeOnlineTodaySeconds: 0,
};

/** UTC+14 and UTC−12: 26 hours apart, so their dates always differ. */
const EAST = "Pacific/Kiritimati";
const WEST = "Etc/GMT+12";

testCase(
  "counters: incrementCounter() makes a counter at 0, adds (negative too) and returns the value; counters() lists them",
  async (s) => {
    const user = await s.users.create({ username: "door", passwordHash: "h" });
    assert.deepEqual(await s.users.counters(user.id), NONE);
    assert.equal(await s.users.incrementCounter(user.id, "door.lord.runs"), 1);
    assert.equal(await s.users.incrementCounter(user.id, "door.lord.runs"), 2);
    assert.equal(await s.users.incrementCounter(user.id, "points", 50), 50);
    assert.equal(await s.users.incrementCounter(user.id, "points", -20), 30);
    assert.equal(
      await s.users.incrementCounter(user.id, "games", 3, { daily: true }),
      3,
    );
    assert.equal(
      await s.users.incrementCounter(user.id, "games", 1, { daily: true }),
      4,
    );
    const { incrementCounter, counters } = s.users;
    assert.equal(await incrementCounter(user.id, "x", 0), 0);
    assert.deepEqual(await counters(user.id), {
      ...NONE,
      "door.lord.runs": 2,
      points: 30,
      games: 4,
      x: 0,
    });
    // Another user's are their own.
    const other = await s.users.create({
      username: "other",
      passwordHash: "h",
    });
    assert.deepEqual(await s.users.counters(other.id), NONE);
  },
);

testCase(
  "counters: incrementCounter() refuses bad input, names the package keeps, a counter of the other kind and a missing user, writing nothing",
  async (s) => {
    const user = await s.users.create({ username: "door", passwordHash: "h" });
    await s.users.incrementCounter(user.id, "points", 5);
    await s.users.incrementCounter(user.id, "games", 1, { daily: true });
    const before = await s.users.counters(user.id);
    for (const name of ["", "x".repeat(65), "with space", "naïve", 7]) {
      await rejectsKind(
        s.users.incrementCounter(user.id, name as string),
        "validation",
        "name",
      );
    }
    for (
      const name of [
        "callsToday",
        "uploadBytesToday",
        "downloadBytesToday",
        "timeOnlineTodaySeconds",
      ]
    ) {
      await rejectsKind(
        s.users.incrementCounter(user.id, name, 1, { daily: true }),
        "validation",
        "name",
      );
    }
    for (const by of [1.5, NaN, "1", 2 ** 53]) {
      await rejectsKind(
        s.users.incrementCounter(user.id, "points", by as number),
        "validation",
        "by",
      );
    }
    await rejectsKind(
      s.users.incrementCounter(user.id, "points", 1, {
        daily: "yes",
      } as unknown as { daily: boolean }),
      "validation",
      "options.daily",
    );
    await rejectsKind(
      s.users.incrementCounter(user.id, "points", 1, {
        weekly: true,
      } as unknown as { daily: boolean }),
      "validation",
      "options.weekly",
    );
    await rejectsKind(
      s.users.incrementCounter(0, "points"),
      "validation",
      "id",
    );
    await rejectsKind(
      s.users.incrementCounter(user.id, "points", 1, { daily: true }),
      "conflict",
    );
    await rejectsKind(s.users.incrementCounter(user.id, "games"), "conflict");
    await rejectsKind(
      s.users.incrementCounter(user.id + 99, "points"),
      "not_found",
    );
    await rejectsKind(s.users.counters(user.id + 99), "not_found");
    await rejectsKind(
      s.users.incrementCounter(user.id, "points", Number.MAX_SAFE_INTEGER),
      "constraint",
    );
    assert.deepEqual(await s.users.counters(user.id), before);
  },
);

testCase(
  "counters: concurrent increments lose no count, lasting and daily",
  async (s) => {
    const user = await s.users.create({ username: "door", passwordHash: "h" });
    const n = 50;
    const values = await Promise.all(
      Array.from(
        { length: n },
        (_, i) =>
          i % 2 === 0
            ? s.users.incrementCounter(user.id, "runs")
            : s.transaction((tx) =>
              tx.users.incrementCounter(user.id, "today", 2, { daily: true })
            ),
      ),
    );
    const counters = await s.users.counters(user.id);
    assert.equal(counters.runs, n / 2);
    assert.equal(counters.today, n);
    // Each call saw its own increment: the values are all different.
    const runs = values.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
    assert.deepEqual(runs, Array.from({ length: n / 2 }, (_, i) => i + 1));
  },
);

testCase(
  "counters: the package keeps callsToday (recordLogin), uploadBytesToday (files.add) and downloadBytesToday (files.recordDownload)",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    await s.users.recordLogin(user.id);
    await s.transaction(async (tx) => {
      await tx.users.recordLogin(user.id);
    });
    const file = await s.files.add({
      areaId: 1,
      filename: "A.ZIP",
      size: 1000,
      uploaderId: user.id,
    });
    await s.files.add({
      areaId: 1,
      filename: "B.ZIP",
      size: 234,
      uploaderId: user.id,
    });
    // An upload of another day (an import) does not count today.
    await s.files.add({
      areaId: 1,
      filename: "OLD.ZIP",
      size: 99,
      uploaderId: user.id,
      uploadedAt: new Date(Date.now() - 3 * 86_400_000),
    });
    await s.files.recordDownload(file.id, user.id);
    await s.files.recordDownload(file.id, user.id);
    assert.deepEqual(await s.users.counters(user.id), {
      callsToday: 2,
      uploadBytesToday: 1234,
      downloadBytesToday: 2000,
      timeOnlineTodaySeconds: 0,
    });
    // A failed download counts nothing.
    await rejectsKind(
      s.files.recordDownload(file.id + 99, user.id),
      "not_found",
    );
    // Rolled back with its transaction.
    await assert.rejects(s.transaction(async (tx) => {
      await tx.users.recordLogin(user.id);
      throw new Error("boom");
    }));
    assert.equal((await s.users.counters(user.id)).callsToday, 2);
    assert.equal((await s.users.counters(user.id)).downloadBytesToday, 2000);
  },
);

async function reopened(
  database: { open(options?: object): Promise<Storage> },
  timeZone: string,
  fn: (s: Storage) => Promise<void>,
): Promise<void> {
  await using s = await database.open({ timeZone });
  await fn(s);
}

testCase(
  "counters: a daily counter reads 0 on a later day in the board's time zone, and counts again from 0",
  async (s, { capabilities, database }) => {
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    await s.users.recordLogin(user.id);
    assert.equal(
      await s.users.incrementCounter(user.id, "games", 5, { daily: true }),
      5,
    );
    await s.users.incrementCounter(user.id, "runs", 5);
    // The storage was opened in WEST (the case's options): in EAST it is a later date.
    if (capabilities.persistent) {
      await s.close();
      await reopened(database, EAST, async (east) => {
        assert.deepEqual(await east.users.counters(user.id), {
          ...NONE,
          games: 0,
          runs: 5,
        });
        assert.equal(
          await east.users.incrementCounter(user.id, "games", 2, {
            daily: true,
          }),
          2,
        );
        await east.users.recordLogin(user.id);
        assert.deepEqual(await east.users.counters(user.id), {
          ...NONE,
          callsToday: 1,
          games: 2,
          runs: 5,
        });
      });
      // Back west, the counters' day is still ahead: it counts as today.
      await reopened(database, WEST, async (west) => {
        assert.equal(
          await west.users.incrementCounter(user.id, "games", 1, {
            daily: true,
          }),
          3,
        );
        assert.equal((await west.users.counters(user.id)).games, 3);
      });
    }
  },
  { timeZone: WEST },
);

testCase(
  "counters: a daily counter counted on a past day reads 0 and starts again from the increment",
  async (s) => {
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    await s.users.recordLogin(user.id);
    await s.users.incrementCounter(user.id, "games", 5, { daily: true });
    await s.users.incrementCounter(user.id, "runs", 5);
    // The package's own test: yesterday, as the table keeps it.
    await s.sql(
      "UPDATE user_counters SET day = ? WHERE user_id = ? AND day IS NOT NULL",
      [
        "2000-01-01",
        user.id,
      ],
    );
    assert.deepEqual(await s.users.counters(user.id), {
      ...NONE,
      games: 0,
      runs: 5,
    });
    assert.equal(
      await s.users.incrementCounter(user.id, "games", 2, { daily: true }),
      2,
    );
    await s.users.recordLogin(user.id);
    assert.equal((await s.users.counters(user.id)).callsToday, 1);
  },
);

testCase(
  "counters: openStorage() refuses a time zone Intl does not know",
  async (_s, { database }) => {
    for (const timeZone of ["Mars/Olympus_Mons", "", "UTC+25"]) {
      await rejectsKind(
        database.open({ timeZone }),
        "validation",
        "options.timeZone",
      );
    }
    await rejectsKind(
      database.open({ timeZone: 1 as unknown as string }),
      "validation",
      "options.timeZone",
    );
  },
);

testCase(
  "counters: a user's counters go with the user",
  async (s) => {
    const user = await s.users.create({ username: "gone", passwordHash: "h" });
    await s.users.incrementCounter(user.id, "points", 3);
    await s.users.delete(user.id);
    const again = await s.users.create({ username: "new", passwordHash: "h" });
    assert.deepEqual(await s.users.counters(again.id), NONE);
    await rejectsKind(s.users.counters(user.id), "not_found");
  },
);

testCase(
  "counters: through as(), a user increments and reads their own counters; another's are empty unless a board sysop asks, and may not be incremented",
  async (s) => {
    const caller = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    const other = await s.users.create({
      username: "other",
      passwordHash: "h",
    });
    const sysop = await s.users.create({
      username: "sysop",
      passwordHash: "h",
      securityLevel: 255,
    });
    await s.users.incrementCounter(other.id, "points", 9);
    const you = await s.as(caller.id);
    assert.equal(await you.users.incrementCounter(caller.id, "points", 4), 4);
    assert.deepEqual(await you.users.counters(caller.id), {
      ...NONE,
      points: 4,
    });
    assert.deepEqual(await you.users.counters(other.id), {});
    await rejectsKind(
      you.users.incrementCounter(other.id, "points", 100),
      "forbidden",
    );
    assert.equal((await s.users.counters(other.id)).points, 9);
    const boss = await s.as(sysop.id);
    assert.equal((await boss.users.counters(other.id)).points, 9);
    assert.equal(await boss.users.incrementCounter(other.id, "points", 1), 10);
    await s.transaction(async (tx) => {
      const view = await tx.as(caller.id);
      await rejectsKind(
        view.users.incrementCounter(other.id, "x"),
        "forbidden",
      );
      assert.equal(await view.users.incrementCounter(caller.id, "points"), 5);
    });
  },
);

/** Moves a session's login back by `seconds`, as if it had begun that long ago. */
async function began(s: Storage, sessionId: number, seconds: number) {
  await s.sql("UPDATE sessions SET login_at = login_at - ? WHERE id = ?", [
    seconds * 1000,
    sessionId,
  ]);
}

const online = async (s: Storage, userId: number) =>
  (await s.users.counters(userId)).timeOnlineTodaySeconds;

testCase(
  "counters: the package keeps timeOnlineTodaySeconds where a session's time is credited (end, delete, endAllForUser, the idle purge, a create that ends the oldest)",
  async (s) => {
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    const other = await s.users.create({
      username: "other",
      passwordHash: "h",
    });
    const open = async (userId = user.id) =>
      (await s.sessions.create({ userId, ipAddress: "192.0.2.1" })).session;
    const a = await open();
    await began(s, a.id, 600);
    await s.sessions.end(a.id);
    assert.equal(await online(s, user.id), 600);
    await s.sessions.end(a.id); // ended once: credited once
    assert.equal(await online(s, user.id), 600);
    const b = await open();
    await began(s, b.id, 60);
    await s.sessions.delete(b.id);
    assert.equal(await online(s, user.id), 660);
    const c = await open();
    const d = await open();
    const e = await open(other.id);
    await began(s, c.id, 100);
    await began(s, d.id, 20);
    await began(s, e.id, 5);
    assert.equal(await s.sessions.endAllForUser(user.id), 2);
    assert.equal(await online(s, user.id), 780);
    assert.equal(await online(s, other.id), 0, "another user's goes on");
    // Idle expiry: the purge ends what lapsed, at the time it lapsed.
    const idle = (await s.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.1",
      idleTimeoutSeconds: 60,
    })).session;
    await s.sql(
      "UPDATE sessions SET login_at = ?, last_activity_at = ?, lapses_at = ? WHERE id = ?",
      [
        Date.now() - 300_000,
        Date.now() - 200_000,
        Date.now() - 140_000,
        idle.id,
      ],
    );
    assert.equal(await s.sessions.purgeExpired(), 1);
    assert.equal(await online(s, other.id), 160);
    // A create that ends the user's oldest session credits it.
    const f = await open();
    await began(s, f.id, 30);
    await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
      maxPerUser: 1,
      onLimit: "endOldest",
    });
    assert.equal(await online(s, user.id), 810);
    assert.equal(
      (await s.users.get(user.id))!.stats.timeOnlineSeconds >= 810,
      true,
    );
    await rejectsKind(
      s.users.incrementCounter(user.id, "timeOnlineTodaySeconds", 1, {
        daily: true,
      }),
      "validation",
      "name",
    );
  },
);

testCase(
  "counters: a session that spans midnight is credited whole to the day it ends; one that ended on an earlier day counts to no day",
  async (s) => {
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    // Began two days ago (before at least one midnight of any zone), ends now: all of it today.
    const long = (await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
    })).session;
    await began(s, long.id, 2 * 86_400);
    await s.sessions.end(long.id);
    assert.equal(await online(s, user.id), 2 * 86_400);
    // Lapsed three days ago, purged today: its time counts to the user, not to today.
    const old = (await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
      idleTimeoutSeconds: 60,
    })).session;
    const lapsed = Date.now() - 3 * 86_400_000;
    await s.sql(
      "UPDATE sessions SET login_at = ?, last_activity_at = ?, lapses_at = ? WHERE id = ?",
      [lapsed - 500_000, lapsed - 60_000, lapsed, old.id],
    );
    const before = (await s.users.get(user.id))!.stats.timeOnlineSeconds;
    assert.equal(await s.sessions.purgeExpired(), 1);
    assert.equal(
      (await s.users.get(user.id))!.stats.timeOnlineSeconds - before,
      500,
    );
    assert.equal(await online(s, user.id), 2 * 86_400);
  },
);

testCase(
  "counters: timeOnlineTodaySeconds rolls back with the ending's transaction",
  async (s) => {
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    const a = (await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
    })).session;
    await began(s, a.id, 90);
    await assert.rejects(s.transaction(async (tx) => {
      await tx.sessions.end(a.id);
      throw new Error("boom");
    }));
    assert.equal(await online(s, user.id), 0);
    await s.sessions.end(a.id);
    assert.equal(await online(s, user.id), 90);
  },
);
