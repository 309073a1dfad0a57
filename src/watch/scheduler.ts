// Runs each target's probe every interval with a random first offset (jitter), at most `concurrency` at once,
// from one timer over a min-heap of due times (10,000 targets cost one timer, not 10,000).
export interface ScheduledJob {
  readonly id: string;
  readonly intervalMs: number;
  readonly run: () => Promise<void>;
}

export interface SchedulerStats {
  readonly started: number;
  /** Due runs skipped because the previous run of the same job had not finished. */
  readonly skipped: number;
  /** Start delays behind the due time, in ms (a bounded reservoir of the latest). */
  readonly lags: readonly number[];
  readonly running: number;
}

interface Entry {
  due: number;
  /** The due time of the run waiting to start (for its lag). */
  lastDue: number;
  readonly job: ScheduledJob;
  /** Running, or waiting for a free slot: a due time that comes meanwhile is skipped. */
  busy: boolean;
}

const LAG_SAMPLES = 20_000;

export class Scheduler {
  readonly #heap: Entry[] = [];
  readonly #concurrency: number;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running = 0;
  #waiting: Entry[] = [];
  #stopped = false;
  #started = 0;
  #skipped = 0;
  readonly #lags: number[] = [];

  constructor(jobs: readonly ScheduledJob[], opts: { concurrency: number; now?: () => number; random?: () => number }) {
    this.#concurrency = opts.concurrency;
    this.#now = opts.now ?? Date.now;
    const random = opts.random ?? Math.random;
    const t0 = this.#now();
    for (const job of jobs) this.#push({ due: t0 + Math.floor(random() * job.intervalMs), lastDue: 0, job, busy: false });
  }

  start(): void {
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  stats(): SchedulerStats {
    return { started: this.#started, skipped: this.#skipped, lags: [...this.#lags], running: this.#running };
  }

  #push(e: Entry): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p]).due <= e.due) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  #pop(): Entry | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (!top || !last || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && (h[r]).due < (h[l]).due ? r : l;
      if ((h[c]).due >= last.due) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }

  #arm(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const next = this.#heap[0];
    if (!next) return;
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, next.due - this.#now()));
  }

  #tick(): void {
    const now = this.#now();
    for (let e = this.#heap[0]; e && e.due <= now; e = this.#heap[0]) {
      this.#pop();
      if (e.busy) this.#skipped++;
      else {
        e.busy = true;
        e.lastDue = e.due;
        this.#waiting.push(e);
      }
      e.due += e.job.intervalMs;
      // A job far behind (the process slept) resumes from now rather than firing its backlog.
      if (e.due <= now) e.due = now + e.job.intervalMs;
      this.#push(e);
    }
    this.#startWaiting();
    this.#arm();
  }

  #startWaiting(): void {
    while (this.#running < this.#concurrency && this.#waiting.length > 0 && !this.#stopped) {
      const e = this.#waiting.shift() as Entry;
      this.#running++;
      this.#started++;
      this.#lags.push(this.#now() - e.lastDue);
      if (this.#lags.length > LAG_SAMPLES) this.#lags.splice(0, this.#lags.length - LAG_SAMPLES);
      e.job.run().catch(() => undefined).finally(() => {
        e.busy = false;
        this.#running--;
        this.#startWaiting();
      });
    }
  }
}

/** The q-quantile (0–1) of numbers, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
}
