// The error-log fast path over a big plain file in worker threads: the file is cut into pieces at line
// starts. This thread hands the pieces' lines and batches on in file order (each's line numbers after
// the lines before it), exactly as the quiet-record scanner in this thread would, with each piece's
// edges read as text: a piece a worker (error-digest-worker.ts) claimed, from its messages; the others
// it reads itself. A worker claims pieces from two past the one being handed on (that next one is left
// to this thread) up to AHEAD_PIECES past it: the threads share the reading as their speeds allow, and
// what waits to be handed on stays a few pieces (the memory stays flat).
import { closeSync, fstatSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { lineStartAtOrAfter } from '../sources/scan-file.ts';
import { BYTES_PER_WORKER, newWorker, openRegular, partiesFor, takeWarm } from './digest-workers.ts';
import type { BatchSink } from './error-batch-sink.ts';
import type { DigestBatch } from './error-digest.ts';
import { CLAIM, type DigestJob, type DigestMessage } from './error-digest-worker.ts';
import { WireReader } from './digest-wire.ts';

/**
 * A piece: small enough that a worker a piece ahead holds little and the threads' last pieces end close
 * together, big enough that its edges and hand-overs cost nothing. On the 1 GB upstream-error log, 8 MiB
 * pieces beat 16 MiB by 4-8 % in wall and CPU time (three interleaved sets of 7-9 rounds) and 4 MiB lost.
 */
export const PIECE_BYTES = 8 << 20;

/** Pieces read in parts so far, and of them in workers (tests check that the parallel path was used). */
export const parallelStats = { ranges: 0, inWorkers: 0, early: 0 };
/**
 * Tests: this thread reads no piece until a worker has claimed one (small test files are read by this
 * thread alone before a worker has started, and the workers' path would go untested).
 */
export const parallelTuning = { workersFirst: false };

/** Waits (at most 20 s) until a worker claimed a piece or every worker failed. */
async function firstClaim(s: Started): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 5) {
    for (let i = 0; i < s.cut.length; i++) if ((s.claims[CLAIM.owners + i] ?? 0) > 0) return;
    if (s.parts.every((p) => p.failed)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

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

/** Up to `n` ranges of [0, size) that start at line starts (cut at about size·k/n). */
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
  /** Decodes the worker's chunks (its table of recurring strings grows over all its pieces). */
  readonly reader: WireReader;
  wake: (() => void) | undefined;
  failed: Error | undefined;
}

function start(job: DigestJob): Part | undefined {
  let worker: Worker;
  try {
    // One started when the command started (digest-workers.ts) has loaded already.
    worker = takeWarm() ?? newWorker();
  } catch {
    return undefined;
  }
  const part: Part = { worker, credit: new Int32Array(job.credit), queue: [], reader: new WireReader(), wake: undefined, failed: undefined };
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

/**
 * Reads bytes [start, end) in this thread, as a range (its edges read as text), through the same digest
 * and sink; its lines are numbered after `lineOffset` lines.
 */
export type ReadHere = (start: number, end: number, lineOffset: number) => { lines: number; oversize: number; bytes: number };

/**
 * Reads the plain file on `fd` (`size` bytes) in pieces: this thread's (`readHere`) and, meanwhile, the
 * workers'; `handle` gets the lines the reader must read, `sink` the batches, in file order. Undefined
 * when the file is too small or no worker can start (nothing was handed on then). `minBytes`: a party
 * (this thread or a worker) per so many bytes; the pieces are a quarter of that at most.
 */
export async function readInParallel(
  fd: number, size: number, head: Uint8Array, setup: ParallelSetup, maxLineBytes: number,
  sink: BatchSink, handle: (line: string, lineNo: number) => void, onBytes: (n: number) => void,
  readHere: ReadHere, minBytes = BYTES_PER_WORKER, early?: EarlyStart,
): Promise<ParallelRead | undefined> {
  const started = early && early.size === size && sameFile(early, fd) ? early : startParts(fd, size, head, setup, maxLineBytes, minBytes);
  if (early && started !== early) endEarly(early);
  if (!started) return undefined;
  if (started === early) parallelStats.early++;
  if (early) early.taken = true;
  const { cut, claims, parts } = started;
  if (parallelTuning.workersFirst) await firstClaim(started);
  let offset = 0;
  let oversize = 0;
  let readTo = 0;
  // The workers keep no more precursor texts once the store's list is full (this thread's pieces may fill it).
  sink.onListFull = () => Atomics.store(claims, CLAIM.listFull, 1);
  try {
    for (const [i, [s, e]] of cut.entries()) {
      // Unclaimed: this thread reads it (a worker claims no piece this thread has).
      const owner = Atomics.compareExchange(claims, CLAIM.owners + i, 0, -1);
      const part = owner > 0 ? parts[owner - 1] : undefined;
      sink.lineOffset = offset;
      const got = part ? await consume(part, s, sink, handle, onBytes, offset) : readHere(s, e, offset);
      offset += got.lines;
      oversize += got.oversize;
      readTo = s + got.bytes;
      parallelStats.ranges++;
      if (part) parallelStats.inWorkers++;
      if (sink.listFull()) Atomics.store(claims, CLAIM.listFull, 1);
      Atomics.store(claims, CLAIM.handedOn, i + 1);
      Atomics.notify(claims, CLAIM.handedOn);
      if (got.bytes < e - s) break;
    }
    return { lines: offset, oversize, readTo };
  } finally {
    stopParts(started);
    if (started === early) closeSync(early.fd);
  }
}

interface Started {
  readonly cut: readonly (readonly [number, number])[];
  readonly claims: Int32Array;
  readonly parts: readonly Part[];
}

/** Cuts the file on `fd` into pieces and starts the workers on them; undefined when too small or none can start. */
function startParts(fd: number, size: number, head: Uint8Array, setup: ParallelSetup, maxLineBytes: number, minBytes: number): Started | undefined {
  const n = partiesFor(size, minBytes);
  if (n < 2) return undefined;
  // A piece: a quarter of a party's bytes at most (small pieces in tests), PIECE_BYTES in use.
  const pieceBytes = Math.max(1, Math.min(PIECE_BYTES, Math.floor(minBytes / 4)));
  const cut = ranges(fd, size, n * Math.max(1, Math.round(size / (n * pieceBytes))));
  const claims = new Int32Array(new SharedArrayBuffer(4 * (CLAIM.owners + cut.length)));
  const parts: Part[] = [];
  for (let w = 1; w < n; w++) {
    const part = start({ fd, pieces: cut, claims: claims.buffer, me: w, head, ...setup, maxLineBytes, credit: new SharedArrayBuffer(4) });
    if (!part) {
      for (const p of parts) void p.worker.terminate();
      return undefined;
    }
    parts.push(part);
  }
  return { cut, claims, parts };
}

/** Releases workers still waiting for a piece (the end mark), then ends them. */
function stopParts(s: Started): void {
  Atomics.store(s.claims, CLAIM.handedOn, s.cut.length + AHEAD_END);
  Atomics.notify(s.claims, CLAIM.handedOn);
  for (const p of s.parts) void p.worker.terminate();
}

/**
 * Workers started on a file before its reader reached it (run-analysis starts them as soon as the plan
 * shows a big plain nginx error log, while this thread loads the catalog): they claim pieces from the
 * third on, as they would later; the reader takes them over when its file is the same one.
 */
export interface EarlyStart extends Started {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  /** A read took the workers over (else `endEarly` ends them). */
  taken: boolean;
}

/** Opens `path` and starts its workers now; undefined when it is no regular file, too small or none can start. */
export function startEarly(path: string, head: Uint8Array, setup: ParallelSetup, maxLineBytes: number, minBytes = BYTES_PER_WORKER): EarlyStart | undefined {
  const file = openRegular(path);
  if (!file) return undefined;
  const { fd, stat } = file;
  const started = startParts(fd, stat.size, head, setup, maxLineBytes, minBytes);
  if (!started) {
    closeSync(fd);
    return undefined;
  }
  return { ...started, fd, dev: stat.dev, ino: stat.ino, size: stat.size, taken: false };
}

/** Ends early workers no read took, and closes their file. */
export function endEarly(e: EarlyStart): void {
  if (e.taken) return;
  e.taken = true;
  stopParts(e);
  closeSync(e.fd);
}

/** Whether `fd` is the file the early workers read, at the size they cut. */
function sameFile(e: EarlyStart, fd: number): boolean {
  const st = fstatSync(fd);
  return !e.taken && st.dev === e.dev && st.ino === e.ino && st.size === e.size;
}

/** Added to the piece count at the end: every worker's wait for a piece is over. */
const AHEAD_END = 1 << 20;

/** Hands on a worker's next piece (starting at byte `s`, its lines after `offset`), in order; its tally. */
async function consume(
  part: Part, s: number, sink: BatchSink, handle: (line: string, lineNo: number) => void, onBytes: (n: number) => void, offset: number,
): Promise<{ lines: number; oversize: number; bytes: number }> {
  const line = (n: number, text: string): void => {
    sink.textComing();
    handle(text, n + offset);
  };
  const batch = (b: DigestBatch): void => sink.batch(b);
  for (;;) {
    const m = await next(part);
    if (m.type === 'done') return m;
    part.reader.read(m.chunk, line, batch);
    onBytes(s + m.bytes);
    Atomics.add(part.credit, 0, m.kib);
    Atomics.notify(part.credit, 0);
  }
}
