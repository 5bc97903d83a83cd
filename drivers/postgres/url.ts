/**
 * The grammar of `postgres:` URLs, checked strictly before anything is sent: one host, a port
 * from 1 to 65535, one database, the documented parameters once each, integers as plain
 * digits, no control character anywhere, and names no longer than PostgreSQL keeps (63 bytes;
 * the server would cut a longer one and use another name, or refuse the whole startup packet).
 *
 * @module
 */
import { characters, describe, StorageError } from "../../driver.ts";
import type { PostgresConnectOptions } from "./options.ts";
import { type PostgresSettings, tlsSettings } from "./dialect.ts";

/** The URL parameters the driver understands. */
export const URL_PARAMETERS = [
  "sslmode",
  "sslrootcert",
  "application_name",
  "connect_timeout",
  "poolSize",
  "connectTimeoutMs",
  "idleTimeoutMs",
  "acquireTimeoutMs",
  "statementTimeoutMs",
] as const;

const DEFAULTS = {
  poolSize: 10,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  statementTimeoutMs: 60_000,
};

/** PostgreSQL's longest name (`NAMEDATALEN` - 1), in bytes: user, database, application_name. */
export const NAME_BYTES = 63;

const FORM = "postgres://user:password@host:port/database?parameter=value";

/**
 * Parses `postgres://user:password@host:port/database?param=value` (also `postgresql://`) and
 * merges the open options; a URL parameter wins over the same open option.
 *
 * @param url The URL.
 * @param options The parsed open options.
 * @returns The settings.
 * @throws {StorageError} `validation` for a malformed URL, an unknown or repeated parameter or
 * a bad value, naming the part (never showing it).
 */
export async function parsePostgresUrl(
  url: string,
  options: PostgresConnectOptions,
): Promise<PostgresSettings> {
  const parsed = structure(url);
  const params = parameters(parsed.search);
  const pg = options.driver ?? {};
  const host = part(parsed.hostname, "host", 255).replace(/^\[(.*)\]$/, "$1");
  const database = part(
    parsed.pathname.replace(/^\//, ""),
    "database",
    NAME_BYTES,
  );
  const legacySeconds = number(params, "connect_timeout", 1, 3600);
  const sslmode = params.get("sslmode") ?? "disable";
  return {
    host,
    port: port(parsed.port),
    database,
    user: part(parsed.username, "user name", NAME_BYTES),
    password: part(parsed.password, "password", Infinity),
    sslmode,
    tls: await tlsSettings(sslmode, params.get("sslrootcert") ?? null),
    applicationName: params.get("application_name") ?? "impulse-storage",
    poolSize: number(params, "poolSize", 1, 1000) ?? pg.poolSize ??
      DEFAULTS.poolSize,
    connectTimeoutMs: number(params, "connectTimeoutMs", 1, 3_600_000) ??
      (legacySeconds === undefined ? undefined : legacySeconds * 1000) ??
      pg.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    idleTimeoutMs: number(params, "idleTimeoutMs", 0, 86_400_000) ??
      pg.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    acquireTimeoutMs: number(params, "acquireTimeoutMs", 0, 3_600_000) ??
      options.acquireTimeoutMs,
    statementTimeoutMs: number(params, "statementTimeoutMs", 1, 86_400_000) ??
      pg.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
    where: `${host || "localhost"}:${parsed.port || 5432}/${database}`,
    readOnly: options.readOnly === true,
  };
}

/** The URL's structure: `postgres://` or `postgresql://`, no fragment, one host, one path segment. */
function structure(url: string): URL {
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw invalid(
      "url",
      `Cannot open storage as the PostgreSQL URL does not start with postgres:// or postgresql://: use ${FORM}`,
    );
  }
  if (url.includes("#")) {
    throw invalid(
      "url",
      `Cannot open storage as the PostgreSQL URL holds a "#": write it as %23 in a password or name`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      "url",
      `Cannot open storage as the PostgreSQL URL is malformed: use ${FORM}`,
    );
  }
  if (parsed.hostname.includes(",")) {
    throw invalid(
      "url",
      `Cannot open storage as the PostgreSQL URL lists several hosts: give one host (lists of hosts are not supported)`,
    );
  }
  if (parsed.pathname.lastIndexOf("/") > 0) {
    throw invalid(
      "url",
      `Cannot open storage as the PostgreSQL URL's path has more than one segment: ` +
        `it names one database; write a "/" in its name as %2F`,
    );
  }
  return parsed;
}

/**
 * The parameters, each known, given once and well escaped. The query is split by hand:
 * `URLSearchParams` keeps a malformed escape (`%ZZ`) as written and turns an escape that is not
 * UTF-8 (`%FF`) into U+FFFD, where this refuses both.
 */
function parameters(search: string): Map<string, string> {
  const seen = new Map<string, string>();
  for (const pair of search.replace(/^\?/, "").split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decoded(eq < 0 ? pair : pair.slice(0, eq), "url", "a name");
    if (!(URL_PARAMETERS as readonly string[]).includes(key)) {
      const shown = /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? key : null;
      throw invalid(
        `url.${shown ?? "?"}`,
        `Unknown PostgreSQL URL parameter: ${
          shown === null
            ? `a name of ${characters(key)} characters`
            : `"${shown}"`
        }: use ${URL_PARAMETERS.join(", ")}`,
      );
    }
    const value = decoded(eq < 0 ? "" : pair.slice(eq + 1), `url.${key}`, key);
    if (seen.has(key)) {
      throw invalid(
        `url.${key}`,
        `Invalid PostgreSQL URL parameter: ${key} is given more than once: give it once`,
      );
    }
    if (!printable(value)) {
      throw invalid(
        `url.${key}`,
        `Invalid PostgreSQL URL parameter: ${key} holds a control character: remove it`,
      );
    }
    if (key === "application_name") bounded(value, `url.${key}`, key);
    seen.set(key, value);
  }
  return seen;
}

/** A parameter's name or value, decoded (`+` is a space): a malformed escape is refused. */
function decoded(text: string, field: string, name: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    throw invalid(
      field,
      `Invalid openStorage input: url has a malformed percent-escape in ${
        name === "a name" ? "the name of a parameter" : `parameter ${name}`
      }: write "%" as "%25" and other special characters as UTF-8 "%XX" escapes`,
    );
  }
}

/**
 * Percent-decodes a part of the URL and checks it: no malformed escape, no control character,
 * at most `maxBytes` bytes of UTF-8. The part itself is never shown.
 */
function part(text: string, name: string, maxBytes: number): string {
  let value: string;
  try {
    value = decodeURIComponent(text);
  } catch {
    throw invalid(
      "url",
      `Invalid openStorage input: url has a malformed percent-escape in its ${name}: ` +
        `write "%" as "%25" and other special characters as UTF-8 "%XX" escapes`,
    );
  }
  if (!printable(value)) {
    throw invalid(
      "url",
      `Invalid openStorage input: url has a control character in its ${name}: remove it`,
    );
  }
  return bounded(value, "url", `its ${name}`, maxBytes);
}

/** `value`, unless it is longer than `maxBytes` bytes of UTF-8. */
function bounded(
  value: string,
  field: string,
  name: string,
  maxBytes = NAME_BYTES,
): string {
  const bytes = new TextEncoder().encode(value).length;
  if (bytes > maxBytes) {
    throw invalid(
      field,
      `Invalid openStorage input: url has ${name} of ${bytes} bytes: PostgreSQL keeps at most ` +
        `${maxBytes} bytes of a name (it would use a shorter one, or refuse the connection)`,
    );
  }
  return value;
}

function port(text: string): number {
  if (text === "") return 0;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < 1 || value > 65535) {
    throw invalid(
      "url",
      `Invalid openStorage input: url has port ${text}: use a port from 1 to 65535, or none for 5432`,
    );
  }
  return value;
}

/** Whether a text holds no control character (C0, DEL or C1). */
function printable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}

function number(
  params: Map<string, string>,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const text = params.get(key);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^[0-9]{1,16}$/.test(text) || value < min || value > max) {
    throw invalid(
      `url.${key}`,
      `Invalid PostgreSQL URL parameter: ${key} must be an integer from ${min} to ${max}, ` +
        `written in digits: got ${describe(text)}`,
    );
  }
  return value;
}

function invalid(field: string, message: string): StorageError {
  return new StorageError("validation", message, { field });
}
