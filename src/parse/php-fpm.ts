// Parses PHP-FPM's own log ("[20-Nov-2026 14:02:09] WARNING: [pool www] …") and PHP's error_log lines.
import type { LogRecord } from '../events/types.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { parseDashMonthTime } from './time.ts';

/** "[20-Nov-2026 14:02:09" at the start of the line. */
function isStart(line: string): boolean {
  return line.length > 22 && line[0] === '[' && line[3] === '-' && line[7] === '-' && line[12] === ' ' &&
    line[15] === ':' && line[18] === ':';
}

function parse(text: string, source: number, line: number): LogRecord | undefined {
  if (!isStart(text)) return undefined;
  const close = text.indexOf('] ');
  if (close < 0) return undefined;
  const stamp = text.slice(1, close);
  const time = parseDashMonthTime(stamp);
  const zoned = stamp.endsWith(' UTC');
  let rest = text.slice(close + 2);
  let level = '';
  let producer: 'php-fpm' | 'php' = 'php-fpm';
  const colon = rest.indexOf(': ');
  const head = colon > 0 ? rest.slice(0, colon) : '';
  if (/^(?:DEBUG|NOTICE|WARNING|ERROR|ALERT)$/.test(head)) {
    level = head;
    rest = rest.slice(colon + 2);
  } else if (rest.startsWith('PHP ')) {
    producer = 'php';
    level = /^PHP (?:Fatal|Parse) error/.test(rest) ? 'error' : /^PHP Warning/.test(rest) ? 'warning' : 'notice';
  }
  const pool = /^\[pool ([^\]]{1,100})\] /.exec(rest);
  const pid = /\bchild (\d{1,10})\b/.exec(rest)?.[1];
  const request = /\(request: "([A-Z]{3,7} [^"\s]{1,2000})"\)/.exec(rest)?.[1];
  return makeRecord(source, line, { time, zoned, level, producer, message: rest, text, pid, host: pool?.[1], request });
}

export const phpFpm: RecordParser = {
  kind: 'app',
  isStart,
  continues: (line) => !isStart(line),
  parse,
};
