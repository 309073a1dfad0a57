// The request-ID join: every probe sends an X-Request-ID (a UUID, src/probe/http-probe.ts); when a followed
// log line holds the ID of a recent probe, the check and the incidents name each other. Bounded: IDs are
// remembered for `keepMs`, at most `max`, and the joins found for the last `maxJoins`.

export interface ProbeRef {
  readonly requestId: string;
  readonly target: string;
  readonly checkId: number;
  readonly at: number;
}

export interface RequestIdJoin extends ProbeRef {
  readonly source: string;
  readonly line: number;
  readonly text: string;
  /** When the line was read. */
  readonly seen: number;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export class RequestIds {
  readonly #probes = new Map<string, ProbeRef>();
  readonly #joins: RequestIdJoin[] = [];
  readonly #keepMs: number;
  readonly #max: number;
  readonly #maxJoins: number;

  constructor(keepMs = 10 * 60_000, max = 50_000, maxJoins = 500) {
    this.#keepMs = keepMs;
    this.#max = max;
    this.#maxJoins = maxJoins;
  }

  /** A probe's request ID, once its check is stored. */
  remember(p: ProbeRef): void {
    this.#probes.set(p.requestId.toLowerCase(), p);
    if (this.#probes.size > this.#max) this.#probes.delete(this.#probes.keys().next().value ?? '');
  }

  /** Forgets the probes older than the keeping time (they come in time order). */
  prune(now: number): void {
    for (const [k, p] of this.#probes) {
      if (p.at >= now - this.#keepMs) break;
      this.#probes.delete(k);
    }
  }

  /** The probes a log line names (none, mostly: the scan runs only while probes are remembered). */
  match(source: string, line: number, text: string, seen: number): RequestIdJoin[] {
    if (this.#probes.size === 0 || text.length < 36) return [];
    const out: RequestIdJoin[] = [];
    for (const m of text.matchAll(UUID)) {
      const p = this.#probes.get(m[0].toLowerCase());
      if (!p) continue;
      const j: RequestIdJoin = { ...p, source, line, text: text.slice(0, 1000), seen };
      out.push(j);
      this.#joins.push(j);
      if (this.#joins.length > this.#maxJoins) this.#joins.shift();
    }
    return out;
  }

  /** Joins whose probe ran between two times (an incident's span). */
  joinsBetween(from: number, to: number): RequestIdJoin[] {
    return this.#joins.filter((j) => j.at >= from && j.at <= to);
  }

  get size(): number {
    return this.#probes.size;
  }
}
