/**
 * The reads of files through `as()` walk the index the system's reads walk, on a board with
 * enough files for the planner to choose (20,000 files in 40 areas, half of them unreadable to
 * the viewer, statistics gathered): a file area's files and the new files in upload order with
 * no sort (the limit stops the walk), files by hash by their index, search by the full-text
 * index (on SQLite; see the PostgreSQL test for why not there).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { declaredStatements, type Sql } from "../src/driver.ts";
import { openStorage, type Storage } from "../mod.ts";
import { dialect } from "../drivers/sqlite/executors.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { pgParams, pgText } from "../drivers/postgres/statements.ts";

const FILES = 20_000;
const AREAS = 40;
const SINCE = 1_700_000_000_000;

/** Each statement, what its plan must show, and what it must not (a sort). */
const EXPECTED: ReadonlyArray<[string, RegExp, boolean]> = [
  ["files.list.uploadedAt.DESC", /\bfiles_area_uploaded\b/, false],
  ["files.list.uploadedAt.DESC.as", /\bfiles_area_uploaded\b/, false],
  ["files.list.uploadedAt.DESC.after.as", /\bfiles_area_uploaded\b/, false],
  ["files.list.downloads.DESC.as", /\bfiles_area_downloads\b/, false],
  ["files.list.downloads.DESC.after.as", /\bfiles_area_downloads\b/, false],
  ["files.list.size.ASC.after.as", /\bfiles_area_size\b/, false],
  ["files.list.name.ASC.after.as", /\bfiles_area_name\b/, false],
  ["files.listNew", /\bfiles_uploaded\b/, false],
  ["files.listNewAs", /\bfiles_uploaded\b/, false],
  ["files.byHashAs", /\bfiles_sha256\b/, true],
  ["files.byIdAs", /files_pkey|INTEGER PRIMARY KEY/, true],
  ["files.search", /files_fts VIRTUAL TABLE|files_search/, true],
  ["files.searchAs", /files_fts VIRTUAL TABLE|files_search/, true],
  // files.find: the pattern's prefix is a range of the name keys, in their order; a pattern
  // that starts with a wildcard walks them in order (the limit stops the walk). PostgreSQL
  // guesses a narrow range of text keys holds a row or two, and may sort what the range takes
  // rather than walk it: either way it reads the prefix's range alone.
  [
    "files.find.low.high.like",
    /files_name_key[^|]*\| Index Cond: \(\(filename_key >=|SEARCH f USING INDEX files_name_key \(filename_key>\? AND filename_key<\?\)/,
    true,
  ],
  [
    "files.find.low.high.like.as",
    /files_name_key[^|]*\| Index Cond: \(\(filename_key >=|SEARCH f USING INDEX files_name_key \(filename_key>\? AND filename_key<\?\)/,
    true,
  ],
  ["files.find.after.high.like.as", /\bfiles_name_key\b/, false],
  ["files.find.low.like.as", /\bfiles_name_key\b/, false],
];

function statement(name: string): Sql {
  const q = declaredStatements().find((q) => q.name === name);
  assert.ok(q, `no statement ${name}`);
  return q;
}

/** The areas (every other one unreadable to the viewer) and the viewer. */
async function board(s: Storage): Promise<{ viewer: number; area: number }> {
  let area = 0;
  for (let i = 0; i < AREAS; i++) {
    const a = await s.fileAreas.create({
      tag: `A${i}`,
      name: `Area ${i}`,
      access: { readLevel: i % 2 === 0 ? 10 : 100 },
    });
    if (i === 0) area = a.id;
  }
  for (let i = 0; i < 50; i++) {
    await s.users.create({ username: `u${i}`, passwordHash: "h" });
  }
  const viewer = await s.users.create({
    username: "viewer",
    passwordHash: "h",
    securityLevel: 50,
  });
  // The statements of the file lists are made on first use: list once in each shape checked.
  await s.files.add({ areaId: area, filename: "A", size: 1 });
  await s.files.add({ areaId: area, filename: "B", size: 2 });
  await s.files.list(area);
  const v = await s.as(viewer.id);
  for (
    const [orderBy, descending] of [
      ["uploadedAt", true],
      ["downloads", true],
      ["size", false],
      ["name", false],
    ] as const
  ) {
    const first = await v.files.page(area, { orderBy, descending, limit: 1 });
    await v.files.list(area, { orderBy, descending, after: first.next! });
  }
  await s.files.add({ areaId: area, filename: "AA", size: 1 });
  await s.files.find({ pattern: "A*" });
  const found = await v.files.findPage({ pattern: "A*", limit: 1 });
  await v.files.find({ pattern: "A*", after: found.next! });
  await v.files.find({ pattern: "*A" });
  return { viewer: viewer.id, area };
}

/** The files, in SQL both databases speak: `n` runs over 1 … FILES. */
const insertFiles = (from: string) =>
  `INSERT INTO files (area_id, filename, filename_key, description, size, sha256, uploaded_at)
   SELECT (SELECT min(id) FROM file_areas) + n % ${AREAS}, 'F' || n || '.ZIP', 'f' || n || '.zip',
          'archive number ' || n, n, 'h' || (n % 5000), ${SINCE} + n * 1000
   FROM ${from}`;

/** The parameters of files.find's wildcard test of a LIKE pattern (src/ops/files.ts). */
const like = (pattern: string) => ["%\u001f%", `${pattern}\u001f%`, pattern];

/** Each statement's parameters. */
function params(viewer: number, area: number): Record<string, unknown[]> {
  const cursor = [SINCE + (FILES / 2) * 1000, FILES / 2];
  return {
    "files.list.uploadedAt.DESC": [area, 20],
    "files.list.uploadedAt.DESC.as": [viewer, area, 20],
    "files.list.uploadedAt.DESC.after.as": [
      viewer,
      area,
      cursor[0],
      ...cursor,
      20,
    ],
    "files.list.downloads.DESC.as": [viewer, area, 20],
    "files.list.downloads.DESC.after.as": [viewer, area, 0, 0, FILES / 2, 20],
    "files.list.size.ASC.after.as": [viewer, area, 100, 100, FILES / 2, 20],
    "files.list.name.ASC.after.as": [viewer, area, "f5000.zip", 20],
    "files.listNew": [SINCE, 20],
    "files.listNewAs": [viewer, SINCE, 20],
    "files.byHashAs": [viewer, "h42"],
    "files.byIdAs": [viewer, 42],
    // A word of one file (every file is an "archive"): the index finds it.
    "files.search": [["archive", "4242"], null, 20],
    "files.searchAs": [["archive", "4242"], null, 20, viewer],
    "files.find.low.high.like": ["f50", "f51", ...like("f50%.zip"), 21],
    // Through as(), the viewer's id comes after the conditions (the area's test is a subquery).
    "files.find.low.high.like.as": [
      "f50",
      "f51",
      ...like("f50%.zip"),
      viewer,
      21,
    ],
    "files.find.after.high.like.as": [
      "f500.zip",
      500,
      "f51",
      ...like("f50%.zip"),
      viewer,
      21,
    ],
    "files.find.low.like.as": ["", ...like("%.zip"), viewer, 21],
  };
}

/** The statements whose plan is not as {@linkcode EXPECTED} says. */
function misplanned(
  plans: ReadonlyMap<string, string>,
  sort: RegExp,
): string[] {
  return EXPECTED.flatMap(([name, index, sorts]) => {
    const plan = plans.get(name);
    if (plan === undefined) return [];
    return index.test(plan) && (sorts || !sort.test(plan))
      ? []
      : [`${name}: ${plan}`];
  });
}

Deno.test("reads of files through as() walk their index on a full board (SQLite)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-plan-access-" });
  try {
    const url = `sqlite:${dir}/plan.db`;
    const storage = await openStorage(url);
    let ids;
    try {
      ids = await board(storage);
    } finally {
      await storage.close();
    }
    const db = new DatabaseSync(`${dir}/plan.db`);
    try {
      db.exec(insertFiles(
        `(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${FILES})
          SELECT n FROM s)`,
      ));
      db.exec("ANALYZE");
      const plans = new Map<string, string>();
      for (
        const [name, values] of Object.entries(params(ids.viewer, ids.area))
      ) {
        const q = statement(name);
        const text = q.dialect ? dialect(q).text : q.text;
        const bound = q.dialect ? dialect(q).bind(values) : values;
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(
          ...bound as never[],
        ) as { detail: string }[];
        plans.set(name, plan.map((row) => row.detail).join(" | "));
      }
      assert.deepEqual(misplanned(plans, /TEMP B-TREE/), []);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "reads of files through as() walk their index on a full board (PostgreSQL)",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_plan_access");
    const storage = await openStorage(db.url);
    let ids;
    try {
      ids = await board(storage);
    } finally {
      await storage.close();
    }
    const sql = rawClient(db.url);
    try {
      await sql.unsafe(
        insertFiles("generate_series(1, " + FILES + ") AS s(n)"),
      );
      await sql.unsafe("ANALYZE");
      const plans = new Map<string, string>();
      for (
        const [name, values] of Object.entries(params(ids.viewer, ids.area))
      ) {
        // PostgreSQL's search builds its tsquery in the statement, which the planner cannot
        // see through: the system's files.search scans the files here as well (its index use is
        // held by query_plan_test.ts, sequential scans off).
        if (name.startsWith("files.search")) continue;
        const q = statement(name);
        const plan = await sql.unsafe(
          `EXPLAIN ${pgText(q)}`,
          pgParams(q, values) as never[],
        );
        plans.set(
          name,
          plan.map((row) => String(row["QUERY PLAN"]).trim()).join(" | "),
        );
      }
      assert.deepEqual(misplanned(plans, /\bSort\b/), []);
    } finally {
      await sql.end();
    }
  },
});
