/**
 * The PostgreSQL driver, on postgres.js (`npm:postgres`). `openStorage("postgres://…")` loads
 * it; import this entry only to use its parts directly. Importing the package's root module never
 * loads postgres.js.
 *
 * URLs: `postgres://user:password@host:port/database` (or `postgresql://`), with the parameters
 * `sslmode` (`disable`, `require`, `verify-ca`, `verify-full`; every TLS mode verifies the
 * certificate), `sslrootcert`, `application_name`, `connect_timeout` (seconds), `poolSize`,
 * `connectTimeoutMs`, `idleTimeoutMs`, `acquireTimeoutMs` and `statementTimeoutMs`, each once.
 * A URL parameter wins over the same open option. The grammar is strict (one host, port 1 to
 * 65535, no control character, names of at most 63 bytes): anything else is `validation`.
 *
 * Permissions: `--allow-net=host:port` and `--allow-env` (postgres.js reads `PG*` variables).
 *
 * @example
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 *
 * await using storage = await openStorage("postgres://bbs:secret@127.0.0.1:5432/bbs?poolSize=20");
 * const user = await storage.users.create({ username: "sysop", passwordHash: "x" });
 * ```
 *
 * @module
 */
import type { Driver } from "../../driver.ts";
import { PostgresConnection } from "./connection.ts";
import { type PostgresOptions, postgresOptions } from "./options.ts";

export { URL_PARAMETERS } from "./url.ts";
export type { PostgresOptions } from "./options.ts";

/** The driver for `postgres:` and `postgresql:` URLs. */
export const driver: Driver<PostgresOptions, "postgres"> = {
  name: "postgres",
  schemes: ["postgres:", "postgresql:"],
  options: postgresOptions,
  connect: (url, options) => PostgresConnection.open(url, options),
};
