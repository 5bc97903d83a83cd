/**
 * Conformance cases of user status (issue 12, item 1): bans and locks with reasons, lock ends
 * that read as active everywhere, failed logins counted atomically.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ManualClock, testCase } from "./_case.ts";

const clock = new ManualClock();
import { rejectsKind } from "./_assert.ts";

testCase(
  "users.update() bans and locks only with a reason, and lifting either clears it",
  async (s) => {
    const u = await s.users.create({ username: "troll", passwordHash: "h" });
    assert.deepEqual([u.statusReason, u.lockedUntil, u.failedLogins], [
      null,
      null,
      0,
    ]);
    await rejectsKind(
      s.users.update(u.id, { status: "banned" }),
      "validation",
      "statusReason",
    );
    await rejectsKind(
      s.users.update(u.id, { status: "locked", statusReason: "" }),
      "validation",
      "statusReason",
    );
    await rejectsKind(
      s.users.update(u.id, { status: "banned", statusReason: "x".repeat(201) }),
      "validation",
      "statusReason",
    );
    await rejectsKind(
      s.users.update(u.id, { status: "banned", statusReason: "a\nb" }),
      "validation",
      "statusReason",
    );
    await rejectsKind(
      s.users.update(u.id, {
        status: "banned",
        statusReason: "Abuse",
        lockedUntil: new Date(Date.now() + 60_000),
      }),
      "validation",
      "lockedUntil",
    );
    // A reason or a lock end alone, on a user who is neither banned nor locked.
    await rejectsKind(
      s.users.update(u.id, { statusReason: "Why" }),
      "validation",
      "statusReason",
    );
    await rejectsKind(
      s.users.update(u.id, { lockedUntil: new Date(Date.now() + 60_000) }),
      "validation",
      "lockedUntil",
    );
    assert.deepEqual(await s.users.get(u.id), u, "nothing was written");
    const banned = await s.users.update(u.id, {
      status: "banned",
      statusReason: "x".repeat(200),
    });
    assert.deepEqual([banned.status, banned.statusReason], [
      "banned",
      "x".repeat(200),
    ]);
    const reworded = await s.users.update(u.id, { statusReason: "Abuse" });
    assert.equal(reworded.statusReason, "Abuse");
    await rejectsKind(
      s.users.update(u.id, { statusReason: null }),
      "validation",
      "statusReason",
    );
    const until = new Date(Date.now() + 3_600_000);
    const locked = await s.users.update(u.id, {
      status: "locked",
      statusReason: "Cooling off",
      lockedUntil: until,
    });
    assert.deepEqual(
      [locked.status, locked.statusReason, locked.lockedUntil],
      ["locked", "Cooling off", until],
    );
    const lifted = await s.users.update(u.id, { status: "active" });
    assert.deepEqual(
      [lifted.status, lifted.statusReason, lifted.lockedUntil],
      ["active", null, null],
    );
    await rejectsKind(
      s.users.update(u.id, { status: "active", statusReason: "x" }),
      "validation",
      "statusReason",
    );
  },
);

testCase(
  "a locked user whose lock has ended reads as active everywhere",
  async (s) => {
    clock.reset();
    const u = await s.users.create({ username: "Sleepy", passwordHash: "h" });
    await rejectsKind(
      s.users.update(u.id, {
        status: "locked",
        statusReason: "Brute force",
        lockedUntil: new Date(clock.read() - 1_000),
      }),
      "validation",
      "lockedUntil",
    );
    const locked = await s.users.recordFailedLogin(u.id, {
      maxAttempts: 1,
      lockForSeconds: 1,
    });
    assert.equal(locked.status, "locked");
    clock.advance(1_100);
    const over = await s.users.update(u.id, { note: "Slept it off" });
    const unlocked = {
      status: "active",
      statusReason: null,
      lockedUntil: null,
      failedLogins: 0,
    };
    for (
      const read of [
        over,
        await s.users.get(u.id),
        await s.users.findByUsername("sleepy"),
        (await s.users.list()).users[0],
        (await s.users.list({ status: "active" })).users[0],
      ]
    ) {
      assert.deepEqual(
        {
          status: read?.status,
          statusReason: read?.statusReason,
          lockedUntil: read?.lockedUntil,
          failedLogins: read?.failedLogins,
        },
        unlocked,
      );
    }
    assert.equal(await s.users.count({ status: "locked" }), 0);
    assert.equal(await s.users.count({ status: "active" }), 1);
    const still = await s.users.update(u.id, {
      status: "locked",
      statusReason: "Again",
      lockedUntil: new Date(Date.now() + 60_000),
    });
    assert.equal(still.status, "locked");
    assert.equal(await s.users.count({ status: "locked" }), 1);
    // A lock without an end lasts until lifted.
    const forever = await s.users.update(u.id, {
      status: "locked",
      statusReason: "Until the sysop says so",
    });
    assert.deepEqual([forever.status, forever.lockedUntil], ["locked", null]);
  },
  { clock: clock.read },
);

testCase(
  "users.recordFailedLogin() counts, locks at the maximum with a reason and an end, and recordLogin() resets",
  async (s) => {
    const u = await s.users.create({ username: "Guessed", passwordHash: "h" });
    const options = { maxAttempts: 3, lockForSeconds: 600 };
    assert.equal(
      (await s.users.recordFailedLogin(u.id, options)).failedLogins,
      1,
    );
    assert.equal((await s.users.recordLogin(u.id)).failedLogins, 0);
    await s.users.recordFailedLogin(u.id, options);
    const second = await s.users.recordFailedLogin(u.id, options);
    assert.deepEqual([second.status, second.failedLogins], ["active", 2]);
    const before = Date.now();
    const third = await s.users.recordFailedLogin(u.id, options);
    assert.equal(third.status, "locked");
    assert.equal(third.failedLogins, 3);
    assert.equal(third.statusReason, "Too many failed logins");
    const end = third.lockedUntil!.getTime();
    assert.ok(end >= before + 600_000 && end <= Date.now() + 600_000);
    // Locked: counted, the lock neither extended nor shortened.
    const fourth = await s.users.recordFailedLogin(u.id, options);
    assert.deepEqual([fourth.failedLogins, fourth.lockedUntil?.getTime()], [
      4,
      end,
    ]);
    // A banned or unvalidated user is only counted.
    for (const status of ["banned", "unvalidated"] as const) {
      const other = await s.users.create({
        username: status,
        passwordHash: "h",
        status,
        ...(status === "banned" ? { statusReason: "Abuse" } : {}),
      });
      const after = await s.users.recordFailedLogin(other.id, {
        maxAttempts: 1,
        lockForSeconds: 60,
      });
      assert.deepEqual([after.status, after.failedLogins], [status, 1]);
    }
    await rejectsKind(
      s.users.recordFailedLogin(2 ** 40, options),
      "not_found",
    );
    await rejectsKind(
      s.users.recordFailedLogin(u.id, { maxAttempts: 0, lockForSeconds: 1 }),
      "validation",
      "options.maxAttempts",
    );
    await rejectsKind(
      s.users.recordFailedLogin(u.id, { maxAttempts: 1, lockForSeconds: 0 }),
      "validation",
      "options.lockForSeconds",
    );
  },
);

testCase(
  "users.recordFailedLogin() starts again after a lock has ended",
  async (s) => {
    clock.reset();
    const u = await s.users.create({ username: "Again", passwordHash: "h" });
    await s.users.recordFailedLogin(u.id, {
      maxAttempts: 1,
      lockForSeconds: 1,
    });
    clock.advance(1_100);
    const after = await s.users.recordFailedLogin(u.id, {
      maxAttempts: 2,
      lockForSeconds: 60,
    });
    assert.deepEqual(
      [after.status, after.failedLogins, after.statusReason],
      ["active", 1, null],
    );
    const locked = await s.users.recordFailedLogin(u.id, {
      maxAttempts: 2,
      lockForSeconds: 60,
    });
    assert.equal(locked.status, "locked");
  },
  { clock: clock.read },
);

testCase(
  "users.recordFailedLogin() loses no count under concurrent calls",
  async (s) => {
    const u = await s.users.create({ username: "Hammered", passwordHash: "h" });
    const n = 40;
    const results = await Promise.all(
      Array.from(
        { length: n },
        () =>
          s.users.recordFailedLogin(u.id, {
            maxAttempts: 25,
            lockForSeconds: 60,
          }),
      ),
    );
    const after = await s.users.get(u.id);
    assert.equal(after?.failedLogins, n);
    assert.equal(after?.status, "locked");
    // Each call saw its own count: 1 … n, each once.
    assert.deepEqual(
      results.map((r) => r.failedLogins).sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i + 1),
    );
    // The lock was taken once, by the call that reached 25.
    const ends = new Set(
      results.filter((r) => r.failedLogins >= 25).map((r) =>
        r.lockedUntil?.getTime()
      ),
    );
    assert.equal(ends.size, 1);
  },
);
