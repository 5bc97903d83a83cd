/**
 * Hostile input: every value of the corpus (`_hostile.ts`) goes into every argument of every
 * operation and into every field of every input object (nested kludges included), every field
 * is also left out, and own `__proto__` / `constructor` / `prototype` keys and unknown keys are
 * added to every input object. Each call must either succeed and store exactly what was given
 * (read back and compared), or fail as `validation` naming the field; a well-typed value naming
 * a missing record (or a list of ids naming the wrong ones) may also fail as `not_found`,
 * `constraint` or `conflict`. Never an
 * `internal` error, a TypeError, a hang, or a write: after each failure every table is
 * fingerprinted (row counts, id marks, sums over every column) and must be unchanged.
 * Afterwards `Object.prototype` must be untouched.
 *
 * The cross product is split deterministically among the targets (see {@linkcode runsOn}), so
 * that together they cover it all while each stays quick. `IMPULSE_DEEP=1` (or `-- --deep`)
 * runs everything on every target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { openStorage, StorageError } from "../mod.ts";
import { operation, type OperationName, OPERATIONS } from "../src/ops/mod.ts";
import {
  CORPUS,
  type Hostile,
  POLLUTERS,
  safeInteger,
  storableString,
} from "./_hostile.ts";
import { type Board, OPS, seedBoard, timeOf } from "./_hostile_ops.ts";
import { openRaw } from "./_raw.ts";
import { TARGETS } from "./_targets.ts";
import { within as bounded } from "./_within.ts";

const DEEP = Deno.env.get("IMPULSE_DEEP") === "1" ||
  Deno.args.includes("--deep");
/**
 * The longest refusing bad input may take: it happens before any statement, so even a huge
 * string must be turned away at once (a 1 MiB one takes milliseconds).
 */
const REFUSAL_MS = 2_000;
/** The longest a call may take (a 1 MiB message on a busy PostgreSQL takes well under it). */
const CALL_TIMEOUT_MS = 15_000;

const MISSING = Symbol("missing");
type Path = readonly (string | number)[];

/** One hostile call: where the value goes, and the value. */
interface Variant {
  op: OperationName;
  label: string;
  path: Path;
  make(): unknown;
  /** Own keys to add to the object argument at `path[0]` instead of replacing anything. */
  pollute?: boolean;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) &&
  !(v instanceof Date);

/** Whether a value is an id that may name a record of the board. */
function namesBoard(h: Hostile): boolean {
  const value = h.make();
  return safeInteger(value) && value > 0 && value < 2 ** 31;
}

function variantsOf(
  op: OperationName,
  base: readonly unknown[],
): Variant[] {
  const out: Variant[] = [];
  const each = (path: Path, values: readonly Hostile[]) => {
    for (const h of values) {
      out.push({ op, label: h.label, path, make: h.make });
    }
  };
  base.forEach((arg, i) => {
    each(
      [i],
      OPS[op].destroys && i === 0
        ? CORPUS.filter((h) => !namesBoard(h))
        : CORPUS,
    );
    if (!isPlain(arg)) return;
    for (const [key, value] of Object.entries(arg)) {
      each([i, key], [...CORPUS, { label: "missing", make: () => MISSING }]);
      const first = Array.isArray(value) ? value[0] : undefined;
      if (!isPlain(first)) continue;
      for (const sub of Object.keys(first)) {
        each([i, key, 0, sub], [...CORPUS, {
          label: "missing",
          make: () => MISSING,
        }]);
      }
    }
    for (const p of POLLUTERS) {
      out.push({ op, label: p.label, path: [i], make: p.make, pollute: true });
    }
  });
  return out;
}

function inject(args: unknown[], v: Variant): unknown {
  const value = v.make();
  if (v.pollute) {
    const evil = value as Record<string, unknown>;
    for (const [k, x] of Object.entries(args[v.path[0] as number]!)) {
      evil[k] = x;
    }
    args[v.path[0] as number] = evil;
    return value;
  }
  let holder = args as unknown as Record<string | number, unknown>;
  for (const step of v.path.slice(0, -1)) {
    holder = holder[step] as Record<string | number, unknown>;
  }
  const last = v.path.at(-1)!;
  if (value === MISSING) delete holder[last];
  else holder[last] = value;
  return value;
}

/** A stable hash of a variant's name, to share the cross product among targets. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

function within<T>(work: () => Promise<T>, what: string): Promise<T> {
  return bounded(work, what, CALL_TIMEOUT_MS);
}

/** The observable state, through the API, where no raw connection can fingerprint the tables. */
async function apiFingerprint(b: Board): Promise<string> {
  const s = b.s;
  return JSON.stringify(
    await Promise.all([
      s.messageAreas.list(),
      s.fileAreas.list(),
      s.users.get(b.a.id),
      s.users.get(b.b.id),
      s.messages.list(b.area.id, { limit: 1000 }),
      s.files.list(b.fileArea.id, { limit: 1000 }),
      s.callers.recent(1000).then((callers) => callers.length),
      s.sessions.listOnline(),
      s.reading.newScan(b.a.id),
      s.files.findByHash("ab".repeat(32)),
    ]),
  );
}

/** Checks a failure: its kind, its field, and that it was allowed for this value. */
function assertRefusal(
  error: unknown,
  v: Variant,
  value: unknown,
  what: string,
): string {
  assert.ok(
    error instanceof StorageError,
    `${what}: expected a StorageError, got ${(error as Error)?.stack ?? error}`,
  );
  assert.ok(
    error.message.length <= 1000 &&
      !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(error.message),
    `${what}: the message is one short line: ${
      JSON.stringify(error.message.slice(0, 200))
    }`,
  );
  if (error.kind === "validation") {
    const field = error.field ?? "";
    assert.ok(
      field !== "" && error.message.includes(field),
      `${what}: names its field: ${error.message}`,
    );
    // An unknown key is named as given when it is short and printable, else escaped and cut.
    const key = v.pollute ? Object.keys(value as object)[0]! : undefined;
    const want = key !== undefined
      ? (/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]{1,64}$/u.test(key) ? key : undefined)
      : v.path.length > 1
      ? v.path.slice(1).join(".")
      : undefined;
    if (want !== undefined) {
      assert.ok(
        field === want || field.endsWith(`.${want}`) ||
          field.startsWith(`${want}.`) ||
          // Inside a positional argument's value: `value.name.then`.
          field.includes(`.${want}.`),
        `${what}: names ${want}, not ${field}: ${error.message}`,
      );
    }
    return "validation";
  }
  const wellTyped = value === MISSING || value === null ||
    storableString(value) ||
    safeInteger(value) || Number.isFinite(timeOf(value)) ||
    // A list of ids (reorder) that names the wrong records.
    (Array.isArray(value) && value.length > 0 && value.every(safeInteger)) ||
    (Array.isArray(value) && value.length === 0);
  // A letter is received by its addressee alone: another user's id is forbidden on any view.
  const kinds = what.startsWith("mail.markReceived ")
    ? ["not_found", "constraint", "conflict", "forbidden"]
    : ["not_found", "constraint", "conflict"];
  assert.ok(
    wellTyped && kinds.includes(error.kind),
    `${what}: failed as ${error.kind}: ${error.message}`,
  );
  return error.kind;
}

/**
 * The state a failed call must leave as it was. Taken again only when something may have
 * changed it (a success, a record made for the call), as failures are what it checks.
 */
class Witness {
  #take: () => Promise<string>;
  #known: string | undefined;
  constructor(take: () => Promise<string>) {
    this.#take = take;
  }
  async now(): Promise<string> {
    return this.#known ??= await this.#take();
  }
  stale(): void {
    this.#known = undefined;
  }
  async unchanged(before: string, what: string): Promise<void> {
    this.#known = await this.#take();
    assert.equal(this.#known, before, `${what}: a failed call changed nothing`);
  }
}

async function runVariant(b: Board, v: Variant, witness: Witness) {
  const op = OPS[v.op];
  const args = [...await op.args(b)];
  if (op.destroys || op.argsWrite) witness.stale();
  const value = inject(args, v);
  const what = `${v.op} with ${v.label} at ${v.path.join(".") || "(all)"}`;
  const before = await witness.now();
  let result: unknown, outcome = "ok";
  const started = performance.now();
  try {
    const fn = operation(b.s, v.op);
    result = await within(() => fn(...args), what);
  } catch (error) {
    const took = performance.now() - started;
    outcome = assertRefusal(error, v, value, what);
    if (outcome === "validation") {
      assert.ok(took < REFUSAL_MS, `${what}: refused in ${took.toFixed(0)} ms`);
    }
    await witness.unchanged(before, what);
  }
  if (outcome === "ok") {
    witness.stale();
    try {
      await op.verify?.(b, args, result);
    } catch (error) {
      throw new Error(`${what}: succeeded, but: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  await op.cleanup?.(b, args, result);
  if (op.destroys) witness.stale();
  return outcome;
}

/**
 * Whether a target runs a variant. Each SQLite target runs half of them (hash-chosen, so that
 * any two neighbours together run them all); PostgreSQL, whose every check is a round trip,
 * runs a fifth. A deep run runs everything everywhere.
 */
function runsOn(v: Variant, index: number): boolean {
  if (DEEP) return true;
  const h = hash(`${v.op} ${v.path.join(".")} ${v.label}`);
  if (TARGETS[index]!.name === "postgres") return h % 5 === 0;
  return (h + index) % 4 < 2;
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype];
const ownNames = () =>
  PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort());

TARGETS.forEach((target, index) => {
  Deno.test({
    name:
      `[${target.name}] hostile input: every operation and field succeeds exactly or fails as validation`,
    ignore: target.ignore !== undefined,
    async fn() {
      const prototypes = ownNames();
      await using fresh = await target.fresh();
      await using storage = await fresh.open();
      await using raw = openRaw(fresh.url);
      const board = await seedBoard(storage);
      const witness = new Witness(
        raw ? () => raw.fingerprint() : () => apiFingerprint(board),
      );
      const started = performance.now();
      const tally = new Map<string, number>();
      for (const op of Object.keys(OPS) as OperationName[]) {
        const base = await OPS[op].args(board);
        await OPS[op].cleanup?.(board, base, undefined);
        for (const v of variantsOf(op, base)) {
          if (!runsOn(v, index)) continue;
          const outcome = await runVariant(board, v, witness);
          tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        }
      }
      assert.deepStrictEqual(
        ownNames(),
        prototypes,
        "no prototype gained or lost a property",
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      const calls = [...tally.values()].reduce((a, b) => a + b, 0);
      console.log(
        `[${target.name}] ${calls} hostile calls in ${
          ((performance.now() - started) / 1000).toFixed(1)
        } s (corpus ${CORPUS.length} values): ${
          [...tally].map(([k, n]) => `${k} ${n}`).join(", ")
        }`,
      );
    },
  });
});

TARGETS.forEach((target) => {
  Deno.test({
    name:
      `[${target.name}] hostile input: transaction() refuses what is not a function as validation`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      await using storage = await fresh.open();
      for (const h of CORPUS) {
        const fn = h.make();
        if (typeof fn === "function") continue;
        const what = `transaction(${h.label})`;
        try {
          await within(
            () => storage.transaction(fn as () => Promise<void>),
            what,
          );
          assert.fail(`${what} succeeded`);
        } catch (error) {
          assert.ok(
            error instanceof StorageError && error.kind === "validation" &&
              error.field === "fn",
            `${what}: fails as validation naming fn: ${error}`,
          );
        }
      }
    },
  });
});

Deno.test("hostile input: the calls give every operation and every field its schema knows", async () => {
  assert.deepStrictEqual(Object.keys(OPS).sort(), [...OPERATIONS].sort());
  await using storage = await openStorage("sqlite::memory:");
  const board = await seedBoard(storage);
  for (const [op, { args, schemas = {} }] of Object.entries(OPS)) {
    const base = await args(board);
    for (const [i, schema] of Object.entries(schemas)) {
      let object: z.ZodType = schema;
      while (
        object instanceof z.ZodDefault || object instanceof z.ZodOptional
      ) {
        object = object.def.innerType as z.ZodType;
      }
      assert.ok(
        object instanceof z.ZodObject,
        `${op}: argument ${i} is an object`,
      );
      assert.deepStrictEqual(
        Object.keys(base[Number(i)] as object).sort(),
        Object.keys(object.shape).sort(),
        `${op}: argument ${i} gives every field`,
      );
    }
    for (const [i, arg] of base.entries()) {
      if (isPlain(arg)) {
        assert.ok(i in schemas, `${op}: argument ${i} has its schema`);
      }
    }
  }
});

TARGETS.forEach((target) => {
  Deno.test({
    name:
      `[${target.name}] hostile input: messages.post() refuses 10000 kludges of 65536 characters as validation`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      await using storage = await fresh.open();
      const area = await storage.messageAreas.create({ tag: "A", name: "A" });
      const value = "x".repeat(65_536);
      const error = await within(
        () =>
          storage.messages.post({
            areaId: area.id,
            fromName: "Flood",
            subject: "s",
            body: "b",
            kludges: Array.from(
              { length: 10_000 },
              () => ({ name: "SEEN-BY", value }),
            ),
          }).then(() => undefined, (e: unknown) => e),
        "messages.post with 655 million characters of kludges",
      );
      assert.ok(
        error instanceof StorageError && error.kind === "validation" &&
          error.field === "kludges",
        `fails as validation naming kludges, not ${error}`,
      );
      assert.deepStrictEqual(await storage.messages.list(area.id), []);
    },
  });
});
