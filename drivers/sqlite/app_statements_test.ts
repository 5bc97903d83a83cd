import assert from "node:assert/strict";
import { appSql } from "../../driver.ts";
import { nodeEngine } from "./engine.ts";
import { APP_STATEMENTS, Handle } from "./executors.ts";

Deno.test("a handle keeps at most APP_STATEMENTS of the application's texts prepared, the last used", () => {
  const handle = new Handle(nodeEngine.open(":memory:", { busyTimeoutMs: 10 }));
  try {
    const first = handle.statement(appSql("SELECT 0 AS n", false));
    for (let i = 1; i <= 3 * APP_STATEMENTS; i++) {
      const q = appSql(`SELECT ${i} AS n`, false);
      assert.equal(handle.statement(q).all([])[0]?.n, i);
      // The first one stays, being used all along.
      assert.equal(handle.statement(appSql("SELECT 0 AS n", false)), first);
      assert.ok(handle.appStatements <= APP_STATEMENTS);
    }
    assert.equal(handle.appStatements, APP_STATEMENTS);
    // The same text again is the same prepared statement.
    const again = handle.statement(
      appSql(`SELECT ${3 * APP_STATEMENTS} AS n`, false),
    );
    assert.equal(
      handle.statement(appSql(`SELECT ${3 * APP_STATEMENTS} AS n`, false)),
      again,
    );
  } finally {
    handle.db.close();
  }
});
