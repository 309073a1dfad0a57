// Strips the syslog header that rsyslog/journald put before a program's message, keeping its time.
import { parseIsoPrefix } from './time.ts';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

export interface Syslog {
  /** Epoch ms; as if UTC when `zoned` is false. NaN when the line has no syslog time. */
  readonly time: number;
  readonly zoned: boolean;
  readonly program: string;
  readonly pid: string;
  /** The message after "program[pid]: ". */
  readonly message: string;
}

/** How far a line's time may lie after the reference and still be of the reference's year (zones, clocks). */
const YEAR_SLACK_MS = 2 * 86_400_000;

/**
 * The time of an RFC 3164 stamp, which has no year: the log's context gives it. `reference` is the
 * latest time the log can hold (the file's mtime; the wall clock for a stream), so the stamp is of
 * the reference's year unless that would put it after the reference (a month later than the
 * reference month): then it is of the year before. A December log read in January is December of
 * last year; a log spanning New Year keeps its December lines in the old year.
 */
export function yearlessTime(reference: number, month: number, day: number, h: number, m: number, s: number): number {
  const year = new Date(reference).getUTCFullYear();
  const t = Date.UTC(year, month, day, h, m, s);
  return t > reference + YEAR_SLACK_MS ? Date.UTC(year - 1, month, day, h, m, s) : t;
}

/**
 * "<134>Nov 22 20:19:15 host haproxy[123]: msg", "Nov 22 20:19:15 haproxy[123]: msg",
 * "2026-11-22T20:19:15.000Z host haproxy[123]: msg". RFC 3164 times (no year) take their year from
 * `reference` (epoch ms; see yearlessTime).
 */
export function readSyslog(line: string, reference: number): Syslog | undefined {
  let rest = line;
  let time = NaN;
  let zoned = false;
  const pri = /^<\d{1,3}>\d? ?/.exec(rest);
  if (pri) rest = rest.slice(pri[0].length);
  const bsd = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) {1,4}/.exec(rest);
  if (bsd) {
    const month = MONTHS[bsd[1] ?? ''];
    if (month === undefined) return undefined;
    time = yearlessTime(reference, month, Number(bsd[2]), Number(bsd[3]), Number(bsd[4]), Number(bsd[5]));
    rest = rest.slice(bsd[0].length);
  } else {
    const iso = parseIsoPrefix(rest);
    if (iso && rest[iso.length] === ' ') {
      time = iso.ms;
      zoned = iso.zoned;
      rest = rest.slice(iso.length + 1);
    }
  }
  const m = /^(?:(\S{1,100}) )?([\w.\-/]{1,64})(?:\[(\d{1,10})\])?: /.exec(rest);
  if (!m) return undefined;
  return { time, zoned, program: m[2] ?? '', pid: m[3] ?? '', message: rest.slice(m[0].length) };
}
