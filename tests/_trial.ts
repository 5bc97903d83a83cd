/**
 * Helpers of the tests of a down step's trial: a caller's set of two migrations whose second
 * down step is refused (naming what it loses) or reverted, per dialect.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { PERSISTENT, sqlQuery, tempSet, trackedVersions } from "./_migrate.ts";
import type { Fresh } from "./_targets.ts";

/**
 * A caller's set: 0001 creates the tables (`base`), 0002 does `up` and its down does `down`.
 * `seed` runs at version 2.
 */
export interface Case {
  /** What the case proves, for the test name. */
  name: string;
  base: string;
  up: string;
  down: string;
  seed: string[];
  /** The refusal's losses (between "removes: " and ": nothing was reverted"), or `null`. */
  refused: RegExp | null;
}

/** Registers one test per persistent target of the dialect. */
export function dialectTest(
  dialect: "sqlite" | "postgres",
  name: string,
  fn: (fresh: Fresh) => Promise<void>,
): void {
  for (const target of PERSISTENT) {
    if (!target.name.startsWith(dialect)) continue;
    Deno.test({
      name: `[${target.name}] ${name}`,
      ignore: target.ignore !== undefined,
      async fn() {
        await using fresh = await target.fresh();
        await fn(fresh);
      },
    });
  }
}

/** Runs a case: the down step of 0002 is refused as `refused` says, or reverts and goes up again. */
export async function run(url: string, c: Case): Promise<void> {
  await using set = await tempSet({
    "0001_base.up.sql": c.base,
    "0001_base.down.sql": "SELECT 1;\n",
    "0002_step.up.sql": c.up,
    "0002_step.down.sql": c.down,
  });
  await using migrator = await openMigrator(url, { dir: set.dir });
  await migrator.up();
  for (const statement of c.seed) await sqlQuery(url, statement);
  if (c.refused === null) {
    assert.deepEqual((await migrator.down()).map((s) => s.version), [2]);
    assert.deepEqual((await migrator.up()).map((s) => s.version), [2]);
    return;
  }
  const error = await rejectsKind(migrator.down(), "migration");
  const losses =
    /would not give back what its down step removes: (.*): nothing was reverted/
      .exec(error.message)?.[1];
  assert.ok(losses !== undefined, error.message);
  assert.match(losses, c.refused);
  assert.deepEqual(await trackedVersions(url, "app"), [
    [1, "applied"],
    [2, "applied"],
  ]);
}

/** A 0002 whose up adds an empty table and whose down drops it and then runs `then`. */
export function marker(then: string): Pick<Case, "up" | "down"> {
  return {
    up: "CREATE TABLE marker (id INTEGER PRIMARY KEY);\n",
    down: `DROP TABLE marker;\n${then}\n`,
  };
}
