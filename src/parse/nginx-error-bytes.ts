// The nginx error record parser (nginx-error.ts: `parse`, `readTail`) read from bytes, for the error-log
// fast path (src/engine/error-digest.ts): where a plain one-line record's time, message and request
// fields lie, without making a string. nginx-error-bytes.test.ts checks it against the parser.
import { NGINX_ERROR_START as START } from './line-shapes.ts';
import { MAX_RECORD_CHARS } from './record.ts';
import { lastClientTail } from './nginx-error.ts';

/** Slots of the spans array `readPlainRecord` fills: [start, end) byte offsets, -1 when absent. */
export const SPAN = { msgStart: 0, msgEnd: 1, reqStart: 2, reqEnd: 3, upStart: 4, upEnd: 5, hostStart: 6, hostEnd: 7, size: 8 } as const;

const SERVER = needle(', server: ');
/** The request fields readTail knows, in its order: ', request: "' … */
const NEEDLES = ['request', 'subrequest', 'upstream', 'host', 'referrer'].map((k) => Buffer.from(`, ${k}: "`));
const REQUEST = 0;
const UPSTREAM = 2;
const HOST = 3;

function bytesAt(b: Uint8Array, at: number, end: number, needle: Uint8Array): boolean {
  if (at < 0 || at + needle.length > end) return false;
  for (let j = 0; j < needle.length; j++) if (b[at + j] !== needle[j]) return false;
  return true;
}

/** A needle with its Horspool table: how far a window may move right when its last byte is c. */
interface Needle {
  readonly bytes: Uint8Array;
  readonly skip: Uint8Array;
}

function needle(text: string): Needle {
  const bytes = Buffer.from(text);
  const skip = new Uint8Array(256).fill(bytes.length);
  for (let j = 0; j < bytes.length - 1; j++) skip[bytes[j] ?? 0] = bytes.length - 1 - j;
  return { bytes, skip };
}

/** The first `n` in b[from, end), -1 when none (String.indexOf on ASCII needles), by Horspool's search. */
function indexOfBytes(b: Uint8Array, n: Needle, from: number, end: number): number {
  const bytes = n.bytes;
  const m = bytes.length;
  const last = bytes[m - 1];
  const skip = n.skip;
  for (let i = from; i + m <= end; ) {
    const c = b[i + m - 1] ?? 0;
    if (c === last) {
      let j = 0;
      while (j < m - 1 && b[i + j] === bytes[j]) j++;
      if (j === m - 1) return i;
    }
    i += skip[c] ?? m;
  }
  return -1;
}

function indexOfByte(b: Uint8Array, c: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (b[i] === c) return i;
  return -1;
}

/** ", " at `at`. */
function commaSpace(b: Uint8Array, at: number, end: number): boolean {
  return at + 1 < end && b[at] === 0x2c && b[at + 1] === 0x20;
}

/** Which of NEEDLES starts at `at` (the first in order), -1 when none. */
function needleAt(b: Uint8Array, at: number, end: number): number {
  if (!commaSpace(b, at, end)) return -1;
  for (let k = 0; k < NEEDLES.length; k++) if (bytesAt(b, at, end, NEEDLES[k])) return k;
  return -1;
}

/**
 * The time of a record start, as parseSlashTime reads it (ms as if UTC), when every digit of
 * "yyyy/mm/dd HH:MM:SS [level]" is a digit and the level is 1 to 6 lowercase letters closed by "]"
 * (parse's isStart); NaN otherwise.
 */
export function plainTime(b: Uint8Array, a: number, end: number): number {
  if (levelClose(b, a, end) < 0) return NaN;
  stamp(b, a);
  return lastTime;
}

/** Where the level's "]" of a plain record start (as plainTime reads it) lies; -1 when b[a, end) is none. */
function levelClose(b: Uint8Array, a: number, end: number): number {
  if (end - a <= START.length) return -1;
  for (let k = 0; k < FIXED_AT.length; k++) if (b[a + (FIXED_AT[k] ?? 0)] !== FIXED_BYTE[k]) return -1;
  for (let k = 0; k < DIGITS_AT.length; k++) {
    const c = b[a + (DIGITS_AT[k] ?? 0)] ?? 0;
    if (c < 48 || c > 57) return -1;
  }
  // The level: 1 to 6 lowercase letters, then "]" (levelLength in nginx-error.ts).
  for (let k = 0; ; k++) {
    const i = a + START.length + k;
    if (k === 7 || i >= end) return -1;
    const c = b[i] ?? 0;
    if (c === START.levelEnd) return k === 0 ? -1 : i;
    if (c < 97 || c > 122) return -1;
  }
}

const FIXED_AT = Int32Array.from(START.fixed, ([at]) => at);
const FIXED_BYTE = Int32Array.from(START.fixed, ([, c]) => c);
const DIGITS_AT = Int32Array.from(START.digits);
/** The last time read and its 19 bytes: records of one second share them. */
const lastStamp = new Uint8Array(19);
let lastTime = NaN;

/** Sets lastTime to the time of the record start at `a` (a number is boxed when returned: this returns none). */
function stamp(b: Uint8Array, a: number): void {
  let same = !Number.isNaN(lastTime);
  for (let k = 18; same && k >= 0; k--) same = b[a + k] === lastStamp[k];
  if (same) return;
  for (let k = 0; k < 19; k++) lastStamp[k] = b[a + k] ?? 0;
  lastTime = stampTime();
}

/** The time lastStamp says (no closure in `stamp`: its captured variables would be allocated at every call). */
function stampTime(): number {
  return stampTimeOf(lastStamp);
}

/** The time (ms as if UTC) of the 19 bytes "yyyy/mm/dd HH:MM:SS" (all digits where digits belong), as parseSlashTime reads it. */
export function stampTimeOf(s: Uint8Array): number {
  const d = (k: number): number => (s[k] ?? 0) - 48;
  return Date.UTC(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), d(5) * 10 + d(6) - 1, d(8) * 10 + d(9), d(11) * 10 + d(12), d(14) * 10 + d(15), d(17) * 10 + d(18));
}

const ONE = new Float64Array(1);

/**
 * Reads the record b[a, end) (one line, no newline or CR) as `parse` and `readTail` would read its
 * text: the message and the request, upstream and host values, into `out` (SPAN slots). Returns its
 * time (as plainTime); NaN when `parse` would not read it as a plain timed record of fewer than
 * MAX_RECORD_CHARS (the caller then hands the line to the parser).
 */
export function readPlainRecord(b: Uint8Array, a: number, end: number, out: Int32Array): number {
  return readPlainRecordInto(b, a, end, out, ONE) ? (ONE[0] ?? NaN) : NaN;
}

/** readPlainRecord with the time put in time[0] (no number allocated a record): false when it returns NaN. */
export function readPlainRecordInto(b: Uint8Array, a: number, end: number, out: Int32Array, time: Float64Array): boolean {
  const at = readPlainHead(b, a, end, out, time);
  if (at === NOT_PLAIN) return false;
  if (at >= 0) readTailBytes(b, at, end, out);
  return true;
}

/** What readPlainHead returns for a line that readPlainRecord does not read. */
export const NOT_PLAIN = -2;

/**
 * readPlainRecordInto up to the request fields: the time and message spans set, the request field
 * spans -1. Returns where the last ", client: " starts (-1 when none: no request fields), or NOT_PLAIN.
 */
export function readPlainHead(b: Uint8Array, a: number, end: number, out: Int32Array, time: Float64Array): number {
  const close = end - a < MAX_RECORD_CHARS ? levelClose(b, a, end) : -1;
  if (close < 0) return NOT_PLAIN;
  stamp(b, a);
  time[0] = lastTime;
  let p = close + 2;
  const colon = indexOfBytes(b, COLON_SPACE, p, end);
  if (colon >= 0) p = colon + 2;
  if (p < end && b[p] === 0x2a) {
    const sp = indexOfByte(b, 0x20, p, end);
    if (sp > 0) p = sp + 1;
  }
  const at = lastClientTail(b, a, end);
  out[SPAN.msgStart] = Math.min(p, end);
  out[SPAN.msgEnd] = at > p ? at : end;
  for (let k = SPAN.reqStart; k < SPAN.size; k++) out[k] = -1;
  return at;
}

const COLON_SPACE = needle(': ');

/** readTail from the last ", client: " at `at`: the spans of its request, upstream and host values. */
function readTailBytes(b: Uint8Array, at: number, end: number, out: Int32Array): void {
  const serverAt = serverAfter(b, at, end);
  if (serverAt >= 0) readTailFrom(b, serverAt, end, out);
}

/** Where the first ", server: " after the ", client: " at `at` starts; -1 when none (no request fields). */
export function serverAfter(b: Uint8Array, at: number, end: number): number {
  return indexOfBytes(b, SERVER, at, end);
}

/**
 * readTail from the ", server: " at `serverAt`: the spans of its request, upstream and host values (the
 * slots are -1 before). What it sets depends on the bytes b[serverAt, end) alone.
 */
export function readTailFrom(b: Uint8Array, serverAt: number, end: number, out: Int32Array): void {
  let p = indexOfBytes(b, COMMA_SPACE, serverAt + 10, end);
  while (p >= 0 && p < end) {
    const key = needleAt(b, p, end);
    if (key < 0) break;
    const start = p + (NEEDLES[key] as Uint8Array).length;
    let close = indexOfBytes(b, QUOTE_COMMA, start, end);
    while (close >= 0 && needleAt(b, close + 1, end) < 0) close = indexOfBytes(b, QUOTE_COMMA, close + 1, end);
    if (close < 0) {
      const last = b[end - 1] === 0x22 ? end - 1 : end;
      setValue(out, key, start, Math.max(start, last));
      break;
    }
    setValue(out, key, start, close);
    p = close + 1;
  }
}

const COMMA_SPACE = needle(', ');
const QUOTE_COMMA = needle('", ');

function setValue(out: Int32Array, key: number, start: number, end: number): void {
  const slot = key === REQUEST ? SPAN.reqStart : key === UPSTREAM ? SPAN.upStart : key === HOST ? SPAN.hostStart : -1;
  if (slot < 0) return;
  out[slot] = start;
  out[slot + 1] = end;
}

/**
 * The endpoint of a request value b[s, e) as failed-request.ts `fromFinding` and scope.ts `endpoint`
 * take it: the second space-separated word, up to a "?". Sets out[0], out[1]; empty when none.
 */
export function pathSpan(b: Uint8Array, s: number, e: number, out: Int32Array): void {
  out[0] = out[1] = 0;
  if (s < 0 || e <= s) return;
  const sp = indexOfByte(b, 0x20, s, e);
  if (sp < 0) return;
  let to = indexOfByte(b, 0x20, sp + 1, e);
  if (to < 0) to = e;
  const q = indexOfByte(b, 0x3f, sp + 1, to);
  out[0] = sp + 1;
  out[1] = q < 0 ? to : q;
}

const SCHEME = needle('://');
const UNIX = Buffer.from('unix:');

/** The peer of an upstream value b[s, e) as failed-request.ts `upstreamPeer` reads it. Sets out[0], out[1]. */
export function peerSpan(b: Uint8Array, s: number, e: number, out: Int32Array): void {
  out[0] = out[1] = 0;
  if (s < 0 || e <= s) return;
  const scheme = indexOfBytes(b, SCHEME, s, e);
  const rest = scheme >= 0 ? scheme + 3 : s;
  out[0] = rest;
  if (bytesAt(b, rest, e, UNIX)) {
    const colon = indexOfByte(b, 0x3a, rest + 5, e);
    out[1] = colon < 0 ? e : colon;
    return;
  }
  const slash = indexOfByte(b, 0x2f, rest, e);
  out[1] = slash < 0 ? e : slash;
}
