/**
 * What is particular to PostgreSQL: pool settings, TLS settings, and `?` to `$n` placeholders.
 * The URL's grammar is in `url.ts`, the mapping of its errors in `errors.ts`.
 *
 * @module
 */
import {
  characters,
  describe,
  runtime,
  sqlSegments,
  StorageError,
} from "../../driver.ts";

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
  /**
   * How long one statement may run: the server's `statement_timeout`; a connection that owes a
   * reply and stays silent this long plus {@linkcode SILENCE_GRACE_MS} is closed.
   */
  statementTimeoutMs: number;
  /** Where the server is, for messages: `host:port/database`, never the password. */
  where: string;
  /** Whether every session is read-only (`default_transaction_read_only`): the reading commands. */
  readOnly: boolean;
}

const SSLMODES = ["disable", "require", "verify-ca", "verify-full"];

/** libpq's modes that may fall back to an unverified or plain connection, refused. */
const FALLBACK_MODES = ["allow", "prefer"];

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
    // libpq's other modes are named; any other text is shown only by its size.
    const shown = FALLBACK_MODES.includes(sslmode)
      ? `"${sslmode}"`
      : describe(sslmode);
    throw invalid(
      "url.sslmode",
      `Unsupported sslmode: ${shown}: use disable, require, verify-ca or verify-full ` +
        `(modes that may fall back to an unverified or plain connection are refused)`,
    );
  }
  if (sslmode === "disable") return false;
  const tls: TlsSettings = { rejectUnauthorized: true };
  if (rootCert !== null && rootCert !== "system") {
    try {
      tls.ca = await runtime.readTextFile(rootCert);
    } catch (error) {
      throw invalid(
        "url.sslrootcert",
        `Cannot read the sslrootcert file (a path of ${
          characters(rootCert)
        } characters): ${
          error instanceof Error ? error.name : "it failed"
        }: give the path of a readable PEM file, percent-encoded`,
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
 * Rewrites `?` placeholders to `$1`, `$2` …, leaving `?` inside strings, quoted identifiers,
 * dollar quotes and comments (nested ones too) alone.
 *
 * @param text SQL with `?` placeholders.
 * @returns SQL with `$n` placeholders.
 */
export function toDollar(text: string): string {
  let out = "";
  let n = 0;
  for (const [from, to, code] of sqlSegments(text)) {
    const run = text.slice(from, to);
    out += code ? run.replace(/\?/g, () => `$${++n}`) : run;
  }
  return out;
}
