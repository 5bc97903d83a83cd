/**
 * Deno's permissions a PostgreSQL connection needs, checked before postgres.js connects: its
 * socket would fail with `NotCapable` outside any promise the storage holds (the process
 * ended with an uncaught error instead of a `StorageError`), and a URL without a user would
 * reach the server with none.
 *
 * @module
 */
import { runtime, StorageError } from "../../driver.ts";
import type { PostgresSettings } from "./dialect.ts";

/**
 * Refuses, as `unavailable` naming the flag, what Deno would not let the connection do.
 *
 * @param settings The connection's settings.
 * @throws {StorageError} `unavailable` naming `--allow-net=host:port`, or `--allow-sys=userInfo,uid,gid`
 * for a URL without a user where no variable names one.
 */
export function checkPermissions(settings: PostgresSettings): void {
  // As postgres.js reads them: the URL's, else PGHOST and PGPORT, else its defaults.
  const host = settings.host || runtime.env("PGHOST") || "localhost";
  const port = settings.port || Number(runtime.env("PGPORT")) || 5432;
  // A Unix socket's path is reached through the file system, not the network.
  if (!host.startsWith("/")) {
    const address = host.includes(":")
      ? `[${host}]:${port}`
      : `${host}:${port}`;
    if (!runtime.permitted({ name: "net", host: address })) {
      throw new StorageError(
        "unavailable",
        `Cannot reach PostgreSQL at ${settings.where} as permission is missing: run with ` +
          `--allow-net=${address} and --allow-env (postgres.js reads PG* variables)`,
      );
    }
  }
  if (
    settings.user === "" &&
    ["PGUSERNAME", "PGUSER", "USERNAME", "USER", "LOGNAME"].every((name) =>
      !runtime.env(name)
    ) &&
    // node:os userInfo() asks for "userInfo", a kind Deno's types do not list, and uid and gid.
    !(["userInfo", "uid", "gid"] as unknown as "username"[]).every((kind) =>
      runtime.permitted({ name: "sys", kind })
    )
  ) {
    throw new StorageError(
      "unavailable",
      `Cannot log in to PostgreSQL at ${settings.where} as the URL names no user and none ` +
        `can be found here: put the user in the URL (postgres://user@host/database), set ` +
        `PGUSER, or run with --allow-sys=userInfo,uid,gid so the system's user name is used`,
    );
  }
}
