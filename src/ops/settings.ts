/**
 * Settings: one JSON value per key, listed by key prefix, and counters incremented atomically.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { type Executor, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import type { JsonValue, Setting } from "../records.ts";
import { SETTING_COLUMNS as C, toSetting } from "../rows.ts";
import * as S from "../schemas.ts";
import { parse } from "../validate.ts";

const Q = {
  get: sql("settings.get", "SELECT value FROM settings WHERE key = ?"),
  set: sql(
    "settings.set",
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
     RETURNING ${C}`,
    true,
  ),
  delete: sql("settings.delete", "DELETE FROM settings WHERE key = ?", true),
  listFrom: sql(
    "settings.listFrom",
    `SELECT ${C} FROM settings WHERE key >= ? ORDER BY key`,
  ),
  listRange: sql(
    "settings.listRange",
    `SELECT ${C} FROM settings WHERE key >= ? AND key < ? ORDER BY key`,
  ),
  // Takes the row (made at 0 when missing) and its write lock (PostgreSQL: the conflict's
  // update locks the newest version and returns it), so increments of a key run one at a time.
  claim: sql(
    "settings.claim",
    `INSERT INTO settings (key, value, updated_at) VALUES (?, '0', ?)
     ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at
     RETURNING value`,
    true,
  ),
  store: sql(
    "settings.store",
    "UPDATE settings SET value = ? WHERE key = ?",
    true,
  ),
};

/** The largest code point: nothing sorts after it in one position. */
const LAST = 0x10ffff;

/**
 * The least string above every string starting with `prefix`, in code-point order (the order of
 * both databases' keys: SQLite's BINARY, PostgreSQL's "C" on UTF-8), or `null` when none is
 * (the prefix is only U+10FFFF characters).
 */
export function prefixEnd(prefix: string): string | null {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last === LAST) continue;
    // Surrogate code points cannot be in a key: step over them.
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return String.fromCodePoint(...points, next);
  }
  return null;
}

/** A key as messages show it: quoted, control characters escaped. */
function shown(key: string): string {
  return JSON.stringify(key);
}

/** See `settings.get`. */
export async function getSetting(
  x: Executor,
  key: string,
): Promise<JsonValue | null> {
  parse(S.settingKey, key, "key", "settings.get");
  const row = await x.get(Q.get, [key]);
  return row ? JSON.parse(row[0] as string) as JsonValue : null;
}

/** See `settings.set`. */
export async function setSetting(
  x: Executor,
  key: string,
  value: JsonValue,
): Promise<Setting> {
  parse(S.settingKey, key, "key", "settings.set");
  const checked = parse(S.settingValue, value, "value", "settings.set");
  const row = await x.get(Q.set, [key, JSON.stringify(checked), nowOf(x)]);
  return toSetting(row!);
}

/** See `settings.delete`. */
export async function deleteSetting(
  x: Executor,
  key: string,
): Promise<boolean> {
  parse(S.settingKey, key, "key", "settings.delete");
  return await x.run(Q.delete, [key]) > 0;
}

/** See `settings.list`. */
export async function listSettings(
  x: Executor,
  prefix?: string,
): Promise<Setting[]> {
  const from = parse(S.settingPrefix, prefix, "prefix", "settings.list") ?? "";
  const end = prefixEnd(from);
  const rows = end === null
    ? await x.all(Q.listFrom, [from])
    : await x.all(Q.listRange, [from, end]);
  return rows.map(toSetting);
}

/**
 * See `settings.increment`. On PostgreSQL the key's row lock serialises increments of one key
 * (settings are rows nothing refers to: last in the lock order of mod.ts).
 */
export async function incrementSetting(
  x: Executor,
  key: string,
  by?: number,
): Promise<number> {
  parse(S.settingKey, key, "key", "settings.increment");
  const step = parse(S.incrementBy, by, "by", "settings.increment");
  return await x.atomic(async (q) => {
    const row = await q.get(Q.claim, [key, nowOf(x)]);
    const held = JSON.parse(row![0] as string) as JsonValue;
    if (typeof held !== "number") {
      throw new StorageError(
        "conflict",
        `Cannot increment setting as key ${shown(key)} holds ${
          Array.isArray(held)
            ? "an array"
            : held === null
            ? "null"
            : `a ${typeof held}`
        }, not a number: set it to a number first`,
        { field: "key" },
      );
    }
    const sum = held + step;
    if (!Number.isFinite(sum)) {
      throw new StorageError(
        "validation",
        `Invalid settings.increment input: by would take setting ${
          shown(key)
        } beyond the largest number: got ${step}`,
        { field: "by" },
      );
    }
    await q.run(Q.store, [JSON.stringify(sum), key]);
    return sum;
  });
}
