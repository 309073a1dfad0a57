// Parses a catalog sample line with the named format, exactly as a log file would be read.
import type { AccessEvent, LogRecord } from '../events/types.ts';
import { atReference } from '../parse/record.ts';
import type { LogFormat } from './formats.ts';

/** Samples are read as a log last written at the end of 2026 (when they were recorded), not by the wall clock. */
export const SAMPLE_REFERENCE = Date.UTC(2026, 11, 31, 23, 59, 59);

export function parseSample(formats: readonly LogFormat[], formatName: string, text: string): AccessEvent | LogRecord | string {
  const format = formats.find((f) => f.name === formatName);
  if (!format) return `unknown format '${formatName}'`;
  const parsed = format.kind === 'access'
    ? format.access.parse(text, 0, 1) ?? (format.fallback && atReference(format.fallback, SAMPLE_REFERENCE).parse(text, 0, 1))
    : atReference(format.records, SAMPLE_REFERENCE).parse(text, 0, 1);
  return parsed ?? `format '${formatName}' cannot read the sample`;
}
