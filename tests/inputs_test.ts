/**
 * Inputs that are not what they say, from the promise that every failure is a `StorageError`
 * and bad input is `validation` naming the field: objects that pass `instanceof Date` without
 * being dates (on every target), Dates whose own methods lie, and URLs or options that are
 * Proxies, getters that throw, or the wrong type.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { conformance } from "./_targets.ts";

/** Objects that pass `instanceof Date` but are no date, or a date whose methods lie. */
class LyingDate extends Date {
  override getTime(): number {
    throw new Error("getTime called");
  }
  override valueOf(): number {
    throw new Error("valueOf called");
  }
}
const FAKE_DATES: [string, () => unknown][] = [
  ["Object.create(Date.prototype)", () => Object.create(Date.prototype)],
  ["a Proxy of a Date", () => new Proxy(new Date(0), {})],
  ["a revoked Proxy", () => {
    const { proxy, revoke } = Proxy.revocable(new Date(0), {});
    revoke();
    return proxy;
  }],
  ["a Proxy whose getPrototypeOf throws", () =>
    new Proxy(new Date(0), {
      getPrototypeOf() {
        throw new Error("trap");
      },
    })],
];

conformance(
  "every Date input refuses what only claims to be a Date as validation naming the field, and reads a real one through Date.prototype",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "T", name: "T" });
    const user = await s.users.create({ username: "u", passwordHash: "h" });
    const inputs: [string, (d: unknown) => Promise<unknown>][] = [
      ["createdAt", (d) =>
        s.users.create({
          username: "x",
          passwordHash: "h",
          createdAt: d as Date,
        })],
      [
        "lastLoginAt",
        (d) => s.users.update(user.id, { lastLoginAt: d as Date }),
      ],
      [
        "loginAt",
        (d) => s.callers.add({ username: "Old", loginAt: d as Date }),
      ],
      ["uploadedAt", (d) =>
        s.files.add({
          areaId: area.id,
          filename: "A.ZIP",
          size: 1,
          uploadedAt: d as Date,
        })],
      ["since", (d) => s.files.listNew(d as Date)],
    ];
    for (const [field, call] of inputs) {
      for (const [label, make] of FAKE_DATES) {
        const error = await rejectsKind(call(make()), "validation", field);
        assert.match(error.message, /must be a Date/, label);
      }
    }
    // A real Date that lies through its own methods is read by its true time.
    const made = await s.users.create({
      username: "lying",
      passwordHash: "h",
      createdAt: new LyingDate(86_400_000),
    });
    assert.equal(made.createdAt.getTime(), 86_400_000);
    assert.equal(
      (await s.files.listNew(new LyingDate(0))).length,
      0,
    );
  },
);

Deno.test("openStorage() and openMigrator() refuse a URL or options that are not what they say as validation", async () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const trap = () => {
    throw new Error("trap");
  };
  const hostile: [string, unknown][] = [
    ["null", null],
    ["a number", 42],
    ["a symbol", Symbol("url")],
    ["a String object", new String("sqlite::memory:")],
    ["an array", ["sqlite::memory:"]],
    ["a revoked Proxy", revoked.proxy],
    ["a Proxy whose traps throw", new Proxy({}, { get: trap, ownKeys: trap })],
    ["an object with a throwing getter", {
      get migrate() {
        return trap();
      },
      get readOnly() {
        return trap();
      },
    }],
  ];
  for (const [label, value] of hostile) {
    const opens: [string, () => Promise<{ close(): Promise<void> }>][] = [
      ["url", () => openStorage(value as string)],
      ["url", () => openMigrator(value as string)],
      ["options", () => openStorage("sqlite::memory:", value as never)],
      ["options", () => openMigrator("sqlite::memory:", value as never)],
    ];
    for (const [field, open] of opens) {
      const error = await open().then((s) => s.close(), (e) => e);
      assert.ok(error instanceof StorageError, `${label}: ${error}`);
      assert.equal(error.kind, "validation", `${label}: ${error.message}`);
      assert.ok(error.field?.startsWith(field), `${label}: ${error.field}`);
    }
  }
  await rejectsKind(
    openMigrator("sqlite::memory:", { lockTimeoutMs: -1 }),
    "validation",
    "options.lockTimeoutMs",
  );
  await rejectsKind(
    openMigrator("sqlite::memory:", { readOnly: "yes" as never }),
    "validation",
    "options.readOnly",
  );
});
