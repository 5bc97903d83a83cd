/**
 * Realistic FidoNet echomail for tests and benchmarks of the FTN import (not part of the
 * package's API): messages like those of a Russian RU.* echo stored by a Squish tosser — CP866
 * text full of byte 0x8D (the letter Н), `CHRS: CP866 2`, MSGID/REPLY threads (replies to
 * earlier, to later and to absent messages), PID/TID, TZUTC on about half, quotes, tear and
 * origin lines, SEEN-BY and ^APATH lines at the end of the text, CR line ends. The same
 * `(count, seed)` always gives the same messages.
 *
 * @module
 */

import type { FtnLocalTime, FtnRawMessage } from "./types.ts";

/** Squish attribute bits the fixture sets: MSGUID always, READ on some. */
const MSGUID = 0x20000;
const READ = 0x4;

const AUTHORS: readonly [string, string][] = [
  ["Николай Иванов", "2:5020/1042"],
  ["Hиколай Козлов", "2:5030/1229"], // a Latin H, as the echo's rules tolerate
  ["Сергей Петров", "2:5020/2118.14"],
  ["Анна Смирнова", "2:463/68"],
  ["Андрей Новиков", "2:450/1024"],
  ["Ирина Николаева", "2:5054/36.4"],
  ["Дмитрий Кузнецов", "2:5022/128"],
  ["Владимир Соколов", "2:4500/1"],
  ["Yuri Naumov", "2:5020/545.7"],
];

const SUBJECTS = [
  "Новости",
  "Вопрос по настройке",
  "ПОМОГИТЕ НАЙТИ драйвер",
  "Про погоду",
  "Старый модем",
  "НЕТ СЛОВ",
  "Как настроить тоссер",
  "Новый нодлист",
];

const SENTENCES = [
  "КОНЕЧНО, это было давно, но модем до сих пор работает.",
  "Вчера снова пропал ИНТЕРНЕТ, и я полдня читал эху.",
  "Никто не знает, где найти новый нодлист?",
  "Настроил тоссер, теперь почта ходит каждые полчаса.",
  "АНТЕННА на крыше опять покосилась после ветра.",
  "Не понимаю, зачем менять то, что работает.",
  "Нашёл старую дискету с конфигом, ПОНЯТНО теперь, откуда ошибка.",
  "На узле 5020 сегодня НЕНАДОЛГО выключали питание.",
  "Hаверное, стоит обновить GoldED до новой версии.",
  "Он написал, что НИКОГДА больше не будет звонить в восемь утра.",
  "Сначала прочитай правила эхи, потом пиши.",
  "Погода ОТЛИЧНАЯ, снег наконец растаял.",
];

const EDITORS = [
  "GoldED+/W32-MINGW 1.1.5-b20120519",
  "GoldED+/LNX 1.1.5-b20130111",
  "SqTwit/W32 2.2",
];

const TOSSERS = [
  "hpt/w32-mvcdll 1.4.0-sta 28-09-12",
  "hpt/lnx 1.9.0-cur 2013-03-14",
];

const ORIGINS = [
  "Нет ничего лучше старого модема",
  "НОЧНОЙ узел на окраине Москвы",
  "Station of Nikolay",
];

const ZONES = ["0400", "0300", "0200", "-0500"];

/**
 * Echomail messages, numbered 1…count (UMSGID n is message n), in arrival order.
 *
 * @param count How many messages.
 * @param seed The random seed; the same seed gives the same messages.
 * @returns The messages in the readers' form (Squish attribute bits).
 */
export function echomailMessages(count: number, seed: number): FtnRawMessage[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(random() * items.length)]!;
  const authors = Array.from({ length: count }, () => pick(AUTHORS));
  const topics = Array.from({ length: count }, () => pick(SUBJECTS));
  const msgids = uniqueMsgids(authors.map((a) => a[1]), random);
  let clock = Date.UTC(2013, 0, 7, 9, 0, 0);
  const messages: FtnRawMessage[] = [];
  for (let i = 0; i < count; i++) {
    const [name, address] = authors[i]!;
    const parent = replyTarget(i, count, random);
    const editor = pick(EDITORS);
    clock += Math.floor(random() * 90 + 1) * 60_000;
    const written = localTime(
      clock - Math.floor(random() * 300) * 60_000 -
        2_000 * Math.floor(random() * 30),
    );
    const control = [
      `MSGID: ${msgids[i]}`,
      ...parent === null
        ? []
        : [`REPLY: ${parent < count ? msgids[parent] : outsideMsgid(random)}`],
      `PID: ${editor}`,
      "CHRS: CP866 2",
      ...random() < 0.55 ? [`TZUTC: ${pick(ZONES)}`] : [],
      `TID: ${pick(TOSSERS)}`,
    ];
    const parentAuthor = parent !== null && parent < count
      ? authors[parent]![0]
      : null;
    const topic = parent !== null && parent < count
      ? topics[parent]
      : topics[i];
    const subject = parent === null ? topics[i]! : `Re: ${topic}`;
    const text = body({ name, address, editor, parentAuthor }, random, pick);
    messages.push({
      number: i + 1,
      fromName: cp866(name),
      toName: cp866(parentAuthor ?? "All"),
      subject: cp866(subject),
      written,
      arrived: localTime(clock),
      attributes: MSGUID | (random() < 0.3 ? READ : 0),
      private: false,
      deleted: false,
      origAddr: address,
      destAddr: "2:5020/545",
      replyTo: 0,
      replies: [],
      control: control.map(cp866),
      text: cp866(text),
    });
  }
  return messages;
}

/** Which message i answers: null (a new thread), mostly an earlier one, some later, some absent (≥ count). */
function replyTarget(
  i: number,
  count: number,
  random: () => number,
): number | null {
  if (random() < 0.45) return null;
  const kind = random();
  if (kind < 0.07) return count + 1; // outside the base
  if (kind < 0.15 && i + 1 < count) {
    return i + 1 + Math.floor(random() * Math.min(5, count - i - 1));
  }
  if (i === 0) return null;
  return Math.max(0, i - 1 - Math.floor(random() * 50));
}

interface Author {
  name: string;
  address: string;
  editor: string;
  parentAuthor: string | null;
}

function body(
  { name, address, editor, parentAuthor }: Author,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): string {
  const lines: string[] = [];
  lines.push(
    parentAuthor === null
      ? "Привет, All!"
      : `Здравствуй, ${parentAuthor.split(" ")[0]}!`,
    "",
  );
  if (parentAuthor !== null) {
    const initials = parentAuthor.split(" ").map((w) => w[0]).join("");
    lines.push(` ${initials}> ${pick(SENTENCES)}`, "");
  }
  const words = Array.from(
    { length: 2 + Math.floor(random() * 6) },
    () => pick(SENTENCES),
  ).join(" ").split(" ");
  let line = "";
  for (const word of words) {
    if (line.length + word.length + 1 > 72) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line, "", `С уважением, ${name.split(" ")[0]}.`, "");
  lines.push(
    `--- ${editor}`,
    ` * Origin: ${pick(ORIGINS)} (${address})`,
  );
  const net = address.split(":")[1]!.split("/")[0];
  lines.push(
    `SEEN-BY: 46/50 450/1024 463/68 4500/1 5020/1 545 1042 2118`,
    `SEEN-BY: 5022/128 5030/1229 5054/36`,
  );
  lines.push(
    `\x01PATH: ${net}/${address.split("/")[1]!.split(".")[0]} 5020/1 545`,
  );
  return lines.join("\r") + "\r";
}

function uniqueMsgids(addresses: string[], random: () => number): string[] {
  const seen = new Set<string>();
  return addresses.map((address) => {
    for (;;) {
      const value = `${address} ${hex8(random)}`;
      if (!seen.has(value)) {
        seen.add(value);
        return value;
      }
    }
  });
}

/** A MSGID of a message this base never had. */
function outsideMsgid(random: () => number): string {
  return `2:5080/102 ${hex8(random)}`;
}

function hex8(random: () => number): string {
  return Math.floor(random() * 0x100000000).toString(16).padStart(8, "0");
}

/** Wall-clock fields of a UTC timestamp, seconds even (Squish keeps them halved). */
function localTime(ms: number): FtnLocalTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds() & ~1,
  };
}

/** CP866 byte of each UTF-16 code unit (0 where CP866 has none), from the decoder's own table. */
const CP866 = new Uint8Array(0x10000);
for (let byte = 0; byte < 0x100; byte++) {
  CP866[new TextDecoder("ibm866").decode(Uint8Array.of(byte)).charCodeAt(0)] =
    byte;
}

/** Text in CP866 (a character CP866 lacks becomes `?`). */
export function cp866(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[i] = code === 0 ? 0 : CP866[code] || 0x3f;
  }
  return bytes;
}

/** A small deterministic generator (mulberry32): numbers in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
