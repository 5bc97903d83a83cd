import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "sessions.create() returns a 256-bit token found only by itself",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    const { session, token } = await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.7",
    });
    assert.equal(session.userId, user.id);
    assert.equal(session.ipAddress, "192.0.2.7");
    assert.equal(session.loginAt.getTime(), session.lastActivityAt.getTime());
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await s.sessions.getByToken(token), session);
    const other = await s.sessions.create({
      userId: user.id,
      ipAddress: "2001:db8::1",
    });
    assert.notEqual(other.token, token);
    assert.equal(
      (await s.sessions.getByToken(other.token))?.id,
      other.session.id,
    );
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    assert.equal(await s.sessions.getByToken(flipped), null);
  },
);

testCase(
  "sessions.getByToken() finds null for unknown and malformed tokens",
  async (s) => {
    await seedAreas(s);
    for (
      const token of [
        "",
        "short",
        "x".repeat(43),
        "' OR 1=1 --",
        "a".repeat(10_000),
        "é".repeat(43),
      ]
    ) {
      assert.equal(await s.sessions.getByToken(token), null);
    }
    await rejectsKind(
      s.sessions.getByToken(42 as never),
      "validation",
      "token",
    );
  },
);

testCase(
  "sessions.create() validates the address and the user",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    for (
      const ipAddress of [
        "",
        "localhost",
        "256.1.1.1",
        "1.2.3",
        "::g",
        "1.2.3.4 ",
      ]
    ) {
      await rejectsKind(
        s.sessions.create({ userId: user.id, ipAddress }),
        "validation",
        "ipAddress",
      );
    }
    await rejectsKind(
      s.sessions.create({ userId: 999, ipAddress: "::1" }),
      "constraint",
      "userId",
    );
    await rejectsKind(
      s.sessions.create(
        { userId: user.id, ipAddress: "::1", token: "mine" } as never,
      ),
      "validation",
      "token",
    );
  },
);

testCase(
  "sessions.touch() and sessions.delete() act on existing sessions only",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    const { session, token } = await s.sessions.create({
      userId: user.id,
      ipAddress: "::1",
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await s.sessions.touch(session.id);
    const touched = await s.sessions.getByToken(token);
    assert.ok(
      touched!.lastActivityAt.getTime() > session.lastActivityAt.getTime(),
    );
    assert.equal(touched!.loginAt.getTime(), session.loginAt.getTime());
    await s.sessions.delete(session.id);
    assert.equal(await s.sessions.getByToken(token), null);
    await rejectsKind(s.sessions.delete(session.id), "not_found");
    await rejectsKind(s.sessions.touch(session.id), "not_found");
    await rejectsKind(s.sessions.touch(1.1), "validation", "id");
  },
);
