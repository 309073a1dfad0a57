// Incidents from followed logs: each live incident of the streaming correlator is described as `analyze`
// describes one (cause, layer, evidence, scope, trigger, next steps), opened in the store and alerted,
// updated as it grows (a new root cause is a "changed" alert), resolved and alerted when the correlator
// closes it after the quiet gap. The log rules (5xx rate, p95, SLO burn) open and resolve incidents of their
// own. Stored under targets `logs/CAUSE` and `logs/RULE` (the store keeps one open incident per target).
import type { CauseCatalog } from '../catalog/causes.ts';
import { describeIncident } from '../correlate/describe.ts';
import type { IncidentAggregate } from '../correlate/incident-aggregate.ts';
import type { Incident } from '../events/analysis.ts';
import type { PerSecond } from '../events/second-counts.ts';
import type { WatchMetrics } from '../web/watch-metrics.ts';
import { makeAlert } from './alerts/alert-text.ts';
import type { Alert, AlertEvent, AlertIncident } from './alerts/types.ts';
import type { PipelineSource } from './log-pipeline.ts';
import type { RequestIdJoin } from './log-request-ids.ts';
import type { RuleEvent } from './log-rules.ts';
import { changeEvents } from './probe-incidents.ts';
import type { IncidentRow, Store } from './store/types.ts';

export interface LogIncidentDeps {
  readonly store: Store;
  readonly catalog: CauseCatalog;
  readonly alert: (a: Alert) => void;
  readonly metrics?: WatchMetrics;
  readonly sources: () => readonly PipelineSource[];
  readonly traffic: PerSecond;
  readonly precursors: () => readonly import('../classify/classify.ts').Finding[];
  /** Probe checks whose request ID a followed line named, between two times. */
  readonly joins: (from: number, to: number) => readonly RequestIdJoin[];
  /** The refinement of symptoms to root causes (Correlator.refine). */
  readonly refine: (live: IncidentAggregate[]) => void;
}

interface Tracked {
  readonly id: number;
  cause: string;
  requests: number;
  writtenAt: number;
  readonly counted: Map<number, number>;
}

const TRIGGER_WINDOW_MS = 30 * 60_000;
/** A growing incident is written at most this often. */
const WRITE_EVERY_MS = 2000;
const JOIN_SLACK_MS = 10_000;

export const LOG_TARGET_PREFIX = 'logs/';

export class LogIncidents {
  readonly #d: LogIncidentDeps;
  readonly #tracked = new Map<IncidentAggregate, Tracked>();
  readonly #rules = new Map<string, number>();

  constructor(deps: LogIncidentDeps) {
    this.#d = deps;
  }

  /** Resolves log incidents a previous run left open (their aggregates died with it). */
  async resolveLeftOpen(now: number): Promise<void> {
    for (const row of await this.#d.store.incidents('open', 100_000)) {
      if (!row.target.startsWith(LOG_TARGET_PREFIX)) continue;
      if (await this.#d.store.resolveIncident(row.id, now)) await this.#send('resolved', row.id);
    }
  }

  /** Brings the store up to the correlator: live incidents opened or updated, closed ones resolved. */
  async sync(live: IncidentAggregate[], closed: readonly IncidentAggregate[], now: number): Promise<void> {
    const growing = live.filter((a) => a.requests > 0);
    this.#d.refine(growing);
    for (const a of growing) await this.#live(a, now);
    for (const a of closed) await this.#closed(a, now);
    const alive = new Set(live);
    // An incident merged into another (a failure bridged them) is that one's row now.
    for (const a of this.#tracked.keys()) if (!alive.has(a) && !closed.includes(a)) this.#tracked.delete(a);
  }

  async #live(a: IncidentAggregate, now: number): Promise<void> {
    const t = this.#tracked.get(a);
    if (t && t.cause === a.cause.id && (t.requests === a.requests || now - t.writtenAt < WRITE_EVERY_MS)) return;
    const inc = await this.#describe(a);
    this.#count(a, t);
    if (!t) {
      const r = await this.#d.store.tryOpenIncident({ target: `${LOG_TARGET_PREFIX}${a.cause.id}`, cause: a.cause.id, layer: a.cause.layer, openedAt: a.start, updatedAt: now, data: inc });
      this.#tracked.set(a, { id: r.id, cause: a.cause.id, requests: a.requests, writtenAt: now, counted: new Map(a.statuses) });
      if (!r.created) await this.#d.store.updateIncident(r.id, { updatedAt: now, data: inc });
      if (r.created) await this.#send('opened', r.id);
      return;
    }
    const changed = t.cause !== a.cause.id;
    await this.#d.store.updateIncident(t.id, changed ? { cause: a.cause.id, layer: a.cause.layer, updatedAt: now, data: inc } : { updatedAt: now, data: inc });
    t.cause = a.cause.id;
    t.requests = a.requests;
    t.writtenAt = now;
    if (changed) await this.#send('changed', t.id);
  }

  async #closed(a: IncidentAggregate, now: number): Promise<void> {
    const t = this.#tracked.get(a);
    this.#tracked.delete(a);
    const inc = await this.#describe(a);
    this.#count(a, t);
    let id = t?.id;
    if (id === undefined) {
      // Opened and closed between two syncs: still recorded, and both said.
      const r = await this.#d.store.tryOpenIncident({ target: `${LOG_TARGET_PREFIX}${a.cause.id}`, cause: a.cause.id, layer: a.cause.layer, openedAt: a.start, updatedAt: now, data: inc });
      id = r.id;
      if (r.created) await this.#send('opened', id);
    }
    await this.#d.store.updateIncident(id, { cause: a.cause.id, layer: a.cause.layer, updatedAt: now, data: inc });
    if (await this.#d.store.resolveIncident(id, now)) await this.#send('resolved', id);
  }

  /** Counts the failures added since the last look in fivexx_errors_total{target="logs"}. */
  #count(a: IncidentAggregate, t: Tracked | undefined): void {
    const seen = t?.counted ?? new Map<number, number>();
    for (const [status, n] of a.statuses) {
      const d = n - (seen.get(status) ?? 0);
      if (d > 0) this.#d.metrics?.errors.inc({ target: 'logs', status: String(status || a.cause.statuses[0] || 0), cause: a.cause.id, layer: a.cause.layer }, d);
      seen.set(status, n);
    }
  }

  async #describe(a: IncidentAggregate): Promise<Record<string, unknown>> {
    const changes = await this.#d.store.changes(a.start - TRIGGER_WINDOW_MS, a.start + 2000);
    const sources = this.#d.sources().map((s) => ({ path: s.path, format: s.format, lines: s.lines, unparsed: s.unparsed, warnings: [] }));
    const inc: Incident = describeIncident(a, { sources, changes: changeEvents(changes), traffic: this.#d.traffic, triggerWindowMs: TRIGGER_WINDOW_MS, precursors: this.#d.precursors() });
    const probes = this.#d.joins(a.start - JOIN_SLACK_MS, a.end + JOIN_SLACK_MS).slice(0, 10)
      .map((j) => ({ target: j.target, checkId: j.checkId, requestId: j.requestId, source: j.source, line: j.line, text: j.text }));
    return { ...inc, from: 'logs', probes, summary: inc.meaning };
  }

  /** A log rule fired or resolved: an incident of its own, with the correlated cause most failures have now. */
  async rule(e: RuleEvent, live: readonly IncidentAggregate[]): Promise<void> {
    const target = `${LOG_TARGET_PREFIX}${e.reading.rule}`;
    if (e.kind === 'resolve') {
      const id = this.#rules.get(target) ?? (await this.#d.store.openIncidentFor(target))?.id;
      this.#rules.delete(target);
      if (id !== undefined && (await this.#d.store.resolveIncident(id, e.at))) await this.#send('resolved', id, e.reading.text);
      return;
    }
    const top = [...live].sort((x, y) => y.requests - x.requests)[0];
    const fallback = e.reading.rule === 'latencyP95' ? 'upstream.unexplained' : 'gateway.unexplained';
    const cause = top?.cause ?? this.#d.catalog.byId.get(fallback);
    const data = {
      cause: cause?.id ?? fallback, layer: cause?.layer ?? 'gateway', from: 'logs', rule: e.reading.rule, reading: e.reading,
      statuses: e.reading.errors > 0 ? { '5xx': e.reading.errors } : {}, start: new Date(e.at).toISOString(), end: new Date(e.at).toISOString(),
      requests: e.reading.requests, title: e.reading.text, meaning: cause?.meaning ?? '', summary: e.reading.text, evidence: [], nextSteps: cause?.nextSteps ?? [], trigger: null,
    };
    const r = await this.#d.store.tryOpenIncident({ target, cause: data.cause, layer: data.layer, openedAt: e.at, updatedAt: e.at, data });
    this.#rules.set(target, r.id);
    if (r.created) await this.#send('opened', r.id, e.reading.text);
  }

  async #send(event: AlertEvent, id: number, ruleText?: string): Promise<void> {
    const row = await this.#d.store.incident(id);
    if (!row) return;
    const incident = logAlertIncident(row);
    if (!ruleText) {
      this.#d.alert(makeAlert(event, incident));
      return;
    }
    const lead = event === 'resolved' ? `Resolved: ${row.target}` : `${row.target}`;
    this.#d.alert({ event, text: `${lead}: ${ruleText} — most failures: ${row.cause}`, incident });
  }
}

/** A log incident as alerts carry it: the top host as where, the top path and upstream. */
export function logAlertIncident(row: IncidentRow): AlertIncident {
  const d = row.data as Partial<Incident> & { summary?: string };
  const top = (l: readonly (readonly [string, number])[] | undefined): string | null => l?.[0]?.[0] ?? null;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: row.id, target: top(d.scope?.hosts) ?? 'logs', state: row.state, cause: row.cause, layer: row.layer, title: d.title ?? row.cause,
    statuses: d.statuses ?? {}, start: d.start ?? iso(row.openedAt), end: d.end ?? iso(row.updatedAt),
    resolvedAt: row.resolvedAt === null ? null : iso(row.resolvedAt), path: top(d.scope?.paths), upstream: top(d.scope?.upstreams),
    summary: d.summary ?? '', nextSteps: d.nextSteps ?? [], evidence: d.evidence ?? [],
    trigger: d.trigger ? { kind: d.trigger.kind, at: d.trigger.at, ref: d.trigger.ref } : null,
  };
}
