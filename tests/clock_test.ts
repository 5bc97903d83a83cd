/**
 * `OpenOptions.clock`, written from its documentation: every time the storage writes or compares
 * (a record's `createdAt`, a session's lapse, a lock's end, a daily counter's day, a trim's age)
 * comes from the clock, so a test moves time instead of waiting; a clock that returns no finite
 * number, or is no function, is a `validation` error naming `options.clock`. Every target. The
 * clock starts in 2001, far from the real date, so a reading of `Date.now` cannot pass for it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { rejectsKind } from "./_assert.ts";
import { conformance } from "./_targets.ts";

const START = Date.parse("2001-03-04T10:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The clock the storages of this file read: each test sets it first. */
let t = START;
const options = { clock: () => t };

conformance(
  "records are stamped by the clock, not by Date.now",
  async (s) => {
    t = START;
    const user = await s.users.create({ username: "Marty", passwordHash: "h" });
    assert.equal(user.createdAt.getTime(), START);
    const area = await s.messageAreas.create({ tag: "GEN", name: "General" });
    assert.equal(area.createdAt.getTime(), START);
    t += HOUR;
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: user.id,
      subject: "Hi",
      body: "From 2001",
    });
    assert.equal(m.createdAt.getTime(), START + HOUR);
    const after = await s.users.recordLogin(user.id);
    assert.equal(after.lastLoginAt?.getTime(), START + HOUR);
    const e = await s.events.append({ kind: "login", userId: user.id });
    assert.equal(e.at.getTime(), START + HOUR);
  },
  options,
);

conformance(
  "a session lapses when the clock passes its idle timeout",
  async (s) => {
    t = START;
    const user = await s.users.create({ username: "Doc", passwordHash: "h" });
    const { session, token } = await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
      node: "auto",
      idleTimeoutSeconds: 60,
    });
    assert.equal(session.node, 1);
    assert.equal(session.loginAt.getTime(), START);
    t += 59_000;
    assert.equal((await s.sessions.getByToken(token))?.id, session.id);
    assert.equal((await s.sessions.listOnline()).length, 1);
    t += 2_000;
    assert.equal(await s.sessions.getByToken(token), null);
    assert.deepEqual(await s.sessions.listOnline(), []);
    // Its node is free again: the next "auto" session takes node 1.
    const next = await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
      node: "auto",
    });
    assert.equal(next.session.node, 1);
  },
  options,
);

conformance(
  "a lock ends when the clock passes its end, and a lock's end must be later than the clock",
  async (s) => {
    t = START;
    const u = await s.users.create({ username: "Biff", passwordHash: "h" });
    const locked = await s.users.recordFailedLogin(u.id, {
      maxAttempts: 1,
      lockForSeconds: 30,
    });
    assert.equal(locked.status, "locked");
    assert.equal(locked.lockedUntil?.getTime(), START + 30_000);
    t += 29_000;
    assert.equal((await s.users.get(u.id))?.status, "locked");
    // A locked user is barred from acting as a viewer until the lock ends.
    const me = async () => await s.as(u.id);
    await rejectsKind(
      me().then((v) => v.users.update(u.id, { note: "me" })),
      "forbidden",
    );
    t += 2_000;
    const over = await s.users.get(u.id);
    assert.equal(over?.status, "active");
    assert.equal(over?.lockedUntil, null);
    assert.equal((await s.users.findByUsername("Biff"))?.status, "active");
    assert.equal(
      (await (await me()).users.update(u.id, { note: "me" })).note,
      "me",
    );
    // An end before the clock is refused, though it is long after the real date …
    const future = new Date(Date.now() + 365 * DAY);
    t = future.getTime() + HOUR;
    await rejectsKind(
      s.users.update(u.id, {
        status: "locked",
        statusReason: "Flood",
        lockedUntil: future,
      }),
      "validation",
      "lockedUntil",
    );
    await rejectsKind(
      s.users.create({
        username: "Needles",
        passwordHash: "h",
        status: "locked",
        statusReason: "Flood",
        lockedUntil: future,
      }),
      "validation",
      "lockedUntil",
    );
    assert.equal(await s.users.findByUsername("Needles"), null);
    // … and an end after the clock is taken, though it is long before the real date.
    t = START;
    const past = new Date(START + HOUR);
    const relocked = await s.users.update(u.id, {
      status: "locked",
      statusReason: "Flood",
      lockedUntil: past,
    });
    assert.equal(relocked.status, "locked");
    assert.equal(relocked.lockedUntil?.getTime(), START + HOUR);
  },
  options,
);

conformance(
  "a daily counter reads 0 once the clock is on the next day",
  async (s) => {
    t = Date.parse("2001-03-04T23:59:00Z");
    const u = await s.users.create({ username: "Lorraine", passwordHash: "h" });
    await s.users.incrementCounter(u.id, "doorMinutes", 15, { daily: true });
    await s.users.recordLogin(u.id);
    let counters = await s.users.counters(u.id);
    assert.equal(counters.doorMinutes, 15);
    assert.equal(counters.callsToday, 1);
    t += 2 * 60_000; // 00:01 the next day
    counters = await s.users.counters(u.id);
    assert.equal(counters.doorMinutes, 0);
    assert.equal(counters.callsToday, 0);
    await s.users.incrementCounter(u.id, "doorMinutes", 5, { daily: true });
    assert.equal((await s.users.counters(u.id)).doorMinutes, 5);
  },
  options,
);

conformance(
  "trimAll deletes by maxAgeDays counted back from the clock",
  async (s) => {
    t = START;
    const area = await s.messageAreas.create({
      tag: "OLD",
      name: "Old",
      maxAgeDays: 10,
    });
    const post = (subject: string) =>
      s.messages.post({
        areaId: area.id,
        fromName: "Jennifer",
        subject,
        body: ".",
      });
    await post("first");
    t += 5 * DAY;
    await post("second");
    t += 6 * DAY; // the first is 11 days old, the second 6
    const [result] = await s.messages.trimAll();
    assert.equal(result?.deleted, 1);
    const left = await s.messages.list(area.id);
    assert.deepEqual(left.map((m) => m.subject), ["second"]);
  },
  options,
);

conformance(
  "a clock that returns no finite number fails the operation as validation naming options.clock; nothing is written",
  async (s, target, fresh) => {
    t = START;
    await using broken = await fresh.open({
      clock: () => Number.NaN,
    });
    await rejectsKind(
      broken.users.create({ username: "Clara", passwordHash: "h" }),
      "validation",
      "options.clock",
    );
    await using late = await fresh.open({
      clock: () => "soon" as unknown as number,
    });
    await rejectsKind(
      late.users.create({ username: "Clara", passwordHash: "h" }),
      "validation",
      "options.clock",
    );
    // Nothing written: seen from the test's storage on the same database (an in-memory target
    // opens a new, empty database each time, where there is nothing to see).
    if (target.capabilities.persistent) {
      assert.equal(await s.users.findByUsername("Clara"), null);
    }
  },
  options,
);

Deno.test("openStorage refuses a clock that is no function, naming options.clock", async () => {
  await rejectsKind(
    openStorage("sqlite::memory:", { clock: 5 as unknown as () => number }),
    "validation",
    "options.clock",
  );
});
