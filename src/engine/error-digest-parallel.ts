// The error-log fast path over a big plain file in worker threads: the file is cut into byte ranges at
// line starts, one worker each (error-digest-worker.ts); this thread hands each range's lines and
// batches on in file order (ranges one after another, each's line numbers after the lines before it),
// exactly as the quiet-record scanner in this thread would, with each range's edges read as text.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lineStartAtOrAfter } from '../sources/scan-file.ts';
import type { BatchSink } from './error-batch-sink.ts';
import type { DigestJob, DigestMessage } from './error-digest-worker.ts';

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './error-digest-worker.ts' : './error-digest-worker.js', import.meta.url);

/** A range per worker only pays for the worker's start-up (and its copy of the catalog) above this size. */
export const BYTES_PER_WORKER = 64 << 20;
const MAX_WORKERS = 4;

/** Ranges read in workers so far (tests check that the parallel path was used). */
export const parallelStats = { ranges: 0 };

export interface ParallelSetup {
  readonly tz: string | undefined;
  readonly offsetMinutes: number;
  readonly since: number;
  readonly until: number;
}

export interface ParallelRead {
  readonly lines: number;
  readonly oversize: number;
  /** The byte reached: fewer than the size when the file shrank while read. */
  readonly readTo: number;
}

/** Up to `n` ranges of [0, size) that start at line starts. */
function ranges(fd: number, size: number, n: number): [number, number][] {
  const cuts = [0];
  const probe = Buffer.allocUnsafe(64 << 10);
  for (let k = 1; k < n; k++) {
    const at = lineStartAtOrAfter(fd, Math.floor((size * k) / n), size, probe);
    if (at > (cuts[cuts.length - 1] ?? 0) && at < size) cuts.push(at);
  }
  return cuts.map((c, i) => [c, cuts[i + 1] ?? size]);
}

interface Part {
  readonly worker: Worker;
  readonly credit: Int32Array;
  readonly queue: DigestMessage[];
  wake: (() => void) | undefined;
  failed: Error | undefined;
}

function start(job: DigestJob): Part | undefined {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 } });
  } catch {
    return undefined;
  }
  const part: Part = { worker, credit: new Int32Array(job.credit), queue: [], wake: undefined, failed: undefined };
  const wake = (): void => {
    const w = part.wake;
    part.wake = undefined;
    w?.();
  };
  worker.on('message', (m: DigestMessage) => {
    part.queue.push(m);
    wake();
  });
  worker.on('error', (err: unknown) => {
    part.failed = err instanceof Error ? err : new Error(String(err));
    wake();
  });
  worker.on('exit', (code) => {
    part.failed ??= new Error(`error-log worker exited with code ${code}`);
    wake();
  });
  worker.postMessage(job);
  return part;
}

/** The next message of a part, waiting for it. */
async function next(part: Part): Promise<DigestMessage> {
  for (;;) {
    const m = part.queue.shift();
    if (m) return m;
    if (part.failed) throw part.failed;
    await new Promise<void>((resolve) => (part.wake = resolve));
  }
}

/** Reads bytes [start, end) in this thread, as a range (its edges read as text), through the same digest and sink. */
export type ReadHere = (start: number, end: number) => { lines: number; oversize: number; bytes: number };

/**
 * Reads the plain file on `fd` (`size` bytes) in parts: the first in this thread (`readHere`), the others
 * in worker threads meanwhile; `handle` gets the lines the reader must read, `sink` the batches, in file
 * order. Undefined when the file is too small or no worker can start (nothing was handed on then).
 */
export async function readInParallel(
  fd: number, size: number, head: Uint8Array, setup: ParallelSetup, maxLineBytes: number,
  sink: BatchSink, handle: (line: string, lineNo: number) => void, onBytes: (n: number) => void,
  readHere: ReadHere, minBytes = BYTES_PER_WORKER,
): Promise<ParallelRead | undefined> {
  const n = Math.min(MAX_WORKERS, availableParallelism(), Math.floor(size / minBytes));
  if (n < 2) return undefined;
  const cut = ranges(fd, size, n);
  const parts: Part[] = [];
  for (const [s, e] of cut.slice(1)) {
    const part = start({ fd, start: s, end: e, head, ...setup, maxLineBytes, credit: new SharedArrayBuffer(4) });
    if (!part) {
      for (const p of parts) void p.worker.terminate();
      return undefined;
    }
    parts.push(part);
  }
  const [s0, e0] = cut[0] ?? [0, 0];
  let offset = 0;
  let oversize = 0;
  let readTo = 0;
  try {
    const here = readHere(s0, e0);
    offset = here.lines;
    oversize = here.oversize;
    readTo = s0 + here.bytes;
    parallelStats.ranges++;
    if (here.bytes < e0 - s0) return { lines: offset, oversize, readTo };
    for (const [k, part] of parts.entries()) {
      const [s, e] = cut[k + 1] ?? [0, 0];
      for (let m = await next(part); ; m = await next(part)) {
        if (m.type === 'done') {
          offset += m.lines;
          oversize += m.oversize;
          readTo = s + m.bytes;
          parallelStats.ranges++;
          if (m.bytes < e - s) return { lines: offset, oversize, readTo };
          break;
        }
        sink.lineOffset = offset;
        for (const ev of m.events) {
          if (Array.isArray(ev)) {
            sink.textComing();
            handle(ev[1], ev[0] + offset);
          } else sink.batch(ev);
        }
        onBytes(s + m.bytes);
        Atomics.add(part.credit, 0, m.kib);
        Atomics.notify(part.credit, 0);
      }
    }
    return { lines: offset, oversize, readTo };
  } finally {
    for (const p of parts) void p.worker.terminate();
  }
}
