// Parses Apache httpd error logs (2.4 default ErrorLogFormat and the 2.2 layout). Lines that one worker
// thread writes within the same second belong to one request and are read as one record.
import type { LogRecord } from '../events/types.ts';
import { makeRecord, type RecordParser } from './record.ts';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** "[2025-07-22 15:45:51.323610 +0200]" (an ErrorLogFormat with `%{cu}t` or `%{%Y-%m-%d %T}t.%{usec_frac}t %{%z}t`). */
const ISO_TIME = /^\[(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ?([+-])(\d{2}):?(\d{2}))?\]/;

/** An ISO time: ms (UTC when it has a zone, else as if UTC) and whether it had a zone; undefined when none. */
function parseIsoTime(s: string): { time: number; zoned: boolean } | undefined {
  const m = ISO_TIME.exec(s);
  if (!m) return undefined;
  const ms = m[7] ? Math.floor(Number(m[7].padEnd(6, '0')) / 1000) : 0;
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  if (!m[8]) return { time: local, zoned: false };
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) * 60_000;
  return { time: local - offset, zoned: true };
}

/** "[Sun Nov 22 20:19:15.123456 2026]" → ms as if UTC (Apache writes local time without a zone). */
function parseApacheTime(s: string): number {
  const m = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})\]/.exec(s);
  if (!m) return NaN;
  const month = MONTHS[m[1] ?? ''];
  if (month === undefined) return NaN;
  const ms = m[6] ? Math.floor(Number(m[6].padEnd(6, '0')) / 1000) : 0;
  return Date.UTC(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), ms);
}

interface Head {
  readonly time: number;
  readonly zoned: boolean;
  readonly module: string;
  readonly level: string;
  readonly pid: string;
  readonly tid: string;
  readonly client: string;
  readonly message: string;
}

const HEAD = /^\[[^\]]{19,40}\] \[(?:([\w-]{0,40}):)?((?:emerg|alert|crit|error|warn|notice|info|debug|trace[1-8]))\](?: \[pid (\d{1,10})(?::tid (\d{1,20}))?\])?(?: \[client ([^\]]{1,200})\])? ?/;

function readHead(line: string): Head | undefined {
  const iso = line[1] === '2' || line[1] === '1' ? parseIsoTime(line) : undefined;
  const time = iso?.time ?? parseApacheTime(line);
  if (Number.isNaN(time)) return undefined;
  const m = HEAD.exec(line);
  if (!m) return undefined;
  let message = line.slice(m[0].length);
  let client = m[5] ?? '';
  const c = /\[(?:client|remote) ([^\]]{1,200})\] /.exec(message.slice(0, 400));
  if (!client && c && c[0].startsWith('[client')) client = c[1] ?? '';
  const ref = message.lastIndexOf(', referer: ');
  if (ref > 0) message = message.slice(0, ref);
  return { time, zoned: iso?.zoned ?? false, module: m[1] ?? '', level: m[2] ?? '', pid: m[3] ?? '', tid: m[4] ?? '', client: stripPort(client), message };
}

/** "127.0.0.1:54321" → "127.0.0.1"; "[::1]:80" → "::1". */
function stripPort(addr: string): string {
  if (addr.startsWith('[')) return addr.slice(1, addr.indexOf(']'));
  const colons = addr.split(':').length - 1;
  return colons === 1 ? addr.slice(0, addr.indexOf(':')) : addr;
}

function isStart(line: string): boolean {
  return line[0] === '[' && readHead(line) !== undefined;
}

/** Same worker thread, same second: the same request. Other lines without a head continue too. */
function continues(line: string, head: string): boolean {
  const next = readHead(line);
  if (!next) return line[0] !== '[';
  const first = readHead(head);
  if (!first || !first.pid) return false;
  return next.pid === first.pid && next.tid === first.tid && Math.floor(next.time / 1000) === Math.floor(first.time / 1000);
}

function parse(text: string, source: number, line: number): LogRecord | undefined {
  const lines = text.split('\n');
  const heads = lines.map(readHead);
  const first = heads[0];
  if (!first) return undefined;
  const message = lines.map((l, i) => heads[i]?.message ?? l).join('\n');
  const client = heads.find((h) => h?.client)?.client ?? '';
  const level = heads.map((h) => h?.level ?? '').find((l) => /^(?:emerg|alert|crit|error)$/.test(l)) ?? first.level;
  return makeRecord(source, line, {
    time: first.time, zoned: first.zoned, level, producer: 'apache', message, text, client, pid: first.pid,
    upstream: /\b(?:to|for) \(?((?:https?|fcgi|ajp|unix):\S{1,300}?|[\w.-]{1,200}:\d{1,5})\)?(?: |$)/.exec(message)?.[1] ?? '',
  });
}

export const apacheError: RecordParser = { kind: 'error', isStart, continues, parse };
