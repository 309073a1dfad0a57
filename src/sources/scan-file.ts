// Runs the combined fast path over a plain file: in this thread for small files, else split into byte
// ranges that start at line starts, one worker thread per range, and the partial tallies merged in order.
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CombinedScanner, mergeTally, newTally, type ScanConfig, type ScanTally } from './combined-scan.ts';

/** Bytes per read: small enough to stay in the CPU cache while the scanner reads them. */
const READ_BYTES = 1 << 20;
/** A range per worker only pays for the worker's start-up above this size. */
const BYTES_PER_WORKER = 64 << 20;
const PROGRESS_EVERY = 32 << 20;

export interface ScanFileOptions {
  /** Worker threads to use; default: one per core for big files, none below 64 MiB. */
  readonly workers?: number;
  readonly onBytes?: (bytesSoFar: number) => void;
}

/** Scans bytes [start, end) of a file whose `start` is a line start; lines numbered from 1 within the range. */
export function scanRange(path: string, start: number, end: number, cfg: ScanConfig, onBytes?: (n: number) => void): ScanTally {
  const fd = openSync(path, 'r');
  try {
    const sc = new CombinedScanner(cfg);
    const buf = Buffer.allocUnsafe(cfg.maxLineBytes + READ_BYTES + 1);
    let filled = 0;
    let pos = start;
    let reported = 0;
    while (pos < end) {
      const n = readSync(fd, buf, filled, Math.min(READ_BYTES, end - pos), pos);
      if (n === 0) break;
      pos += n;
      const total = filled + n;
      let from = 0;
      if (sc.isSkipping) {
        const k = sc.skipTo(buf, 0, total);
        if (k < 0) {
          filled = 0;
          continue;
        }
        from = k;
      }
      const rest = sc.scan(buf, from, total, false);
      if (total - rest > cfg.maxLineBytes) {
        sc.startSkipping();
        filled = 0;
      } else {
        buf.copy(buf, 0, rest, total);
        filled = total - rest;
      }
      if (onBytes && pos - reported >= PROGRESS_EVERY) {
        onBytes(pos - start);
        reported = pos;
      }
    }
    if (!sc.isSkipping && filled > 0) sc.scan(buf, 0, filled, true);
    onBytes?.(pos - start);
    return sc.finish();
  } finally {
    closeSync(fd);
  }
}

/** Splits [0, size) into `n` ranges whose starts are line starts (the byte before is a newline). */
export function planRanges(path: string, size: number, n: number): [number, number][] {
  const fd = openSync(path, 'r');
  try {
    const cuts = [0];
    const probe = Buffer.allocUnsafe(READ_BYTES);
    for (let k = 1; k < n; k++) {
      let at = Math.max(Math.floor((size * k) / n), cuts[cuts.length - 1] ?? 0);
      // Find the first newline at or after at - 1: the range starts just after it.
      let found = -1;
      let from = Math.max(0, at - 1);
      while (found < 0 && from < size) {
        const got = readSync(fd, probe, 0, READ_BYTES, from);
        if (got === 0) break;
        const nl = probe.subarray(0, got).indexOf(10);
        if (nl >= 0) found = from + nl;
        else from += got;
      }
      at = found < 0 ? size : found + 1;
      if (at > (cuts[cuts.length - 1] ?? 0) && at < size) cuts.push(at);
    }
    return cuts.map((c, i) => [c, cuts[i + 1] ?? size]);
  } finally {
    closeSync(fd);
  }
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
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly cfg: ScanConfig;
}

function runWorker(job: WorkerJob, onBytes: (n: number) => void): Promise<ScanTally> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: job });
    let done = false;
    w.on('message', (m: WorkerDone | WorkerProgress) => {
      if (m.type === 'progress') onBytes(m.bytes);
      else {
        done = true;
        resolve(m.tally);
      }
    });
    w.on('error', reject);
    w.on('exit', (code) => {
      if (!done) reject(new Error(`scan worker exited with code ${code}`));
    });
  });
}

/** Scans a whole plain file; uses worker threads for big files and merges their tallies in file order. */
export async function scanFile(path: string, size: number, cfg: ScanConfig, opts: ScanFileOptions = {}): Promise<ScanTally> {
  const n = opts.workers ?? Math.min(availableParallelism(), 8, Math.floor(size / BYTES_PER_WORKER));
  if (n <= 1) return scanRange(path, 0, size, cfg, opts.onBytes);
  const ranges = planRanges(path, size, n);
  const progress = ranges.map(() => 0);
  const report = (k: number, bytes: number): void => {
    progress[k] = bytes;
    opts.onBytes?.(progress.reduce((s, b) => s + b, 0));
  };
  let tallies: ScanTally[];
  try {
    tallies = await Promise.all(ranges.map(([start, end], k) => runWorker({ path, start, end, cfg }, (b) => report(k, b))));
  } catch {
    // Workers unavailable (a restricted runtime): the same scan in this thread.
    return scanRange(path, 0, size, cfg, opts.onBytes);
  }
  const all = newTally();
  for (const t of tallies) mergeTally(all, t, all.lines);
  return all;
}
