// Access logs of gateways that cannot run in the lab, read from their documented formats:
// Envoy's default access log, AWS ALB access logs and Traefik's JSON access log.
// Their "termination" says who generated the response: Envoy's response flags, or a two-letter code.
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';
import { quotedFields, splitRequestLine } from './quoted-fields.ts';
import { parseIsoPrefix } from './time.ts';

function event(source: number, line: number, text: string, f: Partial<AccessEvent> & Pick<AccessEvent, 'time' | 'status' | 'producer'>): AccessEvent {
  return {
    kind: 'access', source, line, method: '', path: '', client: '', host: '', bytes: 0, requestTime: NaN, upstreamAddr: '',
    upstreamStatus: '', upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '', termination: '', zoned: true, text, ...f,
  };
}

/**
 * Envoy default format: [START_TIME] "METHOD PATH PROTOCOL" RESPONSE_CODE RESPONSE_FLAGS BYTES_RECEIVED
 * BYTES_SENT DURATION UPSTREAM_SERVICE_TIME "X-FORWARDED-FOR" "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST"
 */
export const envoyAccess: AccessParser = {
  parse(line, source, lineNo) {
    if (line[0] !== '[') return undefined;
    const close = line.indexOf('] "');
    const t = parseIsoPrefix(line.slice(1, close));
    if (close < 0 || !t) return undefined;
    const f = quotedFields(line.slice(close + 2));
    const status = Number(f[1]);
    if (f.length < 8 || !Number.isInteger(status) || !/^[A-Z,-]{1,80}$/.test(f[2] ?? '')) return undefined;
    const { method, path } = splitRequestLine(f[0] ?? '');
    const upstream = f[11] ?? '';
    return event(source, lineNo, line, {
      time: t.ms, zoned: t.zoned, status, method, path, producer: 'envoy', termination: f[2] === '-' ? 'OK' : (f[2] ?? ''),
      bytes: Number(f[4]) || 0, requestTime: Number(f[5]) / 1000, client: (f[7] ?? '').split(',')[0] ?? '', host: f[10] ?? '',
      upstreamAddr: upstream === '-' ? '' : upstream,
    });
  },
};

/**
 * AWS ALB: type time elb client:port target:port request_processing_time target_processing_time
 * response_processing_time elb_status_code target_status_code received_bytes sent_bytes "request" … (more fields appended over time).
 */
export const albAccess: AccessParser = {
  parse(line, source, lineNo) {
    if (!/^(?:https?|h2|grpcs|ws|wss) \d{4}-/.test(line)) return undefined;
    const f = quotedFields(line);
    const t = parseIsoPrefix(f[1] ?? '');
    const status = Number(f[8]);
    if (!t || !Number.isInteger(status) || f.length < 13) return undefined;
    const { method, path } = splitRequestLine(f[12] ?? '');
    const target = f[4] ?? '-';
    const targetStatus = f[9] ?? '-';
    const tpt = f[6] ?? '-';
    return event(source, lineNo, line, {
      time: t.ms, status, method, path, producer: 'alb', client: (f[3] ?? '').replace(/:\d{1,5}$/, ''),
      upstreamAddr: target === '-' ? '' : target, upstreamStatus: targetStatus, upstreamHeaderTime: tpt === '-1' ? '-' : tpt,
      termination: targetStatus === '-' ? (target === '-' ? 'G-' : 'GT') : 'T+', bytes: Number(f[11]) || 0,
    });
  },
};

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Traefik JSON access log: DownstreamStatus, OriginStatus (0 when Traefik answered itself), ServiceAddr… */
export const traefikAccess: AccessParser = {
  parse(line, source, lineNo) {
    if (line[0] !== '{' || !line.includes('"DownstreamStatus"')) return undefined;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const status = o.DownstreamStatus;
    const t = parseIsoPrefix(text(o.StartUTC) || text(o.time));
    if (typeof status !== 'number' || !t) return undefined;
    const origin = typeof o.OriginStatus === 'number' ? o.OriginStatus : 0;
    const duration = typeof o.Duration === 'number' ? o.Duration / 1e9 : NaN;
    return event(source, lineNo, line, {
      time: t.ms, status, producer: 'traefik', method: text(o.RequestMethod), path: text(o.RequestPath),
      client: text(o.ClientHost), host: text(o.RequestHost), requestTime: duration,
      upstreamAddr: text(o.ServiceAddr), upstreamStatus: origin ? String(origin) : '-', termination: origin === 0 ? 'G-' : 'O+',
    });
  },
};
