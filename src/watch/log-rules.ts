// The log alert rules of the config (`rules.errorRate` with `minRequests` over `window`, `rules.latencyP95`,
// `rules.slo` burn rate) on the access lines of followed logs: counts in 10-second buckets, a latency
// histogram per bucket, and a state per rule that fires when its condition holds and resolves once it has
// not held for `resolveAfter`. Pure: times are handed in.

export interface LogRuleSpec {
  readonly errorRate: number;
  readonly minRequests: number;
  readonly windowMs: number;
  readonly latencyP95Ms: number | undefined;
  readonly slo: number | undefined;
  readonly resolveAfterMs: number;
}

export type LogRuleName = 'errorRate' | 'latencyP95' | 'sloBurn';

/** What a rule saw when it fired or resolved, for the incident and the alert. */
export interface RuleReading {
  readonly rule: LogRuleName;
  readonly requests: number;
  readonly errors: number;
  /** errorRate: the share of 5xx; latencyP95: p95 in ms; sloBurn: the burn rate over the long window. */
  readonly value: number;
  /** sloBurn: the burn rate over the short window. */
  readonly short?: number;
  readonly text: string;
}

export interface RuleEvent {
  readonly kind: 'fire' | 'resolve';
  readonly reading: RuleReading;
  readonly at: number;
}

export const BUCKET_MS = 10_000;
/** Burn-rate alerting (Google SRE workbook): 2 % of a 30-day budget in 1 h is a 14.4x burn, checked over 1 h and 5 min. */
export const BURN_RATE = 14.4;
export const BURN_LONG_MS = 3_600_000;
export const BURN_SHORT_MS = 300_000;

/** Latency histogram bins: 1 ms × 1.25^k, k < 64 (up to about 1.6 h); the last bin takes the rest. */
const BINS = 64;
const GROWTH = Math.log(1.25);
const binOf = (ms: number): number => (ms <= 1 ? 0 : Math.min(BINS - 1, Math.ceil(Math.log(ms) / GROWTH)));
const upperOf = (bin: number): number => Math.exp(bin * GROWTH);

interface Bucket {
  requests: number;
  errors: number;
  timed: number;
  readonly bins: Uint32Array;
}

/** Counts of access lines by 10-second bucket over the longest span a rule needs. */
export class RuleWindow {
  readonly #buckets = new Map<number, Bucket>();
  readonly #spanMs: number;
  #last: [number, Bucket] | undefined;

  constructor(spanMs: number) {
    this.#spanMs = spanMs;
  }

  /** One request: its time (ms), status and total time in seconds (NaN when the log has none). */
  add(time: number, status: number, requestTimeS: number): void {
    const k = Math.floor(time / BUCKET_MS);
    let b = this.#last?.[0] === k ? this.#last[1] : this.#buckets.get(k);
    if (!b) {
      b = { requests: 0, errors: 0, timed: 0, bins: new Uint32Array(BINS) };
      this.#buckets.set(k, b);
    }
    this.#last = [k, b];
    b.requests++;
    if (status >= 500 && status <= 599) b.errors++;
    if (requestTimeS >= 0) {
      b.timed++;
      b.bins[binOf(requestTimeS * 1000)]++;
    }
  }

  /**
   * Forgets buckets older than the span before `now`, and those more than the span after it (lines dated in
   * the future would never grow old): at most two spans of buckets, whatever times the lines carry.
   */
  prune(now: number): void {
    const first = Math.floor((now - this.#spanMs) / BUCKET_MS);
    const last = Math.floor((now + this.#spanMs) / BUCKET_MS);
    for (const k of this.#buckets.keys()) if (k < first || k > last) this.#buckets.delete(k);
    if (this.#last && (this.#last[0] < first || this.#last[0] > last)) this.#last = undefined;
  }

  get buckets(): number {
    return this.#buckets.size;
  }

  /** Requests, 5xx and the p95 (ms, an upper bound within 25 %) of the `spanMs` before `now`. */
  stats(now: number, spanMs: number): { requests: number; errors: number; p95Ms: number } {
    const first = Math.floor((now - spanMs) / BUCKET_MS) + 1;
    const last = Math.floor(now / BUCKET_MS);
    let requests = 0;
    let errors = 0;
    let timed = 0;
    const bins = new Uint32Array(BINS);
    for (const [k, b] of this.#buckets) {
      if (k < first || k > last) continue;
      requests += b.requests;
      errors += b.errors;
      timed += b.timed;
      for (let i = 0; i < BINS; i++) bins[i] = (bins[i] ?? 0) + (b.bins[i] ?? 0);
    }
    return { requests, errors, p95Ms: percentile(bins, timed, 0.95) };
  }
}

function percentile(bins: Uint32Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const want = Math.ceil(n * q);
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += bins[i] ?? 0;
    if (seen >= want) return upperOf(i);
  }
  return upperOf(BINS - 1);
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
const secs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const span = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`);

/** The readings of every configured rule now, with whether each condition holds. */
export function readRules(w: RuleWindow, spec: LogRuleSpec, now: number): { reading: RuleReading; holds: boolean }[] {
  const out: { reading: RuleReading; holds: boolean }[] = [];
  const win = w.stats(now, spec.windowMs);
  const enough = win.requests >= spec.minRequests;
  const rate = win.requests > 0 ? win.errors / win.requests : 0;
  out.push({
    holds: enough && rate >= spec.errorRate,
    reading: { rule: 'errorRate', requests: win.requests, errors: win.errors, value: rate, text: `5xx rate ${pct(rate)} (${win.errors} of ${win.requests}) over ${span(spec.windowMs)}, at or above ${pct(spec.errorRate)}` },
  });
  if (spec.latencyP95Ms !== undefined) {
    out.push({
      holds: enough && win.p95Ms > spec.latencyP95Ms,
      reading: { rule: 'latencyP95', requests: win.requests, errors: win.errors, value: win.p95Ms, text: `p95 request time ${secs(win.p95Ms)} over ${span(spec.windowMs)}, above ${secs(spec.latencyP95Ms)}` },
    });
  }
  if (spec.slo !== undefined) {
    const budget = 1 - spec.slo;
    const long = w.stats(now, BURN_LONG_MS);
    const short = w.stats(now, BURN_SHORT_MS);
    const burn = (s: { requests: number; errors: number }): number => (s.requests > 0 ? s.errors / s.requests / budget : 0);
    const bl = burn(long);
    const bs = burn(short);
    out.push({
      holds: short.requests >= spec.minRequests && bl >= BURN_RATE && bs >= BURN_RATE,
      reading: { rule: 'sloBurn', requests: long.requests, errors: long.errors, value: bl, short: bs, text: `error budget of SLO ${spec.slo} burning ${bl.toFixed(1)}x over 1h and ${bs.toFixed(1)}x over 5m (alert at ${BURN_RATE}x)` },
    });
  }
  return out;
}

/** Each rule's state: fires when its condition holds, resolves once it has not held for `resolveAfterMs`. */
export class LogRules {
  readonly window: RuleWindow;
  readonly #spec: LogRuleSpec;
  readonly #firing = new Map<LogRuleName, { since: number; clearSince: number | undefined }>();

  constructor(spec: LogRuleSpec) {
    this.#spec = spec;
    this.window = new RuleWindow(Math.max(spec.windowMs, spec.slo !== undefined ? BURN_LONG_MS : 0) + BUCKET_MS);
  }

  firing(rule: LogRuleName): boolean {
    return this.#firing.has(rule);
  }

  /** Evaluates every rule at `now`; returns what fired and what resolved. */
  evaluate(now: number): RuleEvent[] {
    this.window.prune(now);
    const events: RuleEvent[] = [];
    for (const { reading, holds } of readRules(this.window, this.#spec, now)) {
      const state = this.#firing.get(reading.rule);
      if (holds) {
        if (!state) {
          this.#firing.set(reading.rule, { since: now, clearSince: undefined });
          events.push({ kind: 'fire', reading, at: now });
        } else state.clearSince = undefined;
      } else if (state) {
        state.clearSince ??= now;
        if (now - state.clearSince >= this.#spec.resolveAfterMs) {
          this.#firing.delete(reading.rule);
          events.push({ kind: 'resolve', reading, at: now });
        }
      }
    }
    return events;
  }
}
