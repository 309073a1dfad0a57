// Parses syslog files (syslog, messages, kern.log, daemon.log written by rsyslog) and `dmesg -T` output:
// the program name becomes the producer (kernel, systemd, or app).
import type { LogRecord, Producer } from '../events/types.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { readSyslog } from './syslog-prefix.ts';
import { parseCtime } from './time.ts';

const DMESG_T = /^\[([A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} \d{4})\] /;

function producerOf(program: string): Producer {
  if (program === 'kernel') return 'kernel';
  if (program === 'systemd' || program.startsWith('systemd-')) return 'systemd';
  if (program === 'haproxy') return 'haproxy';
  if (program === 'php-fpm' || program.startsWith('php-fpm')) return 'php-fpm';
  if (program === 'gunicorn') return 'gunicorn';
  if (program === 'uwsgi') return 'uwsgi';
  return 'app';
}

/** rsyslog's `Mar 24 14:26:01 --- last message repeated 2 times ---` (with or without a host): no program, a time. */
const REPEATED = /^((?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} )(?:\S{1,100} )?(--- last message repeated \d{1,10} times? ---)\s*$/;

function repeated(text: string, reference: number): { time: number; message: string } | undefined {
  const m = REPEATED.exec(text);
  if (!m) return undefined;
  const s = readSyslog(`${m[1] ?? ''}x: ${m[2] ?? ''}`, reference);
  return s && !Number.isNaN(s.time) ? { time: s.time, message: m[2] ?? '' } : undefined;
}

/** A syslog record starts with a time (a bare `word word: ` line is no syslog: `Error: …`, `# note:`). */
function isStart(line: string, reference: number): boolean {
  if (DMESG_T.test(line)) return true;
  if (repeated(line, reference)) return true;
  const s = readSyslog(line, reference);
  return s !== undefined && !Number.isNaN(s.time);
}

function parse(text: string, source: number, line: number, reference: number): LogRecord | undefined {
  const d = DMESG_T.exec(text);
  if (d) {
    const message = text.slice(d[0].length);
    return makeRecord(source, line, { time: parseCtime(d[1] ?? ''), level: /error|fail|killed/i.test(message) ? 'error' : 'info', producer: 'kernel', message, text });
  }
  const r = repeated(text, reference);
  if (r) return makeRecord(source, line, { time: r.time, level: 'info', producer: 'app', message: r.message, text });
  const s = readSyslog(text, reference);
  if (!s || Number.isNaN(s.time)) return undefined;
  const message = s.program === 'kernel' ? s.message.replace(/^\[\s{0,12}\d{1,10}\.\d{1,9}\] /, '') : s.message;
  const level = /error|fail|killed|oom|segfault/i.test(message) ? 'error' : 'info';
  return makeRecord(source, line, { time: s.time, zoned: s.zoned, level, producer: producerOf(s.program), message, text, pid: s.pid });
}

/** The syslog parser for a log whose latest time is `reference`; undefined: the wall clock at each record. */
function syslogAt(reference: number | undefined): RecordParser {
  return {
    kind: 'app',
    isStart: (line) => isStart(line, reference ?? Date.now()),
    // Blank lines between records belong to none (trimmed from the record they follow).
    continues: (line) => line.trim() === '',
    parse: (text, source, line) => parse(text, source, line, reference ?? Date.now()),
    atReference: (r) => syslogAt(r),
  };
}

export const syslogFile: RecordParser = syslogAt(undefined);
