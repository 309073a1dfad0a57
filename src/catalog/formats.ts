// Loads the log formats of catalog/formats: each file names a parser and carries sample lines it must read.
import { join } from 'node:path';
import type { LogKind, Producer } from '../events/types.ts';
import { apacheError } from '../parse/apache-error.ts';
import { appText } from '../parse/app-text.ts';
import { jsonLines } from '../parse/json-lines.ts';
import { haproxyEvents, haproxyHttp } from '../parse/haproxy.ts';
import { compileLogFormat, type AccessParser } from '../parse/nginx-log-format.ts';
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
};

/** Builds an access format from an nginx log_format string (from --log-format or --nginx-conf). */
export function accessFormat(name: string, logFormat: string, kvTail = false): AccessFormat {
  return { name, kind: 'access', description: `nginx log_format ${logFormat}`, access: compileLogFormat(logFormat, kvTail), samples: [] };
}

function buildFormat(file: string, data: unknown): LogFormat {
  const f = FieldReader.of(file, data);
  const name = f.string('name');
  const parser = f.string('parser');
  const description = f.string('description');
  const samples = f.list('samples').map((s) => ({ text: s.string('text'), fields: (s.raw('fields') ?? {}) as Record<string, unknown> }));
  if (parser === 'nginx-log-format') {
    return { ...accessFormat(name, f.string('logFormat'), f.bool('kvTail')), description, samples };
  }
  if (parser === 'haproxy-http') {
    return { name, kind: 'access', description, access: haproxyHttp, fallback: haproxyEvents, samples };
  }
  const records = RECORD_PARSERS[parser];
  if (!records) throw new Error(`${file}: unknown parser '${parser}'`);
  return { name, kind: records.kind, description, producer: f.string('producer', true) as Producer | '', records, samples };
}

let cached: LogFormat[] | undefined;

/** Every format of the catalog, in detection order (the order of their `order` field). */
export function loadFormats(dir = join(CATALOG_DIR, 'formats')): LogFormat[] {
  if (cached && dir === join(CATALOG_DIR, 'formats')) return cached;
  const files = readYamlTree(dir);
  const formats = files
    .map((y) => ({ order: FieldReader.of(y.path, y.data).number('order', 100), format: buildFormat(y.path, y.data) }))
    .sort((a, b) => a.order - b.order)
    .map((x) => x.format);
  if (dir === join(CATALOG_DIR, 'formats')) cached = formats;
  return formats;
}
