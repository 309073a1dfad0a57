// Parses HAProxy logs: `option httplog` request lines (behind any syslog prefix, or raw) as access
// events with their termination state, and HAProxy's other messages (server DOWN…) as records.
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { readSyslog } from './syslog-prefix.ts';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/**
 * From the accept date on: [accept date] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes cookie
 * cookie TERM. Tried (sticky) only where a " [DD/" is, so a line costs about its length.
 */
const AFTER_CLIENT =
  /\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\] (\S{1,200}) ([^\s/]{1,200})\/(\S{1,200})(?: [^\s/]{1,200})? (-?\d{1,10})\/(-?\d{1,10})\/(-?\d{1,10})\/(-?\d{1,10})\/\+?(-?\d{1,10}) (-?\d{1,3}) \+?(\d{1,15}) \S{1,200} \S{1,200} ([A-Za-z-]{4}) /y;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** [\w.:-] */
const isClientChar = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 58 || c === 45;
/** [\s:] */
const isClientLead = (c: number): boolean => c === 58 || c === 32 || (c >= 9 && c <= 13);

/**
 * The client of `client:port` ending at `q` (the colon before the port): `\[?[\w.:-]{1,60}\]?` at
 * the line start or after a space or colon, the leftmost such start, as the regular expression
 * `(?:^|[\s:])(\[?[\w.:-]{1,60}?\]?):` would give; a bounded look back (at most 62 characters).
 */
function clientBefore(line: string, q: number): string | undefined {
  const end = q > 0 && line.charCodeAt(q - 1) === 93 ? q - 1 : q;
  let run = end;
  while (run > 0 && end - run < 60 && isClientChar(line.charCodeAt(run - 1))) run--;
  for (let b = run; b < end; b++) {
    for (const s of line.charCodeAt(b - 1) === 91 ? [b - 1, b] : [b]) {
      if (s === 0 || (s > 0 && isClientLead(line.charCodeAt(s - 1)))) return line.slice(s, q);
    }
  }
  return undefined;
}

/** The first `client:port [accept date] …` in a line: one indexOf pass over " [", a bounded check at each. */
function matchHttplog(line: string): { m: RegExpExecArray; client: string } | undefined {
  for (let d = line.indexOf(' [', 2); d >= 0; d = line.indexOf(' [', d + 2)) {
    if (!isDigit(line.charCodeAt(d + 2)) || !isDigit(line.charCodeAt(d - 1))) continue;
    // The port: one to five digits after a colon.
    let k = 1;
    while (k < 6 && isDigit(line.charCodeAt(d - 1 - k))) k++;
    const q = d - 1 - k;
    if (k > 5 || q < 1 || line.charCodeAt(q) !== 58) continue;
    const client = clientBefore(line, q);
    if (client === undefined) continue;
    AFTER_CLIENT.lastIndex = d + 1;
    const m = AFTER_CLIENT.exec(line);
    if (m) return { m, client };
  }
  return undefined;
}

function timeOf(m: RegExpExecArray): number {
  const month = MONTHS[m[2] ?? ''];
  if (month === undefined) return NaN;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}

function requestOf(line: string, from: number): { method: string; path: string } {
  const q = line.indexOf('"', from);
  if (q < 0) return { method: '', path: '' };
  const end = line.indexOf('"', q + 1);
  const req = line.slice(q + 1, end < 0 ? undefined : end);
  const sp = req.indexOf(' ');
  if (sp < 0) return { method: '', path: req };
  const sp2 = req.indexOf(' ', sp + 1);
  return { method: req.slice(0, sp), path: sp2 < 0 ? req.slice(sp + 1) : req.slice(sp + 1, sp2) };
}

export const haproxyHttp: AccessParser = {
  parse(line: string, source: number, lineNo: number): AccessEvent | undefined {
    const found = matchHttplog(line);
    if (!found) return undefined;
    const { m, client } = found;
    const status = Number(m[16]);
    if (!(status >= 100 && status <= 999)) return undefined;
    const { method, path } = requestOf(line, m.index + m[0].length);
    const tc = m[13] ?? '';
    const tr = m[14] ?? '';
    return {
      kind: 'access', source, line: lineNo, time: timeOf(m), status, method, path, client, host: '',
      bytes: Number(m[17]), requestTime: Number(m[15]) / 1000, upstreamAddr: `${m[9] ?? ''}/${m[10] ?? ''}`,
      upstreamStatus: '', upstreamConnectTime: tc === '-1' ? '-' : String(Number(tc) / 1000),
      upstreamHeaderTime: tr === '-1' ? '-' : String(Number(tr) / 1000), upstreamResponseTime: '',
      termination: m[18] ?? '', producer: 'haproxy', zoned: false, text: line,
    };
  },
};

/** A connection-level message with no syslog header (`log stdout format raw`): `client:port [accept date] frontend/backend: text`. */
const CONN = /^(\[?[\w.:-]{1,60}?\]?):\d{1,5} \[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?\] (\S{1,200}): /;

function connTime(m: RegExpExecArray): number {
  const month = MONTHS[m[3] ?? ''];
  return month === undefined ? NaN : Date.UTC(Number(m[4]), month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
}

/** HAProxy's own messages for a log whose latest time is `reference`; undefined: the wall clock at each record. */
function haproxyEventsAt(reference: number | undefined): RecordParser {
  return {
    kind: 'error',
    isStart: (line) => readSyslog(line, 0) !== undefined || /^\[(?:WARNING|NOTICE|ALERT)\]/.test(line) || CONN.test(line),
    proves: (line) => /\bhaproxy\[\d{1,10}\]: /.test(line),
    continues: () => false,
    parse(text, source, line) {
      const c = CONN.exec(text);
      if (c) {
        const message = text.slice(c[0].length);
        return makeRecord(source, line, { time: connTime(c), level: 'notice', producer: 'haproxy', message, text, client: c[1] ?? '' });
      }
      const s = readSyslog(text, reference ?? Date.now());
      const message = s ? s.message : text.replace(/^\[(?:WARNING|NOTICE|ALERT)\] \(\d{1,10}\) : /, '');
      const level = /\b(?:is DOWN|has no server available|ALERT)\b/.test(text) ? 'alert' : 'notice';
      return makeRecord(source, line, { time: s?.time ?? NaN, zoned: s?.zoned ?? false, level, producer: 'haproxy', message, text, pid: s?.pid });
    },
    atReference: (r) => haproxyEventsAt(r),
  };
}

/** HAProxy's own messages (server state changes, alerts), so they can explain or precede failures. */
export const haproxyEvents: RecordParser = haproxyEventsAt(undefined);
