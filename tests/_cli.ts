/**
 * What the command-line suites share: the CLI as a process with exactly the flags given, a
 * temporary directory, the entries below one, and a small Impulse 7.1 install to import.
 *
 * @module
 */
import {
  concat,
  status,
  user,
  writeInstall,
} from "../src/import/impulse71/_builders_test.ts";
import type { CliRun } from "./_migrate.ts";

const CLI = new URL("../src/cli/mod.ts", import.meta.url).pathname;

/** The flags of the package's tasks. */
export const TASK_FLAGS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-ffi",
  "--allow-net",
  "--allow-sys",
];

/** How to run the CLI as a process. */
export interface RunCliOptions {
  /** The permission flags, exactly (default: {@linkcode TASK_FLAGS}). */
  flags?: readonly string[];
  /** The working directory. */
  cwd?: string;
  /** Environment variables besides `NO_COLOR`. */
  env?: Record<string, string>;
}

/**
 * The CLI as a process, never prompting for a permission; its database only from `--db` or
 * `options.env`, never from the shell running the tests (CI often sets `DATABASE_URL`: an empty
 * variable counts as unset).
 *
 * @param args Its arguments.
 * @param options Flags, working directory, environment and a signal that kills it.
 * @param output What becomes of its standard output and error.
 * @returns The command, to run or spawn.
 */
export function cliCommand(
  args: readonly string[],
  options: RunCliOptions & { signal?: AbortSignal } = {},
  output: "piped" | "null" = "piped",
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...(options.flags ?? TASK_FLAGS),
      CLI,
      ...args,
    ],
    cwd: options.cwd,
    env: {
      NO_COLOR: "1",
      IMPULSE_DATABASE_URL: "",
      DATABASE_URL: "",
      ...options.env,
    },
    stdin: "null",
    stdout: output,
    stderr: output,
    signal: options.signal,
  });
}

/**
 * Runs the CLI as a process (see {@linkcode cliCommand}).
 *
 * @param args Its arguments.
 * @param options Flags, working directory, environment and a signal that kills it.
 * @returns The exit code and everything it printed.
 */
export async function runCli(
  args: readonly string[],
  options: RunCliOptions & { signal?: AbortSignal } = {},
): Promise<CliRun> {
  const { code, stdout, stderr } = await cliCommand(args, options).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

/**
 * A new temporary directory, removed on dispose.
 *
 * @param prefix The name's prefix.
 * @returns Its path.
 */
export async function tempDir(
  prefix = "impulse-cli-",
): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}

/**
 * Every entry below `dir`, recursively, as sorted paths relative to it.
 *
 * @param dir The directory.
 * @param prefix The path below `dir` to list (for the recursion).
 * @returns The paths.
 */
export async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const path = `${prefix}${entry.name}`;
    out.push(path);
    if (entry.isDirectory) out.push(...await tree(dir, `${path}/`));
  }
  return out.sort();
}

/**
 * A small Impulse 7.1 install (users `NEW USER` and `SYSOP`), removed on dispose.
 *
 * @returns Its directory.
 */
export async function install(): Promise<string & AsyncDisposable> {
  const dir = await writeInstall({
    "STATUS.DAT": status("C:\\BBS\\DATA\\", "C:\\BBS\\MSGS\\"),
    "DATA/USER.LST": concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP" }),
    ),
  });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}
