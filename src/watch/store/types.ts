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
