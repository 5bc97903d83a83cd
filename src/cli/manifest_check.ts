/**
 * Warnings for a checkout whose migration files and embedded manifest disagree.
 *
 * The package's own migrations run from `migrations/mod.ts`, the manifest `deno task manifest`
 * generates (a package installed from JSR cannot read its own files). A file that `migrate new`
 * created, or one edited since, does not run until the manifest is made again. The CLI does not
 * make it itself: the generator is a development tool, not part of the published package, and
 * the manifest must be made again after every edit, not only after `new`. So every command on
 * the package's own set compares the files with the manifest and says what it lacks.
 *
 * @module
 */
import { manifest } from "../../migrations/mod.ts";
import { loadMigrations, type Migration } from "../migrate/migration.ts";

/** The package's migrations directory, when it is a directory on this machine. */
function ownRoot(): string | null {
  const root = new URL("../../migrations", import.meta.url);
  return root.protocol === "file:" ? decodeURIComponent(root.pathname) : null;
}

/**
 * What the manifest lacks of the migration files beside it: one warning per migration that is
 * missing from it or whose text changed since it was made. Nothing when the files cannot be
 * read without asking (an installed package, or no `--allow-read` for them).
 *
 * @param root The migrations directory (the package's own by default; `null` for none).
 * @param embedded The manifest to compare with (the package's own by default).
 * @returns The warnings, each naming the migration, its dialect and the command to run.
 */
export async function manifestWarnings(
  root: string | null = ownRoot(),
  embedded: Readonly<Record<string, readonly Migration[]>> = manifest,
): Promise<string[]> {
  if (root === null || !await mayRead(root)) return [];
  const warnings: string[] = [];
  for (const dialect of await dialects(root)) {
    let files: Migration[];
    try {
      files = await loadMigrations(root, dialect);
    } catch (error) {
      warnings.push(
        `cannot read the ${dialect} migrations to compare them with the manifest: ${
          (error as Error).message
        }`,
      );
      continue;
    }
    const known = new Map(
      (embedded[dialect] ?? []).map((m) => [m.version, m]),
    );
    for (const file of files) {
      const kept = known.get(file.version);
      const problem = kept === undefined
        ? "is not in the manifest, so it does not run"
        : kept.checksum !== file.checksum
        ? "changed since the manifest was made, which still runs the old text"
        : undefined;
      if (problem === undefined) continue;
      const name = `${String(file.version).padStart(4, "0")} ${file.name}`;
      warnings.push(
        `migration ${name} (${dialect}) ${problem}: run deno task manifest`,
      );
    }
  }
  return warnings;
}

async function mayRead(path: string): Promise<boolean> {
  const { state } = await Deno.permissions.query({ name: "read", path });
  if (state !== "granted") return false;
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

async function dialects(root: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    if (entry.isDirectory) found.push(entry.name);
  }
  return found.sort();
}
