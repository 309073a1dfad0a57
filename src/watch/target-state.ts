// The state of one target from its checks (pure): up, degraded, down or maintenance, and when an incident
// opens, changes cause or resolves. Flaps are damped: recovery needs `resolveAfter` of passing checks.
import type { TargetState } from './store/types.ts';

export interface CheckOutcome {
  readonly at: number;
  readonly ok: boolean;
  /** Passed, but slower than wanted or one of the recent checks failed. */
  readonly slow: boolean;
  readonly status: number | null;
  /** The verdict's cause for a failed check (`null` when the check passed). */
  readonly cause: string | null;
}

export interface TargetTracker {
  readonly state: TargetState;
  readonly failuresInRow: number;
  readonly okSince: number | null;
  /** The cause of the open incident, if one is open. */
  readonly incidentCause: string | null;
  /** A different cause seen on the last failed checks, and how many times in a row. */
  readonly candidate: { readonly cause: string; readonly count: number } | null;
  /** Pass/fail of the last checks, newest last (bounded): the intermittent-failure rate. */
  readonly recent: readonly boolean[];
}

export type TargetEvent =
  | { readonly kind: 'open'; readonly cause: string; readonly at: number }
  | { readonly kind: 'change'; readonly cause: string; readonly at: number }
  | { readonly kind: 'resolve'; readonly at: number };

export interface StateRules {
  /** Failed checks in a row that make the target down and open an incident. */
  readonly failuresToOpen: number;
  /** Passing time that resolves an open incident. */
  readonly resolveAfter: number;
  readonly inMaintenance: boolean;
}

const RECENT = 10;

export const initialTracker: TargetTracker = { state: 'up', failuresInRow: 0, okSince: null, incidentCause: null, candidate: null, recent: [] };

function onFailure(t: TargetTracker, c: CheckOutcome, r: StateRules, recent: boolean[]): { next: TargetTracker; events: TargetEvent[] } {
  const cause = c.cause ?? 'gateway.unexplained';
  const failuresInRow = t.failuresInRow + 1;
  if (t.incidentCause === null) {
    if (failuresInRow >= r.failuresToOpen && !r.inMaintenance) {
      return { next: { state: 'down', failuresInRow, okSince: null, incidentCause: cause, candidate: null, recent }, events: [{ kind: 'open', cause, at: c.at }] };
    }
    return { next: { ...t, state: r.inMaintenance ? 'maintenance' : 'degraded', failuresInRow, okSince: null, recent }, events: [] };
  }
  if (cause === t.incidentCause) return { next: { ...t, state: 'down', failuresInRow, okSince: null, candidate: null, recent }, events: [] };
  // A new cause must hold for two failed checks in a row before the incident says it changed.
  const count = t.candidate?.cause === cause ? t.candidate.count + 1 : 1;
  if (count >= 2) return { next: { ...t, state: 'down', failuresInRow, okSince: null, incidentCause: cause, candidate: null, recent }, events: [{ kind: 'change', cause, at: c.at }] };
  return { next: { ...t, state: 'down', failuresInRow, okSince: null, candidate: { cause, count }, recent }, events: [] };
}

/** The next tracker and the incident events one check brings. */
export function step(t: TargetTracker, c: CheckOutcome, r: StateRules): { next: TargetTracker; events: TargetEvent[] } {
  const recent = [...t.recent, c.ok].slice(-RECENT);
  if (!c.ok) return onFailure(t, c, r, recent);
  const okSince = t.okSince ?? c.at;
  if (t.incidentCause !== null) {
    if (c.at - okSince >= r.resolveAfter) {
      return { next: { state: 'up', failuresInRow: 0, okSince, incidentCause: null, candidate: null, recent: [] }, events: [{ kind: 'resolve', at: c.at }] };
    }
    return { next: { ...t, state: 'degraded', failuresInRow: 0, okSince, candidate: null, recent }, events: [] };
  }
  const intermittent = recent.some((ok) => !ok);
  const state: TargetState = r.inMaintenance ? 'maintenance' : c.slow || intermittent ? 'degraded' : 'up';
  return { next: { ...t, state, failuresInRow: 0, okSince, candidate: null, recent }, events: [] };
}
