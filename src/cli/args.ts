/**
 * The command line's flags: `node:util`'s `parseArgs`, and a flag given twice refused. A
 * parser that keeps the last of `--db a --db b` would run a command on a database the person
 * may not have meant (the first one they wrote, read left to right), so each flag is taken once.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { StorageError } from "../errors.ts";

/**
 * Parses `args` by `options`, refusing a flag given more than once.
 *
 * @param args The arguments after the command's name.
 * @param options The flags the command takes.
 * @param allowPositionals Whether the command takes positional arguments.
 * @returns The flags' values and the positional arguments.
 * @throws {StorageError} `validation` naming a flag given twice; `parseArgs`' own errors for
 *   unknown flags and missing values.
 *
 * @example
 * ```ts
 * import { parseFlags } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const options = { db: { type: "string" } } as const;
 * assert.equal(parseFlags(["--db", "sqlite:a.db"], options).values.db, "sqlite:a.db");
 * assert.throws(() => parseFlags(["--db", "sqlite:a.db", "--db=sqlite:b.db"], options));
 * ```
 */
export function parseFlags<T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean }>> {
  const parsed = parseArgs({ args, options, allowPositionals, tokens: true });
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option") continue;
    if (seen.has(token.name)) {
      throw new StorageError(
        "validation",
        `--${token.name} is given more than once: give each flag once`,
        { field: `--${token.name}` },
      );
    }
    seen.add(token.name);
  }
  return parsed;
}
