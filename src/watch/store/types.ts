// The rows watch keeps, and the store interface SQLite and PostgreSQL implement.

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
  /** Followed log lines that named this check's request ID (the request-ID join). */
  readonly logLines?: readonly { readonly source: string; readonly line: number; readonly text: string }[];
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
  /** A journal's cursor (journald sources; dev, ino and offset are 0 there). */
  readonly cursor?: string;
}

/** What one lease round gives an instance: the targets it holds now, and how many instances are alive. */
export interface LeaseRound {
  readonly held: readonly string[];
  readonly instances: number;
}

export interface LeaseRequest {
  /** This instance's id (unique per process). */
  readonly owner: string;
  /** Every target of the config. */
  readonly targets: readonly string[];
  /** How long a lease (and this instance's heartbeat) lasts unless renewed. */
  readonly leaseMs: number;
}

/** An incident open attempt: `created` is false when the target already had one open (fleet-wide). */
export interface OpenResult {
  readonly id: number;
  readonly created: boolean;
}

/** The history store; SQLite (one host) and PostgreSQL (a fleet) implement it. Every method is async. */
export interface Store extends WebQueries {
  readonly kind: 'sqlite' | 'postgres';
  addCheck(c: Omit<CheckRow, 'id'>, instance?: string): Promise<number>;
  checks(target: string, since: number, limit?: number): Promise<CheckRow[]>;
  lastCheck(target: string): Promise<CheckRow | undefined>;
  /** Opens an incident; returns the id of the one already open on the target if there is one. */
  openIncident(i: Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acked' | 'notes'>): Promise<number>;
  /** As openIncident, and says whether this call created it (one open incident per target, enforced by the database). */
  tryOpenIncident(i: Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acked' | 'notes'>): Promise<OpenResult>;
  updateIncident(id: number, patch: { cause?: string; layer?: string; updatedAt: number; data?: IncidentRow['data'] }): Promise<void>;
  /** Resolves an open incident; false when it was not open (already resolved, by another instance too). */
  resolveIncident(id: number, at: number): Promise<boolean>;
  acknowledge(id: number, note: { at: number; author: string; text: string } | undefined): Promise<void>;
  addNote(id: number, note: { at: number; author: string; text: string }): Promise<void>;
  incident(id: number): Promise<IncidentRow | undefined>;
  incidents(state: 'open' | 'resolved' | 'all', limit?: number): Promise<IncidentRow[]>;
  openIncidentFor(target: string): Promise<IncidentRow | undefined>;
  /** The newest incident of a target, open or not. */
  latestIncidentFor(target: string): Promise<IncidentRow | undefined>;
  /** The state each target's newest check since `since` recorded (what the instance holding it saw). */
  lastStates(since: number): Promise<{ target: string; state: TargetState }[]>;
  addChange(c: Omit<ChangeRow, 'id'>): Promise<number>;
  changes(since: number, until: number): Promise<ChangeRow[]>;
  /** Adds a followed log line that named the check's request ID to its evidence (at most 5 kept). */
  annotateCheck(id: number, line: { source: string; line: number; text: string }): Promise<void>;
  savePosition(p: LogPosition): Promise<void>;
  position(path: string): Promise<LogPosition | undefined>;
  recordAlert(a: { incidentId: number; event: string; channel: string; at: number; ok: boolean; error: string | null }): Promise<void>;
  alertsFor(incidentId: number): Promise<{ event: string; channel: string; ok: boolean }[]>;
  /** Renews this instance's leases, claims or releases targets toward its fair share; one transaction. */
  leaseTargets(req: LeaseRequest): Promise<LeaseRound>;
  /** Gives back every lease of `owner` (a clean stop), so others take its targets at once. */
  releaseTargets(owner: string): Promise<void>;
  prune(before: number): Promise<number>;
  /** Deletes hourly rollups of hours before `beforeHour` and daily ones of days before `beforeDay`; returns how many rows went. */
  pruneRollups(beforeHour: number, beforeDay: number): Promise<number>;
  close(): Promise<void>;
}

/** One hour (or day) of a target's checks, summed by the rollup trigger (migration 3). */
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

/** Read-only queries the web dashboard and status page need, answered from indexes and rollups (one query each). */
export interface WebQueries {
  /** Hourly rollups of every target (or of the targets named) from `sinceHour` on, ordered by target and hour. */
  hourRollups(sinceHour: number, targets?: readonly string[]): Promise<HourRollup[]>;
  /** Daily rollups of every target from `sinceDay` on (only days with a failed, down or degraded check). */
  dayRollups(sinceDay: number, troubledOnly?: boolean): Promise<CheckRollup[]>;
  /** The first day any check was kept, or null. */
  firstDay(): Promise<number | null>;
  /** The newest check of each target named (a target never checked is absent), from check_latest (migration 4). */
  lastChecks(targets: readonly string[]): Promise<Map<string, CheckRow>>;
  /** Failed checks with id above `afterId`, newest first. */
  failedFeed(afterId: number, limit: number): Promise<FeedRow[]>;
  /** A target's failed checks between two times (kept responses), newest first. */
  failedChecks(target: string, from: number, to: number, limit: number): Promise<CheckRow[]>;
  /** Incidents of a state, newest first, opened before `before` (paging). */
  incidentsPage(state: 'open' | 'resolved' | 'all', before: number, limit: number): Promise<IncidentRow[]>;
  /** Incidents opened since `since`, newest first, at most `limit`. */
  incidentsSince(since: number, limit: number): Promise<IncidentRow[]>;
}
