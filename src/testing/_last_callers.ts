import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "callers.add() lists a historical call at its own time and counts nothing",
  async (s) => {
    const alice = await s.users.create({
      username: "Alice",
      passwordHash: "h",
    });
    const older = new Date("1998-08-11T00:00:00Z");
    const newer = new Date("1998-08-20T00:00:00Z");
    // Oldest first, two at the same time: the later addition lists first.
    assert.deepEqual(
      await s.callers.add({
        userId: alice.id,
        username: "Alice",
        loginAt: older,
      }),
      { userId: alice.id, username: "Alice", loginAt: older },
    );
    await s.callers.add({ username: "Horrid", loginAt: newer });
    await s.callers.add({ userId: null, username: "Flare", loginAt: newer });
    assert.deepEqual(
      (await s.callers.recent()).map((c) => [c.userId, c.username, c.loginAt]),
      [
        [null, "Flare", newer],
        [null, "Horrid", newer],
        [alice.id, "Alice", older],
      ],
    );
    const after = await s.users.get(alice.id);
    assert.equal(after?.stats.logins, 0);
    assert.equal(after?.lastLoginAt, null);
    // A login now lists before the history.
    await s.users.recordLogin(alice.id);
    assert.equal((await s.callers.recent(1))[0]?.userId, alice.id);
  },
);

testCase("callers.add() validates its input", async (s) => {
  const at = new Date("1998-08-20T00:00:00Z");
  await rejectsKind(
    s.callers.add({ userId: 999, username: "Ghost", loginAt: at }),
    "constraint",
    "userId",
  );
  await rejectsKind(
    s.callers.add({ username: "", loginAt: at }),
    "validation",
    "username",
  );
  await rejectsKind(
    s.callers.add({ username: "x".repeat(37), loginAt: at }),
    "validation",
    "username",
  );
  await rejectsKind(
    s.callers.add({ username: "Bad\x03Name", loginAt: at }),
    "validation",
    "username",
  );
  await rejectsKind(
    s.callers.add({ username: "Ok", loginAt: new Date(NaN) }),
    "validation",
    "loginAt",
  );
  await rejectsKind(
    s.callers.add({ username: "Ok", loginAt: at, logins: 1 } as never),
    "validation",
    "logins",
  );
  assert.deepEqual(await s.callers.recent(), []);
});
