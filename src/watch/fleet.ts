// This instance's share of the targets: a lease round every tick renews its leases and claims free or expired
// ones toward its fair share (store.leaseTargets); it probes a target only while its lease surely holds.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Store } from './store/types.ts';

export interface LeaseTiming {
  /** Between two lease rounds. */
  readonly tickMs: number;
  /** A lease's length: three ticks, so one slow or failed round loses nothing. */
  readonly leaseMs: number;
}

/**
 * From the shortest target interval: a round every fifth of it (100 ms to 10 s), leases of three rounds. A dead
 * instance's leases lapse within `leaseMs`, another claims them within one more tick (4 ticks ≤ 1 interval), and
 * the target's next due probe runs there: taken over within two intervals.
 */
export function leaseTiming(intervals: readonly number[]): LeaseTiming {
  const shortest = intervals.length === 0 ? 30_000 : Math.min(...intervals);
  const tickMs = Math.min(10_000, Math.max(100, Math.floor(shortest / 5)));
  return { tickMs, leaseMs: tickMs * 3 };
}

export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface FleetEvents {
  /** Targets this instance now holds that it did not hold before. */
  readonly acquired: (targets: readonly string[]) => Promise<void>;
  readonly lost: (targets: readonly string[]) => void;
  readonly error: (err: unknown) => void;
  /** After each good round, with the number of live instances. */
  readonly after?: (instances: number) => void;
}

export class LeaseKeeper {
  readonly owner: string;
  readonly timing: LeaseTiming;
  readonly #store: Store;
  readonly #targets: readonly string[];
  readonly #events: FleetEvents;
  #held = new Set<string>();
  /** Local time until which the leases of the last round surely hold (the round's start + leaseMs − a tick). */
  #validUntil = 0;
  #instances = 1;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = false;

  constructor(store: Store, owner: string, targets: readonly string[], timing: LeaseTiming, events: FleetEvents) {
    this.#store = store;
    this.owner = owner;
    this.#targets = targets;
    this.timing = timing;
    this.#events = events;
  }

  start(): void {
    this.#schedule(0);
  }

  owns(target: string): boolean {
    return this.#held.has(target) && Date.now() < this.#validUntil;
  }

  held(): readonly string[] {
    return [...this.#held];
  }

  instances(): number {
    return this.#instances;
  }

  /** Runs one round now (tests, and the first round at start). */
  async round(): Promise<void> {
    const started = Date.now();
    try {
      const r = await this.#store.leaseTargets({ owner: this.owner, targets: this.#targets, leaseMs: this.timing.leaseMs });
      if (this.#stopped) return;
      const now = new Set(r.held);
      const lost = [...this.#held].filter((t) => !now.has(t));
      const gained = r.held.filter((t) => !this.#held.has(t));
      this.#held = now;
      this.#instances = r.instances;
      this.#validUntil = started + this.timing.leaseMs - this.timing.tickMs;
      if (lost.length > 0) this.#events.lost(lost);
      if (gained.length > 0) await this.#events.acquired(gained);
      this.#events.after?.(r.instances);
    } catch (err) {
      this.#events.error(err);
    }
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#round = this.round().finally(() => this.#schedule(this.timing.tickMs));
    }, ms);
  }

  /** Stops the rounds and gives the leases back, so the rest of the fleet takes them at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
    this.#held.clear();
    await this.#store.releaseTargets(this.owner).catch((err: unknown) => this.#events.error(err));
  }
}
