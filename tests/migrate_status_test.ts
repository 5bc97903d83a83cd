/**
 * `Migrator.status()` only reads: on a database without the tracking table it reports every
 * migration pending and creates nothing, on every persistent target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { inspect } from "./_stress.ts";
import { TARGETS } from "./_targets.ts";

const TRACKING_PRESENT = {
  sqlite:
    "SELECT count(*) AS n FROM sqlite_master WHERE name = 'impulse_migrations'",
  postgres:
    "SELECT count(*) AS n FROM pg_class WHERE relname = 'impulse_migrations'",
};

for (const target of TARGETS.filter((t) => t.capabilities.persistent)) {
  Deno.test({
    name:
      `[${target.name}] status() on a database without impulse_migrations reports every migration pending and creates nothing`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      // A database with a table of the caller's own, and no tracking table.
      await inspect(fresh.url, (db) => db.all("CREATE TABLE own (id INTEGER)"));
      const before = await inspect(fresh.url, (db) => db.schema());
      {
        await using migrator = await openMigrator(fresh.url);
        const status = await migrator.status();
        assert.ok(status.length > 0);
        assert.ok(status.every((line) => line.state === "pending"));
      }
      const dialect = target.name === "postgres" ? "postgres" : "sqlite";
      const [row] = await inspect(
        fresh.url,
        (db) => db.all(TRACKING_PRESENT[dialect]),
      );
      assert.equal(Number(row!.n), 0, "the tracking table was not created");
      assert.deepEqual(await inspect(fresh.url, (db) => db.schema()), before);
    },
  });
}
