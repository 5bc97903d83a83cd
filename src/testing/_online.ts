import assert from "node:assert/strict";
import { ManualClock, testCase } from "./_case.ts";

const clock = new ManualClock();
import { rejectsKind } from "./_assert.ts";

testCase("users carry a profile, access flags and a status", async (s) => {
  const user = await s.users.create({
    username: "Caller",
    passwordHash: "h",
    realName: "Joe Random",
    location: "Springfield, IL",
    flags: "ZAZ",
    status: "unvalidated",
  });
  assert.equal(user.flags, "AZ");
  assert.equal(user.status, "unvalidated");
  assert.equal(user.realName, "Joe Random");
  const updated = await s.users.update(user.id, {
    flags: "CBA",
    status: "active",
    note: "validated by sysop",
  });
  assert.equal(updated.flags, "ABC");
  assert.equal(updated.status, "active");
  assert.equal(updated.note, "validated by sysop");
  assert.equal(
    (await s.users.create({ username: "plain", passwordHash: "h" })).status,
    "active",
  );
  await rejectsKind(
    s.users.create({ username: "x", passwordHash: "h", flags: "ab" }),
    "validation",
    "flags",
  );
  await rejectsKind(
    s.users.create({ username: "x", passwordHash: "h", flags: "A1" }),
    "validation",
    "flags",
  );
  await rejectsKind(
    s.users.update(user.id, { status: "deleted" as never }),
    "validation",
    "status",
  );
});

testCase(
  "users.recordLogin() counts logins and callers.recent() lists them newest first",
  async (s) => {
    const alice = await s.users.create({
      username: "alice",
      passwordHash: "h",
    });
    const bob = await s.users.create({ username: "bob", passwordHash: "h" });
    const first = await s.users.recordLogin(alice.id);
    assert.equal(first.stats.logins, 1);
    assert.ok(first.lastLoginAt);
    await s.users.recordLogin(bob.id);
    const again = await s.users.recordLogin(alice.id);
    assert.equal(again.stats.logins, 2);
    const callers = await s.callers.recent();
    assert.deepEqual(callers.map((c) => c.username), ["alice", "bob", "alice"]);
    assert.deepEqual((await s.callers.recent(1)).map((c) => c.userId), [
      alice.id,
    ]);
    await s.users.delete(bob.id);
    assert.deepEqual(
      (await s.callers.recent()).map((c) => [c.userId, c.username]),
      [
        [alice.id, "alice"],
        [null, "bob"],
        [alice.id, "alice"],
      ],
    );
    await rejectsKind(s.users.recordLogin(999), "not_found");
    await rejectsKind(s.callers.recent(0), "validation", "limit");
  },
);

testCase(
  "nodes are unique among live sessions and sessions.listOnline() shows who is on",
  async (s) => {
    const alice = await s.users.create({
      username: "alice",
      passwordHash: "h",
    });
    const bob = await s.users.create({ username: "bob", passwordHash: "h" });
    const one = await s.sessions.create({
      userId: alice.id,
      ipAddress: "10.0.0.1",
      node: 1,
      activity: "Reading mail",
    });
    await rejectsKind(
      s.sessions.create({ userId: bob.id, ipAddress: "10.0.0.2", node: 1 }),
      "conflict",
      "node",
    );
    const two = await s.sessions.create({
      userId: bob.id,
      ipAddress: "10.0.0.2",
      node: 2,
    });
    const web = await s.sessions.create({ userId: bob.id, ipAddress: "::1" });
    let online = await s.sessions.listOnline();
    assert.deepEqual(online.map((o) => [o.node, o.username, o.activity]), [
      [1, "alice", "Reading mail"],
      [2, "bob", ""],
      [null, "bob", ""],
    ]);
    await s.sessions.touch(two.session.id, { activity: "Downloading" });
    await s.sessions.end(one.session.id);
    assert.equal(await s.sessions.getByToken(one.token), null);
    await s.sessions.end(one.session.id);
    await rejectsKind(s.sessions.touch(one.session.id), "not_found");
    const three = await s.sessions.create({
      userId: bob.id,
      ipAddress: "10.0.0.3",
      node: 1,
    });
    online = await s.sessions.listOnline();
    assert.deepEqual(online.map((o) => [o.node, o.activity]), [[1, ""], [
      2,
      "Downloading",
    ], [null, ""]]);
    assert.equal(three.session.node, 1);
    void web;
    await rejectsKind(
      s.sessions.create({ userId: bob.id, ipAddress: "::1", node: 10_000 }),
      "validation",
      "node",
    );
    await rejectsKind(s.sessions.end(999), "not_found");
  },
);

testCase(
  "expired sessions are not found, not online, and are purged",
  async (s) => {
    clock.reset();
    const user = await s.users.create({ username: "u", passwordHash: "h" });
    const short = await s.sessions.create({
      userId: user.id,
      ipAddress: "::1",
      node: 5,
      ttlSeconds: 1,
    });
    const long = await s.sessions.create({
      userId: user.id,
      ipAddress: "::1",
      ttlSeconds: 3600,
    });
    assert.equal(
      short.session.expiresAt!.getTime(),
      short.session.loginAt.getTime() + 1000,
    );
    assert.ok(await s.sessions.getByToken(short.token));
    clock.advance(1100);
    assert.equal(await s.sessions.getByToken(short.token), null);
    assert.deepEqual((await s.sessions.listOnline()).map((o) => o.id), [
      long.session.id,
    ]);
    const taken = await s.sessions.create({
      userId: user.id,
      ipAddress: "::1",
      node: 5,
    });
    assert.equal(taken.session.node, 5, "an expired session frees its node");
    assert.equal(
      await s.sessions.purgeExpired(),
      0,
      "the expired session was already ended by the reuse of its node",
    );
    await s.sessions.delete(taken.session.id);
    const other = await s.sessions.create({
      userId: user.id,
      ipAddress: "::1",
      ttlSeconds: 1,
    });
    clock.advance(1100);
    assert.equal(await s.sessions.purgeExpired(), 1);
    assert.equal(await s.sessions.purgeExpired(), 0);
    assert.equal(await s.sessions.getByToken(other.token), null);
    await rejectsKind(
      s.sessions.create({ userId: user.id, ipAddress: "::1", ttlSeconds: 0 }),
      "validation",
      "ttlSeconds",
    );
  },
  { clock: clock.read },
);
