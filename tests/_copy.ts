/**
 * Helpers of the copy suites: fresh databases of either dialect, a small board with a row in
 * every table, and `deno task copy` run as a process.
 *
 * @module
 */
import { openStorage } from "../mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";
import type { CliRun } from "./_migrate.ts";

/** A dialect a copy reads from or writes to. */
export type Kind = "sqlite" | "postgres";

/** A fresh, empty database of one kind; removed on dispose. */
export interface Board extends AsyncDisposable {
  /** Its URL. */
  url: string;
  /** Its kind. */
  kind: Kind;
}

/**
 * Creates a fresh, empty database.
 *
 * @param kind SQLite (a file in a temp dir) or PostgreSQL (a database of the test server).
 * @returns The database.
 */
export async function freshBoard(kind: Kind): Promise<Board> {
  if (kind === "postgres") {
    const db = await createDatabase("impulse_copy");
    return {
      url: db.url,
      kind,
      [Symbol.asyncDispose]: () => db[Symbol.asyncDispose](),
    };
  }
  const dir = await Deno.makeTempDir({ prefix: "impulse-copy-" });
  return {
    url: `sqlite:${dir}/board.db`,
    kind,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Why a test on these kinds cannot run here, or `undefined`. */
export function missing(...kinds: Kind[]): string | undefined {
  return kinds.includes("postgres") ? postgresMissing : undefined;
}

/** Every direction of a copy: sqlite → sqlite, sqlite → postgres, postgres → sqlite and back. */
export const DIRECTIONS: readonly [Kind, Kind][] = [
  ["sqlite", "sqlite"],
  ["sqlite", "postgres"],
  ["postgres", "sqlite"],
  ["postgres", "postgres"],
];

/**
 * Gives a board a row in every table: three users, two message and file areas, files,
 * messages (a reply among them), sessions, a last-read pointer and logins.
 *
 * @param url The board (migrated when it is not yet).
 */
export async function smallBoard(url: string): Promise<void> {
  await using s = await openStorage(url);
  await s.transaction(async (tx) => {
    const users = [];
    for (const name of ["ann", "bob", "cyd"]) {
      users.push(
        (await tx.users.create({ username: name, passwordHash: "h" })).id,
      );
    }
    const area = await tx.messageAreas.create({
      tag: "GENERAL",
      name: "General",
    });
    await tx.messageAreas.create({ tag: "SPARE", name: "Spare" });
    const files = await tx.fileAreas.create({ tag: "UTILS", name: "Utils" });
    await tx.fileAreas.create({ tag: "EMPTY", name: "Empty" });
    await tx.files.add({
      areaId: files.id,
      filename: "a.zip",
      size: 1,
      uploaderId: users[0]!,
    });
    await tx.files.add({ areaId: files.id, filename: "b.zip", size: 2 });
    const first = await tx.messages.post({
      areaId: area.id,
      fromUserId: users[0]!,
      subject: "Hello",
      body: "First",
    });
    await tx.messages.post({
      areaId: area.id,
      fromUserId: users[1]!,
      subject: "Re: Hello",
      body: "Second",
      parentId: first.id,
    });
    await tx.messages.post({
      areaId: area.id,
      fromName: "Guest",
      subject: "Last",
      body: "",
      origAddr: "2:280/464.1",
      destAddr: "2:280/464",
      imported: true,
    });
    await tx.messages.markExported([first.id]);
    const { session } = await tx.sessions.create({
      userId: users[0]!,
      ipAddress: "192.0.2.1",
    });
    await tx.sessions.create({ userId: users[1]!, ipAddress: "192.0.2.2" });
    await tx.settings.set("board.name", { name: "Small", nodes: [1] });
    await tx.events.append({
      kind: "login",
      userId: users[0]!,
      sessionId: session.id,
      data: { node: 1 },
    });
    await tx.events.append({ kind: "system.start" });
    await tx.reading.markRead(users[0]!, area.id, 1);
    await tx.users.recordLogin(users[0]!);
    await tx.users.recordLogin(users[1]!);
  });
}

const CONFIG = JSON.parse(
  Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
);
/** The permissions of `deno task copy`, read from deno.json so the two cannot drift. */
const COPY_PERMISSIONS: string[] = String(CONFIG.tasks.copy).split(/\s+/)
  .filter((arg) => arg.startsWith("--allow-"));
const CLI = new URL("../src/cli/mod.ts", import.meta.url).pathname;

/**
 * Runs `deno task copy …` as a process, with the task's permissions.
 *
 * @param args The arguments after `copy`.
 * @param cwd The working directory.
 * @returns What it printed and its exit code.
 */
export async function runCopy(args: string[], cwd?: string): Promise<CliRun> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...COPY_PERMISSIONS, CLI, "copy", ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}
