/**
 * The command line's flags: `node:util`'s `parseArgs`, with every mistake a usage error that
 * names the argument and points to the command's `--help`: an unknown flag, a flag without its
 * value (or with one it does not take), a positional argument a command does not take, and a
 * flag given twice. A parser that keeps the last of `--db a --db b` would run a command on a
 * database the person may not have meant (the first one they wrote, read left to right), so
 * each flag is taken once.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { StorageError } from "../errors.ts";

/** How {@linkcode parseFlags} reads a command's arguments. */
export interface ParseFlagsOptions {
  /** The command as its usage names it, such as `copy` or `migrate`. */
  command: string;
  /** Whether the command takes positional arguments (it checks how many itself). */
  positionals?: boolean;
}

/**
 * Parses `args` by `options`, refusing an unknown flag, a missing value, a stray positional
 * argument and a flag given more than once.
 *
 * @param args The arguments after the command's name.
 * @param options The flags the command takes.
 * @param settings The command's name and whether it takes positional arguments.
 * @returns The flags' values and the positional arguments.
 * @throws {StorageError} `validation` naming the argument and the command's `--help`.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const options = { db: { type: "string" } } as const;
 * const settings = { command: "backup" };
 * assert.equal(parseFlags(["--db", "sqlite:a.db"], options, settings).values.db, "sqlite:a.db");
 * assert.throws(() => parseFlags(["--db", "sqlite:a.db", "--db=sqlite:b.db"], options, settings));
 * assert.throws(() => parseFlags(["--dbb", "sqlite:a.db"], options, settings), /"--dbb"/);
 * ```
 */
export function parseFlags<T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  settings: ParseFlagsOptions,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean }>> {
  const allowPositionals = settings.positionals ?? false;
  // A lenient pass first, to name the argument at fault in words of our own; then the strict
  // parse, which can no longer fail, for the typed values.
  const { tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind === "positional" && !allowPositionals) {
      throw usageError(
        settings,
        `Unexpected argument ${
          JSON.stringify(token.value)
        }: ${settings.command} ` +
          `takes no positional arguments`,
      );
    }
    if (token.kind !== "option") continue;
    const problem = optionProblem(options, token);
    if (problem !== undefined) throw usageError(settings, problem);
    if (seen.has(token.name) && options[token.name]?.multiple !== true) {
      throw usageError(
        settings,
        `--${token.name} is given more than once: give each flag once`,
      );
    }
    seen.add(token.name);
  }
  return parseArgs({ args, options, allowPositionals, strict: true });
}

/** What is wrong with one flag as written, or `undefined`. */
function optionProblem(
  options: ParseArgsOptionsConfig,
  token: {
    name: string;
    rawName: string;
    value?: string;
    inlineValue?: boolean;
  },
): string | undefined {
  const raw = JSON.stringify(token.rawName);
  const spec = Object.hasOwn(options, token.name)
    ? options[token.name]
    : undefined;
  if (spec === undefined) return `Unknown option ${raw}`;
  if (spec.type === "boolean") {
    return token.inlineValue ? `Option ${raw} takes no value` : undefined;
  }
  const missing = token.value === undefined ||
    (!token.inlineValue && token.value.startsWith("-"));
  return missing ? `Option ${raw} needs a value` : undefined;
}

/**
 * A usage error: the problem, then where to read the command's usage.
 *
 * @param settings The command.
 * @param problem What is wrong, naming the argument.
 * @returns The error (`validation`, so the command exits 2).
 */
export function usageError(
  settings: Pick<ParseFlagsOptions, "command">,
  problem: string,
): StorageError {
  return new StorageError(
    "validation",
    `${problem}: see deno task ${settings.command} --help`,
    { field: "arguments" },
  );
}

/**
 * A failure of what a command read, not of how it was called: `main` prints the error it
 * carries (its kind and message, as any other's) and exits 1, where a `validation` error alone
 * means bad usage (exit 2). A FidoNet base whose files no reader can read is one.
 */
export class InputFailure extends Error {
  /** The error, as the command met it. */
  readonly error: StorageError;

  /** @param error The error, as the command met it. */
  constructor(error: StorageError) {
    super(error.message, { cause: error });
    this.name = "InputFailure";
    this.error = error;
  }
}
