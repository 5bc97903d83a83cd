/**
 * The PostgreSQL driver's section of the open options (`options.postgres`): its type, as
 * callers see it, and its schema.
 *
 * @module
 */
import { z } from "zod";
import {
  type ConnectOptions,
  type OptionsSchema,
  optionsSchema,
} from "../../driver.ts";

/**
 * For `postgres:` URLs: the connection pool. The URL parameters `poolSize=`,
 * `connectTimeoutMs=`, `idleTimeoutMs=` and `statementTimeoutMs=` say the same and win over
 * these.
 */
export interface PostgresOptions {
  /** Connections in the pool: 1–1000, defaults to 10. */
  poolSize?: number;
  /** How long opening one connection may take, in milliseconds; defaults to 10000. */
  connectTimeoutMs?: number;
  /** How long an idle connection stays open, in milliseconds (0: for ever); defaults to 30000. */
  idleTimeoutMs?: number;
  /**
   * How long one statement may run, in milliseconds (1 to 86400000); defaults to 60000. The
   * server cancels a longer one (`timeout`), and a connection that owes a reply and stays silent
   * 2 s longer than this is closed (`unavailable`): no call waits on a stalled network for ever.
   * Raise it for a migration with long statements.
   */
  statementTimeoutMs?: number;
}

/** An integer within [min, max]. */
function int(min: number, max: number) {
  return z.number({ error: "must be a number" })
    .int({ error: "must be an integer" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

/** The schema of {@linkcode PostgresOptions} (internal: the type test holds the two together). */
export const postgresOptionsSchema = z.strictObject({
  poolSize: int(1, 1000).optional(),
  connectTimeoutMs: int(1, 3_600_000).optional(),
  idleTimeoutMs: int(0, 86_400_000).optional(),
  statementTimeoutMs: int(1, 86_400_000).optional(),
});

/** The PostgreSQL driver's options schema. */
export const postgresOptions: OptionsSchema<PostgresOptions> = optionsSchema(
  postgresOptionsSchema,
);

/** The open options the driver connects with, its own section as `driver`. */
export type PostgresConnectOptions = ConnectOptions<PostgresOptions>;
