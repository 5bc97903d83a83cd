/**
 * Picks a driver by URL scheme and loads it with a dynamic `import()`, so importing the package
 * never loads a driver (or its npm dependency) that the caller does not use.
 *
 * @module
 */
import type { Connection, Driver } from "./driver.ts";
import { asStorageError, StorageError } from "./errors.ts";
import { urlSecrets, withoutSecrets } from "./redact.ts";
import type { ParsedOpenOptions } from "./validate.ts";

const DRIVERS: Record<string, () => Promise<Driver>> = {
  "sqlite:": async () => (await import("../drivers/sqlite/mod.ts")).driver,
  "postgres:": async () => (await import("../drivers/postgres/mod.ts")).driver,
  "postgresql:": async () =>
    (await import("../drivers/postgres/mod.ts")).driver,
};

/**
 * Opens a driver connection for a URL. Whatever fails is a {@linkcode StorageError}, and none
 * shows the URL's password, in any spelling.
 *
 * @param url A database URL.
 * @param options Parsed open options.
 * @returns The connection.
 * @throws {StorageError} `validation` when the scheme is unsupported; what the driver throws.
 */
export async function connect(
  url: string,
  options: ParsedOpenOptions,
): Promise<Connection> {
  if (typeof url !== "string") {
    throw new StorageError(
      "validation",
      `Cannot open storage as the URL is not a string: got ${typeof url}`,
      { field: "url" },
    );
  }
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase() ?? "";
  const load = DRIVERS[scheme];
  if (!load) {
    throw new StorageError(
      "validation",
      `Cannot open storage as the URL ${
        scheme ? `scheme is unsupported: "${scheme}"` : "has no scheme"
      }: use ${Object.keys(DRIVERS).map((s) => `"${s}"`).join(" or ")}`,
      { field: "url" },
    );
  }
  try {
    return await (await load()).connect(url, options);
  } catch (error) {
    throw withoutSecrets(
      asStorageError(error, "Opening storage"),
      urlSecrets(url),
    );
  }
}
