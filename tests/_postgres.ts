/**
 * The PostgreSQL server of the test suites: `IMPULSE_TEST_POSTGRES_URL`, by default
 * `postgres://postgres@127.0.0.1:5432/test`. Each test works in a database of its own, created
 * here and dropped after. When the server does not answer, the PostgreSQL suites are ignored
 * (one line says how to enable them), except under `CI=true`, where that fails the run.
 *
 * @module
 */
import postgres from "postgres";
import { redactUrl } from "../src/redact.ts";

/** The server the tests use; its database is only used to create and drop others. */
export const POSTGRES_URL = Deno.env.get("IMPULSE_TEST_POSTGRES_URL") ||
  "postgres://postgres@127.0.0.1:5432/test";

/** A raw postgres.js client on `url` (one connection), for test set-up and fault injection. */
export function rawClient(url = POSTGRES_URL): postgres.Sql {
  return postgres(url, {
    max: 1,
    onnotice: () => {},
    connect_timeout: 3,
    fetch_types: false,
    types: { bigint: postgres.BigInt },
  });
}

async function probe(): Promise<string | undefined> {
  const sql = rawClient();
  try {
    await sql`SELECT 1`;
    await dropOrphans(sql);
    return undefined;
  } catch (error) {
    const reason = `no PostgreSQL answers at ${redactUrl(POSTGRES_URL)}: ${
      (error as Error).message
    }`;
    if (Deno.env.get("CI") === "true") {
      throw new Error(`CI=true needs PostgreSQL, but ${reason}`);
    }
    const flag = Symbol.for("impulse.postgres.notice");
    const global = globalThis as Record<symbol, unknown>;
    if (!global[flag]) {
      global[flag] = true;
      console.warn(
        `PostgreSQL suites ignored: ${reason}: start a server or set IMPULSE_TEST_POSTGRES_URL to enable them`,
      );
    }
    return reason;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Drops the test databases of test processes of this machine that ended without dropping them
 * (killed, or failed before their clean-up): their names carry the process id.
 */
async function dropOrphans(sql: postgres.Sql): Promise<void> {
  const host = new URL(POSTGRES_URL).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", ""].includes(host)) return;
  const rows =
    await sql`SELECT datname FROM pg_database WHERE datname LIKE 'impulse%'`;
  for (const { datname } of rows) {
    const pid = /^impulse_[a-z]+_(\d+)_\d+_[0-9a-f]{6}$/.exec(datname)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    await sql.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(
      () => {},
    );
  }
  const roles =
    await sql`SELECT rolname FROM pg_roles WHERE rolname LIKE 'impulse_role_%'`;
  for (const { rolname } of roles) {
    const pid = /^impulse_role_(\d+)_/.exec(rolname)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    // Its grants went with its databases; a role still holding some stays until they go.
    await sql.unsafe(`DROP ROLE IF EXISTS "${rolname}"`).catch(() => {});
  }
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

/** Why the PostgreSQL suites cannot run here, or `undefined` when they can. */
export const postgresMissing: string | undefined = await probe();

let counter = 0;

/** A database created for one test; dropped on dispose. */
export interface TestDatabase {
  /** Its name. */
  name: string;
  /** Its URL (the server's URL with the database replaced). */
  url: string;
  /** Drops the database, ending its connections. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates a uniquely named, empty database on the test server.
 *
 * @param prefix The start of its name.
 * @param clauses Anything to add to `CREATE DATABASE` (a locale: `TEMPLATE template0 …`).
 * @returns The database; dispose of it to drop it (connections to it are ended).
 */
export async function createDatabase(
  prefix = "impulse_test",
  clauses = "",
): Promise<TestDatabase> {
  const name = `${prefix}_${Deno.pid}_${++counter}_${
    crypto.randomUUID().slice(0, 6)
  }`;
  const admin = rawClient();
  try {
    await admin.unsafe(`CREATE DATABASE "${name}" ${clauses}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async [Symbol.asyncDispose]() {
      const admin = rawClient();
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A login role created for one test; dropped on dispose. */
export interface TestRole {
  /** Its name. */
  name: string;
  /** The test database's URL, logging in as the role. */
  url: string;
  /** Revokes what it was granted in the database and drops the role. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Creates a login role (no superuser, no CREATEDB, no CREATEROLE) and runs `grants` in the test
 * database as its owner, with `%ROLE%` standing for the role's name.
 *
 * @param db The test database.
 * @param grants Statements like `GRANT SELECT ON ALL TABLES IN SCHEMA public TO %ROLE%`.
 * @returns The role; dispose of it before the database.
 */
export async function createRole(
  db: TestDatabase,
  grants: readonly string[],
): Promise<TestRole> {
  const name = `impulse_role_${Deno.pid}_${++counter}_${
    crypto.randomUUID().slice(0, 6)
  }`;
  const admin = rawClient();
  try {
    await admin.unsafe(`CREATE ROLE "${name}" LOGIN`);
  } finally {
    await admin.end();
  }
  const owner = rawClient(db.url);
  try {
    for (const grant of grants) {
      await owner.unsafe(grant.replaceAll("%ROLE%", `"${name}"`));
    }
  } finally {
    await owner.end();
  }
  const url = new URL(db.url);
  url.username = name;
  url.password = "";
  return {
    name,
    url: url.toString(),
    async [Symbol.asyncDispose]() {
      const owner = rawClient(db.url);
      try {
        await owner.unsafe(`DROP OWNED BY "${name}"`);
      } finally {
        await owner.end();
      }
      const admin = rawClient();
      try {
        // Its sessions end with it: the storage under test may still be closing.
        await admin.unsafe(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${name}'`,
        );
        await admin.unsafe(`DROP ROLE IF EXISTS "${name}"`);
      } finally {
        await admin.end();
      }
    },
  };
}
