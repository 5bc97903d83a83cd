/**
 * A corrupt tracking table (a row whose version, applied_at or duration_ms is not a whole
 * number JavaScript can hold) stops `openStorage` ("up" and "check"), `status`, `up` and `down`
 * as `migration`, naming the table and saying it is corrupt, never as `internal`, and changes
 * nothing, on every persistent target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { persistentTest, snapshot, sqlQuery } from "./_migrate.ts";

/** Every tracking row, its numbers read as text (a driver cannot read some of them). */
function tracked(url: string): Promise<Record<string, unknown>[]> {
  return sqlQuery(
    url,
    "SELECT migration_set, CAST(version AS TEXT) AS v, name, checksum, " +
      "CAST(applied_at AS TEXT) AS a, CAST(duration_ms AS TEXT) AS d, status " +
      "FROM impulse_migrations ORDER BY migration_set, impulse_migrations.version",
  );
}

/** Corruptions of the package's own tracking rows, each with the SQL that undoes it. */
const CORRUPTIONS: [string, string, string][] = [
  [
    "a version above 2^53",
    "INSERT INTO impulse_migrations VALUES ('impulse', 9007199254740993, 'x', 'c', 0, 0, 'applied')",
    "DELETE FROM impulse_migrations WHERE version = 9007199254740993",
  ],
  [
    "applied_at 2^63 - 1",
    "UPDATE impulse_migrations SET applied_at = 9223372036854775807 WHERE version = 3",
    "UPDATE impulse_migrations SET applied_at = 0 WHERE version = 3",
  ],
  [
    "a negative duration_ms",
    "UPDATE impulse_migrations SET duration_ms = -1 WHERE version = 2",
    "UPDATE impulse_migrations SET duration_ms = 0 WHERE version = 2",
  ],
  [
    "version 0",
    "INSERT INTO impulse_migrations VALUES ('impulse', 0, 'x', 'c', 0, 0, 'applied')",
    "DELETE FROM impulse_migrations WHERE version = 0",
  ],
];

function corrupt(label: string) {
  return (error: unknown) => {
    assert.ok(error instanceof StorageError, `${label}: ${error}`);
    assert.equal(error.kind, "migration", `${label}: ${error.message}`);
    assert.match(error.message, /tracking table impulse_migrations is corrupt/);
    assert.doesNotMatch(error.message, /9007199254740993|9223372036854775807/);
    return true;
  };
}

persistentTest(
  "a corrupt impulse_migrations row stops open, status, up and down as migration, changing nothing",
  async (fresh) => {
    {
      await using migrator = await openMigrator(fresh.url);
      await migrator.up();
    }
    const rows = await snapshot(fresh.url);
    for (const [label, damage, repair] of CORRUPTIONS) {
      await sqlQuery(fresh.url, damage);
      const before = await tracked(fresh.url);
      for (
        const [call, fn] of [
          ["openStorage up", () => openStorage(fresh.url)],
          [
            "openStorage check",
            () => openStorage(fresh.url, { migrate: "check" }),
          ],
          ["status", async () => {
            await using m = await openMigrator(fresh.url);
            return await m.status();
          }],
          ["up", async () => {
            await using m = await openMigrator(fresh.url);
            return await m.up();
          }],
          ["down", async () => {
            await using m = await openMigrator(fresh.url);
            return await m.down({ force: true });
          }],
        ] as const
      ) {
        await assert.rejects(fn, corrupt(`${label}: ${call}`));
      }
      assert.deepEqual(await tracked(fresh.url), before);
      assert.deepEqual(await snapshot(fresh.url), rows);
      await sqlQuery(fresh.url, repair);
    }
    // Repaired, the database opens.
    const storage = await openStorage(fresh.url, { migrate: "check" });
    await storage.close();
  },
);
