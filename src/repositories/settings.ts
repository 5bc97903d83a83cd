/**
 * The settings repository, `storage.settings`: the board's own settings, one JSON value per
 * key, inside the storage's transactions and guarantees, and counters that concurrent callers
 * increment without losing a step.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * await storage.settings.set("board.name", "The Dark Side");
 * await storage.settings.set("board.limits", { dailyMinutes: 60, ratio: [1, 5] });
 * assert.equal(await storage.settings.get("board.name"), "The Dark Side");
 * assert.deepEqual(
 *   (await storage.settings.list("board.")).map((s) => s.key),
 *   ["board.limits", "board.name"],
 * );
 * assert.equal(await storage.settings.increment("stats.calls"), 1);
 * assert.equal(await storage.settings.increment("stats.calls", 10), 11);
 * assert.equal(await storage.settings.delete("board.name"), true);
 * assert.equal(await storage.settings.get("board.name"), null);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type { JsonValue, Setting } from "../records.ts";
import * as ops from "../ops/settings.ts";

/**
 * Settings: `storage.settings`, and `tx.settings` in a transaction. Keys are 1–64 characters
 * (any but NUL); a value is any JSON value but `null`, at most 64 KiB as JSON, and reads back
 * exactly as it was set (`-0`, `NaN`, `Infinity`, `undefined` and objects other than plain
 * objects and arrays are refused as `validation`).
 */
export interface Settings {
  /** The value of a key, or `null` when the key is not set. */
  get(key: string): Promise<JsonValue | null>;
  /** Sets a key to a value (not `null`: use `delete`), replacing any value it had. */
  set(key: string, value: JsonValue): Promise<Setting>;
  /** Removes a key; `true` when it was set, `false` when it was not. */
  delete(key: string): Promise<boolean>;
  /** The settings whose keys start with `prefix` (every setting without one), by key in code-point order. */
  list(prefix?: string): Promise<Setting[]>;
  /**
   * Adds `by` (a finite number, 1 by default) to a key's number and returns the new number; a
   * key not set counts from 0. Atomic: concurrent increments of a key each count. A key holding
   * anything but a number is refused as `conflict` naming `key`; a sum beyond the largest
   * number as `validation` naming `by`.
   */
  increment(key: string, by?: number): Promise<number>;
}

/** The operations behind {@linkcode Settings}: each method's operation, taking the executor first. */
export const SETTINGS: Definition<Settings> = {
  get: ops.getSetting,
  set: ops.setSetting,
  delete: ops.deleteSetting,
  list: ops.listSettings,
  increment: ops.incrementSetting,
};
