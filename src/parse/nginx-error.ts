// Parses nginx error-log records: time, level, pid, connection, message and the trailing request fields.
import type { LogRecord } from '../events/types.ts';
import { NGINX_ERROR_START as START } from './line-shapes.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { startsOtherRecord } from './record-starts.ts';
import { parseSlashTime } from './time.ts';

const TAIL_KEYS = ['request', 'subrequest', 'upstream', 'host', 'referrer'] as const;
const TAIL_NEEDLES = TAIL_KEYS.map((k) => ({ key: k, needle: `, ${k}: "` }));

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** The length of a level word (`debug` … `emerg`) at `at`, ended by "]"; 0 when there is none (Go's `log` prefix then `[2025-…]`). */
function levelLength(at: (i: number) => number, from: number): number {
  let i = from;
  while (i - from < 7) {
    const c = at(i);
    if (c === 0x5d) return i - from;
    if (c < 97 || c > 122) return 0;
    i++;
  }
  return 0;
}

/** "2026/11/20 14:02:09 [level]" at the start of the line (the shape's fixed bytes; of its digits, the first and last). */
function isStart(line: string): boolean {
  if (line.length <= START.length || !isDigit(line, 0) || !isDigit(line, 18)) return false;
  for (const [at, c] of START.fixed) if (line.charCodeAt(at) !== c) return false;
  return levelLength((i) => line.charCodeAt(i), START.length) > 0;
}

/** A line continues an nginx record unless it starts a record, of nginx or of another format (then it is read, or counted unparsed). */
function continues(line: string): boolean {
  return !isStart(line) && !startsOtherRecord(line);
}

interface Tail {
  client: string;
  server: string;
  values: Partial<Record<(typeof TAIL_KEYS)[number], string>>;
  at: number;
}

/** Reads `, client: A, server: B, request: "…", upstream: "…", host: "…"` from the end of a record. */
export function readTail(text: string): Tail | undefined {
  const at = text.lastIndexOf(', client: ');
  if (at < 0) return undefined;
  const serverAt = text.indexOf(', server: ', at);
  const client = text.slice(at + 10, serverAt < 0 ? undefined : serverAt);
  const tail: Tail = { client, server: '', values: {}, at };
  if (serverAt < 0) return tail;
  let p = serverAt + 10;
  const comma = text.indexOf(', ', p);
  tail.server = text.slice(p, comma < 0 ? undefined : comma);
  p = comma;
  while (p >= 0 && p < text.length) {
    const key = TAIL_NEEDLES.find((k) => text.startsWith(k.needle, p))?.key;
    if (!key) break;
    const start = p + key.length + 5;
    let end = text.indexOf('", ', start);
    while (end >= 0 && !TAIL_NEEDLES.some((k) => text.startsWith(k.needle, end + 1))) end = text.indexOf('", ', end + 1);
    if (end < 0) {
      end = text.endsWith('"') ? text.length - 1 : text.length;
      tail.values[key] = text.slice(start, end);
      break;
    }
    tail.values[key] = text.slice(start, end);
    p = end + 1;
  }
  return tail;
}

function parse(text: string, source: number, line: number): LogRecord | undefined {
  if (!isStart(text)) return undefined;
  const close = text.indexOf(']', START.length);
  if (close < 0) return undefined;
  const level = text.slice(START.length, close);
  let p = close + 2;
  const hash = text.indexOf('#', p);
  const colon = text.indexOf(': ', p);
  const pid = hash > 0 && hash < colon ? text.slice(p, hash) : '';
  p = colon < 0 ? p : colon + 2;
  if (text[p] === '*') {
    const sp = text.indexOf(' ', p);
    if (sp > 0) p = sp + 1;
  }
  const at = text.lastIndexOf(', client: ');
  const message = text.slice(p, at > p ? at : undefined);
  return makeRecord(source, line, {
    time: parseSlashTime(text), level, producer: 'nginx', message, text, pid,
    lazyRequest: () => {
      const tail = readTail(text);
      return tail && { client: tail.client, request: tail.values.request, upstream: tail.values.upstream, host: tail.values.host };
    },
  });
}

/** What ends a record's message: the request fields follow it (src/sources/quiet-kernel.ts looks for it too). */
export const CLIENT_TAIL = Buffer.from(', client: ');
/** For a backward Horspool search: how far the window may move left when its first byte is c. */
export const CLIENT_TAIL_SKIP = (() => {
  const skip = new Uint8Array(256).fill(CLIENT_TAIL.length);
  for (let j = CLIENT_TAIL.length - 1; j >= 1; j--) skip[CLIENT_TAIL[j] ?? 0] = j;
  return skip;
})();

/** Where the last ", client: " of b[from, end) starts, -1 when none. */
export function lastClientTail(b: Uint8Array, from: number, end: number): number {
  const m = CLIENT_TAIL.length;
  let i = end - m;
  while (i >= from) {
    let j = 0;
    while (j < m && b[i + j] === CLIENT_TAIL[j]) j++;
    if (j === m) return i;
    i -= CLIENT_TAIL_SKIP[b[i] ?? 0] ?? m;
  }
  return -1;
}

/**
 * "2026/11/20 14:02:09 [level] …" in bytes, every time digit a digit: `parse` reads it as a timed
 * record. Its message lies after the level's "] " and before the last ", client: ".
 */
export function plainStart(b: Uint8Array, a: number, end: number, span: Int32Array): boolean {
  if (end - a <= START.length) return false;
  for (const [at, c] of START.fixed) if (b[a + at] !== c) return false;
  for (const d of START.digits) {
    const c = b[a + d] ?? 0;
    if (c < 48 || c > 57) return false;
  }
  let close = a + START.length;
  while (close < end && b[close] !== START.levelEnd) close++;
  if (close >= end) return false;
  const tail = lastClientTail(b, close + 3, end);
  span[0] = close + 2;
  span[1] = tail > close + 2 ? tail : end;
  return true;
}

export const nginxError: RecordParser = {
  kind: 'error',
  quiet: { producer: 'nginx', shape: 'nginx-error', plainStart },
  isStart,
  continues,
  parse,
};
