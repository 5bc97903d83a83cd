/**
 * The application's own tables: `storage.sql` and `tx.sql`. Each case makes a table of its own
 * in portable SQL (both dialects take it) on the fresh database.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Storage } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

const CREATE =
  "CREATE TABLE app_oneliners (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE, " +
  "author_id INTEGER, score INTEGER NOT NULL DEFAULT 0 CHECK (score >= 0))";

async function oneliners(s: Storage): Promise<void> {
  await s.sql(CREATE);
}

testCase(
  "app sql: creates a table, inserts with ? parameters, selects rows as objects",
  async (s) => {
    assert.deepEqual(await s.sql(CREATE), []);
    assert.deepEqual(
      await s.sql(
        "INSERT INTO app_oneliners (id, body, author_id) VALUES (?, ?, ?)",
        [1, "what's up? -- not a comment", null],
      ),
      [],
    );
    await s.sql(
      "INSERT INTO app_oneliners (id, body, author_id) VALUES (?, ?, ?)",
      [2, "second", 7],
    );
    const rows = await s.sql<{ id: number; body: string; author_id: unknown }>(
      "SELECT id, body, author_id FROM app_oneliners WHERE id >= ? AND body <> '?' ORDER BY id",
      [1],
    );
    assert.deepEqual(rows, [
      { id: 1, body: "what's up? -- not a comment", author_id: null },
      { id: 2, body: "second", author_id: 7 },
    ]);
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    const { sql } = s;
    assert.deepEqual(await sql("SELECT count(*) AS n FROM app_oneliners"), [
      { n: 2 },
    ]);
  },
);

testCase(
  "app sql: tx.sql commits with the package's own writes",
  async (s) => {
    await oneliners(s);
    const id = await s.transaction(async (tx) => {
      const user = await tx.users.create({
        username: "door",
        passwordHash: "h",
      });
      await tx.sql(
        "INSERT INTO app_oneliners (id, body, author_id) VALUES (?, ?, ?)",
        [1, "hello", user.id],
      );
      // The transaction's own write is seen inside it.
      assert.deepEqual(
        await tx.sql("SELECT author_id FROM app_oneliners WHERE id = ?", [1]),
        [{ author_id: user.id }],
      );
      return user.id;
    });
    assert.notEqual(await s.users.get(id), null);
    assert.deepEqual(await s.sql("SELECT author_id FROM app_oneliners"), [
      { author_id: id },
    ]);
  },
);

testCase(
  "app sql: tx.sql rolls back with the package's own writes",
  async (s) => {
    await oneliners(s);
    const marker = new Error("boom");
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.users.create({ username: "ghost", passwordHash: "h" });
        await tx.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [
          1,
          "gone",
        ]);
        throw marker;
      }),
      (error) => error === marker,
    );
    assert.equal(await s.users.findByUsername("ghost"), null);
    assert.deepEqual(await s.sql("SELECT id FROM app_oneliners"), []);
  },
);

testCase(
  "app sql: a failing tx.sql undoes only itself and leaves the transaction usable",
  async (s) => {
    await oneliners(s);
    await s.sql("INSERT INTO app_oneliners (id, body) VALUES (1, 'taken')");
    await s.transaction(async (tx) => {
      await tx.sql("INSERT INTO app_oneliners (id, body) VALUES (2, 'before')");
      await rejectsKind(
        tx.sql("INSERT INTO app_oneliners (id, body) VALUES (3, 'taken')"),
        "conflict",
      );
      await rejectsKind(tx.sql("SELEC body FROM app_oneliners"), "validation");
      await rejectsKind(tx.sql("SELECT nope FROM app_oneliners"), "validation");
      await tx.sql("INSERT INTO app_oneliners (id, body) VALUES (4, 'after')");
    });
    assert.deepEqual(
      await s.sql("SELECT id FROM app_oneliners ORDER BY id"),
      [{ id: 1 }, { id: 2 }, { id: 4 }],
    );
  },
);

testCase(
  "app sql: errors' kinds: conflict, constraint, validation naming text or params",
  async (s) => {
    await oneliners(s);
    await s.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [1, "a"]);
    await rejectsKind(
      s.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [2, "a"]),
      "conflict",
    );
    await rejectsKind(
      s.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [3, null]),
      "constraint",
    );
    await rejectsKind(
      s.sql("INSERT INTO app_oneliners (id, body, score) VALUES (?, ?, ?)", [
        4,
        "b",
        -1,
      ]),
      "constraint",
    );
    await rejectsKind(s.sql("SELEC 1"), "validation", "text");
    await rejectsKind(
      s.sql("SELECT x FROM app_no_such_table"),
      "validation",
      "text",
    );
    await rejectsKind(s.sql(""), "validation", "text");
    await rejectsKind(s.sql("SELECT 1; SELECT 2"), "validation", "text");
    await rejectsKind(
      s.sql(42 as unknown as string),
      "validation",
      "text",
    );
    await rejectsKind(
      s.sql("SELECT ?", "x" as unknown as unknown[]),
      "validation",
      "params",
    );
    await rejectsKind(
      s.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [
        5,
        undefined,
      ]),
      "validation",
      "params[1]",
    );
    await rejectsKind(
      s.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [
        6,
        new Date(),
      ]),
      "validation",
      "params[1]",
    );
    await rejectsKind(
      s.sql("INSERT INTO app_oneliners (id, body) VALUES (?, ?)", [NaN, "c"]),
      "validation",
      "params[0]",
    );
    // Nothing of the refused ones was written.
    assert.deepEqual(await s.sql("SELECT id FROM app_oneliners"), [{ id: 1 }]);
  },
);

testCase(
  "app sql: concurrent writes serialize with each other and the package's writes",
  async (s) => {
    await s.sql(
      "CREATE TABLE app_points (user_id INTEGER PRIMARY KEY, points INTEGER NOT NULL)",
    );
    const user = await s.users.create({
      username: "player",
      passwordHash: "h",
    });
    await s.sql("INSERT INTO app_points (user_id, points) VALUES (?, 0)", [
      user.id,
    ]);
    const n = 40;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        i % 2 === 0
          ? s.sql(
            "UPDATE app_points SET points = points + 1 WHERE user_id = ?",
            [user.id],
          )
          : s.transaction(async (tx) => {
            await tx.users.incrementStats(user.id, { logins: 1 });
            await tx.sql(
              "UPDATE app_points SET points = points + 1 WHERE user_id = ?",
              [user.id],
            );
          })),
    );
    assert.deepEqual(
      await s.sql("SELECT points FROM app_points WHERE user_id = ?", [user.id]),
      [{ points: n }],
    );
    assert.equal((await s.users.get(user.id))?.stats.logins, n / 2);
  },
);

testCase(
  "app sql: not offered through as(), nor through tx.as()",
  async (s) => {
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
    });
    const view = await s.as(user.id);
    assert.equal("sql" in view, false);
    await s.transaction(async (tx) => {
      const txView = await tx.as(user.id);
      assert.equal("sql" in txView, false);
      assert.equal(typeof tx.sql, "function");
    });
  },
);

testCase(
  "app sql: a write on the storage waits for an open transaction, as the package's writes do; a read does not",
  async (s, { capabilities }) => {
    await oneliners(s);
    let settled = false;
    let outside: Promise<unknown> | undefined;
    await s.transaction(async (tx) => {
      await tx.users.create({ username: "first", passwordHash: "h" });
      outside = s.sql(
        "INSERT INTO app_oneliners (id, body) VALUES (?, ?)",
        [1, "after the commit"],
      ).finally(() => settled = true);
      if (capabilities.snapshotReads) {
        // Reads see the last committed state meanwhile.
        assert.deepEqual(await s.sql("SELECT id FROM app_oneliners"), []);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(settled, false, "the write waited for the transaction");
    });
    await outside;
    assert.deepEqual(await s.sql("SELECT id FROM app_oneliners"), [{ id: 1 }]);
  },
);

testCase(
  "app sql: transaction control is refused (validation naming text) on the storage and in a transaction, which stays whole",
  async (s) => {
    await oneliners(s);
    const statements = [
      "BEGIN",
      "begin transaction",
      "/* a comment first */ COMMIT",
      "-- a comment\nROLLBACK",
      "END",
      "START TRANSACTION",
      "SAVEPOINT app",
      "RELEASE SAVEPOINT app",
      "ROLLBACK TO SAVEPOINT app",
      "ABORT",
      // Hidden from a scanner that does not nest comments or read dollar quotes as
      // PostgreSQL does: both databases refuse them or the package does.
      "/* a /* nested */ b */ COMMIT",
      "/* a /* b */ c */ SAVEPOINT app",
      "SELECT $$ ' $$ AS a; COMMIT; SELECT ' x' AS b",
      "SELECT $t$ ' $t$ AS a; COMMIT; --'",
    ];
    for (const text of statements) {
      await rejectsKind(s.sql(text), "validation", "text");
    }
    // A BEGIN on the storage would have held the next acknowledged write open for a ROLLBACK.
    const acked = await s.users.create({
      username: "acked",
      passwordHash: "h",
    });
    await rejectsKind(s.sql("ROLLBACK"), "validation", "text");
    assert.notEqual(await s.users.get(acked.id), null);
    // In a transaction: a COMMIT or ROLLBACK in the middle neither commits the first half
    // nor loses it, and a throw rolls everything back.
    const marker = new Error("boom");
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.users.create({ username: "half1", passwordHash: "h" });
        await tx.sql("INSERT INTO app_oneliners (id, body) VALUES (1, 'one')");
        for (const text of statements) {
          await rejectsKind(tx.sql(text), "validation", "text");
        }
        await tx.users.create({ username: "half2", passwordHash: "h" });
        throw marker;
      }),
      (error) => error === marker,
    );
    assert.equal(await s.users.findByUsername("half1"), null);
    assert.equal(await s.users.findByUsername("half2"), null);
    assert.deepEqual(await s.sql("SELECT id FROM app_oneliners"), []);
    // And one that ends well commits both halves together.
    await s.transaction(async (tx) => {
      await tx.users.create({ username: "whole1", passwordHash: "h" });
      await rejectsKind(tx.sql("COMMIT"), "validation", "text");
      await tx.users.create({ username: "whole2", passwordHash: "h" });
    });
    assert.notEqual(await s.users.findByUsername("whole1"), null);
    assert.notEqual(await s.users.findByUsername("whole2"), null);
  },
);

testCase(
  "app sql: params must match the ? placeholders, hold no holes, fit 64 bits and be readable (validation, nothing written)",
  async (s) => {
    await oneliners(s);
    const insert = "INSERT INTO app_oneliners (id, body) VALUES (?, ?)";
    await rejectsKind(s.sql(insert, [1]), "validation", "params");
    await rejectsKind(s.sql(insert, [1, "a", "b"]), "validation", "params");
    await rejectsKind(s.sql(insert), "validation", "params");
    await rejectsKind(s.sql("SELECT ? AS a"), "validation", "params");
    // A ? inside quotes or a comment is text, not a placeholder.
    assert.deepEqual(
      await s.sql("SELECT '?' AS a /* ? */ -- ?\n"),
      [{ a: "?" }],
    );
    // deno-lint-ignore no-sparse-arrays
    await rejectsKind(s.sql(insert, [, "a"]), "validation", "params[0]");
    await rejectsKind(
      s.sql(insert, [2n ** 70n, "big"]),
      "validation",
      "params[0]",
    );
    const { proxy, revoke } = Proxy.revocable([1, "x"], {});
    revoke();
    await rejectsKind(s.sql(insert, proxy), "validation", "params");
    const throwing = [1, "x"];
    Object.defineProperty(throwing, 1, {
      get() {
        throw new Error("no");
      },
    });
    await rejectsKind(s.sql(insert, throwing), "validation", "params");
    assert.deepEqual(await s.sql("SELECT id FROM app_oneliners"), []);
    // What fits is taken.
    await s.sql(insert, [1n, "one"]);
    assert.deepEqual(await s.sql("SELECT body FROM app_oneliners"), [
      { body: "one" },
    ]);
  },
);
