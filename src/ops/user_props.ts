/**
 * User properties: JSON values by key (preferences, e-mail addresses, door data), stored in
 * `user_props` (one row per user and key, removed with the user by `ON DELETE CASCADE`) with a
 * lookup form that `users.findByProp` finds them by through the `user_props_lookup` index.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { type NodeCrypto, nodeCrypto, sha256 } from "../node_crypto.ts";
import { type Executor, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import type { JsonValue, User } from "../records.ts";
import { nowOf } from "./_board.ts";
import { prefixed, toUser, USER_COLUMNS as U } from "../rows.ts";
import * as S from "../schemas_users.ts";
import { parse, parseId } from "../validate.ts";
import { notFound } from "./_errors.ts";
import { lockUser, userExists } from "./_references.ts";

/** The most bytes of a value's JSON text (UTF-8). */
export const MAX_VALUE_BYTES = 65_536;
/** The most keys a user holds. */
export const MAX_KEYS = 256;
/** How deep arrays and objects may nest. */
const MAX_DEPTH = 64;
/** Lookup forms longer than this are stored as `#` and their SHA-256. */
const MAX_LOOKUP = 256;

const Q = {
  all: sql(
    "users.props",
    "SELECT key, value FROM user_props WHERE user_id = ? ORDER BY key",
  ),
  put: sql(
    "users.props.put",
    `INSERT INTO user_props (user_id, key, value, lookup) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, lookup = excluded.lookup`,
    true,
  ),
  remove: sql(
    "users.props.remove",
    "DELETE FROM user_props WHERE user_id = ? AND key = ?",
    true,
  ),
  count: sql(
    "users.props.count",
    "SELECT count(*) FROM user_props WHERE user_id = ?",
  ),
  find: sql(
    "users.findByProp",
    `SELECT ${
      prefixed(U, "u")
    } FROM user_props p JOIN users u ON u.id = p.user_id
     WHERE p.key = ? AND p.lookup = ? ORDER BY u.id`,
  ),
};

/**
 * The form a scalar is found by: its JSON text (so `"1"`, `1` and `true` differ), or `#` and
 * the SHA-256 of a long one (no JSON text starts with `#`). `null` for arrays and objects.
 */
function lookupOf(crypto: NodeCrypto, value: JsonValue): string | null {
  if (value === null || typeof value === "object") return null;
  const json = JSON.stringify(value);
  return json.length <= MAX_LOOKUP ? json : `#${sha256(crypto, json, "hex")}`;
}

function invalid(field: string, why: string): StorageError {
  return new StorageError(
    "validation",
    `Invalid users.setProps input: ${field} ${why}`,
    { field },
  );
}

/**
 * Why `value` is no JSON value of at most {@linkcode MAX_VALUE_BYTES} bytes, or `undefined` when
 * it is one. `budget.left` counts down a lower bound of its JSON text's size (each string at
 * least its UTF-16 length, each item a byte), so a huge value is refused before it is walked or
 * serialised.
 */
function notJson(
  value: unknown,
  depth: number,
  budget: { left: number },
): string | undefined {
  if (depth > MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
  switch (typeof value) {
    case "string":
      budget.left -= value.length + 2;
      break;
    case "boolean":
    case "number":
      if (typeof value === "number" && !Number.isFinite(value)) {
        return "holds a number that is not finite";
      }
      budget.left -= 1;
      break;
    case "object": {
      budget.left -= 2;
      if (value === null) break;
      const proto = Object.getPrototypeOf(value);
      if (
        !Array.isArray(value) && proto !== Object.prototype && proto !== null
      ) {
        return "holds an object that is not a plain object (a Date, Map or class instance)";
      }
      const items = Array.isArray(value)
        ? value
        : Object.entries(value).map(([k, v]) => {
          budget.left -= k.length + 3;
          return v;
        });
      for (const item of items) {
        const why = budget.left < 0
          ? undefined
          : notJson(item, depth + 1, budget);
        if (why) return why;
        if (budget.left < 0) break;
      }
      break;
    }
    default:
      return `holds ${typeof value}, which JSON cannot hold`;
  }
  return budget.left < 0 ? tooBig() : undefined;
}

function tooBig(bytes?: number): string {
  return `must be at most ${MAX_VALUE_BYTES} bytes as JSON (UTF-8)${
    bytes === undefined ? "" : `, not ${bytes}`
  }`;
}

/**
 * Whatever reading `read` throws (a getter, a Proxy) as `validation` naming `field`.
 */
function reading<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError(
      "validation",
      `Invalid users.setProps input: ${field} cannot be read: reading it threw ${
        error instanceof Error ? error.name : typeof error
      }`,
      { field, cause: error },
    );
  }
}

/** The patch's entries, each value checked and serialised (`null`: remove). */
function entriesOf(
  crypto: NodeCrypto,
  patch: unknown,
): [string, string | null, string | null][] {
  const keys = reading("patch", () => {
    if (
      typeof patch !== "object" || patch === null || Array.isArray(patch) ||
      ![Object.prototype, null].includes(Object.getPrototypeOf(patch))
    ) {
      throw invalid("patch", "must be a plain object of keys and values");
    }
    return Object.keys(patch);
  });
  if (keys.length > 2 * MAX_KEYS) {
    throw invalid("patch", `must have at most ${2 * MAX_KEYS} keys`);
  }
  return keys.map((key) => {
    parse(S.propKey, key, "key", "users.setProps");
    const field = `patch.${key}`;
    return reading(field, () => {
      const value = (patch as Record<string, unknown>)[key];
      if (value === null) return [key, null, null];
      const why = value === undefined
        ? "is undefined: use null to remove a key"
        : notJson(value, 0, { left: MAX_VALUE_BYTES });
      if (why) throw invalid(field, why);
      const json = JSON.stringify(value);
      const bytes = Buffer.byteLength(json);
      if (bytes > MAX_VALUE_BYTES) throw invalid(field, tooBig(bytes));
      return [key, json, lookupOf(crypto, value as JsonValue)];
    });
  });
}

async function propsOf(
  x: Pick<Executor, "all">,
  id: number,
): Promise<Record<string, JsonValue>> {
  // Own properties, whatever the key (`__proto__` included): never an assignment.
  return Object.fromEntries(
    (await x.all(Q.all, [id])).map((
      [key, value],
    ) => [key as string, JSON.parse(value as string) as JsonValue]),
  );
}

/** See `users.getProps`. */
export async function getProps(
  x: Executor,
  id: number,
): Promise<Record<string, JsonValue>> {
  parseId(id, "id", "users.getProps");
  const props = await propsOf(x, id);
  if (Object.keys(props).length === 0 && !await x.get(userExists, [id])) {
    throw notFound("user", id, "get properties of user");
  }
  return props;
}

/**
 * See `users.setProps`. Locks the user first (the global lock order, mod.ts), so two calls on
 * one user count its keys one after the other.
 */
export async function setProps(
  x: Executor,
  id: number,
  patch: Record<string, JsonValue | null>,
): Promise<Record<string, JsonValue>> {
  parseId(id, "id", "users.setProps");
  const entries = entriesOf(await nodeCrypto(), patch);
  return await x.atomic(async (q) => {
    if (!await q.get(lockUser, [id])) {
      throw notFound("user", id, "set properties of user");
    }
    for (const [key, json, lookup] of entries) {
      if (json === null) await q.run(Q.remove, [id, key]);
      else await q.run(Q.put, [id, key, json, lookup]);
    }
    const n = Number((await q.get(Q.count, [id]))![0]);
    if (n > MAX_KEYS) {
      throw invalid(
        "patch",
        `would leave user ${id} with ${n} properties, more than ${MAX_KEYS}: remove some (set them to null)`,
      );
    }
    return await propsOf(q, id);
  });
}

/** See `users.findByProp`. */
export async function findByProp(
  x: Executor,
  key: string,
  value: string | number | boolean,
): Promise<User[]> {
  parse(S.propKey, key, "key", "users.findByProp");
  const v = parse(S.propLookup, value, "value", "users.findByProp");
  const lookup = lookupOf(await nodeCrypto(), v);
  const now = nowOf(x);
  return (await x.all(Q.find, [key, lookup])).map((r) => toUser(r, now));
}
