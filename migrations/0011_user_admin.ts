/**
 * The code of migration 0011 (user_admin): computes `users.real_name_key`, the key a real name is
 * searched by (`foldKey` of `src/keys.ts`, which SQL cannot compute), for every user whose real
 * name is not plain ASCII (the script set `lower(real_name)`, the same for ASCII). Going down
 * drops the column, so there is nothing to undo.
 *
 * @module
 */
import { foldKey } from "../src/keys.ts";
import type { MigrationCode } from "../src/migrate/migration.ts";

const code: MigrationCode = {
  async up(q) {
    const rows = await q.all(
      "SELECT id, real_name AS name, real_name_key AS k FROM users ORDER BY id",
    );
    for (const row of rows) {
      const key = foldKey(String(row.name));
      if (key !== row.k) {
        await q.run("UPDATE users SET real_name_key = ? WHERE id = ?", [
          key,
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
