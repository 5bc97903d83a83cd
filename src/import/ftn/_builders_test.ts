/**
 * Bases built by hand for the import's tests: messages from plain strings, and the options the
 * core takes.
 *
 * @module
 */
import type { FtnBaseImportOptions } from "./import_base.ts";
import type {
  FtnBase,
  FtnLastRead,
  FtnLocalTime,
  FtnRawMessage,
} from "./types.ts";
import { decodeFtnMessage } from "./text.ts";
import { jamNameCrc32 } from "./jam.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

/** A message as a reader would give it, from strings (UTF-8; kludges as `NAME: value`). */
export interface MessageSpec {
  number: number;
  from?: string;
  to?: string;
  subject?: string;
  text?: string;
  written?: FtnLocalTime | null;
  control?: string[];
  replyTo?: number;
  deleted?: boolean;
  private?: boolean;
  origAddr?: string | null;
  destAddr?: string | null;
}

/** A wall-clock time from `YYYY-MM-DD HH:MM:SS`. */
export function at(text: string): FtnLocalTime {
  const [year, month, day, hour, minute, second] = text.split(/[- :]/).map(
    Number,
  );
  return {
    year: year!,
    month: month!,
    day: day!,
    hour: hour!,
    minute: minute!,
    second: second!,
  };
}

/** One raw message. */
export function message(spec: MessageSpec): FtnRawMessage {
  return {
    number: spec.number,
    fromName: bytes(spec.from ?? "Jane Doe"),
    toName: bytes(spec.to ?? "All"),
    subject: bytes(spec.subject ?? `Subject ${spec.number}`),
    written: spec.written === undefined
      ? at(`2024-03-01 12:00:${String(spec.number % 60).padStart(2, "0")}`)
      : spec.written,
    arrived: null,
    attributes: 0,
    private: spec.private ?? false,
    deleted: spec.deleted ?? false,
    origAddr: spec.origAddr ?? null,
    destAddr: spec.destAddr ?? null,
    replyTo: spec.replyTo ?? 0,
    replies: [],
    control: (spec.control ?? ["CHRS: UTF-8 4"]).map(bytes),
    text: bytes(spec.text ?? `Text of ${spec.number}\r`),
  };
}

/** A base of these messages and last-read records. */
export function base(
  messages: MessageSpec[],
  lastRead: FtnLastRead[] = [],
  format: "jam" | "squish" = "jam",
): FtnBase {
  return { format, messages: messages.map(message), lastRead, problems: [] };
}

/** The core's options, with the real decoder and CRC. */
export function coreOptions(
  o: Partial<FtnBaseImportOptions> = {},
): FtnBaseImportOptions {
  const charset = o.charset ?? "CP437";
  return {
    path: "test",
    area: "TEST_ECHO",
    charset,
    timeZone: "UTC",
    dryRun: false,
    batchSize: 500,
    decode: (raw) => decodeFtnMessage(raw, { defaultCharset: charset }),
    nameCrcs: (name) => [jamNameCrc32(bytes(name))],
    ...o,
  };
}

/** The CRC a JAM last-read record holds for a name written in UTF-8. */
export function jamCrc32Text(name: string): number {
  return jamNameCrc32(bytes(name));
}
