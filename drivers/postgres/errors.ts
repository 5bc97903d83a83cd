/**
 * The mapping of PostgreSQL's SQLSTATE codes and of connection failures onto
 * {@linkcode StorageErrorKind}s, and the classes of failure the driver retries. What of a
 * client error may be shown is decided in `fault.ts`.
 *
 * @module
 */
import {
  DatabaseError,
  runtime,
  StorageError,
  type StorageErrorKind,
} from "../../driver.ts";
import { pgFault } from "./fault.ts";
import { forbidden } from "./privileges.ts";
import { SILENT } from "./watchdog.ts";

/** PostgreSQL's message for a statement someone cancelled (57014), as opposed to timed out. */
const CANCELLED = /due to user request/;

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
  SILENT,
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
 * Whether an error (or the error it wraps) says the connection stayed silent past the bound on a
 * reply and was closed: not worth trying again within the same call.
 *
 * @param error What was thrown.
 * @returns The answer.
 */
export function isSilent(error: unknown): boolean {
  const cause = error instanceof StorageError ? error.cause : error;
  return codeOf(cause) === SILENT;
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
 * The kind of a SQLSTATE. 57014 (query canceled) is `timeout` when `statement_timeout` ended the
 * statement, `unavailable` when someone cancelled it (`pg_cancel_backend`: "canceling statement
 * due to user request"); as the two share the code, the server's English message tells them
 * apart, and a message in another language counts as a timeout.
 *
 * @param code A five-character SQLSTATE.
 * @param message The server's message.
 * @returns The kind.
 */
export function kindOf(code: string, message = ""): StorageErrorKind {
  if (code === "23505") return "conflict";
  if (code.startsWith("23") || code === "22003") return "constraint";
  if (code === "42501") return "forbidden";
  if (code === "57014" && CANCELLED.test(message)) return "unavailable";
  if (code === "55P03" || code === "57014") return "timeout";
  // invalid_catalog_name: the database does not exist, and the driver never creates one.
  if (code === "3D000") return "not_found";
  // undefined_table, undefined_column: the schema is behind the code.
  if (code === "42P01" || code === "42703") return "migration";
  if (
    RETRYABLE.has(code) || /^(08|28|53|57|58|3D)/.test(code) ||
    code === "25006"
  ) return "unavailable";
  return "internal";
}

/** What an error is mapped in the light of. */
export interface ErrorContext {
  /** What was being done, for the message (`users.insert`). */
  doing: string;
  /** The server, as `host:port/database`. */
  where: string;
  /** The SQL text that failed, if known: it says which privileges a refused statement needs. */
  text?: string;
  /** The role the storage connects as, if the URL names it. */
  user?: string;
}

/**
 * Turns a client error into a {@linkcode StorageError}. A `StorageError` passes unchanged.
 *
 * @param error What postgres.js (or the runtime) threw.
 * @param context What was being done, where, and the statement.
 * @returns The error to throw.
 */
export function toStorageError(
  error: unknown,
  context: ErrorContext,
): StorageError {
  if (error instanceof StorageError) return error;
  const { doing, where } = context;
  const code = codeOf(error);
  const cause = pgFault(error);
  const detail = cause.message;
  if (code === "42501") return forbidden(detail, context, cause);
  if (isPermissionFailure(error)) {
    return new StorageError(
      "unavailable",
      `Cannot reach PostgreSQL at ${where} as permission is missing: ${detail}: run with ` +
        `--allow-net=host:port and --allow-env (postgres.js reads PG* variables)`,
      { cause },
    );
  }
  if (isTlsFailure(error)) {
    return new StorageError(
      "unavailable",
      `Cannot open a verified TLS connection to PostgreSQL at ${where} during ${doing}: ${detail}: ` +
        `check that the server has TLS on and a certificate trusted here (sslrootcert), or use sslmode=disable`,
      { cause },
    );
  }
  if (code === "3D000") {
    return new StorageError(
      "not_found",
      `Cannot open storage as the PostgreSQL database does not exist: ${where} (SQLSTATE 3D000): ` +
        `create it (CREATE DATABASE, or createdb) or correct the database name in the URL; ` +
        `the driver never creates a PostgreSQL database`,
      { cause },
    );
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    const kind = kindOf(code, detail);
    return new StorageError(
      kind,
      `PostgreSQL failed during ${doing}: ${detail} (SQLSTATE ${code})${
        hint(code, kind)
      }`,
      { cause },
    );
  }
  if (connectionFailure(error) !== "none") {
    const why =
      code === "CONNECT_TIMEOUT" && !detail.includes("connectTimeoutMs")
        ? `connecting took longer than connectTimeoutMs (${detail})`
        : detail;
    return new StorageError(
      "unavailable",
      `Cannot reach PostgreSQL at ${where} during ${doing}: ${why}: check that the server ` +
        `is running, the network passes, and the URL is right`,
      { cause },
    );
  }
  return new StorageError(
    "internal",
    `PostgreSQL failed during ${doing}: ${detail}`,
    { cause },
  );
}

function hint(code: string, kind: StorageErrorKind): string {
  if (code.startsWith("28")) return ": check the user name and password";
  if (code === "57014") {
    return kind === "timeout"
      ? ": the statement ran longer than statementTimeoutMs; raise it (URL parameter or " +
        "postgres.statementTimeoutMs) if it must run longer"
      : ": an administrator or another session cancelled it (pg_cancel_backend); nothing of the statement was written";
  }
  if (code === "53300") return ": lower poolSize or raise max_connections";
  if (code === "55P03") return ": a lock was held longer than acquireTimeoutMs";
  if (code === "42P01" || code === "42703") {
    return ': the database schema is not at the version this code needs; run `deno task migrate` (or open it with migrate: "up")';
  }
  return "";
}

function isPermissionFailure(error: unknown): boolean {
  return error instanceof runtime.errors.NotCapable ||
    error instanceof runtime.errors.PermissionDenied ||
    (error instanceof DatabaseError &&
      (error.name === "NotCapable" || error.name === "PermissionDenied"));
}

function isTlsFailure(error: unknown): boolean {
  const code = codeOf(error) ?? "";
  const message = error instanceof Error ? error.message : "";
  return /CERT|SELF_SIGNED|ALTNAME|TLS/i.test(code) ||
    /certificate|secure TLS connection/i.test(message);
}

/**
 * The error after a call's retries ran out: `timeout` when its deadline passed, else
 * `unavailable`.
 *
 * @param mapped The last failure, mapped.
 * @param context What was being done, where, how many attempts, and the deadline if it passed.
 * @returns The error.
 */
export function retriesOver(
  mapped: StorageError,
  context: {
    doing: string;
    where: string;
    attempts: number;
    elapsedMs: number;
    deadlineMs?: number;
  },
): StorageError {
  const { doing, where, attempts, deadlineMs } = context;
  const cause = mapped.cause ?? mapped;
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const took = `${Math.round(context.elapsedMs)} ms`;
  if (deadlineMs !== undefined) {
    return new StorageError(
      "timeout",
      `Gave up on ${doing} after ${tries} in ${took}, as its acquireTimeoutMs (${deadlineMs} ms) ` +
        `had passed: ${mapped.message}: try again later, keep transactions short, or raise acquireTimeoutMs`,
      { cause },
    );
  }
  return new StorageError(
    "unavailable",
    `PostgreSQL at ${where} kept failing during ${doing} after ${tries} in ${took}: ` +
      `${mapped.message}: try again later or raise the retry options`,
    { cause },
  );
}

/**
 * The error of a write that waited past its deadline for the storage's open transaction.
 *
 * @param timeoutMs The deadline's budget.
 * @param doing What was being done.
 * @returns The error.
 */
export function gateTimeout(timeoutMs: number, doing: string): StorageError {
  return new StorageError(
    "timeout",
    `Timed out after ${timeoutMs} ms waiting for an open transaction to end during ${doing}: ` +
      `a transaction of this storage holds its writes; keep transactions short, never ` +
      `await a write on the storage itself inside a transaction, or raise acquireTimeoutMs`,
  );
}
