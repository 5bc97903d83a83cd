/**
 * Passwords of every kind, for the tests that no password ever shows (src/redact_test.ts,
 * tests/secrets_test.ts): every ASCII punctuation character, spaces, `%` sequences, non-ASCII.
 * Every password holds the marker `canary`.
 *
 * @module
 */
/** Every ASCII punctuation character. */
export const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
/** A password holding every punctuation character twice, around the marker. */
export const ALL_PUNCTUATION = `${PUNCTUATION}canary${PUNCTUATION}`;

/** Passwords of every kind, each holding the marker. */
export const PASSWORDS: string[] = [
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

/**
 * The password as it may be written in a URL: percent-encoded, and raw where a parser takes it.
 *
 * @param password The password.
 * @param base A URL with a user and no password, like `postgres://bbs@host/db`.
 * @returns The URLs.
 */
export function urlsWith(password: string, base: string): string[] {
  const at = base.indexOf("@");
  const [head, tail] = [base.slice(0, at), base.slice(at)];
  const encoded = `${head}:${encodeURIComponent(password)}${tail}`;
  // A raw password is taken up to the last "@", but "/", "?", "#" or "%" would change the URL.
  return /[/?#%\\]/.test(password)
    ? [encoded]
    : [encoded, `${head}:${password}${tail}`];
}
