/**
 * Statements of one migration transaction on one pooled PostgreSQL connection, refused once the
 * connection has broken (the transaction is gone with it).
 *
 * @module
 */
import {
  type MigrationQuery,
  type NamedRow,
  StorageError,
} from "../../driver.ts";
import type { PostgresConnection } from "./connection.ts";
import { toDollar } from "./dialect.ts";
import type { PooledClient } from "./client.ts";

/**
 * Fails when the client's connection closed since `generation`.
 *
 * @param client The client.
 * @param generation Its generation when the transaction began.
 * @throws {StorageError} `migration` when it closed.
 */
export function lost(client: PooledClient, generation: number): void {
  if (client.generation !== generation) {
    throw new StorageError(
      "migration",
      "The connection broke during the migration transaction: it was rolled back: run it again",
    );
  }
}

/**
 * Statements on `client`, inside the transaction it began at `generation`.
 *
 * @param c The connection (for error mapping).
 * @param client The client.
 * @param generation Its generation when the transaction began.
 * @returns The statements.
 */
export function migrationQuery(
  c: PostgresConnection,
  client: PooledClient,
  generation: number,
): MigrationQuery {
  const guard = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    lost(client, generation);
    try {
      return await work();
    } catch (error) {
      throw c.map(error, { name: "migration", text });
    }
  };
  return {
    exec: (script) =>
      guard(script, async () => void await client.sql.unsafe(script)),
    all: (text, params = []) =>
      guard(text, async () =>
        [
          ...await client.sql.unsafe(toDollar(text), [...params], {
            prepare: true,
          }),
        ] as unknown as NamedRow[]),
    run: (text, params = []) =>
      guard(
        text,
        async () =>
          (await client.sql.unsafe(toDollar(text), [...params], {
            prepare: true,
          })).count ?? 0,
      ),
    hasTable: (name) => {
      const text = "SELECT to_regclass($1) IS NOT NULL AS present";
      return guard(text, async () => {
        const [row] = await client.sql.unsafe(text, [name], { prepare: true });
        return (row as unknown as NamedRow | undefined)?.present === true;
      });
    },
  };
}
