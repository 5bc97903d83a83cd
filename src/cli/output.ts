/**
 * Printing for the command line: text or JSON, and the default database URL.
 *
 * @module
 */

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

/**
 * The database URL commands use without `--db`: `IMPULSE_DATABASE_URL`, else
 * `sqlite:./data/impulse.db`.
 *
 * @returns The URL.
 */
export function defaultDatabaseUrl(): string {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("IMPULSE_DATABASE_URL");
  } catch {
    // Without --allow-env the default applies.
  }
  return fromEnv || "sqlite:./data/impulse.db";
}
