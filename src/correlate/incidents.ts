// Splits classified failures into incidents (one cause over one contiguous period) and refines symptoms to root causes.
import type { Cause, CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { FailedRequest } from './failed-request.ts';

export interface IncidentDraft {
  readonly failures: FailedRequest[];
  /** Root-cause findings seen near the symptom (OOM kill, worker timeout…), when the cause was refined. */
  roots: Finding[];
  /** Requests by the symptom cause a root cause replaced (see IncidentAggregate.symptoms). */
  readonly symptoms: Map<string, number>;
  start: number;
  end: number;
}

/** Groups failures by cause and splits a cause's timeline where it falls quiet for longer than `gapMs`. */
export function groupIncidents(failures: readonly FailedRequest[], gapMs: number): IncidentDraft[] {
  const byCause = new Map<string, FailedRequest[]>();
  for (const f of failures) {
    const list = byCause.get(f.cause.id) ?? [];
    list.push(f);
    byCause.set(f.cause.id, list);
  }
  const out: IncidentDraft[] = [];
  for (const list of byCause.values()) {
    list.sort((a, b) => a.time - b.time);
    let cur: IncidentDraft | undefined;
    for (const f of list) {
      if (!cur || f.time - cur.end > gapMs) {
        cur = { failures: [], roots: [], symptoms: new Map(), start: f.time, end: f.time };
        out.push(cur);
      }
      cur.failures.push(f);
      cur.end = Math.max(cur.end, f.time);
    }
  }
  return out;
}

const ROOT_LOOKBACK_MS = 60_000;
const ROOT_LOOKAHEAD_MS = 5_000;

/**
 * Where a root-cause finding (one whose cause `explains` the incident's cause) lies in or just before an
 * incident, the incident takes the root cause: nginx's "prematurely closed" next to gunicorn's
 * "WORKER TIMEOUT" is an app timeout. Returns the roots that were used.
 */
export function refineWithRoots(drafts: IncidentDraft[], findings: readonly Finding[], catalog: CauseCatalog): Set<Finding> {
  const used = new Set<Finding>();
  const roots = findings.filter((f) => f.cause.explains.length > 0 && !Number.isNaN(f.record.time));
  for (const d of drafts) {
    const symptom = d.failures[0]?.cause.id ?? '';
    const near = roots.filter((r) => r.cause.explains.includes(symptom) && overlaps(r, d));
    if (adopt(d, near, catalog, 0.85)) for (const r of d.roots) used.add(r);
  }
  return used;
}

/** The record's possible time range touches the incident's window (with the root look-back). */
function overlaps(f: Finding, d: IncidentDraft): boolean {
  return overlapsWindow(f, d.start, d.end);
}

/** The record's possible time range touches [start − 60 s, end + 5 s]. */
export function overlapsWindow(f: Finding, start: number, end: number): boolean {
  return f.record.timeMax >= start - ROOT_LOOKBACK_MS && f.record.time <= end + ROOT_LOOKAHEAD_MS;
}

/** The most frequent cause among `near` (the most specific on a tie), as the catalog has it. */
export function adoptRoot(near: readonly Finding[], catalog: CauseCatalog): Cause | undefined {
  if (near.length === 0) return undefined;
  const counts = new Map<string, number>();
  const spec = new Map<string, number>();
  for (const r of near) {
    counts.set(r.cause.id, (counts.get(r.cause.id) ?? 0) + 1);
    spec.set(r.cause.id, Math.max(spec.get(r.cause.id) ?? 0, r.pattern.specificity));
  }
  const [rootId] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (spec.get(b[0]) ?? 0) - (spec.get(a[0]) ?? 0))[0] ?? [];
  return rootId ? catalog.byId.get(rootId) : undefined;
}

/** Gives the draft the most frequent cause among `near`; true when it did. */
function adopt(d: IncidentDraft, near: readonly Finding[], catalog: CauseCatalog, confidence: number): boolean {
  const root = adoptRoot(near, catalog);
  if (!root) return false;
  const symptom = d.failures[0]?.cause.id ?? '';
  d.symptoms.set(symptom, (d.symptoms.get(symptom) ?? 0) + d.failures.length);
  d.roots = near.filter((r) => r.cause.id === root.id);
  for (const f of d.failures) {
    f.cause = root;
    f.confidence = Math.max(f.confidence, confidence);
  }
  return true;
}

/**
 * Records without a time of their own (a Node.js crash dump, console.error output) cannot be joined
 * to single requests; an incident that stayed unexplained takes their cause when their possible
 * time range touches it, with a lower confidence.
 */
export function explainFromUntimed(drafts: IncidentDraft[], findings: readonly Finding[], catalog: CauseCatalog): void {
  const untimed = findings.filter((f) => !f.record.timed && !f.pattern.midBody && !Number.isNaN(f.record.timeMax));
  for (const d of drafts) {
    if (!d.failures[0]?.cause.id.endsWith('.unexplained')) continue;
    const near = untimed.filter((f) => overlaps(f, d));
    if (adopt(d, near, catalog, 0)) for (const f of d.failures) f.confidence = 0.6;
  }
}

/** After refinement two incidents of the same cause may touch: merge those within `gapMs`. */
export function mergeTouching(drafts: IncidentDraft[], gapMs: number): IncidentDraft[] {
  const sorted = [...drafts].sort((a, b) => a.start - b.start);
  const out: IncidentDraft[] = [];
  for (const d of sorted) {
    const causeId = d.failures[0]?.cause.id;
    const prev = [...out].reverse().find((o) => o.failures[0]?.cause.id === causeId);
    if (prev && d.start - prev.end <= gapMs) {
      prev.failures.push(...d.failures);
      prev.roots.push(...d.roots.filter((r) => !prev.roots.includes(r)));
      for (const [c, n] of d.symptoms) prev.symptoms.set(c, (prev.symptoms.get(c) ?? 0) + n);
      prev.end = Math.max(prev.end, d.end);
    } else out.push(d);
  }
  return out;
}
