/**
 * The PostgreSQL driver, on postgres.js (`npm:postgres`). `openStorage("postgres://…")` loads
 * it; import this entry only to use its parts directly. Importing the package's root module never
 * loads postgres.js.
 *
 * URLs: `postgres://user:password@host:port/database` (or `postgresql://`), with the parameters
 * `sslmode` (`disable`, `require`, `verify-ca`, `verify-full`; every TLS mode verifies the
 * certificate), `sslrootcert`, `application_name`, `connect_timeout` (seconds), `poolSize`,
 * `connectTimeoutMs`, `idleTimeoutMs` and `acquireTimeoutMs`. A URL parameter wins over the same
 * open option.
 *
 * Permissions: `--allow-net=host:port` and `--allow-env` (postgres.js reads `PG*` variables).
 *
 * @example
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 *
 * await using storage = await openStorage("postgres://bbs:secret@127.0.0.1:5432/bbs?poolSize=20");
 * const user = await storage.createUser({ username: "sysop", passwordHash: "x" });
 * ```
 *
 * @module
 */
import type { Driver } from "../../src/driver.ts";
import { PostgresConnection } from "./connection.ts";

export { URL_PARAMETERS } from "./dialect.ts";

/** The driver for `postgres:` and `postgresql:` URLs. */
export const driver: Driver = {
  connect: (url, options) => PostgresConnection.open(url, options),
};
