// Turns a target's failed checks into an incident shaped as `analyze` shapes one, and into alert payloads.
import type { CauseCatalog } from '../catalog/causes.ts';
import { incidentTrigger } from '../correlate/trigger.ts';
import type { ChangeEvent } from '../events/types.ts';
import type { AlertIncident } from './alerts/types.ts';
import type { TargetConfig } from './config-schema.ts';
import type { TargetCheck } from './probe-target.ts';
import type { ChangeRow, IncidentRow } from './store/types.ts';

const TRIGGER_WINDOW_MS = 30 * 60_000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function fill(step: string, upstream: string, path: string, host: string): string {
  return step.replaceAll('{upstream}', upstream || 'the upstream').replaceAll('{path}', path || 'the failing paths').replaceAll('{host}', host || 'the site');
}

export function changeEvents(rows: readonly ChangeRow[]): ChangeEvent[] {
  return rows.map((r) => ({
    time: r.at, kind: r.kind === 'rollback' || r.kind === 'reload' ? (r.kind === 'reload' ? 'config' : 'deploy') : r.kind,
    ref: r.ref, source: r.source, line: 0, text: `${r.kind} ${r.service ?? ''} ${r.ref}`.replace(/\s+/g, ' ').trim(),
  }));
}

/** The incident data kept in the store and sent in alerts: cause, statuses, evidence, scope, trigger, next steps. */
export function incidentData(target: TargetConfig, check: TargetCheck, cause: string, catalog: CauseCatalog, start: number, changes: readonly ChangeRow[], prior?: IncidentRow): Record<string, unknown> {
  const c = catalog.byId.get(cause);
  const url = new URL(target.url);
  const upstream = target.upstream ? new URL(target.upstream).host : '';
  const old = (prior?.data ?? {}) as { statuses?: Record<string, number>; requests?: number; evidence?: unknown[]; logLines?: unknown[] };
  const statuses = { ...(old.statuses ?? {}) };
  const key = String(check.outcome.status ?? 0);
  statuses[key] = (statuses[key] ?? 0) + 1;
  const ev = check.row.evidence;
  const line = `${target.name}: ${check.outcome.status ? `HTTP ${check.outcome.status}` : (check.row.code ?? 'no answer')} from ${ev.responder ?? 'unknown'}` +
    `${ev.address ? ` at ${ev.address}` : ''}${ev.requestId ? `, X-Request-ID ${ev.requestId}` : ''}: ${ev.summary ?? ''}`;
  const evidence = old.evidence && old.evidence.length >= 3 ? old.evidence : [...(old.evidence ?? []), { source: 'probe', line: 0, text: line.slice(0, 1000) }];
  const trigger = c ? incidentTrigger(changeEvents(changes), start, TRIGGER_WINDOW_MS, c) : null;
  return {
    cause, layer: c?.layer ?? 'gateway', statuses, start: iso(start), end: iso(check.outcome.at), requests: (old.requests ?? 0) + 1,
    confidence: check.verdict.confidence, evidence,
    scope: { paths: [[url.pathname, 1]], upstreams: upstream ? [[upstream, 1]] : [], hosts: [[url.host, 1]], share: null },
    trigger,
    nextSteps: (c?.nextSteps ?? check.verdict.nextSteps).map((s) => fill(s, upstream, url.pathname, url.host)),
    title: c?.title ?? cause, meaning: c?.meaning ?? '', firstCheck: fill(c?.firstCheck ?? '', upstream, url.pathname, url.host),
    summary: check.verdict.summary, responder: check.verdict.responder,
    // Followed log lines that named a check's request ID (the request-ID join, service.ts).
    ...(old.logLines ? { logLines: old.logLines } : {}),
  };
}

/** The incident as alerts carry it. */
export function alertIncident(row: IncidentRow, target: TargetConfig): AlertIncident {
  const d = row.data as {
    title?: string; statuses?: Record<string, number>; start?: string; end?: string; summary?: string; nextSteps?: string[];
    evidence?: { source: string; line: number; text: string }[]; trigger?: { kind: string; at: string; ref: string } | null;
  };
  const url = new URL(target.url);
  return {
    id: row.id, target: row.target, state: row.state, cause: row.cause, layer: row.layer, title: d.title ?? row.cause,
    statuses: d.statuses ?? {}, start: d.start ?? iso(row.openedAt), end: d.end ?? iso(row.updatedAt),
    resolvedAt: row.resolvedAt === null ? null : iso(row.resolvedAt), path: url.pathname === '/' ? null : url.pathname,
    upstream: target.upstream ? new URL(target.upstream).host : null, summary: d.summary ?? '', nextSteps: d.nextSteps ?? [],
    evidence: d.evidence ?? [], trigger: d.trigger ?? null,
  };
}
