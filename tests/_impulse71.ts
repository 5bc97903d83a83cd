/**
 * What the Impulse 7.1 import suites share: the sample install (ignored with one line when
 * it is absent) and a test registered on every target of `_targets.ts`.
 *
 * @module
 */
import type { Storage } from "../mod.ts";
import { SAMPLE } from "../src/import/impulse71/_sample_test.ts";
import { conformance, type Fresh, type Target } from "./_targets.ts";

export { SAMPLE };

/** The cheapest scrypt cost, so the suites do not spend their time hashing. */
export const FAST = { passwordCost: 10 };

let told = false;

/**
 * Registers one test per target; with `sample`, ignored (said once) when the sample install
 * is not there.
 *
 * @param name The behaviour.
 * @param fn The test: a fresh storage (closed after), its target and database.
 * @param options `sample: true` for tests that read the sample install.
 */
export function importTest(
  name: string,
  fn: (storage: Storage, target: Target, fresh: Fresh) => Promise<void>,
  options: { sample?: boolean } = {},
): void {
  const noSample = options.sample === true && SAMPLE === null;
  if (noSample && !told) {
    told = true;
    console.log(
      "Impulse 7.1 sample import tests ignored: no sample install; set IMPULSE71_SAMPLE to its directory",
    );
  }
  conformance(name, fn, undefined, noSample);
}

/** Every row a storage holds that an import writes, for before/after comparisons. */
export async function snapshot(storage: Storage): Promise<unknown> {
  const areas = await storage.messageAreas.list();
  const fileAreas = await storage.fileAreas.list();
  const users = [];
  for (let id = 1; id <= 50; id++) users.push(await storage.users.get(id));
  return {
    users: users.filter((user) => user !== null),
    areas,
    messages: await Promise.all(
      areas.map((area) => storage.messages.list(area.id, { limit: 1000 })),
    ),
    fileAreas,
    files: await Promise.all(
      fileAreas.map((area) => storage.files.list(area.id, { limit: 1000 })),
    ),
    callers: await storage.callers.recent(1000),
  };
}
