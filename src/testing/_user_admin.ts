/**
 * Conformance cases of user administration (issue 12, item 1): listing and counting users,
 * bans and locks with reasons, lock ends, failed logins. Properties and login history are in
 * `_user_props.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Storage, User, UserPage } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

/** Every page of a listing, followed through its cursors. */
async function allPages(
  s: Storage,
  options: Parameters<Storage["users"]["list"]>[0] & object,
): Promise<User[][]> {
  const pages: User[][] = [];
  let page: UserPage = await s.users.list(options);
  pages.push(page.users);
  while (page.next !== null) {
    page = await s.users.list({ ...options, after: page.next });
    pages.push(page.users);
  }
  return pages;
}

const names = (users: User[]) => users.map((u) => u.username);

testCase(
  "users.list() pages by username, case-insensitively, through opaque cursors",
  async (s) => {
    for (const username of ["delta", "Alpha", "charlie", "Bravo", "echo"]) {
      await s.users.create({ username, passwordHash: "h" });
    }
    const pages = await allPages(s, { limit: 2 });
    assert.deepEqual(pages.map(names), [
      ["Alpha", "Bravo"],
      ["charlie", "delta"],
      ["echo"],
    ]);
    const backwards = await allPages(s, { limit: 3, descending: true });
    assert.deepEqual(backwards.map(names), [
      ["echo", "delta", "charlie"],
      ["Bravo", "Alpha"],
    ]);
    const whole = await s.users.list();
    assert.equal(whole.next, null);
    assert.equal(whole.users.length, 5);
    // A page exactly as long as what is left has no next page.
    assert.equal((await s.users.list({ limit: 5 })).next, null);
  },
);

testCase(
  "users.list() orders by id, createdAt and lastLoginAt both ways, ties by id",
  async (s) => {
    const same = new Date(Date.UTC(1994, 0, 1));
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const user = await s.users.create({
        username: `u${i}`,
        passwordHash: "h",
        createdAt: i < 3 ? same : new Date(Date.UTC(1980 + i, 0, 1)),
      });
      ids.push(user.id);
    }
    await s.users.update(ids[3]!, { lastLoginAt: new Date(2_000) });
    await s.users.update(ids[1]!, { lastLoginAt: new Date(1_000) });
    const expect = {
      id: ids,
      createdAt: [ids[3]!, ids[4]!, ids[0]!, ids[1]!, ids[2]!],
      // Never logged in first (by id), then by the last login.
      lastLoginAt: [ids[0]!, ids[2]!, ids[4]!, ids[1]!, ids[3]!],
    } as const;
    for (const [orderBy, order] of Object.entries(expect)) {
      for (const limit of [1, 2, 5]) {
        const up = (await allPages(s, {
          orderBy: orderBy as keyof typeof expect,
          limit,
        })).flat().map((u) => u.id);
        assert.deepEqual(up, order, `${orderBy} ascending, ${limit} a page`);
        const down = (await allPages(s, {
          orderBy: orderBy as keyof typeof expect,
          descending: true,
          limit,
        })).flat().map((u) => u.id);
        assert.deepEqual(down, [...order].reverse(), `${orderBy} descending`);
      }
    }
  },
);

testCase(
  "users.list() pages stay put when users are created or deleted before the cursor",
  async (s) => {
    for (const username of ["b", "d", "f", "h"]) {
      await s.users.create({ username, passwordHash: "h" });
    }
    const first = await s.users.list({ limit: 2 });
    assert.deepEqual(names(first.users), ["b", "d"]);
    await s.users.create({ username: "a", passwordHash: "h" });
    await s.users.delete(first.users[0]!.id);
    await s.users.create({ username: "e", passwordHash: "h" });
    const second = await s.users.list({ limit: 2, after: first.next! });
    assert.deepEqual(names(second.users), ["e", "f"]);
  },
);

testCase(
  "users.list() and users.count() search usernames and real names as plain text, case-insensitively",
  async (s) => {
    await s.users.create({
      username: "Dave",
      passwordHash: "h",
      realName: "David Straße",
    });
    await s.users.create({ username: "100%_sure", passwordHash: "h" });
    await s.users.create({ username: "back\\slash", passwordHash: "h" });
    await s.users.create({ username: "ÉMILE", passwordHash: "h" });
    await s.users.create({ username: "plain", passwordHash: "h" });
    const found = async (query: string) =>
      names((await s.users.list({ query })).users).sort();
    assert.deepEqual(await found("STRASSE"), ["Dave"]);
    assert.deepEqual(await found("avi"), ["Dave"]);
    assert.deepEqual(await found("émi"), ["ÉMILE"]);
    assert.deepEqual(await found("%"), ["100%_sure"]);
    assert.deepEqual(await found("0%_"), ["100%_sure"]);
    assert.deepEqual(await found("_"), ["100%_sure"]);
    assert.deepEqual(await found("\\"), ["back\\slash"]);
    assert.deepEqual(await found("k\\s"), ["back\\slash"]);
    assert.deepEqual(await found("a_n"), []);
    assert.deepEqual(
      await found(""),
      [
        "100%_sure",
        "back\\slash",
        "Dave",
        "ÉMILE",
        "plain",
      ].sort(),
    );
    assert.equal(await s.users.count({ query: "%" }), 1);
    assert.equal(await s.users.count({ query: "A" }), 3);
    assert.equal(await s.users.count(), 5);
    await rejectsKind(
      s.users.list({ query: "x".repeat(65) }),
      "validation",
      "options.query",
    );
  },
);

testCase(
  "users.list() and users.count() filter by status and lowest level",
  async (s) => {
    const a = await s.users.create({
      username: "a",
      passwordHash: "h",
      securityLevel: 100,
    });
    await s.users.create({ username: "b", passwordHash: "h" });
    const c = await s.users.create({
      username: "c",
      passwordHash: "h",
      securityLevel: 200,
    });
    await s.users.update(c.id, { status: "banned", statusReason: "Abuse" });
    await s.users.update(a.id, { status: "locked", statusReason: "Spam" });
    const list = async (filter: object) =>
      names((await s.users.list(filter)).users);
    assert.deepEqual(await list({ status: "banned" }), ["c"]);
    assert.deepEqual(await list({ status: "locked" }), ["a"]);
    assert.deepEqual(await list({ minLevel: 100 }), ["a", "c"]);
    assert.deepEqual(await list({ minLevel: 150, status: "banned" }), ["c"]);
    assert.equal(await s.users.count({ status: "active" }), 1);
    assert.equal(await s.users.count({ minLevel: 100 }), 2);
    await rejectsKind(
      s.users.count({ minLevel: 256 }),
      "validation",
      "filter.minLevel",
    );
    await rejectsKind(
      s.users.list({ status: "gone" as never }),
      "validation",
      "options.status",
    );
  },
);

testCase(
  "users.list() refuses a cursor of another order, or an altered one, naming after",
  async (s) => {
    for (const username of ["a", "b", "c"]) {
      await s.users.create({ username, passwordHash: "h" });
    }
    const { next } = await s.users.list({ limit: 1 });
    assert.ok(next);
    const bad = [
      () => s.users.list({ after: next, orderBy: "id" }),
      () => s.users.list({ after: `x${next}` }),
      () =>
        s.users.list({
          after: next.slice(0, -1) + (next.endsWith("A") ? "B" : "A"),
        }),
      () => s.users.list({ after: "" }),
      () => s.users.list({ after: "not a cursor" }),
      () => s.users.list({ after: btoa('["username","a",1]') }),
    ];
    for (const call of bad) {
      await rejectsKind(call, "validation", "options.after");
    }
    const ofId = (await s.users.list({ orderBy: "id", limit: 1 })).next!;
    await rejectsKind(
      s.users.list({ after: ofId, orderBy: "createdAt" }),
      "validation",
      "options.after",
    );
  },
);

testCase(
  "users.list() with a cursor listed the other way gives the page before it",
  async (s) => {
    for (const username of ["a", "b", "c", "d", "e"]) {
      await s.users.create({ username, passwordHash: "h" });
    }
    const first = await s.users.list({ limit: 2 });
    const second = await s.users.list({ limit: 2, after: first.next! });
    assert.deepEqual(names(second.users), ["c", "d"]);
    const back = await s.users.list({
      limit: 2,
      descending: true,
      after: first.next!,
    });
    assert.deepEqual(names(back.users), ["a"]);
    assert.equal(back.next, null);
  },
);
