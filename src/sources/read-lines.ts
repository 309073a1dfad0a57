// Streams a source (a file, a compressed file, a pipe or stdin) as lines, in bounded memory: over-long
// lines are skipped and counted, runs of empty lines cost a byte loop, and a stream whose "line" never
// ends (/dev/zero through a pipe) is stopped.
import { Readable } from 'node:stream';
import { coded } from '../errors/codes.ts';
import { compressionOf, compressionOfError, decompress, DecompressError, isDecompressError, MAGIC_BYTES, type Compression } from './decompress.ts';
import { openSource, Source } from './open-source.ts';

export interface ReadOptions {
  /** Lines longer than this many bytes are skipped (counted in `oversize`). */
  readonly maxLineBytes?: number;
  /** Called with every line (without its newline) and its 1-based number. */
  readonly onLine: (line: string, lineNo: number) => void;
  /** When given, runs of empty lines come here as a count and the first one's number instead of through `onLine`. */
  readonly onBlank?: (count: number, firstLineNo: number) => void;
  /** Called now and then with the number of input bytes consumed so far. */
  readonly onBytes?: (bytes: number) => void;
}

export interface ReadResult {
  readonly lines: number;
  readonly oversize: number;
  readonly bytes: number;
  /** A coded problem that stopped reading early (truncated compressed data, I/O error); what was read before it stands. */
  readonly warning: string | undefined;
}

const DEFAULT_MAX_LINE = 1 << 20;
/** A stream (pipe, stdin) whose line grows past this is not a log: reading stops. */
export const STREAM_LINE_STOP = 64 << 20;

class LineTooLong extends Error {}

/** The decompressed bytes of a source, and the raw stream whose `bytesRead` tells the progress. */
export async function openBytes(src: Source): Promise<{ stream: Readable; raw: Readable; compression: Compression }> {
  let raw = src.rawStream();
  if (src.regular) return { stream: decompress(raw, src.compression), raw, compression: src.compression };
  // A stream is read once: its first bytes tell its compression and are put back.
  const { head, ended } = await firstBytes(raw, MAGIC_BYTES);
  if (ended) raw = Readable.from(head.length > 0 ? [head] : []);
  else if (head.length > 0) raw.unshift(head);
  const compression = compressionOf(head);
  return { stream: decompress(raw, compression), raw, compression };
}

/** Reads at least `n` bytes (fewer at the end) from a stream, leaving it paused. */
function firstBytes(raw: Readable, n: number): Promise<{ head: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let len = 0;
    const finish = (ended: boolean): void => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
      raw.pause();
      resolve({ head: Buffer.concat(chunks), ended });
    };
    const onData = (c: Buffer): void => {
      chunks.push(c);
      len += c.length;
      if (len >= n) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onError = (err: Error): void => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      reject(err);
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('error', onError);
  });
}

/** Splits a source's bytes into lines; never holds more than one line plus one chunk. A path is opened (and closed) here. */
export async function readLines(from: Source | string, opts: ReadOptions): Promise<ReadResult> {
  const src = typeof from === 'string' ? await openSource(from) : from;
  if (typeof src === 'string') return { lines: 0, oversize: 0, bytes: 0, warning: src };
  try {
    return await splitLines(src, opts);
  } finally {
    if (typeof from === 'string') src.close();
  }
}

async function splitLines(src: Source, opts: ReadOptions): Promise<ReadResult> {
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE;
  const stopAt = src.regular ? Infinity : Math.max(STREAM_LINE_STOP, maxLine);
  const onBlank = opts.onBlank;
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false;
  let skipped = 0;
  let lineNo = 0;
  let oversize = 0;
  let warning: string | undefined;

  const emit = (buf: Buffer, start: number, end: number): void => {
    lineNo++;
    if (skipping) {
      skipping = false;
      return;
    }
    let text: string;
    if (carryLen > 0) {
      carry.push(buf.subarray(start, end));
      text = Buffer.concat(carry, carryLen + end - start).toString('utf8');
      carry = [];
      carryLen = 0;
    } else {
      text = end === start ? '' : buf.toString('utf8', start, end);
    }
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    opts.onLine(text, lineNo);
  };

  const skip = (bytes: number): void => {
    if (!skipping) {
      carry = [];
      carryLen = 0;
      skipping = true;
      skipped = 0;
      oversize++;
    }
    skipped += bytes;
    if (skipped > stopAt) throw new LineTooLong();
  };

  const onChunk = (buf: Buffer): void => {
    let start = 0;
    const len = buf.length;
    for (;;) {
      if (onBlank && carryLen === 0 && !skipping && start < len && buf[start] === 10) {
        let e = start + 1;
        while (e < len && buf[e] === 10) e++;
        onBlank(e - start, lineNo + 1);
        lineNo += e - start;
        start = e;
        continue;
      }
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      if (skipping || carryLen + nl - start > maxLine) skip(nl - start);
      emit(buf, start, nl);
      start = nl + 1;
    }
    if (start < len) {
      if (skipping || carryLen + len - start > maxLine) skip(len - start);
      else {
        carry.push(buf.subarray(start));
        carryLen += len - start;
      }
    }
  };

  let raw: Readable | undefined;
  let stream: Readable | undefined;
  try {
    ({ stream, raw } = await openBytes(src));
    for await (const chunk of stream) {
      onChunk(chunk as Buffer);
      opts.onBytes?.(bytesOf(raw));
    }
  } catch (err) {
    if (err instanceof LineTooLong) {
      warning = coded('FIVEXX_LINE_TOO_LONG', `a line of more than ${stopAt >> 20} MiB without a newline: not a text log, reading stopped there`);
    } else warning = describeReadError(err);
  } finally {
    stream?.destroy();
    if (raw !== process.stdin) raw?.destroy();
  }
  if (carryLen > 0 && !skipping) emit(Buffer.alloc(0), 0, 0);
  else if (skipping) lineNo++;
  return { lines: lineNo, oversize, bytes: raw ? bytesOf(raw) : 0, warning };
}

export function bytesOf(raw: Readable): number {
  const r = raw as Readable & { bytesRead?: number };
  return typeof r.bytesRead === 'number' ? r.bytesRead : 0;
}

/** A coded one-line warning for an error that stopped a read. */
export function describeReadError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (err instanceof DecompressError && err.missing) return err.message;
  if (isDecompressError(err)) {
    const what = err instanceof DecompressError ? (e.message ?? '') : (e.code ?? 'zlib');
    return coded('FIVEXX_COMPRESSED_TRUNCATED', `truncated or corrupt ${compressionOfError(err)} data (${what}); the lines before the damage were read`);
  }
  return coded(e.code === 'ENOENT' ? 'FIVEXX_PATH_NOT_FOUND' : 'FIVEXX_PATH_UNREADABLE', `read stopped early: ${e.code ?? ''} ${(e.message ?? String(err)).split('\n')[0] ?? ''}`.trim());
}
