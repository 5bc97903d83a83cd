import assert from "node:assert/strict";
import { StorageError } from "../../driver.ts";
import type { PostgresConnectOptions } from "./options.ts";
import { parsePostgresUrl } from "./url.ts";

const defaults: PostgresConnectOptions = {
  migrate: "up",
  create: true,
  acquireTimeoutMs: 5000,
  retry: { attempts: 100, baseDelayMs: 5, maxDelayMs: 50 },
};

/** Asserts that `url` is refused as `validation` naming `field`, without showing `hidden`. */
async function refused(
  url: string,
  field: string,
  says: RegExp,
  hidden?: string,
): Promise<void> {
  await assert.rejects(parsePostgresUrl(url, defaults), (error) => {
    assert.ok(
      error instanceof StorageError && error.kind === "validation",
      `${url}: ${error}`,
    );
    assert.equal(error.field, field, `${url}: ${error.message}`);
    assert.match(error.message, says, url);
    assert.ok(
      [...error.message].every((c) => c >= " " && (c < "\x7f" || c > "\x9f")),
      `${url}: the message shows a control character`,
    );
    if (hidden !== undefined) {
      assert.ok(!error.message.includes(hidden), `${url}: ${error.message}`);
    }
    return true;
  });
}

Deno.test("parsePostgresUrl() reads credentials, database and pool parameters", async () => {
  const s = await parsePostgresUrl(
    "postgresql://bbs:p%40ss@db.example:6543/board?poolSize=3&idleTimeoutMs=0&application_name=node1",
    { ...defaults, driver: { poolSize: 7, connectTimeoutMs: 1234 } },
  );
  assert.equal(s.host, "db.example");
  assert.equal(s.port, 6543);
  assert.equal(s.user, "bbs");
  assert.equal(s.password, "p@ss");
  assert.equal(s.database, "board");
  assert.equal(s.poolSize, 3, "the URL wins over the option");
  assert.equal(s.connectTimeoutMs, 1234);
  assert.equal(s.idleTimeoutMs, 0);
  assert.equal(s.acquireTimeoutMs, 5000);
  assert.equal(s.applicationName, "node1");
  assert.equal(s.where, "db.example:6543/board");
  assert.ok(!s.where.includes("p@ss"));
  assert.equal(s.tls, false);
  const legacy = await parsePostgresUrl(
    "postgres://h/db?connect_timeout=2",
    defaults,
  );
  assert.equal(legacy.connectTimeoutMs, 2000);
});

Deno.test("parsePostgresUrl() refuses unknown parameters and bad values, naming them", async () => {
  for (
    const [url, field] of [
      ["postgres://h/db?pool_size=3", "url.pool_size"],
      ["postgres://h/db?poolSize=0", "url.poolSize"],
      ["postgres://h/db?acquireTimeoutMs=soon", "url.acquireTimeoutMs"],
      ["postgres://h/db?sslmode=prefer", "url.sslmode"],
      ["postgres://h/db?sslmode=allow", "url.sslmode"],
    ]
  ) {
    await assert.rejects(parsePostgresUrl(url!, defaults), (error) => {
      assert.ok(error instanceof StorageError && error.kind === "validation");
      assert.equal(error.field, field);
      return true;
    });
  }
});

Deno.test("parsePostgresUrl() refuses control characters in every part, naming the part, never showing it", async () => {
  for (const c of ["%00", "%0A", "%1B", "%7F", "%C2%85"]) {
    await refused(`postgres://post${c}gres@h/db`, "url", /in its user name/);
    await refused(`postgres://u:pa${c}ss@h/db`, "url", /in its password/);
    await refused(`postgres://u@h/da${c}ta`, "url", /in its database/);
    await refused(`postgres://u@h${c}x/db`, "url", /in its host/);
    await refused(
      `postgres://u@h/db?application_name=a${c}b`,
      "url.application_name",
      /application_name holds a control character/,
    );
    await refused(
      `postgres://u@h/db?sslrootcert=/tmp/a${c}b`,
      "url.sslrootcert",
      /control character/,
    );
  }
  await refused(
    "postgres://u:secret%00canary@h/db",
    "url",
    /password/,
    "canary",
  );
});

Deno.test("parsePostgresUrl() refuses names longer than PostgreSQL keeps (63 bytes)", async () => {
  const long = "n".repeat(64);
  await refused(`postgres://${long}@h/db`, "url", /user name of 64 bytes/);
  await refused(`postgres://u@h/${long}`, "url", /database of 64 bytes/);
  await refused(
    `postgres://u@h/db?application_name=${"a".repeat(10_000)}`,
    "url.application_name",
    /application_name of 10000 bytes/,
  );
  // 32 two-byte characters are 64 bytes.
  await refused(
    `postgres://u@h/${encodeURIComponent("é".repeat(32))}`,
    "url",
    /database of 64 bytes/,
  );
  const fits = await parsePostgresUrl(
    `postgres://${"u".repeat(63)}@h/${"d".repeat(63)}?application_name=${
      "a".repeat(63)
    }`,
    defaults,
  );
  assert.equal(fits.user.length, 63);
  assert.equal(fits.database.length, 63);
  assert.equal(fits.applicationName.length, 63);
});

Deno.test("parsePostgresUrl() refuses odd forms: no //, several hosts, port 0, fragments, paths, repeated or non-digit numbers", async () => {
  await refused(
    "postgres:postgres",
    "url",
    /does not start with postgres:\/\//,
  );
  await refused("postgresql:u@h/db", "url", /does not start with/);
  await refused("postgres://h1,h2/db", "url", /several hosts/);
  await refused("postgres://u@h1:5432,h2:5433/db", "url", /malformed|several/);
  await refused(
    "postgres://h:0/db",
    "url",
    /port 0: use a port from 1 to 65535/,
  );
  await refused("postgres://h:65536/db", "url", /malformed/);
  await refused("postgres://u:p#w@h/db", "url", /"#"/, "p#w");
  await refused("postgres://h/db/more", "url", /more than one segment/);
  for (
    const value of ["1e3", "0x10", " 5", "+5", "5.0", "", "10000000000000000"]
  ) {
    await refused(
      `postgres://h/db?poolSize=${encodeURIComponent(value)}`,
      "url.poolSize",
      /integer from 1 to 1000, written in digits/,
    );
  }
  await refused(
    "postgres://h/db?poolSize=2&poolSize=3",
    "url.poolSize",
    /given more than once/,
  );
  await refused(
    "postgres://h/db?statementTimeoutMs=0",
    "url.statementTimeoutMs",
    /from 1 to 86400000/,
  );
  const ok = await parsePostgresUrl(
    "POSTGRES://u@h:1/db?poolSize=007&statementTimeoutMs=1500",
    defaults,
  );
  assert.equal(ok.port, 1);
  assert.equal(ok.poolSize, 7);
  assert.equal(ok.statementTimeoutMs, 1500);
  assert.equal((await parsePostgresUrl("postgres://h/db", defaults)).port, 0);
});

Deno.test("parsePostgresUrl() refuses a malformed % escape in a parameter, and one that is not UTF-8, naming it", async () => {
  const hidden = "Sw0rdfish";
  for (
    const escape of ["%ZZ", "%", "a%2", "%FF", "%C3", "%C0%80", "%ED%A0%80"]
  ) {
    await refused(
      `postgres://h/db?application_name=${hidden}${escape}`,
      "url.application_name",
      /malformed percent-escape in parameter application_name/,
      hidden,
    );
    await refused(
      `postgres://h/db?sslmode=${hidden}${escape}`,
      "url.sslmode",
      /malformed percent-escape in parameter sslmode/,
      hidden,
    );
    await refused(
      `postgres://h/db?pool${escape}Size=3`,
      "url",
      /malformed percent-escape in the name of a parameter/,
    );
  }
  const ok = await parsePostgresUrl(
    "postgres://h/db?application_name=n%C3%A4me+1%2B%25",
    defaults,
  );
  assert.equal(ok.applicationName, "näme 1+%");
});
