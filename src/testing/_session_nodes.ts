import assert from "node:assert/strict";
import type { Storage } from "../../mod.ts";
import { clockedCases, ManualClock } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

/** Every case here runs on a clock that `sleep` moves on: none waits for real. */
const clock = new ManualClock();
const testCase = clockedCases(clock);
const sleep = (ms: number) => {
  clock.advance(ms);
  return Promise.resolve();
};

/** A session of `userId` from 192.0.2.1, with the rest of the input as given. */
function login(
  s: Storage,
  userId: number,
  more: Record<string, unknown> = {},
) {
  return s.sessions.create({ userId, ipAddress: "192.0.2.1", ...more });
}

async function user(s: Storage, username: string) {
  return (await s.users.create({ username, passwordHash: "h" })).id;
}

testCase(
  'sessions.create({ node: "auto" }) takes the lowest free node',
  async (s) => {
    const u = await user(s, "caller");
    const nodeless = await login(s, u);
    assert.equal(nodeless.session.node, null);
    const nodes = [];
    for (let i = 0; i < 3; i++) {
      nodes.push((await login(s, u, { node: "auto" })).session);
    }
    assert.deepEqual(nodes.map((n) => n.node), [1, 2, 3]);
    await login(s, u, { node: 5 });
    await s.sessions.end(nodes[1]!.id);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 2);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 4);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 6);
    // A deleted session frees its node as an ended one does.
    await s.sessions.delete(nodes[0]!.id);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 1);
    assert.deepEqual(
      (await s.sessions.listOnline()).map((o) => o.node),
      [1, 2, 3, 4, 5, 6, null],
    );
  },
);

testCase(
  'sessions.create({ node: "auto" }) fails as conflict when every node is taken, and reuses an ended one',
  async (s) => {
    const u = await user(s, "caller");
    const taken = [];
    for (let i = 0; i < 3; i++) {
      taken.push((await login(s, u, { node: "auto" })).session);
    }
    assert.deepEqual(taken.map((t) => t.node), [1, 2, 3]);
    const before = (await s.sessions.listOnline()).length;
    const error = await rejectsKind(
      login(s, u, { node: "auto" }),
      "conflict",
      "node",
    );
    assert.match(error.message, /all 3 nodes are taken/);
    assert.match(error.message, /maxNodes/);
    assert.equal((await s.sessions.listOnline()).length, before);
    // A transaction's operations know the board's nodes too; the refusal undoes only itself.
    await s.transaction(async (tx) => {
      await rejectsKind(login(tx as Storage, u, { node: "auto" }), "conflict");
      await login(tx as Storage, u);
    });
    assert.equal((await s.sessions.listOnline()).length, before + 1);
    // A node given by number is not bounded by maxNodes.
    assert.equal((await login(s, u, { node: 7 })).session.node, 7);
    await s.sessions.end(taken[2]!.id);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 3);
    await s.sessions.end(taken[0]!.id);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 1);
    await rejectsKind(login(s, u, { node: "auto" }), "conflict", "node");
  },
  { maxNodes: 3 },
);

testCase(
  "idle sessions expire: not found, not online, their node free, purged as of their expiry",
  async (s) => {
    const u = await user(s, "idler");
    const idle = await login(s, u, { node: "auto", idleTimeoutSeconds: 1 });
    const busy = await login(s, u, { node: "auto" });
    assert.equal(idle.session.idleTimeoutSeconds, 1);
    assert.equal(idle.session.expiresAt, null);
    assert.equal(busy.session.idleTimeoutSeconds, null);
    assert.deepEqual(await s.sessions.getByToken(idle.token), idle.session);
    await sleep(1200);
    assert.equal(await s.sessions.getByToken(idle.token), null);
    assert.deepEqual((await s.sessions.listOnline()).map((o) => o.id), [
      busy.session.id,
    ]);
    assert.deepEqual((await s.sessions.listForUser(u)).map((o) => o.id), [
      busy.session.id,
    ]);
    const idleEnd = idle.session.lastActivityAt.getTime() + 1000;
    const logins = await s.users.logins(u);
    assert.equal(
      logins.find((l) => l.sessionId === idle.session.id)?.endedAt?.getTime(),
      idleEnd,
      "users.logins reports the idle end before the purge",
    );
    assert.equal(await s.sessions.purgeExpired(), 1);
    assert.equal(await s.sessions.purgeExpired(), 0);
    const after = await s.users.logins(u);
    assert.equal(
      after.find((l) => l.sessionId === idle.session.id)?.endedAt?.getTime(),
      idleEnd,
      "the purge ends it as of its expiry, not the purge's time",
    );
    assert.equal((await s.users.get(u))!.stats.timeOnlineSeconds, 1);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 1);
    // A lapsed session still holding its node frees it for the next create, ended as of its
    // expiry and counted once.
    const second = await login(s, u, { node: "auto", idleTimeoutSeconds: 1 });
    assert.equal(second.session.node, 3);
    await sleep(1200);
    assert.equal((await login(s, u, { node: "auto" })).session.node, 3);
    assert.equal(await s.sessions.purgeExpired(), 0);
    const ended = (await s.users.logins(u)).find((l) =>
      l.sessionId === second.session.id
    );
    assert.equal(
      ended?.endedAt?.getTime(),
      second.session.lastActivityAt.getTime() + 1000,
    );
    assert.equal((await s.users.get(u))!.stats.timeOnlineSeconds, 2);
  },
);

testCase(
  "sessions.touch() moves the idle expiry on, but not past the fixed expiry",
  async (s) => {
    const u = await user(s, "toucher");
    // 2 s of idling: each wait below leaves most of a second to spare either way.
    const idle = await login(s, u, { idleTimeoutSeconds: 2 });
    const capped = await login(s, u, {
      idleTimeoutSeconds: 3600,
      ttlSeconds: 2,
    });
    assert.equal(
      capped.session.expiresAt!.getTime(),
      capped.session.loginAt.getTime() + 2000,
    );
    await sleep(1000);
    await s.sessions.touch(idle.session.id, { activity: "Reading mail" });
    await s.sessions.touch(capped.session.id);
    await sleep(1300);
    const touched = await s.sessions.getByToken(idle.token);
    assert.ok(touched, "a touched session is live past its first idle end");
    assert.equal(touched.activity, "Reading mail");
    assert.equal(
      await s.sessions.getByToken(capped.token),
      null,
      "touching does not move the fixed expiry",
    );
    await sleep(2200);
    assert.equal(await s.sessions.getByToken(idle.token), null);
    await rejectsKind(s.sessions.touch(idle.session.id), "not_found");
    assert.equal(await s.sessions.purgeExpired(), 2);
  },
);

testCase(
  "sessions.listForUser() lists a user's live sessions; endAllForUser() ends them but one",
  async (s) => {
    const alice = await user(s, "alice");
    const bob = await user(s, "bob");
    const a1 = await login(s, alice, { node: "auto" });
    const a2 = await login(s, alice);
    const a3 = await login(s, alice, { node: "auto" });
    const b1 = await login(s, bob, { node: "auto" });
    assert.deepEqual(await s.sessions.listForUser(alice), [
      a1.session,
      a2.session,
      a3.session,
    ]);
    assert.deepEqual(await s.sessions.listForUser(bob), [b1.session]);
    assert.equal(
      await s.sessions.endAllForUser(alice, { except: a2.session.id }),
      2,
    );
    assert.deepEqual(await s.sessions.listForUser(alice), [a2.session]);
    assert.equal(await s.sessions.getByToken(a1.token), null);
    assert.equal(await s.sessions.getByToken(a3.token), null);
    assert.deepEqual(await s.sessions.listForUser(bob), [b1.session]);
    // Their nodes are free again.
    assert.equal((await login(s, bob, { node: "auto" })).session.node, 1);
    assert.equal(await s.sessions.endAllForUser(alice), 1);
    assert.deepEqual(await s.sessions.listForUser(alice), []);
    assert.equal(await s.sessions.endAllForUser(alice), 0);
    await rejectsKind(s.sessions.listForUser(9999), "not_found");
    await rejectsKind(s.sessions.endAllForUser(9999), "not_found");
  },
);

testCase(
  "sessions.create() with maxPerUser refuses, or ends the oldest to make room",
  async (s) => {
    const u = await user(s, "caller");
    const other = await user(s, "other");
    await login(s, other);
    const first = await login(s, u, { node: "auto", maxPerUser: 2 });
    const second = await login(s, u, { maxPerUser: 2 });
    const error = await rejectsKind(
      login(s, u, { maxPerUser: 2 }),
      "conflict",
      "maxPerUser",
    );
    assert.match(error.message, /endOldest/);
    await rejectsKind(
      login(s, u, { maxPerUser: 2, onLimit: "refuse" }),
      "conflict",
      "maxPerUser",
    );
    assert.equal((await s.sessions.listForUser(u)).length, 2);
    const third = await login(s, u, {
      node: "auto",
      maxPerUser: 2,
      onLimit: "endOldest",
    });
    assert.equal(
      third.session.node,
      1,
      "the oldest's node is free for the new one",
    );
    assert.equal(await s.sessions.getByToken(first.token), null);
    assert.deepEqual(
      (await s.sessions.listForUser(u)).map((x) => x.id),
      [second.session.id, third.session.id],
    );
    const fourth = await login(s, u, { maxPerUser: 1, onLimit: "endOldest" });
    assert.deepEqual(
      (await s.sessions.listForUser(u)).map((x) => x.id),
      [fourth.session.id],
    );
    assert.equal((await s.sessions.listForUser(other)).length, 1);
  },
);

testCase(
  "ending a session adds its length to the user's timeOnlineSeconds, once",
  async (s) => {
    const u = await user(s, "caller");
    assert.equal((await s.users.get(u))!.stats.timeOnlineSeconds, 0);
    const expiring = await login(s, u, { ttlSeconds: 1, node: "auto" });
    const kept = await login(s, u, { node: "auto" });
    const other = await login(s, u);
    await sleep(2100);
    await s.sessions.end(kept.session.id);
    const afterEnd = (await s.users.get(u))!.stats.timeOnlineSeconds;
    assert.ok(afterEnd >= 2 && afterEnd <= 30, `counted ${afterEnd}`);
    await s.sessions.end(kept.session.id);
    assert.equal((await s.users.get(u))!.stats.timeOnlineSeconds, afterEnd);
    // Ended after it expired: counted to its expiry.
    await s.sessions.end(expiring.session.id);
    assert.equal(
      (await s.users.get(u))!.stats.timeOnlineSeconds,
      afterEnd + 1,
    );
    const history = await s.users.logins(u);
    assert.equal(
      history.find((l) => l.sessionId === expiring.session.id)?.endedAt
        ?.getTime(),
      expiring.session.expiresAt!.getTime(),
    );
    assert.equal(await s.sessions.purgeExpired(), 0);
    assert.equal(await s.sessions.endAllForUser(u), 1);
    const total = (await s.users.get(u))!.stats.timeOnlineSeconds;
    assert.ok(total >= afterEnd + 3, `counted ${total}`);
    assert.equal(await s.sessions.endAllForUser(u), 0);
    await s.sessions.end(other.session.id);
    await s.sessions.delete(other.session.id);
    assert.equal((await s.users.get(u))!.stats.timeOnlineSeconds, total);
  },
);

testCase(
  'concurrent sessions.create({ node: "auto" }) never give one node to two live sessions',
  async (s) => {
    const users = [];
    for (let i = 0; i < 10; i++) users.push(await user(s, `caller${i}`));
    const made = await Promise.all(
      users.map((u) => login(s, u, { node: "auto" })),
    );
    assert.deepEqual(
      made.map((m) => m.session.node).sort((a, b) => a! - b!),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    // Two creates for one user at its limit: one of them is refused.
    const one = users[0]!;
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map(() => login(s, one, { node: "auto", maxPerUser: 3 })),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 2);
    for (const r of results) {
      if (r.status === "rejected") {
        assert.equal(r.reason.kind, "conflict", String(r.reason));
      }
    }
    assert.equal((await s.sessions.listForUser(one)).length, 3);
    const nodes = (await s.sessions.listOnline()).map((o) => o.node);
    assert.equal(new Set(nodes).size, nodes.length);
  },
);

testCase(
  "the nodes and sessions inputs are validated, naming the field",
  async (s, { database }) => {
    const u = await user(s, "caller");
    const bad: [Record<string, unknown>, string][] = [
      [{ node: 0 }, "node"],
      [{ node: 10_000 }, "node"],
      [{ node: "AUTO" }, "node"],
      [{ node: 1.5 }, "node"],
      [{ idleTimeoutSeconds: 0 }, "idleTimeoutSeconds"],
      [{ idleTimeoutSeconds: 1.5 }, "idleTimeoutSeconds"],
      [{ idleTimeoutSeconds: "60" }, "idleTimeoutSeconds"],
      [{ idleTimeoutSeconds: 400 * 86_400 + 1 }, "idleTimeoutSeconds"],
      [{ maxPerUser: 0 }, "maxPerUser"],
      [{ maxPerUser: 10_000 }, "maxPerUser"],
      [{ maxPerUser: 2, onLimit: "drop" }, "onLimit"],
      [{ onLimit: "endOldest" }, "maxPerUser"],
    ];
    for (const [more, field] of bad) {
      await rejectsKind(login(s, u, more), "validation", field);
    }
    assert.deepEqual(await s.sessions.listForUser(u), []);
    await rejectsKind(
      s.sessions.listForUser(0),
      "validation",
      "userId",
    );
    await rejectsKind(
      s.sessions.endAllForUser("1" as never),
      "validation",
      "userId",
    );
    await rejectsKind(
      s.sessions.endAllForUser(u, { except: 0 }),
      "validation",
      "options.except",
    );
    await rejectsKind(
      s.sessions.endAllForUser(u, { keep: 1 } as never),
      "validation",
      "options.keep",
    );
    for (const maxNodes of [0, 10_000, 2.5, "3"]) {
      await rejectsKind(
        database.open({ maxNodes } as never),
        "validation",
        "options.maxNodes",
      );
    }
  },
);

testCase(
  "sessions.delete() of a session not yet ended ends it first: its time online counts",
  async (s) => {
    const u = await s.users.create({ username: "deleter", passwordHash: "h" });
    const { session } = await s.sessions.create({
      userId: u.id,
      ipAddress: "192.0.2.4",
    });
    const idle = await s.sessions.create({
      userId: u.id,
      ipAddress: "192.0.2.4",
      idleTimeoutSeconds: 1,
    });
    await sleep(2_100);
    await s.sessions.delete(session.id);
    const after = (await s.users.get(u.id))!.stats.timeOnlineSeconds;
    assert.ok(after >= 2, `a live session's 2 s count: ${after}`);
    // An idle-expired session ended when it expired: its second counts, once.
    await s.sessions.delete(idle.session.id);
    const total = (await s.users.get(u.id))!.stats.timeOnlineSeconds;
    assert.ok(total >= after + 1, `the expired one's second counts: ${total}`);
    await rejectsKind(s.sessions.delete(session.id), "not_found");
    assert.equal((await s.users.get(u.id))!.stats.timeOnlineSeconds, total);
  },
);
