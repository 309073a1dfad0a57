// Splits blocks of bytes into lines for the byte-level fast paths, counting lines and skipping
// over-long ones exactly as the line reader (read-lines.ts) does; subclasses read the lines.

import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { FIND_CHUNK, NewlineKernel } from './newline-kernel.ts';
import { describeReadError } from './read-lines.ts';

const NL = 0x0a;
const CR = 0x0d;
/** Bytes per block: small enough to stay in the CPU cache while a scanner reads them. */
export const BLOCK_BYTES = 1 << 20;

export abstract class LineScanner {
  /** Physical lines seen, the skipped over-long ones included; during `line`, the current line's number. */
  lines = 0;
  oversize = 0;
  protected readonly maxLine: number;
  private skipping = false;
  /** During `line`: the kernel whose memory holds the bytes, when there is one. */
  protected kernel: NewlineKernel | null = null;
  /** During `line`: the file offset of b[0] when the bytes are a plain file's, read by position; else NaN. */
  base = NaN;

  constructor(maxLineBytes: number) {
    this.maxLine = maxLineBytes;
  }

  /** Reads one line b[a, nl) (without its newline) whose number is `this.lines`. */
  protected abstract line(b: Buffer, a: number, nl: number): void;

  /** Called when the lines of a block are read and its bytes are about to be reused. */
  blockDone(): void {}

  /** Set by a subclass after a line when `runFrom` may read the next lines in one go. */
  protected mayRun = false;

  /**
   * Reads, in one go, lines ending at kernel.found[k, n) (the first starting at `a`, none past `end`),
   * as many as it can (each as `take` would, but counted here): how many. Only called when `mayRun`.
   */
  protected runFrom(_kernel: NewlineKernel, _k: number, _n: number, _a: number, _end: number): number {
    return 0;
  }

  /**
   * Reads the complete lines of b[start, end) and returns where the unfinished last line starts.
   * With `final`, a last line without a newline is read too.
   */
  scan(b: Buffer, start: number, end: number, final: boolean, kernel?: NewlineKernel | null): number {
    if (kernel && b === kernel.bytes) {
      this.kernel = kernel;
      return this.scanFound(kernel, start, end, final);
    }
    this.kernel = null;
    let a = start;
    while (a < end) {
      let nl = b.indexOf(NL, a);
      if (nl < 0 || nl >= end) {
        if (!final) break;
        nl = end;
      }
      this.take(b, a, nl);
      a = nl + 1;
    }
    return Math.min(a, end);
  }

  /** Set by a reader for which an empty line means nothing (an access log): such lines are only counted. */
  countEmpty = false;

  /** One more line, b[a, nl): read, or counted as over-long. */
  protected take(b: Buffer, a: number, nl: number): void {
    this.lines++;
    if (nl === a && this.countEmpty) return;
    if (nl - a > this.maxLine) this.oversize++;
    else this.line(b, a, nl);
  }

  /** `scan` with the newlines found by the SIMD kernel, 64 KiB at a time, instead of one indexOf a line. */
  protected scanFound(kernel: NewlineKernel, start: number, end: number, final: boolean): number {
    const b = kernel.bytes;
    const found = kernel.found;
    let a = start;
    for (let from = start; from < end; from += FIND_CHUNK) {
      const n = kernel.find(from, end);
      for (let k = 0; k < n; k++) {
        const nl = found[k] ?? end;
        if (nl >= end) break;
        this.take(b, a, nl);
        a = nl + 1;
        if (this.mayRun) {
          const m = this.runFrom(kernel, k + 1, n, a, end);
          if (m > 0) {
            this.lines += m;
            k += m;
            a = (found[k] ?? end) + 1;
          }
        }
      }
    }
    if (final && a < end) {
      this.take(b, a, end);
      a = end;
    }
    return Math.min(a, end);
  }

  /** The unfinished line at the end of the block grew past the limit: it is skipped up to its newline. */
  startSkipping(): void {
    this.skipping = true;
  }

  /** While skipping: where the skipped line ends in b[start, end), -1 when it goes on. */
  skipTo(b: Buffer, start: number, end: number): number {
    const nl = b.indexOf(NL, start);
    if (nl < 0 || nl >= end) return -1;
    this.skipping = false;
    this.lines++;
    this.oversize++;
    return nl + 1;
  }

  get isSkipping(): boolean {
    return this.skipping;
  }

  /** A skipped line cut by the end of input still counts. */
  protected endLines(): void {
    if (!this.skipping) return;
    this.skipping = false;
    this.lines++;
    this.oversize++;
  }
}

/** The text of b[a, nl) as the line reader gives it: UTF-8, without a trailing CR. */
export function lineText(b: Buffer, a: number, nl: number): string {
  return b.toString('utf8', a, nl > a && b[nl - 1] === CR ? nl - 1 : nl);
}

/** At most one kernel a thread keeps for reuse: a new WebAssembly memory per 8 MiB range cost more than its scan's setup should. */
const spareKernels: NewlineKernel[] = [];

function takeKernel(size: number): NewlineKernel | null {
  const spare = spareKernels.pop();
  return spare && spare.bytes.length === size ? spare : NewlineKernel.create(size);
}

/** Feeds blocks of bytes to a line scanner, carrying an unfinished last line over to the next block. */
export class Feeder {
  private readonly sc: LineScanner;
  private readonly buf: Buffer;
  private readonly maxLine: number;
  /** Finds the newlines when WebAssembly SIMD is there: then `buf` is its memory. */
  private readonly kernel: NewlineKernel | null;
  private filled = 0;
  /** The file offset of buf[0] (NaN: a stream, offsets unknown). */
  private bufPos = NaN;

  constructor(sc: LineScanner, maxLineBytes: number, useKernel = true) {
    this.sc = sc;
    this.maxLine = maxLineBytes;
    const size = maxLineBytes + BLOCK_BYTES + 1;
    this.kernel = useKernel ? takeKernel(size) : null;
    this.buf = this.kernel?.bytes ?? Buffer.allocUnsafe(size);
  }

  /** Done with: its kernel (and memory) may serve the next feeder of this thread (a worker scans range after range). */
  release(): void {
    if (this.kernel) spareKernels.push(this.kernel);
    spareKernels.splice(0, spareKernels.length - 1);
  }

  /** Where the next block goes (at most BLOCK_BYTES); call `commit` with how much was put there. */
  space(): Buffer {
    return this.buf.subarray(this.filled, this.filled + BLOCK_BYTES);
  }

  /** The bytes come from a file read by position from `pos` on: lines know their offsets (LineScanner.base). */
  startAt(pos: number): void {
    this.bufPos = pos - this.filled;
  }

  commit(n: number): void {
    const { sc, buf } = this;
    const total = this.filled + n;
    let from = 0;
    if (sc.isSkipping) {
      const k = sc.skipTo(buf, 0, total);
      if (k < 0) {
        this.filled = 0;
        this.bufPos += total;
        return;
      }
      from = k;
    }
    sc.base = this.bufPos;
    const rest = sc.scan(buf, from, total, false, this.kernel);
    sc.blockDone();
    if (total - rest > this.maxLine) {
      sc.startSkipping();
      this.filled = 0;
      this.bufPos += total;
    } else {
      buf.copy(buf, 0, rest, total);
      this.filled = total - rest;
      this.bufPos += rest;
    }
  }

  /** Copies a block of any size in. */
  push(chunk: Buffer): void {
    for (let off = 0; off < chunk.length;) {
      const n = chunk.copy(this.space(), 0, off);
      this.commit(n);
      off += n;
    }
  }

  /** Reads a last line without a newline. */
  end(): void {
    this.sc.base = this.bufPos;
    if (!this.sc.isSkipping && this.filled > 0) this.sc.scan(this.buf, 0, this.filled, true, this.kernel);
  }
}

const PROGRESS_EVERY = 32 << 20;

/**
 * Feeds bytes [start, end) of a plain file (a path, or a descriptor it reads by position and leaves
 * open), block by block; `onBytes` hears how far it got. Returns the bytes read: fewer than asked
 * when the file shrank while read.
 */
export function feedRange(file: string | number, start: number, end: number, feeder: Feeder, onBytes?: (n: number) => void): number {
  const fd = typeof file === 'number' ? file : openSync(file, 'r');
  try {
    let pos = start;
    let reported = 0;
    feeder.startAt(start);
    while (pos < end) {
      const n = readSync(fd, feeder.space(), 0, Math.min(BLOCK_BYTES, end - pos), pos);
      if (n === 0) break;
      pos += n;
      feeder.commit(n);
      if (onBytes && pos - reported >= PROGRESS_EVERY) {
        onBytes(pos - start);
        reported = pos;
      }
    }
    onBytes?.(pos - start);
    feeder.end();
    return pos - start;
  } finally {
    if (typeof file !== 'number') closeSync(fd);
  }
}

/**
 * Feeds a byte stream (a .gz file's inflated bytes); returns the problem that stopped it early, if
 * any: what came before the damage is read, as the line reader does.
 */
export async function feedStream(stream: Readable, inputBytes: () => number, feeder: Feeder, onBytes?: (n: number) => void): Promise<string | undefined> {
  let warning: string | undefined;
  let reported = 0;
  try {
    for await (const chunk of stream) {
      feeder.push(chunk as Buffer);
      if (onBytes && inputBytes() - reported >= PROGRESS_EVERY) {
        reported = inputBytes();
        onBytes(reported);
      }
    }
  } catch (err) {
    warning = describeReadError(err);
  }
  onBytes?.(inputBytes());
  feeder.end();
  return warning;
}
