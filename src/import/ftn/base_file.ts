/**
 * Reading one file of a message base: only a regular file is read, so that a directory, a device
 * (`/dev/zero` behind a link) or a pipe named like a base's file fails at once, saying so,
 * instead of as a raw system error, endless memory or a read that never ends.
 *
 * @module
 */
import { StorageError } from "../../errors.ts";
import * as runtime from "../../runtime.ts";

/**
 * The bytes of a base's file.
 *
 * @param path The file.
 * @param format The base's format, for the message (`JAM`, `Squish`).
 * @returns Its bytes.
 * @throws {StorageError} `validation` when it is not a regular file.
 */
export async function readBaseFile(
  path: string,
  format: string,
): Promise<Uint8Array> {
  const info = await runtime.stat(path);
  if (!info.isFile) {
    const what = info.isDirectory
      ? "a directory"
      : "a device, a pipe or a socket";
    throw new StorageError(
      "validation",
      `Cannot read the ${format} base as "${path}" is ${what}, not a regular file: give the path of a base whose files are files`,
    );
  }
  return await runtime.readFile(path);
}
