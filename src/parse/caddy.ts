// Parses Caddy 2's JSON logs: "handled request" lines of the http.log.access logger become access
// events; its other loggers (http.log.error, reverse_proxy, runtime) become records.
import type { AccessEvent, LogRecord } from '../events/types.ts';
import { jsonLines } from './json-lines.ts';
import type { AccessParser } from './nginx-log-format.ts';
import { makeRecord, type RecordParser } from './record.ts';

type Json = Record<string, unknown>;

function object(text: string): Json | undefined {
  if (text[0] !== '{') return undefined;
  try {
    const o = JSON.parse(text) as unknown;
    return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Json) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const CADDY_LOGGER = /"logger":"(?:http\.|tls|admin|caddy)/;

export const caddyAccess: AccessParser = {
  parse(line: string, source: number, lineNo: number): AccessEvent | undefined {
    if (!line.includes('"logger":"http.log.access')) return undefined;
    const o = object(line);
    if (!o || typeof o.status !== 'number' || typeof o.ts !== 'number') return undefined;
    const req = (o.request ?? {}) as Json;
    const uri = str(req.uri);
    return {
      kind: 'access', source, line: lineNo, time: Math.round(o.ts * 1000), status: o.status, method: str(req.method),
      path: uri, client: str(req.client_ip) || str(req.remote_ip), host: str(req.host), bytes: typeof o.size === 'number' ? o.size : 0,
      requestTime: typeof o.duration === 'number' ? o.duration : NaN, upstreamAddr: '', upstreamStatus: '', upstreamConnectTime: '',
      upstreamHeaderTime: '', upstreamResponseTime: '', termination: '', producer: 'caddy', zoned: true, text: line,
    };
  },
};

/** Caddy's other JSON lines, as records of producer caddy with the request's client. */
export const caddyEvents: RecordParser = {
  kind: 'error',
  isStart: (line) => line[0] === '{',
  continues: () => false,
  proves: (line) => CADDY_LOGGER.test(line),
  parse(text, source, line): LogRecord | undefined {
    const r = jsonLines.parse(text, source, line);
    if (!r || text[0] !== '{') return r;
    const req = ((object(text) ?? {}).request ?? {}) as Json;
    return makeRecord(source, line, {
      time: r.time, timed: r.timed, zoned: r.zoned, level: r.level, producer: 'caddy', message: r.message, text: r.text, pid: r.pid,
      client: str(req.client_ip) || str(req.remote_ip), request: r.request, upstream: r.upstream, host: r.host,
    });
  },
};
