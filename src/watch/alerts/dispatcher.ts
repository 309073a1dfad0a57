// Sends each alert to every channel on its own queue: retries with backoff, bounded queues, and a failing
// channel never blocks the engine or another channel.
import type { Alert, AlertChannel } from './types.ts';

export interface DispatchOptions {
  /** Attempts per alert and channel (default 5). */
  readonly attempts?: number;
  /** First retry delay; doubles each time (default 1 s). */
  readonly backoffMs?: number;
  /** Time limit of one attempt (default 10 s). */
  readonly timeoutMs?: number;
  /** Alerts waiting per channel; past it the oldest is dropped and counted (default 1000). */
  readonly maxQueue?: number;
  readonly onResult?: (r: { channel: string; alert: Alert; ok: boolean; attempts: number; error: string | null }) => void;
}

class ChannelQueue {
  readonly queue: Alert[] = [];
  running = false;
  dropped = 0;
  sent = 0;
  failed = 0;
  readonly channel: AlertChannel;
  constructor(channel: AlertChannel) {
    this.channel = channel;
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export class AlertDispatcher {
  readonly #queues: ChannelQueue[];
  readonly #opts: Required<Omit<DispatchOptions, 'onResult'>> & Pick<DispatchOptions, 'onResult'>;
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<void>>();

  constructor(channels: readonly AlertChannel[], opts: DispatchOptions = {}) {
    this.#queues = channels.map((c) => new ChannelQueue(c));
    this.#opts = { attempts: opts.attempts ?? 5, backoffMs: opts.backoffMs ?? 1000, timeoutMs: opts.timeoutMs ?? 10_000, maxQueue: opts.maxQueue ?? 1000, onResult: opts.onResult };
  }

  /** Queues the alert on every channel and returns at once. */
  dispatch(alert: Alert): void {
    if (this.#stop.signal.aborted) return;
    for (const q of this.#queues) {
      q.queue.push(alert);
      if (q.queue.length > this.#opts.maxQueue) {
        q.queue.shift();
        q.dropped++;
      }
      if (!q.running) {
        const p = this.#drain(q).finally(() => this.#running.delete(p));
        this.#running.add(p);
      }
    }
  }

  async #drain(q: ChannelQueue): Promise<void> {
    q.running = true;
    try {
      for (let alert = q.queue.shift(); alert; alert = q.queue.shift()) await this.#sendOne(q, alert);
    } finally {
      q.running = false;
    }
  }

  async #sendOne(q: ChannelQueue, alert: Alert): Promise<void> {
    let error = '';
    for (let attempt = 1; attempt <= this.#opts.attempts; attempt++) {
      if (this.#stop.signal.aborted && attempt > 1) break;
      try {
        await q.channel.send(alert, AbortSignal.any([AbortSignal.timeout(this.#opts.timeoutMs), this.#stop.signal]));
        q.sent++;
        this.#opts.onResult?.({ channel: q.channel.name, alert, ok: true, attempts: attempt, error: null });
        return;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        if (attempt < this.#opts.attempts) await sleep(this.#opts.backoffMs * 2 ** (attempt - 1), this.#stop.signal);
      }
    }
    q.failed++;
    this.#opts.onResult?.({ channel: q.channel.name, alert, ok: false, attempts: this.#opts.attempts, error: error.slice(0, 300) });
  }

  stats(): { channel: string; sent: number; failed: number; dropped: number; queued: number }[] {
    return this.#queues.map((q) => ({ channel: q.channel.name, sent: q.sent, failed: q.failed, dropped: q.dropped, queued: q.queue.length }));
  }

  /** Waits for the queues to empty (tests, shutdown), at most `ms`. */
  async idle(ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (this.#running.size > 0 && Date.now() < until) await Promise.race([...this.#running, new Promise((r) => setTimeout(r, 50))]);
  }

  /** Stops retrying; alerts in flight get one last try. */
  async close(ms = 5000): Promise<void> {
    this.#stop.abort();
    await this.idle(ms);
  }
}
