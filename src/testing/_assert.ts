/**
 * Assertions shared by the conformance cases and, through tests/_assert.ts, the project's suites.
 *
 * @module
 */
import assert from "node:assert/strict";
import { StorageError, type StorageErrorKind } from "../../mod.ts";

/**
 * Asserts that `work` rejects with a `StorageError` of `kind` (and, for validation, naming
 * `field`).
 *
 * @param work The promise (or a function returning it).
 * @param kind The expected kind.
 * @param field For `validation`: the field the error must name.
 * @returns The error, for further checks.
 */
export async function rejectsKind(
  work: Promise<unknown> | (() => Promise<unknown>),
  kind: StorageErrorKind,
  field?: string,
): Promise<StorageError> {
  let caught: unknown;
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof StorageError,
    `expected a StorageError of kind ${kind}, got ${caught}`,
  );
  assert.equal(
    caught.kind,
    kind,
    `expected kind ${kind}, got ${caught.kind}: ${caught.message}`,
  );
  if (field !== undefined) {
    assert.equal(
      caught.field,
      field,
      `expected field ${field}: ${caught.message}`,
    );
    assert.ok(
      caught.message.includes(field),
      `message names ${field}: ${caught.message}`,
    );
  }
  return caught;
}
