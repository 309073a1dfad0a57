// The JSON the dashboard pages read: a page of targets with sparklines, a target's timeline, an incident with
// its kept responses, the feed of classified failures, maintenance windows. Every read is indexed or a rollup.
import type { WatchService } from '../watch/service.ts';
import type { HourRollup, IncidentRow, TargetState } from '../watch/store/types.ts';
import { HttpError } from './http-util.ts';
import { checklist, failingHop, HOPS } from './incident-view.ts';

const HOUR = 3_600_000;
const ORDER: Record<TargetState, number> = { down: 0, degraded: 1, maintenance: 2, up: 3 };

/** An incident as the API shows it: analyze's shape plus id, target, state, resolvedAt. */
export function apiIncident(i: IncidentRow): Record<string, unknown> {
  return { ...i.data, id: i.id, target: i.target, state: i.state, cause: i.cause, layer: i.layer, openedAt: new Date(i.openedAt).toISOString(), resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(), acknowledged: i.acked, notes: i.notes };
}

export interface OverviewQuery {
  readonly page: number;
  readonly per: number;
  readonly state: TargetState | 'all';
  readonly q: string;
}

/** A page of targets, worst first, each with its last 24 hours (hourly failure share and mean latency). */
export async function overview(w: WatchService, query: OverviewQuery, now: number): Promise<Record<string, unknown>> {
  const counts: Record<TargetState, number> = { up: 0, degraded: 0, down: 0, maintenance: 0 };
  const q = query.q.toLowerCase();
  const all = w.config.targets.map((t) => ({ t, s: w.state(t.name) }));
  for (const { s } of all) counts[s]++;
  const chosen = all.filter(({ t, s }) => (query.state === 'all' || s === query.state) && (q === '' || t.name.toLowerCase().includes(q) || (t.group ?? '').toLowerCase().includes(q)));
  chosen.sort((a, b) => ORDER[a.s] - ORDER[b.s] || a.t.name.localeCompare(b.t.name));
  const slice = chosen.slice((query.page - 1) * query.per, query.page * query.per);
  const names = slice.map(({ t }) => t.name);
  const firstHour = Math.floor(now / HOUR) - 23;
  // Two queries for the whole page, whatever its size: the page's hourly rollups and its last checks.
  const [hours, lasts] = await Promise.all([w.store.hourRollups(firstHour, names), w.store.lastChecks(names)]);
  const byTarget = new Map<string, Map<number, HourRollup>>();
  for (const h of hours) {
    const m = byTarget.get(h.target) ?? new Map<number, HourRollup>();
    m.set(h.bucket, h);
    byTarget.set(h.target, m);
  }
  const targets = slice.map(({ t, s }) => {
    const mine = byTarget.get(t.name);
    const spark = Array.from({ length: 24 }, (_, k) => {
      const h = mine?.get(firstHour + k);
      return h ? { n: h.n, fail: h.fail, ms: Math.round(h.msSum / h.n) } : null;
    });
    const last = lasts.get(t.name);
    return { name: t.name, url: t.url, group: t.group ?? null, state: s, spark, last: last ? { at: last.at, ok: last.ok, status: last.status, ms: Math.round(last.ms), cause: last.evidence.cause ?? null } : null };
  });
  return { counts, total: chosen.length, page: query.page, per: query.per, targets };
}

/** One target's hours: checks by status class and mean latency by phase. */
export async function timeline(w: WatchService, name: string, hours: number, now: number): Promise<Record<string, unknown>> {
  const t = w.config.targets.find((x) => x.name === name);
  if (!t) throw new HttpError(404, 'FIVEXX_USAGE', 'no such target');
  const rows = await w.store.hourRollups(Math.floor(now / HOUR) - hours + 1, [name]);
  const mean = (v: number, n: number): number => Math.round((v / n) * 10) / 10;
  return {
    name, url: t.url, upstream: t.upstream ?? null, group: t.group ?? null, state: w.state(name), interval: t.interval,
    hours: rows.map((r) => ({
      at: r.bucket * HOUR, n: r.n, fail: r.fail, s2: r.s2, s3: r.s3, s4: r.s4, s5: r.s5, serr: r.serr,
      dns: mean(r.dns, r.n), connect: mean(r.connect, r.n), tls: mean(r.tls, r.n), ttfb: mean(r.ttfb, r.n), total: mean(r.msSum, r.n), max: Math.round(r.msMax),
    })),
    open: (await w.store.openIncidentFor(name))?.id ?? null,
  };
}

/** The incident page's data: the incident, its hop, its failed checks' kept responses, alerts, checklist. */
export async function incidentDetail(w: WatchService, id: number, now: number): Promise<Record<string, unknown>> {
  const i = await w.store.incident(id);
  if (!i) throw new HttpError(404, 'FIVEXX_USAGE', `no incident ${id}`);
  const failed = await w.store.failedChecks(i.target, i.openedAt - 10 * 60_000, i.resolvedAt ?? now, 5);
  return {
    incident: apiIncident(i), hops: HOPS, failingHop: failingHop(i.layer), checklist: checklist(i),
    alerts: await w.store.alertsFor(id),
    checks: failed.map((c) => ({ id: c.id, at: c.at, status: c.status, code: c.code, ms: Math.round(c.ms), evidence: c.evidence })),
  };
}

/** Maintenance windows from the config, with whether each is on now. */
export function maintenance(w: WatchService, now: number): Record<string, unknown>[] {
  return w.config.maintenance.map((m) => ({ targets: m.targets, start: m.start, end: m.end, note: m.note ?? null, active: now >= Date.parse(m.start) && now < Date.parse(m.end) }));
}
