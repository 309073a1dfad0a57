// Parses a catalog sample line with the named format, exactly as a log file would be read.
import type { AccessEvent, LogRecord } from '../events/types.ts';
import type { LogFormat } from './formats.ts';

export function parseSample(formats: readonly LogFormat[], formatName: string, text: string): AccessEvent | LogRecord | string {
  const format = formats.find((f) => f.name === formatName);
  if (!format) return `unknown format '${formatName}'`;
  const parsed = format.kind === 'access'
    ? format.access.parse(text, 0, 1) ?? format.fallback?.parse(text, 0, 1)
    : format.records.parse(text, 0, 1);
  return parsed ?? `format '${formatName}' cannot read the sample`;
}
