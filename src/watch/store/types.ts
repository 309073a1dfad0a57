// The rows watch keeps, and the store interface both SQLite and (later) PostgreSQL implement.

export type TargetState = 'up' | 'degraded' | 'down' | 'maintenance';

/** What a failed (or any) check keeps: enough to see why without probing again. Headers are redacted. */
export interface CheckEvidence {
  readonly address?: string;
  readonly httpVersion?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly tls?: string;
  readonly requestId?: string;
  readonly phases?: Readonly<Record<string, number>>;
  readonly failed?: readonly string[];
  readonly responder?: string;
  readonly cause?: string | null;
  readonly summary?: string;
}

export interface CheckRow {
  readonly id: number;
  readonly target: string;
  readonly at: number;
  readonly ok: boolean;
  readonly state: TargetState;
  readonly status: number | null;
  readonly ms: number;
  readonly code: string | null;
  readonly evidence: CheckEvidence;
}

export interface IncidentRow {
  readonly id: number;
  readonly target: string;
  readonly cause: string;
  readonly layer: string;
  readonly state: 'open' | 'resolved';
  readonly openedAt: number;
  readonly updatedAt: number;
  readonly resolvedAt: number | null;
  readonly acked: boolean;
  /** The incident as `analyze` shapes it (statuses, evidence, scope, trigger, nextSteps…). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly notes: readonly { readonly at: number; readonly author: string; readonly text: string }[];
}

export interface ChangeRow {
  readonly id: number;
  readonly at: number;
  readonly kind: 'deploy' | 'rollback' | 'config' | 'restart' | 'reload';
  readonly ref: string;
  readonly service: string | null;
  readonly source: string;
}

export interface LogPosition {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  readonly offset: number;
  readonly line: number;
  readonly updatedAt: number;
}

export interface Store {
  addCheck(c: Omit<CheckRow, 'id'>): number;
  checks(target: string, since: number, limit?: number): CheckRow[];
  lastCheck(target: string): CheckRow | undefined;
  openIncident(i: Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acked' | 'notes'>): number;
  updateIncident(id: number, patch: { cause?: string; layer?: string; updatedAt: number; data?: IncidentRow['data'] }): void;
  resolveIncident(id: number, at: number): void;
  acknowledge(id: number, note: { at: number; author: string; text: string } | undefined): void;
  addNote(id: number, note: { at: number; author: string; text: string }): void;
  incident(id: number): IncidentRow | undefined;
  incidents(state: 'open' | 'resolved' | 'all', limit?: number): IncidentRow[];
  openIncidentFor(target: string): IncidentRow | undefined;
  addChange(c: Omit<ChangeRow, 'id'>): number;
  changes(since: number, until: number): ChangeRow[];
  savePosition(p: LogPosition): void;
  position(path: string): LogPosition | undefined;
  recordAlert(a: { incidentId: number; event: string; channel: string; at: number; ok: boolean; error: string | null }): void;
  alertsFor(incidentId: number): { event: string; channel: string; ok: boolean }[];
  prune(before: number): number;
  close(): void;
}

/** One hour (or day) of a target's checks, summed by the rollup trigger (migration 2). */
export interface CheckRollup {
  readonly target: string;
  /** Hour or day number since the epoch (ms / 3,600,000 or / 86,400,000). */
  readonly bucket: number;
  readonly n: number;
  readonly fail: number;
  readonly down: number;
  readonly degraded: number;
}

export interface HourRollup extends CheckRollup {
  readonly s2: number;
  readonly s3: number;
  readonly s4: number;
  readonly s5: number;
  readonly serr: number;
  readonly msSum: number;
  readonly msMax: number;
  /** Phase sums (ms) over the hour's checks: divide by n for the mean. */
  readonly dns: number;
  readonly connect: number;
  readonly tls: number;
  readonly ttfb: number;
}

/** A failed check in the live feed: its classification without the kept response. */
export interface FeedRow {
  readonly id: number;
  readonly target: string;
  readonly at: number;
  readonly status: number | null;
  readonly code: string | null;
  readonly cause: string | null;
  readonly summary: string | null;
}

/** Read-only queries the web dashboard and status page need, answered from indexes and rollups. */
export interface WebQueries {
  /** Hourly rollups of every target (or one) from `sinceHour` on, ordered by target and hour. */
  hourRollups(sinceHour: number, target?: string): HourRollup[];
  /** Daily rollups of every target from `sinceDay` on (only days with a failed, down or degraded check). */
  dayRollups(sinceDay: number, troubledOnly?: boolean): CheckRollup[];
  /** The first day any check was kept, or null. */
  firstDay(): number | null;
  /** Failed checks with id above `afterId`, newest first. */
  failedFeed(afterId: number, limit: number): FeedRow[];
  /** A target's failed checks between two times (kept responses), newest first. */
  failedChecks(target: string, from: number, to: number, limit: number): CheckRow[];
  /** Incidents of a state, newest first, opened before `before` (paging). */
  incidentsPage(state: 'open' | 'resolved' | 'all', before: number, limit: number): IncidentRow[];
  /** Incidents opened since `since`, newest first, at most `limit`. */
  incidentsSince(since: number, limit: number): IncidentRow[];
}
