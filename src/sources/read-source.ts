// Reads one log source: detects its format from the first lines, then streams it into events.
import type { LogFormat } from '../catalog/formats.ts';
import type { AccessEvent, LogKind, LogRecord } from '../events/types.ts';
import type { ByteScreen } from '../classify/literals.ts';
import type { SecondBlocks } from '../events/second-counts.ts';
import type { Producer } from '../events/types.ts';
import { Feeder, feedRange, feedStream } from './line-scanner.ts';
import { QuietRecords, type RecordDigest } from './quiet-records.ts';
import { newTally, type ScanConfig } from './combined-scan.ts';
import { bytesOf, openBytes, readLines } from './read-lines.ts';
import { scanFile, scanStream, type PartSink, type StreamScan } from './scan-file.ts';
import { openSource, type Source } from './open-source.ts';
import { missingDecompressor } from './decompress.ts';
import { coded } from '../errors/codes.ts';
import { sniff, type Sniffed } from './sniff-head.ts';
import { SourceLines } from './source-lines.ts';
import { peeled } from '../parse/wrappers/peel.ts';
import { referenceTime } from './reference-time.ts';
import { CheapSlice, LineRereader } from './cheap-failures.ts';
import type { CheapFailure, CheapLines } from '../correlate/cheap-failure.ts';

export { offsetInLine } from './source-lines.ts';

export interface SourceReport {
  readonly path: string;
  readonly format: string;
  readonly kind: LogKind | 'unknown';
  readonly lines: number;
  readonly unparsed: number;
  readonly bytes: number;
  /** Zone offset in minutes written in the log's own times (access logs), NaN when none. */
  readonly offsetMinutes: number;
  /** Coded (`CODE: text`), one per problem, without the path. */
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
  /**
   * Takes the plainly combined 5xx lines of a plain file as cheap failures (already counted through
   * onCounted, not handed to onAccess); without it they are parsed as text like any slow line.
   */
  readonly onCheapFailure?: (f: CheapFailure) => void;
  /** Takes them as runs instead (lines [from, to) of a range's columns, in file order); preferred to onCheapFailure. */
  readonly onCheapRun?: (lines: CheapLines, from: number, to: number) => void;
  /** Called once a file's cheap failures are all handed on, before its descriptor closes: whatever still needs their full lines must read them now. */
  readonly onCheapEnd?: () => void;
}

/** Lets record logs whose parser allows it skip quiet records (src/sources/quiet-records.ts). */
export interface QuietPath {
  /** The literals a record of `producer` must hold to matter, as a byte screen; undefined: every record matters. */
  screenFor(producer: Producer): ByteScreen | undefined;
  /**
   * For nginx error records: takes in the records that need no reading (src/engine/error-digest.ts);
   * `flushReader` hands on the reader's open record. Undefined: every record the screen passes is read.
   */
  digestFor?(producer: Producer, flushReader: () => void): DigestPath | undefined;
}

/** The error-log fast path of one source: the digest, and a reading of big plain files in worker threads. */
export interface DigestPath {
  readonly digest: RecordDigest;
  /** Reads the plain file on `fd` in parts, handing `handle` the same lines; undefined when it does not (nothing handed on). */
  parallel?(
    fd: number, size: number, head: Uint8Array, maxLineBytes: number, handle: (line: string, lineNo: number) => void, onBytes: (n: number) => void,
    readHere: (start: number, end: number, lineOffset: number) => { lines: number; oversize: number; bytes: number },
  ): Promise<{ lines: number; oversize: number; readTo: number } | undefined>;
}

/**
 * A fast-path scan under way: the format the head showed, and the tally to come (an Error if reading
 * failed). Its slow lines go, in file order, to the sink given to `attach`; until then the scan runs only
 * a bounded way ahead.
 */
export interface FastScan {
  readonly format: LogFormat;
  readonly watchClients: readonly string[];
  readonly tally: Promise<StreamScan | Error>;
  attach(sink: PartSink): void;
}

/** A source opened early (or the reason it cannot be), with the fast-path scan begun on it, if any. */
export interface StartedScan {
  readonly source: Source | string;
  readonly scan: FastScan | undefined;
}

/**
 * Opens `path` (once: `readSource` goes on with the same descriptor) and starts the fast path on it
 * when it is a file (plain or compressed) that detection reads as `combined`. The scan runs in worker
 * threads, or zlib's thread pool, while the caller goes on.
 */
export async function startFastScan(
  path: string, formats: readonly LogFormat[], forced: LogFormat | undefined, fast: FastPath, onBytes?: (n: number) => void, planned?: Sniffed,
): Promise<StartedScan> {
  const source = await openSource(path);
  if (typeof source === 'string') return { source, scan: undefined };
  return { source, scan: await fastScan(source, fast, onBytes, planned ? Promise.resolve(planned) : sniff(source, formats, forced)) };
}

/** The fast path on an open source, or undefined when its head is not `combined`. */
async function fastScan(src: Source, fast: FastPath, onBytes: ((n: number) => void) | undefined, sniffed: Promise<Sniffed | undefined>): Promise<FastScan | undefined> {
  const { head, format } = (await sniffed) ?? {};
  if (!head || format?.kind !== 'access' || format.scan !== 'combined') return undefined;
  const cfg = { since: fast.since, until: fast.until, watchClients: fast.watchClients, maxLineBytes: MAX_LINE_BYTES, cheapFailures: fast.onCheapFailure !== undefined || fast.onCheapRun !== undefined };
  let attach: (sink: PartSink) => void = () => undefined;
  const sink = new Promise<PartSink>((resolve) => (attach = resolve));
  const scan = head.compressed ? scanCompressed(src, cfg, onBytes, sink) : scanPlain(src, cfg, fast, onBytes, sink);
  const tally = scan.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  return { format, watchClients: fast.watchClients, tally, attach };
}

interface ReadResult {
  readonly lines: number;
  readonly oversize: number;
  readonly bytes: number;
  readonly warning: string | undefined;
  /** Plain files read by position: the byte reached (fewer than the size when the file shrank). */
  readonly readTo?: number;
}

/**
 * Reads a record log through the quiet-record fast path when its format allows it and its producer's
 * patterns all need literals; undefined (nothing read) otherwise.
 */
async function readQuiet(
  src: Source, sniffed: Promise<Sniffed | undefined>, quiet: QuietPath,
  handle: (line: string, lineNo: number) => void, onBytes: (n: number) => void, decide: (f: LogFormat) => void, flushReader: () => void,
): Promise<ReadResult | undefined> {
  const { head, format } = (await sniffed) ?? {};
  const parser = format && format.kind !== 'access' ? format.records.quiet : undefined;
  const screen = parser && quiet.screenFor(parser.producer);
  if (!head || !format || !parser || !screen) return undefined;
  decide(format);
  // Keyed for this log's own text: its first bytes tell which trigrams it is full of.
  const tuned = screen.tunedTo(head.bytes.subarray(0, TUNE_BYTES));
  const nginx = parser.shape === 'nginx-error';
  const path = nginx ? quiet.digestFor?.(parser.producer, flushReader) : undefined;
  const scanner = (rangeEdges: boolean): QuietRecords => new QuietRecords(MAX_LINE_BYTES, (b, a, end, span) => parser.plainStart(b, a, end, span), tuned, handle, nginx, path?.digest, rangeEdges);
  if (!head.compressed && path?.parallel) {
    // A big plain file in parts: the first read here (as a part), the others in worker threads meanwhile.
    const par = await path.parallel(src.fd, src.size, head.bytes.subarray(0, TUNE_BYTES), MAX_LINE_BYTES, handle, onBytes, (start, end, lineOffset) => {
      const sc = new QuietRecords(MAX_LINE_BYTES, (b, a, e, span) => parser.plainStart(b, a, e, span), tuned, (line, n) => handle(line, n + lineOffset), nginx, path.digest, true);
      const feeder = new Feeder(sc, MAX_LINE_BYTES);
      const read = feedRange(src.fd, start, end, feeder, (n) => onBytes(start + n));
      feeder.release();
      sc.finish();
      return { lines: sc.lines, oversize: sc.oversize, bytes: read };
    });
    if (par) return { lines: par.lines, oversize: par.oversize, bytes: src.size, warning: undefined, readTo: par.readTo };
  }
  const sc = scanner(false);
  const feeder = new Feeder(sc, MAX_LINE_BYTES);
  let bytes: number;
  let warning: string | undefined;
  let readTo: number | undefined;
  if (head.compressed) {
    const { stream, raw } = await openBytes(src);
    warning = await feedStream(stream, () => bytesOf(raw), feeder, onBytes);
    bytes = bytesOf(raw);
    raw.destroy();
  } else {
    bytes = src.size;
    readTo = feedRange(src.fd, 0, bytes, feeder, onBytes);
  }
  sc.finish();
  return { lines: sc.lines, oversize: sc.oversize, bytes, warning, readTo };
}

async function scanPlain(src: Source, cfg: ScanConfig, fast: FastPath, onBytes: ((n: number) => void) | undefined, sink: Promise<PartSink>): Promise<StreamScan> {
  return { tally: await scanFile(src.fd, src.size, cfg, { workers: fast.workers, seekAbove: fast.seekAbove, onBytes }, sink), bytes: src.size, warning: undefined };
}

async function scanCompressed(src: Source, cfg: ScanConfig, onBytes: ((n: number) => void) | undefined, sink: Promise<PartSink>): Promise<StreamScan> {
  const { stream, raw } = await openBytes(src);
  try {
    return await scanStream(stream, () => bytesOf(raw), cfg, onBytes, sink);
  } finally {
    raw.destroy();
  }
}

/** Bytes of a log's head that tune its byte screen (ByteScreen.tunedTo). */
const TUNE_BYTES = 256 << 10;
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Reads a source (a path: a file, compressed file, pipe or '-' for stdin; or one already open) as
 * source number `index`. `forced` skips detection; `planned`, the head the plan stage read and the
 * format it detected, skips both reading the head again and detection. A path is opened once here (or
 * by the early `fast.started`) and closed when read; a Source given is left open.
 */
export async function readSource(
  from: string | Source,
  index: number,
  formats: readonly LogFormat[],
  forced: LogFormat | undefined,
  sinks: SourceSinks,
  fast?: FastPath,
  quiet?: QuietPath,
  planned?: Sniffed,
): Promise<SourceReport> {
  const path = typeof from === 'string' ? from : from.path;
  const early = fast?.started && sinks.onCounted ? await fast.started : undefined;
  const src = early?.source ?? (typeof from === 'string' ? await openSource(from) : from);
  if (typeof src === 'string') return failedReport(path, src);
  try {
    const missing = missingDecompressor(src.compression);
    if (missing) return failedReport(path, missing);
    return await readOpened(src, index, formats, forced, sinks, fast, quiet, early, planned);
  } finally {
    if (src !== from) src.close();
  }
}

/** The report of a source that could not be read at all. */
function failedReport(path: string, warning: string): SourceReport {
  return { path, format: 'unreadable', kind: 'unknown', lines: 0, unparsed: 0, bytes: 0, offsetMinutes: NaN, warnings: [warning] };
}

async function readOpened(
  src: Source, index: number, formats: readonly LogFormat[], forced: LogFormat | undefined, sinks: SourceSinks,
  fast: FastPath | undefined, quiet: QuietPath | undefined, early: StartedScan | undefined, planned?: Sniffed,
): Promise<SourceReport> {
  const s = new SourceLines(index, formats, forced, sinks, referenceTime(src.path));
  if (planned) s.decideAs(planned.format, planned.unsupported);
  // Container and syslog wrappers are peeled off first (src/parse/wrappers): every reader sees inner lines.
  const handle = peeled((line: string, lineNo: number): void => s.handle(line, lineNo));
  const onBytes = (n: number): void => sinks.onBytes?.(n);
  let sniffing: Promise<Sniffed | undefined> | undefined;
  const head = (): Promise<Sniffed | undefined> => (sniffing ??= planned ? Promise.resolve(planned) : sniff(src, formats, forced));
  const started = fast && sinks.onCounted ? (early ? early.scan : await fastScan(src, fast, onBytes, head())) : undefined;
  let result: ReadResult | undefined;
  let unreadNote: string | undefined;
  if (fast && started) {
    // The fast path: the same lines as below, counted from bytes; what it cannot count is handled the same way.
    s.decideAs(started.format);
    // Mid-body failures found since the scan started name clients whose lines must be parsed: scan again.
    let scanning: FastScan | undefined = started;
    if (fast.watchClients.some((c) => !started.watchClients.includes(c))) {
      started.attach(() => undefined);
      scanning = await fastScan(src, fast, onBytes, head());
    }
    let delivered = 0;
    const format = started.format;
    const one = fast.onCheapFailure;
    const cheap = format.kind === 'access' ? fast.onCheapRun ?? (one && ((xs: CheapLines, from: number, to: number): void => {
      for (let k = from; k < to; k++) one(xs.at(k));
    })) : undefined;
    const access = format.kind === 'access' ? format.access : undefined;
    const reader = cheap && access ? new LineRereader(src.fd, index, (line, source, lineNo) => access.parse(line, source, lineNo)) : undefined;
    scanning?.attach((part, lineOffset) => {
      delivered += part.slow.length + (part.cheap?.n ?? 0);
      // Slow lines and cheap failures in file order (line numbers within the range), cheap ones in runs.
      const c = part.cheap;
      const n = c && cheap && reader ? c.n : 0;
      const lines = c && reader && n > 0 ? new CheapSlice(c, lineOffset, reader) : undefined;
      let j = 0;
      const emitUpTo = (line: number): void => {
        const from = j;
        while (j < n && (c?.line[j] ?? 0) < line) j++;
        if (j > from && lines) cheap?.(lines, from, j);
      };
      for (let k = 0; k < part.slow.length; k++) {
        const line = part.slowLines[k] ?? 0;
        emitUpTo(line);
        handle(part.slow[k] ?? '', line + lineOffset);
      }
      emitUpTo(Infinity);
    });
    const scan = scanning ? await scanning.tally : new Error('format changed');
    fast.onCheapEnd?.();
    if (scan instanceof Error && delivered === 0) return readOpened(src, index, formats, forced, sinks, undefined, undefined, undefined, planned);
    // A scan that failed part way keeps what it handed on, as the line reader keeps what came before damage.
    const { tally } = scan instanceof Error ? { tally: { ...newTally(), lines: delivered } } : scan;
    sinks.onCounted?.(tally.statuses, tally.seconds);
    if (tally.firstFastLine > 0 && (Number.isNaN(s.offsetMinutes) || tally.firstFastLine < s.offsetLine)) s.offsetMinutes = tally.firstFastOffset;
    result = { lines: tally.lines, oversize: tally.oversize, bytes: scan instanceof Error ? 0 : scan.bytes, warning: scan instanceof Error ? undefined : scan.warning };
    unreadNote = scan instanceof Error ? coded('FIVEXX_PATH_UNREADABLE', `reading stopped part way: ${scan.message}`) : windowNote(tally.unread, tally.notReadBytes);
  } else if (quiet && (result = await readQuiet(src, head(), quiet, handle, onBytes, (f) => s.decideAs(f), () => s.flushRecords()))) {
    // Read: quiet records only counted, every other line handled as below.
  } else {
    result = await readLines(src, {
      maxLineBytes: MAX_LINE_BYTES,
      onLine: peeled((line, lineNo) => s.line(line, lineNo)),
      onBlank: (count, first) => s.blank(count, first),
      onBytes,
    });
  }
  s.finish();
  const changed = src.changed(result.readTo);
  return report(src, s, result, [result.warning, unreadNote, changed]);
}

/** The note of a window sought in a big file: lines before it only counted, bytes after it not read. */
function windowNote(unread: number, notReadBytes: number): string | undefined {
  const notes = [];
  if (unread > 0) notes.push(`${unread} line(s) before the --since window were counted, not read (their unparsed lines are not known)`);
  if (notReadBytes > 0) notes.push(`the last ${notReadBytes} byte(s), after the --until window, were not read ('lines' counts the lines before them)`);
  return notes.length > 0 ? coded('FIVEXX_WINDOW_SKIPPED', notes.join('; ')) : undefined;
}

/** The source's report: one coded warning per problem. */
function report(src: Source, s: SourceLines, result: ReadResult, notes: (string | undefined)[]): SourceReport {
  const warnings = notes.filter((w): w is string => w !== undefined);
  const unparsed = s.unparsed + s.recordUnparsed + result.oversize;
  const over = `over ${MAX_LINE_BYTES >> 20} MiB`;
  let format = s.format?.name ?? 'unknown';
  if (result.lines === 0 && result.warning) format = 'unreadable';
  else if (result.lines === 0 || (!s.format && unparsed === 0)) {
    // Nothing but empty lines (or none): empty, said the same way whatever else is given.
    warnings.push(coded('FIVEXX_EMPTY', result.lines === 0 ? 'empty: 0 lines' : `empty: ${result.lines} line(s), all blank`));
    format = 'empty';
  } else if (!s.format) {
    // A read stopped by an endless line has said what it is.
    const long = result.oversize > 0 ? `, ${result.oversize === result.lines ? 'all' : result.oversize} ${over} and skipped` : '';
    if (s.unsupported) warnings.push(coded('FIVEXX_FORMAT_UNSUPPORTED', `${s.unsupported} (${result.lines} line(s))`));
    else if (!result.warning?.startsWith('FIVEXX_LINE_TOO_LONG')) warnings.push(coded('FIVEXX_FORMAT_UNKNOWN', `no known log format reads its first lines (${result.lines} line(s)${long})`));
  } else if (result.oversize > 0) {
    warnings.push(coded('FIVEXX_LINE_TOO_LONG', `${result.oversize} over-long line(s) (${over}) skipped`));
  }
  return {
    path: src.path, format, kind: s.format?.kind ?? 'unknown', lines: result.lines, unparsed, bytes: result.bytes,
    offsetMinutes: s.offsetMinutes, warnings,
  };
}
