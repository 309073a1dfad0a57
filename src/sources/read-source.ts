// Reads one log source: detects its format from the first lines, then streams it into events.
import type { LogFormat } from '../catalog/formats.ts';
import type { AccessEvent, LogKind, LogRecord } from '../events/types.ts';
import { detectFormat } from '../parse/detect.ts';
import { peeled } from '../parse/wrappers/peel.ts';
import { atReference, MAX_RECORD_CHARS, type RecordParser } from '../parse/record.ts';
import { parseOffset } from '../parse/time.ts';
import { statSync } from 'node:fs';
import type { ByteScreen } from '../classify/literals.ts';
import type { SecondBlocks } from '../events/second-counts.ts';
import type { Producer } from '../events/types.ts';
import { Feeder, feedRange, feedStream } from './line-scanner.ts';
import { QuietRecords } from './quiet-records.ts';
import { referenceTime } from './reference-time.ts';
import type { ScanConfig } from './combined-scan.ts';
import { bytesOf, isGzip, openBytes, readLines } from './read-lines.ts';
import { scanFile, scanStream, type StreamScan } from './scan-file.ts';

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
  /** Lines the fast path counted without making events (in the window, status below 500). */
  onCounted?(statuses: Int32Array, seconds: readonly SecondBlocks[]): void;
  onBytes?(bytesSoFar: number): void;
}

/** Lets plain `combined` files take the byte-level fast path; lines it cannot count go through `onAccess`. */
export interface FastPath {
  /** Epoch ms bounds (NaN: none): counted lines outside are left out, as onAccess would. */
  readonly since: number;
  readonly until: number;
  /** Clients whose 2xx lines may be truncated responses: their lines are parsed in full. */
  readonly watchClients: readonly string[];
  /** Worker threads; default by file size. */
  readonly workers?: number;
  /** Seek to the --since/--until window only in files at least this big (default 64 MiB). */
  readonly seekAbove?: number;
  /** A scan begun earlier by `startFastScan` (while other sources were read), to use if it still applies. */
  readonly started?: Promise<StartedScan | undefined>;
}

/** Lets record logs whose parser allows it skip quiet records (src/sources/quiet-records.ts). */
export interface QuietPath {
  /** The literals a record of `producer` must hold to matter, as a byte screen; undefined: every record matters. */
  screenFor(producer: Producer): ByteScreen | undefined;
}

/** A fast-path scan under way: the format the head showed, and the tally to come (an Error if reading failed). */
export interface StartedScan {
  readonly format: LogFormat;
  readonly watchClients: readonly string[];
  readonly tally: Promise<StreamScan | Error>;
}

/**
 * Starts the fast path on `path` when it is a file (plain or gzip) that detection reads as `combined`
 * (undefined otherwise). The scan runs in worker threads, or zlib's thread pool, while the caller goes on.
 */
export async function startFastScan(
  path: string, formats: readonly LogFormat[], forced: LogFormat | undefined, fast: FastPath, onBytes?: (n: number) => void,
  sniffed: Promise<Sniffed | undefined> = sniff(path, formats, forced),
): Promise<StartedScan | undefined> {
  const { head, format } = (await sniffed) ?? {};
  if (!head || format?.kind !== 'access' || format.scan !== 'combined') return undefined;
  const cfg = { since: fast.since, until: fast.until, watchClients: fast.watchClients, maxLineBytes: MAX_LINE_BYTES };
  const scan = head.gzip ? scanGzip(path, cfg, onBytes) : scanPlain(path, cfg, fast, onBytes);
  const tally = scan.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  return { format, watchClients: fast.watchClients, tally };
}

interface ReadResult {
  readonly lines: number;
  readonly oversize: number;
  readonly bytes: number;
  readonly warning: string | undefined;
}

/**
 * Reads a record log through the quiet-record fast path when its format allows it and its producer's
 * patterns all need literals; undefined (nothing read) otherwise.
 */
async function readQuiet(
  path: string, sniffed: Promise<Sniffed | undefined>, quiet: QuietPath,
  handle: (line: string, lineNo: number) => void, onBytes: (n: number) => void, decide: (f: LogFormat) => void,
): Promise<ReadResult | undefined> {
  const { head, format } = (await sniffed) ?? {};
  const parser = format && format.kind !== 'access' ? format.records.quiet : undefined;
  const screen = parser && quiet.screenFor(parser.producer);
  if (!head || !format || !parser || !screen) return undefined;
  decide(format);
  // Keyed for this log's own text: its first bytes tell which trigrams it is full of.
  const tuned = screen.tunedTo(head.bytes.subarray(0, TUNE_BYTES));
  const sc = new QuietRecords(MAX_LINE_BYTES, (b, a, end, span) => parser.plainStart(b, a, end, span), tuned, handle, parser.shape === 'nginx-error');
  const feeder = new Feeder(sc, MAX_LINE_BYTES);
  let bytes: number;
  let warning: string | undefined;
  if (head.gzip) {
    const { stream, raw } = await openBytes(path);
    warning = await feedStream(stream, () => bytesOf(raw), feeder, onBytes);
    bytes = bytesOf(raw);
  } else {
    bytes = statSync(path).size;
    feedRange(path, 0, bytes, feeder, onBytes);
  }
  sc.finish();
  return { lines: sc.lines, oversize: sc.oversize, bytes, warning };
}

async function scanPlain(path: string, cfg: ScanConfig, fast: FastPath, onBytes?: (n: number) => void): Promise<StreamScan> {
  const size = statSync(path).size;
  return { tally: await scanFile(path, size, cfg, { workers: fast.workers, seekAbove: fast.seekAbove, onBytes }), bytes: size, warning: undefined };
}

async function scanGzip(path: string, cfg: ScanConfig, onBytes?: (n: number) => void): Promise<StreamScan> {
  const { stream, raw } = await openBytes(path);
  return scanStream(stream, () => bytesOf(raw), cfg, onBytes);
}

const SNIFF_LINES = 64;
/** Bytes of a log's head that tune its byte screen (ByteScreen.tunedTo). */
const TUNE_BYTES = 256 << 10;
const MAX_RECORD_LINES = 400;
const SNIFF_BYTES = 1 << 20;
const MAX_LINE_BYTES = 1 << 20;

/** True when detection has seen enough lines: 64 non-blank ones, or 16 times as many in all. */
function sniffDone(lines: number, nonBlank: number): boolean {
  return nonBlank >= SNIFF_LINES || lines >= 16 * SNIFF_LINES;
}

/** The first bytes of a file, decompressed when gzip; `whole` when they are all of it. */
async function readHead(path: string): Promise<{ head: Buffer; whole: boolean; gzip: boolean } | undefined> {
  try {
    const gzip = await isGzip(path);
    const { stream, raw } = await openBytes(path);
    const chunks: Buffer[] = [];
    let size = 0;
    let whole = true;
    try {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size >= SNIFF_BYTES) {
          whole = false;
          break;
        }
      }
    } finally {
      raw.destroy();
      stream.destroy();
    }
    return { head: Buffer.concat(chunks), whole, gzip };
  } catch {
    // Unreadable, or damaged within its head: the line reader reports it.
    return undefined;
  }
}

/**
 * The lines detection would see, read from the head of a file (plain or gzip), or undefined when
 * that head is not enough (very long lines) or cannot be read.
 */
/** A file's head and the format it shows (`forced` when given). */
interface Sniffed {
  readonly head: Head;
  readonly format: LogFormat | undefined;
}

/** Reads a file's head once for both fast paths; undefined for stdin, an unreadable or an unfinished head. */
async function sniff(path: string, formats: readonly LogFormat[], forced: LogFormat | undefined): Promise<Sniffed | undefined> {
  const head = await sniffHead(path);
  return head && { head, format: forced ?? detectFormat(formats, head.lines).format };
}

interface Head {
  readonly lines: string[];
  readonly gzip: boolean;
  readonly bytes: Buffer;
}

async function sniffHead(path: string): Promise<Head | undefined> {
  if (path === '-') return undefined;
  const got = await readHead(path);
  if (!got) return undefined;
  const parts = got.head.toString('utf8').split('\n');
  const complete = got.whole ? parts.length : parts.length - 1;
  const lines: string[] = [];
  let nonBlank = 0;
  for (let k = 0; k < complete; k++) {
    let line = parts[k] ?? '';
    if (k === parts.length - 1 && line === '') break;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    lines.push(line);
    if (!isBlank(line)) nonBlank++;
    if (sniffDone(lines.length, nonBlank)) return { lines, gzip: got.gzip, bytes: got.head };
  }
  return got.whole ? { lines, gzip: got.gzip, bytes: got.head } : undefined;
}

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
  fast?: FastPath,
  quiet?: QuietPath,
): Promise<SourceReport> {
  let format: LogFormat | undefined = forced;
  let decided = forced !== undefined;
  const sniffed: [string, number][] = [];
  let sniffedNonBlank = 0;
  let unparsed = 0;
  let assembler: RecordAssembler | undefined;
  let offsetMinutes = NaN;
  let offsetLine = 0;
  let unreadNote: string | undefined;

  const handle = peeled((line: string, lineNo: number): void => {
    if (!format) {
      if (!isBlank(line)) unparsed++;
      return;
    }
    if (format.kind === 'access') {
      if (isBlank(line)) return;
      const e = format.access.parse(line, index, lineNo);
      if (e) {
        if (Number.isNaN(offsetMinutes) && e.zoned) {
          offsetMinutes = offsetInLine(line);
          offsetLine = lineNo;
        }
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
    assembler ??= new RecordAssembler(atReference(records, referenceTime(path)), index, (r) => sinks.onRecord(r));
    assembler.push(line, lineNo);
  });

  const decide = (): void => {
    if (!decided) format = detectFormat(formats, sniffed.map(([l]) => l)).format;
    decided = true;
    for (const [l, n] of sniffed) handle(l, n);
    sniffed.length = 0;
  };

  const onBytes = (n: number): void => sinks.onBytes?.(n);
  let sniffing: Promise<Sniffed | undefined> | undefined;
  const head = (): Promise<Sniffed | undefined> => (sniffing ??= sniff(path, formats, forced));
  const started = fast && sinks.onCounted ? await (fast.started ?? startFastScan(path, formats, forced, fast, onBytes, head())) : undefined;
  let result: ReadResult | undefined;
  if (fast && started) {
    // The fast path: the same lines as below, counted from bytes; what it cannot count is handled the same way.
    format = started.format;
    decided = true;
    let scan = await started.tally;
    // Mid-body failures found since the scan started name clients whose lines must be parsed: scan again.
    if (!(scan instanceof Error) && fast.watchClients.some((c) => !started.watchClients.includes(c))) {
      scan = await startFastScan(path, formats, forced, fast, onBytes).then((again) => again?.tally ?? new Error('format changed'));
    }
    if (scan instanceof Error) return readSource(path, index, formats, forced, sinks);
    const { tally } = scan;
    for (let k = 0; k < tally.slow.length; k++) handle(tally.slow[k] ?? '', tally.slowLines[k] ?? 0);
    sinks.onCounted?.(tally.statuses, tally.seconds);
    if (tally.firstFastLine > 0 && (Number.isNaN(offsetMinutes) || tally.firstFastLine < offsetLine)) offsetMinutes = tally.firstFastOffset;
    result = { lines: tally.lines, oversize: tally.oversize, bytes: scan.bytes, warning: scan.warning };
    const notes = [];
    if (tally.unread > 0) notes.push(`${tally.unread} line(s) before the --since window were counted, not read (their unparsed lines are not known)`);
    if (tally.notReadBytes > 0) notes.push(`the last ${tally.notReadBytes} byte(s), after the --until window, were not read ('lines' counts the lines before them)`);
    if (notes.length > 0) unreadNote = notes.join('; ');
  } else if (quiet && (result = await readQuiet(path, head(), quiet, handle, onBytes, (f) => {
    format = f;
    decided = true;
  }))) {
    // Read: quiet records only counted, every other line handled as below.
  } else {
    result = await readLines(path, {
      maxLineBytes: MAX_LINE_BYTES,
      onLine(line, lineNo) {
        if (decided) return handle(line, lineNo);
        sniffed.push([line, lineNo]);
        if (!isBlank(line)) sniffedNonBlank++;
        if (sniffDone(sniffed.length, sniffedNonBlank)) decide();
      },
      onBytes: (n) => sinks.onBytes?.(n),
    });
    if (!decided) decide();
  }
  assembler?.finish();
  const warnings: string[] = [];
  if (result.warning) warnings.push(result.warning);
  if (unreadNote) warnings.push(unreadNote);
  if (result.oversize > 0) warnings.push(`${result.oversize} over-long line(s) skipped`);
  if (!format && result.lines > 0) warnings.push('unknown log format: no known format reads its first lines');
  return {
    path, format: result.lines === 0 && !result.warning ? 'empty' : format?.name ?? 'unknown', kind: format?.kind ?? 'unknown', lines: result.lines,
    unparsed: unparsed + (assembler?.unparsed ?? 0) + result.oversize, bytes: result.bytes, offsetMinutes, warnings,
  };
}
