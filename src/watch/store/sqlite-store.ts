// watch's history in an embedded SQLite database (node:sqlite, WAL): checks, incidents, changes, log positions,
// target leases. The calls are synchronous underneath; the Store interface wraps them in promises.
/* eslint-disable @typescript-eslint/require-await -- node:sqlite is synchronous; these methods only wrap it in the async Store interface */
import { mkdirSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { FivexxError } from '../../errors/codes.ts';
import { planLeases, startOf } from './lease-plan.ts';
import { MIGRATIONS } from './migrations.ts';
import { alertOf, changeOf, checkOf, dayOf, feedOf, hourOf, incidentOf, num, optNum, positionOf, type Row } from './rows.ts';
import type { ChangeRow, CheckEvidence, CheckRollup, CheckRow, FeedRow, HourRollup, IncidentRow, LeaseRequest, LeaseRound, LogPosition, OpenResult, Store, TargetState } from './types.ts';

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

type IncidentInput = Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acked' | 'notes'>;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
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
        this.db.exec(MIGRATIONS[v - 1]?.sqlite ?? '');
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v);
      });
    }
  }

  /** Runs `fn` (synchronous) in one write transaction. */
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

  /** Synchronous: an insert of one check (the kill -9 test writes many in one transaction). */
  addCheckSync(c: Omit<CheckRow, 'id'>, instance: string | null = null): number {
    const r = this.stmt('INSERT INTO checks (target, at, ok, state, status, ms, code, evidence, instance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.target, c.at, c.ok ? 1 : 0, c.state, c.status, c.ms, c.code, JSON.stringify(c.evidence), instance);
    return num(r.lastInsertRowid);
  }

  /** Synchronous: opens an incident unless the target has one open (the unique index says no). */
  tryOpenIncidentSync(i: IncidentInput): OpenResult {
    const r = this.stmt("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, data, notes) VALUES (?, ?, ?, 'open', ?, ?, ?, '[]') ON CONFLICT (target) WHERE state = 'open' DO NOTHING")
      .run(i.target, i.cause, i.layer, i.openedAt, i.updatedAt, JSON.stringify(i.data));
    if (num(r.changes) === 1) return { id: num(r.lastInsertRowid), created: true };
    const open = this.#openFor(i.target);
    if (!open) throw new FivexxError('FIVEXX_INTERNAL', `incident of ${i.target} neither opened nor open`);
    return { id: open.id, created: false };
  }

  #incident(id: number): IncidentRow | undefined {
    const r = this.stmt('SELECT * FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return r ? incidentOf(r) : undefined;
  }

  #openFor(target: string): IncidentRow | undefined {
    const r = this.stmt("SELECT * FROM incidents WHERE target = ? AND state = 'open' ORDER BY opened_at DESC LIMIT 1").get(target) as Row | undefined;
    return r ? incidentOf(r) : undefined;
  }

  #addNote(id: number, note: { at: number; author: string; text: string }): void {
    const cur = this.#incident(id);
    if (!cur) return;
    this.stmt('UPDATE incidents SET notes = ? WHERE id = ?').run(JSON.stringify([...cur.notes, note]), id);
  }

  async addCheck(c: Omit<CheckRow, 'id'>, instance?: string): Promise<number> {
    return this.addCheckSync(c, instance ?? null);
  }

  async annotateCheck(id: number, line: { source: string; line: number; text: string }): Promise<void> {
    const r = this.stmt('SELECT evidence FROM checks WHERE id = ?').get(id) as { evidence: string } | undefined;
    if (!r) return;
    const ev = JSON.parse(r.evidence) as CheckEvidence;
    this.stmt('UPDATE checks SET evidence = ? WHERE id = ?').run(JSON.stringify({ ...ev, logLines: [...(ev.logLines ?? []), line].slice(0, 5) }), id);
  }

  async checks(target: string, since: number, limit = 1000): Promise<CheckRow[]> {
    return (this.stmt('SELECT * FROM checks WHERE target = ? AND at >= ? ORDER BY at DESC LIMIT ?').all(target, since, limit) as Row[]).map(checkOf);
  }

  async lastCheck(target: string): Promise<CheckRow | undefined> {
    const r = this.stmt('SELECT * FROM checks WHERE target = ? ORDER BY at DESC LIMIT 1').get(target) as Row | undefined;
    return r ? checkOf(r) : undefined;
  }

  async openIncident(i: IncidentInput): Promise<number> {
    return this.tryOpenIncidentSync(i).id;
  }

  async tryOpenIncident(i: IncidentInput): Promise<OpenResult> {
    return this.tryOpenIncidentSync(i);
  }

  async updateIncident(id: number, patch: { cause?: string; layer?: string; updatedAt: number; data?: IncidentRow['data'] }): Promise<void> {
    const cur = this.#incident(id);
    if (!cur) return;
    this.stmt('UPDATE incidents SET cause = ?, layer = ?, updated_at = ?, data = ? WHERE id = ?')
      .run(patch.cause ?? cur.cause, patch.layer ?? cur.layer, patch.updatedAt, JSON.stringify(patch.data ?? cur.data), id);
  }

  async resolveIncident(id: number, at: number): Promise<boolean> {
    return num(this.stmt("UPDATE incidents SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? AND state = 'open'").run(at, at, id).changes) === 1;
  }

  async acknowledge(id: number, note: { at: number; author: string; text: string } | undefined): Promise<void> {
    this.transaction(() => {
      this.stmt('UPDATE incidents SET acked = 1 WHERE id = ?').run(id);
      if (note) this.#addNote(id, note);
    });
  }

  async addNote(id: number, note: { at: number; author: string; text: string }): Promise<void> {
    this.#addNote(id, note);
  }

  async incident(id: number): Promise<IncidentRow | undefined> {
    return this.#incident(id);
  }

  async incidents(state: 'open' | 'resolved' | 'all', limit = 500): Promise<IncidentRow[]> {
    const rows = state === 'all'
      ? this.stmt('SELECT * FROM incidents ORDER BY opened_at DESC LIMIT ?').all(limit)
      : this.stmt('SELECT * FROM incidents WHERE state = ? ORDER BY opened_at DESC LIMIT ?').all(state, limit);
    return (rows as Row[]).map(incidentOf);
  }

  async openIncidentFor(target: string): Promise<IncidentRow | undefined> {
    return this.#openFor(target);
  }

  async latestIncidentFor(target: string): Promise<IncidentRow | undefined> {
    const r = this.stmt('SELECT * FROM incidents WHERE target = ? ORDER BY id DESC LIMIT 1').get(target) as Row | undefined;
    return r ? incidentOf(r) : undefined;
  }

  async lastStates(since: number): Promise<{ target: string; state: TargetState }[]> {
    return (this.stmt('SELECT target, state FROM checks WHERE id IN (SELECT max(id) FROM checks WHERE at >= ? GROUP BY target)').all(since) as Row[])
      .map((r) => ({ target: String(r.target), state: String(r.state) as TargetState }));
  }

  async addChange(c: Omit<ChangeRow, 'id'>): Promise<number> {
    const r = this.stmt('INSERT INTO changes (at, kind, ref, service, source) VALUES (?, ?, ?, ?, ?)').run(c.at, c.kind, c.ref, c.service, c.source);
    return num(r.lastInsertRowid);
  }

  async changes(since: number, until: number): Promise<ChangeRow[]> {
    return (this.stmt('SELECT * FROM changes WHERE at >= ? AND at <= ? ORDER BY at').all(since, until) as Row[]).map(changeOf);
  }

  async savePosition(p: LogPosition): Promise<void> {
    this.stmt('INSERT INTO log_positions (path, dev, ino, "offset", line, updated_at, cursor) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, "offset" = excluded."offset", line = excluded.line, updated_at = excluded.updated_at, cursor = excluded.cursor')
      .run(p.path, p.dev, p.ino, p.offset, p.line, p.updatedAt, p.cursor ?? null);
  }

  async position(path: string): Promise<LogPosition | undefined> {
    const r = this.stmt('SELECT * FROM log_positions WHERE path = ?').get(path) as Row | undefined;
    return r ? positionOf(r) : undefined;
  }

  async recordAlert(a: { incidentId: number; event: string; channel: string; at: number; ok: boolean; error: string | null }): Promise<void> {
    this.stmt('INSERT INTO alerts_sent (incident_id, event, channel, at, ok, error) VALUES (?, ?, ?, ?, ?, ?)').run(a.incidentId, a.event, a.channel, a.at, a.ok ? 1 : 0, a.error);
  }

  async alertsFor(incidentId: number): Promise<{ event: string; channel: string; ok: boolean }[]> {
    return (this.stmt('SELECT event, channel, ok FROM alerts_sent WHERE incident_id = ? ORDER BY id').all(incidentId) as Row[]).map(alertOf);
  }

  async leaseTargets(req: LeaseRequest): Promise<LeaseRound> {
    return this.transaction(() => {
      const now = Date.now();
      const until = now + req.leaseMs;
      this.stmt('INSERT INTO watch_instances (owner, started_at, seen_until) VALUES (?, ?, ?) ON CONFLICT(owner) DO UPDATE SET seen_until = excluded.seen_until').run(req.owner, now, until);
      this.stmt('DELETE FROM watch_instances WHERE seen_until < ?').run(now);
      const instances = num((this.stmt('SELECT count(*) AS n FROM watch_instances').get() as Row).n);
      this.stmt('UPDATE target_leases SET lease_until = ? WHERE owner = ?').run(until, req.owner);
      const mine = (this.stmt('SELECT target FROM target_leases WHERE owner = ?').all(req.owner) as Row[]).map((r) => String(r.target));
      const taken = new Set((this.stmt('SELECT target FROM target_leases WHERE owner <> ? AND lease_until >= ?').all(req.owner, now) as Row[]).map((r) => String(r.target)));
      const plan = planLeases(req.targets, mine, taken, instances, startOf(req.owner, req.targets.length));
      for (const t of plan.release) this.stmt('DELETE FROM target_leases WHERE target = ? AND owner = ?').run(t, req.owner);
      const gone = new Set(plan.release);
      const held = mine.filter((t) => !gone.has(t));
      for (const t of plan.claim) {
        const r = this.stmt('INSERT INTO target_leases (target, owner, lease_until) VALUES (?, ?, ?) ON CONFLICT(target) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until WHERE target_leases.lease_until < ?')
          .run(t, req.owner, until, now);
        if (num(r.changes) === 1) held.push(t);
      }
      return { held, instances };
    });
  }

  async releaseTargets(owner: string): Promise<void> {
    this.transaction(() => {
      this.stmt('DELETE FROM target_leases WHERE owner = ?').run(owner);
      this.stmt('DELETE FROM watch_instances WHERE owner = ?').run(owner);
    });
  }

  /** Deletes checks, resolved incidents and changes older than `before`; returns how many of them went. */
  async prune(before: number): Promise<number> {
    return this.transaction(() => {
      const a = this.stmt('DELETE FROM checks WHERE at < ?').run(before).changes;
      const b = this.stmt("DELETE FROM incidents WHERE state = 'resolved' AND resolved_at < ?").run(before).changes;
      const c = this.stmt('DELETE FROM changes WHERE at < ?').run(before).changes;
      // A target's newest check goes with the checks (not counted: it is a copy).
      this.stmt('DELETE FROM check_latest WHERE at < ?').run(before);
      return num(a) + num(b) + num(c);
    });
  }

  async pruneRollups(beforeHour: number, beforeDay: number): Promise<number> {
    return this.transaction(() => num(this.stmt('DELETE FROM check_hours WHERE hour < ?').run(beforeHour).changes) + num(this.stmt('DELETE FROM check_days WHERE day < ?').run(beforeDay).changes));
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  // Read-only queries of the web dashboard and status page (WebQueries), from rollups and indexes.

  async hourRollups(sinceHour: number, targets?: readonly string[]): Promise<HourRollup[]> {
    const rows = targets === undefined
      ? this.stmt('SELECT * FROM check_hours WHERE hour >= ? ORDER BY target, hour').all(sinceHour)
      : this.stmt('SELECT * FROM check_hours WHERE target IN (SELECT value FROM json_each(?)) AND hour >= ? ORDER BY target, hour').all(JSON.stringify(targets), sinceHour);
    return (rows as Row[]).map(hourOf);
  }

  async dayRollups(sinceDay: number, troubledOnly = false): Promise<CheckRollup[]> {
    const sql = `SELECT target, day, n, fail, down, degraded FROM check_days WHERE day >= ?${troubledOnly ? ' AND (down > 0 OR degraded > 0 OR fail > 0)' : ''}`;
    return (this.stmt(sql).all(sinceDay) as Row[]).map(dayOf);
  }

  async firstDay(): Promise<number | null> {
    return optNum((this.stmt('SELECT min(day) AS d FROM check_days').get() as Row | undefined)?.d);
  }

  async lastChecks(targets: readonly string[]): Promise<Map<string, CheckRow>> {
    const rows = this.stmt('SELECT * FROM check_latest WHERE target IN (SELECT value FROM json_each(?))').all(JSON.stringify(targets)) as Row[];
    return new Map(rows.map((r) => [String(r.target), checkOf(r)]));
  }

  async failedFeed(afterId: number, limit: number): Promise<FeedRow[]> {
    const sql = "SELECT id, target, at, status, code, json_extract(evidence, '$.cause') AS cause, json_extract(evidence, '$.summary') AS summary FROM checks WHERE ok = 0 AND id > ? ORDER BY id DESC LIMIT ?";
    return (this.stmt(sql).all(afterId, limit) as Row[]).map(feedOf);
  }

  async failedChecks(target: string, from: number, to: number, limit: number): Promise<CheckRow[]> {
    return (this.stmt('SELECT * FROM checks WHERE target = ? AND at >= ? AND at <= ? AND ok = 0 ORDER BY at DESC LIMIT ?').all(target, from, to, limit) as Row[]).map(checkOf);
  }

  async incidentsPage(state: 'open' | 'resolved' | 'all', before: number, limit: number): Promise<IncidentRow[]> {
    const rows = state === 'all'
      ? this.stmt('SELECT * FROM incidents WHERE opened_at < ? ORDER BY opened_at DESC LIMIT ?').all(before, limit)
      : this.stmt('SELECT * FROM incidents WHERE state = ? AND opened_at < ? ORDER BY opened_at DESC LIMIT ?').all(state, before, limit);
    return (rows as Row[]).map(incidentOf);
  }

  async incidentsSince(since: number, limit: number): Promise<IncidentRow[]> {
    return (this.stmt('SELECT * FROM incidents WHERE opened_at >= ? ORDER BY opened_at DESC LIMIT ?').all(since, limit) as Row[]).map(incidentOf);
  }
}
