// Reads one log source: detects its format from the first lines, then streams it into events.
import type { LogFormat } from '../catalog/formats.ts';
import type { AccessEvent, LogKind, LogRecord } from '../events/types.ts';
import { detectFormat } from '../parse/detect.ts';
import { MAX_RECORD_CHARS, type RecordParser } from '../parse/record.ts';
import { parseOffset } from '../parse/time.ts';
import { readLines } from './read-lines.ts';

export interface SourceReport {
  readonly path: string;
  readonly format: string;
  readonly kind: LogKind | 'unknown';
  readonly lines: number;
  readonly unparsed: number;
  readonly bytes: number;
  /** Zone offset in minutes written in the log's own times (access logs), NaN when none. */
  readonly offsetMinutes: number;
  readonly warnings: readonly string[];
}

export interface SourceSinks {
  onAccess(e: AccessEvent): void;
  onRecord(r: LogRecord): void;
  onBytes?(bytesSoFar: number): void;
}

const SNIFF_LINES = 64;
const MAX_RECORD_LINES = 400;

/** The zone offset written in an access line ("[20/Nov/2026:14:02:09 +0100]" or ISO "+01:00"). */
export function offsetInLine(line: string): number {
  const clf = /\[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} ([+-]\d{4})\]/.exec(line);
  if (clf?.[1]) return parseOffset(clf[1]);
  const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?([+-]\d{2}:\d{2}|Z)/.exec(line);
  return iso?.[1] ? parseOffset(iso[1]) : NaN;
}

/** True for an empty or whitespace-only line; trims only lines that start with whitespace. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/** Groups physical lines into records and hands parsed records on; counts what it cannot read. */
class RecordAssembler {
  private lines: string[] = [];
  private chars = 0;
  private startLine = 0;
  private prev = '';
  unparsed = 0;
  private lastTime = NaN;
  private pendingUntimed: LogRecord[] = [];

  private readonly parser: RecordParser;
  private readonly source: number;
  private readonly emit: (r: LogRecord) => void;

  constructor(parser: RecordParser, source: number, emit: (r: LogRecord) => void) {
    this.parser = parser;
    this.source = source;
    this.emit = emit;
  }

  push(line: string, lineNo: number): void {
    const open = this.lines.length > 0;
    if (!open && isBlank(line)) return;
    if (!open || !this.parser.continues(line, this.lines[0] ?? '', this.lines.length, this.prev)) {
      this.flush();
      this.startLine = lineNo;
    }
    if (this.lines.length < MAX_RECORD_LINES && this.chars < MAX_RECORD_CHARS) {
      this.lines.push(line);
      this.chars += line.length + 1;
    }
    this.prev = line;
  }

  flush(): void {
    if (this.lines.length === 0) return;
    while (this.lines.length > 1 && (this.lines[this.lines.length - 1] ?? '').trim() === '') this.lines.pop();
    const text = this.lines.join('\n');
    const count = this.lines.length;
    this.lines = [];
    this.chars = 0;
    const rec = this.parser.parse(text, this.source, this.startLine);
    if (!rec) {
      this.unparsed += count;
      return;
    }
    if (Number.isNaN(rec.time)) {
      rec.time = this.lastTime;
      rec.timeMax = Infinity;
      this.pendingUntimed.push(rec);
    } else {
      this.lastTime = rec.time;
      for (const p of this.pendingUntimed) {
        if (Number.isNaN(p.time)) p.time = rec.time;
        p.timeMax = rec.time;
      }
      this.pendingUntimed = [];
    }
    this.emit(rec);
  }

  /** Records after the last timed one keep timeMax = Infinity; a file with no time at all gives none. */
  finish(): void {
    this.flush();
    for (const p of this.pendingUntimed) if (Number.isNaN(p.time)) p.timeMax = NaN;
    this.pendingUntimed = [];
  }
}

/** Reads `path` (a file, .gz or '-') as source number `index`. `forced` skips detection. */
export async function readSource(
  path: string,
  index: number,
  formats: readonly LogFormat[],
  forced: LogFormat | undefined,
  sinks: SourceSinks,
): Promise<SourceReport> {
  let format: LogFormat | undefined = forced;
  let decided = forced !== undefined;
  const sniffed: [string, number][] = [];
  let sniffedNonBlank = 0;
  let unparsed = 0;
  let assembler: RecordAssembler | undefined;
  let offsetMinutes = NaN;

  const handle = (line: string, lineNo: number): void => {
    if (!format) {
      if (!isBlank(line)) unparsed++;
      return;
    }
    if (format.kind === 'access') {
      if (isBlank(line)) return;
      const e = format.access.parse(line, index, lineNo);
      if (e) {
        if (Number.isNaN(offsetMinutes) && e.zoned) offsetMinutes = offsetInLine(line);
        sinks.onAccess(e);
        return;
      }
      if (!format.fallback) {
        unparsed++;
        return;
      }
    }
    const records = format.kind === 'access' ? format.fallback : format.records;
    if (!records) return;
    assembler ??= new RecordAssembler(records, index, (r) => sinks.onRecord(r));
    assembler.push(line, lineNo);
  };

  const decide = (): void => {
    if (!decided) format = detectFormat(formats, sniffed.map(([l]) => l)).format;
    decided = true;
    for (const [l, n] of sniffed) handle(l, n);
    sniffed.length = 0;
  };

  const result = await readLines(path, {
    onLine(line, lineNo) {
      if (decided) return handle(line, lineNo);
      sniffed.push([line, lineNo]);
      if (!isBlank(line)) sniffedNonBlank++;
      if (sniffedNonBlank >= SNIFF_LINES || sniffed.length >= 16 * SNIFF_LINES) decide();
    },
    onBytes: (n) => sinks.onBytes?.(n),
  });
  if (!decided) decide();
  assembler?.finish();
  const warnings: string[] = [];
  if (result.warning) warnings.push(result.warning);
  if (result.oversize > 0) warnings.push(`${result.oversize} over-long line(s) skipped`);
  if (!format && result.lines > 0) warnings.push('unknown log format: no known format reads its first lines');
  return {
    path, format: result.lines === 0 && !result.warning ? 'empty' : format?.name ?? 'unknown', kind: format?.kind ?? 'unknown', lines: result.lines,
    unparsed: unparsed + (assembler?.unparsed ?? 0) + result.oversize, bytes: result.bytes, offsetMinutes, warnings,
  };
}
