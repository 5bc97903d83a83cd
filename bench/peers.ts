/**
 * The package beside its peers, in one process: the raw driver (`node:sqlite`, postgres.js),
 * the package on each engine (SQLite built in, SQLite over FFI when libsqlite3 loads,
 * PostgreSQL), Kysely and Drizzle, each on the same database with the package's migrated schema,
 * doing the same logical work (`bench/_peers_sides.ts`) in interleaved rounds
 * (`bench/_peers_measure.ts`). Then PostgreSQL throughput of 16 concurrent callers on pools of 10,
 * and the memory each side keeps over many reads. Prints tables of ratios to raw with their
 * spread over rounds, or, with `--json`, the same as JSON. Without a PostgreSQL server (see
 * `tests/_postgres.ts`) its part is skipped, with a line saying so.
 *
 * Run: `deno task bench:peers [--quick] [--rounds N] [--json]`
 *
 * @module
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { DatabaseSync } from "node:sqlite";
import postgres from "postgres";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import { drizzle as drizzleProxy } from "drizzle-orm/sqlite-proxy";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { openStorage, type Storage } from "../mod.ts";
import { PRAGMAS } from "../drivers/sqlite/dialect.ts";
import { createDatabase, postgresMissing } from "../tests/_postgres.ts";
import {
  rawPostgres,
  rawPostgresClient,
  rawSqlite,
  type RawStatement,
} from "./_raw.ts";
import {
  checkColumns,
  type PeerDatabase,
  pgTables,
  sqliteTables,
} from "./_peers_schema.ts";
import { drizzleSide, drizzleSqliteProxy } from "./_peers_drizzle.ts";
import { kyselySide, NodeSqliteDialect } from "./_peers_kysely.ts";
import {
  type Fixture,
  OPERATIONS,
  rawPostgresSide,
  rawSqliteSide,
  type Side,
  storageSide,
} from "./_peers_sides.ts";
import {
  type Cell,
  checkSides,
  type Growth,
  measureGrowth,
  measureRounds,
  measureThroughput,
  type Results,
  type RoundsOptions,
} from "./_peers_measure.ts";
import { type PeerSeedSize, seedPeers } from "./_peers_seed.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
  },
});
const quick = flags.quick;
const SIZE: PeerSeedSize = quick
  ? { users: 1000, messages: 5000, areas: 20 }
  : { users: 10_000, messages: 50_000, areas: 20 };
const ROUNDS: RoundsOptions = {
  rounds: Number(flags.rounds ?? (quick ? 20 : 200)),
  warmup: quick ? 5 : 20,
  batch: 5,
};
const READS = quick ? 20_000 : 200_000;
const THROUGHPUT = {
  callers: 16,
  ms: quick ? 300 : 1000,
  rounds: quick ? 3 : 9,
};
const POOL = 10;
/** Progress goes to stderr, so `--json` leaves stdout to the JSON. */
const say = (line: string) => console.error(line);

/** One engine's part of the report. */
interface EnginePart {
  version: string;
  sides: string[];
  operations: Results;
  memory: Record<string, Growth>;
  throughput?: Record<string, Cell>;
}

function machine() {
  return {
    cpu: cpus()[0]?.model ?? Deno.build.arch,
    cores: navigator.hardwareConcurrency,
    os: `${Deno.build.os} ${Deno.osRelease()}`,
    deno: Deno.version.deno,
    date: new Date().toISOString(),
  };
}

/** A `node:sqlite` connection on `path` with the pragmas the package sets. */
function connect(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  for (const pragma of PRAGMAS) db.exec(pragma);
  return db;
}

/**
 * Prepares raw statements that read rows as arrays: `node:sqlite` at its fastest, as the package's
 * engine reads them (and as the raw postgres.js side does, with `.values()`).
 */
function preparer(db: DatabaseSync): (text: string) => RawStatement {
  return (text) => {
    const s = db.prepare(text);
    // In node:sqlite since Node 24; Deno has it, its types not yet.
    (s as unknown as { setReturnArrays(on: boolean): void }).setReturnArrays(
      true,
    );
    return {
      get: (params) => s.get(...params as never[]),
      all: (params) => s.all(...params as never[]),
      run: (params) => s.run(...params as never[]),
    };
  };
}

/** The reads every side is held to the raw side's answers on. */
const READS_CHECKED = [
  "getUser",
  "findByUsername",
  "list50",
  "newScan",
  "sessionByToken",
] as const;

/** The memory each side keeps over {@linkcode READS} `getUser` calls. */
async function growth(sides: Record<string, Side>, names: string[]) {
  const memory: Record<string, Growth> = {};
  for (const name of names) {
    memory[name] = await measureGrowth(sides[name]!.getUser, READS);
  }
  return memory;
}

async function sqlitePart(): Promise<EnginePart> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-peers-" });
  const path = `${dir}/board.db`;
  const connections: DatabaseSync[] = [];
  const storages: Storage[] = [];
  try {
    const storage = await openStorage(`sqlite:${path}`);
    storages.push(storage);
    say(`SQLite: seeding ${JSON.stringify(SIZE)}…`);
    const fx: Fixture = await seedPeers(storage, SIZE);
    const open = () => connections[connections.push(connect(path)) - 1]!;
    const raw = open();
    const prepare = preparer(raw);
    const sides: Record<string, Side> = {
      raw: rawSqliteSide(rawSqlite(prepare), prepare, fx, "raw_"),
      package: storageSide(storage, fx, "pkg_"),
    };
    try {
      const ffi = await openStorage(`sqlite:${path}?engine=ffi`);
      storages.push(ffi);
      sides["package ffi"] = storageSide(ffi, fx, "ffi_");
    } catch (error) {
      say(`SQLite FFI engine skipped: ${(error as Error).message}`);
    }
    const kysely = new Kysely<PeerDatabase>({
      dialect: new NodeSqliteDialect(open()),
    });
    sides.kysely = kyselySide(kysely, fx, "ky_");
    const drizzle = drizzleProxy(drizzleSqliteProxy(open()));
    sides.drizzle = drizzleSide(drizzle, sqliteTables, fx, "dz_", true);
    await checkSides(sides, READS_CHECKED);
    say(`SQLite: ${ROUNDS.rounds} rounds…`);
    const operations = await measureRounds(sides, OPERATIONS, ROUNDS);
    say(`SQLite: memory over ${READS} reads…`);
    const memory = await growth(sides, Object.keys(sides));
    const version = raw.prepare("SELECT sqlite_version() AS v").get()!.v;
    await kysely.destroy();
    return {
      version: `SQLite ${version}`,
      sides: Object.keys(sides),
      operations,
      memory,
    };
  } finally {
    for (const storage of storages) await storage.close();
    for (const db of connections) db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function postgresPart(): Promise<EnginePart> {
  await using db = await createDatabase("impulse_peers");
  const clients: postgres.Sql[] = [];
  const client = (max: number) =>
    clients[clients.push(rawPostgresClient(db.url, max)) - 1]!;
  const storage = await openStorage(`${db.url}?poolSize=${POOL}`);
  try {
    say(`PostgreSQL: seeding ${JSON.stringify(SIZE)}…`);
    const fx = await seedPeers(storage, SIZE);
    const one = client(1);
    // Kysely reserves a connection per query: postgres.js 3.4.9's reserve() was seen to hang
    // with fetch_types: false before a connection is open, so this client fetches types.
    const forKysely = postgres(db.url, {
      max: POOL,
      onnotice: () => {},
      types: {
        bigint: { to: 20, from: [20], parse: Number, serialize: String },
      },
    });
    clients.push(forKysely as unknown as postgres.Sql);
    const kysely = new Kysely<PeerDatabase>({
      dialect: new PostgresJSDialect({ postgres: forKysely }),
    });
    const drizzle = drizzlePostgres(client(POOL));
    const sides: Record<string, Side> = {
      raw: rawPostgresSide(rawPostgres(one), one, fx, "raw_"),
      package: storageSide(storage, fx, "pkg_"),
      kysely: kyselySide(kysely, fx, "ky_"),
      drizzle: drizzleSide(drizzle, pgTables, fx, "dz_", false),
    };
    await checkSides(sides, READS_CHECKED);
    say(`PostgreSQL: ${ROUNDS.rounds} rounds…`);
    const operations = await measureRounds(sides, OPERATIONS, ROUNDS);
    say(
      `PostgreSQL: ${THROUGHPUT.callers} callers on pools of ${POOL}, ${THROUGHPUT.rounds} rounds…`,
    );
    const pooled = rawPostgres(client(POOL));
    const throughput = await measureThroughput({
      raw: (i) => pooled.getUser(fx.userIds[i % fx.userIds.length]!),
      package: (i) => sides.package!.getUser(i) as Promise<unknown>,
      kysely: (i) => sides.kysely!.getUser(i) as Promise<unknown>,
      drizzle: (i) => sides.drizzle!.getUser(i) as Promise<unknown>,
    }, THROUGHPUT);
    say(`PostgreSQL: memory over ${READS} reads…`);
    const memory = await growth(sides, ["raw", "package"]);
    const [row] = await one`SHOW server_version`;
    await kysely.destroy();
    return {
      version: `PostgreSQL ${row?.server_version}`,
      sides: Object.keys(sides),
      operations,
      memory,
      throughput,
    };
  } finally {
    await storage.close();
    for (const c of clients) await c.end({ timeout: 1 });
  }
}

const x = (n: number) => `${n.toFixed(2)}×`;

/** The part as Markdown tables: µs per call and ratio to raw (p25–p75 over rounds). */
function render(title: string, part: EnginePart): string {
  const head = `| ${title} | ${part.sides.join(" | ")} |\n|---|${
    part.sides.map(() => "---:").join("|")
  }|`;
  const rows = Object.entries(part.operations).map(([op, cells]) =>
    `| ${op} | ${
      part.sides.map((side) => {
        const c = cells[side]!;
        const us = `${c.us.toFixed(1)} µs`;
        return side === part.sides[0]
          ? us
          : `${us} ${x(c.ratio)} (${c.p25.toFixed(2)}–${c.p75.toFixed(2)})`;
      }).join(" | ")
    } |`
  );
  const lines = [head, ...rows];
  if (part.throughput) {
    lines.push(
      `| getUser, ${THROUGHPUT.callers} callers, pool ${POOL} | ${
        part.sides.map((side) => {
          const c = part.throughput![side]!;
          const rate = `${Math.round(c.us)}/s`;
          return side === part.sides[0]
            ? rate
            : `${rate} ${x(c.ratio)} (${c.p25.toFixed(2)}–${c.p75.toFixed(2)})`;
        }).join(" | ")
      } |`,
    );
  }
  lines.push(
    `| memory kept, ${READS} getUser (RSS / heap MiB) | ${
      part.sides.map((side) => {
        const g = part.memory[side];
        return g ? `${g.rssMiB.toFixed(1)} / ${g.heapMiB.toFixed(1)}` : "–";
      }).join(" | ")
    } |`,
  );
  return lines.join("\n");
}

checkColumns();
const started = performance.now();
const report = {
  machine: machine(),
  options: { size: SIZE, rounds: ROUNDS, reads: READS, throughput: THROUGHPUT },
  sqlite: await sqlitePart(),
  postgres: postgresMissing === undefined ? await postgresPart() : undefined,
  seconds: 0,
};
report.seconds = Math.round((performance.now() - started) / 1000);
if (flags.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const m = report.machine;
  console.log(
    `${m.cpu}, ${m.cores} cores, ${m.os}; Deno ${m.deno}; ${report.sqlite.version}; ${
      report.postgres?.version ?? "no PostgreSQL"
    }; ${m.date}; ${report.seconds} s`,
  );
  console.log(
    `Median µs per call; ratio to raw: median (p25–p75) of ${ROUNDS.rounds} interleaved rounds of ${ROUNDS.batch} calls.\n`,
  );
  console.log(render("SQLite", report.sqlite));
  console.log();
  if (report.postgres) console.log(render("PostgreSQL", report.postgres));
  else console.log(`PostgreSQL part skipped: ${postgresMissing}`);
}
