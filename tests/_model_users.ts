/**
 * Model steps on users: creation (names that clash case- and width-insensitively), updates,
 * deletion with what goes with it, counters and logins.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type {
  Repositories,
  User,
  UserPatch,
  UserStats,
} from "../src/storage.ts";
import {
  assertWithin,
  type Model,
  nameKey,
  overflows,
  takeId,
} from "./_model.ts";
import {
  type Bad,
  DATES,
  fails,
  MAX,
  pick,
  rarely,
  ref,
  refusesBad,
  step,
  timed,
} from "./_model_steps.ts";

const NAMES = [
  "sysop",
  "SysOp",
  "ＳｙｓＯｐ",
  "Zoë",
  "Zoe\u0308",
  "alice",
  "bob",
];
const STATS = [
  "logins",
  "posts",
  "uploads",
  "downloads",
  "uploadBytes",
  "downloadBytes",
] as const;

const userFields = fc.record({
  passwordHash: fc.constantFrom("$argon2id$v=19$x", "h", "' OR 1=1 --"),
  securityLevel: fc.constantFrom(0, 10, 255),
  realName: fc.constantFrom("", "Ada Lovelace", "Zoë"),
  location: fc.constantFrom("", "Berlin"),
  note: fc.constantFrom("", "line one\nline two", "\u001b[31mred\u001b[0m"),
  flags: fc.constantFrom("", "ZA", "AAB"),
  status: fc.constantFrom("active", "locked", "unvalidated"),
}, { requiredKeys: [] });

const flagsOf = (flags = "") => [...new Set(flags)].sort().join("");
const userByKey = (m: Model, name: string) =>
  [...m.users.values()].find((u) => nameKey(u.username) === nameKey(name));

/** `findUserByUsername` finds whoever holds a name (or nobody), in any case. */
async function assertFindsName(
  m: Model,
  ops: Repositories,
  name: string,
): Promise<void> {
  const holder = userByKey(m, name) ?? null;
  for (
    const variant of new Set([name, name.toUpperCase(), name.toLowerCase()])
  ) {
    if (nameKey(variant) !== nameKey(name)) continue;
    assert.deepStrictEqual(
      await ops.users.findByUsername(variant),
      holder,
      `findUserByUsername(${JSON.stringify(variant)})`,
    );
  }
}

/** createUser: names that clash case- and width-insensitively, bad fields. */
export const createUser = step(
  "createUser",
  fc.record({
    username: fc.constantFrom(...NAMES),
    fields: userFields,
    createdAt: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
    bad: rarely(
      fc.constantFrom<Bad>(
        ["username", ""],
        ["username", " sysop"],
        ["username", "x".repeat(31)],
        ["securityLevel", 256],
        ["flags", "ab"],
        ["status", "deleted"],
        ["nickname", "x"],
      ),
    ),
  }),
  async (m, ops, s) => {
    const input = {
      username: s.username,
      passwordHash: "h",
      ...s.fields,
      ...(s.createdAt ? { createdAt: s.createdAt } : {}),
    };
    if (s.bad) {
      return void await refusesBad(s.bad, input, (i) => ops.users.create(i));
    }
    if (userByKey(m, s.username)) {
      return void await fails(ops.users.create(input), "conflict", "username");
    }
    const [user, from, to] = await timed(() => ops.users.create(input));
    takeId(m, "users", user.id);
    if (!s.createdAt) assertWithin("createdAt", user.createdAt, from, to);
    const createdAt = s.createdAt ?? user.createdAt;
    const expected: User = {
      id: user.id,
      username: s.username,
      passwordHash: input.passwordHash,
      securityLevel: s.fields.securityLevel ?? 10,
      realName: s.fields.realName ?? "",
      location: s.fields.location ?? "",
      note: s.fields.note ?? "",
      flags: flagsOf(s.fields.flags),
      status: s.fields.status ?? "active",
      statusReason: null,
      lockedUntil: null,
      failedLogins: 0,
      stats: {
        ...Object.fromEntries(STATS.map((k) => [k, 0])),
        timeOnlineSeconds: 0,
      } as unknown as UserStats,
      lastLoginAt: null,
      createdAt,
      updatedAt: createdAt,
    };
    assert.deepStrictEqual(user, expected);
    m.users.set(user.id, expected);
    await assertFindsName(m, ops, s.username);
  },
);

/** updateUser: renames (and clashes), profile fields, the last login. */
export const updateUser = step(
  "updateUser",
  fc.record({
    user: ref,
    patch: fc.record({
      username: fc.constantFrom(...NAMES),
      realName: fc.constantFrom("", "Grace"),
      flags: fc.constantFrom("", "QC"),
      status: fc.constantFrom("active", "locked"),
      securityLevel: fc.constantFrom(5, 200),
      lastLoginAt: fc.constantFrom(null, DATES[0]!),
    }, { requiredKeys: [] }),
    bad: rarely(
      fc.constantFrom<Bad>(["realName", "tab\there"], ["id", 1], [
        "lastLoginAt",
        "2020-01-01",
      ]),
    ),
  }),
  async (m, ops, s) => {
    // A lock needs a reason (see UserPatch).
    const patch: UserPatch = s.patch.status === "locked"
      ? { ...s.patch, statusReason: "Spam" }
      : s.patch;
    const id = pick(m.users.keys(), m.gone.users, s.user);
    if (s.bad) {
      return void await refusesBad(
        s.bad,
        patch,
        (p) => ops.users.update(id, p),
      );
    }
    const user = m.users.get(id);
    if (!user) {
      return void await fails(ops.users.update(id, patch), "not_found");
    }
    const holder = patch.username === undefined
      ? undefined
      : userByKey(m, patch.username);
    if (holder && holder.id !== id) {
      return void await fails(
        ops.users.update(id, patch),
        "conflict",
        "username",
      );
    }
    const [updated, from, to] = await timed(() => ops.users.update(id, patch));
    const changed = Object.keys(patch).length > 0;
    if (changed) assertWithin("updatedAt", updated.updatedAt, from, to);
    const expected: User = {
      ...user,
      ...patch,
      flags: patch.flags === undefined ? user.flags : flagsOf(patch.flags),
      ...(patch.status === undefined ? {} : {
        lockedUntil: null,
        ...(patch.status === "active"
          ? { statusReason: null, failedLogins: 0 }
          : {}),
      }),
      updatedAt: changed ? updated.updatedAt : user.updatedAt,
    };
    assert.deepStrictEqual(updated, expected);
    m.users.set(id, expected);
    await assertFindsName(m, ops, user.username);
    await assertFindsName(m, ops, expected.username);
  },
);

/** deleteUser: sessions and pointers go with the user; messages, files and logins stay. */
export const deleteUser = step("deleteUser", ref, async (m, ops, r) => {
  const id = pick(m.users.keys(), m.gone.users, r);
  if (!m.users.has(id)) {
    return void await fails(ops.users.delete(id), "not_found");
  }
  await ops.users.delete(id);
  const { username } = m.users.get(id)!;
  m.users.delete(id);
  m.gone.users.push(id);
  await assertFindsName(m, ops, username);
  for (const [sid, s] of m.sessions) {
    if (s.userId !== id) continue;
    m.sessions.delete(sid);
    m.gone.sessions.push(sid);
    m.deadTokens.push(s.token);
  }
  for (const key of m.lastRead.keys()) {
    if (key.startsWith(`${id}:`)) m.lastRead.delete(key);
  }
  for (const x of m.messages.values()) {
    if (x.fromUserId === id) x.fromUserId = null;
    if (x.toUserId === id) x.toUserId = null;
  }
  for (const f of m.files.values()) {
    if (f.uploaderId === id) f.uploaderId = null;
  }
  for (const login of m.logins) if (login.userId === id) login.userId = null;
});

/** incrementUserStats: a counter leaving 0..2^53-1 is a `constraint`, nothing changes. */
export const incrementUserStats = step(
  "incrementUserStats",
  fc.record({
    user: ref,
    delta: fc.dictionary(
      fc.constantFrom(...STATS),
      fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: -2, max: 5 }) },
        fc.constant(MAX),
      ),
      { maxKeys: 3 },
    ),
    bad: rarely(
      fc.constantFrom<Bad>(["posts", 0.5], ["karma", 1], ["logins", MAX + 1]),
    ),
  }),
  async (m, ops, s) => {
    const id = pick(m.users.keys(), m.gone.users, s.user);
    const delta = s.delta as Partial<UserStats>;
    if (s.bad) {
      return void await refusesBad(
        s.bad,
        delta,
        (d) => ops.users.incrementStats(id, d),
      );
    }
    const user = m.users.get(id);
    if (!user) {
      return void await fails(ops.users.incrementStats(id, delta), "not_found");
    }
    const stats = { ...user.stats };
    for (const k of STATS) stats[k] += delta[k] ?? 0;
    if (overflows(user, delta)) {
      return void await fails(
        ops.users.incrementStats(id, delta),
        "constraint",
      );
    }
    const expected = { ...user, stats };
    assert.deepStrictEqual(await ops.users.incrementStats(id, delta), expected);
    m.users.set(id, expected);
  },
);

/** recordLogin: `logins` + 1, `lastLoginAt` now, a last-callers entry. */
export const recordLogin = step("recordLogin", ref, async (m, ops, r) => {
  const id = pick(m.users.keys(), m.gone.users, r);
  const user = m.users.get(id);
  if (!user) return void await fails(ops.users.recordLogin(id), "not_found");
  if (overflows(user, { logins: 1 })) {
    return void await fails(ops.users.recordLogin(id), "constraint");
  }
  const [after, from, to] = await timed(() => ops.users.recordLogin(id));
  assertWithin("lastLoginAt", after.lastLoginAt, from, to);
  const expected = {
    ...user,
    stats: { ...user.stats, logins: user.stats.logins + 1 },
    lastLoginAt: after.lastLoginAt,
  };
  assert.deepStrictEqual(after, expected);
  m.users.set(id, expected);
  m.logins.push({
    userId: id,
    username: user.username,
    loginAt: after.lastLoginAt!,
  });
});
