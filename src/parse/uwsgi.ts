// Parses uWSGI's log: free-text lines, some with a ctime prefix ("Sun Nov 22 21:04:17 2026 - …"),
// request lines with the time inside ("[pid: 1|app: 0|req: 1/1] … [Sun Nov 22 21:04:15 2026] GET / …"),
// and Python tracebacks. Lines without a time inherit the time around them.
import type { LogRecord } from '../events/types.ts';
import { appText } from './app-text.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { parseCtime } from './time.ts';

const PREFIX = /^([A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4}) - /;
const REQUEST = /^\[pid: (\d{1,10})\|app: [^\]]{1,40}\] (\S{1,100}) [^[]{0,200}\[([A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4})\] ([A-Z]{3,7} \S{1,2000})/;
const UWSGI_WORDS = /^\*\*\* Starting uWSGI|^\[pid: \d{1,10}\|app: |\buWSGI\b|HARAKIRI|^DAMN ! worker|^Respawned uWSGI/;

function isStart(line: string): boolean {
  return !line.startsWith(' ') && !line.startsWith('\t') && line.trim() !== '';
}

/** The status uWSGI's request line says it answered: "… => generated 7 bytes in 0 msecs (HTTP/1.1 500) …". */
const STATUS = / => generated \d{1,15} bytes in \d{1,10} (?:msecs|micros) \(HTTP\/\d(?:\.\d)? (\d{3})\)/;

function continues(line: string, head: string, lines: number, prev: string): boolean {
  if (!isStart(line)) return true;
  if (!head.startsWith('Traceback') || REQUEST.test(prev)) return false;
  // The request line that follows a traceback ends it: one record holds the failure and its status.
  if (REQUEST.test(line)) return true;
  return appText.continues(line, head, lines, prev) && !PREFIX.test(line);
}

function parse(text: string, source: number, line: number): LogRecord | undefined {
  const head = text.split('\n', 1)[0] ?? '';
  const last = text.slice(text.lastIndexOf('\n') + 1);
  const pre = PREFIX.exec(head);
  // A request line: the record's own, or the one that ends a traceback (see continues).
  const reqLine = pre ? '' : REQUEST.test(head) ? head : head.startsWith('Traceback') && REQUEST.test(last) ? last : '';
  const req = reqLine ? REQUEST.exec(reqLine) : null;
  const status = Number(STATUS.exec(reqLine)?.[1] ?? NaN);
  const stamp = pre?.[1] ?? req?.[3];
  const time = stamp ? parseCtime(stamp) : NaN;
  const message = pre ? text.slice(pre[0].length) : text;
  const request = req?.[4]?.split(' =>')[0] ?? (/ - ([A-Z]{3,7} \/\S{0,2000}) since /.exec(head)?.[1] ?? '');
  const level = /HARAKIRI ON|DAMN !|Traceback|error/i.test(head) || status >= 500 ? 'error' : 'info';
  return makeRecord(source, line, {
    time, level, producer: 'uwsgi', message, text, pid: req?.[1] ?? '', client: req?.[2] ?? '', request, ...(status >= 100 ? { status } : {}),
  });
}

export const uwsgi: RecordParser = { kind: 'app', isStart, continues, parse, proves: (line) => UWSGI_WORDS.test(line) };
