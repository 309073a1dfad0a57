// Database rows to watch's row types, the same for SQLite and PostgreSQL (which returns BIGINT as text).
import type { ChangeRow, CheckRow, IncidentRow, LogPosition } from './types.ts';

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
  return { path: str(r.path), dev: num(r.dev), ino: num(r.ino), offset: num(r.offset), line: num(r.line), updatedAt: num(r.updated_at) };
}

export function alertOf(r: Row): { event: string; channel: string; ok: boolean } {
  return { event: str(r.event), channel: str(r.channel), ok: num(r.ok) === 1 };
}
