// Parses plain-text application output (Node.js, Python, Gunicorn, generic loggers) with multi-line traces.
import type { LogRecord, Producer } from '../events/types.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { parseIsoPrefix } from './time.ts';

const NODE_CRASH_HEAD = /^(?:\/|[A-Za-z]:\\|node:|file:\/\/)[^\s:]{0,400}(?::\d{1,7}){1,2}$/;
const UNTIMED_HEADS = ['FATAL ERROR: ', '<--- Last few GCs --->', '[UnhandledPromiseRejection', 'Exception in thread '];
const ERROR_LINE = /^[A-Za-z_$][\w$.]{0,200}(?:Error|Exception)\b/;
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

function isStart(line: string): boolean {
  if (leadingTime(line)) return true;
  if (NODE_CRASH_HEAD.test(line)) return true;
  return UNTIMED_HEADS.some((h) => line.startsWith(h));
}

function continues(line: string, head: string, lines: number, prev: string): boolean {
  if (isStart(line)) return false;
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
  const lvl = LEVEL.exec(message.slice(0, 40))?.[1] ?? (t ? '' : 'error');
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

export const appText: RecordParser = { kind: 'app', isStart, continues, parse };
