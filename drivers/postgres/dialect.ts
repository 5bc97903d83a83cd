/**
 * What is particular to PostgreSQL: URL forms and pool settings, TLS settings, `?` to `$n`
 * placeholders, and the mapping of SQLSTATE codes and connection failures onto
 * {@linkcode StorageErrorKind}s.
 *
 * @module
 */
import { StorageError, type StorageErrorKind } from "../../src/errors.ts";
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
  const host = decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, "$1");
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const settings: PostgresSettings = {
    host,
    port: parsed.port === "" ? 0 : Number(parsed.port),
    database,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
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
  };
  return settings;
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

/** SQLSTATEs after which a transaction may simply be run again. */
const RETRYABLE = new Set(["40001", "40P01"]);

/** Codes of failures while connecting that may pass: nothing was sent. */
const BEFORE_SEND = new Set([
  "ECONNREFUSED",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "CONNECT_TIMEOUT",
  "57P03",
  "53300",
]);

/** Codes of failures while connecting that a retry cannot mend. */
const FATAL = new Set(["ENOTFOUND", "3D000", "28000", "28P01"]);

/** Codes of a connection that broke: a statement sent on it may or may not have run. */
const BROKEN = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
]);

/**
 * The SQLSTATE or client error code of an error, if it has one.
 *
 * @param error What was thrown.
 * @returns The code.
 */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether an error (or the error it wraps) is a serialization failure or a deadlock.
 *
 * @param error What was thrown.
 * @returns `true` for SQLSTATE 40001 and 40P01.
 */
export function isRetryable(error: unknown): boolean {
  const cause = error instanceof StorageError ? error.cause : error;
  return RETRYABLE.has(codeOf(cause) ?? "");
}

/**
 * How a failure relates to the connection: `before` (connecting failed for now; nothing was
 * sent), `fatal` (connecting cannot succeed: wrong database, password, certificate or
 * permission), `broken` (the connection broke; a statement sent on it may have run), or `none`.
 *
 * @param error What was thrown (or a `StorageError` wrapping it).
 * @returns The class.
 */
export function connectionFailure(
  error: unknown,
): "before" | "fatal" | "broken" | "none" {
  const cause = error instanceof StorageError ? error.cause : error;
  const code = codeOf(cause) ?? "";
  if (BEFORE_SEND.has(code) || code.startsWith("08")) return "before";
  if (FATAL.has(code)) return "fatal";
  if (isTlsFailure(cause) || isPermissionFailure(cause)) return "fatal";
  if (BROKEN.has(code)) return "broken";
  return "none";
}

/**
 * The kind of a SQLSTATE.
 *
 * @param code A five-character SQLSTATE.
 * @returns The kind.
 */
export function kindOf(code: string): StorageErrorKind {
  if (code === "23505") return "conflict";
  if (code.startsWith("23") || code === "22003") return "constraint";
  if (code === "55P03" || code === "57014") return "timeout";
  if (
    RETRYABLE.has(code) || /^(08|28|53|57|58|3D)/.test(code) ||
    code === "25006"
  ) return "unavailable";
  return "internal";
}

/**
 * Turns a client error into a {@linkcode StorageError}. A `StorageError` passes unchanged.
 *
 * @param error What postgres.js (or the runtime) threw.
 * @param doing What was being done, for the message (`users.insert`).
 * @param where The server, as `host:port/database`.
 * @returns The error to throw.
 */
export function toStorageError(
  error: unknown,
  doing: string,
  where: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (isPermissionFailure(error)) {
    return new StorageError(
      "unavailable",
      `Cannot reach PostgreSQL at ${where} as permission is missing: ${detail}: run with ` +
        `--allow-net=host:port and --allow-env (postgres.js reads PG* variables)`,
      { cause: error },
    );
  }
  if (isTlsFailure(error)) {
    return new StorageError(
      "unavailable",
      `Cannot open a verified TLS connection to PostgreSQL at ${where} during ${doing}: ${detail}: ` +
        `check that the server has TLS on and a certificate trusted here (sslrootcert), or use sslmode=disable`,
      { cause: error },
    );
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    const kind = kindOf(code);
    return new StorageError(
      kind,
      `PostgreSQL failed during ${doing}: ${detail} (SQLSTATE ${code})${
        hint(code)
      }`,
      { cause: error },
    );
  }
  if (connectionFailure(error) !== "none") {
    return new StorageError(
      "unavailable",
      `Cannot reach PostgreSQL at ${where} during ${doing}: ${detail}: check that the server ` +
        `is running and the URL is right`,
      { cause: error },
    );
  }
  return new StorageError(
    "internal",
    `PostgreSQL failed during ${doing}: ${detail}`,
    { cause: error },
  );
}

function hint(code: string): string {
  if (code.startsWith("28")) return ": check the user name and password";
  if (code === "3D000") return ": create the database first";
  if (code === "53300") return ": lower poolSize or raise max_connections";
  if (code === "55P03") return ": a lock was held longer than acquireTimeoutMs";
  return "";
}

function isPermissionFailure(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.PermissionDenied;
}

function isTlsFailure(error: unknown): boolean {
  const code = codeOf(error) ?? "";
  const message = error instanceof Error ? error.message : "";
  return /CERT|SELF_SIGNED|ALTNAME|TLS/i.test(code) ||
    /certificate|secure TLS connection/i.test(message);
}
