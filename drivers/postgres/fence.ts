/**
 * Holding a PostgreSQL database's tables against writers for a down step. Other sessions keep
 * writing while a step runs; under READ COMMITTED a row one commits between the down script's
 * copy of a table and its `DROP` would be lost, and a row committed during the trial would show
 * as a row added. So before its trial a down step locks every table the trial covers (see
 * `coverage.ts`) `IN EXCLUSIVE MODE` until it commits: readers go on, writers wait.
 *
 * The lock is waited for at most the migrator's `lockTimeoutMs` (`lock_timeout`, set for the
 * wait only), in a savepoint: a deadlock with a writer that holds one table and waits for another
 * gives the writer its way and the lock is tried again; a wait that runs out fails as `timeout`,
 * naming the session that holds a table, before anything is reverted.
 *
 * @module
 */
import {
  type MigrationQuery,
  type NamedRow,
  sleep,
  StorageError,
} from "../../driver.ts";
import { lockableTables } from "./coverage.ts";
import { codeOf, isRetryable } from "./errors.ts";

const SAVEPOINT = "impulse_fence";

/** What {@linkcode excludeWriters} needs of the connection. */
export interface FenceOptions {
  /** How long to wait, in milliseconds. */
  timeoutMs: number;
  /** The server's `statement_timeout` in milliseconds: no single wait may reach it. */
  statementTimeoutMs: number;
  /** The server, as `host:port/database`, for the message. */
  where: string;
}

/**
 * Locks every table a down step's trial covers `IN EXCLUSIVE MODE` until `q`'s transaction ends.
 *
 * @param q The down step's transaction.
 * @param options The wait's bound and the server.
 * @throws {StorageError} `timeout` when a table stays held past the bound, naming the session.
 */
export async function excludeWriters(
  q: MigrationQuery,
  options: FenceOptions,
): Promise<void> {
  const tables = await lockableTables(q);
  if (tables.length === 0) return;
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const [setting] = await q.all(
    "SELECT current_setting('lock_timeout') AS value",
  );
  for (let delay = 5;; delay = Math.min(delay * 2, 100)) {
    const wait = Math.max(
      1,
      Math.min(deadline - Date.now(), options.statementTimeoutMs - 100),
    );
    await q.exec(`SAVEPOINT ${SAVEPOINT}; SET LOCAL lock_timeout = ${wait}`);
    try {
      await q.exec(`LOCK TABLE ONLY ${tables.join(", ")} IN EXCLUSIVE MODE`);
      await q.exec(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      break;
    } catch (error) {
      await q.exec(
        `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`,
      );
      const code = codeOf((error as { cause?: unknown })?.cause);
      const again = isRetryable(error) || code === "55P03";
      if (!again) throw error;
      if (Date.now() >= deadline) {
        throw await timedOut(q, tables, Date.now() - started, options);
      }
      if (code !== "55P03") await sleep(delay * (0.5 + Math.random() / 2));
    }
  }
  // Only the wait for these locks is bounded so: the rest of the step waits as it would have.
  await q.all("SELECT set_config('lock_timeout', ?, true)", [
    String(setting?.value),
  ]);
}

const HOLDERS = `
  SELECT DISTINCT ON (l.pid) l.pid, a.application_name, a.usename,
         a.client_addr::text AS addr, a.state, format('%I.%I', n.nspname, c.relname) AS tbl
  FROM pg_locks l
  JOIN pg_class c ON c.oid = l.relation
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'relation' AND l.granted AND l.mode <> 'AccessShareLock'
    AND l.pid <> pg_backend_pid()
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.relation IN (SELECT value::regclass FROM json_array_elements_text(?::text::json))
  ORDER BY l.pid, c.relname
  LIMIT 3`;

async function timedOut(
  q: MigrationQuery,
  tables: readonly string[],
  tookMs: number,
  options: FenceOptions,
): Promise<StorageError> {
  const holders = await q.all(HOLDERS, [JSON.stringify(tables)])
    .catch(() => [] as NamedRow[]);
  const who = holders.length === 0
    ? "another session held them (and has let go since)"
    : holders.map((h) => `${session(h)} holds table ${h.tbl}`).join("; ");
  const end = holders.length === 0
    ? ""
    : `, or end it with ${
      holders.map((h) => `SELECT pg_terminate_backend(${h.pid})`).join("; ")
    }`;
  return new StorageError(
    "timeout",
    `Timed out after ${tookMs} ms waiting to hold the tables of ${options.where} against ` +
      `writers for a down step: ${who}, writing in a transaction: nothing was reverted: ` +
      `let that transaction end and run it again${end}, or wait longer ` +
      "(openMigrator: lockTimeoutMs; deno task migrate: --lock-timeout)",
  );
}

/** A server session for a message: its backend pid, application, user, address and state. */
function session(row: NamedRow): string {
  const state = typeof row.state === "string" ? `, ${row.state}` : "";
  return `backend pid ${row.pid} (application "${
    row.application_name ?? ""
  }", user ` +
    `${row.usename ?? "unknown"}${
      row.addr ? ` from ${row.addr}` : ""
    }${state})`;
}
