// Reads durations ("90s", "5m", "2h", "1d", plain seconds) and times (ISO, or a duration ago) from flags.
import { parseAnyTime } from '../parse/time.ts';

export function parseDuration(s: string): number | undefined {
  const m = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m|h|d)?$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1000;
  return n * factor;
}

/** An ISO time (zone-less means UTC) or a duration before `now`. */
export function parseTimeFlag(s: string, now: number): number | undefined {
  const t = parseAnyTime(s);
  if (t) return t.ms;
  const d = parseDuration(s);
  return d === undefined ? undefined : now - d;
}
