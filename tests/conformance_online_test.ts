import assert from "node:assert/strict";
import { conformance } from "./_targets.ts";
import { rejectsKind } from "./_assert.ts";

conformance("users carry a profile, access flags and a status", async (s) => {
  const user = await s.createUser({
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
  const updated = await s.updateUser(user.id, {
    flags: "CBA",
    status: "active",
    note: "validated by sysop",
  });
  assert.equal(updated.flags, "ABC");
  assert.equal(updated.status, "active");
  assert.equal(updated.note, "validated by sysop");
  assert.equal(
    (await s.createUser({ username: "plain", passwordHash: "h" })).status,
    "active",
  );
  await rejectsKind(
    s.createUser({ username: "x", passwordHash: "h", flags: "ab" }),
    "validation",
    "flags",
  );
  await rejectsKind(
    s.createUser({ username: "x", passwordHash: "h", flags: "A1" }),
    "validation",
    "flags",
  );
  await rejectsKind(
    s.updateUser(user.id, { status: "banned" as never }),
    "validation",
    "status",
  );
});

conformance(
  "recordLogin() counts logins and lastCallers() lists them newest first",
  async (s) => {
    const alice = await s.createUser({ username: "alice", passwordHash: "h" });
    const bob = await s.createUser({ username: "bob", passwordHash: "h" });
    const first = await s.recordLogin(alice.id);
    assert.equal(first.stats.logins, 1);
    assert.ok(first.lastLoginAt);
    await s.recordLogin(bob.id);
    const again = await s.recordLogin(alice.id);
    assert.equal(again.stats.logins, 2);
    const callers = await s.lastCallers();
    assert.deepEqual(callers.map((c) => c.username), ["alice", "bob", "alice"]);
    assert.deepEqual((await s.lastCallers(1)).map((c) => c.userId), [alice.id]);
    await s.deleteUser(bob.id);
    assert.deepEqual(
      (await s.lastCallers()).map((c) => [c.userId, c.username]),
      [
        [alice.id, "alice"],
        [null, "bob"],
        [alice.id, "alice"],
      ],
    );
    await rejectsKind(s.recordLogin(999), "not_found");
    await rejectsKind(s.lastCallers(0), "validation", "limit");
  },
);

conformance(
  "nodes are unique among live sessions and listOnline() shows who is on",
  async (s) => {
    const alice = await s.createUser({ username: "alice", passwordHash: "h" });
    const bob = await s.createUser({ username: "bob", passwordHash: "h" });
    const one = await s.createSession({
      userId: alice.id,
      ipAddress: "10.0.0.1",
      node: 1,
      activity: "Reading mail",
    });
    await rejectsKind(
      s.createSession({ userId: bob.id, ipAddress: "10.0.0.2", node: 1 }),
      "conflict",
      "node",
    );
    const two = await s.createSession({
      userId: bob.id,
      ipAddress: "10.0.0.2",
      node: 2,
    });
    const web = await s.createSession({ userId: bob.id, ipAddress: "::1" });
    let online = await s.listOnline();
    assert.deepEqual(online.map((o) => [o.node, o.username, o.activity]), [
      [1, "alice", "Reading mail"],
      [2, "bob", ""],
      [null, "bob", ""],
    ]);
    await s.touchSession(two.session.id, { activity: "Downloading" });
    await s.endSession(one.session.id);
    assert.equal(await s.getSessionByToken(one.token), null);
    await s.endSession(one.session.id);
    await rejectsKind(s.touchSession(one.session.id), "not_found");
    const three = await s.createSession({
      userId: bob.id,
      ipAddress: "10.0.0.3",
      node: 1,
    });
    online = await s.listOnline();
    assert.deepEqual(online.map((o) => [o.node, o.activity]), [[1, ""], [
      2,
      "Downloading",
    ], [null, ""]]);
    assert.equal(three.session.node, 1);
    void web;
    await rejectsKind(
      s.createSession({ userId: bob.id, ipAddress: "::1", node: 10_000 }),
      "validation",
      "node",
    );
    await rejectsKind(s.endSession(999), "not_found");
  },
);

conformance(
  "expired sessions are not found, not online, and are purged",
  async (s) => {
    const user = await s.createUser({ username: "u", passwordHash: "h" });
    const short = await s.createSession({
      userId: user.id,
      ipAddress: "::1",
      node: 5,
      ttlSeconds: 1,
    });
    const long = await s.createSession({
      userId: user.id,
      ipAddress: "::1",
      ttlSeconds: 3600,
    });
    assert.equal(
      short.session.expiresAt!.getTime(),
      short.session.loginAt.getTime() + 1000,
    );
    assert.ok(await s.getSessionByToken(short.token));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await s.getSessionByToken(short.token), null);
    assert.deepEqual((await s.listOnline()).map((o) => o.id), [
      long.session.id,
    ]);
    const taken = await s.createSession({
      userId: user.id,
      ipAddress: "::1",
      node: 5,
    });
    assert.equal(taken.session.node, 5, "an expired session frees its node");
    assert.equal(
      await s.purgeExpiredSessions(),
      0,
      "the expired session was already ended by the reuse of its node",
    );
    await s.deleteSession(taken.session.id);
    const other = await s.createSession({
      userId: user.id,
      ipAddress: "::1",
      ttlSeconds: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await s.purgeExpiredSessions(), 1);
    assert.equal(await s.purgeExpiredSessions(), 0);
    assert.equal(await s.getSessionByToken(other.token), null);
    await rejectsKind(
      s.createSession({ userId: user.id, ipAddress: "::1", ttlSeconds: 0 }),
      "validation",
      "ttlSeconds",
    );
  },
);
