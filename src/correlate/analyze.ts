// The plain reference of correlation: all events at once → incidents (join, access-only reading, neighbours,
// grouping, refinement, description). The streaming stage (correlator.ts) must give the same; tests compare them.
import { unexplained, type Cause, type CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { Analysis, Evidence, Incident, SourceSummary } from '../events/analysis.ts';
import type { PerSecond } from '../events/second-counts.ts';
import type { AccessEvent, ChangeEvent, LogRecord } from '../events/types.ts';
import { toIso } from '../parse/time.ts';
import { accessVerdict } from './access-evidence.ts';
import { causeOf, failsAlone, fromAccess, fromFinding, type FailedRequest } from './failed-request.ts';
import { fill, firstLine, provingLine, shape } from './evidence-text.ts';
import { explainFromUntimed, groupIncidents, mergeTouching, refineWithRoots, type IncidentDraft } from './incidents.ts';
import { FindingIndex, joinAccess } from './join.ts';
import { lifecycleFields, placementOf, symptomOf } from './lifecycle.ts';
import { LifecycleLog } from './lifecycle-log.ts';
import { measureScope } from './scope.ts';
import { incidentTrigger } from './trigger.ts';

export interface AnalysisInput {
  readonly catalog: CauseCatalog;
  readonly sources: readonly SourceSummary[];
  /** Access lines with a 5xx, and 2xx/3xx lines that a mid-body finding names. */
  readonly failedAccess: readonly AccessEvent[];
  readonly findings: readonly Finding[];
  readonly changes: readonly ChangeEvent[];
  readonly totals: { readonly requests: number; readonly byStatus: Readonly<Record<string, number>> };
  readonly traffic: PerSecond;
  readonly hasAccessLog: boolean;
  readonly assumedOffsetMinutes: number;
  readonly gapMs: number;
  readonly triggerWindowMs: number;
  /** Records of app logs that are start banners (catalog/lifecycle.yaml), for the lifecycle rules. */
  readonly banners?: readonly LogRecord[];
}

export const NEIGHBOUR_MS = 30_000;

/** The index of the first request at or after `t` in a list sorted by time. */
function firstAtOrAfter(sorted: readonly FailedRequest[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid]?.time ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Joins failed access lines to findings; what stays unexplained is read from the access fields, then from neighbours. */
function explainAccess(input: AnalysisInput): FailedRequest[] {
  const index = new FindingIndex(input.findings.filter((f) => !Number.isNaN(f.record.time)));
  const sorted = [...input.failedAccess].filter((e) => !Number.isNaN(e.time)).sort((a, b) => a.time - b.time);
  const out: FailedRequest[] = [];
  const pending: FailedRequest[] = [];
  for (const e of sorted) {
    const j = joinAccess(e, index);
    const lead = j?.findings[0];
    const own = e.termination ? accessVerdict(e) : undefined;
    if (own && !own.causeId.endsWith('.unexplained')) {
      out.push(fromAccess(e, causeOf(input.catalog, own.causeId), own.confidence, j?.findings ?? []));
    } else if (j && lead) out.push(fromAccess(e, lead.cause, j.confidence, j.findings));
    else if (e.status >= 500 || e.termination) {
      const v = accessVerdict(e);
      const f = fromAccess(e, causeOf(input.catalog, v.causeId), v.confidence, []);
      out.push(f);
      if (v.causeId.endsWith('.unexplained')) pending.push(f);
    }
  }
  // Explained requests in time order (out follows the sorted access lines): each pending one looks only at its window.
  const explained = out.filter((o) => o.findings.length > 0);
  for (const f of pending) {
    const near: FailedRequest[] = [];
    for (let i = firstAtOrAfter(explained, f.time - NEIGHBOUR_MS); i < explained.length; i++) {
      const o = explained[i];
      if (!o || o.time > f.time + NEIGHBOUR_MS) break;
      if (o.status === f.status && (!f.upstream || !o.upstream || o.upstream === f.upstream)) near.push(o);
    }
    if (near.length === 0) continue;
    const counts = new Map<Cause, number>();
    for (const o of near) counts.set(o.cause, (counts.get(o.cause) ?? 0) + 1);
    const [cause] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (cause) {
      f.cause = cause;
      f.confidence = 0.6;
    }
  }
  return out;
}

export const PRECURSOR_MS = 60_000;

/** Findings of the cause's precursors in the minute before onset, latest first (e.g. what marked servers down). */
function precursorsOf(d: IncidentDraft, findings: readonly Finding[]): Finding[] {
  const wanted = d.failures[0]?.cause.precursors ?? [];
  if (wanted.length === 0) return [];
  return findings
    .filter((f) => wanted.includes(f.cause.id) && f.record.time >= d.start - PRECURSOR_MS && f.record.time <= d.start)
    .sort((a, b) => b.record.time - a.record.time);
}

function evidenceOf(d: IncidentDraft, sources: readonly SourceSummary[], findings: readonly Finding[]): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  const add = (source: number, line: number, text: string, key: string, inferred = false): void => {
    if (seen.has(key) || out.length >= 6) return;
    seen.add(key);
    out.push({ source: sources[source]?.path ?? '?', line, text: firstLine(text), ...(inferred ? { placement: 'inferred' as const } : {}) });
  };
  const addFinding = (f: Finding, key: string): void => {
    const p = provingLine(f);
    add(f.record.source, p.line, p.text, key, placementOf(f.record) === 'inferred');
  };
  for (const r of d.roots.slice(0, 2)) addFinding(r, `root:${shape(r.record.message)}`);
  for (const f of d.failures) {
    for (const fi of f.findings) addFinding(fi, `${fi.cause.id}:${shape(fi.record.message)}`);
    if (out.length >= 4) break;
  }
  const firstAccess = d.failures.find((f) => f.access)?.access;
  if (firstAccess) add(firstAccess.source, firstAccess.line, firstAccess.text, 'access');
  for (const p of precursorsOf(d, findings).slice(0, 2)) addFinding(p, `pre:${shape(p.record.message)}`);
  return out;
}

function describe(d: IncidentDraft, input: AnalysisInput): Incident {
  const cause = d.failures[0]?.cause ?? unexplained(input.catalog, 'gateway');
  const statuses: Record<string, number> = {};
  let truncated = 0;
  let inferred = false;
  for (const f of d.failures) {
    let status = f.status;
    if (status === 0) {
      status = f.cause.statuses[0] ?? 0;
      inferred = true;
    }
    if (status > 0 && status < 500) truncated++;
    const key = String(status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const scope = measureScope(d.failures, input.traffic, d.start, d.end);
  const confidence = d.failures.reduce((s, f) => s + f.confidence, 0) / Math.max(1, d.failures.length);
  const trigger = incidentTrigger(input.changes, d.start, input.triggerWindowMs, cause);
  return {
    cause: cause.id, layer: cause.layer, statuses, start: toIso(d.start), end: toIso(d.end), requests: d.failures.length,
    confidence: Math.round(confidence * 100) / 100, evidence: evidenceOf(d, input.sources, input.findings), scope,
    trigger,
    nextSteps: cause.nextSteps.map((s) => fill(s, scope)), title: cause.title, meaning: cause.meaning,
    firstCheck: fill(cause.firstCheck, scope), truncated, statusesInferred: inferred, ...lifecycleFields(d.symptoms, d.roots),
  };
}

/** Failures that a root cause explained directly but that showed a symptom too (a premature close beside an OOM kill). */
function noteSymptoms(d: IncidentDraft): void {
  for (const f of d.failures) {
    const s = symptomOf(f.cause, f.findings);
    if (s) d.symptoms.set(s, (d.symptoms.get(s) ?? 0) + 1);
  }
}

/** The findings with the lifecycle rules applied: untimed fatal records placed, fatal exceptions as crashes. */
function withLifecycle(input: AnalysisInput, failures: readonly FailedRequest[]): readonly Finding[] {
  const life = new LifecycleLog(input.catalog);
  for (const b of input.banners ?? []) life.noteBanner(b);
  for (const c of input.changes) life.noteChange(c);
  for (const f of input.findings) life.noteFinding(f);
  for (const f of failures) life.noteFailure(f.cause.id, f.time);
  const extra = life.settle();
  return extra.length === 0 ? input.findings : [...new Set([...input.findings, ...extra])];
}

/** The whole analysis: pure, given what the sources produced. */
export function analyze(input: AnalysisInput): Analysis {
  const isRoot = (f: Finding): boolean => f.cause.explains.length > 0;
  let failures: FailedRequest[];
  if (input.hasAccessLog) failures = explainAccess(input);
  else failures = input.findings.filter((f) => !isRoot(f) && failsAlone(f) && !Number.isNaN(f.record.time)).map(fromFinding);

  const findings = withLifecycle(input, failures);
  let drafts = groupIncidents(failures, input.gapMs);
  for (const d of drafts) noteSymptoms(d);
  const usedRoots = refineWithRoots(drafts, findings, input.catalog);
  explainFromUntimed(drafts, findings, input.catalog);
  if (!input.hasAccessLog) {
    const lone = findings.filter((f) => isRoot(f) && !usedRoots.has(f) && !Number.isNaN(f.record.time)).map(fromFinding);
    drafts.push(...groupIncidents(lone, input.gapMs));
  }
  drafts = mergeTouching(drafts, input.gapMs);
  const incidents = drafts
    .map((d) => describe(d, input))
    .sort((a, b) => b.requests - a.requests || a.start.localeCompare(b.start));
  return {
    version: 1, sources: input.sources, totals: input.totals, incidents, assumedOffsetMinutes: input.assumedOffsetMinutes,
  };
}
