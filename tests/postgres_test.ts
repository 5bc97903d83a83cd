import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { connect } from "../src/connect.ts";
import { sql } from "../src/driver.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { openOptions, parse } from "../src/validate.ts";
import { rejectsKind } from "./_assert.ts";
import {
  createDatabase,
  POSTGRES_URL,
  postgresMissing,
  rawClient,
} from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = password;
  return u.toString();
}

function assertNoSecret(error: unknown, secret: string): void {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    assert.ok(
      !e.message.includes(secret),
      `message leaks the password: ${e.message}`,
    );
    assert.ok(!String(e.stack).includes(secret), "stack leaks the password");
    assert.ok(
      !JSON.stringify(e).includes(secret),
      "a property leaks the password",
    );
  }
}

Deno.test({
  name:
    "[postgres] an exhausted pool ends a waiting call as timeout, saying so",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using s = await openStorage(db.url, {
      acquireTimeoutMs: 200,
      postgres: { poolSize: 1 },
    });
    const user = await s.users.create({ username: "a", passwordHash: "h" });
    const error = await s.transaction(async (tx) => {
      await tx.users.get(user.id);
      return await s.users.get(user.id).then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    assert.ok(
      error instanceof StorageError && error.kind === "timeout",
      String(error),
    );
    assert.match(
      error.message,
      /pooled connection.*all 1 connections of the pool are busy/,
    );
    assert.equal((await s.users.get(user.id))?.username, "a");
  },
});

Deno.test({
  name: "[postgres] no password appears in any error, message or stack",
  ignore,
  async fn() {
    const secret = "Sup3rSecretPw";
    const missing = new URL(withPassword(POSTGRES_URL, secret));
    missing.pathname = "/impulse_no_such_database";
    const error = await rejectsKind(
      openStorage(missing.toString()),
      "not_found",
    );
    assert.match(error.message, /does not exist/);
    assertNoSecret(error, secret);
    const refused = `postgres://postgres:${secret}@127.0.0.1:1/db`;
    const down = await rejectsKind(
      openStorage(refused, { retry: { attempts: 2 } }),
      "unavailable",
    );
    assert.match(down.message, /127\.0\.0\.1:1\/db/);
    assertNoSecret(down, secret);
    const bad = await rejectsKind(
      openStorage(`${refused}?poolSize=x`),
      "validation",
    );
    assertNoSecret(bad, secret);
  },
});

Deno.test({
  name:
    "[postgres] sslmode=require never falls back to an unverified or plain connection",
  ignore,
  async fn() {
    const ssl = rawClient();
    const on = (await ssl`SHOW ssl`)[0]!.ssl === "on";
    await ssl.end();
    const url = new URL(POSTGRES_URL);
    url.searchParams.set("sslmode", "require");
    // This server has TLS off, or a certificate nobody here trusts: both must fail.
    const error = await rejectsKind(
      openStorage(url.toString(), { retry: { attempts: 1 } }),
      "unavailable",
    );
    assert.match(error.message, /TLS/, `${on}: ${error.message}`);
  },
});

Deno.test({
  name: "[postgres] integers of every column come back as numbers",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using s = await openStorage(db.url);
    const user = await s.users.create({ username: "n", passwordHash: "h" });
    const max = Number.MAX_SAFE_INTEGER;
    const grown = await s.users.incrementStats(user.id, { uploadBytes: max });
    assert.equal(grown.stats.uploadBytes, max);
    assert.equal(typeof grown.id, "number");
    await rejectsKind(
      s.users.incrementStats(user.id, { uploadBytes: 1 }),
      "constraint",
    );
  },
});

Deno.test({
  name:
    "[postgres] the migration lock times out naming the backend that holds it",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const holder = rawClient(`${db.url}?application_name=lock-holder-test`);
    try {
      const pid = (await holder`SELECT pg_backend_pid() AS pid`)[0]!.pid;
      await holder`SELECT pg_advisory_lock(1229803596, 1)`;
      await using migrator = await openMigrator(db.url, { lockTimeoutMs: 300 });
      const error = await rejectsKind(migrator.up(), "timeout");
      assert.match(error.message, new RegExp(`backend pid ${pid}`));
      assert.match(error.message, /lock-holder-test/);
      await holder`SELECT pg_advisory_unlock(1229803596, 1)`;
      assert.equal((await migrator.up()).length, migrator.migrations.length);
    } finally {
      await holder.end();
    }
  },
});

Deno.test("importing the package loads postgres.js only through the driver's dynamic import", async () => {
  const root = new URL("../", import.meta.url);
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "mod.ts"],
    cwd: root.pathname,
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(stdout)) as {
    modules: {
      specifier: string;
      dependencies?: {
        specifier: string;
        code?: { specifier: string };
        isDynamic?: boolean;
      }[];
    }[];
  };
  const importers = (target: RegExp) =>
    graph.modules.flatMap((m) =>
      (m.dependencies ?? []).filter((d) =>
        target.test(d.code?.specifier ?? d.specifier)
      )
        .map((d) =>
          `${m.specifier.replace(root.href, "")}${
            d.isDynamic ? " (dynamic)" : ""
          }`
        )
    );
  assert.deepEqual(importers(/drivers\/postgres\/mod\.ts$/), [
    "src/builtin_drivers.ts (dynamic)",
  ]);
  assert.deepEqual(importers(/^(npm:\/?postgres|postgres$)/), [
    "drivers/postgres/client.ts",
  ]);
});

Deno.test({
  name:
    "[postgres] a reading command's connection is a read-only session: the server refuses a write on it",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const options = parse(openOptions, { migrate: "off" }, "options", "test");
    const connection = await connect(db.url, { ...options, readOnly: true });
    try {
      const probe = sql(
        "test.readOnlyProbe",
        "CREATE TABLE ro_probe (id int)",
        true,
      );
      await rejectsKind(
        () => Promise.resolve(connection.root.run(probe, [])),
        "unavailable",
      );
      const rows = await connection.root.all(sql("test.one", "SELECT 1"), []);
      assert.deepEqual([...rows], [[1]]);
    } finally {
      await connection.close();
    }
    const raw = rawClient(db.url);
    try {
      const [row] = await raw`SELECT to_regclass('ro_probe') IS NULL AS absent`;
      assert.equal(row?.absent, true);
    } finally {
      await raw.end();
    }
  },
});

Deno.test({
  name:
    "[postgres] opening a database that does not exist is not_found, naming it and what to do",
  ignore,
  async fn() {
    const u = new URL(POSTGRES_URL);
    u.pathname = `/impulse_missing_${crypto.randomUUID().slice(0, 8)}`;
    const url = u.toString();
    const name = u.pathname.slice(1);
    const opens: [string, () => Promise<unknown>][] = [
      ["create: false", () => openStorage(url, { create: false })],
      ['migrate: "check"', () => openStorage(url, { migrate: "check" })],
      ["the defaults", () => openStorage(url)],
      ["openMigrator", () => openMigrator(url)],
    ];
    for (const [what, open] of opens) {
      const error = await rejectsKind(open(), "not_found");
      assert.match(error.message, new RegExp(`${name}.*create it`), what);
    }
  },
});
