/**
 * The end of a transaction, at the driver seam (issue 10, item 2): a driver's transaction
 * executor refuses statements once its transaction ended, so nothing can run outside it. The
 * rest of the promise is in the exported suite (src/testing/_transaction_end.ts); this case
 * talks to the driver under the public API, so it stays with the built-in targets.
 *
 * @module
 */
import assert from "node:assert/strict";
import { rejectsKind } from "./_assert.ts";
import { seedAreas } from "./_fixtures.ts";
import { conformance } from "./_targets.ts";
import { connect } from "../src/connect.ts";
import { type Executor, sql } from "../src/driver.ts";
import * as V from "../src/validate.ts";

const RENAME_AREA = sql(
  "test.renameArea",
  "UPDATE message_areas SET name = ? WHERE id = ?",
  true,
);

conformance(
  "a driver's transaction executor refuses statements once its transaction ended",
  async (s, target, fresh) => {
    // The storage's handle never lets a statement reach an ended executor; the driver refuses
    // one too, so that nothing can run outside the transaction (on SQLite: on the writer,
    // without its lock).
    await seedAreas(s, 1);
    await using connection = await connectTo(fresh.url);
    let leaked!: Executor;
    await connection.transaction((x) => {
      leaked = x;
      return Promise.resolve();
    });
    for (
      const work of [
        () => leaked.run(RENAME_AREA, ["leaked", 1]),
        () =>
          leaked.atomic(async (q) => await q.run(RENAME_AREA, ["leaked", 1])),
      ]
    ) {
      const error = await rejectsKind(async () => await work(), "unavailable");
      assert.match(error.message, /transaction has ended/);
    }
    if (target.capabilities.persistent) {
      assert.equal((await s.messageAreas.get(1))?.name, "Message area 1");
    }
  },
);

/** A driver connection of its own to the database at `url`. */
async function connectTo(url: string) {
  const connection = await connect(
    url,
    V.parse(V.openOptions, {}, "options", "test"),
  );
  return Object.assign(connection, {
    [Symbol.asyncDispose]: () => connection.close(),
  });
}
