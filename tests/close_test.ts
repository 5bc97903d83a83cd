/**
 * Resource hygiene: `close()` is idempotent and releases every handle (files, connections), even
 * with work in flight; after it, every operation fails as `unavailable` with a clear message.
 * Deno's sanitizers stay on across the suites.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  openStorage,
  type Repositories,
  type Storage,
  StorageError,
} from "../mod.ts";
import { operation, type OperationName, OPERATIONS } from "../src/ops/mod.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { everyCall, smallBoard } from "./_every_call.ts";
import { conformance, TARGETS } from "./_targets.ts";

/** The operations of the contract, as the implementation has them. */
const METHODS = [...OPERATIONS].sort();

/** Calls an operation; a synchronous throw is a failure of its own. */
function call(
  ops: Repositories,
  name: OperationName,
  args: unknown[],
): Promise<unknown> {
  let result: unknown;
  try {
    result = operation(ops, name)(...args);
  } catch (error) {
    assert.fail(`${name}() threw synchronously: ${error}`);
  }
  assert.ok(result instanceof Promise, `${name}() returns a promise`);
  return result;
}

async function assertClosedError(work: Promise<unknown>, name: string) {
  const error = await work.then(() => undefined, (e) => e);
  assert.ok(
    error instanceof StorageError,
    `${name}() after close: expected a StorageError, got ${error}`,
  );
  assert.equal(error.kind, "unavailable", `${name}(): ${error.message}`);
  assert.match(
    error.message,
    /closed.*openStorage\(\)|closed while it waited/,
    `${name}(): ${error.message}`,
  );
}

Deno.test("the close test calls every operation of the contract", () => {
  const table = everyCall({
    user: 1,
    area: 1,
    fileArea: 1,
    message: 1,
    file: 1,
    session: 1,
    token: "",
  });
  assert.deepEqual(Object.keys(table).sort(), METHODS);
});

conformance(
  "close() is idempotent; after it every operation and transaction() fail as unavailable",
  async (s) => {
    const ids = await smallBoard(s);
    let kept: Repositories | undefined;
    await s.transaction((tx) => {
      kept = tx;
      return Promise.resolve();
    });
    await s.close();
    await s.close();
    await Promise.all([s.close(), s.close(), s[Symbol.asyncDispose]()]);
    const table = everyCall(ids);
    for (const name of METHODS) {
      await assertClosedError(
        call(s, name, table[name]),
        name,
      );
      // A transaction's handle, kept past its end and the close, fails alike.
      const error = await call(kept!, name, table[name])
        .then(() => undefined, (e) => e);
      assert.ok(
        error instanceof StorageError && error.kind === "unavailable",
        `${name}() on an ended transaction: ${error}`,
      );
    }
    await assertClosedError(
      s.transaction(() => Promise.resolve()),
      "transaction",
    );
  },
);

/**
 * The files under `prefix` this process holds open (Linux). Deno lets only `--allow-all` read
 * /proc/self, so `ls` lists the descriptors.
 */
async function openFiles(prefix: string): Promise<string[]> {
  const { stdout } = await new Deno.Command("ls", {
    args: ["-l", `/proc/${Deno.pid}/fd`],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(stdout).split("\n")
    .map((line) => line.split(" -> ")[1] ?? "")
    .filter((target) => target.startsWith(prefix));
}

/** Starts a burst of reads, writes and transactions, and closes in the middle of it. */
async function closeMidWork(s: Storage): Promise<Record<string, number>> {
  const ids = await smallBoard(s);
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 60; i++) {
    work.push(
      i % 3 === 0
        ? s.users.incrementStats(ids.user, { logins: 1 })
        : i % 3 === 1
        ? s.users.get(ids.user)
        : s.transaction(async (tx) => {
          await tx.users.recordLogin(ids.user);
          await tx.messages.post({
            areaId: ids.area,
            fromUserId: ids.user,
            subject: `${i}`,
            body: "",
          });
        }),
    );
  }
  const closing = s.close();
  const outcomes = await Promise.allSettled(work);
  await closing;
  const seen: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome.status === "fulfilled"
      ? "done"
      : outcome.reason instanceof StorageError
      ? outcome.reason.kind
      : String(outcome.reason);
    seen[key] = (seen[key] ?? 0) + 1;
  }
  assert.deepEqual(
    Object.keys(seen).filter((k) => k !== "done" && k !== "unavailable"),
    [],
    `outcomes: ${JSON.stringify(seen)}`,
  );
  return seen;
}

for (const target of TARGETS.filter((t) => t.name.endsWith("-file"))) {
  Deno.test({
    name:
      `[${target.name}] close() mid-work releases every file handle: the files can be deleted and reopened`,
    ignore: target.ignore !== undefined || Deno.build.os !== "linux",
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "impulse-close-" });
      try {
        const url = `sqlite:${dir}/board.db${
          target.name.includes("ffi") ? "?engine=ffi" : ""
        }`;
        const s = await openStorage(url);
        assert.ok((await openFiles(dir)).length >= 2, "the database is open");
        await closeMidWork(s);
        assert.deepEqual(await openFiles(dir), []);
        for (const entry of Deno.readDirSync(dir)) {
          await Deno.remove(`${dir}/${entry.name}`);
        }
        await using again = await openStorage(url);
        assert.equal(await again.users.get(1), null);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

Deno.test({
  name:
    "[postgres] close() mid-work ends every connection: none is left in pg_stat_activity",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_close");
    const s = await openStorage(db.url, { postgres: { poolSize: 6 } });
    const admin = rawClient();
    try {
      const connections = async () =>
        Number(
          (await admin`SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = ${db.name}`)[0]!.n,
        );
      await s.users.get(1);
      assert.ok(await connections() >= 1);
      await closeMidWork(s);
      // The server lets a backend go a moment after its client hangs up.
      const deadline = Date.now() + 5000;
      while (await connections() > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(await connections(), 0);
    } finally {
      await admin.end();
    }
  },
});

Deno.test("no suite turns Deno's leak sanitizers off without saying why", async () => {
  const root = new URL("..", import.meta.url).pathname;
  const offenders: string[] = [];
  const visit = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && !entry.name.startsWith(".")) await visit(path);
      else if (entry.name.endsWith(".ts")) {
        const lines = (await Deno.readTextFile(path)).split("\n");
        lines.forEach((line, i) => {
          if (!/sanitize(Ops|Resources|Exit)\s*:\s*false/.test(line)) return;
          const reason = /\/\/\s*\S/.test(line) ||
            /^\s*\/\/\s*\S/.test(lines[i - 1] ?? "");
          if (!reason) offenders.push(`${path}:${i + 1}`);
        });
      }
    }
  };
  for (const dir of ["tests", "src", "drivers"]) await visit(`${root}${dir}`);
  assert.deepEqual(offenders, []);
});
