/**
 * Errors never carry what was bound or stored: whatever fails (a taken name, a counter that
 * would overflow, a missing reference, a value the database refuses), neither the message, the
 * stack, an inspection with every cause, the JSON nor any own property down the cause chain
 * holds a password hash, a real name, a message body or any other value of the row or the
 * statement. The promise of README "Errors" and docs/guarantees.md "Secrets never stored or
 * shown in clear", on every target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseError, StorageError } from "../mod.ts";
import { connect } from "../src/connect.ts";
import { sql } from "../src/driver.ts";
import type { Connection, Queryable } from "../src/driver.ts";
import { openOptions, parse } from "../src/validate.ts";
import { conformance, type Target, TARGETS } from "./_targets.ts";
import { tempSet } from "./_migrate.ts";
import { openMigrator } from "../src/migrate/mod.ts";

const MAX = Number.MAX_SAFE_INTEGER;

/** Values that must never be shown: each is unique enough not to appear by chance. */
const CANARY = {
  hash: "$scrypt$ln=15,r=8,p=1$SALTCANARY$HASHCANARY",
  realName: "Realname Canary",
  location: "Locationcanary City",
  note: "Notecanary about the user",
  subject: "Subjectcanary",
  body: "Bodycanary text of a message",
  description: "Descriptioncanary of a file",
  activity: "Activitycanary",
};

/**
 * Everything a log or a caller could see of an error: its text, stack, inspection (hidden
 * properties and every cause included), JSON, and every own property of it and of each cause.
 */
export function exposed(error: unknown): string {
  const parts: string[] = [
    String(error),
    Deno.inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify(error) ?? "",
  ];
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === "object" && e !== null;) {
    if (seen.has(e)) break;
    seen.add(e);
    for (const key of Reflect.ownKeys(e)) {
      const value = (e as Record<PropertyKey, unknown>)[key];
      parts.push(
        `${String(key)}=${
          typeof value === "object"
            ? Deno.inspect(value, { depth: Infinity, showHidden: true })
            : String(value)
        }`,
      );
    }
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join("\n");
}

/** Fails when `error` is not a `StorageError` of `kind` or shows any of `secrets`. */
function assertSafe(
  error: unknown,
  kind: string,
  secrets: readonly string[],
  what: string,
): void {
  assert.ok(error instanceof StorageError, `${what}: ${error}`);
  assert.equal(error.kind, kind, `${what}: ${error.message}`);
  const text = exposed(error);
  for (const secret of secrets) {
    assert.ok(
      !text.includes(secret),
      `${what} shows "${secret}":\n${text}`,
    );
  }
  for (let e: unknown = error.cause; e !== undefined; e = (e as Error).cause) {
    assert.ok(
      e instanceof StorageError || e instanceof DatabaseError,
      `${what}: a cause is neither a StorageError nor a DatabaseError: ${e}`,
    );
  }
}

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  assert.fail(`expected a failure: ${work}`);
}

conformance(
  "failing operations show no hash, name or text of the row or the call (counters, conflicts, references)",
  async (s) => {
    const secrets = Object.values(CANARY);
    const victim = await s.users.create({
      username: "victim",
      passwordHash: CANARY.hash,
      realName: CANARY.realName,
      location: CANARY.location,
      note: CANARY.note,
    });
    const area = await s.messageAreas.create({ tag: "GEN", name: "General" });
    const files = await s.fileAreas.create({ tag: "UP", name: "Uploads" });
    const file = await s.files.add({
      areaId: files.id,
      filename: "a.zip",
      size: 1,
      description: CANARY.description,
    });
    const cases: [string, string, () => Promise<unknown>][] = [
      ["a taken username", "conflict", () =>
        s.users.create({
          username: "VICTIM",
          passwordHash: CANARY.hash,
          realName: CANARY.realName,
        })],
      ["a rename to a taken username", "conflict", async () => {
        const other = await s.users.create({
          username: "other",
          passwordHash: "h",
        });
        await s.users.update(other.id, {
          username: "Victim",
          passwordHash: CANARY.hash,
          realName: CANARY.realName,
        });
      }],
      ["users.incrementStats past 2^53-1", "constraint", async () => {
        await s.users.incrementStats(victim.id, { logins: MAX });
        await s.users.incrementStats(victim.id, { logins: 1 });
      }],
      [
        "users.recordLogin past 2^53-1",
        "constraint",
        () => s.users.recordLogin(victim.id),
      ],
      ["messages.post past 2^53-1 posts", "constraint", async () => {
        await s.users.incrementStats(victim.id, { posts: MAX });
        await s.messages.post({
          areaId: area.id,
          fromUserId: victim.id,
          subject: CANARY.subject,
          body: CANARY.body,
        });
      }],
      ["files.add past 2^53-1 uploads", "constraint", async () => {
        await s.users.incrementStats(victim.id, { uploads: MAX });
        await s.files.add({
          areaId: files.id,
          filename: "b.zip",
          size: 1,
          uploaderId: victim.id,
          description: CANARY.description,
        });
      }],
      ["files.recordDownload past 2^53-1 bytes", "constraint", async () => {
        await s.users.incrementStats(victim.id, { downloadBytes: MAX });
        await s.files.recordDownload(file.id, victim.id);
      }],
      [
        "users.recordLogin past 2^53-1 in a transaction",
        "constraint",
        () =>
          s.transaction(async (tx) => {
            await tx.users.update(victim.id, { realName: CANARY.realName });
            await tx.users.recordLogin(victim.id);
          }),
      ],
      ["a message to a missing area", "constraint", () =>
        s.messages.post({
          areaId: area.id + 99,
          fromUserId: victim.id,
          subject: CANARY.subject,
          body: CANARY.body,
        })],
      ["a session of a missing user", "constraint", () =>
        s.sessions.create({
          userId: victim.id + 99,
          ipAddress: "192.0.2.1",
          activity: CANARY.activity,
        })],
    ];
    for (const [what, kind, work] of cases) {
      assertSafe(await failure(work), kind, secrets, what);
    }
    const { token } = await s.sessions.create({
      userId: victim.id,
      ipAddress: "192.0.2.1",
      node: 7,
    });
    const taken = await failure(() =>
      s.sessions.create({
        userId: victim.id,
        ipAddress: "192.0.2.1",
        node: 7,
        activity: CANARY.activity,
      })
    );
    const tokenHash = await sha256Hex(token);
    assertSafe(
      taken,
      "conflict",
      [...secrets, token, tokenHash],
      "a node in use",
    );
  },
);

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** A table with every kind of rule, in each dialect. */
const TABLES: Record<string, string[]> = {
  postgres: [
    "CREATE TABLE leak_parent (id integer PRIMARY KEY)",
    `CREATE TABLE leak (id integer PRIMARY KEY, n integer CHECK (n < 10),
      name varchar(8) NOT NULL UNIQUE, secret text, parent integer REFERENCES leak_parent (id))`,
  ],
  sqlite: [
    "CREATE TABLE leak_parent (id INTEGER PRIMARY KEY)",
    `CREATE TABLE leak (id INTEGER PRIMARY KEY, n INTEGER CHECK (n < 10),
      name TEXT NOT NULL UNIQUE CHECK (length(name) <= 8), secret TEXT,
      parent INTEGER REFERENCES leak_parent (id)) STRICT`,
  ],
};

const INSERT = sql(
  "leak.insert",
  "INSERT INTO leak (id, n, name, secret, parent) VALUES (?, ?, ?, ?, ?)",
  true,
);

/** Row values that break each rule, with the kind each dialect reports; each holds canaries. */
const BREAKS: {
  what: string;
  row: unknown[];
  kinds: Record<string, string>;
}[] = [
  {
    what: "a unique value taken",
    row: [2, 1, "K9Q7Z3X1", "SECRETUNIQUE", null],
    kinds: { postgres: "conflict", sqlite: "conflict" },
  },
  {
    what: "a check broken",
    row: [3, 11, "CHECKNM1", "SECRETCHECK", null],
    kinds: { postgres: "constraint", sqlite: "constraint" },
  },
  {
    what: "a null in a not-null column",
    row: [4, 1, null, "SECRETNOTNULL", null],
    kinds: { postgres: "constraint", sqlite: "constraint" },
  },
  {
    what: "a missing reference",
    row: [5, 1, "FKNAME01", "SECRETFK", 424242],
    kinds: { postgres: "constraint", sqlite: "constraint" },
  },
  {
    what: "a number out of range for its column",
    row: [6, 98765432109, "RANGENM1", "SECRETRANGE", null],
    kinds: { postgres: "constraint", sqlite: "constraint" },
  },
  {
    what: "text that is not a number",
    row: [7, "SECRETNOTANUMBER", "INPUTNM1", "SECRETINPUT", null],
    kinds: { postgres: "internal", sqlite: "constraint" },
  },
  {
    what: "a value too long for its column",
    row: [8, 1, "SECRETTOOLONGNAME", "SECRETLONG", null],
    kinds: { postgres: "internal", sqlite: "constraint" },
  },
  {
    what: "a NUL character",
    row: [9, 1, "NULNAME1", "SECRET\0NULTEXT", null],
    kinds: { postgres: "internal" },
  },
];

/** The canaries of a row: its texts, and its numbers above 1000. */
function canaries(row: unknown[]): string[] {
  return row.flatMap((value) =>
    typeof value === "string"
      ? value.split("\0")
      : typeof value === "number" && value > 1000
      ? [String(value)]
      : []
  ).filter((text) => text.length >= 6);
}

async function breakRules(
  connection: Connection,
  run: (q: Queryable, row: unknown[]) => Promise<unknown>,
  label: string,
): Promise<number> {
  let failed = 0;
  for (const { what, row, kinds } of BREAKS) {
    const kind = kinds[connection.dialect];
    let error: unknown;
    try {
      await run(connection.root, row);
    } catch (e) {
      error = e;
    }
    if (kind === undefined) continue;
    assert.ok(error !== undefined, `${label}: ${what} was accepted`);
    assertSafe(error, kind, canaries(row), `${label}: ${what}`);
    const cause = (error as StorageError).cause;
    assert.ok(
      cause instanceof DatabaseError && cause.code !== undefined,
      `${label}: ${what}: the cause keeps the database's code: ${cause}`,
    );
    failed++;
  }
  return failed;
}

for (const target of TARGETS) {
  Deno.test({
    name:
      `[${target.name}] the driver's errors show no bound value or row, in and out of transactions`,
    ignore: target.ignore !== undefined,
    fn: () => driverErrors(target),
  });
}

async function driverErrors(target: Target): Promise<void> {
  await using fresh = await target.fresh();
  const connection = await connect(
    fresh.url,
    parse(openOptions, { migrate: "off" }, "options", "test"),
  );
  try {
    for (const text of TABLES[connection.dialect]!) {
      await connection.root.run(sql("leak.ddl", text, true), []);
    }
    await connection.root.run(INSERT, [1, 1, "K9Q7Z3X1", "first", null]);
    const plain = await breakRules(
      connection,
      async (q, row) => await q.run(INSERT, row),
      "a statement",
    );
    const inTx = await breakRules(
      connection,
      (_, row) =>
        connection.transaction(async (tx) => await tx.run(INSERT, row)),
      "a transaction",
    );
    const expected = BREAKS.filter((b) => connection.dialect in b.kinds).length;
    assert.equal(plain, expected);
    assert.equal(inTx, expected);
  } finally {
    await connection.close();
  }
}

/**
 * Up scripts that fail, each holding literals that must not be shown: a statement SQLite and
 * PostgreSQL refuse after others ran, and syntax errors at a literal and in an unterminated one.
 */
const FAILING_SCRIPTS: readonly { what: string; up: string }[] = [
  {
    what: "a table created twice",
    up: "CREATE TABLE cfg (k TEXT, v TEXT);\nCREATE TABLE cfg (x TEXT);\n" +
      "INSERT INTO cfg VALUES ('smtp_password', 'hunter2-SECRETLIT');\n",
  },
  {
    what: "a syntax error at a literal",
    up: "CREATE TABLE cfg (k TEXT, v TEXT);\n" +
      "INSERT INTO cfg VALUES ('smtp_password' 'hunter2-SECRETLIT');\n",
  },
  {
    what: "an unterminated literal",
    up: "CREATE TABLE cfg (k TEXT, v TEXT);\n" +
      "INSERT INTO cfg VALUES ('smtp_password', 'hunter2-SECRETLIT);\n",
  },
];

for (const target of TARGETS) {
  Deno.test({
    name:
      `[${target.name}] a failed migration step's error shows none of its SQL text or literals`,
    ignore: target.ignore !== undefined,
    async fn() {
      for (const { what, up } of FAILING_SCRIPTS) {
        await using fresh = await target.fresh();
        await using set = await tempSet({
          "0001_cfg.up.sql": up,
          "0001_cfg.down.sql": "DROP TABLE cfg;\n",
        });
        await using migrator = await openMigrator(fresh.url, { dir: set.dir });
        const error = await failure(() => migrator.up());
        assertSafe(
          error,
          "migration",
          ["hunter2", "SECRETLIT", "smtp_password", "INSERT", "CREATE TABLE"],
          what,
        );
        assert.equal((error as StorageError).version, 1, what);
        assert.match(
          (error as StorageError).message,
          /^Migration 1 \(cfg\) failed up: /,
          what,
        );
      }
    },
  });
}
