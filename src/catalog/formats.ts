// Loads the log formats of catalog/formats: each file names a parser and carries sample lines it must read.
import { join } from 'node:path';
import type { LogKind, Producer } from '../events/types.ts';
import { apacheError } from '../parse/apache-error.ts';
import { appText } from '../parse/app-text.ts';
import { syslogFile } from '../parse/syslog-file.ts';
import { uwsgi } from '../parse/uwsgi.ts';
import { varnishlog } from '../parse/varnishlog.ts';
import { jsonLines } from '../parse/json-lines.ts';
import { caddyAccess, caddyEvents } from '../parse/caddy.ts';
import { combinedPrefixed } from '../parse/combined-prefixed.ts';
import { clfVariants } from '../parse/clf-variants.ts';
import { npmProxyAccess } from '../parse/npm-proxy.ts';
import { jsonAccess } from '../parse/json-access.ts';
import { squidAccess } from '../parse/squid.ts';
import { w3cAccess, w3cDirectives } from '../parse/w3c.ts';
import { albAccess, envoyAccess, traefikAccess } from '../parse/gateway-access.ts';
import { haproxyEvents, haproxyHttp } from '../parse/haproxy.ts';
import { COMBINED, compileLogFormat, type AccessParser, type CompileOptions } from '../parse/nginx-log-format.ts';
import { nginxError } from '../parse/nginx-error.ts';
import { phpFpm } from '../parse/php-fpm.ts';
import type { RecordParser } from '../parse/record.ts';
import { CATALOG_DIR } from './paths.ts';
import { FivexxError } from '../errors/codes.ts';
import { readCheckedTree } from './checked.ts';
import type { FormatFile } from './schema.ts';

export interface FormatSample {
  readonly text: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface AccessFormat {
  readonly name: string;
  readonly kind: 'access';
  readonly description: string;
  readonly access: AccessParser;
  /** Reads the lines of the same file that are not requests (HAProxy's server messages). */
  readonly fallback?: RecordParser;
  /** 'combined': plain files of this format may take the byte-level fast path (src/sources/combined-scan.ts). */
  readonly scan?: 'combined';
  readonly samples: readonly FormatSample[];
}

export interface RecordFormat {
  readonly name: string;
  readonly kind: Exclude<LogKind, 'access'>;
  readonly description: string;
  readonly producer: Producer | '';
  readonly records: RecordParser;
  readonly samples: readonly FormatSample[];
}

export type LogFormat = AccessFormat | RecordFormat;

const RECORD_PARSERS: Partial<Record<string, RecordParser>> = {
  'nginx-error': nginxError,
  'apache-error': apacheError,
  'php-fpm': phpFpm,
  'json-lines': jsonLines,
  'app-text': appText,
  uwsgi,
  syslog: syslogFile,
  varnishlog,
};

/** Builds an access format from an nginx log_format string (from --log-format or --nginx-conf). */
export function accessFormat(name: string, logFormat: string, options: CompileOptions = {}): AccessFormat {
  return { name, kind: 'access', description: `log format ${logFormat}`, access: compileLogFormat(logFormat, options), samples: [] };
}

/** A `fallback:` parser: it reads the stream's other lines, but never proves the format alone (that takes requests). */
function withoutProof(p: RecordParser | undefined): RecordParser | undefined {
  if (!p) return undefined;
  const at = p.atReference?.bind(p);
  return {
    kind: p.kind, isStart: (l) => p.isStart(l), continues: (l, h, n, prev) => p.continues(l, h, n, prev), parse: (t, s, l) => p.parse(t, s, l),
    ...(at ? { atReference: (r: number) => withoutProof(at(r)) ?? at(r) } : {}),
  };
}

function buildFormat(file: string, f: FormatFile): LogFormat {
  const { name, parser, description } = f;
  const samples = f.samples.map((s) => ({ text: s.text, fields: s.fields ?? {} }));
  const fallback = f.fallback ? withoutProof(RECORD_PARSERS[f.fallback]) : undefined;
  if (parser === 'nginx-log-format') {
    const options = { kvTail: f.kvTail ?? false, optionalAfter: f.optionalAfter, noStatus: f.noStatus ?? false };
    const logFormat = f.logFormat;
    if (!logFormat) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${file}: parser nginx-log-format needs a logFormat`);
    // The fast path reads exactly combined + key=value tail, lines ending after $body_bytes_sent allowed.
    if (f.scan && (logFormat !== COMBINED || !options.kvTail || options.optionalAfter !== 'body_bytes_sent' || options.noStatus)) {
      throw new FivexxError('FIVEXX_CATALOG_INVALID', `${file}: scan: ${f.scan} needs logFormat combined, kvTail: true, optionalAfter: body_bytes_sent`);
    }
    return { ...accessFormat(name, logFormat, options), description, samples, ...(f.scan ? { scan: 'combined' as const } : {}), ...(fallback ? { fallback } : {}) };
  }
  const simple: Partial<Record<string, AccessParser>> = { envoy: envoyAccess, alb: albAccess, traefik: traefikAccess, 'nginx-proxy-manager': npmProxyAccess, 'json-access': jsonAccess, squid: squidAccess };
  const plain = simple[parser];
  if (plain) return { name, kind: 'access', description, access: plain, samples, ...(fallback ? { fallback } : {}) };
  if (parser === 'caddy') {
    return { name, kind: 'access', description, access: caddyAccess, fallback: caddyEvents, samples };
  }
  if (parser === 'w3c') {
    return { name, kind: 'access', description, access: w3cAccess, fallback: w3cDirectives, samples };
  }
  if (parser === 'haproxy-http') {
    return { name, kind: 'access', description, access: haproxyHttp, fallback: haproxyEvents, samples };
  }
  const records = RECORD_PARSERS[parser];
  if (!records) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${file}: unknown parser '${parser}'`);
  return { name, kind: records.kind, description, producer: f.producer ?? '', records, samples };
}

/** Line parsers a format can fall back to, line by line, by name (`alsoReads` in a format file). */
const LINE_VARIANTS: Partial<Record<string, AccessParser>> = { 'combined-prefixed': combinedPrefixed, 'clf-variants': clfVariants };

/** Formats that also read other shapes of line, line by line (a combined log with some vhost lines). */
function withAlternates(formats: LogFormat[], alsoReads: Map<string, string[]>): LogFormat[] {
  const byName = new Map(formats.map((f) => [f.name, f]));
  return formats.map((f) => {
    const others = (alsoReads.get(f.name) ?? []).map((n) => {
      const o = byName.get(n);
      const parser = LINE_VARIANTS[n] ?? (o?.kind === 'access' ? o.access : undefined);
      if (!parser) throw new FivexxError('FIVEXX_CATALOG_INVALID', `format ${f.name}: alsoReads names '${n}', which is neither an access format nor a line variant`);
      return parser;
    });
    if (f.kind !== 'access' || others.length === 0) return f;
    const parsers = [f.access, ...others];
    return { ...f, access: { parse: (line, source, lineNo) => { for (const p of parsers) { const e = p.parse(line, source, lineNo); if (e) return e; } return undefined; } } };
  });
}

let cached: LogFormat[] | undefined;

/** Every format of the catalog, in detection order (the order of their `order` field). */
export function loadFormats(dir = join(CATALOG_DIR, 'formats')): LogFormat[] {
  if (cached && dir === join(CATALOG_DIR, 'formats')) return cached;
  const files = readCheckedTree('format', dir);
  const alsoReads = new Map<string, string[]>();
  for (const y of files) {
    if (alsoReads.has(y.data.name)) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${y.path}: duplicate format name '${y.data.name}'`);
    alsoReads.set(y.data.name, y.data.alsoReads ?? []);
  }
  const formats = withAlternates(
    files
      .map((y) => {
        return { order: y.data.order ?? 100, format: buildFormat(y.path, y.data) };
      })
      .sort((a, b) => a.order - b.order)
      .map((x) => x.format),
    alsoReads,
  );
  if (dir === join(CATALOG_DIR, 'formats')) cached = formats;
  return formats;
}
