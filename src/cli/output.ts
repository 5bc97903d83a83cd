/**
 * Printing for the command line: text or JSON with every connection password scrubbed, progress
 * and questions on standard error, and the database a command uses when `--db` is not given.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import { redactUrl, scrub } from "../redact.ts";
import * as runtime from "../runtime.ts";

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
  /**
   * Prints a progress line: on a terminal it replaces the last one, elsewhere it is a line of
   * its own on standard error, at most one a second. An empty line ends the progress.
   */
  progress(line: string): void;
  /**
   * Asks a yes-or-no question and resolves to the answer; absent where no one can answer (no
   * terminal), so a destructive command needs `--yes` there.
   */
  confirm?(question: string): Promise<boolean>;
}

/** How often progress lines are written where they cannot replace each other. */
const LINE_EVERY_MS = 1000;

/**
 * An output on the process's standard streams.
 *
 * @param json Print JSON.
 * @returns The output.
 */
export function consoleOutput(json: boolean): Output {
  const encoder = new TextEncoder();
  const write = (text: string) => Deno.stderr.writeSync(encoder.encode(text));
  const terminal = Deno.stderr.isTerminal();
  const paced = pacedLines(LINE_EVERY_MS, () => performance.now());
  return {
    json,
    text: (line) => console.log(line),
    data: (value) => console.log(JSON.stringify(value, null, 2)),
    error: (line) => console.error(line),
    progress: (line) => {
      if (terminal) write(`\r\x1b[K${line}`);
      else if (line !== "" && paced()) write(`${line}\n`);
    },
    confirm: terminal && Deno.stdin.isTerminal()
      ? (question) => ask(question, write)
      : undefined,
  };
}

/**
 * A gate that opens at most once every `everyMs` (the first call always passes).
 *
 * @param everyMs The least time between two calls that pass.
 * @param now The clock, in milliseconds.
 * @returns Whether this call may print.
 *
 * @example
 * ```ts
 * import { pacedLines } from "./output.ts";
 * import assert from "node:assert/strict";
 *
 * let time = 0;
 * const gate = pacedLines(1000, () => time);
 * assert.deepEqual([0, 500, 999, 1000, 1500, 2100].map((t) => (time = t, gate())), [
 *   true, false, false, true, false, true,
 * ]);
 * ```
 */
export function pacedLines(everyMs: number, now: () => number): () => boolean {
  let last = -Infinity;
  return () => {
    const time = now();
    if (time - last < everyMs) return false;
    last = time;
    return true;
  };
}

/** Asks on standard error and reads one line of standard input: `y` or `yes` is a yes. */
async function ask(
  question: string,
  write: (text: string) => void,
): Promise<boolean> {
  write(`${question} [y/N] `);
  const buffer = new Uint8Array(256);
  let answer = "";
  while (!answer.includes("\n")) {
    const n = await Deno.stdin.read(buffer);
    if (n === null) break;
    answer += new TextDecoder().decode(buffer.subarray(0, n));
  }
  return /^\s*y(es)?\s*$/i.test(answer);
}

/** The environment variables naming the database when `--db` is not given, in order. */
export const DATABASE_URL_VARIABLES = [
  "IMPULSE_DATABASE_URL",
  "DATABASE_URL",
] as const;

/** The database a command uses, and where its URL came from. */
export interface DatabaseChoice {
  /** The URL. */
  url: string;
  /** `--db`, the variable it was read from, or `default`. */
  from: "--db" | (typeof DATABASE_URL_VARIABLES)[number] | "default";
}

/**
 * The database URL a command uses: `--db` when given, else `IMPULSE_DATABASE_URL`, else
 * `DATABASE_URL` when this process may read it (never asking), else `sqlite:./data/impulse.db`.
 *
 * @param given The `--db` flag's value, if any.
 * @returns The URL and where it came from.
 * @throws {StorageError} `unavailable` when `IMPULSE_DATABASE_URL` may not be read (no
 * `--allow-env`): the command must not silently fall back to another database.
 */
export function chooseDatabase(given: string | undefined): DatabaseChoice {
  if (given !== undefined) return { url: given, from: "--db" };
  const [own, common] = DATABASE_URL_VARIABLES;
  if (!mayRead(own)) {
    throw new StorageError(
      "unavailable",
      `Cannot read ${own} as permission is missing: run with ` +
        `--allow-env=${own},${common}, or name the database with --db <url>`,
    );
  }
  for (const name of DATABASE_URL_VARIABLES) {
    const url = runtime.env(name);
    if (url) {
      urlVariable = name;
      return { url, from: name };
    }
  }
  return { url: "sqlite:./data/impulse.db", from: "default" };
}

/** The variable the command's database URL was read from, if it was. */
let urlVariable: string | undefined;

/**
 * The variable {@linkcode chooseDatabase} read this command's database URL from, so that an
 * error about the URL can say where to fix it.
 *
 * @returns The variable's name, or `undefined` when the URL came from an argument or the default.
 */
export function databaseUrlVariable(): string | undefined {
  return urlVariable;
}

/**
 * How a command names its database in text: the URL without its password, and the variable it
 * came from when it came from one.
 *
 * @param choice The database.
 * @returns The text.
 */
export function shownDatabase(choice: DatabaseChoice): string {
  const url = redactUrl(choice.url);
  return choice.from === "--db" || choice.from === "default"
    ? url
    : `${url} (from ${choice.from})`;
}

/** Whether this process may read an environment variable, asking no one. */
function mayRead(name: string): boolean {
  return Deno.permissions.querySync({ name: "env", variable: name }).state ===
    "granted";
}

/**
 * The database URLs of the environment this process may already read (never asking for
 * permission), for hiding their passwords.
 *
 * @returns The URLs.
 */
export function readableDatabaseUrls(): string[] {
  return DATABASE_URL_VARIABLES.flatMap((name) => runtime.env(name) ?? [])
    .filter((url) => url !== "");
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
    confirm: out.confirm && ((question) => out.confirm!(hide(question))),
  };
}

/**
 * Whether a destructive step may go ahead: at once with `--yes`, else after a yes on the
 * terminal; where no one can be asked, it is a usage error naming `--yes`.
 *
 * @param out Where to ask.
 * @param yes Whether `--yes` was given.
 * @param what What the step does, as a sentence without a period: `This reverts 3 migrations`.
 * @returns Whether to go ahead (`false` when the person said no).
 * @throws {StorageError} `validation` without `--yes` where there is no terminal.
 */
export async function confirmed(
  out: Output,
  yes: boolean | undefined,
  what: string,
): Promise<boolean> {
  if (yes) return true;
  if (out.confirm === undefined) {
    throw new StorageError(
      "validation",
      `${what}: pass --yes to go ahead, as there is no terminal to ask on`,
      { field: "--yes" },
    );
  }
  return await out.confirm(`${what}: go ahead?`);
}
