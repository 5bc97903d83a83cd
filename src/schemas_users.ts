/**
 * The zod schemas of the user administration's inputs (`users.list`, `users.count`,
 * `users.recordFailedLogin`, `users.logins`, properties), built from the primitives of
 * `validate.ts`. Internal: zod types are never exported from the package.
 *
 * @module
 */
import { z } from "zod";
import { CONTROL, date, int, limit, text } from "./validate.ts";

const status = z.enum(["active", "locked", "unvalidated", "banned"], {
  error: 'must be "active", "locked", "unvalidated" or "banned"',
});

const filterShape = {
  query: text(64).optional(),
  status: status.optional(),
  minLevel: int(0, 255).optional(),
};

/** Input of users.count. */
export const userFilter = z.strictObject(filterShape).default({});

/** Options of users.list. */
export const listUsersOptions = z.strictObject({
  ...filterShape,
  orderBy: z.enum(["username", "id", "createdAt", "lastLoginAt"], {
    error: 'must be "username", "id", "createdAt" or "lastLoginAt"',
  }).default("username"),
  descending: z.boolean({ error: "must be a boolean" }).default(false),
  after: z.string({ error: "must be a string" }).max(2000, {
    error: "must be a cursor from users.list (this is too long for one)",
  }).optional(),
  limit,
}).default({ orderBy: "username", descending: false, limit: 100 });

/** Options of users.recordFailedLogin. */
export const failedLoginOptions = z.strictObject({
  maxAttempts: int(1, 1000),
  lockForSeconds: int(1, 315_360_000),
});

/** Options of users.logins. */
export const loginsOptions = z.strictObject({
  before: date.optional(),
  limit,
}).default({ limit: 100 });

/** A property key: 1–64 characters, no control or format characters. */
export const propKey = text(64, 1).refine((s) => !CONTROL.test(s), {
  error: "must not contain control or format characters",
});

/** A value to find properties by: text up to 65536 characters, a finite number or a boolean. */
export const propLookup = z.union([
  text(65_536),
  z.number().finite(),
  z.boolean(),
], { error: "must be a string, a finite number or a boolean" });
