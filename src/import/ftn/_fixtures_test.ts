/**
 * Where the JAM bases of ../shared/fixtures/ftn/jam are (see its README): through
 * `IMPULSE_FTN_FIXTURES` (the ftn fixtures directory), or beside the repository. Tests that
 * need them are registered as ignored without them, saying so once.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of the JAM fixtures, or `null` when they are not there. */
export const JAM_FIXTURES: string | null = find();

function find(): string | null {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("IMPULSE_FTN_FIXTURES");
  } catch {
    // No --allow-env: the default location.
  }
  const root = fromEnv ??
    fileURLToPath(new URL("../../../../shared/fixtures/ftn/", import.meta.url));
  const jam = join(root, "jam");
  try {
    if (Deno.statSync(jam).isDirectory) return jam;
  } catch {
    // Said below.
  }
  console.log(
    `FTN import fixture tests ignored: no ${jam}; set IMPULSE_FTN_FIXTURES to the ftn fixtures directory`,
  );
  return null;
}

/**
 * Copies one JAM base of the fixtures into `dir` (the import reads it there, and a test may
 * change its copy).
 *
 * @param name The base's name (`elebbs`, `general`, `ra`).
 * @param dir Where to copy it.
 * @returns The copy's path without extension.
 */
export async function copyJamFixture(
  name: string,
  dir: string,
): Promise<string> {
  for (const entry of Deno.readDirSync(JAM_FIXTURES!)) {
    if (entry.name.startsWith(`${name}.`)) {
      await Deno.copyFile(
        join(JAM_FIXTURES!, entry.name),
        join(dir, entry.name),
      );
    }
  }
  return join(dir, name);
}
