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

function continues(line: string, head: string, lines: number, prev: string): boolean {
  if (!isStart(line)) return true;
  return head.startsWith('Traceback') && appText.continues(line, head, lines, prev) && !PREFIX.test(line) && !REQUEST.test(line);
}

function parse(text: string, source: number, line: number): LogRecord | undefined {
  const head = text.split('\n', 1)[0] ?? '';
  const pre = PREFIX.exec(head);
  const req = pre ? undefined : REQUEST.exec(head);
  const stamp = pre?.[1] ?? req?.[3];
  const time = stamp ? parseCtime(stamp) : NaN;
  const message = pre ? text.slice(pre[0].length) : text;
  const request = req?.[4]?.split(' =>')[0] ?? (/ - ([A-Z]{3,7} \/\S{0,2000}) since /.exec(head)?.[1] ?? '');
  const level = /HARAKIRI ON|DAMN !|Traceback|error/i.test(head) ? 'error' : 'info';
  return makeRecord(source, line, { time, level, producer: 'uwsgi', message, text, pid: req?.[1] ?? '', client: req?.[2] ?? '', request });
}

export const uwsgi: RecordParser = { kind: 'app', isStart, continues, parse, proves: (line) => UWSGI_WORDS.test(line) };
