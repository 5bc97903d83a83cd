import assert from "node:assert/strict";
import { manifest } from "../migrations/mod.ts";
import { connect } from "./connect.ts";
import type {
  Awaitable,
  Connection,
  Executor,
  Queryable,
  Row,
  Sql,
} from "./driver.ts";
import { Migrator } from "./migrate/migrator.ts";
import type { Repositories } from "./storage.ts";
import { runTransaction } from "./transaction.ts";
import * as V from "./validate.ts";

/**
 * Wraps a queryable so that it records each statement issued while another of its statements is
 * still running, or after the transaction's callback settled: what the driver contract says the
 * core never does (see `Connection.transaction`).
 */
function watch<Q extends Queryable>(
  q: Q,
  ended: () => boolean,
  problems: string[],
): Queryable & Pick<Executor, "atomic"> {
  let busy = false;
  const track = <T>(what: string, work: () => Awaitable<T>): Awaitable<T> => {
    if (ended()) problems.push(`${what} after the callback settled`);
    if (busy) problems.push(`${what} while another statement ran`);
    busy = true;
    const done = () => busy = false;
    let result: Awaitable<T>;
    try {
      result = work();
    } catch (error) {
      done();
      throw error;
    }
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  };
  return {
    all: (s: Sql, p: readonly unknown[]) => track(s.name, () => q.all(s, p)),
    get: (s: Sql, p: readonly unknown[]) =>
      track<Row | undefined>(s.name, () => q.get(s, p)),
    run: (s: Sql, p: readonly unknown[]) => track(s.name, () => q.run(s, p)),
    atomic: <T>(fn: (inner: Queryable) => Promise<T>) =>
      track(
        "atomic",
        () =>
          (q as unknown as Executor).atomic((inner) =>
            fn(watch(inner, ended, problems))
          ),
      ) as Promise<T>,
  };
}

/** A connection whose transactions' executors are watched. */
function watched(real: Connection, problems: string[]): Connection {
  return {
    dialect: real.dialect,
    root: real.root,
    migrationTarget: () => real.migrationTarget(),
    close: () => real.close(),
    transaction: (fn) =>
      real.transaction(async (x) => {
        let ended = false;
        try {
          return await fn(watch(x, () => ended, problems));
        } finally {
          ended = true;
        }
      }),
  };
}

async function open(): Promise<Connection> {
  const options = V.parse(V.openOptions, {}, "options", "test");
  const connection = await connect("sqlite::memory:", options);
  await new Migrator(connection.migrationTarget(), manifest.sqlite ?? []).up();
  return connection;
}

/** Starts operations on `tx` without awaiting them, some failing, one chained past the end. */
function scatter(tx: Repositories, userId: number): Promise<unknown> {
  const post = (subject: string, ftnMsgid: string | null = null) =>
    tx.messages.post({
      areaId: 1,
      fromUserId: userId,
      subject,
      body: "b",
      ftnMsgid,
    });
  return Promise.allSettled([
    post("a", "1:1/1 1"),
    post("dup", "1:1/1 1"),
    tx.users.recordLogin(userId),
    tx.files.add({ areaId: 1, filename: "A.ZIP", size: 1, uploaderId: userId }),
    post("b").then(() => post("chained")),
    tx.messages.list(1),
  ]);
}

Deno.test("runTransaction() gives the driver one statement at a time and nothing after the callback settled", async () => {
  const real = await open();
  try {
    const problems: string[] = [];
    const connection = watched(real, problems);
    const user = await runTransaction(connection, async (tx) => {
      await tx.messageAreas.create({ tag: "A", name: "A" });
      await tx.fileAreas.create({ tag: "F", name: "F" });
      return await tx.users.create({ username: "u", passwordHash: "h" });
    });
    let settled!: Promise<unknown>;
    await runTransaction(connection, (tx) => {
      settled = scatter(tx, user.id);
      return Promise.resolve();
    });
    await settled;
    await assert.rejects(
      runTransaction(connection, (tx) => {
        settled = scatter(tx, user.id);
        return Promise.reject(new Error("abort"));
      }),
      /abort/,
    );
    await settled;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(problems, []);
  } finally {
    await real.close();
  }
});
