/**
 * The operations of the Storage contract, written once over an {@linkcode Executor}: validation,
 * the statements of the catalogue, and the mapping of rows to records.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import type { Awaitable, Executor, Queryable } from "./driver.ts";
import { StorageError } from "./errors.ts";
import * as Q from "./queries.ts";
import { toFile, toMessage, toSession, toUser } from "./rows.ts";
import type {
  FileEntry,
  ListFilesOptions,
  ListMessagesOptions,
  Message,
  NewFile,
  NewMessage,
  NewSession,
  NewUser,
  Session,
  StorageOps,
  User,
  UserPatch,
  UserStats,
} from "./storage.ts";
import * as V from "./validate.ts";

/**
 * The key a username is unique and found by: NFKC-normalised and lower-cased, so `ＳｙｓＯｐ`
 * and `sysop` are the same name.
 *
 * @param username The name.
 * @returns Its key.
 */
export function usernameKey(username: string): string {
  return username.normalize("NFKC").toLowerCase().normalize("NFKC");
}

/** A session token: 32 random bytes (256 bits), base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The operations, bound to one executor (the storage's, or a transaction's). */
export class Operations implements StorageOps {
  #x: Executor;

  /** @param executor Where the statements run. */
  constructor(executor: Executor) {
    this.#x = executor;
  }

  async createUser(input: NewUser): Promise<User> {
    const user = V.parse(V.newUser, input, "input", "createUser");
    const now = Date.now();
    try {
      const row = await this.#x.get(Q.users.insert, [
        user.username,
        usernameKey(user.username),
        user.passwordHash,
        user.securityLevel,
        now,
        now,
      ]);
      return toUser(row!);
    } catch (error) {
      throw nameTaken(error, user.username);
    }
  }

  async getUser(id: number): Promise<User | null> {
    const row = await this.#x.get(Q.users.byId, [
      V.parse(V.id, id, "id", "getUser"),
    ]);
    return row ? toUser(row) : null;
  }

  async findUserByUsername(username: string): Promise<User | null> {
    const name = V.parse(
      V.username,
      username,
      "username",
      "findUserByUsername",
    );
    const row = await this.#x.get(Q.users.byKey, [usernameKey(name)]);
    return row ? toUser(row) : null;
  }

  async updateUser(id: number, patch: UserPatch): Promise<User> {
    V.parse(V.id, id, "id", "updateUser");
    const p = V.parse(V.userPatch, patch, "patch", "updateUser");
    const has = (field: Q.PatchField) => p[field] !== undefined;
    if (
      !["username", "passwordHash", "securityLevel", "lastLoginAt"].some((f) =>
        has(f as Q.PatchField)
      )
    ) {
      return await this.#existing(id, "updateUser");
    }
    const params: unknown[] = [];
    if (p.username !== undefined) {
      params.push(p.username, usernameKey(p.username));
    }
    if (p.passwordHash !== undefined) params.push(p.passwordHash);
    if (p.securityLevel !== undefined) params.push(p.securityLevel);
    if (p.lastLoginAt !== undefined) {
      params.push(p.lastLoginAt === null ? null : p.lastLoginAt.getTime());
    }
    params.push(Date.now(), id);
    try {
      const row = await this.#x.get(Q.updateUser(has), params);
      if (!row) throw userNotFound(id, "updateUser");
      return toUser(row);
    } catch (error) {
      throw p.username === undefined ? error : nameTaken(error, p.username);
    }
  }

  async deleteUser(id: number): Promise<void> {
    const changed = await this.#x.run(Q.users.delete, [
      V.parse(V.id, id, "id", "deleteUser"),
    ]);
    if (changed === 0) throw userNotFound(id, "deleteUser");
  }

  async incrementUserStats(
    id: number,
    delta: Partial<UserStats>,
  ): Promise<User> {
    V.parse(V.id, id, "id", "incrementUserStats");
    const d = V.parse(V.statsDelta, delta, "delta", "incrementUserStats");
    const row = await mapError(() =>
      this.#x.get(Q.users.increment, [
        d.logins ?? 0,
        d.posts ?? 0,
        d.uploads ?? 0,
        d.downloads ?? 0,
        d.uploadBytes ?? 0,
        d.downloadBytes ?? 0,
        id,
      ]), (error) =>
      isKind(error, "constraint")
        ? new StorageError(
          "constraint",
          `Cannot change the stats of user ${id} as a counter would leave 0..2^53-1`,
          { cause: error },
        )
        : error);
    if (!row) throw userNotFound(id, "incrementUserStats");
    return toUser(row);
  }

  async addFile(input: NewFile): Promise<FileEntry> {
    const file = V.parse(V.newFile, input, "input", "addFile");
    return await this.#x.atomic(async (q) => {
      const row = await mapError(
        () =>
          q.get(Q.files.insert, [
            file.areaId,
            file.filename,
            file.description,
            file.uploaderId,
            file.size,
            Date.now(),
          ]),
        (error) =>
          isKind(error, "constraint")
            ? missingUser(error, "addFile", "uploaderId", file.uploaderId)
            : error,
      );
      if (file.uploaderId !== null) {
        await q.run(Q.users.addUpload, [file.size, file.uploaderId]);
      }
      return toFile(row!);
    });
  }

  async getFile(id: number): Promise<FileEntry | null> {
    const row = await this.#x.get(Q.files.byId, [
      V.parse(V.id, id, "id", "getFile"),
    ]);
    return row ? toFile(row) : null;
  }

  async listFiles(
    areaId: number,
    options?: ListFilesOptions,
  ): Promise<FileEntry[]> {
    V.parse(V.id, areaId, "areaId", "listFiles");
    const { limit, before } = V.parse(
      V.listFilesOptions,
      options,
      "options",
      "listFiles",
    );
    if (before === undefined) {
      return (await this.#x.all(Q.files.list, [areaId, limit])).map(toFile);
    }
    const cursor = await this.#x.get(Q.files.cursor, [before]);
    if (!cursor) {
      throw new StorageError(
        "not_found",
        `Cannot list files before file ${before} as it does not exist: start again without "before"`,
      );
    }
    return (await this.#x.all(Q.files.listBefore, [
      areaId,
      cursor[0],
      cursor[1],
      limit,
    ])).map(toFile);
  }

  async postMessage(input: NewMessage): Promise<Message> {
    const m = V.parse(V.newMessage, input, "input", "postMessage");
    try {
      return await this.#x.atomic(async (q) => {
        const row = await q.get(Q.messages.insert, [
          m.areaId,
          m.fromUserId,
          m.toUserId,
          m.subject,
          m.body,
          m.parentId,
          Date.now(),
        ]);
        await q.run(Q.users.addPost, [m.fromUserId]);
        return toMessage(row!);
      });
    } catch (error) {
      if (!isKind(error, "constraint")) throw error;
      throw await missingReference(this.#x, m, error);
    }
  }

  async getMessage(id: number): Promise<Message | null> {
    const row = await this.#x.get(Q.messages.byId, [
      V.parse(V.id, id, "id", "getMessage"),
    ]);
    return row ? toMessage(row) : null;
  }

  async listMessages(
    areaId: number,
    options?: ListMessagesOptions,
  ): Promise<Message[]> {
    V.parse(V.id, areaId, "areaId", "listMessages");
    const { after, limit } = V.parse(
      V.listMessagesOptions,
      options,
      "options",
      "listMessages",
    );
    return (await this.#x.all(Q.messages.list, [areaId, after, limit])).map(
      toMessage,
    );
  }

  async createSession(
    input: NewSession,
  ): Promise<{ session: Session; token: string }> {
    const s = V.parse(V.newSession, input, "input", "createSession");
    const token = randomBytes(32).toString("base64url");
    const now = Date.now();
    const row = await mapError(
      () =>
        this.#x.get(Q.sessions.insert, [
          s.userId,
          hashToken(token),
          s.ipAddress,
          now,
          now,
        ]),
      (error) =>
        isKind(error, "constraint")
          ? missingUser(error, "createSession", "userId", s.userId)
          : error,
    );
    return { session: toSession(row!), token };
  }

  async getSessionByToken(token: string): Promise<Session | null> {
    V.parse(V.token, token, "token", "getSessionByToken");
    if (!TOKEN.test(token)) return null;
    const row = await this.#x.get(Q.sessions.byTokenHash, [hashToken(token)]);
    return row ? toSession(row) : null;
  }

  async touchSession(id: number): Promise<void> {
    V.parse(V.id, id, "id", "touchSession");
    const changed = await this.#x.run(Q.sessions.touch, [Date.now(), id]);
    if (changed === 0) throw sessionNotFound(id, "touchSession");
  }

  async deleteSession(id: number): Promise<void> {
    const changed = await this.#x.run(Q.sessions.delete, [
      V.parse(V.id, id, "id", "deleteSession"),
    ]);
    if (changed === 0) throw sessionNotFound(id, "deleteSession");
  }

  async #existing(id: number, operation: string): Promise<User> {
    const row = await this.#x.get(Q.users.byId, [id]);
    if (!row) throw userNotFound(id, operation);
    return toUser(row);
  }
}

async function mapError<T>(
  work: () => Awaitable<T>,
  map: (error: unknown) => unknown,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw map(error);
  }
}

function isKind(
  error: unknown,
  kind: StorageError["kind"],
): error is StorageError {
  return error instanceof StorageError && error.kind === kind;
}

function nameTaken(error: unknown, username: string): unknown {
  if (!isKind(error, "conflict")) return error;
  return new StorageError(
    "conflict",
    `Username is taken: "${username}": names compare case-insensitively; choose another`,
    { cause: error, field: "username" },
  );
}

function userNotFound(id: number, operation: string): StorageError {
  return new StorageError(
    "not_found",
    `Cannot ${verb(operation)} as user ${id} does not exist`,
  );
}

function sessionNotFound(id: number, operation: string): StorageError {
  return new StorageError(
    "not_found",
    `Cannot ${verb(operation)} as session ${id} does not exist`,
  );
}

function missingUser(
  error: StorageError,
  operation: string,
  field: string,
  id: unknown,
): StorageError {
  return new StorageError(
    "constraint",
    `Cannot ${verb(operation)} as ${field} names no user: ${id}`,
    {
      cause: error,
      field,
    },
  );
}

async function missingReference(
  q: Queryable,
  m: { fromUserId: number; toUserId: number | null; parentId: number | null },
  error: StorageError,
): Promise<StorageError> {
  const [author, recipient, parent] = await q.get(Q.messages.references, [
    m.fromUserId,
    m.toUserId,
    m.parentId,
  ]) ?? [];
  const [field, value, what] = Number(author) === 0
    ? ["fromUserId", m.fromUserId, "user"]
    : m.toUserId !== null && Number(recipient) === 0
    ? ["toUserId", m.toUserId, "user"]
    : m.parentId !== null && Number(parent) === 0
    ? ["parentId", m.parentId, "message"]
    : [undefined, undefined, undefined];
  if (field === undefined) return error;
  return new StorageError(
    "constraint",
    `Cannot post message as ${field} names no ${what}: ${value}`,
    {
      cause: error,
      field,
    },
  );
}

function verb(operation: string): string {
  return operation.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}
