import assert from "node:assert/strict";
import { conformance } from "./_targets.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

conformance("createUser() returns the stored user with defaults", async (s) => {
  await seedAreas(s);
  const before = Date.now();
  const user = await s.createUser({
    username: "SysOp",
    passwordHash: "$scrypt$x",
  });
  assert.ok(user.id > 0);
  assert.equal(user.username, "SysOp");
  assert.equal(user.passwordHash, "$scrypt$x");
  assert.equal(user.securityLevel, 10);
  assert.deepEqual(user.stats, {
    logins: 0,
    posts: 0,
    uploads: 0,
    downloads: 0,
    uploadBytes: 0,
    downloadBytes: 0,
  });
  assert.equal(user.lastLoginAt, null);
  assert.ok(
    user.createdAt.getTime() >= before &&
      user.createdAt.getTime() <= Date.now(),
  );
  assert.deepEqual(await s.getUser(user.id), user);
});

conformance(
  "createUser() refuses a name taken case-insensitively and Unicode-aware",
  async (s) => {
    await seedAreas(s);
    await s.createUser({ username: "sysop", passwordHash: "h" });
    for (const name of ["SYSOP", "SysOp", "ＳｙｓＯｐ"]) {
      const error = await rejectsKind(
        s.createUser({ username: name, passwordHash: "h" }),
        "conflict",
      );
      assert.match(error.message, /taken/);
    }
    assert.equal((await s.findUserByUsername("ＳＹＳＯＰ"))?.username, "sysop");
  },
);

conformance(
  "findUserByUsername() finds by key, never by pattern",
  async (s) => {
    await seedAreas(s);
    await s.createUser({ username: "a_b", passwordHash: "h" });
    await s.createUser({ username: "100%", passwordHash: "h" });
    assert.equal(await s.findUserByUsername("a%"), null);
    assert.equal(await s.findUserByUsername("axb"), null);
    assert.equal(await s.findUserByUsername("100_"), null);
    assert.equal((await s.findUserByUsername("A_B"))?.username, "a_b");
    assert.equal(await s.findUserByUsername("nobody"), null);
    assert.equal(await s.findUserByUsername("' OR 1=1 --"), null);
  },
);

conformance(
  "createUser() validates every field and writes nothing on failure",
  async (s) => {
    await seedAreas(s);
    const cases: Array<[unknown, string]> = [
      [{ username: "", passwordHash: "h" }, "username"],
      [{ username: "x".repeat(31), passwordHash: "h" }, "username"],
      [{ username: " lead", passwordHash: "h" }, "username"],
      [{ username: "trail ", passwordHash: "h" }, "username"],
      [{ username: "tab\there", passwordHash: "h" }, "username"],
      [{ username: "nul\0", passwordHash: "h" }, "username"],
      [{ username: "bad\ud800", passwordHash: "h" }, "username"],
      [{ username: 42, passwordHash: "h" }, "username"],
      [{ username: "ok", passwordHash: "" }, "passwordHash"],
      [{ username: "ok", passwordHash: "x".repeat(513) }, "passwordHash"],
      [
        { username: "ok", passwordHash: "h", securityLevel: 256 },
        "securityLevel",
      ],
      [
        { username: "ok", passwordHash: "h", securityLevel: -1 },
        "securityLevel",
      ],
      [
        { username: "ok", passwordHash: "h", securityLevel: 1.5 },
        "securityLevel",
      ],
      [
        { username: "ok", passwordHash: "h", securityLevel: NaN },
        "securityLevel",
      ],
      [
        { username: "ok", passwordHash: "h", securitylevel: 5 },
        "securitylevel",
      ],
      [{ username: "ok" }, "passwordHash"],
    ];
    for (const [input, field] of cases) {
      await rejectsKind(s.createUser(input as never), "validation", field);
    }
    await rejectsKind(s.createUser(null as never), "validation", "input");
    assert.equal(await s.findUserByUsername("ok"), null);
    // 30 characters counts code points, so 30 astral characters are a valid name.
    const astral = "😀".repeat(30);
    assert.equal(
      (await s.createUser({ username: astral, passwordHash: "h" })).username,
      astral,
    );
  },
);

conformance(
  "updateUser() changes the given fields and keeps the others",
  async (s) => {
    await seedAreas(s);
    const user = await s.createUser({ username: "alice", passwordHash: "h1" });
    const login = new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 123));
    const updated = await s.updateUser(user.id, {
      username: "Alice2",
      securityLevel: 50,
      lastLoginAt: login,
    });
    assert.equal(updated.username, "Alice2");
    assert.equal(updated.passwordHash, "h1");
    assert.equal(updated.securityLevel, 50);
    assert.equal(updated.lastLoginAt?.getTime(), login.getTime());
    assert.ok(updated.updatedAt.getTime() >= user.updatedAt.getTime());
    assert.equal(updated.createdAt.getTime(), user.createdAt.getTime());
    assert.equal(await s.findUserByUsername("alice"), null);
    assert.equal((await s.findUserByUsername("ALICE2"))?.id, user.id);
    const cleared = await s.updateUser(user.id, { lastLoginAt: null });
    assert.equal(cleared.lastLoginAt, null);
    assert.deepEqual(await s.updateUser(user.id, {}), cleared);
  },
);

conformance(
  "updateUser() refuses a taken name, a missing user and bad fields",
  async (s) => {
    await seedAreas(s);
    const a = await s.createUser({ username: "alice", passwordHash: "h" });
    await s.createUser({ username: "bob", passwordHash: "h" });
    await rejectsKind(s.updateUser(a.id, { username: "BOB" }), "conflict");
    await rejectsKind(s.updateUser(9999, { securityLevel: 1 }), "not_found");
    await rejectsKind(s.updateUser(9999, {}), "not_found");
    await rejectsKind(
      s.updateUser(a.id, { lastLoginAt: new Date(NaN) }),
      "validation",
      "lastLoginAt",
    );
    await rejectsKind(
      s.updateUser(a.id, { lastLoginAt: "2024-01-01" as never }),
      "validation",
      "lastLoginAt",
    );
    await rejectsKind(
      s.updateUser(a.id, { createdAt: new Date() } as never),
      "validation",
      "createdAt",
    );
    await rejectsKind(s.updateUser(0, {}), "validation", "id");
    assert.equal((await s.getUser(a.id))?.username, "alice");
    // Renaming to a different case of one's own name is allowed.
    assert.equal(
      (await s.updateUser(a.id, { username: "ALICE" })).username,
      "ALICE",
    );
  },
);

conformance(
  "deleteUser() ends sessions and keeps messages and files",
  async (s) => {
    await seedAreas(s);
    const user = await s.createUser({ username: "gone", passwordHash: "h" });
    const other = await s.createUser({ username: "stays", passwordHash: "h" });
    const { token } = await s.createSession({
      userId: user.id,
      ipAddress: "10.0.0.1",
    });
    const message = await s.postMessage({
      areaId: 1,
      fromUserId: user.id,
      toUserId: other.id,
      subject: "s",
      body: "b",
    });
    const reply = await s.postMessage({
      areaId: 1,
      fromUserId: other.id,
      toUserId: user.id,
      subject: "re",
      body: "b",
      parentId: message.id,
    });
    const file = await s.addFile({
      areaId: 1,
      filename: "a.zip",
      size: 1,
      uploaderId: user.id,
    });
    await s.deleteUser(user.id);
    assert.equal(await s.getUser(user.id), null);
    assert.equal(await s.getSessionByToken(token), null);
    assert.equal((await s.getMessage(message.id))?.fromUserId, null);
    assert.equal((await s.getMessage(message.id))?.toUserId, other.id);
    assert.equal((await s.getMessage(reply.id))?.toUserId, null);
    assert.equal((await s.getMessage(reply.id))?.parentId, message.id);
    assert.equal((await s.getFile(file.id))?.uploaderId, null);
    await rejectsKind(s.deleteUser(user.id), "not_found");
    // Ids are never reused.
    const next = await s.createUser({ username: "gone", passwordHash: "h" });
    assert.ok(next.id > other.id);
  },
);

conformance(
  "incrementUserStats() adds atomically and keeps counters in range",
  async (s) => {
    await seedAreas(s);
    const user = await s.createUser({ username: "counter", passwordHash: "h" });
    await Promise.all(
      Array.from(
        { length: 50 },
        () => s.incrementUserStats(user.id, { logins: 1, downloadBytes: 1000 }),
      ),
    );
    const after = await s.incrementUserStats(user.id, { uploads: 2 });
    assert.equal(after.stats.logins, 50);
    assert.equal(after.stats.downloadBytes, 50_000);
    assert.equal(after.stats.uploads, 2);
    assert.deepEqual(
      (await s.incrementUserStats(user.id, {})).stats,
      after.stats,
    );
    await rejectsKind(
      s.incrementUserStats(user.id, { logins: -51 }),
      "constraint",
    );
    await rejectsKind(
      s.incrementUserStats(user.id, { downloadBytes: Number.MAX_SAFE_INTEGER }),
      "constraint",
    );
    await rejectsKind(
      s.incrementUserStats(user.id, { logins: 0.5 }),
      "validation",
      "logins",
    );
    await rejectsKind(
      s.incrementUserStats(user.id, { karma: 1 } as never),
      "validation",
      "karma",
    );
    await rejectsKind(s.incrementUserStats(424242, { logins: 1 }), "not_found");
    assert.deepEqual((await s.getUser(user.id))?.stats, after.stats);
  },
);

conformance(
  "getUser() validates its id and returns null for a missing user",
  async (s) => {
    await seedAreas(s);
    assert.equal(await s.getUser(12345), null);
    for (const id of [0, -1, 1.5, NaN, Infinity, 2 ** 53, "1", null]) {
      await rejectsKind(s.getUser(id as never), "validation", "id");
    }
  },
);
