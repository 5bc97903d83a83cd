import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "users.create() returns the stored user with defaults",
  async (s) => {
    await seedAreas(s);
    const before = Date.now();
    const user = await s.users.create({
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
      timeOnlineSeconds: 0,
    });
    assert.equal(user.lastLoginAt, null);
    assert.ok(
      user.createdAt.getTime() >= before &&
        user.createdAt.getTime() <= Date.now(),
    );
    assert.deepEqual(await s.users.get(user.id), user);
  },
);

testCase(
  "users.create() refuses a name taken case-insensitively and Unicode-aware",
  async (s) => {
    await seedAreas(s);
    await s.users.create({ username: "sysop", passwordHash: "h" });
    for (const name of ["SYSOP", "SysOp", "ＳｙｓＯｐ"]) {
      const error = await rejectsKind(
        s.users.create({ username: name, passwordHash: "h" }),
        "conflict",
      );
      assert.match(error.message, /taken/);
    }
    assert.equal(
      (await s.users.findByUsername("ＳＹＳＯＰ"))?.username,
      "sysop",
    );
  },
);

testCase(
  "users.findByUsername() finds by key, never by pattern",
  async (s) => {
    await seedAreas(s);
    await s.users.create({ username: "a_b", passwordHash: "h" });
    await s.users.create({ username: "100%", passwordHash: "h" });
    assert.equal(await s.users.findByUsername("a%"), null);
    assert.equal(await s.users.findByUsername("axb"), null);
    assert.equal(await s.users.findByUsername("100_"), null);
    assert.equal((await s.users.findByUsername("A_B"))?.username, "a_b");
    assert.equal(await s.users.findByUsername("nobody"), null);
    assert.equal(await s.users.findByUsername("' OR 1=1 --"), null);
  },
);

testCase(
  "users.create() validates every field and writes nothing on failure",
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
      await rejectsKind(s.users.create(input as never), "validation", field);
    }
    await rejectsKind(s.users.create(null as never), "validation", "input");
    assert.equal(await s.users.findByUsername("ok"), null);
    // 30 characters counts code points, so 30 astral characters are a valid name.
    const astral = "😀".repeat(30);
    assert.equal(
      (await s.users.create({ username: astral, passwordHash: "h" })).username,
      astral,
    );
  },
);

testCase(
  "users.update() changes the given fields and keeps the others",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "alice",
      passwordHash: "h1",
    });
    const login = new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 123));
    const updated = await s.users.update(user.id, {
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
    assert.equal(await s.users.findByUsername("alice"), null);
    assert.equal((await s.users.findByUsername("ALICE2"))?.id, user.id);
    const cleared = await s.users.update(user.id, { lastLoginAt: null });
    assert.equal(cleared.lastLoginAt, null);
    assert.deepEqual(await s.users.update(user.id, {}), cleared);
  },
);

testCase(
  "users.update() refuses a taken name, a missing user and bad fields",
  async (s) => {
    await seedAreas(s);
    const a = await s.users.create({ username: "alice", passwordHash: "h" });
    await s.users.create({ username: "bob", passwordHash: "h" });
    await rejectsKind(s.users.update(a.id, { username: "BOB" }), "conflict");
    await rejectsKind(s.users.update(9999, { securityLevel: 1 }), "not_found");
    await rejectsKind(s.users.update(9999, {}), "not_found");
    await rejectsKind(
      s.users.update(a.id, { lastLoginAt: new Date(NaN) }),
      "validation",
      "lastLoginAt",
    );
    await rejectsKind(
      s.users.update(a.id, { lastLoginAt: "2024-01-01" as never }),
      "validation",
      "lastLoginAt",
    );
    await rejectsKind(
      s.users.update(a.id, { createdAt: new Date() } as never),
      "validation",
      "createdAt",
    );
    await rejectsKind(s.users.update(0, {}), "validation", "id");
    assert.equal((await s.users.get(a.id))?.username, "alice");
    // Renaming to a different case of one's own name is allowed.
    assert.equal(
      (await s.users.update(a.id, { username: "ALICE" })).username,
      "ALICE",
    );
  },
);

testCase(
  "users.delete() ends sessions and keeps messages and files",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({ username: "gone", passwordHash: "h" });
    const other = await s.users.create({
      username: "stays",
      passwordHash: "h",
    });
    const { token } = await s.sessions.create({
      userId: user.id,
      ipAddress: "10.0.0.1",
    });
    const message = await s.messages.post({
      areaId: 1,
      fromUserId: user.id,
      toUserId: other.id,
      subject: "s",
      body: "b",
    });
    const reply = await s.messages.post({
      areaId: 1,
      fromUserId: other.id,
      toUserId: user.id,
      subject: "re",
      body: "b",
      parentId: message.id,
    });
    const file = await s.files.add({
      areaId: 1,
      filename: "a.zip",
      size: 1,
      uploaderId: user.id,
    });
    await s.users.delete(user.id);
    assert.equal(await s.users.get(user.id), null);
    assert.equal(await s.sessions.getByToken(token), null);
    assert.equal((await s.messages.get(message.id))?.fromUserId, null);
    assert.equal((await s.messages.get(message.id))?.toUserId, other.id);
    assert.equal((await s.messages.get(reply.id))?.toUserId, null);
    assert.equal((await s.messages.get(reply.id))?.parentId, message.id);
    assert.equal((await s.files.get(file.id))?.uploaderId, null);
    await rejectsKind(s.users.delete(user.id), "not_found");
    // Ids are never reused.
    const next = await s.users.create({ username: "gone", passwordHash: "h" });
    assert.ok(next.id > other.id);
  },
);

testCase(
  "users.incrementStats() adds atomically and keeps counters in range",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "counter",
      passwordHash: "h",
    });
    await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          s.users.incrementStats(user.id, { logins: 1, downloadBytes: 1000 }),
      ),
    );
    const after = await s.users.incrementStats(user.id, { uploads: 2 });
    assert.equal(after.stats.logins, 50);
    assert.equal(after.stats.downloadBytes, 50_000);
    assert.equal(after.stats.uploads, 2);
    assert.deepEqual(
      (await s.users.incrementStats(user.id, {})).stats,
      after.stats,
    );
    await rejectsKind(
      s.users.incrementStats(user.id, { logins: -51 }),
      "constraint",
    );
    await rejectsKind(
      s.users.incrementStats(user.id, {
        downloadBytes: Number.MAX_SAFE_INTEGER,
      }),
      "constraint",
    );
    await rejectsKind(
      s.users.incrementStats(user.id, { logins: 0.5 }),
      "validation",
      "logins",
    );
    await rejectsKind(
      s.users.incrementStats(user.id, { karma: 1 } as never),
      "validation",
      "karma",
    );
    await rejectsKind(
      s.users.incrementStats(424242, { logins: 1 }),
      "not_found",
    );
    assert.deepEqual((await s.users.get(user.id))?.stats, after.stats);
  },
);

testCase(
  "users.get() validates its id and returns null for a missing user",
  async (s) => {
    await seedAreas(s);
    assert.equal(await s.users.get(12345), null);
    for (const id of [0, -1, 1.5, NaN, Infinity, 2 ** 53, "1", null]) {
      await rejectsKind(s.users.get(id as never), "validation", "id");
    }
  },
);
