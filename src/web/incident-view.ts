// What the incident page shows beyond the stored incident: the failing hop and the eight-step checklist.
import type { IncidentRow } from '../watch/store/types.ts';

export const HOPS = ['visitor', 'cdn', 'gateway', 'app', 'dependency'] as const;
export type Hop = (typeof HOPS)[number];

/** The hop of the diagram an incident's layer marks (an upstream fault is the app behind the gateway). */
export function failingHop(layer: string): Hop {
  switch (layer) {
    case 'client': return 'visitor';
    case 'edge': return 'cdn';
    case 'gateway': return 'gateway';
    case 'dependency': return 'dependency';
    default: return 'app';
  }
}

export interface ChecklistStep {
  readonly step: 'identify' | 'scope' | 'changes' | 'logs' | 'health' | 'rollback' | 'communicate' | 'document';
  readonly title: string;
  readonly done: boolean;
  readonly found: string;
}

interface Data {
  title?: string; statuses?: Record<string, number>; scope?: { paths?: [string, number][]; upstreams?: [string, number][] };
  trigger?: { kind: string; at: string; ref: string } | null; evidence?: unknown[]; firstCheck?: string;
}

/** The eight steps of `fivexx incident`, filled from what the incident already knows. */
export function checklist(i: IncidentRow): ChecklistStep[] {
  const d = i.data as Data;
  const statuses = Object.entries(d.statuses ?? {}).map(([s, n]) => `${s}×${n}`).join(', ');
  const paths = (d.scope?.paths ?? []).map(([p]) => p).join(', ');
  const ups = (d.scope?.upstreams ?? []).map(([u]) => u).join(', ');
  const trig = d.trigger;
  const publicNote = i.notes.some((n) => n.text.startsWith('[public] '));
  return [
    { step: 'identify', title: 'Identify the error', done: true, found: `${d.title ?? i.cause} (${i.cause}, layer ${i.layer})${statuses ? `; ${statuses}` : ''}` },
    { step: 'scope', title: 'Scope it', done: paths !== '', found: `paths ${paths || 'unknown'}${ups ? `; upstreams ${ups}` : ''}` },
    { step: 'changes', title: 'Check recent changes', done: Boolean(trig), found: trig ? `${trig.kind} ${trig.ref} at ${trig.at}` : 'no change recorded in the 30 minutes before onset' },
    { step: 'logs', title: 'Read the logs', done: (d.evidence ?? []).length > 0, found: `${(d.evidence ?? []).length} evidence line(s) kept` },
    { step: 'health', title: 'Check the health of each hop', done: true, found: d.firstCheck || 'see the failed checks below' },
    { step: 'rollback', title: 'Roll back or mitigate', done: i.state === 'resolved', found: trig?.kind === 'deploy' ? `consider rolling back ${trig.ref}` : i.state === 'resolved' ? 'resolved' : 'follow the next steps' },
    { step: 'communicate', title: 'Communicate', done: publicNote, found: publicNote ? 'a public note is on the status page' : 'add a public note for the status page' },
    { step: 'document', title: 'Document', done: i.notes.length > 0, found: `${i.notes.length} note(s)${i.acked ? ', acknowledged' : ''}` },
  ];
}
