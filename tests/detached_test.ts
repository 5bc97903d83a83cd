/**
 * Methods taken off their object, written from the README ("Errors": whatever a caller passes,
 * every operation fails only with a `StorageError`) and docs/guarantees.md (never a synchronous
 * throw): every method of a storage, of a transaction's handle and of a Migrator works detached
 * (`const { users } = storage`, `const { create } = users`, `const f = tx.users.create; f(…)`), exactly as it does called on its object. Every target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Repositories, type Storage, StorageError } from "../mod.ts";
import { type Migrator, openMigrator } from "../src/migrate/mod.ts";
import { type OperationName, OPERATIONS as ALL } from "../src/ops/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { everyCall, smallBoard } from "./_every_call.ts";
import { type Target, TARGETS } from "./_targets.ts";

/** The operations of the contract, as the implementation has them; deletions last. */
const OPERATIONS = [...ALL].sort((a, b) =>
  Number(a.endsWith(".delete")) - Number(b.endsWith(".delete")) ||
  a.localeCompare(b)
);

type Method = (...args: unknown[]) => unknown;

/**
 * Calls a method, detached or on its object, and says how it ended: a synchronous throw or a
 * value that is not a promise fail the test.
 */
async function outcome(
  object: object,
  name: string | symbol,
  args: readonly unknown[],
  detached: boolean,
): Promise<string> {
  const method = (object as Record<string | symbol, Method>)[name]!;
  let result: unknown;
  try {
    result = detached ? method(...args) : method.apply(object, [...args]);
  } catch (error) {
    assert.fail(`${String(name)}() threw synchronously: ${error}`);
  }
  assert.ok(result instanceof Promise, `${String(name)}() returns a promise`);
  return await result.then(
    (value) =>
      Array.isArray(value) ? `array of ${value.length}` : `${typeof value}`,
    (error) => {
      assert.ok(
        error instanceof StorageError,
        `${String(name)}() rejected with ${error}`,
      );
      return `${error.kind}: ${error.message}`;
    },
  );
}

/** Calls every operation on `ops`, in one order; returns how each ended. */
async function walk(
  ops: Repositories,
  table: Table,
  detached: boolean,
): Promise<string[]> {
  const seen: string[] = [];
  for (const name of OPERATIONS) {
    // Detached twice over: the repository taken off its object, then the method off it.
    const [repository, method] = name.split(".") as [
      keyof Repositories,
      string,
    ];
    const { [repository]: taken } = ops;
    const ended = await outcome(taken, method, table[name], detached);
    seen.push(`${name}: ${ended}`);
  }
  return seen;
}

/** The walk did what it set out to: nearly every call succeeded. */
function assertMostlySucceeded(seen: string[]): void {
  const failed = seen.filter((line) => /: [a-z_]+: /.test(line));
  assert.ok(failed.length <= 2, `failed: ${failed.join("; ")}`);
}

type Table = Record<OperationName, unknown[]>;

/** Two fresh storages with the same small board (but for the session's token), and its calls. */
async function twoBoards(
  target: Target,
  use: (boards: [Storage, Storage], tables: [Table, Table]) => Promise<void>,
) {
  await using a = await target.fresh();
  await using b = await target.fresh();
  await using s = await a.open();
  await using t = await b.open();
  const one = await smallBoard(s);
  const two = await smallBoard(t);
  assert.deepEqual({ ...one, token: "" }, { ...two, token: "" });
  await use([s, t], [everyCall(one), everyCall(two)]);
}

for (const target of TARGETS) {
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({
      name: `[${target.name}] ${name}`,
      ignore: target.ignore !== undefined,
      fn,
    });

  test("every operation of a storage works taken off it, as on it (the issue's repro)", () =>
    twoBoards(target, async ([s, t], [one, two]) => {
      const detached = await walk(s, one, true);
      assert.deepEqual(detached, await walk(t, two, false));
      assertMostlySucceeded(detached);
    }));

  test("every operation of a transaction's handle works taken off it, as on it", () =>
    twoBoards(target, async ([s, t], [one, two]) => {
      const detached = await s.transaction((tx) => walk(tx, one, true));
      const attached = await t.transaction((tx) => walk(tx, two, false));
      assert.deepEqual(detached, attached);
      assertMostlySucceeded(detached);
    }));

  test("transaction, close and disposal of a storage work taken off it", async () => {
    await using fresh = await target.fresh();
    const s = await fresh.open();
    const { transaction, close } = s;
    const dispose = s[Symbol.asyncDispose];
    const user = await transaction((tx) =>
      tx.users.create({ username: "u", passwordHash: "h" })
    );
    assert.equal((await s.users.get(user.id))?.username, "u");
    await close();
    await rejectsKind(s.users.get(user.id), "unavailable");
    await dispose();
  });

  test("every method of a Migrator works taken off it, as on it", async () => {
    await using a = await target.fresh();
    await using b = await target.fresh();
    const calls: [keyof Migrator | symbol, unknown[]][] = [
      ["status", []],
      ["up", [{ to: 4 }]],
      ["notes", []],
      ["to", [6]],
      ["down", [{ steps: 1 }]],
      ["up", []],
      ["verify", []],
      ["close", []],
      ["status", []],
      [Symbol.asyncDispose, []],
    ];
    const run = async (url: string, detached: boolean) => {
      const migrator = await openMigrator(url);
      const seen: string[] = [];
      for (const [name, args] of calls) {
        seen.push(await outcome(migrator, name, args, detached));
      }
      return seen;
    };
    const detached = await run(a.url, true);
    assert.deepEqual(detached, await run(b.url, false));
    assert.match(detached.at(-2)!, /^unavailable/, "status() after close()");
  });
}
