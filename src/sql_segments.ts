/**
 * Where SQL text is code and where it is text: the one lexer behind counting `?` placeholders,
 * numbering them for PostgreSQL (`$n`) and telling one statement from several. What is text:
 * `-- …` to the end of the line, block comments (nested, as PostgreSQL nests them), quoted
 * strings (`'…'`, with `''`; `E'…'` with backslash escapes, PostgreSQL's), quoted identifiers
 * (`"…"`, and SQLite's `` `…` ``), and PostgreSQL's dollar quotes (`$$…$$`, `$tag$…$tag$`). Text
 * left open runs to the end. Where the dialects differ it takes the wider reading, so that
 * nothing either database runs as code is taken for text by mistake in a way that matters: a
 * dollar quote or nested comment that SQLite would not read as one makes the text a syntax
 * error there.
 *
 * @module
 */

/** A run of SQL: `[start, end)`, and whether it is code (`false`: a comment, string or quote). */
export type SqlSegment = readonly [start: number, end: number, code: boolean];

const IDENTIFIER = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Where the text that starts at `i` ends (exclusive), or `undefined` when code starts there. */
function textEnd(text: string, i: number): number | undefined {
  const c = text[i]!;
  const next = text[i + 1];
  const before = i > 0 ? text[i - 1]! : "";
  if (c === "-" && next === "-") {
    const end = text.indexOf("\n", i);
    return end < 0 ? text.length : end;
  }
  if (c === "/" && next === "*") {
    let depth = 0;
    for (let j = i; j < text.length - 1; j++) {
      if (text[j] === "/" && text[j + 1] === "*") {
        depth++;
        j++;
      } else if (text[j] === "*" && text[j + 1] === "/") {
        depth--;
        j++;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  if (c === "'") {
    // E'…' (PostgreSQL): a backslash escapes the next character.
    const escapes = (before === "E" || before === "e") &&
      !IDENTIFIER.test(i > 1 ? text[i - 2]! : "");
    for (let j = i + 1; j < text.length; j++) {
      if (escapes && text[j] === "\\") j++;
      else if (text[j] === "'") {
        if (text[j + 1] === "'") j++;
        else return j + 1;
      }
    }
    return text.length;
  }
  if (c === '"' || c === "`") {
    const end = text.indexOf(c, i + 1);
    return end < 0 ? text.length : end + 1;
  }
  if (c === "$" && !IDENTIFIER.test(before)) {
    const tag = DOLLAR_TAG.exec(text.slice(i, i + 256))?.[0];
    if (tag !== undefined) {
      const end = text.indexOf(tag, i + tag.length);
      return end < 0 ? text.length : end + tag.length;
    }
  }
  return undefined;
}

/**
 * Splits SQL into code and text.
 *
 * @param text The SQL.
 * @returns Its runs, in order, covering it whole.
 */
export function sqlSegments(text: string): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let code = 0; // where the current run of code began
  for (let i = 0; i < text.length; i++) {
    const end = textEnd(text, i);
    if (end === undefined) continue;
    if (i > code) segments.push([code, i, true]);
    segments.push([i, end, false]);
    code = end;
    i = end - 1;
  }
  if (code < text.length) segments.push([code, text.length, true]);
  return segments;
}
