// The running watch: schedules every target's checks, keeps their state, opens, updates and resolves
// incidents in the store, alerts through the dispatcher and counts it all in the metrics. In a fleet (several
// instances on one database) it probes only the targets it holds a lease on (fleet.ts).
import { loadCauses, type CauseCatalog } from '../catalog/causes.ts';
import { watchMetrics, type WatchMetrics, PHASES } from '../web/watch-metrics.ts';
import { makeAlert } from './alerts/alert-text.ts';
import { buildChannels } from './alerts/channels.ts';
import { AlertDispatcher, type DispatchOptions } from './alerts/dispatcher.ts';
import type { AlertChannel, AlertEvent } from './alerts/types.ts';
import type { TargetConfig, WatchConfig } from './config-schema.ts';
import { followsLogs, LogWatch } from './log-watch.ts';
import type { RequestIdJoin } from './log-request-ids.ts';
import { alertIncident, incidentData } from './probe-incidents.ts';
import { probeTarget, type TargetCheck } from './probe-target.ts';
import { LeaseKeeper, leaseTiming, newInstanceId, type LeaseTiming } from './fleet.ts';
import { Scheduler } from './scheduler.ts';
import { pruneHistory } from './store/retention.ts';
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
  /** This instance's id in a fleet (default: host:pid:random). */
  readonly instance?: string;
  /** Lease rounds and length (default: from the shortest target interval, see fleet.ts). */
  readonly lease?: LeaseTiming;
  /** A store error (the database went away…): at most one report per 5 s. */
  readonly onError?: (err: unknown) => void;
  /** Log following's notes (a rotation, a file that cannot be opened). */
  readonly onLogNote?: (source: string, note: string) => void;
  /** Log following's timers: file polls and clock ticks (default 250 ms and 1 s). */
  readonly logTiming?: { readonly pollMs: number; readonly tickMs: number };
}

const STATES: readonly TargetState[] = ['up', 'degraded', 'down', 'maintenance'];
/** A takeover re-sends an "opened" or "resolved" no instance recorded, if it is this recent. */
const RESEND_WITHIN = 15 * 60_000;
const SENT_MEMORY = 10_000;

/** Where in its interval a target is probed: the same on every instance, so a takeover keeps the rhythm. */
function phaseOf(name: string, interval: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h % interval;
}

export class WatchService {
  readonly config: WatchConfig;
  readonly store: Store;
  readonly metrics: WatchMetrics = watchMetrics();
  readonly dispatcher: AlertDispatcher;
  readonly instance: string;
  readonly fleet: LeaseKeeper;
  readonly #catalog: CauseCatalog;
  readonly #now: () => number;
  readonly #trackers = new Map<string, TargetTracker>();
  /** The state other instances last wrote for the targets they hold. */
  readonly #remote = new Map<string, TargetState>();
  readonly #probe: (t: TargetConfig) => Promise<TargetCheck>;
  readonly #channels: number;
  /** Alerts this instance queued (incident:event), so a lease lost and won back does not send them twice. */
  readonly #sent = new Set<string>();
  readonly #onError: (err: unknown) => void;
  #lastError = 0;
  #rounds = 0;
  #scheduler: Scheduler | undefined;
  /** Followed logs, syslog and journald through the analyze stages (undefined when none is configured). */
  readonly logs: LogWatch | undefined;
  #pruneTimer: NodeJS.Timeout | undefined;

  constructor(config: WatchConfig, opts: WatchOptions) {
    this.config = config;
    this.store = opts.store;
    this.#now = opts.now ?? Date.now;
    this.#catalog = opts.catalog ?? loadCauses();
    this.#probe = opts.probe ?? ((t) => probeTarget(t, this.#catalog, this.#now));
    this.#onError = opts.onError ?? (() => undefined);
    const channels = opts.channels ?? buildChannels(config.alerts);
    this.#channels = channels.length;
    this.dispatcher = new AlertDispatcher(channels, {
      ...opts.dispatch,
      onResult: (r) => {
        this.metrics.alerts.inc({ channel: r.channel, result: r.ok ? 'sent' : 'failed' });
        this.store.recordAlert({ incidentId: r.alert.incident.id, event: r.alert.event, channel: r.channel, at: this.#now(), ok: r.ok, error: r.error }).catch((err: unknown) => this.#report(err));
        opts.dispatch?.onResult?.(r);
      },
    });
    this.logs = followsLogs(config) ? new LogWatch(config, {
      store: this.store, catalog: this.#catalog, metrics: this.metrics, now: this.#now,
      // Every log alert is an incident opened, changed or resolved: the open-incidents gauge follows.
      alert: (a) => {
        this.dispatcher.dispatch(a);
        this.#refreshIncidentGauge().catch((err: unknown) => this.#report(err));
      },
      onJoin: (j) => void this.#joined(j).catch((err: unknown) => this.#report(err)), onNote: opts.onLogNote, onError: (err) => this.#report(err),
      pollMs: opts.logTiming?.pollMs, tickMs: opts.logTiming?.tickMs,
    }) : undefined;
    this.instance = opts.instance ?? newInstanceId();
    const timing = opts.lease ?? leaseTiming(config.targets.map((t) => t.interval));
    this.fleet = new LeaseKeeper(this.store, this.instance, config.targets.map((t) => t.name), timing, {
      acquired: (names) => this.#acquire(names),
      lost: (names) => {
        for (const n of names) this.#trackers.delete(n);
      },
      error: (err) => this.#report(err),
      after: (instances) => {
        if (instances > 1 && this.#rounds++ % 5 === 0) this.refreshRemoteStates().catch((err: unknown) => this.#report(err));
      },
    });
  }

  #report(err: unknown): void {
    const now = Date.now();
    if (now - this.#lastError < 5000) return;
    this.#lastError = now;
    this.#onError(err);
  }

  /** Targets won: their state starts from the store (an open incident goes on), and alerts no one recorded go out. */
  async #acquire(names: readonly string[]): Promise<void> {
    const byName = new Map(this.config.targets.map((t) => [t.name, t]));
    // One query for the open incidents, not one per target (10,000 targets are acquired at the first round).
    const openBy = new Map((await this.store.incidents('open', 1_000_000)).map((i) => [i.target, i]));
    for (const name of names) {
      const open = openBy.get(name);
      this.#trackers.set(name, open ? { ...initialTracker, state: 'down', incidentCause: open.cause } : initialTracker);
      this.#setStateGauge(name, this.state(name));
      const t = byName.get(name);
      if (t && this.#channels > 0) await this.#resendUnrecorded(t);
    }
    await this.#refreshIncidentGauge();
  }

  async #resendUnrecorded(t: TargetConfig): Promise<void> {
    const last = await this.store.latestIncidentFor(t.name);
    if (!last || this.#now() - last.updatedAt > RESEND_WITHIN) return;
    const recorded = new Set((await this.store.alertsFor(last.id)).map((a) => a.event));
    const due: AlertEvent[] = last.state === 'resolved' ? ['opened', 'resolved'] : ['opened'];
    for (const event of due) if (!recorded.has(event)) await this.#alert(event, last.id, t);
  }

  start(): void {
    const t0 = this.#now();
    const phases = this.config.targets.map((t) => ((phaseOf(t.name, t.interval) - (t0 % t.interval) + t.interval) % t.interval + 0.5) / t.interval);
    let next = 0;
    this.#scheduler = new Scheduler(this.config.targets.map((t) => ({ id: t.name, intervalMs: t.interval, run: () => this.checkTarget(t) })), {
      concurrency: this.config.concurrency, now: this.#now, random: () => phases[next++] ?? 0,
    });
    this.#scheduler.start();
    this.fleet.start();
    this.#refreshIncidentGauge().catch((err: unknown) => this.#report(err));
    this.#pruneTimer = setInterval(() => void pruneHistory(this.store, this.config, this.#now()).catch((err: unknown) => this.#report(err)), 3_600_000);
    this.#pruneTimer.unref();
    this.logs?.start().catch((err: unknown) => this.#onError(err));
  }

  /** A followed line named a probe's request ID: the check's evidence and its open incident name the line. */
  async #joined(j: RequestIdJoin): Promise<void> {
    const line = { source: j.source, line: j.line, text: j.text };
    await this.store.annotateCheck(j.checkId, line);
    const open = await this.store.openIncidentFor(j.target);
    if (!open) return;
    const d = open.data as { evidence?: unknown[]; logLines?: unknown[] };
    const logLines = [...(d.logLines ?? []), { ...line, checkId: j.checkId, requestId: j.requestId }].slice(-5);
    const evidence = (d.evidence ?? []).length < 6 ? [...(d.evidence ?? []), line] : d.evidence;
    await this.store.updateIncident(open.id, { updatedAt: open.updatedAt, data: { ...open.data, evidence, logLines } });
  }

  schedulerStats(): ReturnType<Scheduler['stats']> | undefined {
    return this.#scheduler?.stats();
  }

  /** A target's state: live for the targets this instance holds, else as the instance holding it last wrote. */
  state(target: string): TargetState {
    return this.#trackers.get(target)?.state ?? this.#remote.get(target) ?? 'up';
  }

  /** Reads the states other instances wrote (every fifth lease round, only in a fleet). */
  async refreshRemoteStates(): Promise<void> {
    const longest = Math.max(0, ...this.config.targets.map((t) => t.interval));
    for (const r of await this.store.lastStates(this.#now() - 2 * longest)) {
      if (!this.#trackers.has(r.target)) this.#remote.set(r.target, r.state);
    }
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
    if (!this.fleet.owns(t.name) || !this.#trackers.has(t.name)) return;
    const check = await this.#probe(t);
    const tracker = this.#trackers.get(t.name) ?? initialTracker;
    const rules = {
      failuresToOpen: t.retries !== undefined ? t.retries + 1 : this.config.rules.consecutiveFailures,
      resolveAfter: this.config.rules.resolveAfter, inMaintenance: this.#inMaintenance(t.name, check.outcome.at),
    };
    const { next, events } = step(tracker, check.outcome, rules);
    this.#trackers.set(t.name, next);
    const checkId = await this.store.addCheck({ ...check.row, state: next.state }, this.instance);
    const requestId = check.row.evidence.requestId;
    if (this.logs && requestId) this.logs.ids.remember({ requestId, target: t.name, checkId, at: check.outcome.at });
    this.#count(t, check);
    for (const e of events) await this.#apply(t, check, e);
    if (events.length === 0 && next.incidentCause !== null && !check.outcome.ok) await this.#update(t, check, next.incidentCause);
    if (events.length > 0) await this.#refreshIncidentGauge();
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

  async #apply(t: TargetConfig, check: TargetCheck, e: TargetEvent): Promise<void> {
    const at = e.at;
    const changes = await this.store.changes(at - 30 * 60_000, at + 2000);
    if (e.kind === 'open') {
      const data = incidentData(t, check, e.cause, this.#catalog, at, changes);
      // The database allows one open incident per target: if another instance opened it, it alerted too.
      const r = await this.store.tryOpenIncident({ target: t.name, cause: e.cause, layer: String(data.layer), openedAt: at, updatedAt: at, data });
      if (r.created) await this.#alert('opened', r.id, t);
    } else if (e.kind === 'change') {
      const open = await this.store.openIncidentFor(t.name);
      if (!open) return;
      const data = incidentData(t, check, e.cause, this.#catalog, open.openedAt, changes, open);
      await this.store.updateIncident(open.id, { cause: e.cause, layer: String(data.layer), updatedAt: at, data });
      await this.#alert('changed', open.id, t);
    } else {
      const open = await this.store.openIncidentFor(t.name);
      if (!open) return;
      if (await this.store.resolveIncident(open.id, at)) await this.#alert('resolved', open.id, t);
    }
  }

  async #update(t: TargetConfig, check: TargetCheck, cause: string): Promise<void> {
    const open = await this.store.openIncidentFor(t.name);
    if (!open) return;
    const data = incidentData(t, check, cause, this.#catalog, open.openedAt, await this.store.changes(open.openedAt - 30 * 60_000, open.openedAt + 2000), open);
    await this.store.updateIncident(open.id, { updatedAt: check.outcome.at, data });
  }

  async #alert(event: AlertEvent, id: number, t: TargetConfig): Promise<void> {
    const key = `${id}:${event}`;
    if (event !== 'changed' && this.#sent.has(key)) return;
    const row = await this.store.incident(id);
    if (!row) return;
    this.#sent.add(key);
    if (this.#sent.size > SENT_MEMORY) this.#sent.delete(this.#sent.values().next().value ?? '');
    this.dispatcher.dispatch(makeAlert(event, alertIncident(row, t)));
  }

  #setStateGauge(target: string, s: TargetState): void {
    for (const st of STATES) this.metrics.targetState.set({ target, state: st }, st === s ? 1 : 0);
  }

  async #refreshIncidentGauge(): Promise<void> {
    const open = await this.store.incidents('open', 100_000);
    this.metrics.incidentsOpen.reset();
    const counts = new Map<string, number>();
    for (const i of open) counts.set(`${i.cause}\u0000${i.layer}`, (counts.get(`${i.cause}\u0000${i.layer}`) ?? 0) + 1);
    for (const [k, n] of counts) {
      const [cause = '', layer = ''] = k.split('\u0000');
      this.metrics.incidentsOpen.set({ cause, layer }, n);
    }
  }

  /** Stops probing, gives the leases back and lets alerts in flight finish (the store stays open). */
  async stop(): Promise<void> {
    this.#scheduler?.stop();
    clearInterval(this.#pruneTimer);
    await this.logs?.stop();
    await this.fleet.stop();
    await this.dispatcher.close();
  }
}
