// Error-log workers started early: a worker of the parallel error-log read (error-digest-worker.ts)
// spends about 0.2 s loading its modules and the catalog before it reads a byte. Started when the
// command starts, while this thread loads its own modules, that time is spent on a core that is idle
// then, not while the file is read. Only a hint: `warmFor` guesses from each input's first bytes, a
// worker no read takes stays idle (unreferenced: it holds no exit up) and `dropWarm` ends it.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { getCompileCacheDir } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './error-digest-worker-boot.ts' : './error-digest-worker-boot.js', import.meta.url);
/** A range per worker only pays for the worker's start-up (and its copy of the catalog) above this size. */
export const BYTES_PER_WORKER = 64 << 20;
const MAX_WORKERS = 4;
const LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 } };

/** Parties (this thread and workers) for a file of `size` bytes, a party per `minBytes` at least. */
export function partiesFor(size: number, minBytes = BYTES_PER_WORKER): number {
  return Math.min(MAX_WORKERS, availableParallelism(), Math.floor(size / minBytes));
}

interface Warm {
  readonly worker: Worker;
  exited: boolean;
}

const warm: Warm[] = [];

/** A new worker (the limits every error-log worker runs with, this thread's compile cache); throws when none can start. */
export function newWorker(): Worker {
  return new Worker(WORKER_URL, { ...LIMITS, workerData: { compileCache: getCompileCacheDir() } });
}

/** Starts `n` workers now (fewer when some are warm already); never throws. */
export function warmUp(n: number): void {
  while (warm.length < n) {
    let worker: Worker;
    try {
      worker = newWorker();
    } catch {
      return;
    }
    const w: Warm = { worker, exited: false };
    // Until a read takes it: failures end it quietly (the read starts a worker of its own then).
    worker.on('error', () => undefined);
    worker.on('exit', () => (w.exited = true));
    worker.unref();
    warm.push(w);
  }
}

/** A warm worker that is still running, held by the process again; undefined when none is. */
export function takeWarm(): Worker | undefined {
  for (let w = warm.shift(); w; w = warm.shift()) {
    if (w.exited) continue;
    w.worker.ref();
    return w.worker;
  }
  return undefined;
}

/** Workers warm now (tests). */
export function warmCount(): number {
  return warm.filter((w) => !w.exited).length;
}

/** Ends the warm workers no read took. */
export function dropWarm(): void {
  for (let w = warm.shift(); w; w = warm.shift()) void w.worker.terminate();
}

/** nginx's error log line start: "YYYY/MM/DD HH:MM:SS [". */
const ERROR_START = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[/;

/**
 * Warms the workers an `analyze` of `args` will likely want: when each argument that is a file starts
 * like an nginx error log (a run with an access log takes no error-log workers) and one is big enough
 * to be read in parts. Arguments that are no files (options, their values, folders) are passed over.
 */
export function warmFor(args: readonly string[], minBytes = BYTES_PER_WORKER): void {
  const parties = partiesFor(biggestErrorLog(args), minBytes);
  if (parties >= 2) warmUp(parties - 1);
}

/**
 * The size of the biggest plain file among `args` when each argument that is a file starts like an
 * nginx error log, else 0 (arguments that are no files are passed over; a guess from first bytes).
 */
export function biggestErrorLog(args: readonly string[]): number {
  let biggest = 0;
  for (const a of args) {
    if (a.startsWith('-') || a.endsWith('.gz')) continue;
    const file = openRegular(a);
    if (!file) continue;
    let start = '';
    try {
      const b = Buffer.alloc(32);
      start = b.toString('latin1', 0, readSync(file.fd, b, 0, b.length, 0));
    } catch {
      // Unreadable: the command reports it.
    } finally {
      closeSync(file.fd);
    }
    if (!ERROR_START.test(start)) return 0;
    biggest = Math.max(biggest, file.stat.size);
  }
  return biggest;
}

/**
 * `path` opened for reading when it is a regular file (its descriptor and stat), else undefined. Anything
 * else is never opened (a FIFO's writer would take an open for its reader); opened without blocking and
 * checked again after opening, so one swapped in since the stat never holds the command up.
 */
export function openRegular(path: string): { fd: number; stat: Stats } | undefined {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return undefined;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isFile()) return { fd, stat };
  } catch {
    // Not statable: as if missing.
  }
  closeSync(fd);
  return undefined;
}
