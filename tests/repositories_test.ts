/**
 * The repositories, written from issue 11's mapping and the README ("Using it"): the storage and
 * a transaction's handle offer the same nine repositories with exactly the mapped methods, and
 * no flat method of the old interface; each repository is made once per storage and per handle;
 * a repository or a method taken off its object works; and the messages that name an operation
 * name it as `repository.method`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, type Repositories } from "../mod.ts";
import { OPERATIONS } from "../src/ops/mod.ts";
import { rejectsKind } from "./_assert.ts";

/** The issue's mapping, new names only, with issue 12's additions: the contract. */
const MAPPING = {
  users: [
    "create",
    "get",
    "findByUsername",
    "update",
    "delete",
    "incrementStats",
    "recordLogin",
    // Issue 12, item 1.
    "list",
    "count",
    "recordFailedLogin",
    "getProps",
    "setProps",
    "findByProp",
    "logins",
    // Issue 13, item 5.
    "incrementCounter",
    "counters",
  ],
  callers: ["recent", "add"],
  messageAreas: [
    "create",
    "get",
    "getByTag",
    "list",
    "update",
    "delete",
    "reorder",
  ],
  messages: [
    "post",
    "get",
    "list",
    "update",
    "delete",
    "thread",
    "findByMsgid",
    "search",
    "trim",
    "trimAll",
    "getByNum",
    "listUnexported",
    "markExported",
  ],
  reading: [
    "markRead",
    "pointer",
    "setPointer",
    "setPointersByDate",
    "setScanned",
    "newScan",
    "readNext",
  ],
  mail: ["listFor", "inbox", "sent", "markReceived", "unreadCount", "toName"],
  fileAreas: [
    "create",
    "get",
    "getByTag",
    "list",
    "update",
    "delete",
    "reorder",
    "stats",
  ],
  files: [
    "add",
    "get",
    "list",
    "page",
    "count",
    "find",
    "findPage",
    "listNew",
    "findByHash",
    "recordDownload",
    "update",
    "move",
    "delete",
    "search",
  ],
  sessions: [
    "create",
    "getByToken",
    "touch",
    "end",
    "delete",
    "listOnline",
    "purgeExpired",
    "listForUser",
    "endAllForUser",
  ],
  settings: ["get", "set", "delete", "list", "increment"],
  events: ["append", "list", "count", "top", "prune"],
};

/** The flat names the repositories replace: none may be left on a storage or a handle. */
const OLD_NAMES = [
  "createUser",
  "getUser",
  "findUserByUsername",
  "updateUser",
  "deleteUser",
  "incrementUserStats",
  "recordLogin",
  "lastCallers",
  "addLastCaller",
  "createMessageArea",
  "getMessageArea",
  "listMessageAreas",
  "postMessage",
  "getMessage",
  "listMessages",
  "updateMessage",
  "deleteMessage",
  "getThread",
  "findMessageByMsgid",
  "searchMessages",
  "markRead",
  "newScan",
  "readNext",
  "listMailFor",
  "createFileArea",
  "getFileArea",
  "listFileAreas",
  "addFile",
  "getFile",
  "listFiles",
  "listNewFiles",
  "findFilesByHash",
  "recordDownload",
  "updateFile",
  "deleteFile",
  "searchFiles",
  "createSession",
  "getSessionByToken",
  "touchSession",
  "endSession",
  "deleteSession",
  "listOnline",
  "purgeExpiredSessions",
];

/** The repositories and method names an object offers. */
function shape(repositories: Repositories): Record<string, string[]> {
  const seen: Record<string, string[]> = {};
  for (const name of Object.keys(MAPPING) as (keyof Repositories)[]) {
    const repository = repositories[name] as unknown as Record<string, unknown>;
    assert.ok(repository, `${name} is missing`);
    // Own methods (a storage's) and methods its prototype hands out (a handle's) alike.
    seen[name] = [];
    for (const method in repository) {
      if (typeof repository[method] === "function") seen[name].push(method);
    }
  }
  return seen;
}

Deno.test("repositories: the storage and a transaction's handle offer exactly the issue's mapping", async () => {
  assert.equal(OLD_NAMES.length, 43);
  const expected = Object.entries(MAPPING).flatMap(([repository, methods]) =>
    methods.map((method) => `${repository}.${method}`)
  );
  assert.deepEqual([...OPERATIONS].sort(), expected.sort());
  await using storage = await openStorage("sqlite::memory:");
  assert.deepEqual(shape(storage), MAPPING);
  await storage.transaction((tx) => {
    assert.deepEqual(shape(tx), MAPPING);
    for (const name of OLD_NAMES) {
      assert.ok(!(name in tx), `tx.${name} is gone`);
    }
    return Promise.resolve();
  });
  for (const name of OLD_NAMES) {
    assert.ok(!(name in storage), `storage.${name} is gone`);
  }
});

Deno.test("repositories: each is made once per storage and once per transaction handle", async () => {
  await using storage = await openStorage("sqlite::memory:");
  for (const name of Object.keys(MAPPING) as (keyof Repositories)[]) {
    assert.equal(storage[name], storage[name], `storage.${name}`);
  }
  await storage.transaction((tx) => {
    for (const name of Object.keys(MAPPING) as (keyof Repositories)[]) {
      assert.equal(tx[name], tx[name], `tx.${name}`);
      assert.notEqual(
        tx[name],
        storage[name],
        `tx.${name} is the handle's own`,
      );
    }
    return Promise.resolve();
  });
});

Deno.test("repositories: a repository and its methods work taken off their objects", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const { users } = storage;
  const { create, get } = users;
  const alice = await create({ username: "Alice", passwordHash: "h" });
  assert.equal((await get(alice.id))?.username, "Alice");
  const renamed = await storage.transaction(async ({ users }) => {
    const { update } = users;
    return await update(alice.id, { username: "Alicia" });
  });
  assert.equal(renamed.username, "Alicia");
  const ids = await Promise.all(
    ["b", "c"].map((username) =>
      Promise.resolve({ username, passwordHash: "h" }).then(create)
    ),
  );
  assert.equal(ids.length, 2);
});

Deno.test("repositories: messages name the operation as repository.method", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const search = await rejectsKind(
    storage.messages.search(42 as unknown as string),
    "validation",
    "query",
  );
  assert.match(search.message, /^Invalid messages\.search input: query /);
  const create = await rejectsKind(
    storage.users.create({} as never),
    "validation",
  );
  assert.match(create.message, /^Invalid users\.create input: /);
  const stats = await rejectsKind(
    storage.users.incrementStats(0, {}),
    "validation",
    "id",
  );
  assert.match(stats.message, /^Invalid users\.incrementStats input: id /);
  let kept: Repositories | undefined;
  await storage.transaction((tx) => {
    kept = tx;
    return Promise.resolve();
  });
  const ended = await rejectsKind(
    kept!.files.listNew(new Date()),
    "unavailable",
  );
  assert.match(
    ended.message,
    /^Cannot run files\.listNew as its transaction has ended/,
  );
  // Messages that say what could not be done keep their words.
  const missing = await rejectsKind(storage.users.update(99, {}), "not_found");
  assert.equal(missing.message, "Cannot update user as user 99 does not exist");
  const gone = await rejectsKind(storage.sessions.end(99), "not_found");
  assert.equal(gone.message, "Cannot end session as session 99 does not exist");
});

Deno.test('repositories: README\'s table under "Using it" lists each repository once, with exactly its methods', async () => {
  const readme = await Deno.readTextFile(
    new URL("../README.md", import.meta.url),
  );
  const start = readme.indexOf("## Using it");
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  const rows = section.split("\n").filter((line) =>
    /^\| `storage\.\w+`/.test(line)
  );
  const listed = new Map<string, string[]>();
  for (const row of rows) {
    const [, repo = "", methods = ""] = row.split("|").map((cell) =>
      cell.trim()
    );
    const name = repo.slice("`storage.".length, -1);
    assert.ok(!listed.has(name), `README lists storage.${name} twice`);
    listed.set(
      name,
      [...methods.matchAll(/`(\w+)`/g)].map((m) => m[1]!).sort(),
    );
  }
  await using storage = await openStorage("sqlite::memory:");
  const actual = new Map(
    Object.keys(MAPPING).map((name) => [
      name,
      Object.keys(storage[name as keyof Repositories]).sort(),
    ]),
  );
  assert.deepEqual(listed, actual);
});
