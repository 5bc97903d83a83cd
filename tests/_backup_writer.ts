/**
 * A writer for the backup test: commits, until killed, one transaction after another that adds
 * a row to both `a` and `b`, so a copy of one moment holds as many rows in each. Prints `ready`
 * after its first commit.
 *
 * Run: `deno run --allow-read --allow-write tests/_backup_writer.ts <file>`
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

const db = new DatabaseSync(Deno.args[0]!);
db.exec("PRAGMA busy_timeout = 10000");
const a = db.prepare("INSERT INTO a (body) VALUES (randomblob(100))");
const b = db.prepare("INSERT INTO b (body) VALUES (randomblob(100))");
for (let i = 0;; i++) {
  db.exec("BEGIN IMMEDIATE");
  a.run();
  b.run();
  db.exec("COMMIT");
  if (i === 0) console.log("ready");
  // A breath between commits, as a board's writes come.
  await new Promise((resolve) => setTimeout(resolve, 1));
}
