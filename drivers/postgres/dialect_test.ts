import assert from "node:assert/strict";
import { StorageError } from "../../src/errors.ts";
import * as V from "../../src/validate.ts";
import { parsePostgresUrl, tlsSettings, toDollar } from "./dialect.ts";
import {
  connectionFailure,
  isRetryable,
  kindOf,
  toStorageError,
} from "./errors.ts";

const defaults = V.parse(V.openOptions, undefined, "options", "test");

Deno.test("toDollar() numbers placeholders and leaves quoted and commented ? alone", () => {
  assert.equal(
    toDollar(
      `SELECT '?', "a?b", x FROM t WHERE a = ? AND b > ? -- ?\n LIMIT ? /* ? */`,
    ),
    `SELECT '?', "a?b", x FROM t WHERE a = $1 AND b > $2 -- ?\n LIMIT $3 /* ? */`,
  );
});

Deno.test("parsePostgresUrl() reads credentials, database and pool parameters", async () => {
  const s = await parsePostgresUrl(
    "postgresql://bbs:p%40ss@db.example:6543/board?poolSize=3&idleTimeoutMs=0&application_name=node1",
    { ...defaults, postgres: { poolSize: 7, connectTimeoutMs: 1234 } },
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

Deno.test("tlsSettings() verifies certificates in every TLS mode", async () => {
  assert.equal(await tlsSettings("disable", null), false);
  assert.deepEqual(await tlsSettings("require", null), {
    rejectUnauthorized: true,
  });
  assert.deepEqual(await tlsSettings("verify-full", "system"), {
    rejectUnauthorized: true,
  });
  const ca = await tlsSettings("verify-ca", null);
  assert.ok(
    ca !== false && ca.rejectUnauthorized === true && ca.checkServerIdentity,
  );
  await assert.rejects(
    tlsSettings("require", "/nonexistent/root.crt"),
    /sslrootcert/,
  );
});

Deno.test("kindOf() maps SQLSTATEs onto kinds", () => {
  assert.equal(kindOf("23505"), "conflict");
  for (const code of ["23503", "23502", "23514"]) {
    assert.equal(kindOf(code), "constraint");
  }
  for (
    const code of [
      "40001",
      "40P01",
      "57P01",
      "08006",
      "53300",
      "3D000",
      "28P01",
    ]
  ) {
    assert.equal(kindOf(code), "unavailable");
  }
  assert.equal(kindOf("55P03"), "timeout");
  assert.equal(kindOf("42P01"), "migration");
  assert.equal(kindOf("42703"), "migration");
});

Deno.test("connectionFailure() tells unsent, fatal and broken failures apart", () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(connectionFailure(coded("ECONNREFUSED")), "before");
  assert.equal(connectionFailure(coded("CONNECT_TIMEOUT")), "before");
  assert.equal(connectionFailure(coded("28P01")), "fatal");
  assert.equal(connectionFailure(coded("3D000")), "fatal");
  assert.equal(connectionFailure(coded("CONNECTION_CLOSED")), "broken");
  assert.equal(connectionFailure(coded("57P01")), "broken");
  assert.equal(connectionFailure(coded("23505")), "none");
  const wrapped = toStorageError(coded("40P01"), "users.insert", "h:5432/db");
  assert.ok(isRetryable(wrapped));
  assert.equal(wrapped.kind, "unavailable");
  assert.match(
    toStorageError(coded("ECONNREFUSED"), "open", "h:5432/db").message,
    /h:5432\/db/,
  );
});
