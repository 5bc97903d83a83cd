/**
 * A caller's driver reaches the migration runner and `copy` as it reaches `openStorage`: given
 * as `drivers`, consulted by URL scheme before the built-in ones, and refused, naming `drivers`,
 * when it is not a driver.
 */
import assert from "node:assert/strict";
import type { Driver } from "../driver.ts";
import { driver as sqlite } from "../drivers/sqlite/mod.ts";
import { openStorage } from "../mod.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { tempDir } from "./_cli.ts";

/** The built-in SQLite driver behind the `board:` scheme, counting its connections. */
function boardDriver(): Driver<unknown, "board"> & { opened: string[] } {
  const opened: string[] = [];
  return {
    name: "board",
    schemes: ["board:"],
    opened,
    connect(url, options) {
      opened.push(url);
      return sqlite.connect(url.replace(/^board:/, "sqlite:"), {
        ...options,
        driver: undefined,
      });
    },
  };
}

Deno.test("openMigrator() migrates a database of a caller's driver, given as drivers", async () => {
  await using dir = await tempDir("impulse-driver-tools-");
  const board = boardDriver();
  {
    await using migrator = await openMigrator(`board:${dir}/board.db`, {
      drivers: [board],
    });
    const steps = await migrator.up();
    assert.ok(steps.length > 0);
    assert.ok((await migrator.status()).every((l) => l.state === "applied"));
  }
  assert.deepEqual(board.opened, [`board:${dir}/board.db`]);
  // The same file through the built-in driver is current.
  await using storage = await openStorage(`sqlite:${dir}/board.db`, {
    migrate: "check",
  });
  assert.equal(await storage.users.findByUsername("nobody"), null);
});

Deno.test("copyDatabase() copies from and to databases of a caller's driver, given as drivers", async () => {
  await using dir = await tempDir("impulse-driver-tools-");
  const board = boardDriver();
  {
    await using storage = await openStorage(`board:${dir}/a.db`, {
      drivers: [board],
    });
    await storage.users.create({ username: "sysop", passwordHash: "x" });
  }
  const report = await copyDatabase(`board:${dir}/a.db`, `board:${dir}/b.db`, {
    drivers: [board],
  });
  assert.equal(report.ok, true);
  assert.deepEqual(board.opened.slice(1), [
    `board:${dir}/a.db`,
    `board:${dir}/b.db`,
  ]);
  await using copy = await openStorage(`sqlite:${dir}/b.db`);
  assert.equal((await copy.users.findByUsername("SYSOP"))?.username, "sysop");
});

Deno.test("openMigrator() and copyDatabase() refuse drivers that are not drivers, naming drivers, and open nothing", async () => {
  await using dir = await tempDir("impulse-driver-tools-");
  const notOne = [{
    name: "board",
    schemes: ["board:"],
  }] as unknown as Driver[];
  const m = await rejectsKind(
    openMigrator(`sqlite:${dir}/m.db`, { drivers: notOne }),
    "validation",
  );
  assert.match(m.message, /drivers/);
  const c = await rejectsKind(
    copyDatabase(`sqlite:${dir}/a.db`, `sqlite:${dir}/b.db`, {
      drivers: notOne,
    }),
    "validation",
  );
  assert.match(c.message, /drivers/);
  const left = [];
  for await (const entry of Deno.readDir(`${dir}`)) left.push(entry.name);
  assert.deepEqual(left, []);
});
