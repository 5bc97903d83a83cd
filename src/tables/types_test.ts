/**
 * The catalogue's record fields against the public types (`src/records.ts`), at the type level:
 * this file does not type-check (so `deno test` and `deno check` fail on it) when a field is in
 * one but not the other, naming the table.
 *
 * @module
 */
import type {
  AreaAccess,
  FileArea,
  FileAreaPatch,
  FileEntry,
  FilePatch,
  LastCaller,
  LogEvent,
  Message,
  MessageArea,
  MessageAreaPatch,
  MessagePatch,
  NewEvent,
  NewFile,
  NewFileArea,
  NewMessageArea,
  NewUser,
  Session,
  Setting,
  User,
  UserPatch,
  UserStats,
} from "../records.ts";
import type {
  EVENTS,
  FILE_AREAS,
  FILES,
  LOGINS,
  MESSAGE_AREAS,
  MESSAGES,
  SESSIONS,
  SETTINGS,
  USERS,
} from "./mod.ts";
import type { Creatable, Fields, Nested, Patchable } from "./table.ts";

/** The keys in one of `A` and `B` but not the other (`never` when they agree). */
type Differ<A, B> = Exclude<A, B> | Exclude<B, A>;

/** Compiles only when `T` is `never`: the error names the keys that differ. */
function none<_T extends never>(): void {}

type Spec<T> = T extends
  { spec: infer S extends import("./table.ts").TableSpec } ? S
  : never;

Deno.test("the catalogue's record fields are the public records' keys", () => {
  none<
    Differ<Nested<Spec<typeof MESSAGE_AREAS>, "access">, keyof AreaAccess>
  >();
  none<Differ<Nested<Spec<typeof FILE_AREAS>, "access">, keyof AreaAccess>>();
  type U = Spec<typeof USERS>;
  none<Differ<Fields<U>, keyof User>>();
  none<Differ<Nested<U, "stats">, keyof UserStats>>();
  none<Differ<Fields<Spec<typeof LOGINS>>, keyof LastCaller>>();
  none<Differ<Fields<Spec<typeof MESSAGE_AREAS>>, keyof MessageArea>>();
  none<Differ<Fields<Spec<typeof FILE_AREAS>>, keyof FileArea>>();
  none<Differ<Fields<Spec<typeof FILES>>, keyof FileEntry>>();
  none<Differ<Fields<Spec<typeof MESSAGES>>, keyof Message>>();
  none<Differ<Fields<Spec<typeof SESSIONS>>, keyof Session>>();
  none<Differ<Fields<Spec<typeof SETTINGS>>, keyof Setting>>();
  none<Differ<Fields<Spec<typeof EVENTS>>, keyof LogEvent>>();
});

Deno.test("the catalogue's patchable fields are the public patches' keys", () => {
  none<Differ<Patchable<Spec<typeof USERS>>, keyof UserPatch>>();
  none<Differ<Patchable<Spec<typeof FILES>>, keyof FilePatch>>();
  none<Differ<Patchable<Spec<typeof MESSAGES>>, keyof MessagePatch>>();
  none<
    Differ<Patchable<Spec<typeof MESSAGE_AREAS>>, keyof MessageAreaPatch>
  >();
  none<Differ<Patchable<Spec<typeof FILE_AREAS>>, keyof FileAreaPatch>>();
});

Deno.test("the catalogue's create fields are the public inputs' keys, but for times the operation sets", () => {
  none<
    Differ<Creatable<Spec<typeof USERS>>, Exclude<keyof NewUser, "createdAt">>
  >();
  none<
    Differ<Creatable<Spec<typeof FILES>>, Exclude<keyof NewFile, "uploadedAt">>
  >();
  none<Differ<Creatable<Spec<typeof MESSAGE_AREAS>>, keyof NewMessageArea>>();
  none<Differ<Creatable<Spec<typeof FILE_AREAS>>, keyof NewFileArea>>();
  none<Differ<Creatable<Spec<typeof EVENTS>>, keyof NewEvent>>();
});
