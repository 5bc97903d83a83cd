import assert from "node:assert/strict";
import { tlsSettings, toDollar } from "./dialect.ts";
import {
  connectionFailure,
  isRetryable,
  kindOf,
  toStorageError,
} from "./errors.ts";
import { safeMessage } from "./fault.ts";
import { neededPrivilege } from "./privileges.ts";

Deno.test("toDollar() numbers placeholders and leaves quoted and commented ? alone", () => {
  assert.equal(
    toDollar(
      `SELECT '?', "a?b", x FROM t WHERE a = ? AND b > ? -- ?\n LIMIT ? /* ? */`,
    ),
    `SELECT '?', "a?b", x FROM t WHERE a = $1 AND b > $2 -- ?\n LIMIT $3 /* ? */`,
  );
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
      "28P01",
    ]
  ) {
    assert.equal(kindOf(code), "unavailable");
  }
  assert.equal(kindOf("3D000"), "not_found");
  assert.equal(kindOf("55P03"), "timeout");
  assert.equal(
    kindOf("57014", "canceling statement due to statement timeout"),
    "timeout",
  );
  assert.equal(
    kindOf("57014", "canceling statement due to user request"),
    "unavailable",
  );
  assert.equal(kindOf("42P01"), "migration");
  assert.equal(kindOf("42703"), "migration");
});

Deno.test("safeMessage() keeps messages that name objects and replaces those that may quote a value", () => {
  const kept = 'duplicate key value violates unique constraint "users_key"';
  assert.equal(safeMessage("23505", kept), kept);
  assert.equal(
    safeMessage("22P02", 'invalid input syntax for type integer: "secret"'),
    "invalid text representation (a value is not valid input for its type)",
  );
  assert.equal(
    safeMessage(
      "22003",
      'value "123456789012" is out of range for type integer',
    ),
    "numeric value out of range",
  );
  assert.equal(safeMessage("22XYZ", "x: secret"), "data exception");
  assert.equal(safeMessage("P0001", "secret"), "raise exception");
  assert.equal(safeMessage("ZZ999", "secret"), "an error of SQLSTATE class ZZ");
  assert.equal(
    safeMessage("CONNECT_TIMEOUT", "write CONNECT_TIMEOUT h:1"),
    "write CONNECT_TIMEOUT h:1",
  );
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
  const wrapped = toStorageError(coded("40P01"), {
    doing: "users.insert",
    where: "h:5432/db",
  });
  assert.ok(isRetryable(wrapped));
  assert.equal(wrapped.kind, "unavailable");
  assert.match(
    toStorageError(coded("ECONNREFUSED"), { doing: "open", where: "h:5432/db" })
      .message,
    /h:5432\/db/,
  );
});

Deno.test("neededPrivilege() names what a refused statement needs on the object PostgreSQL names", () => {
  const need = (detail: string, text: string) => {
    const n = neededPrivilege(detail, text);
    return `${n.what} | ${n.fix("bbs")}`;
  };
  const table = "permission denied for table users";
  assert.equal(
    need(table, "UPDATE users SET logins = logins + $1 WHERE id = $2"),
    "SELECT and UPDATE on table users | GRANT SELECT, UPDATE ON TABLE users TO bbs",
  );
  assert.equal(
    need(table, "INSERT INTO users (username) VALUES ($1) RETURNING id"),
    "SELECT and INSERT on table users | GRANT SELECT, INSERT ON TABLE users TO bbs",
  );
  assert.equal(
    need(
      "permission denied for table logins",
      "INSERT INTO logins (user_id) VALUES ($1)",
    ),
    "INSERT on table logins | GRANT INSERT ON TABLE logins TO bbs",
  );
  assert.equal(
    need(table, "DELETE FROM users WHERE id = $1"),
    "SELECT and DELETE on table users | GRANT SELECT, DELETE ON TABLE users TO bbs",
  );
  assert.equal(
    need(
      "permission denied for table last_read",
      "INSERT INTO last_read (user_id) VALUES ($1) ON CONFLICT (user_id) DO UPDATE SET last_read = 1",
    ),
    "SELECT, INSERT and UPDATE on table last_read | GRANT SELECT, INSERT, UPDATE ON TABLE last_read TO bbs",
  );
  // A read that locks its rows needs UPDATE too, whatever the lock's strength.
  for (const lock of ["FOR NO KEY UPDATE", "FOR KEY SHARE", "for update"]) {
    assert.equal(
      need(table, `SELECT username FROM users WHERE id = $1 ${lock}`),
      "SELECT and UPDATE on table users | GRANT SELECT, UPDATE ON TABLE users TO bbs",
    );
  }
  // A table the statement only reads (a join, a subquery) needs SELECT.
  assert.match(
    need(
      table,
      "SELECT s.id, u.username FROM sessions s JOIN users u ON u.id = s.user_id",
    ),
    /^SELECT on table users \|/,
  );
  assert.match(
    need(
      table,
      "UPDATE sessions SET ended_at = $1 WHERE user_id IN (SELECT id FROM users)",
    ),
    /^SELECT on table users \|/,
  );
  assert.equal(
    need("permission denied for schema public", "CREATE TABLE t (id int)"),
    "CREATE on schema public | GRANT CREATE ON SCHEMA public TO bbs",
  );
  assert.match(
    need(
      "permission denied for sequence users_id_seq",
      "SELECT nextval('users_id_seq')",
    ),
    /^USAGE on sequence users_id_seq \|/,
  );
  assert.match(
    need("must be owner of table users", "ALTER TABLE users ADD COLUMN x int"),
    /^to own table users \| run migrations as the role that owns the tables/,
  );
  assert.match(
    need("permission denied to create database", "CREATE DATABASE x"),
    /^the CREATEDB attribute \| ALTER ROLE bbs CREATEDB/,
  );
  assert.equal(kindOf("42501"), "forbidden");
  const mapped = toStorageError(
    Object.assign(new Error(table), { code: "42501" }),
    { doing: "users.increment", where: "h:5432/db", user: "Board Role" },
  );
  assert.equal(mapped.kind, "forbidden");
  assert.match(mapped.message, /TO "Board Role"$/);
});
