// Streams a file, a .gz file or stdin as lines, in bounded memory: over-long lines are skipped and counted.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface ReadOptions {
  /** Lines longer than this many bytes are skipped (counted in `oversize`). */
  readonly maxLineBytes?: number;
  /** Called with every line (without its newline) and its 1-based number. */
  readonly onLine: (line: string, lineNo: number) => void;
  /** Called now and then with the number of input bytes consumed so far. */
  readonly onBytes?: (bytes: number) => void;
}

export interface ReadResult {
  readonly lines: number;
  readonly oversize: number;
  readonly bytes: number;
  /** A problem that stopped reading early (truncated gzip, I/O error); what was read before it stands. */
  readonly warning: string | undefined;
}

const DEFAULT_MAX_LINE = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];

/** True when the file starts with the gzip magic bytes. */
export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1];
  } finally {
    await fh.close();
  }
}

/** Opens a path ('-' is stdin) as a stream of decompressed bytes. */
export async function openBytes(path: string): Promise<{ stream: Readable; raw: Readable }> {
  if (path === '-') return { stream: process.stdin, raw: process.stdin };
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  // Big output chunks: fewer hand-overs from the thread pool, same bytes.
  if (await isGzip(path)) return { stream: raw.pipe(createGunzip({ chunkSize: 1 << 20 })), raw };
  return { stream: raw, raw };
}

/** Splits a byte stream into lines; never holds more than one line plus one chunk. */
export async function readLines(path: string, opts: ReadOptions): Promise<ReadResult> {
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE;
  const { stream, raw } = await openBytes(path);
  let carry: Buffer[] = [];
  let carryLen = 0;
  let skipping = false;
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
      text = buf.toString('utf8', start, end);
    }
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    opts.onLine(text, lineNo);
  };

  const onChunk = (buf: Buffer): void => {
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      if (!skipping && carryLen + nl - start > maxLine) {
        carry = [];
        carryLen = 0;
        skipping = true;
        oversize++;
      }
      emit(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length && !skipping) {
      if (carryLen + buf.length - start > maxLine) {
        carry = [];
        carryLen = 0;
        skipping = true;
        oversize++;
      } else {
        carry.push(buf.subarray(start));
        carryLen += buf.length - start;
      }
    }
  };

  try {
    for await (const chunk of stream) {
      onChunk(chunk as Buffer);
      opts.onBytes?.(bytesOf(raw));
    }
  } catch (err) {
    warning = describeReadError(err);
  }
  if (carryLen > 0 && !skipping) emit(Buffer.alloc(0), 0, 0);
  else if (skipping) lineNo++;
  return { lines: lineNo, oversize, bytes: bytesOf(raw), warning };
}

export function bytesOf(raw: Readable): number {
  const r = raw as Readable & { bytesRead?: number };
  return typeof r.bytesRead === 'number' ? r.bytesRead : 0;
}

export function describeReadError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end of file/i.test(e.message ?? '')) {
    return `truncated or corrupt gzip data (${e.code ?? 'zlib'}); lines before the damage were read`;
  }
  return `read stopped early: ${e.code ?? ''} ${e.message ?? String(err)}`.trim();
}
