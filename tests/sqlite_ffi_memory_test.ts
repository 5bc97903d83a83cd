/**
 * The FFI engine over a million operations: resident memory before and after must stay level
 * (statements, bind buffers and column reads allocate nothing that outlives a call).
 */
import assert from "node:assert/strict";
import { ffiEngine } from "../drivers/sqlite/ffi/engine.ts";

Deno.test("ffiEngine() holds resident memory steady over a million operations", () => {
  const db = ffiEngine().open(":memory:", { busyTimeoutMs: 0 });
  db.exec(
    "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, size INTEGER, data BLOB)",
  );
  const insert = db.prepare(
    "INSERT INTO t (id, name, size, data) VALUES (?, ?, ?, ?)",
  );
  for (let id = 1; id <= 100; id++) {
    insert.run([id, `user ${id} ü`, 2 ** 40 + id, new Uint8Array(16)]);
  }
  const byId = db.prepare("SELECT id, name, size, data FROM t WHERE id = ?");
  const update = db.prepare(
    "UPDATE t SET name = ?, size = size + ? WHERE id = ?",
  );
  const list = db.prepare(
    "SELECT id, name, size FROM t WHERE id > ? ORDER BY id LIMIT 5",
  );
  const ops = (count: number) => {
    for (let i = 0; i < count; i++) {
      const id = (i % 100) + 1;
      switch (i % 4) {
        case 0:
          byId.value([id]);
          break;
        case 1:
          update.run([`user ${id} ü ${i & 7}`, 1, id]);
          break;
        case 2:
          list.values([id]);
          break;
        default:
          byId.get([id]);
      }
    }
  };
  ops(100_000); // warm up: JIT, SQLite's page cache, the bind buffers
  const before = Deno.memoryUsage().rss;
  const started = performance.now();
  ops(1_000_000);
  const ms = performance.now() - started;
  const after = Deno.memoryUsage().rss;
  const growthMiB = (after - before) / 2 ** 20;
  console.log(
    `1,000,000 operations in ${ms.toFixed(0)} ms; rss ${
      (before / 2 ** 20).toFixed(1)
    } MiB -> ` +
      `${(after / 2 ** 20).toFixed(1)} MiB (${growthMiB >= 0 ? "+" : ""}${
        growthMiB.toFixed(1)
      } MiB)`,
  );
  // Garbage the collector has not reclaimed yet shows as growth; a leak of even 50 bytes per
  // operation would exceed the bound.
  assert.ok(
    growthMiB < 48,
    `resident memory grew by ${growthMiB.toFixed(1)} MiB`,
  );
  // Each of the 1.1 million operations with i % 100 === 1 added 1 to row 2.
  assert.equal(byId.value([2])![2], 2 ** 40 + 2 + 11_000);
  db.close();
});
