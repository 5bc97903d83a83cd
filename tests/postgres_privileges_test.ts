/**
 * Least privilege on PostgreSQL: a role with only SELECT, INSERT, UPDATE and DELETE on the
 * tables opens a migrated database with `migrate: "check"`, runs every operation, and reads the
 * migration status (API and CLI), none of which runs DDL; a missing grant is a `forbidden` error
 * naming the privilege and the object.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { everyOperation } from "./_scenario.ts";
import {
  createDatabase,
  createRole,
  postgresMissing,
  rawClient,
  type TestDatabase,
} from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

/** What the least-privilege role of these tests is granted: data access, no DDL. */
const DATA_ONLY = [
  "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %ROLE%",
];

async function migrated(): Promise<TestDatabase> {
  const db = await createDatabase();
  await (await openStorage(db.url)).close();
  return db;
}

async function schemaOf(url: string): Promise<string[]> {
  const sql = rawClient(url);
  try {
    const rows = await sql`SELECT table_name || '.' || column_name AS c
      FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`;
    return rows.map((row) => String(row.c));
  } finally {
    await sql.end();
  }
}

function assertForbidden(error: unknown, ...words: RegExp[]): void {
  assert.ok(
    error instanceof StorageError && error.kind === "forbidden",
    String(error),
  );
  for (const word of words) assert.match(error.message, word);
}

Deno.test({
  name:
    '[postgres] a role with only SELECT, INSERT, UPDATE and DELETE opens with migrate: "check" and runs every operation',
  ignore,
  async fn() {
    await using db = await migrated();
    const before = await schemaOf(db.url);
    await using role = await createRole(db, DATA_ONLY);
    {
      await using s = await openStorage(role.url, { migrate: "check" });
      await everyOperation(s);
      await s.transaction(async (tx) => {
        const user = await tx.users.create({
          username: "tx",
          passwordHash: "h",
        });
        await tx.users.recordLogin(user.id);
        await tx.messages.post({
          areaId: 1,
          fromUserId: user.id,
          subject: "s",
          body: "b",
        });
      });
    }
    // The default, migrate: "up", only reads too on a current database.
    await (await openStorage(role.url)).close();
    await using migrator = await openMigrator(role.url);
    const status = await migrator.status();
    assert.ok(status.length > 0);
    assert.ok(status.every((line) => line.state === "applied"));
    assert.deepEqual(await schemaOf(db.url), before, "no DDL ran");
  },
});

Deno.test({
  name:
    "[postgres] `migrate status` as a role without DDL rights reports the schema without changing it",
  ignore,
  async fn() {
    await using db = await migrated();
    await using role = await createRole(db, DATA_ONLY);
    const cli = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../src/cli/mod.ts", import.meta.url).pathname,
        "migrate",
        "status",
        "--exit-code",
        "--db",
        role.url,
      ],
      stdout: "piped",
      stderr: "piped",
    });
    const { code, stdout, stderr } = await cli.output();
    const out = new TextDecoder().decode(stdout) +
      new TextDecoder().decode(stderr);
    assert.equal(code, 0, out);
    assert.match(out, /applied/);
    assert.doesNotMatch(out, /pending|forbidden|internal/i);
  },
});

Deno.test({
  name:
    "[postgres] a missing grant is a forbidden error naming the privilege and the object, at the top level and in a transaction",
  ignore,
  async fn() {
    await using db = await migrated();
    await using role = await createRole(db, [
      ...DATA_ONLY,
      "REVOKE UPDATE ON users FROM %ROLE%",
      "REVOKE INSERT ON messages FROM %ROLE%",
    ]);
    await using s = await openStorage(role.url, { migrate: "check" });
    const user = await s.users.create({ username: "a", passwordHash: "h" });
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    assertForbidden(
      await s.users.incrementStats(user.id, { logins: 1 }).catch((e) => e),
      /UPDATE/,
      /table users/,
      /GRANT SELECT, UPDATE ON TABLE users TO impulse_role_/,
    );
    const post = { areaId: area.id, fromName: "x", subject: "s", body: "b" };
    assertForbidden(
      await s.messages.post(post).catch((e) => e),
      /INSERT/,
      /table messages/,
    );
    const inside = await s.transaction(async (tx) => {
      const error = await tx.messages.post(post).catch((e) => e);
      // The transaction goes on after the refused operation.
      await tx.users.create({ username: "b", passwordHash: "h" });
      return error;
    });
    assertForbidden(inside, /INSERT/, /table messages/);
    assert.ok(await s.users.findByUsername("b"));
  },
});

Deno.test({
  name:
    '[postgres] without SELECT on the tracking table, migrate: "check" and status fail as forbidden, naming it',
  ignore,
  async fn() {
    await using db = await migrated();
    await using role = await createRole(db, [
      ...DATA_ONLY,
      "REVOKE SELECT ON impulse_migrations FROM %ROLE%",
    ]);
    assertForbidden(
      await openStorage(role.url, { migrate: "check" }).catch((e) => e),
      /SELECT on table impulse_migrations/,
    );
    await using migrator = await openMigrator(role.url);
    assertForbidden(
      await migrator.status().catch((e) => e),
      /SELECT on table impulse_migrations/,
    );
  },
});

Deno.test({
  name:
    "[postgres] migrating as a role without CREATE on the schema is refused naming the privilege",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using role = await createRole(db, []);
    assertForbidden(
      await openStorage(role.url).catch((e) => e),
      /CREATE on schema public/,
      /GRANT CREATE ON SCHEMA public TO impulse_role_/,
    );
  },
});

Deno.test({
  name:
    "[postgres] a row lock refused for want of UPDATE is a forbidden error naming UPDATE, whose GRANT lets the operation run",
  ignore,
  async fn() {
    await using db = await migrated();
    // SELECT on users is kept: only the UPDATE that locking its rows needs is missing.
    await using role = await createRole(db, [
      ...DATA_ONLY,
      "REVOKE UPDATE ON users FROM %ROLE%",
    ]);
    await using s = await openStorage(role.url, { migrate: "check" });
    const user = await s.users.create({ username: "a", passwordHash: "h" });
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const post = () =>
      s.messages.post({
        areaId: area.id,
        fromUserId: user.id,
        subject: "s",
        body: "b",
      });
    const error = await post().catch((e) => e);
    assertForbidden(
      error,
      /needs SELECT and UPDATE on table users/,
      /GRANT SELECT, UPDATE ON TABLE users TO impulse_role_/,
    );
    // The GRANT the message names is what the role lacked: with it, the operation runs.
    const grant = /GRANT [^:]*? TO impulse_role_\w+/.exec(error.message)![0];
    const admin = rawClient(db.url);
    try {
      await admin.unsafe(grant);
    } finally {
      await admin.end();
    }
    assert.equal((await post()).fromUserId, user.id);
  },
});
