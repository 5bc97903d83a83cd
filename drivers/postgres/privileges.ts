/**
 * What a statement PostgreSQL refused for want of a privilege (SQLSTATE 42501) needs: the
 * privileges on the object the server named, from the statement's text, and the `GRANT` (or
 * other change) that gives them.
 *
 * @module
 */
import { StorageError } from "../../driver.ts";
import type { ErrorContext } from "./errors.ts";

/**
 * `forbidden` for SQLSTATE 42501 (insufficient privilege): names the object PostgreSQL named,
 * the privileges the statement needs on it, and the GRANT that gives them.
 *
 * @param detail PostgreSQL's message.
 * @param context What was being done, the statement and the role.
 * @param cause The client's error.
 * @returns The error.
 */
export function forbidden(
  detail: string,
  context: ErrorContext,
  cause: unknown,
): StorageError {
  const role = context.user ? roleName(context.user) : "<role>";
  const need = neededPrivilege(detail, context.text ?? "");
  return new StorageError(
    "forbidden",
    `Cannot run ${context.doing} as the database role lacks a privilege: it needs ${need.what}: ` +
      `${detail} (SQLSTATE 42501): ${need.fix(role)}`,
    { cause },
  );
}

/** What a refused statement needs. */
export interface Need {
  /** The privileges and the object, in words. */
  what: string;
  /** What to do. */
  fix(role: string): string;
}

const REFUSED =
  /permission denied for (table|relation|view|materialized view|sequence|schema|function|procedure|database|type|large object) "?([^"]+?)"?$/;

/**
 * The privilege a refused statement needs, from PostgreSQL's message and the statement's text.
 *
 * @param detail PostgreSQL's message (`permission denied for table users`).
 * @param text The statement's SQL, or empty.
 * @returns The need.
 */
export function neededPrivilege(detail: string, text: string): Need {
  const owner = /must be owner of (\w[\w ]*?) "?([^"]+?)"?$/.exec(detail);
  if (owner) {
    return {
      what: `to own ${owner[1]} ${owner[2]}`,
      fix: () =>
        `run migrations as the role that owns the tables (or ALTER ${
          owner[
            1
          ]!.toUpperCase()
        } ${owner[2]} OWNER TO that role)`,
    };
  }
  if (/permission denied to create database/.test(detail)) {
    return {
      what: "the CREATEDB attribute",
      fix: (role) =>
        `ALTER ROLE ${role} CREATEDB, or run it as a role that has it`,
    };
  }
  const refused = REFUSED.exec(detail);
  if (!refused) {
    return {
      what: "a privilege PostgreSQL names",
      fix: () => "grant it to the role the storage connects as",
    };
  }
  const [, kind, name] = refused as unknown as [string, string, string];
  const privileges = privilegesOn(kind, name, text.trim());
  const on = kind === "table" || kind === "relation" || kind === "view"
    ? `TABLE ${name}`
    : `${kind.toUpperCase()} ${name}`;
  return {
    what: `${listed(privileges)} on ${kind} ${name}`,
    fix: (role) => `GRANT ${privileges.join(", ")} ON ${on} TO ${role}`,
  };
}

function privilegesOn(kind: string, name: string, text: string): string[] {
  const ddl = /^(CREATE|ALTER|DROP|COMMENT)\b/i.test(text);
  if (kind === "schema") return [ddl ? "CREATE" : "USAGE"];
  if (kind === "sequence") {
    return /\bsetval\b/i.test(text) ? ["UPDATE"] : ["USAGE"];
  }
  if (kind === "function" || kind === "procedure") return ["EXECUTE"];
  if (kind === "database") return ["CONNECT"];
  if (kind === "type" || kind === "large object") return ["USAGE"];
  const write = /^(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+?)"?[\s(]/i
    .exec(
      `${text} `,
    );
  if (!write || write[2]!.split(".").at(-1) !== name) {
    return locks(text) ? ["SELECT", "UPDATE"] : ["SELECT"];
  }
  const verb = write[1]!.split(/\s/)[0]!.toUpperCase();
  const privileges = [verb];
  if (/\bDO\s+UPDATE\b/i.test(text)) privileges.push("UPDATE");
  if (verb !== "INSERT" || /\b(RETURNING|ON\s+CONFLICT)\b/i.test(text)) {
    privileges.unshift("SELECT");
  }
  return privileges;
}

/**
 * Whether a statement locks the rows it reads: `FOR UPDATE`, `FOR NO KEY UPDATE`, `FOR SHARE`
 * and `FOR KEY SHARE` need UPDATE on the tables they lock, besides SELECT. (With `OF`, a lock
 * clause may spare a table the statement reads; the GRANT then asks for one privilege more than
 * the statement needs, never one less.)
 */
function locks(text: string): boolean {
  return /\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|SHARE|KEY\s+SHARE)\b/i.test(text);
}

/** `A`, `A and B`, `A, B and C`. */
function listed(words: readonly string[]): string {
  return words.length < 2
    ? words.join("")
    : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function roleName(user: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(user)
    ? user
    : `"${user.replaceAll('"', '""')}"`;
}
