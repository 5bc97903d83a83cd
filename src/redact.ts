/**
 * Keeping connection passwords out of everything the package shows: a URL's display form, and
 * the password of a URL in every spelling it can take, for scrubbing text that might hold it.
 *
 * Both work on the URL's structure, not on what the surrounding text looks like: the password is
 * whatever lies between the `:` after the user name and the `@` before the host, whichever
 * characters it holds (spaces, quotes, `<`, backticks, `%`, non-ASCII).
 *
 * @module
 */
import { StorageError } from "./errors.ts";
import { inspect } from "./runtime.ts";

/** What a password is replaced with. */
export const HIDDEN = "***";

/** The parts of a URL's authority: `user:password@` and what follows the last `@`. */
interface Userinfo {
  /** Everything up to and including `//`. */
  head: string;
  /** The user name as written. */
  user: string;
  /** The password as written, or `null` when the URL has none. */
  password: string | null;
  /** Everything after the last `@`: host, port, path, parameters. */
  tail: string;
}

/**
 * Splits a URL at its user information. The password is taken to run to the last `@` of the
 * whole URL, not of the authority only: a password holding `/`, `?` or `#` unencoded then stays
 * hidden whole, even though a URL parser would cut it short (and the driver refuse it).
 */
function userinfo(url: string): Userinfo | null {
  const start = url.indexOf("//");
  const at = url.lastIndexOf("@");
  if (start < 0 || at < start) return null;
  const info = url.slice(start + 2, at);
  const colon = info.indexOf(":");
  return {
    head: url.slice(0, start + 2),
    user: colon < 0 ? info : info.slice(0, colon),
    password: colon < 0 ? null : info.slice(colon + 1),
    tail: url.slice(at + 1),
  };
}

/**
 * A database URL as it may be shown: its password, if any, replaced by `***`.
 *
 * @param url The URL as given.
 * @returns The URL without its password.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(redactUrl("postgres://bbs:s3 cr\"et@db:5432/bbs"), "postgres://bbs:***@db:5432/bbs");
 * assert.equal(redactUrl("sqlite:./data/impulse.db"), "sqlite:./data/impulse.db");
 * ```
 */
export function redactUrl(url: string): string {
  const parts = userinfo(url);
  if (parts === null || parts.password === null) return url;
  return `${parts.head}${parts.user}:${HIDDEN}@${parts.tail}`;
}

/**
 * Every spelling of a URL's password that text could hold: as written in the URL, as a URL
 * parser normalises it, percent-decoded (what the server receives), percent-encoded, and each
 * of these as JSON writes it inside a string.
 *
 * Spellings shorter than three characters are left out: scrubbing them would mangle the text
 * around them, and nothing the package prints holds a URL's password in the first place.
 *
 * @param url The URL as given.
 * @returns The spellings, longest first; none when the URL has no password.
 */
export function urlSecrets(url: string): string[] {
  const written = new Set<string>();
  const info = userinfo(url);
  if (info?.password) written.add(info.password);
  try {
    const parsed = new URL(url).password;
    if (parsed) written.add(parsed);
  } catch {
    // Not a URL a parser takes: the spelling as written is all there is.
  }
  const spellings = new Set<string>();
  const user = info?.user;
  for (const form of written) {
    const decoded = safeDecode(form);
    const forms = [
      form,
      decoded,
      encodeURIComponent(decoded),
      encodeURIComponent(form),
    ];
    // HTTP Basic credentials carry `user:password` in base64.
    for (const name of user === undefined ? [] : [user, safeDecode(user)]) {
      for (const pw of [form, decoded]) {
        forms.push(base64(`${name}:${pw}`));
      }
    }
    for (const s of forms) {
      spellings.add(s);
      spellings.add(JSON.stringify(s).slice(1, -1));
    }
  }
  return [...spellings].filter((s) => s.length >= 3).sort((a, b) =>
    b.length - a.length
  );
}

/** Text as base64 of its UTF-8 bytes. */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/**
 * Replaces every occurrence of each secret in `text` with `***`.
 *
 * @param text The text.
 * @param secrets The secrets, longest first (as {@linkcode urlSecrets} gives them).
 * @returns The text without them.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, HIDDEN);
  return out;
}

/**
 * Percent-decodes `text`, or returns it unchanged when its escapes are malformed.
 *
 * @param text The text.
 * @returns The decoded text.
 */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * An error as it may be shown: unchanged when none of the secrets appears in its message,
 * stack or causes; else a new error of the same kind and field with the secrets scrubbed from
 * its message and without its cause.
 *
 * @param error The error.
 * @param secrets The secrets (see {@linkcode urlSecrets}).
 * @returns The error to throw.
 */
export function withoutSecrets(
  error: StorageError,
  secrets: readonly string[],
): StorageError {
  if (secrets.length === 0) return error;
  const shown = `${error.stack}\n${inspect(error)}`;
  if (!secrets.some((secret) => shown.includes(secret))) return error;
  return new StorageError(error.kind, scrub(error.message, secrets), {
    field: error.field,
    version: error.version,
  });
}
