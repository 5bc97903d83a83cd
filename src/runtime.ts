/**
 * The runtime seam: every file system call and error class the library uses, from `Deno` where
 * it runs and from `node:fs` on Node and Bun, so the `node:sqlite` and PostgreSQL drivers, the
 * migrator, copy and the import run on all three (docs/runtimes.md). On Deno every call is
 * Deno's own, unchanged. Drivers reach it as `runtime` from the driver entry. Deno-only by
 * nature, and outside this seam: the CLI (src/cli), the conformance suite (src/testing, on
 * `Deno.test`), the FFI engine (`Deno.dlopen`) and the manifest generator (development only).
 *
 * @module
 */
import * as nodeFs from "node:fs/promises";
import { inspect as nodeInspect } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What the drivers read of a file's metadata. */
export interface FileInfo {
  /** A regular file. */
  isFile: boolean;
  /** A directory. */
  isDirectory: boolean;
  /** A character device; `null` where unknown. */
  isCharDevice: boolean | null;
  /** A block device; `null` where unknown. */
  isBlockDevice: boolean | null;
  /** A named pipe; `null` where unknown. */
  isFifo: boolean | null;
  /** A socket; `null` where unknown. */
  isSocket: boolean | null;
  /** The size in bytes. */
  size: number;
  /** The permission bits and file type; `null` where the system has none (Windows). */
  mode: number | null;
  /** The device the file is on. */
  dev: number;
  /** The inode number; `null` where the system has none. */
  ino: number | null;
}

/** An entry of a directory. */
export interface DirEntry {
  /** Its name, without the directory. */
  name: string;
  /** A regular file. */
  isFile: boolean;
  /** A directory. */
  isDirectory: boolean;
  /** A symbolic link (not followed). */
  isSymlink: boolean;
}

/** The error classes the drivers tell apart. */
export interface RuntimeErrors {
  /** No such file or directory. */
  NotFound: ErrorClass;
  /** The path exists already. */
  AlreadyExists: ErrorClass;
  /** Deno's permission system refuses the call (never on Node or Bun). */
  NotCapable: ErrorClass;
  /** The operating system refuses access. */
  PermissionDenied: ErrorClass;
  /** A part of the path is not a directory. */
  NotADirectory: ErrorClass;
}

type ErrorClass = new (message?: string) => Error;

const deno = (globalThis as { Deno?: typeof Deno }).Deno;

function errorClass(name: string): ErrorClass {
  return class extends Error {
    override name = name;
  };
}

/** Node's error codes, as the classes above. */
const NODE_ERRORS: RuntimeErrors = {
  NotFound: errorClass("NotFound"),
  AlreadyExists: errorClass("AlreadyExists"),
  NotCapable: errorClass("NotCapable"),
  PermissionDenied: errorClass("PermissionDenied"),
  NotADirectory: errorClass("NotADirectory"),
};

const BY_CODE: Record<string, ErrorClass> = {
  ENOENT: NODE_ERRORS.NotFound,
  EEXIST: NODE_ERRORS.AlreadyExists,
  EACCES: NODE_ERRORS.PermissionDenied,
  EPERM: NODE_ERRORS.PermissionDenied,
  ENOTDIR: NODE_ERRORS.NotADirectory,
};

/** The error classes of this runtime: Deno's own on Deno. */
export const errors: RuntimeErrors = deno?.errors ?? NODE_ERRORS;

/** Whether this is Deno (the FFI engine and the CLI need it). */
export const isDeno: boolean = deno !== undefined;

/** Whether this runs on Windows (which has no file modes). */
export const isWindows: boolean = deno
  ? deno.build.os === "windows"
  : (globalThis as { process?: { platform?: string } }).process?.platform ===
    "win32";

/** Runs a `node:fs` call, its error turned into one of {@linkcode errors}' classes. */
async function node<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const Class = typeof code === "string" ? BY_CODE[code] : undefined;
    if (Class === undefined) throw error;
    throw Object.assign(new Class((error as Error).message), { cause: error });
  }
}

function infoOf(stats: import("node:fs").Stats): FileInfo {
  return {
    isFile: stats.isFile(),
    isDirectory: stats.isDirectory(),
    isCharDevice: stats.isCharacterDevice(),
    isBlockDevice: stats.isBlockDevice(),
    isFifo: stats.isFIFO(),
    isSocket: stats.isSocket(),
    size: stats.size,
    mode: stats.mode,
    dev: stats.dev,
    ino: stats.ino,
  };
}

/** A file's metadata, following a symbolic link. */
export function stat(path: string): Promise<FileInfo> {
  return deno
    ? deno.stat(path)
    : node(async () => infoOf(await nodeFs.stat(path)));
}

/** A file's metadata, not following a symbolic link. */
export function lstat(path: string): Promise<FileInfo> {
  return deno
    ? deno.lstat(path)
    : node(async () => infoOf(await nodeFs.lstat(path)));
}

/** Removes a file or an empty directory. */
export function remove(path: string): Promise<void> {
  if (deno) return deno.remove(path);
  return node(async () => {
    const info = await nodeFs.lstat(path);
    await (info.isDirectory() ? nodeFs.rmdir(path) : nodeFs.unlink(path));
  });
}

/** Makes one directory (not its parents). */
export function mkdir(path: string, mode: number): Promise<void> {
  return deno
    ? deno.mkdir(path, { mode })
    : node(async () => void await nodeFs.mkdir(path, { mode }));
}

/** Creates a new empty file; fails with `AlreadyExists` when the path exists. */
export async function createNew(path: string, mode: number): Promise<void> {
  if (deno) {
    (await deno.open(path, { createNew: true, write: true, mode })).close();
    return;
  }
  await node(async () => await (await nodeFs.open(path, "wx", mode)).close());
}

/** Sets a file's mode exactly (creation applies the umask); nothing on Windows. */
export async function chmod(path: string, mode: number): Promise<void> {
  if (isWindows) return;
  await (deno ? deno.chmod(path, mode) : node(() => nodeFs.chmod(path, mode)));
}

/** Reads a text file. */
export function readTextFile(path: string): Promise<string> {
  return deno
    ? deno.readTextFile(path)
    : node(() => nodeFs.readFile(path, "utf8"));
}

/** An error as the runtime's console shows it, causes included (for the secret scrubber). */
export function inspect(value: unknown): string {
  return deno
    ? deno.inspect(value, { depth: 10 })
    : nodeInspect(value, { depth: 10 });
}

/** Renames (moves) a file, replacing what is at `to`. */
export function rename(from: string, to: string): Promise<void> {
  return deno ? deno.rename(from, to) : node(() => nodeFs.rename(from, to));
}

/** Removes a path and everything under it. */
export function removeAll(path: string): Promise<void> {
  return deno
    ? deno.remove(path, { recursive: true })
    : node(() => nodeFs.rm(path, { recursive: true }));
}

/** The entries of a directory. */
export async function readDir(path: string): Promise<DirEntry[]> {
  if (deno) {
    const entries: DirEntry[] = [];
    for await (
      const { name, isFile, isDirectory, isSymlink } of deno.readDir(path)
    ) {
      entries.push({ name, isFile, isDirectory, isSymlink });
    }
    return entries;
  }
  return (await node(() => nodeFs.readdir(path, { withFileTypes: true })))
    .map((entry) => ({
      name: entry.name,
      isFile: entry.isFile(),
      isDirectory: entry.isDirectory(),
      isSymlink: entry.isSymbolicLink(),
    }));
}

/** Creates a new directory in the system's temporary directory; returns its path. */
export function makeTempDir(prefix: string): Promise<string> {
  if (deno) return deno.makeTempDir({ prefix });
  return node(() => nodeFs.mkdtemp(join(tmpdir(), prefix)));
}

/** The working directory of the process. */
export function cwd(): string {
  return deno
    ? deno.cwd()
    : (globalThis as unknown as { process: { cwd(): string } }).process.cwd();
}

/** A path with its symbolic links resolved. */
export function realPath(path: string): Promise<string> {
  return deno ? deno.realPath(path) : node(() => nodeFs.realpath(path));
}

/**
 * Flushes a file's (or, with `write` false, a directory's) data to disk.
 *
 * @param path The file or directory.
 * @param write Open it for writing too (a file; a directory opens for reading only).
 */
export async function sync(path: string, write: boolean): Promise<void> {
  if (deno) {
    const handle = await deno.open(path, { read: true, write });
    try {
      await handle.sync();
    } finally {
      handle.close();
    }
    return;
  }
  const handle = await node(() => nodeFs.open(path, write ? "r+" : "r"));
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads a whole file. */
export function readFile(path: string): Promise<Uint8Array> {
  return deno ? deno.readFile(path) : node(() => nodeFs.readFile(path));
}

/** Makes a directory and any missing parents. */
export function mkdirAll(path: string): Promise<void> {
  return deno
    ? deno.mkdir(path, { recursive: true })
    : node(async () => void await nodeFs.mkdir(path, { recursive: true }));
}

/** Writes a new text file; fails with `AlreadyExists` when the path exists. */
export function writeNewTextFile(path: string, text: string): Promise<void> {
  return deno
    ? deno.writeTextFile(path, text, { createNew: true })
    : node(() => nodeFs.writeFile(path, text, { flag: "wx" }));
}

/**
 * Whether a permission is granted: always on Node and Bun (they have none to ask); on Deno as
 * its permissions say, asking on a terminal where Deno would prompt (denied without one or
 * with `--no-prompt`).
 *
 * @param descriptor What is needed, as `Deno.permissions` takes it.
 */
export function permitted(descriptor: Deno.PermissionDescriptor): boolean {
  if (!deno) return true;
  const { state } = deno.permissions.querySync(descriptor);
  if (state !== "prompt") return state === "granted";
  return deno.permissions.requestSync(descriptor).state === "granted";
}

/**
 * An environment variable, or `undefined` where it is unset or may not be read (never asks).
 */
export function env(name: string): string | undefined {
  if (
    deno &&
    deno.permissions.querySync({ name: "env", variable: name }).state !==
      "granted"
  ) return undefined;
  return deno
    ? deno.env.get(name)
    : (globalThis as { process?: { env: Record<string, string | undefined> } })
      .process?.env[name];
}
