/**
 * The code of migration 0020 (message_export): computes `messages.from_name_key`, the key
 * the author's name is filtered by (the recipient's is 0019's `to_name_key`) (`foldKey` of
 * `src/keys.ts`, which SQL cannot compute), for every message whose names are not plain ASCII
 * (the script set `lower()` of each, the same for ASCII). Going down drops the columns, so there
 * is nothing to undo.
 *
 * @module
 */
import { foldKey } from "../src/keys.ts";
import type { MigrationCode } from "../src/migrate/migration.ts";

const code: MigrationCode = {
  async up(q) {
    const rows = await q.all(
      "SELECT id, from_name AS f, from_name_key AS fk FROM messages ORDER BY id",
    );
    for (const row of rows) {
      const from = foldKey(String(row.f));
      if (from !== row.fk) {
        await q.run("UPDATE messages SET from_name_key = ? WHERE id = ?", [
          from,
          Number(row.id),
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
