import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  type CliRun,
  ownMigrations,
  PERSISTENT,
  persistentTest,
  runMigrate,
  spawnMigrate,
  sqlQuery,
  tempSet,
  trackedVersions,
} from "./_migrate.ts";

/** A caller's set whose every migration appends to a ledger: applying one twice shows. */
const LEDGER_SET = {
  "0001_ledger.up.sql":
    "CREATE TABLE ledger (version INTEGER NOT NULL);\nCREATE TABLE filler (n INTEGER NOT NULL);\n" +
    "INSERT INTO ledger (version) VALUES (1);\n",
  "0001_ledger.down.sql": "DROP TABLE filler;\nDROP TABLE ledger;\n",
  // Slow enough (a few hundred ms) for the racing processes to overlap.
  "0002_fill.up.sql":
    "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000) " +
    "INSERT INTO filler (n) SELECT n FROM c;\nINSERT INTO ledger (version) VALUES (2);\n",
  "0002_fill.down.sql":
    "DELETE FROM filler;\nDELETE FROM ledger WHERE version = 2;\n",
  "0003_more.up.sql": "INSERT INTO ledger (version) VALUES (3);\n",
  "0003_more.down.sql": "DELETE FROM ledger WHERE version = 3;\n",
};

function appliedLines(runs: CliRun[], version: number): number {
  const pattern = new RegExp(`^applied +${String(version).padStart(4, "0")} `);
  return runs.flatMap((run) => run.stdout.split("\n"))
    .filter((line) => pattern.test(line)).length;
}

function assertAllSucceeded(runs: CliRun[]): void {
  for (const run of runs) {
    assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
    assert.equal(run.stderr, "");
  }
}

persistentTest(
  "Migrator.up() applies each migration once when four processes race",
  async ({ url }) => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runMigrate(["up", "--db", url])),
    );
    assertAllSucceeded(runs);
    const own = ownMigrations(url);
    for (const m of own) {
      assert.equal(appliedLines(runs, m.version), 1, `version ${m.version}`);
    }
    assert.deepEqual(
      await trackedVersions(url, "impulse"),
      own.map((m) => [m.version, "applied"]),
    );
  },
);

persistentTest(
  "Migrator.up() runs each migration's effects once when processes race on a slow set",
  async ({ url }) => {
    await using set = await tempSet(LEDGER_SET);
    const runs = await Promise.all(
      Array.from(
        { length: 3 },
        () => runMigrate(["up", "--db", url, "--dir", set.dir]),
      ),
    );
    assertAllSucceeded(runs);
    for (const version of [1, 2, 3]) {
      assert.equal(appliedLines(runs, version), 1);
    }
    assert.deepEqual(
      (await sqlQuery(url, "SELECT version FROM ledger ORDER BY version")).map((
        r,
      ) => Number(r.version)),
      [1, 2, 3],
    );
    assert.deepEqual(
      await sqlQuery(url, "SELECT COUNT(*) AS n FROM filler").then((r) =>
        Number(r[0]!.n)
      ),
      300_000,
    );
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"], [
      2,
      "applied",
    ], [3, "applied"]]);
  },
);

/** The SQLite file behind a `sqlite:<path>[?params]` URL. */
function sqlitePath(url: string): string {
  assert.match(url, /^sqlite:/);
  return url.slice("sqlite:".length).split("?")[0]!;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return 0;
  }
}

// SQLite files only: the test watches the WAL and checks the file with PRAGMA integrity_check.
for (const target of PERSISTENT.filter((t) => t.name.startsWith("sqlite-"))) {
  Deno.test({
    name:
      `[${target.name}] Migrator.up() killed with SIGKILL mid-migration leaves the previous version`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      const path = sqlitePath(fresh.url);
      await using set = await tempSet({
        "0001_small.up.sql": "CREATE TABLE small (id INTEGER PRIMARY KEY);\n",
        "0001_small.down.sql": "DROP TABLE small;\n",
        "0002_big.up.sql":
          "CREATE TABLE big (n INTEGER NOT NULL, pad TEXT NOT NULL);\n" +
          "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000) " +
          "INSERT INTO big (n, pad) SELECT n, hex(randomblob(16)) FROM c;\n",
        "0002_big.down.sql": "DROP TABLE big;\n",
      });
      const args = ["up", "--db", fresh.url, "--dir", set.dir];
      const child = spawnMigrate(args);
      const reader = () => new DatabaseSync(path, { readOnly: true });
      // In the middle of 0002: 0001 is committed and 0002's uncommitted pages spill into the WAL.
      const deadline = Date.now() + 20_000;
      for (;;) {
        assert.ok(Date.now() < deadline, "the migration never got under way");
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (await fileSize(`${path}-wal`) < 2_000_000) continue;
        const db = reader();
        try {
          const rows = db.prepare("SELECT version FROM impulse_migrations")
            .all();
          if (rows.length === 1) break;
        } catch {
          // The tracking table is not committed yet.
        } finally {
          db.close();
        }
      }
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL");
      await child.stdout.cancel();
      await child.stderr.cancel();

      const db = new DatabaseSync(path);
      try {
        assert.deepEqual(
          db.prepare("PRAGMA integrity_check").all().map((r) => ({ ...r })),
          [{ integrity_check: "ok" }],
        );
        assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
        assert.deepEqual(
          db.prepare(
            "SELECT version, status FROM impulse_migrations ORDER BY version",
          ).all().map((r) => ({ ...r })),
          [{ version: 1, status: "applied" }],
        );
        assert.equal(
          db.prepare("SELECT name FROM sqlite_schema WHERE name = 'big'").get(),
          undefined,
        );
      } finally {
        db.close();
      }
      const rerun = await runMigrate(args);
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.match(rerun.stdout, /applied +0002 big/);
      assert.deepEqual(await trackedVersions(fresh.url, "app"), [
        [1, "applied"],
        [2, "applied"],
      ]);
      assert.deepEqual(
        await sqlQuery(fresh.url, "SELECT COUNT(*) AS n FROM big"),
        [{ n: 1_000_000 }],
      );
    },
  });
}
