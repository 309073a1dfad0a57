// Reads the timestamp shapes that web and app servers write, without regular expressions on the hot path.
import { CLF_TIME } from './line-shapes.ts';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** "+0100", "-05:30", "Z" → minutes east of UTC; NaN when unreadable. */
export function parseOffset(s: string): number {
  const t = s.trim();
  if (t === 'Z' || t === 'z') return 0;
  const sign = t[0] === '-' ? -1 : t[0] === '+' ? 1 : NaN;
  const body = t.slice(1).replace(':', '');
  if (body.length !== 4) return NaN;
  const h = digits(body, 0, 2);
  const m = digits(body, 2, 2);
  return sign * (h * 60 + m);
}

let lastClf = '';
let lastClfMs = NaN;

/** Common Log Format time: "20/Nov/2026:14:02:09 +0000" → epoch ms (UTC). Consecutive lines share a second: the last one is kept. */
export function parseClfTime(s: string): number {
  if (s === lastClf) return lastClfMs;
  lastClf = s;
  lastClfMs = parseClfTimeUncached(s);
  return lastClfMs;
}

function parseClfTimeUncached(s: string): number {
  const T = CLF_TIME;
  if (s.length < T.zoneSpace) return NaN;
  const day = digits(s, T.day, 2);
  const month = MONTHS[s.slice(T.month, T.month + 3)];
  const year = digits(s, T.year, 4);
  const h = digits(s, T.hour, 2);
  const mi = digits(s, T.minute, 2);
  const sec = digits(s, T.second, 2);
  if (month === undefined) return NaN;
  const off = s.length >= T.length ? parseOffset(s.slice(T.sign, T.length)) : 0;
  return Date.UTC(year, month, day, h, mi, sec) - (Number.isNaN(off) ? 0 : off) * 60_000;
}

/** "2026/11/20 14:02:09" (nginx error log, local time) → ms as if UTC. */
export function parseSlashTime(s: string): number {
  return Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2));
}

/** "20-Nov-2026 14:02:09" (PHP-FPM, local time) → ms as if UTC. */
export function parseDashMonthTime(s: string): number {
  const month = MONTHS[s.slice(3, 6)];
  if (month === undefined) return NaN;
  return Date.UTC(digits(s, 7, 4), month, digits(s, 0, 2), digits(s, 12, 2), digits(s, 15, 2), digits(s, 18, 2));
}

export interface IsoTime {
  /** Epoch ms; when `zoned` is false, the wall-clock time as if it were UTC. */
  readonly ms: number;
  readonly zoned: boolean;
  /** How many characters of the input the time used. */
  readonly length: number;
}

/**
 * ISO-like times at the start of `s`: "2026-11-20T14:02:09.123Z", "2026-11-20 14:02:09,123",
 * "2026-11-20 14:02:09 +0000". Returns undefined when `s` does not start with one.
 */
export function parseIsoPrefix(s: string): IsoTime | undefined {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return undefined;
  if (s[10] !== 'T' && s[10] !== ' ') return undefined;
  const base = Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2));
  if (Number.isNaN(base)) return undefined;
  let i = 19;
  let frac = 0;
  if (s[i] === '.' || s[i] === ',') {
    let scale = 100;
    i++;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
      frac += (s.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  let j = i;
  if (s[j] === ' ' && (s[j + 1] === '+' || s[j + 1] === '-')) j++;
  if (s[j] === 'Z') return { ms: base + Math.floor(frac), zoned: true, length: j + 1 };
  if (s[j] === '+' || s[j] === '-') {
    const colon = s[j + 3] === ':';
    const raw = colon ? s.slice(j, j + 6) : s.slice(j, j + 5);
    const off = parseOffset(raw);
    if (!Number.isNaN(off)) return { ms: base + Math.floor(frac) - off * 60_000, zoned: true, length: j + raw.length };
  }
  return { ms: base + Math.floor(frac), zoned: false, length: i };
}

/** ctime text "Sun Nov 22 21:04:17 2026" (uWSGI, Apache 2.2) → ms as if UTC; NaN when unreadable. */
export function parseCtime(s: string): number {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})/.exec(s);
  const month = m ? MONTHS[m[1] ?? ''] : undefined;
  if (!m || month === undefined) return NaN;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** Parses any time string fivexx accepts on the command line or in a changes log. */
export function parseAnyTime(s: string): IsoTime | undefined {
  const iso = parseIsoPrefix(s);
  if (iso) return iso;
  if (/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:/.test(s)) {
    const ms = parseClfTime(s);
    if (!Number.isNaN(ms)) return { ms, zoned: s.length >= 26, length: s.length >= 26 ? 26 : 20 };
  }
  if (/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/.test(s)) return { ms: parseSlashTime(s), zoned: false, length: 19 };
  if (/^\d{10}(?:\.\d+)?$/.test(s.trim())) return { ms: Math.round(Number(s.trim()) * 1000), zoned: true, length: s.length };
  return undefined;
}

/** Epoch ms → "2026-11-20T14:02:09Z" (milliseconds kept only when non-zero). */
export function toIso(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}
