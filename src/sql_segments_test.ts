import assert from "node:assert/strict";
import { sqlSegments } from "./sql_segments.ts";

/** The code of `text`, its text runs blanked out to `_`. */
function code(text: string): string {
  return sqlSegments(text).map(([from, to, isCode]) =>
    isCode ? text.slice(from, to) : "_".repeat(to - from)
  ).join("");
}

Deno.test("sqlSegments() covers the text whole, in order", () => {
  const text = "SELECT 'a' -- b\n, \"c\" /* d */ , $$e$$ ; ?";
  let at = 0;
  for (const [from, to] of sqlSegments(text)) {
    assert.equal(from, at);
    at = to;
  }
  assert.equal(at, text.length);
});

Deno.test("sqlSegments() takes strings, quoted names and comments for text", () => {
  assert.equal(code("SELECT '?;' AS a"), "SELECT ____ AS a");
  assert.equal(code("SELECT 'it''s?' x"), "SELECT ________ x");
  assert.equal(code('SELECT "a?b" x'), "SELECT _____ x");
  assert.equal(code("SELECT `a?` x"), "SELECT ____ x");
  assert.equal(code("SELECT 1 -- ?;\n; ?"), "SELECT 1 _____\n; ?");
  assert.equal(code("SELECT /* ? */ ?"), "SELECT _______ ?");
});

Deno.test("sqlSegments() nests block comments as PostgreSQL does", () => {
  assert.equal(
    code("/* a /* nested */ b */ COMMIT"),
    "______________________ COMMIT",
  );
  // Left open: text to the end.
  assert.equal(code("/* a /* b */ COMMIT"), "___________________");
});

Deno.test("sqlSegments() reads dollar quotes, tagged or not, but not $ in names or $n", () => {
  assert.equal(code("SELECT $$ ' ; ? $$ x"), "SELECT ___________ x");
  assert.equal(code("SELECT $t$ $$ ; $t$ ;"), "SELECT ____________ ;");
  assert.equal(code("DO $$ BEGIN NULL; END $$"), "DO _____________________");
  // $ inside a name, a numbered parameter: code.
  assert.equal(code("SELECT a$b$ FROM t; ?"), "SELECT a$b$ FROM t; ?");
  assert.equal(code("SELECT $1, $2"), "SELECT $1, $2");
});

Deno.test("sqlSegments() reads E'…' strings with backslash escapes", () => {
  assert.equal(code("SELECT E'\\'' AS a, ?"), "SELECT E____ AS a, ?");
  // A plain string: the backslash is a character, the quote ends it.
  assert.equal(code("SELECT '\\' AS a, ?"), "SELECT ___ AS a, ?");
  // A name ending in e is not an escape prefix.
  assert.equal(code("SELECT name'\\' , ?"), "SELECT name___ , ?");
});
