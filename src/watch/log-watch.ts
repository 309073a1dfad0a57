// The I/O of watch's log following: files and globs (FileFollower, positions saved in the store), the syslog
// receiver, journald (journalctl --follow --output=json, where it exists), polled and ticked on timers, into
// the LogPipeline; the log rules and the request-ID join ride along; LogIncidents keeps the store and alerts.
import { existsSync, globSync } from 'node:fs';
import type { CauseCatalog } from '../catalog/causes.ts';
import { loadFormats } from '../catalog/formats.ts';
import { zone } from '../engine/time-zone.ts';
import { FivexxError } from '../errors/codes.ts';
import type { WatchMetrics } from '../web/watch-metrics.ts';
import type { Alert } from './alerts/types.ts';
import type { WatchConfig } from './config-schema.ts';
import { FileFollower } from './follow/file-follower.ts';
import { JOURNALCTL, JournalFollower, type JournalSpec } from './follow/journal-follower.ts';
import { SyslogReceiver } from './follow/syslog-receiver.ts';
import { LogIncidents } from './log-incidents.ts';
import { LogPipeline } from './log-pipeline.ts';
import { RequestIds, type RequestIdJoin } from './log-request-ids.ts';
import { LogRules } from './log-rules.ts';
import type { Store } from './store/types.ts';

export interface LogWatchDeps {
  readonly store: Store;
  readonly catalog: CauseCatalog;
  readonly alert: (a: Alert) => void;
  readonly metrics?: WatchMetrics;
  readonly now: () => number;
  /** A followed line named a probe's request ID. */
  readonly onJoin?: (j: RequestIdJoin) => void;
  readonly onNote?: (source: string, note: string) => void;
  readonly onError?: (err: unknown) => void;
  /** Timers (tests make them short). */
  readonly pollMs?: number;
  readonly tickMs?: number;
}

const SAVE_EVERY_MS = 5000;
const GLOB_EVERY_MS = 10_000;
/** Bytes one poll reads from one file: the event loop (ticks, the API) runs between polls. */
const POLL_BYTES = 1 << 20;

/** True when logs, syslog or journald are configured. */
export function followsLogs(c: WatchConfig): boolean {
  return c.logs.length > 0 || c.syslog !== undefined || c.journald !== undefined;
}

export class LogWatch {
  readonly pipeline: LogPipeline;
  readonly rules: LogRules;
  readonly ids = new RequestIds();
  readonly incidents: LogIncidents;
  readonly syslog: SyslogReceiver;
  readonly #config: WatchConfig;
  readonly #d: LogWatchDeps;
  readonly #followers = new Map<string, FileFollower>();
  readonly #timers: NodeJS.Timeout[] = [];
  #journal: JournalFollower | undefined;
  #busy = false;
  #lastSave = 0;
  #lastGlob = 0;
  /** Bound ports of the syslog receiver (0 when not listening). */
  syslogPorts = { udp: 0, tcp: 0 };

  constructor(config: WatchConfig, deps: LogWatchDeps) {
    this.#config = config;
    this.#d = deps;
    const rc = config.rules;
    this.rules = new LogRules({ errorRate: rc.errorRate, minRequests: rc.minRequests, windowMs: rc.window, latencyP95Ms: rc.latencyP95, slo: rc.slo, resolveAfterMs: rc.resolveAfter });
    const tz = config.logTimeZone ? zone(config.logTimeZone) : undefined;
    if (tz && !tz.ok) throw new FivexxError('FIVEXX_CONFIG_INVALID', `logTimeZone: ${tz.error.replace(/^--tz /, '')}`);
    checkFormats(config);
    this.pipeline = new LogPipeline({
      catalog: deps.catalog, gapMs: rc.resolveAfter, toUtc: tz?.ok ? tz.toUtc : undefined,
      onAccess: (e) => this.rules.window.add(e.time, e.status, e.requestTime),
      onText: (source, line, text, at) => {
        for (const j of this.ids.match(source, line, text, at)) deps.onJoin?.(j);
      },
    }, deps.now());
    this.incidents = new LogIncidents({
      store: deps.store, catalog: deps.catalog, alert: deps.alert, metrics: deps.metrics, sources: () => this.pipeline.sources,
      traffic: this.pipeline.traffic, precursors: () => this.pipeline.correlator?.store.precursors ?? [],
      joins: (from, to) => this.ids.joinsBetween(from, to), refine: (live) => void this.pipeline.correlator?.refine(live),
    });
    this.syslog = new SyslogReceiver((m) => {
      this.pipeline.source(m.source, config.syslog?.format);
      this.#d.metrics?.logLines.inc({ source: 'syslog' });
      this.pipeline.feed(m.source, m.text, 0, m.arrived, m.time);
    }, deps.now);
  }

  async start(): Promise<void> {
    await this.incidents.resolveLeftOpen(this.#d.now());
    await this.#expand(true);
    const s = this.#config.syslog;
    if (s?.udp) this.syslogPorts.udp = await this.syslog.listenUdp(s.udp);
    if (s?.tcp) this.syslogPorts.tcp = await this.syslog.listenTcp(s.tcp);
    if (this.#config.journald) await this.#startJournal(this.#config.journald, this.#config.journald.format);
    this.#timers.push(setInterval(() => this.poll(), this.#d.pollMs ?? 250), setInterval(() => void this.tick(), this.#d.tickMs ?? 1000));
    for (const t of this.#timers) t.unref();
  }

  /** Globs are expanded again now and then: a file created later (a new vhost's log) is followed from its start. */
  async #expand(first: boolean): Promise<void> {
    this.#lastGlob = this.#d.now();
    for (const entry of this.#config.logs) {
      const pattern = typeof entry === 'string' ? entry : entry.path;
      const format = typeof entry === 'string' ? undefined : entry.format;
      const paths = /[*?[{]/.test(pattern) ? globSync(pattern) : [pattern];
      for (const path of paths) {
        if (this.#followers.has(path)) continue;
        this.pipeline.source(path, format);
        const f = new FileFollower(path, {
          onLine: (l) => this.pipeline.feed(path, l.text, l.line, l.arrived),
          onNote: (p, note) => this.#d.onNote?.(p, note),
        }, this.#d.now);
        // A file known at start is read from where the last run stopped, else from its end; a new one from its start.
        f.start(await this.#d.store.position(path), first);
        this.#followers.set(path, f);
      }
    }
  }

  /** journalctl from the saved cursor (else from now); each entry's unit or program is a source. */
  async #startJournal(spec: JournalSpec, format: string | undefined): Promise<void> {
    if (!existsSync(JOURNALCTL)) {
      this.#d.onNote?.('journald', `${JOURNALCTL} is not installed: journald is not followed`);
      return;
    }
    const j = new JournalFollower(spec, {
      onEntry: (e) => {
        this.pipeline.source(e.source, format);
        this.#d.metrics?.logLines.inc({ source: 'journald' });
        this.pipeline.feed(e.source, e.text, 0, this.#d.now(), e.time);
      },
      onNote: (source, note) => this.#d.onNote?.(source, note),
    }, this.#d.now);
    const saved = await this.#d.store.position(j.key);
    if (this.#stopped) return;
    this.#journal = j;
    j.start(saved);
  }

  /** Reads what the followed files gained; a file left behind is read on at once, after the event loop's turn. */
  poll(): void {
    let behind = false;
    for (const f of this.#followers.values()) {
      const n = f.poll(POLL_BYTES);
      behind ||= f.behind;
      if (n > 0) this.#d.metrics?.logLines.inc({ source: 'file' }, n);
    }
    if (behind && !this.#stopped && !this.#again) {
      this.#again = true;
      setImmediate(() => {
        this.#again = false;
        this.poll();
      });
    }
  }

  #stopped = false;
  #again = false;

  /** The wall clock: the correlator settles, rules are evaluated, incidents written and alerted. */
  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const now = this.#d.now();
      const closed = this.pipeline.tick(now, new Set([...this.#followers.values()].filter((f) => f.behind).map((f) => f.path)));
      const live = this.pipeline.live();
      await this.incidents.sync(live, closed, now);
      for (const e of this.rules.evaluate(now)) await this.incidents.rule(e, live);
      this.ids.prune(now);
      if (now - this.#lastSave >= SAVE_EVERY_MS) await this.#savePositions(now);
      if (now - this.#lastGlob >= GLOB_EVERY_MS) await this.#expand(false);
    } catch (err) {
      this.#d.onError?.(err);
    } finally {
      this.#busy = false;
    }
  }

  async #savePositions(now: number): Promise<void> {
    this.#lastSave = now;
    for (const f of [...this.#followers.values(), ...(this.#journal ? [this.#journal] : [])]) {
      const p = f.position();
      if (p) await this.#d.store.savePosition(p);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    this.poll();
    // The journal stops giving entries before its cursor is saved: none is read twice by the next run.
    this.#journal?.stop();
    await this.#savePositions(this.#d.now()).catch((err: unknown) => this.#d.onError?.(err));
    for (const f of this.#followers.values()) f.stop();
    await this.syslog.close();
  }
}

/** A format named in the config must be one of the catalog's. */
function checkFormats(config: WatchConfig): void {
  const known = new Set(loadFormats().map((f) => f.name));
  const named = [
    ...config.logs.map((l, i) => [`logs[${i}].format`, typeof l === 'string' ? undefined : l.format] as const),
    ['syslog.format', config.syslog?.format] as const, ['journald.format', config.journald?.format] as const,
  ];
  for (const [key, name] of named) {
    if (name !== undefined && !known.has(name)) throw new FivexxError('FIVEXX_CONFIG_INVALID', `${key}: no format ${name} (known: ${[...known].sort().join(', ')})`);
  }
}
