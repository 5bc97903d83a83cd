/**
 * Printing for the command line: text or JSON with every connection password scrubbed, and the
 * default database URL.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import { scrub } from "../redact.ts";

/** Where a command prints. */
export interface Output {
  /** Whether `--json` was given. */
  readonly json: boolean;
  /** Prints a line of text. */
  text(line: string): void;
  /** Prints a value as JSON. */
  data(value: unknown): void;
  /** Prints an error line (standard error on a console). */
  error(line: string): void;
  /** Prints a transient progress line (on a terminal only). */
  progress(line: string): void;
}

/**
 * An output on the process's standard streams.
 *
 * @param json Print JSON.
 * @returns The output.
 */
export function consoleOutput(json: boolean): Output {
  const encoder = new TextEncoder();
  const terminal = Deno.stderr.isTerminal();
  return {
    json,
    text: (line) => console.log(line),
    data: (value) => console.log(JSON.stringify(value, null, 2)),
    error: (line) => console.error(line),
    progress: (line) => {
      if (terminal) Deno.stderr.writeSync(encoder.encode(`\r\x1b[K${line}`));
    },
  };
}

/** The environment variable naming the database when `--db` is not given. */
export const DATABASE_URL_VARIABLE = "IMPULSE_DATABASE_URL";

/**
 * The database URL commands use without `--db`: `IMPULSE_DATABASE_URL`, else
 * `sqlite:./data/impulse.db`.
 *
 * @returns The URL.
 * @throws {StorageError} `unavailable` when the variable cannot be read (no `--allow-env`): the
 * command must not silently fall back to another database.
 */
export function defaultDatabaseUrl(): string {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get(DATABASE_URL_VARIABLE);
  } catch (error) {
    throw new StorageError(
      "unavailable",
      `Cannot read ${DATABASE_URL_VARIABLE} as permission is missing: run with ` +
        `--allow-env=${DATABASE_URL_VARIABLE}, or name the database with --db <url>`,
      { cause: error },
    );
  }
  return fromEnv || "sqlite:./data/impulse.db";
}

/**
 * `IMPULSE_DATABASE_URL` if this process may already read it (never asking for permission), for
 * hiding its password; else `undefined`.
 *
 * @returns The URL, or `undefined`.
 */
export function readableDatabaseUrl(): string | undefined {
  const { state } = Deno.permissions.querySync({
    name: "env",
    variable: DATABASE_URL_VARIABLE,
  });
  return state === "granted" ? Deno.env.get(DATABASE_URL_VARIABLE) : undefined;
}

/** What {@linkcode hidingSecrets} prints instead of JSON it cannot clean without breaking it. */
const WITHHELD =
  "output withheld: it cannot be shown without a connection password";

/**
 * An output that scrubs the given secrets (every spelling of each password, see `urlSecrets`)
 * from every line and value it prints.
 *
 * @param out The output to print to.
 * @param secrets The secrets.
 * @returns The scrubbing output.
 */
export function hidingSecrets(out: Output, secrets: readonly string[]): Output {
  if (secrets.length === 0) return out;
  const hide = (line: string) => scrub(line, secrets);
  return {
    json: out.json,
    text: (line) => out.text(hide(line)),
    data: (value) => {
      let clean: unknown;
      try {
        clean = JSON.parse(hide(JSON.stringify(value)));
      } catch {
        clean = { error: { kind: "internal", message: WITHHELD } };
      }
      out.data(clean);
    },
    error: (line) => out.error(hide(line)),
    progress: (line) => out.progress(hide(line)),
  };
}
