// watch's history in an embedded SQLite database (node:sqlite, WAL): checks, incidents, changes, log positions.
import { mkdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { FivexxError } from '../../errors/codes.ts';
import { MIGRATIONS } from './migrations.ts';
import type { ChangeRow, CheckRollup, CheckRow, FeedRow, HourRollup, IncidentRow, LogPosition, Store, WebQueries } from './types.ts';

type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const str = (v: unknown): string => String(v);
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function checkOf(r: Row): CheckRow {
  return {
    id: num(r.id), target: str(r.target), at: num(r.at), ok: num(r.ok) === 1, state: str(r.state) as CheckRow['state'],
    status: optNum(r.status), ms: num(r.ms), code: r.code === null ? null : str(r.code), evidence: JSON.parse(str(r.evidence)) as CheckRow['evidence'],
  };
}

function incidentOf(r: Row): IncidentRow {
  return {
    id: num(r.id), target: str(r.target), cause: str(r.cause), layer: str(r.layer), state: str(r.state) as IncidentRow['state'],
    openedAt: num(r.opened_at), updatedAt: num(r.updated_at), resolvedAt: optNum(r.resolved_at), acked: num(r.acked) === 1,
    data: JSON.parse(str(r.data)) as IncidentRow['data'], notes: JSON.parse(str(r.notes)) as IncidentRow['notes'],
  };
}

/** Opens (and migrates) the database `watch.db` in `dir`, created 0700 if missing; refuses a symlinked folder. */
export function openSqliteStore(dir: string): SqliteStore {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new FivexxError('FIVEXX_PATH_UNSAFE', `${dir}: the data folder is not a directory (a symlink?)`);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid() && st.uid !== 0) {
    throw new FivexxError('FIVEXX_PATH_UNSAFE', `${dir}: the data folder belongs to another user`);
  }
  if ((st.mode & 0o022) !== 0) throw new FivexxError('FIVEXX_PATH_UNSAFE', `${dir}: the data folder is writable by others (chmod go-w)`);
  return new SqliteStore(join(dir, 'watch.db'));
}

export class SqliteStore implements Store, WebQueries {
  readonly db: DatabaseSync;
  readonly #stmts = new Map<string, StatementSync>();

  constructor(path: string) {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
    this.migrate();
  }

  private stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  /** Applies the migrations this database has not seen, each in one transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = this.db.prepare('SELECT max(version) AS v FROM schema_version').get() as Row | undefined;
    const have = optNum(row?.v) ?? 0;
    if (have > MIGRATIONS.length) throw new FivexxError('FIVEXX_CONFIG_INVALID', `the database is of a newer fivexx (schema ${have}, this one knows ${MIGRATIONS.length})`);
    for (let v = have + 1; v <= MIGRATIONS.length; v++) {
      this.transaction(() => {
        this.db.exec(MIGRATIONS[v - 1] ?? '');
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v);
      });
    }
  }

  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  addCheck(c: Omit<CheckRow, 'id'>): number {
    const r = this.stmt('INSERT INTO checks (target, at, ok, state, status, ms, code, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.target, c.at, c.ok ? 1 : 0, c.state, c.status, c.ms, c.code, JSON.stringify(c.evidence));
    return num(r.lastInsertRowid);
  }

  checks(target: string, since: number, limit = 1000): CheckRow[] {
    return (this.stmt('SELECT * FROM checks WHERE target = ? AND at >= ? ORDER BY at DESC LIMIT ?').all(target, since, limit) as Row[]).map(checkOf);
  }

  lastCheck(target: string): CheckRow | undefined {
    const r = this.stmt('SELECT * FROM checks WHERE target = ? ORDER BY at DESC LIMIT 1').get(target) as Row | undefined;
    return r ? checkOf(r) : undefined;
  }

  openIncident(i: Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acked' | 'notes'>): number {
    const r = this.stmt("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, data, notes) VALUES (?, ?, ?, 'open', ?, ?, ?, '[]')")
      .run(i.target, i.cause, i.layer, i.openedAt, i.updatedAt, JSON.stringify(i.data));
    return num(r.lastInsertRowid);
  }

  updateIncident(id: number, patch: { cause?: string; layer?: string; updatedAt: number; data?: IncidentRow['data'] }): void {
    const cur = this.incident(id);
    if (!cur) return;
    this.stmt('UPDATE incidents SET cause = ?, layer = ?, updated_at = ?, data = ? WHERE id = ?')
      .run(patch.cause ?? cur.cause, patch.layer ?? cur.layer, patch.updatedAt, JSON.stringify(patch.data ?? cur.data), id);
  }

  resolveIncident(id: number, at: number): void {
    this.stmt("UPDATE incidents SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? AND state = 'open'").run(at, at, id);
  }

  acknowledge(id: number, note: { at: number; author: string; text: string } | undefined): void {
    this.transaction(() => {
      this.stmt('UPDATE incidents SET acked = 1 WHERE id = ?').run(id);
      if (note) this.addNote(id, note);
    });
  }

  addNote(id: number, note: { at: number; author: string; text: string }): void {
    const cur = this.incident(id);
    if (!cur) return;
    this.stmt('UPDATE incidents SET notes = ? WHERE id = ?').run(JSON.stringify([...cur.notes, note]), id);
  }

  incident(id: number): IncidentRow | undefined {
    const r = this.stmt('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return r ? incidentOf(r) : undefined;
  }

  incidents(state: 'open' | 'resolved' | 'all', limit = 500): IncidentRow[] {
    const rows = state === 'all'
      ? this.stmt('SELECT * FROM incidents ORDER BY opened_at DESC LIMIT ?').all(limit)
      : this.stmt('SELECT * FROM incidents WHERE state = ? ORDER BY opened_at DESC LIMIT ?').all(state, limit);
    return (rows as Row[]).map(incidentOf);
  }

  openIncidentFor(target: string): IncidentRow | undefined {
    const r = this.stmt("SELECT * FROM incidents WHERE target = ? AND state = 'open' ORDER BY opened_at DESC LIMIT 1").get(target) as Row | undefined;
    return r ? incidentOf(r) : undefined;
  }

  addChange(c: Omit<ChangeRow, 'id'>): number {
    const r = this.stmt('INSERT INTO changes (at, kind, ref, service, source) VALUES (?, ?, ?, ?, ?)').run(c.at, c.kind, c.ref, c.service, c.source);
    return num(r.lastInsertRowid);
  }

  changes(since: number, until: number): ChangeRow[] {
    return (this.stmt('SELECT * FROM changes WHERE at >= ? AND at <= ? ORDER BY at').all(since, until) as Row[]).map((r) => ({
      id: num(r.id), at: num(r.at), kind: str(r.kind) as ChangeRow['kind'], ref: str(r.ref), service: r.service === null ? null : str(r.service), source: str(r.source),
    }));
  }

  savePosition(p: LogPosition): void {
    this.stmt('INSERT INTO log_positions (path, dev, ino, offset, line, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset, line = excluded.line, updated_at = excluded.updated_at')
      .run(p.path, p.dev, p.ino, p.offset, p.line, p.updatedAt);
  }

  position(path: string): LogPosition | undefined {
    const r = this.stmt('SELECT * FROM log_positions WHERE path = ?').get(path) as Row | undefined;
    return r ? { path: str(r.path), dev: num(r.dev), ino: num(r.ino), offset: num(r.offset), line: num(r.line), updatedAt: num(r.updated_at) } : undefined;
  }

  recordAlert(a: { incidentId: number; event: string; channel: string; at: number; ok: boolean; error: string | null }): void {
    this.stmt('INSERT INTO alerts_sent (incident_id, event, channel, at, ok, error) VALUES (?, ?, ?, ?, ?, ?)').run(a.incidentId, a.event, a.channel, a.at, a.ok ? 1 : 0, a.error);
  }

  alertsFor(incidentId: number): { event: string; channel: string; ok: boolean }[] {
    return (this.stmt('SELECT event, channel, ok FROM alerts_sent WHERE incident_id = ? ORDER BY id').all(incidentId) as Row[]).map((r) => ({ event: str(r.event), channel: str(r.channel), ok: num(r.ok) === 1 }));
  }

  /** Deletes checks and resolved incidents older than `before`; returns how many rows went. */
  prune(before: number): number {
    return this.transaction(() => {
      const a = this.stmt('DELETE FROM checks WHERE at < ?').run(before).changes;
      const b = this.stmt("DELETE FROM incidents WHERE state = 'resolved' AND resolved_at < ?").run(before).changes;
      const c = this.stmt('DELETE FROM changes WHERE at < ?').run(before).changes;
      return num(a) + num(b) + num(c);
    });
  }

  close(): void {
    this.db.close();
  }

  // Read-only queries of the web dashboard and status page (WebQueries), from rollups and indexes.

  hourRollups(sinceHour: number, target?: string): HourRollup[] {
    const rows = target === undefined
      ? this.stmt('SELECT * FROM check_hours WHERE hour >= ? ORDER BY target, hour').all(sinceHour)
      : this.stmt('SELECT * FROM check_hours WHERE target = ? AND hour >= ? ORDER BY hour').all(target, sinceHour);
    return (rows as Row[]).map((r) => ({
      target: str(r.target), bucket: num(r.hour), n: num(r.n), fail: num(r.fail), down: num(r.down), degraded: num(r.degraded),
      s2: num(r.s2), s3: num(r.s3), s4: num(r.s4), s5: num(r.s5), serr: num(r.serr), msSum: num(r.ms_sum), msMax: num(r.ms_max),
      dns: num(r.dns), connect: num(r.connect), tls: num(r.tls), ttfb: num(r.ttfb),
    }));
  }

  dayRollups(sinceDay: number, troubledOnly = false): CheckRollup[] {
    const sql = `SELECT target, day, n, fail, down, degraded FROM check_days WHERE day >= ?${troubledOnly ? ' AND (down > 0 OR degraded > 0 OR fail > 0)' : ''}`;
    return (this.stmt(sql).all(sinceDay) as Row[])
      .map((r) => ({ target: str(r.target), bucket: num(r.day), n: num(r.n), fail: num(r.fail), down: num(r.down), degraded: num(r.degraded) }));
  }

  firstDay(): number | null {
    return optNum((this.stmt('SELECT min(day) AS d FROM check_days').get() as Row | undefined)?.d);
  }

  failedFeed(afterId: number, limit: number): FeedRow[] {
    const sql = "SELECT id, target, at, status, code, json_extract(evidence, '$.cause') AS cause, json_extract(evidence, '$.summary') AS summary FROM checks WHERE ok = 0 AND id > ? ORDER BY id DESC LIMIT ?";
    return (this.stmt(sql).all(afterId, limit) as Row[]).map((r) => ({
      id: num(r.id), target: str(r.target), at: num(r.at), status: optNum(r.status), code: r.code === null ? null : str(r.code),
      cause: r.cause === null ? null : str(r.cause), summary: r.summary === null ? null : str(r.summary),
    }));
  }

  failedChecks(target: string, from: number, to: number, limit: number): CheckRow[] {
    return (this.stmt('SELECT * FROM checks WHERE target = ? AND at >= ? AND at <= ? AND ok = 0 ORDER BY at DESC LIMIT ?').all(target, from, to, limit) as Row[]).map(checkOf);
  }

  incidentsPage(state: 'open' | 'resolved' | 'all', before: number, limit: number): IncidentRow[] {
    const rows = state === 'all'
      ? this.stmt('SELECT * FROM incidents WHERE opened_at < ? ORDER BY opened_at DESC LIMIT ?').all(before, limit)
      : this.stmt('SELECT * FROM incidents WHERE state = ? AND opened_at < ? ORDER BY opened_at DESC LIMIT ?').all(state, before, limit);
    return (rows as Row[]).map(incidentOf);
  }

  incidentsSince(since: number, limit: number): IncidentRow[] {
    return (this.stmt('SELECT * FROM incidents WHERE opened_at >= ? ORDER BY opened_at DESC LIMIT ?').all(since, limit) as Row[]).map(incidentOf);
  }
}
