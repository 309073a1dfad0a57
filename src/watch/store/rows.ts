// Database rows to watch's row types, the same for SQLite and PostgreSQL (which returns BIGINT as text).
import type { ChangeRow, CheckRollup, CheckRow, FeedRow, HourRollup, IncidentRow, LogPosition } from './types.ts';

export type Row = Record<string, unknown>;

export const num = (v: unknown): number => Number(v);
export const str = (v: unknown): string => String(v);
export const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function checkOf(r: Row): CheckRow {
  return {
    id: num(r.id), target: str(r.target), at: num(r.at), ok: num(r.ok) === 1, state: str(r.state) as CheckRow['state'],
    status: optNum(r.status), ms: num(r.ms), code: r.code === null ? null : str(r.code), evidence: JSON.parse(str(r.evidence)) as CheckRow['evidence'],
  };
}

export function incidentOf(r: Row): IncidentRow {
  return {
    id: num(r.id), target: str(r.target), cause: str(r.cause), layer: str(r.layer), state: str(r.state) as IncidentRow['state'],
    openedAt: num(r.opened_at), updatedAt: num(r.updated_at), resolvedAt: optNum(r.resolved_at), acked: num(r.acked) === 1,
    data: JSON.parse(str(r.data)) as IncidentRow['data'], notes: JSON.parse(str(r.notes)) as IncidentRow['notes'],
  };
}

export function changeOf(r: Row): ChangeRow {
  return { id: num(r.id), at: num(r.at), kind: str(r.kind) as ChangeRow['kind'], ref: str(r.ref), service: r.service === null ? null : str(r.service), source: str(r.source) };
}

export function positionOf(r: Row): LogPosition {
  return { path: str(r.path), dev: num(r.dev), ino: num(r.ino), offset: num(r.offset), line: num(r.line), updatedAt: num(r.updated_at), ...(typeof r.cursor === 'string' ? { cursor: r.cursor } : {}) };
}

export function alertOf(r: Row): { event: string; channel: string; ok: boolean } {
  return { event: str(r.event), channel: str(r.channel), ok: num(r.ok) === 1 };
}

const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : str(v));

export function hourOf(r: Row): HourRollup {
  return {
    target: str(r.target), bucket: num(r.hour), n: num(r.n), fail: num(r.fail), down: num(r.down), degraded: num(r.degraded),
    s2: num(r.s2), s3: num(r.s3), s4: num(r.s4), s5: num(r.s5), serr: num(r.serr), msSum: num(r.ms_sum), msMax: num(r.ms_max),
    dns: num(r.dns), connect: num(r.connect), tls: num(r.tls), ttfb: num(r.ttfb),
  };
}

export function dayOf(r: Row): CheckRollup {
  return { target: str(r.target), bucket: num(r.day), n: num(r.n), fail: num(r.fail), down: num(r.down), degraded: num(r.degraded) };
}

export function feedOf(r: Row): FeedRow {
  return { id: num(r.id), target: str(r.target), at: num(r.at), status: optNum(r.status), code: optStr(r.code), cause: optStr(r.cause), summary: optStr(r.summary) };
}
