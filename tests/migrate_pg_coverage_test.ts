/**
 * What a PostgreSQL down step must give back covers the whole database: the tables of every
 * schema (a loss in schema `other` is refused naming `other.notes`) and every sequence, owned by
 * a column or standing alone (one that a down step resets is refused as ids handed out again).
 * And trying a step changes no sequence: PostgreSQL never rolls a sequence back, so after a
 * refused trial, and after a step that was tried and then reverted, every sequence hands out
 * exactly the ids it would have.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { sqlQuery, tempSet, trackedVersions } from "./_migrate.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

/** A sequence's state: what its next `nextval` hands out follows from it alone. */
async function state(url: string, sequence: string): Promise<string> {
  const [row] = await sqlQuery(
    url,
    `SELECT last_value::text || ' ' || is_called::text AS s FROM ${sequence}`,
  );
  return String(row?.s);
}

/** Tickets numbered by a sequence of their own, standing alone (not owned by a column). */
const TICKETS = {
  "0001_tickets.up.sql": "CREATE SEQUENCE ticket_numbers;\n" +
    "CREATE TABLE tickets (id BIGINT PRIMARY KEY DEFAULT nextval('ticket_numbers'), body TEXT);\n",
  "0001_tickets.down.sql":
    "DROP TABLE tickets;\nDROP SEQUENCE ticket_numbers;\n",
};

Deno.test({
  name:
    "[postgres] Migrator.down() leaves every sequence as it was after a refused trial whose up step took ids",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet({
      ...TICKETS,
      // Lossy: the welcome ticket comes back with a new id.
      "0002_welcome.up.sql": "INSERT INTO tickets (body) VALUES ('welcome');\n",
      "0002_welcome.down.sql": "DELETE FROM tickets WHERE body = 'welcome';\n",
    });
    await using migrator = await openMigrator(db.url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(db.url, "INSERT INTO tickets (body) VALUES ('a'), ('b')");
    const before = await state(db.url, "ticket_numbers");
    assert.equal(before, "3 true");
    const error = await rejectsKind(migrator.down(), "migration");
    assert.match(error.message, /tickets\.id: 1 row gone/);
    assert.equal(await state(db.url, "ticket_numbers"), before);
    const [next] = await sqlQuery(
      db.url,
      "SELECT nextval('ticket_numbers') AS n",
    );
    assert.equal(Number(next?.n), 4);
  },
});

Deno.test({
  name:
    "[postgres] Migrator.down() leaves every sequence as it was after a step tried and reverted whose up step moves one",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet({
      ...TICKETS,
      // Numbers leave room for a thousand imported tickets; going down keeps the room.
      "0002_import.up.sql":
        "SELECT setval('ticket_numbers', last_value + 1000) FROM ticket_numbers;\n",
      "0002_import.down.sql": "SELECT 1;\n",
    });
    await using migrator = await openMigrator(db.url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(db.url, "INSERT INTO tickets (body) VALUES ('a')");
    const before = await state(db.url, "ticket_numbers");
    assert.equal(before, "1002 true");
    assert.deepEqual((await migrator.down()).map((s) => s.version), [2]);
    assert.equal(await state(db.url, "ticket_numbers"), before);
    // The next ticket takes the next number, as if down had not been tried first.
    await sqlQuery(db.url, "INSERT INTO tickets (body) VALUES ('b')");
    assert.equal(await state(db.url, "ticket_numbers"), "1003 true");
  },
});

Deno.test({
  name:
    "[postgres] Migrator.down() refuses a step losing a column of a table in another schema, naming it schema-qualified",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet({
      "0001_other.up.sql": "CREATE SCHEMA other;\n" +
        "CREATE TABLE other.notes (id BIGINT PRIMARY KEY, body TEXT);\n",
      "0001_other.down.sql": "DROP SCHEMA other CASCADE;\n",
      "0002_author.up.sql": "ALTER TABLE other.notes ADD COLUMN author TEXT;\n",
      "0002_author.down.sql": "ALTER TABLE other.notes DROP COLUMN author;\n",
    });
    await using migrator = await openMigrator(db.url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(
      db.url,
      "INSERT INTO other.notes VALUES (1, 'a', 'ann'), (2, 'b', 'bob'), (3, 'c', NULL)",
    );
    const error = await rejectsKind(migrator.down(), "migration");
    assert.match(
      error.message,
      /would not give back what its down step removes: other\.notes\.author: 2 rows changed: nothing was reverted/,
    );
    assert.deepEqual(await trackedVersions(db.url, "app"), [
      [1, "applied"],
      [2, "applied"],
    ]);
    const report = await migrator.verify();
    assert.equal(
      report.ok,
      false,
      "verify's copy holds the rows of schema other",
    );
    assert.match(report.problems[0]!, /: other\.notes\.author: 2 rows changed/);
    await sqlQuery(db.url, "UPDATE other.notes SET author = NULL");
    assert.deepEqual((await migrator.down()).map((s) => s.version), [2]);
  },
});

Deno.test({
  name:
    "[postgres] Migrator.down() refuses a step resetting a standalone sequence of another schema, as ids handed out again",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet({
      "0001_invoices.up.sql": "CREATE SCHEMA billing;\n" +
        "CREATE SEQUENCE billing.invoice_numbers;\n" +
        "CREATE TABLE billing.invoices (id BIGINT PRIMARY KEY " +
        "DEFAULT nextval('billing.invoice_numbers'), total BIGINT);\n",
      "0001_invoices.down.sql": "DROP SCHEMA billing CASCADE;\n",
      "0002_year.up.sql": "ALTER TABLE billing.invoices ADD COLUMN year INT;\n",
      // Careless: numbering starts over, and the ids of deleted invoices come again.
      "0002_year.down.sql": "ALTER TABLE billing.invoices DROP COLUMN year;\n" +
        "SELECT setval('billing.invoice_numbers', coalesce(max(id), 1), max(id) IS NOT NULL) " +
        "FROM billing.invoices;\n",
    });
    await using migrator = await openMigrator(db.url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(
      db.url,
      "INSERT INTO billing.invoices (total) SELECT 10 FROM generate_series(1, 5)",
    );
    await sqlQuery(db.url, "DELETE FROM billing.invoices WHERE id > 2");
    const before = await state(db.url, "billing.invoice_numbers");
    const error = await rejectsKind(migrator.down(), "migration");
    assert.match(
      error.message,
      /: billing\.invoice_numbers: its last 3 ids would be handed out again: nothing was reverted/,
    );
    assert.equal(await state(db.url, "billing.invoice_numbers"), before);
    const report = await migrator.verify();
    assert.equal(report.ok, false, "verify's copy keeps the sequence's state");
    assert.match(
      report.problems[0]!,
      /: billing\.invoice_numbers: its last 3 ids/,
    );
  },
});
