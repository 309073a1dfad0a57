// Turns a closed incident aggregate into the contract's incident: statuses, scope, confidence, trigger,
// evidence (root lines, the first distinct finding lines, the first access line, precursors) and steps.
import type { Finding } from '../classify/classify.ts';
import type { Evidence, Incident, SourceSummary } from '../events/analysis.ts';
import type { PerSecond } from '../events/second-counts.ts';
import type { ChangeEvent } from '../events/types.ts';
import { toIso } from '../parse/time.ts';
import { fill, firstLine, provingLine, shapeOf } from './evidence-text.ts';
import type { IncidentAggregate } from './incident-aggregate.ts';
import { shareOf } from './scope.ts';
import { lifecycleFields, placementOf } from './lifecycle.ts';
import { incidentTrigger } from './trigger.ts';

export interface DescribeContext {
  readonly sources: readonly SourceSummary[];
  readonly changes: readonly ChangeEvent[];
  readonly traffic: PerSecond;
  readonly triggerWindowMs: number;
  /** Findings of precursor causes (time order not required). */
  readonly precursors: readonly Finding[];
}

const PRECURSOR_MS = 60_000;
const TOP = 10;

function evidenceOf(d: IncidentAggregate, ctx: DescribeContext): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  const add = (source: number, line: number, text: string, key: string, inferred = false): void => {
    if (seen.has(key) || out.length >= 6) return;
    seen.add(key);
    out.push({ source: ctx.sources[source]?.path ?? '?', line, text: firstLine(text), ...(inferred ? { placement: 'inferred' as const } : {}) });
  };
  const addFinding = (f: Finding, key: string): void => {
    const p = provingLine(f);
    add(f.record.source, p.line, p.text, key, placementOf(f.record) === 'inferred');
  };
  for (const r of d.roots.slice(0, 2)) addFinding(r, `root:${shapeOf(r)}`);
  let last: readonly number[] | undefined;
  for (const c of d.evidence) {
    // The reference stops after the failure that brought the fourth line.
    if (last && (c.at[0] !== last[0] || c.at[1] !== last[1] || c.at[2] !== last[2]) && out.length >= 4) break;
    last = c.at;
    addFinding(c.finding, c.key);
  }
  const a = d.firstAccess?.access;
  if (a) add(a.source, a.line, a.text, 'access');
  const wanted = d.cause.precursors;
  const pre = wanted.length === 0 ? [] : ctx.precursors
    .filter((f) => wanted.includes(f.cause.id) && f.record.time >= d.start - PRECURSOR_MS && f.record.time <= d.start)
    .sort((x, y) => y.record.time - x.record.time);
  for (const p of pre.slice(0, 2)) addFinding(p, `pre:${shapeOf(p)}`);
  return out;
}

export function describeIncident(d: IncidentAggregate, ctx: DescribeContext): Incident {
  const cause = d.cause;
  const statuses: Record<string, number> = {};
  let truncated = 0;
  let inferred = false;
  for (const [raw, n] of [...d.statuses.entries()].sort((a, b) => a[0] - b[0])) {
    let status = raw;
    if (status === 0) {
      status = cause.statuses[0] ?? 0;
      inferred = true;
    }
    if (status > 0 && status < 500) truncated += n;
    statuses[String(status)] = (statuses[String(status)] ?? 0) + n;
  }
  const scope = { paths: d.paths.top(TOP), upstreams: d.upstreams.top(TOP), hosts: d.hosts.top(TOP), share: shareOf(d.withAccess, ctx.traffic, d.start, d.end) };
  const trigger = incidentTrigger(ctx.changes, d.start, ctx.triggerWindowMs, cause);
  return {
    cause: cause.id, layer: cause.layer, statuses, start: toIso(d.start), end: toIso(d.end), requests: d.requests,
    confidence: d.confidence(), evidence: evidenceOf(d, ctx), scope,
    trigger,
    nextSteps: cause.nextSteps.map((s) => fill(s, scope)), title: cause.title, meaning: cause.meaning,
    firstCheck: fill(cause.firstCheck, scope), truncated, statusesInferred: inferred, ...lifecycleFields(d.symptoms, d.roots),
  };
}

/** Every incident, the biggest first (then the earliest). */
export function describeAll(drafts: readonly IncidentAggregate[], ctx: DescribeContext): Incident[] {
  return drafts.map((d) => describeIncident(d, ctx)).sort((a, b) => b.requests - a.requests || a.start.localeCompare(b.start));
}
