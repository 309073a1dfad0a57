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

function parse(text: string, source: number, line: number, reference: number): LogRecord | undefined {
  const d = DMESG_T.exec(text);
  if (d) {
    const message = text.slice(d[0].length);
    return makeRecord(source, line, { time: parseCtime(d[1] ?? ''), level: /error|fail|killed/i.test(message) ? 'error' : 'info', producer: 'kernel', message, text });
  }
  const s = readSyslog(text, reference);
  if (!s) return undefined;
  const message = s.program === 'kernel' ? s.message.replace(/^\[\s{0,12}\d{1,10}\.\d{1,9}\] /, '') : s.message;
  const level = /error|fail|killed|oom|segfault/i.test(message) ? 'error' : 'info';
  return makeRecord(source, line, { time: s.time, zoned: s.zoned, level, producer: producerOf(s.program), message, text, pid: s.pid });
}

/** The syslog parser for a log whose latest time is `reference`; undefined: the wall clock at each record. */
function syslogAt(reference: number | undefined): RecordParser {
  return {
    kind: 'app',
    isStart: (line) => DMESG_T.test(line) || readSyslog(line, 0) !== undefined,
    continues: () => false,
    parse: (text, source, line) => parse(text, source, line, reference ?? Date.now()),
    atReference: (r) => syslogAt(r),
  };
}

export const syslogFile: RecordParser = syslogAt(undefined);
