/**
 * Plain SQL on a test database behind the storage's back, for what the API cannot do: emptying
 * every table between property-test sequences, and fingerprinting every table to prove that a
 * failed call wrote nothing. Available for databases another connection can reach (SQLite
 * files, PostgreSQL); `undefined` for in-memory SQLite.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { CATALOGUE } from "../src/tables/mod.ts";
import { rawClient } from "./_postgres.ts";

/** Every table of the schema (from the catalogue, `src/tables/`), children first. */
export const TABLES: readonly string[] = CATALOGUE.map((t) => t.name).reverse();

/** A connection of its own to a test database. */
export interface Raw {
  /** Deletes every row of every table (ids keep growing). */
  empty(): Promise<void>;
  /** Row counts, id high-water marks and sums over every column of every table, as text. */
  fingerprint(): Promise<string>;
  /** Closes the connection. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Per table, from the catalogue: what a write to any of its columns changes (the sum of each
 * number, time and flag; the sum of the lengths of each text). Same SQL on both dialects.
 */
const MEASURES = CATALOGUE.map((t) =>
  t.columns.map((name) => {
    const codec = t.spec.columns[name]!.codec;
    return codec === "text" || codec === "json"
      ? `coalesce(length(${name}), 0)`
      : `coalesce(${name}, 0)`;
  })
);

const FINGERPRINT = `SELECT ${
  CATALOGUE.flatMap((t, i) => [
    `(SELECT count(*) FROM ${t.name})`,
    ...(t.spec.generatedId
      ? [`(SELECT coalesce(max(id), 0) FROM ${t.name})`]
      : []),
    ...MEASURES[i]!.map((m) =>
      `(SELECT coalesce(sum(${m}), 0) FROM ${t.name})`
    ),
  ]).map((e, i) => `${e} AS c${i}`).join(", ")
}`;

const EMPTY = TABLES.map((t) => `DELETE FROM ${t};`).join("\n");

/**
 * Opens a raw connection to the database of a storage URL.
 *
 * @param url A test target's URL.
 * @returns The connection, or `undefined` for in-memory SQLite.
 */
export function openRaw(url: string): Raw | undefined {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/\?.*$/, "");
    if (path === ":memory:") return undefined;
    const db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 5000");
    const fingerprint = db.prepare(FINGERPRINT);
    // Sums of safe integers (two areas' maxMessages) may pass 2^53.
    fingerprint.setReadBigInts(true);
    return {
      empty: () => Promise.resolve(db.exec(EMPTY)),
      fingerprint: () =>
        Promise.resolve(Object.values(fingerprint.get()!).join(",")),
      [Symbol.asyncDispose]: () => Promise.resolve(db.close()),
    };
  }
  const sql = rawClient(url);
  return {
    async empty() {
      await sql.unsafe(EMPTY);
    },
    async fingerprint() {
      const [row] = await sql.unsafe(FINGERPRINT, [], { prepare: true });
      return Object.values(row!).map(String).join(",");
    },
    [Symbol.asyncDispose]: () => sql.end(),
  };
}
