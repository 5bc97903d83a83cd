/**
 * redactUrl() and scrub() from their promise: a URL's password, whatever characters it holds
 * (every ASCII punctuation character, spaces, `%` sequences, non-ASCII), is hidden whole, in
 * every spelling text could hold it. Every password holds the marker `canary`.
 */
import assert from "node:assert/strict";
import { redactUrl, safeDecode, scrub, urlSecrets } from "./redact.ts";

const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const ALL_PUNCTUATION = `${PUNCTUATION}canary${PUNCTUATION}`;

/** Passwords of every kind, each holding the marker. */
const PASSWORDS: string[] = [
  ...[...PUNCTUATION].map((c) => `a${c}canary${c}b`),
  ALL_PUNCTUATION,
  "pass word canary",
  " canary ",
  "tab\tcanary",
  "canary%41%42",
  "canary%2",
  "%%canary%",
  "%25canary",
  "canary%zz",
  "canary%C3%A4",
  "pässwörd-canary",
  "пароль-canary",
  "密码canary",
  "🔑canary🔑",
  "canary\u00a0nbsp",
];

/** The password as it may be written in a URL: percent-encoded, and raw where a parser takes it. */
function urlsWith(password: string, base: string): string[] {
  const at = base.indexOf("@");
  const [head, tail] = [base.slice(0, at), base.slice(at)];
  const encoded = `${head}:${encodeURIComponent(password)}${tail}`;
  // A raw password is taken up to the last "@", but "/", "?", "#" or "%" would change the URL.
  return /[/?#%\\]/.test(password)
    ? [encoded]
    : [encoded, `${head}:${password}${tail}`];
}

function assertNoCanary(text: string, what: string): void {
  assert.ok(!text.includes("canary"), `${what} shows a password: ${text}`);
}

Deno.test("redactUrl() hides passwords of every ASCII punctuation character, spaces, % sequences and non-ASCII", () => {
  for (const password of PASSWORDS) {
    for (
      const url of urlsWith(password, "postgres://bbs@db.example:5432/board")
    ) {
      const shown = redactUrl(url);
      assertNoCanary(shown, `redactUrl(${JSON.stringify(url)})`);
      assert.ok(shown.startsWith("postgres://bbs:***@"), shown);
      assert.ok(shown.endsWith("@db.example:5432/board"), shown);
    }
  }
  assert.equal(
    redactUrl("postgres://bbs@h:5432/db"),
    "postgres://bbs@h:5432/db",
  );
  assert.equal(
    redactUrl("sqlite:./data/impulse.db"),
    "sqlite:./data/impulse.db",
  );
});

Deno.test("scrub() removes a URL's password in every spelling text could hold it", () => {
  for (const password of PASSWORDS) {
    for (const url of urlsWith(password, "postgres://bbs@db.example/board")) {
      const secrets = urlSecrets(url);
      let parsed = "";
      try {
        parsed = new URL(url).password;
      } catch { /* a raw form no parser takes */ }
      const spellings = [
        password,
        encodeURIComponent(password),
        parsed,
        safeDecode(parsed),
      ].filter((s) => s.includes("canary"));
      for (const s of spellings) {
        for (const text of [`x ${s} y`, JSON.stringify({ message: s })]) {
          assertNoCanary(scrub(text, secrets), `scrub of ${JSON.stringify(s)}`);
        }
      }
    }
  }
});
