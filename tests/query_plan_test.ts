/**
 * Every hot query uses an index: each statement the operations run is explained
 * (`EXPLAIN QUERY PLAN`) with the parameters it really ran with, and no plan may scan users,
 * messages, files or sessions in full.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  declaredStatements,
  type Executor,
  type Queryable,
  type Sql,
} from "../src/driver.ts";
import { connect } from "../src/connect.ts";
import { bindRepositories } from "../src/ops/mod.ts";
import { openStorage } from "../mod.ts";
import * as V from "../src/validate.ts";
import { dialect } from "../drivers/sqlite/executors.ts";
import {
  everyOperation,
  everyViewedOperation,
  viewedFiles,
} from "./_scenario.ts";
import { ViewerExecutor } from "../src/ops/_access.ts";
import { VIEWED_DEFINITIONS } from "../src/ops/viewed.ts";
import { bindDefinition } from "../src/repositories/_definition.ts";
import { REPOSITORIES } from "../src/ops/mod.ts";
import type { Repositories } from "../mod.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { pgParams, pgText } from "../drivers/postgres/statements.ts";

/** An executor that records each statement and its parameters before running it. */
class Recorder implements Executor {
  seen = new Map<string, { q: Sql; params: readonly unknown[] }>();
  constructor(private inner: Queryable & { atomic?: Executor["atomic"] }) {}
  #note(q: Sql, params: readonly unknown[]) {
    if (!this.seen.has(q.name)) this.seen.set(q.name, { q, params });
  }
  all(q: Sql, params: readonly unknown[]) {
    this.#note(q, params);
    return this.inner.all(q, params);
  }
  get(q: Sql, params: readonly unknown[]) {
    this.#note(q, params);
    return this.inner.get(q, params);
  }
  run(q: Sql, params: readonly unknown[]) {
    this.#note(q, params);
    return this.inner.run(q, params);
  }
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.inner.atomic!((inner) => fn(new Recorder(inner).#share(this)));
  }
  #share(parent: Recorder): Recorder {
    this.seen = parent.seen;
    return this;
  }
}

/** Partial indexes hold live sessions only: scanning one is not a scan of the table. */
const BIG_TABLES = /^(users|messages|files|sessions|events|m|f|s|u)$/;

/**
 * Statements that walk a table in an index's order under a LIMIT, stopping after the page: the
 * first page of `users.list` in each order (by the table itself for ids). A page after a cursor
 * must search its index (its name ends in `.after`, so it is not listed here).
 */
const ORDERED_WALK =
  /^users\.list\.\w+\.(ASC|DESC)\.\d+: SCAN users( USING INDEX users_(username_key|created|last_login))?$/;

/**
 * Every shape of `files.find`: a range of the index of name keys (files_name_key, 0021), from
 * the pattern's literal prefix, the cursor, or the empty key, so that a search reads what its
 * prefix takes and never sorts.
 */
const FIND_RANGES = /^files\.find\.(low|after)\b/;

/**
 * Statements that count every row the filter takes, which no index can answer without reading
 * them: `users.count` (documented as linear in the users it counts).
 */
const COUNTS = /^users\.count\.\d+:/;

/**
 * Statements that must use a named index (SQLite), whatever else they may do: the indexes of
 * 0016_read_state, which keep setting pointers by date and counting the reader's own messages
 * above a pointer flat, and of 0020_message_export (a tosser's queue, the name filters).
 */
const NAMED_INDEXES: Record<string, string> = {
  "lastRead.byDate": "messages_area_created",
  "lastRead.byDateAll": "messages_area_created",
  "lastRead.byDateAs": "messages_area_created",
  "lastRead.byDateAllAs": "messages_area_created",
  "lastRead.newScan": "messages_from_area_num",
  "lastRead.newScanAs": "messages_from_area_num",
  // 0020_message_export: a tosser's queue holds only what waits; the name filters seek a name.
  "messages.unexported": "messages_unexported",
  "messages.unexportedAs": "messages_unexported",
  "messages.listFrom": "messages_area_from_name",
  "messages.listTo": "messages_area_to_name",
  "messages.byNum": "messages_area_num",
  "messages.byNumAs": "messages_area_num",
};

/** The repositories as a user sees them (what `storage.as` binds), on the recorder. */
function viewedOn(recorder: Recorder, userId: number): Repositories {
  const viewer = new ViewerExecutor(recorder, userId);
  return Object.fromEntries(
    REPOSITORIES.map((name) => [
      name,
      bindDefinition(VIEWED_DEFINITIONS[name] as never, viewer),
    ]),
  ) as unknown as Repositories;
}

/** Runs every operation, then operations through `as()`, on the recorder. */
async function scenario(recorder: Recorder): Promise<void> {
  const system = bindRepositories(recorder);
  await everyOperation(system);
  await viewedFiles(system, (userId) => viewedOn(recorder, userId));
  await everyViewedOperation(
    system,
    (userId) => Promise.resolve(viewedOn(recorder, userId)),
  );
}

Deno.test("every statement of the operations searches an index (SQLite)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-plan-" });
  try {
    const url = `sqlite:${dir}/plan.db`;
    await (await openStorage(url)).close();
    const connection = await connect(
      url,
      V.parse(V.openOptions, { migrate: "off" }, "options", "test"),
    );
    const recorder = new Recorder(connection.root as Executor);
    try {
      await scenario(recorder);
    } finally {
      await connection.close();
    }
    const db = new DatabaseSync(`${dir}/plan.db`);
    const failures: string[] = [];
    const plans = new Map<string, string[]>();
    try {
      for (const { q, params } of recorder.seen.values()) {
        const text = q.dialect ? dialect(q).text : q.text;
        const bound = q.dialect ? dialect(q).bind(params) : params;
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(
          ...bound as never[],
        );
        plans.set(
          q.name,
          (plan as { detail: string }[]).map((row) => row.detail),
        );
        const want = NAMED_INDEXES[q.name];
        if (
          want !== undefined &&
          !(plan as { detail: string }[]).some(({ detail }) =>
            new RegExp(`USING (COVERING )?INDEX ${want}\\b`).test(detail)
          )
        ) {
          failures.push(
            `${q.name}: does not use ${want}: ${
              (plan as { detail: string }[]).map((p) => p.detail).join("; ")
            }`,
          );
        }
        for (const { detail } of plan as { detail: string }[]) {
          const scan = /^SCAN (\w+)( USING (COVERING )?INDEX (\w+))?/.exec(
            detail,
          );
          const line = `${q.name}: ${detail}`;
          // A file list walks its order's index: sorting the area's files would grow with them.
          if (
            /^files\.(list|find)\./.test(q.name) && /TEMP B-TREE/.test(detail)
          ) {
            failures.push(line);
          }
          if (
            FIND_RANGES.test(q.name) && /^(SCAN|SEARCH) f\b/.test(detail) &&
            !/^SEARCH f USING INDEX files_name_key \(filename_key>\?/.test(
              detail,
            )
          ) {
            failures.push(`${line} (not a range of files_name_key)`);
          }
          if (
            scan && BIG_TABLES.test(scan[1]!) &&
            !/^sessions_(live|lapse|live_node|live_node_lapse|user_live)$/.test(
              scan[4] ?? "",
            ) &&
            !ORDERED_WALK.test(line) && !COUNTS.test(line)
          ) {
            failures.push(line);
          }
        }
      }
    } finally {
      db.close();
    }
    assert.deepEqual(failures, [], "statements that scan a large table");
    // The lowest free node and a user's live sessions are searched in the partial indexes of
    // live sessions, whatever else the table holds (bench/scale.ts: flat from 10k to 1M rows).
    for (
      const [name, index] of [
        ["sessions.freeNode", /USING (COVERING )?INDEX sessions_live_node/],
        ["sessions.ofUser", /USING (COVERING )?INDEX sessions_user_live/],
      ] as const
    ) {
      const reads = (plans.get(name) ?? []).filter((d) =>
        /^(SCAN|SEARCH) (sessions|s|t|h)\b/.test(d)
      );
      assert.ok(reads.length > 0, `${name} reads sessions`);
      for (const read of reads) assert.match(read, index, `${name}: ${read}`);
    }
    for (const name of Object.keys(NAMED_INDEXES)) {
      assert.ok(recorder.seen.has(name), `the scenario never ran ${name}`);
    }
    const declared = declaredStatements()
      .filter((q) =>
        !/^(tx\.|pg\.|copy\.|(users|files|messageAreas|fileAreas)\.update\.)/
          .test(q.name)
      )
      .map((q) => q.name);
    const unexplained = declared.filter((name) => !recorder.seen.has(name));
    assert.deepEqual(unexplained, [], "statements the scenario never ran");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "every statement of the operations uses an index (PostgreSQL)",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_plan");
    await (await openStorage(db.url)).close();
    const connection = await connect(
      db.url,
      V.parse(V.openOptions, { migrate: "off" }, "options", "test"),
    );
    const recorder = new Recorder(connection.root as Executor);
    try {
      await scenario(recorder);
    } finally {
      await connection.close();
    }
    assert.ok(
      recorder.seen.size > 40,
      `the scenario ran ${recorder.seen.size} statements`,
    );
    const sql = rawClient(db.url);
    const failures: string[] = [];
    try {
      // Tiny tables make a sequential scan the cheapest plan; forbid it unless nothing else
      // can answer, which is what this test looks for.
      await sql.unsafe("SET enable_seqscan = off");
      for (const { q, params } of recorder.seen.values()) {
        const plan = await sql.unsafe(
          `EXPLAIN ${pgText(q)}`,
          pgParams(q, params) as never[],
        );
        const lines = plan.map((row) => String(row["QUERY PLAN"]));
        if (q.name === "sessions.freeNode" || q.name === "sessions.ofUser") {
          const index = q.name === "sessions.freeNode"
            ? /sessions_live_node/
            : /sessions_user_live/;
          // Index scans name their index; a bitmap heap scan reads what its index scan found.
          const scans = lines.filter((l) =>
            / on sessions\b/.test(l) && !/Bitmap Heap Scan/.test(l)
          );
          assert.ok(scans.length > 0, `${q.name} reads sessions`);
          for (const l of scans) assert.match(l, index, `${q.name}: ${l}`);
        }
        for (const line of lines) {
          // A file list walks its order's index: sorting the area's files would grow with them.
          // (files.find: on these few rows PostgreSQL guesses a sort of one row cheapest;
          // bench/scale.ts checks that its order comes from files_name_key on a large board.)
          if (
            /^files\.list\./.test(q.name) &&
            /^\s*(->\s*)?(Incremental )?Sort\b/.test(line)
          ) {
            failures.push(`${q.name}: ${line.trim()}`);
          }
          if (
            /Seq Scan on (users|messages|files|sessions|events)\b/.test(line) &&
            !COUNTS.test(`${q.name}:`)
          ) {
            failures.push(`${q.name}: ${line.trim()}`);
          }
        }
      }
    } finally {
      await sql.end();
    }
    assert.deepEqual(failures, [], "statements that scan a large table");
  },
});
