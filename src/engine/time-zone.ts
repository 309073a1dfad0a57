// Converts local wall-clock times (logs written without an offset) to UTC, for a fixed offset or an IANA zone.
import { parseOffset } from '../parse/time.ts';

export type ZoneResult = { ok: true; toUtc: (localMs: number) => number; describe: string } | { ok: false; error: string };

function ianaOffsetMinutes(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** "+01:00", "-0500", "UTC", "Z" or an IANA name such as "Europe/Berlin". */
export function zone(spec: string): ZoneResult {
  if (/^(?:UTC|GMT|Z)$/i.test(spec)) return { ok: true, toUtc: (ms) => ms, describe: 'UTC' };
  const fixed = parseOffset(spec);
  if (!Number.isNaN(fixed)) return { ok: true, toUtc: (ms) => ms - fixed * 60_000, describe: spec };
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: spec });
  } catch {
    return { ok: false, error: `--tz ${spec}: not an offset (+01:00) or a time-zone name (Europe/Berlin)` };
  }
  const cache = new Map<number, number>();
  return {
    ok: true,
    describe: spec,
    toUtc(localMs) {
      const hour = Math.floor(localMs / 3_600_000);
      let off = cache.get(hour);
      if (off === undefined) {
        const guess = ianaOffsetMinutes(spec, localMs);
        off = ianaOffsetMinutes(spec, localMs - guess * 60_000);
        cache.set(hour, off);
      }
      return localMs - off * 60_000;
    },
  };
}

/** A fixed-offset zone in minutes east of UTC. */
export function fixedZone(minutes: number): (localMs: number) => number {
  return (ms) => ms - minutes * 60_000;
}
