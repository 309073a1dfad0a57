// Runs the combined fast path over a plain file: in this thread for small files, else split into byte
// ranges that start at line starts, one worker thread per range, and the partial tallies merged in order.
// A .gz file is scanned as a stream in this thread while zlib inflates it in the thread pool.
import { readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { CombinedScanner, mergeTally, newTally, type ScanConfig, type ScanTally } from './combined-scan.ts';
import { countLines } from './count-lines.ts';
import { Feeder, feedRange, feedStream } from './line-scanner.ts';
import { fdPath } from './open-source.ts';

/** A range per worker only pays for the worker's start-up above this size. */
const BYTES_PER_WORKER = 64 << 20;

export interface ScanFileOptions {
  /** Worker threads to use; default: one per core for big files, none below 64 MiB. */
  readonly workers?: number;
  readonly onBytes?: (bytesSoFar: number) => void;
  /** Seek to the --since/--until window only in files at least this big (default 64 MiB). */
  readonly seekAbove?: number;
}

/**
 * Scans bytes [start, end) of a file (a path, or an open descriptor, which worker threads share with
 * the main thread) whose `start` is a line start; lines numbered from 1 within the range. `countOnly`:
 * the lines are counted, not read. `useKernel: false`: JavaScript only, as where WebAssembly is
 * missing (tests compare the two).
 */
export function scanRange(file: string | number, start: number, end: number, cfg: ScanConfig, onBytes?: (n: number) => void, countOnly = false, useKernel = true): ScanTally {
  if (countOnly) {
    // The same open file, reached through /proc/self/fd: a rotation cannot swap it.
    const { lines, oversize } = countLines(typeof file === 'number' ? fdPath(file) : file, start, end, cfg.maxLineBytes, onBytes);
    return { ...newTally(), lines, oversize, unread: lines - oversize };
  }
  const sc = emptyLinesCounted(new CombinedScanner(cfg));
  const feeder = new Feeder(sc, cfg.maxLineBytes, useKernel);
  feedRange(file, start, end, feeder, onBytes);
  feeder.release();
  return sc.finish();
}

/**
 * An empty line in a combined log is nothing (the access reader skips it): counted only, never handed
 * back as text, so a run of a billion costs neither time nor memory.
 */
function emptyLinesCounted(sc: CombinedScanner): CombinedScanner {
  sc.countEmpty = true;
  return sc;
}

/** What a streamed scan read: the tally, the input bytes consumed, and a problem that stopped it early. */
export interface StreamScan {
  readonly tally: ScanTally;
  readonly bytes: number;
  readonly warning: string | undefined;
}

/**
 * Scans a byte stream (a .gz file's decompressed bytes): zlib inflates in the thread pool while
 * this thread scans. A damaged stream keeps what came before the damage, as the line reader does.
 */
export async function scanStream(stream: Readable, inputBytes: () => number, cfg: ScanConfig, onBytes?: (n: number) => void, sink?: Promise<PartSink>): Promise<StreamScan> {
  const parts = new OrderedParts(sink);
  let k = 0;
  // Slow lines leave the scanner in batches (their numbers are the file's: one range from line 1).
  const sc = emptyLinesCounted(new CombinedScanner(cfg, (slow, slowLines) => parts.put(k++, { ...newTally(), slow, slowLines })));
  const warning = await feedStream(stream, inputBytes, new Feeder(sc, cfg.maxLineBytes), onBytes);
  parts.put(k++, sc.finish());
  while (!parts.finished(k)) await parts.room(k, 1);
  return { tally: parts.all, bytes: inputBytes(), warning };
}

/** The first line start at or after `pos` (`size` when none): the byte before it is a newline. */
/** The first line start at or after `pos` (the byte after a newline), read through `probe`; `size` when none. */
export function lineStartAtOrAfter(fd: number, pos: number, size: number, probe: Buffer): number {
  if (pos <= 0) return 0;
  let from = pos - 1;
  while (from < size) {
    const got = readSync(fd, probe, 0, probe.length, from);
    if (got === 0) break;
    const nl = probe.subarray(0, got).indexOf(10);
    if (nl >= 0) return from + nl + 1;
    from += got;
  }
  return size;
}

/** Splits [from, to) into up to `n` ranges whose starts are line starts. */
function planRanges(fd: number, from: number, to: number, n: number, probe: Buffer): [number, number][] {
  const cuts = [from];
  for (let k = 1; k < n; k++) {
    const at = lineStartAtOrAfter(fd, Math.max(from + Math.floor(((to - from) * k) / n), cuts[cuts.length - 1] ?? from), to, probe);
    if (at > (cuts[cuts.length - 1] ?? from) && at < to) cuts.push(at);
  }
  return cuts.map((c, i) => [c, cuts[i + 1] ?? to]);
}

/** Requests end up in the log when they finish: a window sought by time keeps this much slack on both sides. */
export const SEEK_SLACK_MS = 10 * 60_000;
const PROBE_BYTES = 64 << 10;

/** The time of the first plainly combined line starting at or after `pos` (within 64 KiB), or undefined. */
function timeNear(fd: number, pos: number, size: number, probe: Buffer, sc: CombinedScanner): number | undefined {
  const start = lineStartAtOrAfter(fd, pos, size, probe);
  const got = readSync(fd, probe, 0, probe.length, start);
  let a = 0;
  for (;;) {
    const nl = probe.subarray(0, got).indexOf(10, a);
    if (nl < 0) return undefined;
    const t = sc.timeOf(probe, a, nl);
    if (t >= 0) return t;
    a = nl + 1;
  }
}

/**
 * Finds, by binary search on the lines' times, the byte range that holds the --since/--until window
 * (with SEEK_SLACK_MS on each side); undefined when the file's times cannot be read that way.
 */
function seekWindow(fd: number, size: number, cfg: ScanConfig): [number, number] | undefined {
  const probe = Buffer.allocUnsafe(PROBE_BYTES);
  const sc = new CombinedScanner(cfg);
  /**
   * Line starts `lo` before which every line is before `target`, and `hi` from which every line is at
   * or after it, as far as the probes tell (they are at most 64 KiB apart).
   */
  const bracket = (target: number): { lo: number; hi: number } | undefined => {
    let lo = 0;
    let hi = size;
    while (hi - lo > PROBE_BYTES) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const t = timeNear(fd, mid, size, probe, sc);
      if (t === undefined) return undefined;
      if (t < target) lo = mid;
      else hi = mid;
    }
    return { lo: lineStartAtOrAfter(fd, lo, size, probe), hi: hi >= size ? size : lineStartAtOrAfter(fd, hi, size, probe) };
  };
  const from = Number.isNaN(cfg.since) ? 0 : bracket(cfg.since - SEEK_SLACK_MS)?.lo;
  const to = Number.isNaN(cfg.until) ? size : bracket(cfg.until + SEEK_SLACK_MS)?.hi;
  return from === undefined || to === undefined ? undefined : [from, Math.max(from, to)];
}

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './scan-worker.ts' : './scan-worker.js', import.meta.url);

interface WorkerDone {
  readonly type: 'done';
  readonly tally: ScanTally;
}
interface WorkerProgress {
  readonly type: 'progress';
  readonly bytes: number;
}
export interface WorkerJob {
  /** The descriptor the main thread opened the file on: every range is read from that one open file. */
  readonly fd: number;
  readonly start: number;
  readonly end: number;
  readonly cfg: ScanConfig;
  /** The range lies outside the sought window: count its lines only. */
  readonly countOnly: boolean;
}

/** Starts a scan worker before its jobs are known, so that its start-up overlaps the planning; null if workers cannot start. */
function startWorker(): Worker | null {
  try {
    // A small young generation: a range's slow lines are short-lived (see cli/relaunch.ts).
    return new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
  } catch {
    return null;
  }
}

/**
 * Hands jobs to one started worker thread, which runs them in the order posted: a second job waits in
 * the worker's queue while it scans the first, so that the worker does not idle while this thread
 * takes in its last tally. Each job resolves with its tally; a worker that fails rejects all it holds.
 */
class WorkerQueue {
  private readonly w: Worker;
  private readonly held: { resolve: (t: ScanTally) => void; reject: (e: unknown) => void; onBytes: (n: number) => void }[] = [];

  constructor(w: Worker) {
    this.w = w;
    w.on('message', (m: WorkerDone | WorkerProgress) => {
      if (m.type === 'progress') return this.held[0]?.onBytes(m.bytes);
      this.held.shift()?.resolve(m.tally);
    });
    const fail = (e: unknown): void => {
      for (const h of this.held.splice(0)) h.reject(e);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`scan worker exited with code ${code}`)));
  }

  run(job: WorkerJob, onBytes: (n: number) => void): Promise<ScanTally> {
    return new Promise((resolve, reject) => {
      this.held.push({ resolve, reject, onBytes });
      this.w.postMessage(job);
    });
  }
}

/** Jobs a worker holds at a time: the one it scans and the next. */
const JOBS_PER_WORKER = 2;

/** A range handed to a worker is at most this big, so that its slow lines stay few in memory. */
const JOB_BYTES = 8 << 20;
/** Slow-line characters scanned ahead of the consumer before the scan waits for it. */
const AHEAD_CHARS = 8 << 20;

/** Receives each range's tally in file order, with the lines before the range; its slow lines are then dropped. */
export type PartSink = (part: ScanTally, lineOffset: number) => void;

/** What a range's slow lines and cheap failures weigh against AHEAD_CHARS (a cheap failure: about 40 bytes of columns). */
function weight(t: ScanTally): number {
  let w = 0;
  for (const l of t.slow) w += l.length;
  return w + (t.cheap?.n ?? 0) * 40;
}

/**
 * Hands tallies on in file order, keeping at most a few ranges' slow lines ahead of the consumer:
 * the scan may start before anyone consumes (while error logs are read), and waits when it is far ahead.
 */
class OrderedParts {
  private readonly done = new Map<number, ScanTally>();
  private next = 0;
  private ahead = 0;
  private sink: PartSink | undefined;
  private lines = 0;
  readonly all = newTally();
  private waiters: (() => void)[] = [];
  /** No consumer: the slow lines stay in the merged tally (tests, small callers). */
  private readonly collect: boolean;

  constructor(sink: Promise<PartSink> | undefined) {
    this.collect = sink === undefined;
    void sink?.then((s) => this.attach(s));
  }

  attach(sink: PartSink): void {
    this.sink = sink;
    this.deliver();
  }

  put(i: number, t: ScanTally): void {
    this.done.set(i, t);
    this.ahead += weight(t);
    this.deliver();
  }

  private deliver(): void {
    for (let t = this.done.get(this.next); t; t = this.done.get(this.next)) {
      const toHand = t.slow.length > 0 || t.cheap !== undefined;
      if (this.sink && toHand) {
        this.ahead -= weight(t);
        this.sink(t, this.lines);
        t.slow.length = 0;
        t.slowLines.length = 0;
        t.cheap = undefined;
      } else if (!this.sink && !this.collect && toHand) break;
      else this.ahead -= weight(t);
      this.done.delete(this.next++);
      mergeTally(this.all, t, this.lines);
      this.lines = this.all.lines;
    }
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  finished(jobs: number): boolean {
    return this.next >= jobs;
  }

  /** Resolves when job `i` may start: few ranges and few slow lines ahead of the consumer. */
  async room(i: number, inFlight: number): Promise<void> {
    while (i >= this.next + inFlight || this.ahead > AHEAD_CHARS) await new Promise<void>((r) => this.waiters.push(r));
  }
}

/**
 * Scans the first `size` bytes of a plain file open on `fd` (left open; workers read it by position);
 * uses worker threads for big files and merges their tallies in file order.
 * With --since/--until on a big file, the window is found by binary search on the times; the lines
 * before it are only counted, so that line numbers stay exact, and the bytes after it are not read.
 */
export async function scanFile(fd: number, size: number, cfg: ScanConfig, opts: ScanFileOptions = {}, sink?: Promise<PartSink>): Promise<ScanTally> {
  const n = Math.max(1, opts.workers ?? Math.min(availableParallelism(), 8, Math.floor(size / BYTES_PER_WORKER)));
  const workers = n > 1 ? Array.from({ length: n }, startWorker) : [];
  let jobs: WorkerJob[];
  let notReadBytes = 0;
  try {
    const windowed = !Number.isNaN(cfg.since) || !Number.isNaN(cfg.until);
    const window = windowed && size >= (opts.seekAbove ?? BYTES_PER_WORKER) ? seekWindow(fd, size, cfg) : undefined;
    // Before the window: counted (the lines number those after). After it: not read at all.
    const segments: [number, number, boolean][] = window ? [[0, window[0], true], [window[0], window[1], false]] : [[0, size, false]];
    notReadBytes = window ? size - window[1] : 0;
    const probe = Buffer.allocUnsafe(PROBE_BYTES);
    const pieces = (start: number, end: number): number => Math.max(n, Math.ceil((end - start) / JOB_BYTES));
    jobs = segments
      .filter(([start, end]) => end > start)
      .flatMap(([start, end, countOnly]) => planRanges(fd, start, end, pieces(start, end), probe).map(([s0, e0]) => ({ fd, start: s0, end: e0, cfg, countOnly })));
  } catch (err) {
    for (const w of workers) void w?.terminate();
    throw err;
  }
  const parts = new OrderedParts(sink);
  if (n <= 1) {
    let before = 0;
    for (const [i, j] of jobs.entries()) {
      await parts.room(i, 2);
      parts.put(i, scanRange(fd, j.start, j.end, cfg, (b) => opts.onBytes?.(before + b), j.countOnly));
      before += j.end - j.start;
    }
  }
  else {
    const progress = jobs.map(() => 0);
    const report = (i: number, bytes: number): void => {
      progress[i] = bytes;
      opts.onBytes?.(progress.reduce((a, b) => a + b, 0));
    };
    let nextJob = 0;
    const lanes = n * JOBS_PER_WORKER;
    const loop = async (q: WorkerQueue): Promise<void> => {
      for (let i = nextJob++; i < jobs.length; i = nextJob++) {
        await parts.room(i, lanes + 1);
        const job = jobs[i];
        if (!job) continue;
        const t = await q.run(job, (b) => report(i, b));
        // The worker posts progress every few MiB: a finished job counts whole.
        report(i, job.end - job.start);
        parts.put(i, t);
      }
    };
    try {
      const queues = workers.map((w) => (w ? new WorkerQueue(w) : undefined));
      await Promise.all(queues.flatMap((q) => Array.from({ length: JOBS_PER_WORKER }, () => (q ? loop(q) : Promise.reject(new Error('no worker'))))));
    } catch {
      // Workers unavailable (a restricted runtime): the same scan in this thread.
      for (const w of workers) void w?.terminate();
      return scanFile(fd, size, cfg, { ...opts, workers: 1 }, sink);
    }
    for (const w of workers) void w?.terminate();
  }
  // Every part is merged once the consumer has taken its slow lines.
  while (!parts.finished(jobs.length)) await parts.room(jobs.length, 1);
  parts.all.notReadBytes = notReadBytes;
  return parts.all;
}
