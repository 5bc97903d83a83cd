/**
 * A prepared statement of the FFI engine: binds, steps and reads rows column by column, by the
 * type SQLite reports for each value.
 *
 * @module
 */
import type { NamedRow, Row } from "../../../driver.ts";
import type { EngineStatement } from "../engine.ts";
import type { Binder } from "./bind.ts";
import { SqliteFfiError } from "./error.ts";
import { cString, type Sqlite3 } from "./library.ts";

const OK = 0;
const ROW = 100;
const DONE = 101;
const MISUSE = 21;
const RANGE = 25;
const INTEGER = 1;
const FLOAT = 2;
const TEXT = 3;
const BLOB = 4;

const decoder = new TextDecoder();

/** What a statement needs of its database handle. */
export interface StatementOwner {
  /** Whether the handle is open (its statements are finalized once it is closed). */
  readonly isOpen: boolean;
  /** The open handle. */
  readonly handle: Deno.PointerObject;
  /** The error for a result code, with the handle's message. */
  error(code: number): SqliteFfiError;
}

/** A prepared statement. Every call binds, steps and resets it before returning. */
export class FfiStatement implements EngineStatement {
  readonly #owner: StatementOwner;
  readonly #lib: Sqlite3;
  readonly #binder: Binder;
  readonly #statement: Deno.PointerObject;
  readonly #parameters: number;
  readonly #columns: number;
  /** Column names, read on the first keyed row. */
  #names: string[] | undefined;

  /**
   * @param owner The database handle.
   * @param lib The library's functions.
   * @param binder The handle's binder.
   * @param statement The prepared `sqlite3_stmt`.
   */
  constructor(
    owner: StatementOwner,
    lib: Sqlite3,
    binder: Binder,
    statement: Deno.PointerObject,
  ) {
    this.#owner = owner;
    this.#lib = lib;
    this.#binder = binder;
    this.#statement = statement;
    this.#parameters = lib.sqlite3_bind_parameter_count(statement);
    this.#columns = lib.sqlite3_column_count(statement);
  }

  values(params: readonly unknown[]): Row[] {
    return this.#all(params, false) as Row[];
  }

  value(params: readonly unknown[]): Row | undefined {
    return this.#first(params, false) as Row | undefined;
  }

  all(params: readonly unknown[]): NamedRow[] {
    return this.#all(params, true) as NamedRow[];
  }

  get(params: readonly unknown[]): NamedRow | undefined {
    return this.#first(params, true) as NamedRow | undefined;
  }

  run(params: readonly unknown[]): number {
    const lib = this.#lib;
    const statement = this.#start(params);
    try {
      let rc: number;
      while ((rc = lib.sqlite3_step(statement)) === ROW);
      if (rc !== DONE) throw this.#owner.error(rc);
      return lib.sqlite3_changes(this.#owner.handle);
    } finally {
      lib.sqlite3_reset(statement);
    }
  }

  allChanged(params: readonly unknown[]): NamedRow[] & { changed?: number } {
    if (this.#columns > 0) return this.all(params);
    const rows: NamedRow[] & { changed?: number } = [];
    rows.changed = this.run(params);
    return rows;
  }

  #all(params: readonly unknown[], named: boolean): (Row | NamedRow)[] {
    const lib = this.#lib;
    const statement = this.#start(params);
    try {
      const rows: (Row | NamedRow)[] = [];
      let rc: number;
      while ((rc = lib.sqlite3_step(statement)) === ROW) {
        rows.push(named ? this.#named(statement) : this.#array(statement));
      }
      if (rc !== DONE) throw this.#owner.error(rc);
      return rows;
    } finally {
      lib.sqlite3_reset(statement);
    }
  }

  #first(
    params: readonly unknown[],
    named: boolean,
  ): Row | NamedRow | undefined {
    const lib = this.#lib;
    const statement = this.#start(params);
    try {
      const rc = lib.sqlite3_step(statement);
      if (rc === ROW) {
        return named ? this.#named(statement) : this.#array(statement);
      }
      if (rc !== DONE) throw this.#owner.error(rc);
      return undefined;
    } finally {
      lib.sqlite3_reset(statement);
    }
  }

  /** Checks the handle and binds the parameters. */
  #start(params: readonly unknown[]): Deno.PointerObject {
    if (!this.#owner.isOpen) {
      throw new SqliteFfiError(
        MISUSE,
        "The statement is finalized: its database handle is closed",
      );
    }
    const statement = this.#statement;
    const count = params.length;
    if (count !== this.#parameters) {
      if (count > this.#parameters) {
        throw new SqliteFfiError(RANGE, "column index out of range");
      }
      this.#lib.sqlite3_clear_bindings(statement);
    }
    for (let i = 0; i < count; i++) {
      const rc = this.#binder.bind(statement, i + 1, params[i]);
      if (rc !== OK) throw this.#owner.error(rc);
    }
    return statement;
  }

  #array(statement: Deno.PointerObject): Row {
    const count = this.#columns;
    const row: Row = new Array(count);
    for (let i = 0; i < count; i++) row[i] = this.#column(statement, i);
    return row;
  }

  #named(statement: Deno.PointerObject): NamedRow {
    const names = this.#names ??= this.#columnNames();
    // A column named __proto__ would set the prototype of a plain object.
    const row: NamedRow = names.includes("__proto__")
      ? Object.create(null)
      : {};
    for (let i = 0; i < names.length; i++) {
      row[names[i]!] = this.#column(statement, i);
    }
    return row;
  }

  #columnNames(): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.#columns; i++) {
      names.push(cString(this.#lib.sqlite3_column_name(this.#statement, i)));
    }
    return names;
  }

  #column(statement: Deno.PointerObject, i: number): unknown {
    const lib = this.#lib;
    switch (lib.sqlite3_column_type(statement, i)) {
      case INTEGER: {
        // As a double an integer is exact up to 2^53 − 1; anything larger reads as ≥ 2^53.
        const value = lib.sqlite3_column_double(statement, i);
        if (
          value <= Number.MAX_SAFE_INTEGER && value >= -Number.MAX_SAFE_INTEGER
        ) return value;
        const name = (this.#names ??= this.#columnNames())[i];
        throw new RangeError(
          `Cannot read column "${name}" as its integer is outside the safe range of ` +
            `JavaScript numbers: ${lib.sqlite3_column_int64(statement, i)}`,
        );
      }
      case FLOAT:
        return lib.sqlite3_column_double(statement, i);
      case TEXT:
        return readText(lib, statement, i);
      case BLOB: {
        const pointer = lib.sqlite3_column_blob(statement, i);
        const bytes = new Uint8Array(lib.sqlite3_column_bytes(statement, i));
        if (pointer !== null && bytes.length > 0) {
          Deno.UnsafePointerView.copyInto(pointer, bytes);
        }
        return bytes;
      }
      default:
        return null;
    }
  }
}

/** A text column: all its bytes, so that embedded NULs survive. */
function readText(
  lib: Sqlite3,
  statement: Deno.PointerObject,
  i: number,
): string {
  const pointer = lib.sqlite3_column_text(statement, i);
  const length = lib.sqlite3_column_bytes(statement, i);
  if (pointer === null || length === 0) return "";
  // Fast path: the C string up to the first NUL. It is the whole value when its UTF-8 length is
  // the column's byte count (every character ASCII, when it has as many units as bytes).
  const text = Deno.UnsafePointerView.getCString(pointer);
  if (text.length === length || utf8Length(text) === length) return text;
  const bytes = new Uint8Array(length);
  Deno.UnsafePointerView.copyInto(pointer, bytes);
  return decoder.decode(bytes);
}

/** The UTF-8 length of text (a lone surrogate counts as U+FFFD: 3 bytes). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (
      code >= 0xd800 && code < 0xdc00 && i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}
