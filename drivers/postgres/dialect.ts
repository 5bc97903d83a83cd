/**
 * What is particular to PostgreSQL: URL forms and pool settings, TLS settings, and `?` to `$n`
 * placeholders. The mapping of its errors is in `errors.ts`.
 *
 * @module
 */
import { StorageError } from "../../src/errors.ts";
import type { ParsedOpenOptions } from "../../src/validate.ts";

/** TLS settings handed to the client: `false` for none, else Node TLS options. */
export type TlsSettings = false | {
  rejectUnauthorized: true;
  ca?: string;
  checkServerIdentity?: () => undefined;
};

/** Everything needed to open the pool, parsed from the URL and the open options. */
export interface PostgresSettings {
  /** Host name or address (empty: postgres.js falls back to `PGHOST`, then localhost). */
  host: string;
  /** Port (0: postgres.js falls back to `PGPORT`, then 5432). */
  port: number;
  /** Database name (empty: `PGDATABASE`, then the user name). */
  database: string;
  /** User name (empty: `PGUSER`, then the OS user). */
  user: string;
  /** Password (empty: `PGPASSWORD`, then none). Never put into messages. */
  password: string;
  /** `sslmode` as given, for messages. */
  sslmode: string;
  /** TLS settings. */
  tls: TlsSettings;
  /** `application_name`, shown in `pg_stat_activity`. */
  applicationName: string;
  /** Connections in the pool. */
  poolSize: number;
  /** How long opening one connection may take. */
  connectTimeoutMs: number;
  /** How long an idle connection stays open; 0 keeps it. */
  idleTimeoutMs: number;
  /** How long a caller may wait for a pooled connection (or an open transaction). */
  acquireTimeoutMs: number;
  /** Where the server is, for messages: `host:port/database`, never the password. */
  where: string;
  /** Whether every session is read-only (`default_transaction_read_only`): the reading commands. */
  readOnly: boolean;
}

const DEFAULTS = {
  poolSize: 10,
  connectTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
};

const SSLMODES = ["disable", "require", "verify-ca", "verify-full"];

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
] as const;

/**
 * Parses `postgres://user:password@host:port/database?param=value` (also `postgresql://`) and
 * merges the open options; a URL parameter wins over the same open option.
 *
 * @param url The URL.
 * @param options The parsed open options.
 * @returns The settings.
 * @throws {StorageError} `validation` for a malformed URL, an unknown parameter or a bad value.
 */
export async function parsePostgresUrl(
  url: string,
  options: ParsedOpenOptions,
): Promise<PostgresSettings> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(
      "url",
      `Cannot open storage as the PostgreSQL URL is malformed: use postgres://user:password@host:port/database`,
    );
  }
  const params = parsed.searchParams;
  for (const key of params.keys()) {
    if (!(URL_PARAMETERS as readonly string[]).includes(key)) {
      throw invalid(
        `url.${key}`,
        `Unknown PostgreSQL URL parameter: "${key}": use ${
          URL_PARAMETERS.join(", ")
        }`,
      );
    }
  }
  const pg = options.postgres ?? {};
  const legacySeconds = params.get("connect_timeout");
  const sslmode = params.get("sslmode") ?? "disable";
  const host = decoded(parsed.hostname, "host").replace(/^\[(.*)\]$/, "$1");
  const database = decoded(parsed.pathname.replace(/^\//, ""), "database");
  const settings: PostgresSettings = {
    host,
    port: parsed.port === "" ? 0 : Number(parsed.port),
    database,
    user: decoded(parsed.username, "user name"),
    password: decoded(parsed.password, "password"),
    sslmode,
    tls: await tlsSettings(sslmode, params.get("sslrootcert")),
    applicationName: params.get("application_name") ?? "impulse-storage",
    poolSize: number(params, "poolSize", 1, 1000) ?? pg.poolSize ??
      DEFAULTS.poolSize,
    connectTimeoutMs: number(params, "connectTimeoutMs", 1, 3_600_000) ??
      (legacySeconds === null
        ? undefined
        : number(params, "connect_timeout", 1, 3600)! * 1000) ??
      pg.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    idleTimeoutMs: number(params, "idleTimeoutMs", 0, 86_400_000) ??
      pg.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    acquireTimeoutMs: number(params, "acquireTimeoutMs", 0, 3_600_000) ??
      options.acquireTimeoutMs,
    where: `${host || "localhost"}:${parsed.port || 5432}/${database}`,
    readOnly: options.readOnly === true,
  };
  return settings;
}

/** Percent-decodes a part of the URL; malformed escapes are refused without showing the part. */
function decoded(text: string, part: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(
      "url",
      `Invalid openStorage input: url has a malformed percent-escape in its ${part}: ` +
        `write "%" as "%25" and other special characters as UTF-8 "%XX" escapes`,
    );
  }
}

function number(
  params: URLSearchParams,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const text = params.get(key);
  if (text === null) return undefined;
  const value = Number(text);
  if (
    text === "" || !Number.isSafeInteger(value) || value < min || value > max
  ) {
    throw invalid(
      `url.${key}`,
      `Invalid PostgreSQL URL parameter: ${key} must be an integer from ${min} to ${max}: got "${text}"`,
    );
  }
  return value;
}

/**
 * The TLS settings of an `sslmode`. `require` and `verify-full` verify the certificate chain and
 * the host name; `verify-ca` verifies the chain only. Nothing ever skips verification.
 *
 * @param sslmode `disable`, `require`, `verify-ca` or `verify-full`.
 * @param rootCert A CA file (PEM) to trust instead of the system's, or `system`.
 * @returns The settings.
 * @throws {StorageError} `validation` for another mode or an unreadable CA file.
 */
export async function tlsSettings(
  sslmode: string,
  rootCert: string | null,
): Promise<TlsSettings> {
  if (!SSLMODES.includes(sslmode)) {
    throw invalid(
      "url.sslmode",
      `Unsupported sslmode: "${sslmode}": use disable, require, verify-ca or verify-full ` +
        `(modes that may fall back to an unverified or plain connection are refused)`,
    );
  }
  if (sslmode === "disable") return false;
  const tls: TlsSettings = { rejectUnauthorized: true };
  if (rootCert !== null && rootCert !== "system") {
    try {
      tls.ca = await Deno.readTextFile(rootCert);
    } catch (error) {
      throw invalid(
        "url.sslrootcert",
        `Cannot read the sslrootcert file: ${rootCert}: ${
          (error as Error).message
        }`,
      );
    }
  }
  if (sslmode === "verify-ca") tls.checkServerIdentity = () => undefined;
  return tls;
}

function invalid(field: string, message: string): StorageError {
  return new StorageError("validation", message, { field });
}

const texts: (string | undefined)[] = [];

/**
 * Rewrites `?` placeholders to `$1`, `$2` … once per statement id; `?` inside quotes, quoted
 * identifiers and comments stays.
 *
 * @param id The statement's id (the cache key).
 * @param text The portable text.
 * @returns The PostgreSQL text.
 */
export function dollarText(id: number, text: string): string {
  return texts[id] ??= toDollar(text);
}

/**
 * Rewrites `?` placeholders to `$1`, `$2` …, leaving `?` inside quotes and comments.
 *
 * @param text SQL with `?` placeholders.
 * @returns SQL with `$n` placeholders.
 */
export function toDollar(text: string): string {
  let out = "";
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop + 1);
      i = stop;
    } else if (c === "-" && text[i + 1] === "-") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop);
      i = stop - 1;
    } else {
      out += c === "?" ? `$${++n}` : c;
    }
  }
  return out;
}
