/**
 * What is particular to SQLite's connections: the pragmas set on each. The URL's grammar is in
 * `url.ts`, the mapping of its errors in `errors.ts`.
 *
 * @module
 */

/** Pragmas set on every connection. */
export const PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  // The FTS5 triggers need it on SQLite before 3.4x, where FTS5 is not yet marked innocuous.
  "PRAGMA trusted_schema = ON",
  // Each operation in a transaction runs in a savepoint, whose statement journal holds the
  // pages it changes: in a temporary file by default, which made a message's insert (20 indexes
  // and its FTS5 row) cost 250 µs instead of 80 µs (bench/ftn_import.ts).
  "PRAGMA temp_store = MEMORY",
];
