/**
 * Ids after a copy: the target hands out the id after the highest one the source ever handed
 * out, deleted rows included, in every direction, so no id of a deleted user or message comes
 * back.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, type Storage } from "../mod.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { DIRECTIONS, freshBoard, missing, smallBoard } from "./_copy.ts";
import { sqlQuery, withSql } from "./_migrate.ts";
import { CATALOGUE } from "../src/tables/mod.ts";

/** Every table whose ids the database generates (from the catalogue), children before parents. */
const GENERATED = CATALOGUE.filter((t) => t.spec.generatedId)
  .map((t) => t.name).reverse();

/** Adds one row to each table with generated ids, through the public API. */
async function oneMore(s: Storage): Promise<void> {
  const user = await s.users.create({
    username: "newcomer",
    passwordHash: "h",
  });
  const area = await s.messageAreas.create({ tag: "NEW", name: "New" });
  const files = await s.fileAreas.create({
    tag: "NEWFILES",
    name: "New files",
  });
  await s.files.add({ areaId: files.id, filename: "new.zip", size: 3 });
  await s.messages.post({
    areaId: area.id,
    fromUserId: user.id,
    subject: "Hi",
    body: "",
  });
  await s.sessions.create({ userId: user.id, ipAddress: "192.0.2.9" });
  await s.users.recordLogin(user.id);
  await s.events.append({ kind: "login", userId: user.id });
}

/** The largest id of each table with generated ids. */
async function highest(url: string): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const table of GENERATED) {
    const [row] = await sqlQuery(url, `SELECT max(id) AS id FROM ${table}`);
    ids[table] = Number(row!.id ?? 0);
  }
  return ids;
}

for (const [from, to] of DIRECTIONS) {
  Deno.test({
    name:
      `[${from} → ${to}] copyDatabase(): new rows on the target get ids above every id the source handed out, deleted rows included`,
    ignore: missing(from, to) !== undefined,
    async fn() {
      await using source = await freshBoard(from);
      await using target = await freshBoard(to);
      await smallBoard(source.url);
      const handedOut = await highest(source.url);
      // The newest row of every table goes (every login), so the highest ids left are lower.
      await withSql(source.url, async (sql) => {
        for (const table of GENERATED) {
          await sql.all(
            table === "logins"
              ? "DELETE FROM logins"
              : `DELETE FROM ${table} WHERE id = (SELECT max(id) FROM ${table})`,
          );
        }
      });
      const left = await highest(source.url);
      for (const table of GENERATED) {
        assert.ok(left[table]! < handedOut[table]!, table);
      }
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
      {
        await using t = await openStorage(target.url);
        await oneMore(t);
      }
      const next = await highest(target.url);
      for (const table of GENERATED) {
        assert.equal(
          next[table],
          handedOut[table]! + 1,
          `${table}: the source handed out up to ${handedOut[table]}`,
        );
      }
      // The source itself would have handed out the same ones.
      {
        await using s = await openStorage(source.url);
        await oneMore(s);
      }
      assert.deepEqual(await highest(source.url), next);
    },
  });
}

Deno.test({
  name:
    "[sqlite → postgres → sqlite] copyDatabase(): a copy of a copy still continues from the first source's high-water mark",
  ignore: missing("postgres") !== undefined,
  async fn() {
    await using first = await freshBoard("sqlite");
    await using middle = await freshBoard("postgres");
    await using last = await freshBoard("sqlite");
    await smallBoard(first.url);
    const handedOut = await highest(first.url);
    await withSql(first.url, async (sql) => {
      await sql.all("DELETE FROM logins");
      // Events refer to sessions: they go first (raw SQL runs no ON DELETE actions here).
      await sql.all("DELETE FROM events");
      await sql.all("DELETE FROM sessions");
    });
    assert.ok((await copyDatabase(first.url, middle.url)).ok);
    assert.ok((await copyDatabase(middle.url, last.url)).ok);
    {
      await using t = await openStorage(last.url);
      await oneMore(t);
    }
    const next = await highest(last.url);
    assert.equal(next.logins, handedOut.logins! + 1);
    assert.equal(next.sessions, handedOut.sessions! + 1);
    assert.equal(next.events, handedOut.events! + 1);
  },
});
