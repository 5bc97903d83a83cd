/**
 * The grammar of `sqlite:` URLs: the path taken as written (no percent-decoding; nothing SQLite
 * would read as a URI filename or a special name), and the parameters `engine` and `library`,
 * which must agree with `options.sqlite`.
 *
 * @module
 */
import { isAbsolute } from "node:path";
import { describe, StorageError } from "../../driver.ts";

/** A parsed `sqlite:` URL. */
export interface SqliteUrl {
  /**
   * What the engine opens: `:memory:`, or the file's path with `./` put before a relative one,
   * so SQLite can never read it as a URI filename (`file:…`) or a special name.
   */
  path: string;
  /** Whether the URL names a private in-memory database. */
  memory: boolean;
  /** Query parameters (`engine`, `library`; checked by {@linkcode engineChoice}). */
  params: URLSearchParams;
}

/** Text SQLite reads as a URI filename when it opens it: refused in any case. */
const URI_FILENAME = /^file:/i;
/** Control characters (C0, DEL, C1): no path the driver opens holds them. */
const CONTROL = /\p{Cc}/u;

/**
 * Parses `sqlite:<path>`, `sqlite://<path>` and `sqlite::memory:`, with optional `?key=value`
 * parameters. The path is everything before the first `?`, taken as written: no
 * percent-decoding, so `%` is a plain character and nothing encoded reaches SQLite.
 *
 * @param url The URL.
 * @returns The path to open and the parameters.
 * @throws {StorageError} `validation` naming `url` for another scheme, an empty path, a `file:` URI filename, a
 * name starting with `:` other than `:memory:`, control characters, or whitespace at either end
 * of the path.
 */
export function parseSqliteUrl(url: string): SqliteUrl {
  if (!/^sqlite:/i.test(url)) {
    throw new StorageError(
      "validation",
      'Invalid openStorage input: url must start with "sqlite:": use "sqlite:<path>" or "sqlite::memory:"',
      { field: "url" },
    );
  }
  const rest = url.replace(/^sqlite:(\/\/)?/i, "");
  const question = rest.indexOf("?");
  const path = question < 0 ? rest : rest.slice(0, question);
  const params = new URLSearchParams(
    question < 0 ? "" : rest.slice(question + 1),
  );
  const problem = pathProblem(path);
  if (problem !== undefined) {
    throw new StorageError(
      "validation",
      `Invalid openStorage input: url ${problem}: use "sqlite:<path>" or "sqlite::memory:"`,
      { field: "url" },
    );
  }
  const memory = path === ":memory:";
  const explicit = memory || isAbsolute(path) || /^\.\.?\//.test(path);
  return { path: explicit ? path : `./${path}`, memory, params };
}

function pathProblem(path: string): string | undefined {
  if (path === ":memory:") return undefined;
  if (path === "") return "has no path";
  if (CONTROL.test(path)) return "must not contain control characters";
  if (URI_FILENAME.test(path)) {
    return 'must not be a SQLite URI filename ("file:…")';
  }
  if (path.startsWith(":")) {
    return `must not start with ":" except as ":memory:"`;
  }
  if (/^\s|\s$/u.test(path)) return "must not start or end with whitespace";
  return undefined;
}

/** The engine a URL or the open options ask for. */
export interface EngineChoice {
  /** `node`, `ffi`, or `undefined` when neither says. */
  engine?: "node" | "ffi";
  /** The library for the FFI engine. */
  library?: string;
}

/**
 * Reads the engine choice of a `sqlite:` URL's parameters (`engine=node|ffi`, `library=<path>`)
 * and of the `sqlite` open options. A library implies the FFI engine.
 *
 * @param params The URL's parameters.
 * @param options The `sqlite` open options.
 * @returns The choice.
 * @throws {StorageError} `validation` for an unknown or repeated parameter, a bad value, or a
 * URL and options that disagree.
 */
export function engineChoice(
  params: URLSearchParams,
  options: EngineChoice = {},
): EngineChoice {
  const fromUrl: EngineChoice = {};
  for (const [key, value] of params) {
    if (key !== "engine" && key !== "library") {
      // A name is shown only when it looks like one; other text only by its size.
      const shown = /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? key : null;
      throw new StorageError(
        "validation",
        `Invalid openStorage input: unknown SQLite URL parameter ${
          shown === null ? `(${describe(key)})` : `"url.${shown}"`
        }: use "engine" or "library"`,
        { field: `url.${shown ?? "?"}` },
      );
    }
    if (params.getAll(key).length > 1 || value === "" || value.includes("\0")) {
      throw new StorageError(
        "validation",
        `Invalid openStorage input: url.${key} must appear once, with a value and no NUL`,
        { field: `url.${key}` },
      );
    }
    if (key === "engine" && value !== "node" && value !== "ffi") {
      throw new StorageError(
        "validation",
        `Invalid openStorage input: url.engine must be "node" or "ffi": got ${
          describe(value)
        }`,
        { field: "url.engine" },
      );
    }
    fromUrl[key] = value as never;
  }
  const choice: EngineChoice = {};
  for (const key of ["engine", "library"] as const) {
    const a = fromUrl[key], b = options[key];
    if (a !== undefined && b !== undefined && a !== b) {
      throw new StorageError(
        "validation",
        `Invalid openStorage input: url.${key} and options.sqlite.${key} disagree: give one of them`,
        { field: `options.sqlite.${key}` },
      );
    }
    if ((a ?? b) !== undefined) choice[key] = (a ?? b) as never;
  }
  if (choice.library !== undefined) {
    if (choice.engine === "node") {
      const field = fromUrl.library !== undefined
        ? "url.library"
        : "options.sqlite.library";
      throw new StorageError(
        "validation",
        `Invalid openStorage input: ${field} applies to the ffi engine only: got engine "node"`,
        { field },
      );
    }
    choice.engine = "ffi";
  }
  return choice;
}
