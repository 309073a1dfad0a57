// The lines of one source as they come, from any reader: held for format detection until enough are
// seen, then parsed as access lines or grouped into records (multi-line traces), runs of empty lines
// in bulk; what cannot be read is counted.
import type { LogFormat } from '../catalog/formats.ts';
import type { LogRecord } from '../events/types.ts';
import { detect } from './sniff-head.ts';
import { atReference, MAX_RECORD_CHARS, type RecordParser } from '../parse/record.ts';
import { parseOffset } from '../parse/time.ts';
import type { SourceSinks } from './read-source.ts';

const SNIFF_LINES = 64;
const MAX_RECORD_LINES = 400;

/** True when detection has seen enough lines: 64 non-blank ones, or 16 times as many in all. */
export function sniffDone(lines: number, nonBlank: number): boolean {
  return nonBlank >= SNIFF_LINES || lines >= 16 * SNIFF_LINES;
}

/** The zone offset written in an access line ("[20/Nov/2026:14:02:09 +0100]" or ISO "+01:00"). */
export function offsetInLine(line: string): number {
  const clf = /\[\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} ([+-]\d{4})\]/.exec(line);
  if (clf?.[1]) return parseOffset(clf[1]);
  const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?([+-]\d{2}:\d{2}|Z)/.exec(line);
  return iso?.[1] ? parseOffset(iso[1]) : NaN;
}

/** True for an empty or whitespace-only line; trims only lines that start with whitespace. */
export function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '');
}

/** Groups physical lines into records and hands parsed records on; counts what it cannot read. */
export class RecordAssembler {
  private lines: string[] = [];
  private chars = 0;
  private startLine = 0;
  private prev = '';
  unparsed = 0;
  private lastTime = NaN;
  private pendingUntimed: LogRecord[] = [];
  /** When the open record's first line arrived (watch's log following), NaN when not known. */
  private arrived = NaN;

  private readonly parser: RecordParser;
  private readonly source: number;
  private readonly emit: (r: LogRecord) => void;

  constructor(parser: RecordParser, source: number, emit: (r: LogRecord) => void) {
    this.parser = parser;
    this.source = source;
    this.emit = emit;
  }

  /** `arrivedMs`: when the line was read (watch); a record with no time of its own takes its first line's. */
  push(line: string, lineNo: number, arrivedMs = NaN): void {
    const open = this.lines.length > 0;
    if (!open && isBlank(line)) return;
    if (!open || !this.parser.continues(line, this.lines[0] ?? '', this.lines.length, this.prev)) {
      this.flush();
      this.startLine = lineNo;
      this.arrived = arrivedMs;
    }
    if (this.lines.length < MAX_RECORD_LINES && this.chars < MAX_RECORD_CHARS) {
      this.lines.push(line);
      this.chars += line.length + 1;
    }
    this.prev = line;
  }

  /**
   * `count` empty lines from line `first` on: read one by one until another changes nothing (the record
   * at its caps, or none open), then the rest are skipped: a run of a billion costs what a few hundred do.
   */
  pushBlank(count: number, first: number): void {
    let k = 0;
    for (; k < count && k < MAX_RECORD_LINES + 2; k++) this.push('', first + k);
    while (k < count) {
      const before = this.state();
      this.push('', first + k++);
      if (this.state() === before) return;
    }
  }

  private state(): string {
    return `${this.lines.length} ${this.chars} ${this.unparsed} ${this.startLine} ${this.prev.length}`;
  }

  flush(): void {
    if (this.lines.length === 0) return;
    while (this.lines.length > 1 && (this.lines[this.lines.length - 1] ?? '').trim() === '') this.lines.pop();
    // Most records are one line: that line is the text, with no join.
    const text = this.lines.length === 1 ? (this.lines[0] ?? '') : this.lines.join('\n');
    const count = this.lines.length;
    this.lines.length = 0;
    this.chars = 0;
    const rec = this.parser.parse(text, this.source, this.startLine);
    if (!rec) {
      this.unparsed += count;
      return;
    }
    if (Number.isNaN(rec.time) && !Number.isNaN(this.arrived)) {
      // Followed live: the arrival time bounds when it was written (untimed still: it joins by time only loosely).
      rec.time = this.arrived;
      rec.timeMax = this.arrived;
    } else if (Number.isNaN(rec.time)) {
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

/** What a source holds: its format once decided, and the handlers every reader feeds its lines to. */
export class SourceLines {
  format: LogFormat | undefined;
  /** With no format: why, when the lines are of a format fivexx names but does not read (detect.ts). */
  unsupported: string | undefined;
  decided: boolean;
  unparsed = 0;
  offsetMinutes = NaN;
  offsetLine = 0;
  private assembler: RecordAssembler | undefined;
  private readonly sniffed: [string, number][] = [];
  private sniffedNonBlank = 0;

  private readonly index: number;
  private readonly formats: readonly LogFormat[];
  private readonly sinks: SourceSinks;

  /** The time a year-less record stamp (syslog) is read against: the file's mtime (reference-time.ts). */
  private readonly referenceMs: number;

  constructor(index: number, formats: readonly LogFormat[], forced: LogFormat | undefined, sinks: SourceSinks, referenceMs = Date.now()) {
    this.referenceMs = referenceMs;
    this.index = index;
    this.formats = formats;
    this.sinks = sinks;
    this.format = forced;
    this.decided = forced !== undefined;
  }

  get recordUnparsed(): number {
    return this.assembler?.unparsed ?? 0;
  }

  /** The format is known (the plan stage detected it; undefined: no format reads the head): no detection here. */
  decideAs(f: LogFormat | undefined, unsupported?: string): void {
    this.format = f;
    this.unsupported = f ? undefined : unsupported;
    this.decided = true;
  }

  handle(line: string, lineNo: number): void {
    const format = this.format;
    if (!format) {
      if (!isBlank(line)) this.unparsed++;
      return;
    }
    if (format.kind === 'access') {
      if (isBlank(line)) return;
      const e = format.access.parse(line, this.index, lineNo);
      if (e) {
        if (Number.isNaN(this.offsetMinutes) && e.zoned) {
          this.offsetMinutes = offsetInLine(line);
          this.offsetLine = lineNo;
        }
        this.sinks.onAccess(e);
        return;
      }
      if (!format.fallback) {
        this.unparsed++;
        return;
      }
    }
    const records = this.records();
    if (!records) return;
    // Empty lines handed one by one (the quiet-record path) are gathered into runs, read in bulk.
    if (line.length === 0 && this.blankFirst + this.blankCount === lineNo && this.blankCount > 0) {
      this.blankCount++;
      return;
    }
    this.flushBlank(records);
    if (line.length === 0) {
      this.blankFirst = lineNo;
      this.blankCount = 1;
      return;
    }
    records.push(line, lineNo);
  }

  private blankFirst = 0;
  private blankCount = 0;

  private flushBlank(records: RecordAssembler | undefined): void {
    if (this.blankCount === 0) return;
    records?.pushBlank(this.blankCount, this.blankFirst);
    this.blankCount = 0;
  }

  /** A run of empty lines: nothing for access lines or an unknown format; records take them in bulk. */
  blank(count: number, first: number): void {
    if (!this.decided) {
      for (let k = 0; k < count; k++) this.line('', first + k);
      return;
    }
    if (this.format?.kind === 'access' && !this.format.fallback) return;
    const records = this.records();
    this.flushBlank(records);
    records?.pushBlank(count, first);
  }

  private records(): RecordAssembler | undefined {
    const format = this.format;
    const records = format?.kind === 'access' ? format.fallback : format?.records;
    if (!records) return undefined;
    this.assembler ??= new RecordAssembler(atReference(records, this.referenceMs), this.index, (r) => this.sinks.onRecord(r));
    return this.assembler;
  }

  /** Hands on the open record now, as the next line (known to start a record) would (src/engine/error-digest.ts). */
  flushRecords(): void {
    this.flushBlank(this.assembler);
    this.assembler?.flush();
  }

  /** A line from the line reader: held for detection until enough are seen. */
  line(line: string, lineNo: number): void {
    if (this.decided) return this.handle(line, lineNo);
    this.sniffed.push([line, lineNo]);
    if (!isBlank(line)) this.sniffedNonBlank++;
    if (sniffDone(this.sniffed.length, this.sniffedNonBlank)) this.decide();
  }

  decide(): void {
    if (!this.decided) {
      const d = detect(this.formats, this.sniffed.map(([l]) => l));
      this.format = d.format;
      this.unsupported = d.unsupported;
    }
    this.decided = true;
    for (const [l, n] of this.sniffed) this.handle(l, n);
    this.sniffed.length = 0;
  }

  finish(): void {
    if (!this.decided) this.decide();
    this.flushBlank(this.assembler);
    this.assembler?.finish();
  }
}

