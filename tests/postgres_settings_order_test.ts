/**
 * Settings keys sort by code point on PostgreSQL whatever the database's collation: in a database
 * whose default collation is ICU's English (where `b` sorts before `B` and `é` before `f`),
 * `settings.list` gives the order and the prefix ranges SQLite gives.
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

Deno.test({
  name:
    "settings.list() orders keys by code point and finds prefixes in an ICU-collated PostgreSQL database",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase(
      "impulse_icu",
      "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'",
    );
    await using storage = await openStorage(db.url);
    const keys = ["b", "B", "board", "Board", "é", "f", "a-b", "ab", "a b"];
    for (const key of keys) await storage.settings.set(key, 1);
    const byCodePoint = [...keys].sort();
    assert.deepEqual(
      (await storage.settings.list()).map((s) => s.key),
      byCodePoint,
    );
    assert.deepEqual(
      (await storage.settings.list("b")).map((s) => s.key),
      ["b", "board"],
    );
    assert.deepEqual(
      (await storage.settings.list("a")).map((s) => s.key),
      ["a b", "a-b", "ab"],
    );
  },
});
