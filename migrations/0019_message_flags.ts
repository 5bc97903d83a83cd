/**
 * The code of migration 0019 (message_flags): computes `messages.to_name_key`, the key mail.toName
 * finds an addressee's name by (`foldKey` of `src/keys.ts`, which SQL cannot compute), for every
 * name that is not plain ASCII (the script set `lower(to_name)`, the same for ASCII). Each
 * distinct name is folded once. Going down drops the column, so there is nothing to undo.
 *
 * @module
 */
import { foldKey } from "../src/keys.ts";
import type { MigrationCode } from "../src/migrate/migration.ts";

const code: MigrationCode = {
  async up(q) {
    const rows = await q.all(
      "SELECT DISTINCT to_name AS name, to_name_key AS k FROM messages",
    );
    for (const row of rows) {
      const key = foldKey(String(row.name));
      if (key !== row.k) {
        await q.run("UPDATE messages SET to_name_key = ? WHERE to_name = ?", [
          key,
          String(row.name),
        ]);
      }
    }
    return [];
  },
  down() {
    return Promise.resolve([]);
  },
};

export default code;
