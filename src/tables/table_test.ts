import assert from "node:assert/strict";
import { CATALOGUE, USERS } from "./mod.ts";
import { insertOf, mapperOf, patchSetsOf, table } from "./table.ts";

/** A record's value at a field path (`stats.logins`). */
function at(record: unknown, path: string): unknown {
  return path.split(".").reduce(
    (v, key) => (v as Record<string, unknown>)[key],
    record,
  );
}

Deno.test("mapperOf() reads each field from its own column's position, on every table", () => {
  for (const t of CATALOGUE) {
    // A distinct value per position: a field read from another column shows another value.
    // A boolean holds 0 or 1: by the position's parity (a table's booleans sit apart).
    const row = t.selected.map((name, i) =>
      t.spec.columns[name]!.codec === "boolean" ? i % 2 : 1000 + i
    );
    const record = mapperOf(t)(row);
    t.selected.forEach((name, i) => {
      const column = t.spec.columns[name]!;
      const value = at(record, column.field!);
      const expected = column.codec === "date"
        ? new Date(1000 + i)
        : column.codec === "boolean"
        ? i % 2 === 1
        : 1000 + i;
      assert.deepEqual(value, expected, `${t.name}.${name} → ${column.field}`);
    });
  }
});

Deno.test("mapperOf() decodes NULLs, JSON and a NULL read as another column", () => {
  const t = table("things", {
    generatedId: true,
    columns: {
      id: { field: "id", codec: "integer" },
      seen: { field: "seen", codec: "date", nullable: true },
      tags: { field: "tags", codec: "json" },
      root: { field: "root", codec: "integer", nullReadsAs: "id" },
      on: { field: "flag.on", codec: "boolean" },
    },
  });
  assert.deepEqual(mapperOf(t)([7, null, '["a"]', null, 1]), {
    id: 7,
    seen: null,
    tags: ["a"],
    root: 7,
    flag: { on: true },
  });
  assert.deepEqual(mapperOf(t)([7, 5, "[]", 3, 0]), {
    id: 7,
    seen: new Date(5),
    tags: [],
    root: 3,
    flag: { on: false },
  });
});

Deno.test("mapperOf() refuses a field that is not a name, as it generates source", () => {
  const t = table("bad", {
    generatedId: false,
    columns: { x: { field: "a: 1, b", codec: "integer" } },
  });
  assert.throws(() => mapperOf(t), TypeError);
});

Deno.test("insertOf() and patchSetsOf() write a key beside the column it is computed from", () => {
  const insert = insertOf<Record<string, unknown>>(USERS, ["created_at"]);
  assert.match(
    insert.text,
    /^INSERT INTO users \(username, username_key, password_hash, .*, created_at\) VALUES \(\?(, \?)*\) RETURNING id, username, /,
  );
  const params = insert.params({
    username: "Straße",
    passwordHash: "h",
    securityLevel: 10,
    realName: "",
    location: "",
    note: "",
    flags: "",
    status: "active",
  }, [5]);
  assert.deepEqual(params.slice(0, 3), ["Straße", "strasse", "h"]);
  assert.equal(params.length, insert.text.split("?").length - 1);
  const sets = patchSetsOf<Record<string, unknown>>(USERS);
  const username = sets.find(([field]) => field === "username")!;
  assert.equal(username[1], "username = ?, username_key = ?");
  assert.deepEqual(username[2]({ username: "ΟΔΟΣ" }), ["ΟΔΟΣ", "οδοσ"]);
  const last = sets.find(([field]) => field === "lastLoginAt")!;
  assert.deepEqual(last[2]({ lastLoginAt: new Date(9) }), [9]);
  assert.deepEqual(last[2]({ lastLoginAt: null }), [null]);
});
