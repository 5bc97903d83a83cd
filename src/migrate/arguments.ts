/**
 * The arguments of the {@linkcode Migrator}'s methods, checked before anything is read or
 * written: a wrong type, a step count that is not a positive integer, a `force` that is not a
 * boolean, or options that are `null` or cannot be read are `validation` errors naming the
 * field. Internal.
 *
 * @module
 */
import { z } from "zod";
import * as V from "../validate.ts";

/** A version of a set, or 0 (none): a non-negative safe integer. */
const version = V.int(0);
const force = z.boolean({ error: "must be true or false" }).optional();

/** Options of `Migrator.up`. */
export const upOptions: z.ZodType<{ to?: number }> = z.strictObject({
  to: version.optional(),
}).default({});

/** Options of `Migrator.down`: `steps` or `to`, not both. */
export const downOptions: z.ZodType<
  { steps?: number; to?: number; force?: boolean }
> = z.strictObject({
  steps: V.int(1).optional(),
  to: version.optional(),
  force,
}).refine((o) => o.steps === undefined || o.to === undefined, {
  error: "must give steps or to, not both",
}).default({});

/** Options of `Migrator.to`. */
export const toOptions: z.ZodType<{ force?: boolean }> = z.strictObject({
  force,
}).default({});

/** The version `Migrator.to` migrates to. */
export const targetVersion: z.ZodNumber = version;

/** Options of the `Migrator` constructor. */
export const migratorOptions: z.ZodType<
  { set?: string; lockTimeoutMs?: number; readOnly?: boolean }
> = z.strictObject({
  set: z.string({ error: "must be a string" }).regex(/^[A-Za-z0-9_-]{1,100}$/, {
    error: 'must be 1–100 letters, digits, "_" or "-"',
  }).optional(),
  lockTimeoutMs: V.int(0, 3_600_000).optional(),
  readOnly: z.boolean({ error: "must be true or false" }).optional(),
}).default({});
