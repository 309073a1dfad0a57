// JSON access logs read by their fields: nginx `log_format … escape=json` with the field names people choose,
// Envoy/Istio JSON (`response_code`, `response_flags`, `upstream_host`), and others. A JSON line with a status
// and a request (or a method and a URI/path) is an access line, not an application log with no requests.
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';
import { parseAnyTime } from './time.ts';

type Obj = Record<string, unknown>;

const STATUS = ['EdgeResponseStatus', 'status', 'response_code', 'status_code', 'statusCode', 'http_status', 'response_status'];
const TIME = ['EdgeStartTimestamp', 'time', 'timestamp', '@timestamp', 'start_time', 'time_iso8601', 'time_local', 'ts', 'date'];
const REQUEST = ['request', 'request_line'];
const METHOD = ['ClientRequestMethod', 'method', 'request_method', 'http_method'];
const PATH = ['ClientRequestURI', 'request_uri', 'uri', 'path', 'x-envoy-origin-path', ':path', 'url', 'request_path'];
const CLIENT = ['ClientIP', 'remote_addr', 'client_ip', 'client', 'remote_ip', 'downstream_remote_address', 'x-forwarded-for', 'x_forwarded_for'];
const HOST = ['ClientRequestHost', 'host', 'http_host', ':authority', 'authority', 'server_name', 'vhost'];
const UPSTREAM = ['upstream_addr', 'upstream_host', 'upstream'];

function first(o: Obj, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = o[k];
    if (v !== undefined && v !== null && v !== '' && v !== '-') return v;
  }
  return undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A status as a number 100–599, from a number or a numeric string. */
function statusOf(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : NaN;
  return n >= 100 && n <= 599 ? n : undefined;
}

function requestOf(o: Obj): { method: string; path: string } | undefined {
  const req = str(first(o, REQUEST));
  const m = /^([A-Z]{1,20}) (\S{1,16000})(?: HTTP\/[\d.]{1,3})?$/.exec(req);
  if (m) return { method: m[1] ?? '', path: m[2] ?? '' };
  const method = str(first(o, METHOD));
  const path = str(first(o, PATH));
  if (!method || !path) return undefined;
  return { method, path: /^https?:\/\//.test(path) ? path.replace(/^https?:\/\/[^/]{0,300}/, '') || '/' : path };
}

/** An ISO/CLF time string, or epoch seconds, ms, µs or ns as a number (Cloudflare's EdgeStartTimestamp is ns). */
function timeOf(v: unknown): { ms: number; zoned: boolean } | undefined {
  if (typeof v !== 'number') return parseAnyTime(str(v));
  const ms = v > 1e17 ? v / 1e6 : v > 1e14 ? v / 1e3 : v > 1e11 ? v : v * 1000;
  return Number.isFinite(ms) ? { ms: Math.round(ms), zoned: true } : undefined;
}

/** `"1.2.3.4:5678"` → `1.2.3.4`; `"a, b"` → `a`. */
function addressOf(v: string): string {
  const a = v.split(',')[0]?.trim() ?? '';
  return /^[\d.]{7,15}:\d{1,5}$/.test(a) ? a.slice(0, a.lastIndexOf(':')) : a;
}

export const jsonAccess: AccessParser = {
  parse(line, source, lineNo): AccessEvent | undefined {
    if (line.charCodeAt(0) !== 123 || line.charCodeAt(line.length - 1) !== 125) return undefined;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const o = v as Obj;
    const status = statusOf(first(o, STATUS));
    const req = requestOf(o);
    if (status === undefined || !req) return undefined;
    const t = timeOf(first(o, TIME));
    const flags = str(o.response_flags);
    const envoy = 'response_flags' in o || 'upstream_cluster' in o;
    const cloudflare = 'EdgeResponseStatus' in o;
    const upstream = str(first(o, UPSTREAM));
    const rt = Number(first(o, ['request_time', 'duration']));
    return {
      kind: 'access', source, line: lineNo, time: t?.ms ?? NaN, zoned: t?.zoned ?? true, status, method: req.method, path: req.path,
      client: addressOf(str(first(o, CLIENT))), host: str(first(o, HOST)), bytes: Number(first(o, ['body_bytes_sent', 'bytes_sent', 'size'])) || 0,
      requestTime: Number.isFinite(rt) ? (envoy ? rt / 1000 : rt) : NaN, upstreamAddr: upstream,
      upstreamStatus: str(o.upstream_status), upstreamConnectTime: str(o.upstream_connect_time), upstreamHeaderTime: str(o.upstream_header_time),
      upstreamResponseTime: str(o.upstream_response_time), termination: envoy ? (flags === '-' || flags === '' ? 'OK' : flags) : '',
      producer: envoy ? 'envoy' : '', text: line, ...(cloudflare ? { bytes: Number(o.EdgeResponseBytes) || 0 } : {}),
    };
  },
};
