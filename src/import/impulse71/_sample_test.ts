/**
 * Finds the spec's sample install (`impulse71-formats.md` §14) for the `sample_*_test.ts`
 * files: through `IMPULSE71_SAMPLE`, or at `../shared/fixtures/impulse71-sample/` beside
 * the repository. Without it, those tests are registered as ignored. (A `_test.ts` name
 * keeps it out of the package.)
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { Impulse71Problem } from "./problems.ts";
import { type Impulse71Install, readImpulse71 } from "./read_impulse71.ts";

/** Where the sample was looked for, when it was not found. */
let missing = "";

/** The sample install directory, or `null` when it is not there. */
export const SAMPLE: string | null = findSample();

let decoded: Promise<Impulse71Install> | undefined;
let told = false;

function findSample(): string | null {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("IMPULSE71_SAMPLE");
  } catch {
    // No --allow-env: use the default location.
  }
  const path = fromEnv ??
    fileURLToPath(
      new URL("../../../../shared/fixtures/impulse71-sample/", import.meta.url),
    );
  try {
    if (Deno.statSync(path).isDirectory) return path;
  } catch {
    // Told when the first test is registered.
  }
  missing = path;
  return null;
}

/** Registers a test of the decoded sample (decoded once per test file), ignored without it. */
export function sampleTest(
  name: string,
  fn: (install: Impulse71Install) => void | Promise<void>,
): void {
  if (SAMPLE === null && !told) {
    told = true;
    console.log(
      `Impulse 7.1 sample tests ignored: no install at ${missing}; set IMPULSE71_SAMPLE to its directory`,
    );
  }
  Deno.test({
    name,
    ignore: SAMPLE === null,
    fn: async () => fn(await (decoded ??= readImpulse71(SAMPLE!))),
  });
}

/** The problems of one kind, optionally about one file. */
export function problemsOf(
  problems: Impulse71Problem[],
  kind: string,
  file?: string,
): Impulse71Problem[] {
  return problems.filter((p) =>
    p.kind === kind && (file === undefined || p.file === file)
  );
}
