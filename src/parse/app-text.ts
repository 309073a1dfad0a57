// Parses plain-text application output (Node.js, Python, Gunicorn, generic loggers) with multi-line traces,
// timed or not (`node app.js > app.log 2>&1`: each untimed line is a record, a trace is one; app-trace.ts).
import type { LogRecord, Producer } from '../events/types.ts';
import { continuesUntimed, ERROR_LINE, indented, NODE_CRASH_HEAD, UNTIMED_HEADS } from './app-trace.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { parseIsoPrefix } from './time.ts';

const LEVEL = /\b(TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|ERR|CRITICAL|CRIT|FATAL|ALERT|EMERG)\b/i;
const GUNICORN_HEAD = /^\[[^\]]{19,40}\] \[\d{1,10}\] \[[A-Z]{4,8}\] /;

/** The timestamp at the start of a line, optionally in brackets. */
export function leadingTime(line: string): { ms: number; zoned: boolean; end: number } | undefined {
  const bracket = line[0] === '[' ? 1 : 0;
  const t = parseIsoPrefix(bracket ? line.slice(1, 40) : line.slice(0, 40));
  if (!t) return undefined;
  let end = t.length + bracket;
  if (bracket) {
    const close = line.indexOf(']', end);
    if (close < 0 || close > end + 12) return undefined;
    end = close + 1;
  }
  return { ms: t.ms, zoned: t.zoned, end };
}

/** A line that begins a record by its own shape: a leading time, a runtime's crash or OOM report. */
export function startsRecord(line: string): boolean {
  if (leadingTime(line)) return true;
  if (NODE_CRASH_HEAD.test(line)) return true;
  return UNTIMED_HEADS.some((h) => line.startsWith(h));
}

/** A time inside the line's head ("http 2018-07-02T22:23:00Z …", "… [10/Oct/2000:13:55:36 -0700] …"): another format's line. */
const TIME_INSIDE = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[\d{2}\/[A-Za-z]{3}\/\d{4}:/;

/**
 * For detection: an untimed line that is not indented begins a record too (untimed output is one record a
 * line), unless it carries a time further in, as the lines of other formats do.
 */
function isStart(line: string): boolean {
  return startsRecord(line) || (!indented(line) && !TIME_INSIDE.test(line.slice(0, 80)));
}

/** Record starts that show application output: a time, a runtime's trace or footer, a start banner, npm's script echo. */
const TRACE_PROOF = /^(?:Traceback \(most recent call last\):|Node\.js v\d|> [\w@./-]{1,100}@\d[\w.-]{0,40} \w)/;
const STARTUP_PROOF = /\b(?:[Ll]istening|[Rr]unning|[Ss]tarted|[Ss]erving) (?:on|at) (?:https?:\/\/\S|port \d|[\w.-]{1,253}:\d{2,5}\b)/;

function proves(line: string): boolean {
  return startsRecord(line) || TRACE_PROOF.test(line) || STARTUP_PROOF.test(line);
}

function continues(line: string, head: string, lines: number, prev: string): boolean {
  if (startsRecord(line)) return false;
  if (!leadingTime(head)) return continuesUntimed(line, head, lines, prev);
  if (line.startsWith('Traceback (most recent call last):')) {
    const chained = prev === '' || /exception (?:occurred|was the direct cause)/.test(prev);
    return chained || (leadingTime(head) !== undefined && lines <= 2);
  }
  if (ERROR_LINE.test(line) && !line.startsWith(' ')) {
    const errorHead = lines === 1 && leadingTime(head) !== undefined && /\b(?:ERROR|SEVERE|FATAL|CRITICAL)\b/i.test(head.slice(0, 80));
    return lines > 1 || errorHead || NODE_CRASH_HEAD.test(head) || prev.startsWith(' ') || prev === '';
  }
  return true;
}

function producerOf(text: string, head: string): Producer {
  if (GUNICORN_HEAD.test(head)) return 'gunicorn';
  if (text.includes('Traceback (most recent call last):') || /\n {2}File "/.test(text)) return 'python';
  if (/\n {4}at .{1,300}:\d+:\d+\)?/.test(text) || text.includes('\nNode.js v') || NODE_CRASH_HEAD.test(head)) {
    return 'node';
  }
  return 'app';
}

function parse(text: string, source: number, line: number): LogRecord | undefined {
  const nl = text.indexOf('\n');
  const head = nl < 0 ? text : text.slice(0, nl);
  const t = leadingTime(head);
  let message = t ? text.slice(t.end).replace(/^[\s:\-|]+/, '') : text;
  let pid = '';
  const pidMatch = /^\[(\d{1,10})\] /.exec(message);
  if (pidMatch) {
    pid = pidMatch[1] ?? '';
    message = message.slice(pidMatch[0].length);
  }
  const trace = nl >= 0 || ERROR_LINE.test(head) || startsRecord(head);
  const lvl = LEVEL.exec(message.slice(0, 40))?.[1] ?? (t || !trace ? '' : 'error');
  const level = lvl.toLowerCase().replace(/^warn$/, 'warning').replace(/^err$/, 'error').replace(/^crit$/, 'critical');
  return makeRecord(source, line, {
    time: t ? t.ms : NaN, zoned: t?.zoned ?? false, level, producer: producerOf(text, head), message, text, pid,
    request: requestOf(message),
  });
}

/** A request line mentioned in the message ("Error handling request /x", "GET /x"). */
function requestOf(message: string): string {
  const m = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^\s"]{0,2000})/.exec(message.slice(0, 4000));
  if (m) return `${m[1]} ${m[2]}`;
  const g = /(?:Error handling request|Internal Server Error:) (\/[^\s]{0,2000})/.exec(message.slice(0, 4000));
  return g ? `? ${g[1]}` : '';
}

export const appText: RecordParser = { kind: 'app', isStart, proves, continues, parse };
