/**
 * Another process holding a SQLite database's lock: `deno run` on this file, which opens the
 * database with `node:sqlite`, takes the lock, prints `held`, and lets go when its stdin closes.
 * Run as a process, it is another process to SQLite's file locks, whatever engine the test uses.
 *
 * Modes: `write` takes the write lock (`BEGIN IMMEDIATE`: readers go on in WAL mode); `exclusive`
 * takes the whole database (`locking_mode = EXCLUSIVE`, `BEGIN EXCLUSIVE`: readers wait too);
 * `rollback` first turns the database into rollback-journal mode (creating it if missing), then
 * takes the write lock.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";

/** What the holder takes. */
export type HoldMode = "write" | "exclusive" | "rollback";

/** A running holder. */
export interface LockHolder extends AsyncDisposable {
  /** Lets go of the lock and waits for the process to end. */
  release(): Promise<void>;
}

/**
 * Starts a process holding `path`'s lock; resolves once it holds it.
 *
 * @param path The database file.
 * @param mode What to take.
 * @returns The holder; release it (or dispose of it) to let go.
 */
export async function holdLock(
  path: string,
  mode: HoldMode = "write",
): Promise<LockHolder> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      import.meta.filename!,
      path,
      mode,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const first = await lines.read();
  if (first.value?.trim() !== "held") {
    child.kill();
    await child.status;
    throw new Error(`the lock holder did not start: ${first.value}`);
  }
  let released: Promise<void> | undefined;
  const release = () =>
    released ??= (async () => {
      await child.stdin.close();
      await lines.cancel();
      await child.status;
    })();
  return { release, [Symbol.asyncDispose]: release };
}

if (import.meta.main) {
  const [path, mode] = Deno.args as [string, HoldMode];
  const db = new DatabaseSync(path);
  if (mode === "rollback") db.exec("PRAGMA journal_mode = DELETE");
  if (mode === "exclusive") {
    db.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE");
  } else db.exec("BEGIN IMMEDIATE");
  console.log("held");
  for await (const _ of Deno.stdin.readable) {
    // Held until the test closes stdin.
  }
  db.exec("ROLLBACK");
  db.close();
}
