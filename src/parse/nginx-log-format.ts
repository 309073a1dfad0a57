// Compiles an nginx `log_format` string into a scanner that reads access-log lines without regexes.
import type { AccessEvent } from '../events/types.ts';
import { OPEN_TAIL_LIMIT } from './line-shapes.ts';
import { adjacentWarnings, splitAdjacent } from './adjacent-variables.ts';
import { parseClfTime, parseIsoPrefix } from './time.ts';

export const COMBINED =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

type Token = { readonly lit: string } | { readonly name: string };

interface Step {
  readonly name: string;
  /** Variables written side by side with this one (`$host$request_uri`): their text is read as one and split. */
  readonly run: readonly string[];
  /** The literal that ends this variable's value; '' for the last token of the line. */
  readonly term: string;
  readonly multi: boolean;
}

/** Mutable draft of an access event while a line is read. */
interface Draft {
  time: number;
  status: number;
  method: string;
  path: string;
  client: string;
  xff: string;
  host: string;
  bytes: number;
  requestTime: number;
  upstreamAddr: string;
  upstreamStatus: string;
  upstreamConnectTime: string;
  upstreamHeaderTime: string;
  upstreamResponseTime: string;
  zoned: boolean;
}

/** Anything that reads one access-log line into an event. */
export interface AccessParser {
  parse(line: string, source: number, lineNo: number): AccessEvent | undefined;
}

export interface LogFormatParser extends AccessParser {
  readonly format: string;
  /** Variables the format has (without `$`). */
  readonly variables: readonly string[];
  /** Coded warnings about the format (variables side by side that cannot be told apart). */
  readonly warnings: readonly string[];
}

/** The coded warnings of a compiled log_format (none for other access parsers). */
export function formatWarnings(p: AccessParser): readonly string[] {
  return 'warnings' in p && Array.isArray(p.warnings) ? p.warnings.filter((w): w is string => typeof w === 'string') : [];
}

/** Splits a log_format string into literals and variables (`$name` or `${name}`). */
export function tokenize(format: string): Token[] {
  const out: Token[] = [];
  let lit = '';
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c === '$') {
      let j = i + 1;
      let name = '';
      if (format[j] === '{') {
        const close = format.indexOf('}', j);
        if (close < 0) break;
        name = format.slice(j + 1, close);
        j = close + 1;
      } else {
        while (j < format.length && /[A-Za-z0-9_]/.test(format[j] ?? '')) j++;
        name = format.slice(i + 1, j);
      }
      if (name) {
        if (lit) out.push({ lit });
        lit = '';
        out.push({ name });
        i = j;
        continue;
      }
    }
    lit += c;
    i++;
  }
  if (lit) out.push({ lit });
  return out;
}

const MULTI_VALUE = /^(?:upstream_|http_x_forwarded_for$)/;

/** Finds where an unquoted multi-value variable ends: its values are joined by ", " and " : ". */
function findEnd(line: string, from: number, term: string, multi: boolean): number {
  let at = line.indexOf(term, from);
  if (!multi || term[0] !== ' ') return at;
  while (at > 0) {
    const prev = line[at - 1];
    const joinComma = prev === ',';
    const joinColon = line[at + 1] === ':' && line[at + 2] === ' ';
    const afterColon = prev === ':' && line[at - 2] === ' ';
    if (!joinComma && !joinColon && !afterColon) return at;
    at = line.indexOf(term, at + 1);
  }
  return at;
}

/** "http://host:80/a?b" (absolute form, as varnishncsa logs it) → "/a?b". */
function originForm(target: string): string {
  if (!target.startsWith('http://') && !target.startsWith('https://')) return target;
  const slash = target.indexOf('/', target.indexOf('//') + 2);
  return slash < 0 ? '/' : target.slice(slash);
}

/** A host name (with an optional port) directly followed by a URI path. */
const HOST_THEN_URI = /^([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::\d{1,5})?)(\/[^ ]*)$/;

function assign(d: Draft, name: string, v: string): boolean {
  switch (name) {
    case 'remote_addr':
    case 'realip_remote_addr':
      d.client = v;
      // A forwarded chain "a, b" is one value; any other space means the line has another shape.
      return v !== '' && (v.indexOf(' ') < 0 || v.split(', ').every((part) => part.indexOf(' ') < 0));
    case 'http_x_forwarded_for':
      d.xff = v;
      return true;
    case 'time_local':
      d.time = parseClfTime(v);
      return !Number.isNaN(d.time);
    case 'time_iso8601': {
      const t = parseIsoPrefix(v);
      d.time = t?.ms ?? NaN;
      d.zoned = t?.zoned ?? true;
      return true;
    }
    case 'request_time_us':
      d.requestTime = Number(v) / 1e6;
      return true;
    case 'msec':
      d.time = Math.round(Number(v) * 1000);
      return true;
    case 'request': {
      const sp = v.indexOf(' ');
      const hostFirst = sp < 0 ? HOST_THEN_URI.exec(v) : null;
      if (hostFirst) {
        // "$host$request_uri" logged where "$request" usually is: "example.com/path?q".
        if (!d.host) d.host = hostFirst[1] ?? '';
        d.path = hostFirst[2] ?? '';
      } else if (sp > 0) {
        d.method = v.slice(0, sp);
        const sp2 = v.lastIndexOf(' ');
        d.path = originForm(sp2 > sp ? v.slice(sp + 1, sp2) : v.slice(sp + 1));
      } else d.path = v;
      return true;
    }
    case 'request_method':
      d.method = v;
      return true;
    case 'request_uri':
    case 'uri':
      if (!d.path) d.path = v;
      return true;
    case 'status': {
      const n = Number(v);
      d.status = n;
      return v !== '' && Number.isInteger(n) && n >= 100 && n <= 999;
    }
    case 'body_bytes_sent':
    case 'bytes_sent':
      d.bytes = Number(v);
      return true;
    case 'host':
    case 'http_host':
    case 'server_name':
      if (v !== '-') d.host = v;
      return true;
    case 'request_time':
      d.requestTime = Number(v);
      return true;
    case 'upstream_addr':
      d.upstreamAddr = v;
      return true;
    case 'upstream_status':
      d.upstreamStatus = v;
      return true;
    case 'upstream_connect_time':
      d.upstreamConnectTime = v;
      return true;
    case 'upstream_header_time':
      d.upstreamHeaderTime = v;
      return true;
    case 'upstream_response_time':
      d.upstreamResponseTime = v;
      return true;
    default:
      return true;
  }
}

/** Assigns a step's text: one variable's value, or the values of variables side by side, split. */
function assignStep(d: Draft, step: Step, text: string): boolean {
  if (step.run.length === 1) return assign(d, step.name, text);
  const values = splitAdjacent(text, step.run);
  return step.run.every((name, k) => assign(d, name, values[k] ?? ''));
}

/** Short keys that hand-written `key=value` extensions of `combined` commonly use. */
const KV_KEYS: Record<string, string> = {
  rt: 'request_time', request_time: 'request_time', ua: 'upstream_addr', upstream: 'upstream_addr',
  upstream_addr: 'upstream_addr', us: 'upstream_status', upstream_status: 'upstream_status',
  uct: 'upstream_connect_time', upstream_connect_time: 'upstream_connect_time', uht: 'upstream_header_time',
  upstream_header_time: 'upstream_header_time', urt: 'upstream_response_time',
  upstream_response_time: 'upstream_response_time', host: 'host', vhost: 'host',
};

/** Reads trailing `key=value` / `key="value"` pairs after a known prefix (e.g. combined + timings). */
function readKvTail(d: Draft, line: string, from: number): void {
  let i = from;
  while (i < line.length) {
    while (line[i] === ' ') i++;
    const eq = line.indexOf('=', i);
    if (eq < 0) return;
    const rawKey = line.slice(i, eq);
    const key = rawKey.slice(rawKey.lastIndexOf(' ') + 1);
    let end: number;
    let value: string;
    if (line[eq + 1] === '"') {
      end = line.indexOf('"', eq + 2);
      if (end < 0) return;
      value = line.slice(eq + 2, end);
      end++;
    } else {
      end = line.indexOf(' ', eq + 1);
      if (end < 0) end = line.length;
      value = line.slice(eq + 1, end);
    }
    const name = KV_KEYS[key];
    if (name) assign(d, name, value);
    i = end;
  }
}

/**
 * Compiles `format` into a parser. With `kvTail`, text after the last variable is read as
 * `key=value` pairs, which covers the common hand-written extensions of `combined`.
 */
export interface CompileOptions {
  /** Read trailing `key=value` pairs after the last variable. */
  readonly kvTail?: boolean;
  /** A line may end after this variable (CLF lines in a combined log stop after $body_bytes_sent). */
  readonly optionalAfter?: string;
  /** The line has no status (Apache's ssl_request_log): accept it with status 0. */
  readonly noStatus?: boolean;
}

export function compileLogFormat(format: string, kvTailOrOptions: boolean | CompileOptions = false): LogFormatParser {
  const options: CompileOptions = typeof kvTailOrOptions === 'boolean' ? { kvTail: kvTailOrOptions } : kvTailOrOptions;
  const kvTail = options.kvTail ?? false;
  const tokens = tokenize(format);
  let lead = '';
  let k = 0;
  const first = tokens[0];
  if (first && 'lit' in first) {
    lead = first.lit;
    k = 1;
  }
  const steps: Step[] = [];
  for (; k < tokens.length; k++) {
    const t = tokens[k];
    if (!t || !('name' in t)) continue;
    const run = [t.name];
    for (let n = tokens[k + 1]; n && 'name' in n; n = tokens[k + 1]) {
      run.push(n.name);
      k++;
    }
    const next = tokens[k + 1];
    const term = next && 'lit' in next ? next.lit : '';
    const last = run[run.length - 1] ?? t.name;
    steps.push({ name: t.name, run, term, multi: MULTI_VALUE.test(last) });
  }
  const variables = steps.flatMap((s) => s.run);
  const warnings = adjacentWarnings(format, steps.filter((s) => s.run.length > 1).map((s) => s.run));
  const hasStatus = variables.includes('status') || options.noStatus === true;

  const parse = (line: string, source: number, lineNo: number): AccessEvent | undefined => {
    if (!hasStatus || !line.startsWith(lead)) return undefined;
    const d: Draft = {
      time: NaN, status: 0, method: '', path: '', client: '', xff: '', host: '', bytes: 0, requestTime: NaN,
      upstreamAddr: '', upstreamStatus: '', upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '', zoned: true,
    };
    let p = lead.length;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k];
      if (!step) break;
      let value: string;
      if (step.term === '') {
        if (kvTail) {
          const sp = line.indexOf(' ', p);
          value = sp < 0 ? line.slice(p) : line.slice(p, sp);
          p = sp < 0 ? line.length : sp;
        } else {
          value = line.slice(p);
          p = line.length;
        }
      } else {
        const end = findEnd(line, p, step.term, step.multi);
        if (end < 0 && k === steps.length - 1 && line.length - p < OPEN_TAIL_LIMIT) {
          // A line cut short at the end (a truncated user agent): the last value runs to the end.
          if (!assignStep(d, step, line.slice(p))) return undefined;
          p = line.length;
          break;
        }
        if (end < 0) {
          if (step.name !== options.optionalAfter) return undefined;
          if (!assignStep(d, step, line.slice(p))) return undefined;
          p = line.length;
          break;
        }
        value = line.slice(p, end);
        p = end + step.term.length;
      }
      if (!assignStep(d, step, value)) return undefined;
    }
    if (kvTail && p < line.length) readKvTail(d, line, p);
    if (d.status === 0 && !options.noStatus) return undefined;
    return {
      kind: 'access', source, line: lineNo, time: d.time, status: d.status, method: d.method, path: d.path,
      client: d.client || d.xff, host: d.host, bytes: Number.isFinite(d.bytes) ? d.bytes : 0,
      requestTime: d.requestTime, upstreamAddr: d.upstreamAddr, upstreamStatus: d.upstreamStatus,
      upstreamConnectTime: d.upstreamConnectTime, upstreamHeaderTime: d.upstreamHeaderTime,
      upstreamResponseTime: d.upstreamResponseTime, termination: '', producer: '', zoned: d.zoned, text: line,
    };
  };
  return { format, variables, warnings, parse };
}
