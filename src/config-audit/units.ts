// Durations and sizes as each server writes them, in seconds and bytes.

const NGINX_TIME: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
const HAPROXY_TIME: Record<string, number> = { us: 0.000001, ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** nginx time (`30s`, `1m30s`, `500ms`, a bare number is seconds); undefined when not one. */
export function nginxSeconds(text: string): number | undefined {
  if (/^\d{1,9}$/.test(text)) return Number(text);
  let total = 0;
  let rest = text;
  while (rest) {
    const m = /^(\d{1,9})(ms|s|m|h|d|w|M|y)/.exec(rest);
    if (!m?.[1] || !m[2]) return undefined;
    total += Number(m[1]) * (NGINX_TIME[m[2]] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return text ? total : undefined;
}

/** HAProxy time: a bare number is milliseconds. */
export function haproxySeconds(text: string): number | undefined {
  const m = /^(\d{1,12})(us|ms|s|m|h|d)?$/.exec(text);
  if (!m?.[1]) return undefined;
  return Number(m[1]) * (HAPROXY_TIME[m[2] ?? 'ms'] ?? 0);
}

/** PHP-FPM and plain app-server time: a bare number is seconds, s/m/h/d suffixes allowed. */
export function plainSeconds(text: string): number | undefined {
  const m = /^(\d{1,9})(s|m|h|d)?$/.exec(text.trim());
  if (!m?.[1]) return undefined;
  return Number(m[1]) * ({ s: 1, m: 60, h: 3600, d: 86400 }[m[2] ?? 's'] ?? 1);
}

/** nginx size (`4k`, `8K`, `1m`, bytes when bare). */
export function nginxBytes(text: string): number | undefined {
  const m = /^(\d{1,12})([kKmMgG]?)$/.exec(text);
  if (!m?.[1]) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
}

/** A duration for people: `60s`, `2.5s`, `500ms`. */
export function showSeconds(s: number): string {
  return s < 1 ? `${Math.round(s * 1000)}ms` : `${Number(s.toFixed(3))}s`;
}
