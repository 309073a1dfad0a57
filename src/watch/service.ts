// The running watch: schedules every target's checks, keeps their state, opens, updates and resolves
// incidents in the store, alerts through the dispatcher and counts it all in the metrics.
import { loadCauses, type CauseCatalog } from '../catalog/causes.ts';
import { watchMetrics, type WatchMetrics, PHASES } from '../web/watch-metrics.ts';
import { makeAlert } from './alerts/alert-text.ts';
import { buildChannels } from './alerts/channels.ts';
import { AlertDispatcher, type DispatchOptions } from './alerts/dispatcher.ts';
import type { AlertChannel, AlertEvent } from './alerts/types.ts';
import type { TargetConfig, WatchConfig } from './config-schema.ts';
import { alertIncident, incidentData } from './probe-incidents.ts';
import { probeTarget, type TargetCheck } from './probe-target.ts';
import { Scheduler } from './scheduler.ts';
import type { Store, TargetState } from './store/types.ts';
import { initialTracker, step, type TargetEvent, type TargetTracker } from './target-state.ts';

export interface WatchOptions {
  readonly store: Store;
  readonly now?: () => number;
  readonly catalog?: CauseCatalog;
  /** Channels to use instead of those built from the config (tests). */
  readonly channels?: readonly AlertChannel[];
  readonly dispatch?: DispatchOptions;
  /** Probes a target; defaults to diagnose's probe (tests may slow or fail it). */
  readonly probe?: (t: TargetConfig) => Promise<TargetCheck>;
}

const STATES: readonly TargetState[] = ['up', 'degraded', 'down', 'maintenance'];

export class WatchService {
  readonly config: WatchConfig;
  readonly store: Store;
  readonly metrics: WatchMetrics = watchMetrics();
  readonly dispatcher: AlertDispatcher;
  readonly #catalog: CauseCatalog;
  readonly #now: () => number;
  readonly #trackers = new Map<string, TargetTracker>();
  readonly #probe: (t: TargetConfig) => Promise<TargetCheck>;
  #scheduler: Scheduler | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;

  constructor(config: WatchConfig, opts: WatchOptions) {
    this.config = config;
    this.store = opts.store;
    this.#now = opts.now ?? Date.now;
    this.#catalog = opts.catalog ?? loadCauses();
    this.#probe = opts.probe ?? ((t) => probeTarget(t, this.#catalog, this.#now));
    this.dispatcher = new AlertDispatcher(opts.channels ?? buildChannels(config.alerts), {
      ...opts.dispatch,
      onResult: (r) => {
        this.metrics.alerts.inc({ channel: r.channel, result: r.ok ? 'sent' : 'failed' });
        this.store.recordAlert({ incidentId: r.alert.incident.id, event: r.alert.event, channel: r.channel, at: this.#now(), ok: r.ok, error: r.error });
        opts.dispatch?.onResult?.(r);
      },
    });
    // An incident left open by the last run goes on: the tracker starts down with its cause.
    for (const t of config.targets) {
      const open = this.store.openIncidentFor(t.name);
      this.#trackers.set(t.name, open ? { ...initialTracker, state: 'down', incidentCause: open.cause } : initialTracker);
    }
    this.#refreshGauges();
  }

  start(): void {
    this.#scheduler = new Scheduler(this.config.targets.map((t) => ({ id: t.name, intervalMs: t.interval, run: () => this.checkTarget(t) })), { concurrency: this.config.concurrency, now: this.#now });
    this.#scheduler.start();
    this.#pruneTimer = setInterval(() => this.store.prune(this.#now() - this.config.retention), 3_600_000);
    this.#pruneTimer.unref();
  }

  schedulerStats(): ReturnType<Scheduler['stats']> | undefined {
    return this.#scheduler?.stats();
  }

  state(target: string): TargetState {
    return this.#trackers.get(target)?.state ?? 'up';
  }

  readonly #windows = new Map<string, readonly { start: number; end: number }[]>();

  /** Maintenance windows per target, parsed once. */
  #inMaintenance(target: string, at: number): boolean {
    let w = this.#windows.get(target);
    if (!w) {
      w = this.config.maintenance.filter((m) => m.targets.length === 0 || m.targets.includes(target)).map((m) => ({ start: Date.parse(m.start), end: Date.parse(m.end) }));
      this.#windows.set(target, w);
    }
    return w.some((m) => at >= m.start && at < m.end);
  }

  /** One check of one target, and everything that follows from it. */
  async checkTarget(t: TargetConfig): Promise<void> {
    const check = await this.#probe(t);
    const tracker = this.#trackers.get(t.name) ?? initialTracker;
    const rules = {
      failuresToOpen: t.retries !== undefined ? t.retries + 1 : this.config.rules.consecutiveFailures,
      resolveAfter: this.config.rules.resolveAfter, inMaintenance: this.#inMaintenance(t.name, check.outcome.at),
    };
    const { next, events } = step(tracker, check.outcome, rules);
    this.#trackers.set(t.name, next);
    this.store.addCheck({ ...check.row, state: next.state });
    this.#count(t, check);
    for (const e of events) this.#apply(t, check, e);
    if (events.length === 0 && next.incidentCause !== null && !check.outcome.ok) this.#update(t, check, next.incidentCause);
    if (events.length > 0) this.#refreshIncidentGauge();
    if (next.state !== tracker.state) this.#setStateGauge(t.name, next.state);
  }

  #count(t: TargetConfig, check: TargetCheck): void {
    this.metrics.checks.inc({ target: t.name, result: check.outcome.ok ? 'ok' : 'failed' });
    const status = check.outcome.status;
    if (status !== null && status >= 500 && check.outcome.cause) {
      this.metrics.errors.inc({ target: t.name, status: String(status), cause: check.outcome.cause, layer: this.#catalog.byId.get(check.outcome.cause)?.layer ?? 'gateway' });
    }
    const p = check.row.evidence.phases;
    if (p) for (const phase of PHASES) if (typeof p[phase] === 'number') this.metrics.probeDuration.observe({ target: t.name, phase }, (p[phase] ?? 0) / 1000);
  }

  #apply(t: TargetConfig, check: TargetCheck, e: TargetEvent): void {
    const at = e.at;
    const changes = this.store.changes(at - 30 * 60_000, at + 2000);
    if (e.kind === 'open') {
      const data = incidentData(t, check, e.cause, this.#catalog, at, changes);
      const id = this.store.openIncident({ target: t.name, cause: e.cause, layer: String(data.layer), openedAt: at, updatedAt: at, data });
      this.#alert('opened', id, t);
    } else if (e.kind === 'change') {
      const open = this.store.openIncidentFor(t.name);
      if (!open) return;
      const data = incidentData(t, check, e.cause, this.#catalog, open.openedAt, changes, open);
      this.store.updateIncident(open.id, { cause: e.cause, layer: String(data.layer), updatedAt: at, data });
      this.#alert('changed', open.id, t);
    } else {
      const open = this.store.openIncidentFor(t.name);
      if (!open) return;
      this.store.resolveIncident(open.id, at);
      this.#alert('resolved', open.id, t);
    }
  }

  #update(t: TargetConfig, check: TargetCheck, cause: string): void {
    const open = this.store.openIncidentFor(t.name);
    if (!open) return;
    const data = incidentData(t, check, cause, this.#catalog, open.openedAt, this.store.changes(open.openedAt - 30 * 60_000, open.openedAt + 2000), open);
    this.store.updateIncident(open.id, { updatedAt: check.outcome.at, data });
  }

  #alert(event: AlertEvent, id: number, t: TargetConfig): void {
    const row = this.store.incident(id);
    if (row) this.dispatcher.dispatch(makeAlert(event, alertIncident(row, t)));
  }

  #refreshGauges(): void {
    this.#refreshIncidentGauge();
    for (const t of this.config.targets) this.#setStateGauge(t.name, this.state(t.name));
  }

  #setStateGauge(target: string, s: TargetState): void {
    for (const st of STATES) this.metrics.targetState.set({ target, state: st }, st === s ? 1 : 0);
  }

  #refreshIncidentGauge(): void {
    this.metrics.incidentsOpen.reset();
    const counts = new Map<string, number>();
    for (const i of this.store.incidents('open')) counts.set(`${i.cause}\u0000${i.layer}`, (counts.get(`${i.cause}\u0000${i.layer}`) ?? 0) + 1);
    for (const [k, n] of counts) {
      const [cause = '', layer = ''] = k.split('\u0000');
      this.metrics.incidentsOpen.set({ cause, layer }, n);
    }
  }

  async stop(): Promise<void> {
    this.#scheduler?.stop();
    clearInterval(this.#pruneTimer);
    await this.dispatcher.close();
  }
}
