/**
 * redactUrl() and scrub() from their promise: a URL's password, whatever characters it holds
 * (every ASCII punctuation character, spaces, `%` sequences, non-ASCII), is hidden whole, in
 * every spelling text could hold it. Every password holds the marker `canary`.
 */
import assert from "node:assert/strict";
import { redactUrl, safeDecode, scrub, urlSecrets } from "./redact.ts";
import { PASSWORDS, urlsWith } from "./_passwords_test.ts";

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
