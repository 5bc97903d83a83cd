/**
 * How a driver validates its section of the open options: an {@linkcode OptionsSchema}, which
 * a driver writes by hand or makes with {@linkcode optionsSchema} from any schema library that
 * implements Standard Schema (zod, valibot, arktype). No schema library's types appear here.
 *
 * @module
 */
import { z } from "zod";
import { StorageError } from "./errors.ts";
import { parse } from "./validate.ts";

/** Where a driver's options are being validated, for messages. */
export interface OptionsContext {
  /** The section's field name: `options.sqlite`. */
  readonly field: string;
  /** The operation, named in messages: `openStorage`. */
  readonly operation: string;
}

/** A driver's options schema: validates its section of the open options. */
export interface OptionsSchema<O> {
  /**
   * Validates the caller's section and returns it parsed, defaults applied.
   *
   * @param value The section as the caller gave it (never `undefined`).
   * @param context Its field name and the operation, for messages.
   * @returns The parsed section.
   * @throws {StorageError} `validation` naming the offending field (`options.sqlite.engine`).
   */
  parse(value: unknown, context: OptionsContext): O;
}

/** A problem a {@linkcode StandardSchema} found (Standard Schema v1's issue). */
export interface StandardIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where: keys, or segments holding a key. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

/** What a {@linkcode StandardSchema} answers (Standard Schema v1's result). */
export type StandardResult<O> =
  | { readonly value: O; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/**
 * A schema of any library that implements Standard Schema v1 (zod 3.24+, valibot, arktype),
 * described structurally so that no library's types are needed.
 */
export interface StandardSchema<O> {
  /** The Standard Schema interface. */
  readonly "~standard": {
    /** The version, 1. */
    readonly version: 1;
    /** The library's name. */
    readonly vendor: string;
    /** Validates a value. */
    readonly validate: (
      value: unknown,
    ) => StandardResult<O> | Promise<StandardResult<O>>;
  };
}

/**
 * An {@linkcode OptionsSchema} from a Standard Schema: a failure becomes a `StorageError` of
 * kind `validation` naming the first offending field. The schema must validate synchronously.
 *
 * @param schema The schema of the driver's section.
 * @returns The options schema.
 *
 * @example
 * ```ts
 * import { optionsSchema, type StandardSchema } from "@impulse/storage/driver";
 * import assert from "node:assert/strict";
 *
 * // A hand-written Standard Schema; a zod, valibot or arktype schema does the same.
 * const shelf: StandardSchema<{ size: number }> = {
 *   "~standard": {
 *     version: 1,
 *     vendor: "example",
 *     validate: (value) =>
 *       typeof (value as { size?: unknown }).size === "number"
 *         ? { value: value as { size: number } }
 *         : { issues: [{ message: "must be a number", path: ["size"] }] },
 *   },
 * };
 * const schema = optionsSchema(shelf);
 * const context = { field: "options.shelf", operation: "openStorage" };
 * assert.deepEqual(schema.parse({ size: 3 }, context), { size: 3 });
 * assert.throws(() => schema.parse({ size: "3" }, context), /options\.shelf\.size must be a number/);
 * ```
 */
export function optionsSchema<O>(schema: StandardSchema<O>): OptionsSchema<O> {
  if (schema instanceof z.ZodType) {
    // The package's own messages for zod: unknown keys with a suggestion, the value shown.
    const zod = schema as unknown as z.ZodType<O>;
    return {
      parse: (value, { field, operation }) =>
        parse(zod, value, field, operation),
    };
  }
  return {
    parse(value, { field, operation }) {
      const result = schema["~standard"].validate(value);
      if (result instanceof Promise) {
        throw new TypeError(
          `The options schema of ${field} validates asynchronously: it must answer at once`,
        );
      }
      if (result.issues === undefined) return result.value;
      const issue = result.issues[0];
      const path = (issue?.path ?? []).map((segment) =>
        String(typeof segment === "object" ? segment.key : segment)
      );
      const at = [field, ...path].join(".");
      return failed(at, issue?.message ?? "is invalid", operation);
    },
  };
}

function failed(field: string, message: string, operation: string): never {
  throw new StorageError(
    "validation",
    `Invalid ${operation} input: ${field} ${message}`,
    { field },
  );
}
