/**
 * Finding and loading a libsqlite3 shared library with `Deno.dlopen`: the symbols the FFI engine
 * calls, and where it looks for the library.
 *
 * @module
 */
import { StorageError } from "../../../driver.ts";

/**
 * The C functions the FFI engine calls. Every symbol is synchronous (`nonblocking: false`, the
 * default), so calls take Deno's fast path. Parameter types avoid `isize`/`usize` and 64-bit
 * numbers, which force the slow path: out-pointers are buffers, `SQLITE_TRANSIENT` is a pointer,
 * and 64-bit integers are passed as BigInt.
 */
const SYMBOLS = {
  sqlite3_libversion: { parameters: [], result: "pointer" },
  sqlite3_libversion_number: { parameters: [], result: "i32" },
  sqlite3_errstr: { parameters: ["i32"], result: "pointer" },
  sqlite3_open_v2: {
    parameters: ["buffer", "buffer", "i32", "pointer"],
    result: "i32",
  },
  sqlite3_close_v2: { parameters: ["pointer"], result: "i32" },
  sqlite3_extended_result_codes: {
    parameters: ["pointer", "i32"],
    result: "i32",
  },
  sqlite3_busy_timeout: { parameters: ["pointer", "i32"], result: "i32" },
  // Variadic in C; called with (db, op, int, int*) only where such a call passes its arguments
  // as a fixed one would (not on Apple's arm64 ABI).
  sqlite3_db_config: {
    parameters: ["pointer", "i32", "i32", "pointer"],
    result: "i32",
  },
  sqlite3_errmsg: { parameters: ["pointer"], result: "pointer" },
  sqlite3_changes: { parameters: ["pointer"], result: "i32" },
  sqlite3_exec: {
    parameters: ["pointer", "buffer", "pointer", "pointer", "pointer"],
    result: "i32",
  },
  sqlite3_prepare_v3: {
    parameters: ["pointer", "buffer", "i32", "u32", "buffer", "pointer"],
    result: "i32",
  },
  sqlite3_finalize: { parameters: ["pointer"], result: "i32" },
  sqlite3_reset: { parameters: ["pointer"], result: "i32" },
  sqlite3_clear_bindings: { parameters: ["pointer"], result: "i32" },
  sqlite3_step: { parameters: ["pointer"], result: "i32" },
  sqlite3_bind_parameter_count: { parameters: ["pointer"], result: "i32" },
  sqlite3_bind_null: { parameters: ["pointer", "i32"], result: "i32" },
  sqlite3_bind_int: { parameters: ["pointer", "i32", "i32"], result: "i32" },
  sqlite3_bind_int64: {
    parameters: ["pointer", "i32", "i64"],
    result: "i32",
  },
  sqlite3_bind_double: {
    parameters: ["pointer", "i32", "f64"],
    result: "i32",
  },
  sqlite3_bind_text: {
    parameters: ["pointer", "i32", "buffer", "i32", "pointer"],
    result: "i32",
  },
  sqlite3_bind_blob: {
    parameters: ["pointer", "i32", "buffer", "i32", "pointer"],
    result: "i32",
  },
  sqlite3_bind_zeroblob: {
    parameters: ["pointer", "i32", "i32"],
    result: "i32",
  },
  sqlite3_column_count: { parameters: ["pointer"], result: "i32" },
  sqlite3_column_name: { parameters: ["pointer", "i32"], result: "pointer" },
  sqlite3_column_type: { parameters: ["pointer", "i32"], result: "i32" },
  sqlite3_column_double: { parameters: ["pointer", "i32"], result: "f64" },
  sqlite3_column_int64: { parameters: ["pointer", "i32"], result: "i64" },
  sqlite3_column_text: { parameters: ["pointer", "i32"], result: "pointer" },
  sqlite3_column_blob: { parameters: ["pointer", "i32"], result: "pointer" },
  sqlite3_column_bytes: { parameters: ["pointer", "i32"], result: "i32" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The loaded C functions of one libsqlite3. */
export type Sqlite3 = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** A loaded libsqlite3. */
export interface SqliteLibrary {
  /** Where it was loaded from: a path or a name the system loader resolved. */
  readonly place: string;
  /** `sqlite3_libversion()`, like `3.40.1`. */
  readonly version: string;
  /** Its functions. */
  readonly lib: Sqlite3;
}

/** The names the platform's loader knows a system libsqlite3 by, in the order tried. */
export function platformNames(os: string = Deno.build.os): string[] {
  switch (os) {
    case "darwin":
      return [
        "libsqlite3.dylib",
        "/opt/homebrew/opt/sqlite/lib/libsqlite3.dylib",
        "/usr/local/opt/sqlite/lib/libsqlite3.dylib",
        "/usr/lib/libsqlite3.dylib",
      ];
    case "windows":
      return ["sqlite3.dll"];
    default:
      return ["libsqlite3.so.0", "libsqlite3.so"];
  }
}

/** The oldest SQLite the schema runs on: STRICT tables came in 3.37.0 (RETURNING in 3.35.0). */
const MIN_VERSION = "3.37.0";
const MIN_VERSION_NUMBER = 3_037_000;

const loaded = new Map<string, SqliteLibrary>();

/**
 * Loads libsqlite3. An explicit `library` is the only place tried; otherwise `DENO_SQLITE_PATH`
 * (when set) is; otherwise the platform's usual names, in order. A library once loaded stays
 * loaded (it is never closed while handles may use it), so loading again is cheap.
 *
 * @param library A path or name given by the caller.
 * @returns The library.
 * @throws {StorageError} `unavailable` when `--allow-ffi` is missing or no place holds a
 * usable library; the message names every place tried and why each failed.
 */
export function loadSqliteLibrary(library?: string): SqliteLibrary {
  const env = envPath();
  const [source, places] = library !== undefined
    ? ["the library option", [library]]
    : env !== undefined
    ? ["DENO_SQLITE_PATH", [env]]
    : ["the platform's library names", platformNames()];
  const failures: string[] = [];
  for (const place of places) {
    const cached = loaded.get(place);
    if (cached) return cached;
    let lib: Sqlite3;
    try {
      lib = Deno.dlopen(place, SYMBOLS).symbols;
    } catch (error) {
      if (
        error instanceof Deno.errors.NotCapable ||
        error instanceof Deno.errors.PermissionDenied
      ) {
        throw new StorageError(
          "unavailable",
          `Cannot load the SQLite library as permission is missing: ${place}: run with --allow-ffi`,
          { cause: error },
        );
      }
      failures.push(`"${place}" (${firstLine(error)})`);
      continue;
    }
    const version = cString(lib.sqlite3_libversion());
    if (lib.sqlite3_libversion_number() < MIN_VERSION_NUMBER) {
      failures.push(
        `"${place}" (SQLite ${version}: ${MIN_VERSION} or newer is needed for STRICT tables)`,
      );
      continue;
    }
    const found = { place, version, lib };
    loaded.set(place, found);
    return found;
  }
  throw new StorageError(
    "unavailable",
    `Cannot load the SQLite library from ${source}: tried ${
      failures.join(", ")
    }: ` +
      `install libsqlite3 (Debian: apt-get install libsqlite3-0), or point DENO_SQLITE_PATH ` +
      `or the library option at a libsqlite3 shared library`,
  );
}

/** `DENO_SQLITE_PATH`, when it is set and readable. */
function envPath(): string | undefined {
  const name = "DENO_SQLITE_PATH";
  if (
    Deno.permissions.querySync({ name: "env", variable: name }).state !==
      "granted"
  ) {
    return undefined;
  }
  const value = Deno.env.get(name);
  return value === "" ? undefined : value;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.replace(/^(Could not open library: )+/, "")
    .trim();
}

/**
 * Reads a NUL-terminated C string.
 *
 * @param pointer The string, or `null`.
 * @returns The text; empty for `null`.
 */
export function cString(pointer: Deno.PointerValue): string {
  return pointer === null ? "" : Deno.UnsafePointerView.getCString(pointer);
}
