import assert from "node:assert/strict";
import fc from "fast-check";
import { StorageError } from "../../driver.ts";
import { parseSqliteUrl } from "./url.ts";
import { toStorageError } from "./errors.ts";
import { nodeEngine } from "./engine.ts";

/** What SQLite treats specially when it opens a name: a URI filename, or `:memory:`. */
function special(path: string): boolean {
  return /^file:/i.test(path) || path === ":memory:";
}

Deno.test("parseSqliteUrl() never hands an engine a name SQLite reads as a URI or a special name", () => {
  const piece = fc.constantFrom(
    "file:",
    "FILE:",
    ":memory:",
    ":",
    "//",
    "/",
    "./",
    "../",
    "..\\",
    "?",
    "%3F",
    "%",
    "#",
    "mode=memory",
    "nolock=1",
    "engine=node",
    "&",
    "board.db",
    " ",
    "\0",
    "\n",
    "ä",
  );
  const rest = fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), {
    maxLength: 8,
  }).map((parts) => parts.join(""));
  fc.assert(
    fc.property(fc.constantFrom("sqlite:", "sqlite://", "SQLITE:"), rest, (
      scheme,
      text,
    ) => {
      let parsed;
      try {
        parsed = parseSqliteUrl(scheme + text);
      } catch (error) {
        assert.ok(error instanceof StorageError, String(error));
        assert.equal(error.kind, "validation");
        assert.equal(error.field, "url");
        return;
      }
      if (parsed.memory) {
        assert.equal(parsed.path, ":memory:");
        return;
      }
      assert.ok(!special(parsed.path), parsed.path);
      assert.match(parsed.path, /^(\/|\.\/|\.\.\/)/);
      assert.ok(!/\p{Cc}/u.test(parsed.path), parsed.path);
      // The path is the text before the first "?", as written.
      const written = (scheme + text).replace(/^sqlite:(\/\/)?/i, "")
        .split("?")[0]!;
      assert.ok(parsed.path.endsWith(written), `${written} -> ${parsed.path}`);
    }),
    { numRuns: 5000 },
  );
});

Deno.test("parseSqliteUrl() takes a path as written and puts ./ before a relative one", () => {
  const cases: [string, string][] = [
    ["sqlite:board.db", "./board.db"],
    ["sqlite:./board.db", "./board.db"],
    ["sqlite:../board.db", "../board.db"],
    ["sqlite:/srv/bbs/board.db", "/srv/bbs/board.db"],
    ["sqlite:///srv/bbs/board.db", "/srv/bbs/board.db"],
    ["sqlite://data/board.db", "./data/board.db"],
    ["sqlite:data/100%.db", "./data/100%.db"],
    ["sqlite:data/a%3Fb.db?engine=ffi", "./data/a%3Fb.db"],
    ["sqlite:sub/file:x.db", "./sub/file:x.db"],
    ["sqlite::memory:", ":memory:"],
    ["sqlite::memory:?engine=ffi", ":memory:"],
  ];
  for (const [url, path] of cases) assert.equal(parseSqliteUrl(url).path, path);
});

Deno.test("toStorageError() makes SQLite's schema mismatches migration, and shows no SQL text", () => {
  const db = nodeEngine.open(":memory:", { busyTimeoutMs: 0 });
  db.exec("CREATE TABLE t (a TEXT)");
  const failure = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return toStorageError(error, nodeEngine.errorCode(error), "test");
    }
    assert.fail("expected a failure");
  };
  const cases: [string, string][] = [
    ["INSERT INTO t (b) VALUES ('Lit3ral')", "migration"],
    ["INSERT INTO t VALUES ('Lit3ral', 'x')", "migration"],
    ["SELECT * FROM t WHERE b = 'Lit3ral'", "migration"],
    ["SELECT * FROM gone WHERE a = 'Lit3ral'", "migration"],
    ["INSERT INTO t VALUES ('a' 'Lit3ral')", "internal"],
    ["INSERT INTO t VALUES ('Lit3ral)", "internal"],
    ["CREATE TABLE t (x); INSERT INTO t VALUES ('Lit3ral')", "internal"],
  ];
  for (const [text, kind] of cases) {
    for (const run of [() => db.exec(text), () => db.prepare(text).run([])]) {
      const error = failure(run);
      assert.equal(error.kind, kind, `${text}: ${error.message}`);
      for (const shown of [error.message, String(error.cause)]) {
        assert.ok(!shown.includes("Lit3ral"), `${text}: ${shown}`);
        assert.ok(
          !/\b(INSERT|SELECT|CREATE) /.test(shown),
          `${text}: ${shown}`,
        );
      }
      if (kind === "migration") {
        assert.match(error.message, /not at the version this code needs/);
      }
    }
  }
  db.close();
});
