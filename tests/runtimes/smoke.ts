/**
 * The runtime smoke test: what an application does on Node and Bun, through the package's own
 * entry points, on a SQLite file, SQLite in memory and PostgreSQL. `deno task smoke:runtimes`
 * bundles it (tests/runtimes/run.ts) and runs the bundle under each runtime; it runs on Deno
 * too. Exits non-zero, naming the step, on the first failure.
 *
 * The PostgreSQL database is made for the run and dropped after: IMPULSE_SMOKE_POSTGRES_URL
 * names it (run.ts creates it); without it the PostgreSQL part is skipped, saying so.
 *
 * @module
 */
import { openStorage, StorageError } from "../../mod.ts";
import { openMigrator } from "../../src/migrate/mod.ts";
import { runtime as seam } from "../../driver.ts";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

async function scenario(url: string): Promise<void> {
  const migrator = await openMigrator(url);
  try {
    await migrator.up();
  } finally {
    await migrator.close();
  }
  // An in-memory database is the storage's own: migrated as it opens (a no-op elsewhere).
  const storage = await openStorage(url, { migrate: "up" });
  try {
    const user = await storage.users.create({
      username: "Smoke Sysop",
      passwordHash: "x",
      securityLevel: 255,
    });
    const area = await storage.messageAreas.create({
      tag: "GENERAL",
      name: "General",
    });
    const posted = await storage.messages.post({
      areaId: area.id,
      fromUserId: user.id,
      subject: "Hello",
      body: "It runs here too",
    });
    const read = await storage.messages.get(posted.id);
    if (read?.body !== "It runs here too") {
      throw new Error(`read back ${JSON.stringify(read?.body)}`);
    }
    let kind: string | undefined;
    try {
      await storage.users.create({
        username: "SMOKE SYSOP",
        passwordHash: "x",
        securityLevel: 10,
      });
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      kind = error.kind;
    }
    if (kind !== "conflict") {
      throw new Error(
        `a duplicate username gave ${kind ?? "no error"}, not conflict`,
      );
    }
  } finally {
    await storage.close();
  }
  if (url.startsWith("sqlite:") && !url.includes(":memory:")) {
    // A scratch copy (node:sqlite's backup, a temporary directory) migrated down and up again.
    // Deno before 2.6 has neither backup() nor ATTACH: verify() is unavailable there, saying so.
    const copies = !/^2\.[2-5]\./.test(denoVersion ?? "");
    const checker = await openMigrator(url);
    try {
      const report = await checker.verify().catch((error) => {
        if (copies || !(error instanceof StorageError)) throw error;
        if (error.kind !== "unavailable" || !/Deno 2\.6/.test(error.message)) {
          throw new Error(
            `verify() on Deno ${denoVersion} failed as ${error.kind}: ${error.message}`,
          );
        }
        return { ok: true };
      });
      if (!report.ok) throw new Error(`verify: ${JSON.stringify(report)}`);
    } finally {
      await checker.close();
    }
  }
}

/** The Deno version when this runs on Deno. */
const denoVersion = (globalThis as { Deno?: { version: { deno: string } } })
  .Deno?.version.deno;
const runtime = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined"
  ? "bun"
  : typeof (globalThis as { Deno?: unknown }).Deno !== "undefined"
  ? "deno"
  : "node";
const version = runtime === "bun"
  ? (globalThis as unknown as { Bun: { version: string } }).Bun.version
  : runtime === "deno"
  ? (globalThis as unknown as { Deno: { version: { deno: string } } }).Deno
    .version.deno
  : process.versions.node;
const label = `${runtime} ${version}`;
const dir = await mkdtemp(join(tmpdir(), "impulse-smoke-"));
const targets: [string, string][] = [
  ["sqlite memory", "sqlite::memory:"],
  ["sqlite file", `sqlite:${join(dir, "board.db")}`],
];
const postgres = process.env.IMPULSE_SMOKE_POSTGRES_URL;
if (postgres) targets.push(["postgres", postgres]);
else {console.log(
    `smoke (${label}): no IMPULSE_SMOKE_POSTGRES_URL, PostgreSQL skipped`,
  );}
let failed = false;
if (runtime !== "deno") {
  // The FFI engine is Deno's alone, and says so.
  const kind = await openStorage("sqlite::memory:?engine=ffi").then(
    () => "none",
    (error) => error instanceof StorageError ? error.kind : String(error),
  );
  if (kind !== "unavailable") {
    failed = true;
    console.error(
      `smoke (${label}): engine=ffi gave ${kind}, not unavailable`,
    );
  } else console.log(`smoke (${label}): engine=ffi refused as unavailable`);
}
try {
  // The runtime seam's own errors: an existing file, a missing one.
  const file = join(dir, "seam");
  await seam.createNew(file, 0o600);
  const exists = await seam.createNew(file, 0o600).then(
    () => "no error",
    (error) =>
      error instanceof seam.errors.AlreadyExists ? "ok" : String(error),
  );
  const missing = await seam.stat(join(dir, "missing")).then(
    () => "no error",
    (error) => error instanceof seam.errors.NotFound ? "ok" : String(error),
  );
  if (exists !== "ok" || missing !== "ok") {
    failed = true;
    console.error(
      `smoke (${label}): runtime errors: AlreadyExists ${exists}, NotFound ${missing}`,
    );
  } else console.log(`smoke (${label}): runtime errors ok`);
  for (const [name, url] of targets) {
    try {
      await scenario(url);
      console.log(`smoke (${label}): ${name} ok`);
    } catch (error) {
      failed = true;
      console.error(`smoke (${label}): ${name} FAILED:`, error);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
