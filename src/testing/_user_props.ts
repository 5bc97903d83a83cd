/**
 * Conformance cases of user properties and login history (issue 12, item 1).
 *
 * @module
 */
import assert from "node:assert/strict";
import { ManualClock, testCase } from "./_case.ts";

const clock = new ManualClock();
import { rejectsKind } from "./_assert.ts";

testCase(
  "users.setProps() sets and removes JSON values, and users.getProps() reads them back",
  async (s) => {
    const u = await s.users.create({ username: "Prefs", passwordHash: "h" });
    assert.deepEqual(await s.users.getProps(u.id), {});
    const values = {
      email: "prefs@example.org",
      age: 42.5,
      ansi: true,
      nothing: [null],
      nested: { menu: ["a", { b: -1 }], "": "" },
      unicode: "Ærø 🎉 \u0000 \ud800",
      __proto__key: "x",
    };
    const all = await s.users.setProps(u.id, values);
    assert.deepEqual(all, JSON.parse(JSON.stringify(values)));
    assert.deepEqual(await s.users.getProps(u.id), all);
    const after = await s.users.setProps(u.id, { age: null, ansi: false });
    assert.equal(Object.hasOwn(after, "age"), false);
    assert.equal(after.ansi, false);
    assert.deepEqual(await s.users.getProps(u.id), after);
    // A key named __proto__ is an own property, never the prototype.
    const own = await s.users.setProps(
      u.id,
      JSON.parse('{"__proto__": {"polluted": true}}'),
    );
    assert.deepEqual(Object.getOwnPropertyDescriptor(own, "__proto__")?.value, {
      polluted: true,
    });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await rejectsKind(s.users.getProps(2 ** 40), "not_found");
    await rejectsKind(s.users.setProps(2 ** 40, { a: 1 }), "not_found");
  },
);

testCase(
  "users.setProps() bounds keys, values and their number, writing nothing when refused",
  async (s) => {
    const u = await s.users.create({ username: "Bounded", passwordHash: "h" });
    await s.users.setProps(u.id, { keep: 1 });
    const refused: [Record<string, unknown>, string][] = [
      [{ "": 1 }, "key"],
      [{ ["k".repeat(65)]: 1 }, "key"],
      [{ "a\nb": 1 }, "key"],
      [{ big: "x".repeat(65_535) }, "patch.big"],
      [{ big: "é".repeat(40_000) }, "patch.big"],
      [{ nan: NaN }, "patch.nan"],
      [{ inf: [Infinity] }, "patch.inf"],
      [{ date: new Date() }, "patch.date"],
      [{ fn: () => 1 }, "patch.fn"],
      [{ undef: undefined }, "patch.undef"],
      [{ big: 1n }, "patch.big"],
      [{ keep: 2, deep: { a: { b: Symbol("x") } } }, "patch.deep"],
    ];
    for (const [patch, field] of refused) {
      await rejectsKind(
        s.users.setProps(u.id, patch as never),
        "validation",
        field,
      );
    }
    await rejectsKind(
      s.users.setProps(u.id, [1] as never),
      "validation",
      "patch",
    );
    // The largest value: 65536 bytes of JSON (the quotes included).
    const largest = "x".repeat(65_534);
    assert.equal((await s.users.setProps(u.id, { big: largest })).big, largest);
    await s.users.setProps(u.id, { big: null });
    const many = Object.fromEntries(
      Array.from({ length: 255 }, (_, i) => [`k${i}`, i]),
    );
    assert.equal(Object.keys(await s.users.setProps(u.id, many)).length, 256);
    await rejectsKind(
      s.users.setProps(u.id, { keep: 3, one: "too many" }),
      "validation",
      "patch",
    );
    const props = await s.users.getProps(u.id);
    assert.equal(Object.keys(props).length, 256);
    assert.equal(props.keep, 1, "nothing of the refused patch was written");
    // Replacing and removing in one patch stays within the bound.
    const swapped = await s.users.setProps(u.id, { k0: null, one: "fits" });
    assert.equal(Object.keys(swapped).length, 256);
  },
);

testCase(
  "users.findByProp() finds exact values of the same type, and properties go with their user",
  async (s) => {
    const a = await s.users.create({ username: "a", passwordHash: "h" });
    const b = await s.users.create({ username: "b", passwordHash: "h" });
    const long = "y".repeat(5_000);
    await s.users.setProps(a.id, { email: "A@x.org", n: 1, flag: true, long });
    await s.users.setProps(b.id, {
      email: "a@x.org",
      n: "1",
      flag: true,
      long: `${long}z`,
    });
    const ids = async (key: string, value: string | number | boolean) =>
      (await s.users.findByProp(key, value)).map((u) => u.id);
    assert.deepEqual(await ids("email", "A@x.org"), [a.id]);
    assert.deepEqual(await ids("email", "a@x.org"), [b.id]);
    assert.deepEqual(await ids("email", "%"), []);
    assert.deepEqual(await ids("n", 1), [a.id]);
    assert.deepEqual(await ids("n", "1"), [b.id]);
    assert.deepEqual(await ids("flag", true), [a.id, b.id]);
    assert.deepEqual(await ids("flag", "true"), []);
    assert.deepEqual(await ids("long", long), [a.id]);
    assert.deepEqual(await ids("missing", 1), []);
    await rejectsKind(s.users.findByProp("", 1), "validation", "key");
    await rejectsKind(
      s.users.findByProp("n", { a: 1 } as never),
      "validation",
      "value",
    );
    await rejectsKind(s.users.findByProp("n", NaN), "validation", "value");
    await s.users.delete(a.id);
    assert.deepEqual(await ids("flag", true), [b.id]);
  },
);

testCase(
  "users.logins() lists each session newest first, with its end, kept after it ends",
  async (s) => {
    clock.reset();
    const u = await s.users.create({ username: "Caller", passwordHash: "h" });
    const other = await s.users.create({
      username: "Other",
      passwordHash: "h",
    });
    assert.deepEqual(await s.users.logins(u.id), []);
    const first = await s.sessions.create({
      userId: u.id,
      ipAddress: "192.0.2.1",
      node: 1,
    });
    await s.sessions.end(first.session.id);
    // The next login comes at a later millisecond, so `before` it finds the first.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await s.sessions.create({ userId: other.id, ipAddress: "192.0.2.9" });
    const second = await s.sessions.create({
      userId: u.id,
      ipAddress: "2001:db8::1",
      ttlSeconds: 60,
    });
    const third = await s.sessions.create({ userId: u.id, ipAddress: "::1" });
    const logins = await s.users.logins(u.id);
    assert.deepEqual(logins.map((l) => l.sessionId), [
      third.session.id,
      second.session.id,
      first.session.id,
    ]);
    const [live, , ended] = logins;
    assert.equal(live?.endedAt, null);
    assert.deepEqual(
      [ended?.node, ended?.ipAddress, ended?.at],
      [1, "192.0.2.1", first.session.loginAt],
    );
    assert.ok(ended?.endedAt && ended.endedAt >= ended.at);
    assert.deepEqual(
      (await s.users.logins(u.id, { limit: 1 })).map((l) => l.sessionId),
      [third.session.id],
    );
    const older = await s.users.logins(u.id, {
      before: second.session.loginAt,
    });
    assert.ok(older.every((l) => l.at < second.session.loginAt));
    assert.ok(older.some((l) => l.sessionId === first.session.id));
    // An expired session ended when it expired, purged or not.
    const brief = await s.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.2",
      ttlSeconds: 1,
    });
    clock.advance(1_100);
    const [expired] = await s.users.logins(other.id, { limit: 1 });
    assert.deepEqual(
      [expired?.sessionId, expired?.endedAt],
      [brief.session.id, brief.session.expiresAt],
    );
    await rejectsKind(s.users.logins(2 ** 40), "not_found");
    await rejectsKind(
      s.users.logins(u.id, { limit: 0 }),
      "validation",
      "options.limit",
    );
  },
  { clock: clock.read },
);
