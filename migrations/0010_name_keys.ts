/**
 * The code of migration 0010 (name_keys): recomputes the keys usernames and area tags are unique
 * and found by, from the previous fold (NFKC and `toLowerCase()`) to the full case fold with
 * NFKC of `src/keys.ts`, and back.
 *
 * Rows are never lost and the migration never fails over the data: when two names become one
 * name (`STRASSE` and `straße`), the earlier row (lower id) keeps the key and the later one's
 * key gets a suffix no name can produce (a U+001F separator and its id), so it answers to no
 * spelling until it is renamed; each such pair is noted, and so is every username that the
 * rules of this release refuse (it cannot be looked up by name). Going down recomputes the
 * previous keys the same way, so down then up gives back the same keys.
 *
 * @module
 */
import { foldKey } from "../src/keys.ts";
import type { MigrationCode, MigrationNote } from "../src/migrate/migration.ts";
import type { MigrationQuery } from "../src/migrate/target.ts";
import { username } from "../src/validate.ts";

/** A table with a name column and the key column it is unique by. */
interface Keyed {
  table: string;
  name: string;
  key: string;
  /** The record, for notes: `user`, `message area`. */
  what: string;
  /** How a name is renamed, for notes. */
  rename: string;
}

const KEYED: readonly Keyed[] = [
  {
    table: "users",
    name: "username",
    key: "username_key",
    what: "user",
    rename: "rename one with users.update(id, { username })",
  },
  {
    table: "message_areas",
    name: "tag",
    key: "tag_key",
    what: "message area",
    rename: "change one tag in the database (the API has no rename of areas)",
  },
  {
    table: "file_areas",
    name: "tag",
    key: "tag_key",
    what: "file area",
    rename: "change one tag in the database (the API has no rename of areas)",
  },
];

/** Separates a key from the id that keeps it unique: names hold no control characters. */
const MARK = "\u001f";

/** The fold before this migration: NFKC, lower case, NFKC. */
function previousKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().normalize("NFKC");
}

interface Row {
  id: number;
  name: string;
}

/**
 * Sets every row's key to `fold(name)`, the later of two rows with one key getting a suffix,
 * and returns a note per such row.
 */
async function rekey(
  q: MigrationQuery,
  t: Keyed,
  fold: (name: string) => string,
): Promise<MigrationNote[]> {
  const rows = await q.all(
    `SELECT id, ${t.name} AS name, ${t.key} AS k FROM ${t.table} ORDER BY id`,
  );
  const holders = new Map<string, Row>();
  const notes: MigrationNote[] = [];
  const changed: [id: number, key: string][] = [];
  for (const row of rows) {
    const later = { id: Number(row.id), name: String(row.name) };
    let key = fold(later.name);
    const earlier = holders.get(key);
    if (earlier) {
      notes.push(collision(t, earlier, later));
      key = `${key}${MARK}${later.id}`;
    } else holders.set(key, later);
    if (key !== row.k) changed.push([later.id, key]);
  }
  // Every changed row first takes a key of its own, so no update meets a key that another row
  // is about to give up (the unique index is checked statement by statement).
  const update = `UPDATE ${t.table} SET ${t.key} = ? WHERE id = ?`;
  for (const [id] of changed) await q.run(update, [`${MARK}${id}`, id]);
  for (const [id, key] of changed) await q.run(update, [key, id]);
  return notes;
}

function collision(t: Keyed, earlier: Row, later: Row): MigrationNote {
  return {
    table: t.table,
    ids: [earlier.id, later.id],
    message:
      `The ${t.what}s ${earlier.id} "${earlier.name}" and ${later.id} "${later.name}" ` +
      `now have the same ${t.name} (names compare by full case folding): both are kept, ` +
      `${earlier.id} answers to it and ${later.id} to none until renamed: ${t.rename}`,
  };
}

async function refusedNames(q: MigrationQuery): Promise<MigrationNote[]> {
  const rows = await q.all("SELECT id, username FROM users ORDER BY id");
  return rows.filter((row) => !username.safeParse(row.username).success).map((
    row,
  ) => ({
    table: "users",
    ids: [Number(row.id)],
    message:
      `The user ${row.id}'s name ${
        JSON.stringify(row.username)
      } is refused by this release (it shows nothing or holds invisible or unassigned ` +
      `characters), so it cannot be looked up by name: rename it with users.update(id, { username })`,
  }));
}

async function rekeyAll(
  q: MigrationQuery,
  fold: (name: string) => string,
): Promise<MigrationNote[]> {
  const notes: MigrationNote[] = [];
  for (const t of KEYED) notes.push(...await rekey(q, t, fold));
  return notes;
}

const code: MigrationCode = {
  async up(q) {
    return [...await rekeyAll(q, foldKey), ...await refusedNames(q)];
  },
  down(q) {
    return rekeyAll(q, previousKey);
  },
};

export default code;
