/**
 * The hostile-input corpus: values a careless or malicious caller might pass anywhere. Each
 * entry is a factory, so that every call gets a fresh object (a Date, an object with own
 * `__proto__` keys) that an earlier call cannot have changed.
 *
 * @module
 */

/** One hostile value. */
export interface Hostile {
  /** A short name for reports. */
  label: string;
  /** Makes the value. */
  make(): unknown;
}

const MiB = 1 << 20;

const strings: Record<string, string> = {
  "sql quote": "' OR '1'='1",
  "sql drop": "'; DROP TABLE users; --",
  "sql double quote": '"; DROP TABLE "users"; --',
  "sql comment": "admin'--",
  "sql union": "' UNION SELECT password_hash FROM users --",
  "sql stacked sleep": "1; SELECT pg_sleep(30); --",
  "sql concat": "'||sqlite_version()||'",
  "sql dollar quote": "$$; DROP TABLE users; $$",
  "placeholder ?": "?",
  "placeholder $1": "$1",
  "placeholder :name": ":name",
  "backslashes": "\\' \\\" \\\\ \\0",
  "wildcard %": "%",
  "wildcard _": "_",
  "wildcards mixed": "a%b_c%",
  "escaped wildcard": "\\%\\_",
  "glob": "[a-z]*?",
  "fts operators": "a AND b OR NOT c NEAR(d e)",
  "fts column filter": "subject:x body:y",
  "fts prefix and caret": "^start pre*",
  "tsquery operators": "a & b | !c <-> (d:*)",
  "unclosed quote": '"unclosed phrase',
  "only quotes": '""""',
  "NUL": "\0",
  "NUL inside": "a\0b",
  "C0 controls": "\u0001\u0002\u0007\u001f",
  "DEL and C1": "\u007f\u0085\u009f",
  "ANSI clear screen": "\u001b[2J\u001b[H",
  "CRLF": "line\r\nline",
  "tab": "a\tb",
  "line separators": "\u2028\u2029",
  "zero width and BOM": "\u200b\ufeff",
  "RTL override": "\u202eevil",
  "lone high surrogate": "\ud800",
  "lone low surrogate": "\udfff",
  "surrogate inside": "a\ud800b",
  "reversed pair": "\udc00\ud800",
  "half an emoji": "x\ud83d",
  "astral": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👨‍👩‍👧‍👦",
  "NFKC ligature": "ﬁ",
  "roman numeral": "Ⅸ",
  "dotted I": "İ",
  "sharp s": "ß",
  "combining": "e\u0301",
  "empty": "",
  "space": " ",
  "padded": "  padded  ",
  "no-break space": "\u00a0",
  "__proto__": "__proto__",
  "constructor": "constructor",
  "toString": "toString",
  "null text": "null",
  "NaN text": "NaN",
  "number text": "1",
  "hex text": "0x10",
  "exponent text": "1e3",
  "ipv4": "127.0.0.1",
  "ipv4 out of range": "999.0.0.1",
  "ipv4 newline": "10.0.0.1\n",
  "ipv6 mapped": "::ffff:127.0.0.1",
  "ipv6 zone": "fe80::1%eth0",
  "hex 64": "AB".repeat(32),
  "not hex 64": "g".repeat(64),
  "token shape": "A".repeat(43),
  "token dashes": "-".repeat(43),
  "31 chars": "n".repeat(31),
  "73 chars": "s".repeat(73),
  "65537 chars": "d".repeat(65_537),
  "1 MiB": "x".repeat(MiB),
  "1 MiB + 1": "x".repeat(MiB + 1),
  "1 MiB of é": "é".repeat(MiB),
  "1 MiB of astral": "👾".repeat(MiB / 2),
  "1 MiB with NUL at the end": "x".repeat(MiB - 1) + "\0",
  // Refused at once, or a name's checks spread it into an array: 12 s and 1.7 GB at 64 Mi
  // characters, a crash of the whole process at 256 Mi.
  "64 MiB": "x".repeat(64 * MiB),
};

const numbers: Record<string, number> = {
  "NaN": NaN,
  "Infinity": Infinity,
  "-Infinity": -Infinity,
  "-0": -0,
  "0": 0,
  "1": 1,
  "-1": -1,
  "0.5": 0.5,
  "1e308": 1e308,
  "-1e308": -1e308,
  "5e-324": 5e-324,
  "2^31": 2 ** 31,
  "2^32": 2 ** 32,
  "2^53-1": Number.MAX_SAFE_INTEGER,
  "-(2^53-1)": Number.MIN_SAFE_INTEGER,
  "2^53": 2 ** 53,
  // 2^53 + 1 is not a double: the literal rounds to 2^53. The next double up is 2^53 + 2.
  "2^53+1": 9007199254740993,
  "2^53+2": 2 ** 53 + 2,
  "2^63": 2 ** 63,
  "255": 255,
  "256": 256,
  "1000": 1000,
  "1001": 1001,
  "9999": 9999,
  "10000": 10_000,
  "400 days": 400 * 86_400,
  "400 days + 1": 400 * 86_400 + 1,
};

const TRAP = () => {
  throw new Error("a hostile value was coerced");
};

/** A real Date whose `getTime` (and so `valueOf`) throws. */
class ThrowingDate extends Date {
  override getTime(): number {
    return TRAP();
  }
  override valueOf(): number {
    return TRAP();
  }
}

const others: Record<string, () => unknown> = {
  "null": () => null,
  "undefined": () => undefined,
  "true": () => true,
  "false": () => false,
  "{}": () => ({}),
  "[]": () => [],
  "[1]": () => [1],
  "[null]": () => [null],
  "sparse array": () => [, , 1], // eslint-disable-line no-sparse-arrays
  "Symbol": () => Symbol("hostile"),
  "BigInt 1": () => 1n,
  "BigInt 2^64": () => 2n ** 64n,
  "Date epoch": () => new Date(0),
  "Date invalid": () => new Date(NaN),
  "Date max": () => new Date(8.64e15),
  "Date min": () => new Date(-8.64e15),
  "Date string": () => "2020-01-01T00:00:00Z",
  // Objects that pass `instanceof Date` without being one, and Dates that lie about their time.
  "Date look-alike": () => Object.create(Date.prototype),
  "Date Proxy": () => new Proxy(new Date(0), {}),
  "Date subclass with a throwing getTime": () => new ThrowingDate(6_000),
  "Date with an own throwing getTime": () =>
    Object.assign(new Date(7_000), { getTime: TRAP, valueOf: TRAP }),
  "Proxy whose every trap throws": () =>
    new Proxy({}, {
      get: TRAP,
      has: TRAP,
      ownKeys: TRAP,
      getOwnPropertyDescriptor: TRAP,
      getPrototypeOf: TRAP,
    }),
  "revoked Proxy": () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  "object with a throwing getter": () => ({
    get name() {
      return TRAP();
    },
  }),
  "function": () => () => 1,
  "class": () => class {},
  "String object": () => new String("x"),
  "Number object": () => new Number(1),
  "Boolean object": () => new Boolean(true),
  "null-prototype object": () => Object.create(null),
  "Map": () => new Map([["a", 1]]),
  "Set": () => new Set([1]),
  "Uint8Array": () => new Uint8Array(4),
  "ArrayBuffer": () => new ArrayBuffer(8),
  "RegExp": () => /x/,
  "Error": () => new Error("x"),
  "Promise": () => Promise.resolve(1),
  "thenable": () => ({ then: TRAP }),
  "coercion trap": () => ({
    toString: TRAP,
    valueOf: TRAP,
    [Symbol.toPrimitive]: TRAP,
    toJSON: TRAP,
  }),
  "valueOf 1": () => ({ valueOf: () => 1 }),
  "JSON __proto__": () => JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  "JSON constructor.prototype": () =>
    JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  "kludges over 1 MiB in all": () =>
    Array.from(
      { length: 17 },
      () => ({ name: "SEEN-BY", value: "x".repeat(65_536) }),
    ),
  "10001 kludges": () =>
    Array.from({ length: 10_001 }, () => ({ name: "PATH", value: "" })),
  "array with __proto__": () =>
    JSON.parse(
      '[{"__proto__": {"polluted": "yes"}, "name": "x", "value": "y"}]',
    ),
};

/** Every hostile value. */
export const CORPUS: readonly Hostile[] = [
  ...Object.entries(strings).map(([label, value]) => ({
    label: `string: ${label}`,
    make: () => value,
  })),
  ...Object.entries(numbers).map(([label, value]) => ({
    label: `number: ${label}`,
    make: () => value,
  })),
  ...Object.entries(others).map(([label, make]) => ({ label, make })),
];

/**
 * Keys that must never reach `Object.prototype`: fed as own properties (`JSON.parse` makes them
 * real keys, where an object literal would set the prototype instead).
 */
export const POLLUTERS: readonly Hostile[] = [
  {
    label: "own __proto__ key",
    make: () => JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  },
  {
    label: "own constructor key",
    make: () =>
      JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  },
  {
    label: "own prototype key",
    make: () => JSON.parse('{"prototype": {"polluted": "yes"}}'),
  },
  { label: "extra key", make: () => ({ evil: "yes" }) },
  {
    label: "extra key forging a log line",
    make: () => ({ ["x\n2026-01-01 ERROR \u001b[31mforged\u2028\u202e"]: 1 }),
  },
  { label: "extra key of 1 MiB", make: () => ({ ["k".repeat(MiB)]: 1 }) },
];

/** Whether a value is one the contract could accept where a string goes. */
export function storableString(value: unknown): value is string {
  return typeof value === "string" && value.isWellFormed() &&
    !value.includes("\0");
}

/** Whether a value is one the contract could accept where an integer goes. */
export function safeInteger(value: unknown): value is number {
  return Number.isSafeInteger(value);
}
