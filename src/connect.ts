/**
 * Picks a driver by URL scheme: the caller's drivers (`options.drivers`) first, then the
 * built-in ones (src/builtin_drivers.ts), loaded only when needed. Each driver validates its own
 * section of the open options (`options.<name>`).
 *
 * @module
 */
import { z } from "zod";
import { BUILT_IN } from "./builtin_drivers.ts";
import type { Connection, Driver } from "./driver.ts";
import { asStorageError, StorageError } from "./errors.ts";
import { guardConnection } from "./guard.ts";
import { urlSecrets, withoutSecrets } from "./redact.ts";
import type { QueryEvent } from "./storage.ts";
import * as V from "./validate.ts";

/** Open options as the core parsed them: its own, the caller's drivers, the drivers' sections. */
export interface OpenRequest {
  /** The core's options, defaults applied. */
  options: V.ParsedOpenOptions;
  /** The caller's drivers, consulted before the built-in ones. */
  drivers: readonly Driver[];
  /** The drivers' sections, by driver name, as the caller gave them. */
  sections: Readonly<Record<string, unknown>>;
  /** The query log, when given (`options.onQuery`). */
  onQuery?: (event: QueryEvent) => unknown;
  /** The operations' clock, when given (`options.clock`). */
  clock?: () => number;
}

/** The core's open options, by name. */
const CORE_NAMES = [
  ...Object.keys(V.openOptionsShape),
  "drivers",
  "onQuery",
  "clock",
];
/** The names no driver may take: the core's options, and those of the package's commands. */
const RESERVED = new Set([...CORE_NAMES, "readOnly"]);

const driverSchema = z.unknown().superRefine((value, ctx) => {
  if (typeof value !== "object" || value === null) {
    ctx.addIssue({ code: "custom", message: "must be a driver object" });
    return;
  }
  const d = value as Record<string, unknown>;
  if (typeof d.name !== "string" || !/^[a-z][a-z0-9_]{0,39}$/.test(d.name)) {
    ctx.addIssue({
      code: "custom",
      path: ["name"],
      message:
        "must be a lowercase name (a letter, then letters, digits or _; at most 40)",
      input: d.name,
    });
  } else if (RESERVED.has(d.name)) {
    ctx.addIssue({
      code: "custom",
      path: ["name"],
      message: "must not be the name of an open option",
      input: d.name,
    });
  }
  const schemes = d.schemes;
  if (
    !Array.isArray(schemes) || schemes.length === 0 ||
    !schemes.every((s) =>
      typeof s === "string" && /^[a-z][a-z0-9+.-]*:$/.test(s)
    )
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["schemes"],
      message:
        'must be a non-empty list of lowercase URL schemes with their colon, like "board:"',
      input: schemes,
    });
  }
  if (typeof d.connect !== "function") {
    ctx.addIssue({
      code: "custom",
      path: ["connect"],
      message: "must be a function (url, options) returning a Connection",
      input: d.connect,
    });
  }
  const options = d.options as { parse?: unknown } | undefined;
  if (
    options !== undefined &&
    (typeof options !== "object" || options === null ||
      typeof options.parse !== "function")
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["options"],
      message: "must be an options schema (an object with parse())",
      input: options,
    });
  }
});

/** A list of the caller's drivers (see {@linkcode parseOpenOptions}). */
export const driverList: z.ZodOptional<z.ZodType<Driver[]>> = (z.array(
  driverSchema,
  { error: "must be an array of drivers" },
) as unknown as z.ZodType<Driver[]>).optional();

/** The query log (see `OpenOptions.onQuery`). */
const onQuery = z.custom<(event: QueryEvent) => unknown>(
  (value) => typeof value === "function",
  { error: "must be a function (event) => void" },
).optional();

/** The operations' clock (see `OpenOptions.clock`). */
const clock = z.custom<() => number>(
  (value) => typeof value === "function",
  { error: "must be a function () => number (milliseconds since the epoch)" },
).optional();

const openOptions = z.looseObject({
  ...V.openOptionsShape,
  drivers: driverList,
  onQuery,
  clock,
}).optional();

/**
 * The keys open options may have: the core's, and a section per driver. Made once for the
 * built-in drivers alone (most opens), per call for a caller's drivers.
 */
function keysSchema(names: readonly string[]): z.ZodType {
  return z.strictObject(
    Object.fromEntries(
      [...CORE_NAMES, ...names].map((name) => [name, z.unknown().optional()]),
    ),
  );
}
const BUILT_IN_KEYS = keysSchema(BUILT_IN.map((b) => b.name));

/**
 * Validates the open options: the core's, the caller's drivers, and that every other key names
 * a driver (its section is validated by {@linkcode connect}, by the driver).
 *
 * @param value The caller's options.
 * @param operation The operation, named in messages.
 * @returns The parsed options.
 * @throws {StorageError} `validation` naming the first offending field.
 */
export function parseOpenOptions(
  value: unknown,
  operation: string,
): OpenRequest {
  const parsed = V.parse(openOptions, value, "options", operation) ??
    V.parse(V.openOptions, undefined, "options", operation);
  const {
    migrate,
    create,
    acquireTimeoutMs,
    retry,
    timeZone,
    maxNodes,
    drivers = [],
    onQuery,
    clock,
    ...sections
  } = parsed as V.ParsedOpenOptions & {
    drivers?: Driver[];
    onQuery?: (event: QueryEvent) => unknown;
    clock?: () => number;
    [section: string]: unknown;
  };
  assertDriversDistinct(drivers, operation);
  // Every other key must name a driver: checked like any unknown key, with a suggestion.
  const keys = drivers.length === 0 ? BUILT_IN_KEYS : keysSchema([
    ...drivers.map((d) => d.name),
    ...BUILT_IN.map((b) => b.name),
  ]);
  V.parse(keys, parsed, "options", operation);
  return {
    options: { migrate, create, acquireTimeoutMs, retry, timeZone, maxNodes },
    drivers: [...drivers],
    sections,
    ...(onQuery === undefined ? {} : { onQuery }),
    ...(clock === undefined ? {} : { clock }),
  };
}

/**
 * Opens a driver connection for a URL: the first of the caller's drivers that takes its scheme,
 * else the built-in one. Whatever fails is a {@linkcode StorageError}, and none shows the URL's
 * password, in any spelling.
 *
 * @param url A database URL.
 * @param options Parsed open options (the core's).
 * @param request The caller's drivers and the drivers' sections, when given.
 * @returns The connection.
 * @throws {StorageError} `validation` when the scheme is unsupported or a section is invalid;
 * what the driver throws.
 */
export async function connect(
  url: string,
  options: V.ParsedOpenOptions,
  request: Partial<Omit<OpenRequest, "options">> = {},
): Promise<Connection> {
  const drivers = request.drivers ?? [];
  if (typeof url !== "string") {
    throw new StorageError(
      "validation",
      `Cannot open storage as the URL is not a string: got ${typeof url}`,
      { field: "url" },
    );
  }
  try {
    const parsed = new Map<string, unknown>();
    for (const [name, value] of Object.entries(request.sections ?? {})) {
      if (value === undefined) continue;
      const driver = await byName(drivers, name);
      if (!driver.options) {
        throw new StorageError(
          "validation",
          `Invalid openStorage input: options.${name} is not taken: the ${name} driver has no options`,
          { field: `options.${name}` },
        );
      }
      parsed.set(
        name,
        driver.options.parse(value, {
          field: `options.${name}`,
          operation: "openStorage",
        }),
      );
    }
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0].toLowerCase() ?? "";
    const driver = drivers.find((d) => d.schemes.includes(scheme)) ??
      await BUILT_IN.find((b) => b.schemes.includes(scheme))?.load();
    if (!driver) {
      const known = [
        ...drivers.flatMap((d) => d.schemes),
        ...BUILT_IN.flatMap((b) => b.schemes),
      ];
      throw new StorageError(
        "validation",
        `Cannot open storage as the URL ${
          scheme ? `scheme is unsupported: "${scheme}"` : "has no scheme"
        }: use ${known.map((s) => `"${s}"`).join(" or ")}`,
        { field: "url" },
      );
    }
    const connection = await driver.connect(url, {
      ...options,
      driver: parsed.get(driver.name),
    });
    return drivers.includes(driver)
      ? guardConnection(connection, driver, url)
      : connection;
  } catch (error) {
    throw withoutSecrets(
      asStorageError(error, "Opening storage"),
      urlSecrets(url),
    );
  }
}

/**
 * Refuses a list of drivers where two share a name or a scheme, or one takes a built-in
 * driver's name: each section of the options must belong to one driver, and each scheme open
 * one driver.
 *
 * @param drivers The caller's drivers, each valid.
 * @param operation The operation, named in messages.
 * @throws {StorageError} `validation` naming the second of the two.
 */
export function assertDriversDistinct(
  drivers: readonly Driver[],
  operation: string,
): void {
  const names = new Map<string, number>(
    BUILT_IN.map((b) => [b.name, -1] as const),
  );
  const schemes = new Map<string, number>();
  drivers.forEach((d, i) => {
    const other = names.get(d.name);
    if (other !== undefined) {
      throw new StorageError(
        "validation",
        `Invalid ${operation} input: options.drivers.${i}.name: ${
          other < 0
            ? `"${d.name}" is the name of a built-in driver`
            : `driver ${other} is named "${d.name}" too`
        }: give each driver a name of its own (its options section is named after it)`,
        { field: `options.drivers.${i}.name` },
      );
    }
    names.set(d.name, i);
    for (const scheme of d.schemes) {
      const first = schemes.get(scheme);
      if (first !== undefined) {
        throw new StorageError(
          "validation",
          `Invalid ${operation} input: options.drivers.${i}.schemes: driver ${first} takes ` +
            `"${scheme}" too: give each scheme to one driver`,
          { field: `options.drivers.${i}.schemes` },
        );
      }
      schemes.set(scheme, i);
    }
  });
}

/** The caller's driver of a name, else the built-in one (every section names one of them). */
async function byName(
  drivers: readonly Driver[],
  name: string,
): Promise<Driver> {
  const driver = drivers.find((d) => d.name === name) ??
    await BUILT_IN.find((b) => b.name === name)?.load();
  if (!driver) throw new TypeError(`No driver is named ${name}`);
  return driver;
}
