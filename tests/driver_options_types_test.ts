/**
 * Each built-in driver declares its options section twice: as the plain type callers see
 * (`SqliteOptions`, `PostgresOptions`, in the public `OpenOptions`) and as the schema that
 * validates it. These checks hold the two together: `deno check` fails when they drift apart.
 */
import assert from "node:assert/strict";
import type { z } from "zod";
import type {
  SqliteOptions,
  sqliteOptionsSchema,
} from "../drivers/sqlite/options.ts";
import type {
  PostgresOptions,
  postgresOptionsSchema,
} from "../drivers/postgres/options.ts";
import type { OpenOptions } from "../mod.ts";

/** `true` when A and B are the same type, else `false`. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends
  (<T>() => T extends B ? 1 : 2) ? true : false;

/** Compiles only for `true`. */
function holds<T extends true>(_: T): void {}

Deno.test("SqliteOptions is what the SQLite options schema takes and gives", () => {
  holds<Same<z.input<typeof sqliteOptionsSchema>, SqliteOptions>>(true);
  holds<Same<z.output<typeof sqliteOptionsSchema>, SqliteOptions>>(true);
  holds<Same<NonNullable<OpenOptions["sqlite"]>, SqliteOptions>>(true);
  assert.ok(true);
});

Deno.test("PostgresOptions is what the PostgreSQL options schema takes and gives", () => {
  holds<Same<z.input<typeof postgresOptionsSchema>, PostgresOptions>>(true);
  holds<Same<z.output<typeof postgresOptionsSchema>, PostgresOptions>>(true);
  holds<Same<NonNullable<OpenOptions["postgres"]>, PostgresOptions>>(true);
  assert.ok(true);
});
