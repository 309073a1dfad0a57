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
import { albAccess, envoyAccess, traefikAccess } from '../parse/gateway-access.ts';
import { haproxyEvents, haproxyHttp } from '../parse/haproxy.ts';
import { COMBINED, compileLogFormat, type AccessParser, type CompileOptions } from '../parse/nginx-log-format.ts';
import { nginxError } from '../parse/nginx-error.ts';
import { phpFpm } from '../parse/php-fpm.ts';
import type { RecordParser } from '../parse/record.ts';
import { CATALOG_DIR } from './paths.ts';
import { FieldReader, readYamlTree } from './yaml-files.ts';

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

const RECORD_PARSERS: Record<string, RecordParser> = {
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

function buildFormat(file: string, data: unknown): LogFormat {
  const f = FieldReader.of(file, data);
  const name = f.string('name');
  const parser = f.string('parser');
  const description = f.string('description');
  const samples = f.list('samples').map((s) => ({ text: s.string('text'), fields: (s.raw('fields') ?? {}) as Record<string, unknown> }));
  if (parser === 'nginx-log-format') {
    const options = { kvTail: f.bool('kvTail'), optionalAfter: f.string('optionalAfter', true) || undefined, noStatus: f.bool('noStatus') };
    const logFormat = f.string('logFormat');
    const scan = f.string('scan', true);
    // The fast path reads exactly combined + key=value tail, lines ending after $body_bytes_sent allowed.
    if (scan && (scan !== 'combined' || logFormat !== COMBINED || !options.kvTail || options.optionalAfter !== 'body_bytes_sent' || options.noStatus)) {
      throw new Error(`${file}: scan: ${scan} needs logFormat combined, kvTail: true, optionalAfter: body_bytes_sent`);
    }
    return { ...accessFormat(name, logFormat, options), description, samples, ...(scan ? { scan: 'combined' as const } : {}) };
  }
  const simple: Record<string, AccessParser> = { envoy: envoyAccess, alb: albAccess, traefik: traefikAccess };
  const plain = simple[parser];
  if (plain) return { name, kind: 'access', description, access: plain, samples };
  if (parser === 'caddy') {
    return { name, kind: 'access', description, access: caddyAccess, fallback: caddyEvents, samples };
  }
  if (parser === 'haproxy-http') {
    return { name, kind: 'access', description, access: haproxyHttp, fallback: haproxyEvents, samples };
  }
  const records = RECORD_PARSERS[parser];
  if (!records) throw new Error(`${file}: unknown parser '${parser}'`);
  return { name, kind: records.kind, description, producer: f.string('producer', true) as Producer | '', records, samples };
}

/** Line parsers a format can fall back to, line by line, by name (`alsoReads` in a format file). */
const LINE_VARIANTS: Record<string, AccessParser> = { 'combined-prefixed': combinedPrefixed };

/** Formats that also read other shapes of line, line by line (a combined log with some vhost lines). */
function withAlternates(formats: LogFormat[], alsoReads: Map<string, string[]>): LogFormat[] {
  const byName = new Map(formats.map((f) => [f.name, f]));
  return formats.map((f) => {
    const others = (alsoReads.get(f.name) ?? []).map((n) => {
      const o = byName.get(n);
      return LINE_VARIANTS[n] ?? (o?.kind === 'access' ? o.access : undefined);
    }).filter((o): o is AccessParser => o !== undefined);
    if (f.kind !== 'access' || others.length === 0) return f;
    const parsers = [f.access, ...others];
    return { ...f, access: { parse: (line, source, lineNo) => { for (const p of parsers) { const e = p.parse(line, source, lineNo); if (e) return e; } return undefined; } } };
  });
}

let cached: LogFormat[] | undefined;

/** Every format of the catalog, in detection order (the order of their `order` field). */
export function loadFormats(dir = join(CATALOG_DIR, 'formats')): LogFormat[] {
  if (cached && dir === join(CATALOG_DIR, 'formats')) return cached;
  const files = readYamlTree(dir);
  const alsoReads = new Map<string, string[]>();
  const formats = withAlternates(
    files
      .map((y) => {
        const f = FieldReader.of(y.path, y.data);
        const format = buildFormat(y.path, y.data);
        alsoReads.set(format.name, f.strings('alsoReads'));
        return { order: f.number('order', 100), format };
      })
      .sort((a, b) => a.order - b.order)
      .map((x) => x.format),
    alsoReads,
  );
  if (dir === join(CATALOG_DIR, 'formats')) cached = formats;
  return formats;
}
