/**
 * Seeds a board for the scale benchmark through the Storage API: users, message areas with one
 * large area, threads, read pointers, file entries, events and sessions, in large transactions.
 *
 * Run: `deno task seed --db sqlite:./data/scale.db --messages 1000000 --users 100000`
 *
 * @module
 */
import { isStorageError, openStorage, type Storage } from "../mod.ts";
import { parseFlags } from "../src/cli/args.ts";
import { parseNumberArgument } from "../src/cli/numbers.ts";

/** How much to seed. */
export interface SeedSize {
  users: number;
  messages: number;
  files: number;
  /** Events in the log; as many as messages when left out. */
  events?: number;
  /** Ended sessions; as many as messages when left out. */
  sessions?: number;
}

/** Names of the seeded things the benchmark looks up. */
export interface Seeded {
  /** The large message area. */
  areaId: number;
  /** The file area. */
  fileAreaId: number;
  /** A user with a pointer in the middle of the large area. */
  readerId: number;
  /** A thread root in the middle of the large area. */
  threadRootId: number;
  /** A username near the end of the user list. */
  username: string;
  /** A user with events of every kind (absent on boards seeded before the event log). */
  eventUserId?: number;
  /** A user with sessions (absent on boards seeded before nodes and sessions, 0014). */
  sessionUserId?: number;
  /** A user with letters, some unread (absent on boards seeded before mail, 0019). */
  mailUserId?: number;
  /** Whether the file area holds GAME1.ZIP … GAME9.ZIP (absent on boards seeded before files.find). */
  gameFiles?: boolean;
  /**
   * Whether the large area has local messages waiting for a tosser (absent on boards seeded
   * before the export state, 0020, whose messages all count as exported).
   */
  waiting?: boolean;
}

/** Live sessions holding nodes 1…LIVE_NODES on a seeded board (of the default 250 nodes). */
export const LIVE_NODES = 200;

/**
 * Seeds `count` sessions that have ended (a board's login history), each of one of the first
 * `users` user ids, then LIVE_NODES live ones on nodes 1…LIVE_NODES: what `sessions.create({
 * node: "auto" })` searches past.
 *
 * @param storage The storage.
 * @param count How many ended sessions.
 * @param users How many users there are.
 * @param progress Called with a line now and then.
 * @returns A user with sessions.
 */
export async function seedSessions(
  storage: Storage,
  count: number,
  users: number,
  progress: (line: string) => void = () => {},
): Promise<number> {
  for (let done = 0; done < count; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(count, done + BATCH); i++) {
        const { session } = await tx.sessions.create({
          userId: 1 + (i % users),
          ipAddress: "192.0.2.1",
          node: 1 + (i % LIVE_NODES),
        });
        await tx.sessions.end(session.id);
      }
    });
    progress(`sessions ${Math.min(count, done + BATCH)}/${count}`);
  }
  await storage.transaction(async (tx) => {
    for (let i = 0; i < LIVE_NODES; i++) {
      await tx.sessions.create({
        userId: 1 + (i % users),
        ipAddress: "192.0.2.1",
        node: "auto",
      });
    }
  });
  return 1 + Math.floor(users / 3);
}

/** The kinds of seeded events, in turn. */
const KINDS = [
  "login",
  "file.upload",
  "file.download",
  "message.post",
  "door.run",
];

/**
 * Appends `count` events to the log, kinds in turn, each of one of the first `users` user ids
 * (ids 1… of a board seeded from empty).
 *
 * @param storage The storage.
 * @param count How many events.
 * @param users How many users there are.
 * @param progress Called with a line now and then.
 * @returns A user with events.
 */
export async function seedEvents(
  storage: Storage,
  count: number,
  users: number,
  progress: (line: string) => void = () => {},
): Promise<number> {
  for (let done = 0; done < count; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(count, done + BATCH); i++) {
        await tx.events.append({
          kind: KINDS[i % KINDS.length]!,
          userId: 1 + (i % users),
          data: { i },
        });
      }
    });
    progress(`events ${Math.min(count, done + BATCH)}/${count}`);
  }
  return 1 + Math.floor(users / 2);
}

/**
 * Seeds mail: a private area with `count` letters, each to the next user in turn, every other one
 * received; the user returned has 20 more, unread.
 *
 * @param storage The storage.
 * @param count How many letters.
 * @param users How many users there are.
 * @param progress Called with a line now and then.
 * @returns A user with unread letters.
 */
export async function seedMail(
  storage: Storage,
  count: number,
  users: number,
  progress: (line: string) => void = () => {},
): Promise<number> {
  const area = await storage.messageAreas.create({
    tag: "EMAIL",
    name: "E-mail",
    kind: "private",
  });
  const mailUserId = 1 + Math.floor(users / 3);
  for (let done = 0; done < count + 20; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(count + 20, done + BATCH); i++) {
        const toUserId = i < count ? 1 + (i % users) : mailUserId;
        const letter = await tx.messages.post({
          areaId: area.id,
          fromUserId: 1 + ((i + 1) % users),
          toUserId,
          subject: `Letter ${i}`,
          body: "Mail",
        });
        if (i < count && i % 2 === 0) {
          await tx.mail.markReceived(letter.id, toUserId);
        }
      }
    });
    progress(`mail ${Math.min(count + 20, done + BATCH)}/${count + 20}`);
  }
  return mailUserId;
}

const AREAS = 20;
const BATCH = 5000;

/**
 * Seeds `storage`: `size.users` users, `size.messages` messages (nine in ten in one area, the
 * rest spread over 19 others; every tenth message replies in a thread), `size.files` files.
 *
 * @param storage An empty storage.
 * @param size How much.
 * @param progress Called with a line now and then.
 * @returns What the benchmark looks up.
 */
export async function seedBoard(
  storage: Storage,
  size: SeedSize,
  progress: (line: string) => void = () => {},
): Promise<Seeded> {
  const areas: number[] = [];
  for (let i = 0; i < AREAS; i++) {
    areas.push(
      (await storage.messageAreas.create({
        tag: `AREA${i}`,
        name: `Area ${i}`,
      }))
        .id,
    );
  }
  const fileArea =
    (await storage.fileAreas.create({ tag: "FILES", name: "Files" })).id;
  const users: number[] = [];
  for (let done = 0; done < size.users; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(size.users, done + BATCH); i++) {
        users.push(
          (await tx.users.create({ username: `caller${i}`, passwordHash: "h" }))
            .id,
        );
      }
    });
    progress(`users ${Math.min(size.users, done + BATCH)}/${size.users}`);
  }
  let threadRootId = 0;
  let root = 0;
  for (let done = 0; done < size.messages; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(size.messages, done + BATCH); i++) {
        const areaId = i % 10 === 9 ? areas[1 + (i % (AREAS - 1))]! : areas[0]!;
        const reply = i % 10 === 1 && areaId === areas[0] && root !== 0;
        const m = await tx.messages.post({
          areaId,
          fromUserId: users[i % users.length]!,
          subject: `Topic ${i % 997}`,
          body: `Message ${i} about doom, quake and the ${
            i % 31
          }th BBS door game.`,
          parentId: reply ? root : null,
          // Echomail: most came in from the network; one in a hundred waits to be exported.
          imported: i % 100 !== 0,
        });
        if (i % 10 === 0 && areaId === areas[0]) root = m.id;
        if (i === Math.floor(size.messages / 2)) threadRootId = root;
      }
    });
    progress(
      `messages ${Math.min(size.messages, done + BATCH)}/${size.messages}`,
    );
  }
  for (let done = 0; done < size.files; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(size.files, done + BATCH); i++) {
        await tx.files.add({
          areaId: fileArea,
          filename: `FILE${i}.ZIP`,
          size: i,
          uploaderId: users[i % users.length]!,
        });
      }
    });
    progress(`files ${Math.min(size.files, done + BATCH)}/${size.files}`);
  }
  const eventUserId = await seedEvents(
    storage,
    size.events ?? size.messages,
    size.users,
    progress,
  );
  const sessionUserId = await seedSessions(
    storage,
    size.sessions ?? size.messages,
    size.users,
    progress,
  );
  const mailUserId = await seedMail(
    storage,
    Math.floor(size.messages / 10),
    size.users,
    progress,
  );
  const readerId = users[0]!;
  for (const [i, areaId] of areas.entries()) {
    const area = (await storage.messageAreas.get(areaId))!;
    await storage.reading.markRead(
      readerId,
      areaId,
      i === 0 ? Math.floor(area.lastMsgNum / 2) : area.lastMsgNum - 1,
    );
  }
  return {
    areaId: areas[0]!,
    fileAreaId: fileArea,
    readerId,
    threadRootId,
    username: `CALLER${size.users - 7}`,
    eventUserId,
    sessionUserId,
    mailUserId,
    waiting: true,
  };
}

/** The usage text of `deno task seed`. */
const SEED_USAGE = `Usage: deno task seed [options]

Seeds a board for the scale benchmark (bench/scale.ts) in large transactions. It never reads
$IMPULSE_DATABASE_URL or $DATABASE_URL: a million test messages belong in a database named here.

Options:
  --db <url>          the database to seed (default sqlite:./data/scale.db)
  --messages <n>      messages (default 1000000); as many events and sessions
  --users <n>         users (default 100000)
  --files <n>         file entries (default 100000)
  --help              print this text`;

/** The most of anything `seed` makes. */
const MOST = { min: 0, max: 100_000_000 };

/**
 * Runs `deno task seed` with its arguments.
 *
 * @param args The arguments.
 * @returns The exit code: 2 for a usage error.
 */
async function seedMain(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    db: { type: "string" },
    messages: { type: "string" },
    users: { type: "string" },
    files: { type: "string" },
    help: { type: "boolean", short: "h" },
  }, { command: "seed" });
  if (values.help) return console.log(SEED_USAGE), 0;
  const size = {
    messages: parseNumberArgument(
      values.messages ?? "1000000",
      "--messages",
      MOST,
    ),
    users: parseNumberArgument(values.users ?? "100000", "--users", MOST),
    files: parseNumberArgument(values.files ?? "100000", "--files", MOST),
  };
  const started = performance.now();
  await using storage = await openStorage(
    values.db ?? "sqlite:./data/scale.db",
  );
  const seeded = await seedBoard(
    storage,
    size,
    (line) =>
      console.error(
        `${line} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      ),
  );
  console.log(
    JSON.stringify({
      ...seeded,
      seconds: Math.round((performance.now() - started) / 1000),
    }),
  );
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await seedMain(Deno.args));
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    Deno.exit(isStorageError(error, "validation") ? 2 : 1);
  }
}
