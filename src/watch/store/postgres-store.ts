// watch's history in PostgreSQL (`--db postgres://…`): the same schema as SQLite, shared by a fleet of watch
// instances that split the targets through leases (target_leases) and open one incident per target.
import pg from 'pg';
import { FivexxError } from '../../errors/codes.ts';
import { urlForMessage } from '../../report/redact.ts';
import { planLeases, startOf } from './lease-plan.ts';
import { MIGRATIONS } from './migrations.ts';
import { alertOf, changeOf, checkOf, dayOf, feedOf, hourOf, incidentOf, num, optNum, positionOf, type Row } from './rows.ts';
import type { ChangeRow, CheckEvidence, CheckRollup, CheckRow, FeedRow, HourRollup, IncidentRow, LeaseRequest, LeaseRound, LogPosition, OpenResult, Store, TargetState } from './types.ts';

type IncidentInput = Omit<IncidentRow, 'id' | 'state' | 'resolvedAt' | 'acked' | 'notes'>;
type Queryable = pg.Pool | pg.PoolClient;

/** Any lock id of our own: migrations of instances starting together run one after another. */
const MIGRATION_LOCK = 0x5f5f5f5;
const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/** Connects to `url`, migrates, and returns the store; a coded FIVEXX_DB_UNAVAILABLE error if it cannot. */
export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, application_name: 'fivexx watch' });
  // An idle connection the server drops must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const store = new PostgresStore(pool, url);
  try {
    await store.migrate();
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof FivexxError) throw err;
    throw new FivexxError('FIVEXX_DB_UNAVAILABLE', `${urlForMessage(url)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return store;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  /** The URL with its password hidden, for messages. */
  readonly where: string;

  constructor(pool: pg.Pool, url: string) {
    this.pool = pool;
    this.where = urlForMessage(url);
  }

  async #rows(sql: string, params: unknown[] = [], q: Queryable = this.pool): Promise<Row[]> {
    return (await q.query<Row>(sql, params)).rows;
  }

  async #one(sql: string, params: unknown[] = [], q: Queryable = this.pool): Promise<Row | undefined> {
    return (await this.#rows(sql, params, q))[0];
  }

  /** Runs `fn` in one transaction on one connection. */
  async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  /** Applies the migrations this database has not seen, all in one transaction under an advisory lock. */
  async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const have = optNum((await this.#one('SELECT max(version) AS v FROM schema_version', [], c))?.v) ?? 0;
      if (have > MIGRATIONS.length) throw new FivexxError('FIVEXX_CONFIG_INVALID', `${this.where}: the database is of a newer fivexx (schema ${have}, this one knows ${MIGRATIONS.length})`);
      for (let v = have + 1; v <= MIGRATIONS.length; v++) {
        await c.query(MIGRATIONS[v - 1]?.postgres ?? '');
        await c.query('INSERT INTO schema_version (version) VALUES ($1)', [v]);
      }
    });
  }

  async addCheck(c: Omit<CheckRow, 'id'>, instance?: string): Promise<number> {
    const r = await this.#one('INSERT INTO checks (target, at, ok, state, status, ms, code, evidence, instance) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id',
      [c.target, c.at, c.ok ? 1 : 0, c.state, c.status, c.ms, c.code, JSON.stringify(c.evidence), instance ?? null]);
    return num(r?.id);
  }

  async checks(target: string, since: number, limit = 1000): Promise<CheckRow[]> {
    return (await this.#rows('SELECT * FROM checks WHERE target = $1 AND at >= $2 ORDER BY at DESC LIMIT $3', [target, since, limit])).map(checkOf);
  }

  async annotateCheck(id: number, line: { source: string; line: number; text: string }): Promise<void> {
    const r = await this.#one('SELECT evidence FROM checks WHERE id = $1', [id]);
    if (!r) return;
    const ev = JSON.parse(String(r.evidence)) as CheckEvidence;
    await this.pool.query('UPDATE checks SET evidence = $1 WHERE id = $2', [JSON.stringify({ ...ev, logLines: [...(ev.logLines ?? []), line].slice(0, 5) }), id]);
  }

  async lastCheck(target: string): Promise<CheckRow | undefined> {
    const r = await this.#one('SELECT * FROM checks WHERE target = $1 ORDER BY at DESC LIMIT 1', [target]);
    return r ? checkOf(r) : undefined;
  }

  async openIncident(i: IncidentInput): Promise<number> {
    return (await this.tryOpenIncident(i)).id;
  }

  async tryOpenIncident(i: IncidentInput): Promise<OpenResult> {
    const r = await this.#one("INSERT INTO incidents (target, cause, layer, state, opened_at, updated_at, data, notes) VALUES ($1, $2, $3, 'open', $4, $5, $6, '[]') ON CONFLICT (target) WHERE state = 'open' DO NOTHING RETURNING id",
      [i.target, i.cause, i.layer, i.openedAt, i.updatedAt, JSON.stringify(i.data)]);
    if (r) return { id: num(r.id), created: true };
    const open = await this.openIncidentFor(i.target);
    if (!open) throw new FivexxError('FIVEXX_INTERNAL', `incident of ${i.target} neither opened nor open`);
    return { id: open.id, created: false };
  }

  async updateIncident(id: number, patch: { cause?: string; layer?: string; updatedAt: number; data?: IncidentRow['data'] }): Promise<void> {
    await this.pool.query('UPDATE incidents SET cause = coalesce($1, cause), layer = coalesce($2, layer), updated_at = $3, data = coalesce($4, data) WHERE id = $5',
      [patch.cause ?? null, patch.layer ?? null, patch.updatedAt, patch.data ? JSON.stringify(patch.data) : null, id]);
  }

  async resolveIncident(id: number, at: number): Promise<boolean> {
    const r = await this.pool.query("UPDATE incidents SET state = 'resolved', resolved_at = $1, updated_at = $1 WHERE id = $2 AND state = 'open'", [at, id]);
    return r.rowCount === 1;
  }

  async acknowledge(id: number, note: { at: number; author: string; text: string } | undefined): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('UPDATE incidents SET acked = 1 WHERE id = $1', [id]);
      if (note) await this.#addNote(id, note, c);
    });
  }

  async #addNote(id: number, note: { at: number; author: string; text: string }, q: Queryable): Promise<void> {
    // Appended inside the database, so two notes at once both stay.
    await q.query("UPDATE incidents SET notes = ((notes::jsonb) || jsonb_build_array($1::jsonb))::text WHERE id = $2", [JSON.stringify(note), id]);
  }

  async addNote(id: number, note: { at: number; author: string; text: string }): Promise<void> {
    await this.#addNote(id, note, this.pool);
  }

  async incident(id: number): Promise<IncidentRow | undefined> {
    const r = await this.#one('SELECT * FROM incidents WHERE id = $1', [id]);
    return r ? incidentOf(r) : undefined;
  }

  async incidents(state: 'open' | 'resolved' | 'all', limit = 500): Promise<IncidentRow[]> {
    const rows = state === 'all'
      ? await this.#rows('SELECT * FROM incidents ORDER BY opened_at DESC LIMIT $1', [limit])
      : await this.#rows('SELECT * FROM incidents WHERE state = $1 ORDER BY opened_at DESC LIMIT $2', [state, limit]);
    return rows.map(incidentOf);
  }

  async openIncidentFor(target: string): Promise<IncidentRow | undefined> {
    const r = await this.#one("SELECT * FROM incidents WHERE target = $1 AND state = 'open' ORDER BY opened_at DESC LIMIT 1", [target]);
    return r ? incidentOf(r) : undefined;
  }

  async latestIncidentFor(target: string): Promise<IncidentRow | undefined> {
    const r = await this.#one('SELECT * FROM incidents WHERE target = $1 ORDER BY id DESC LIMIT 1', [target]);
    return r ? incidentOf(r) : undefined;
  }

  async lastStates(since: number): Promise<{ target: string; state: TargetState }[]> {
    return (await this.#rows('SELECT DISTINCT ON (target) target, state FROM checks WHERE at >= $1 ORDER BY target, at DESC, id DESC', [since]))
      .map((r) => ({ target: String(r.target), state: String(r.state) as TargetState }));
  }

  async addChange(c: Omit<ChangeRow, 'id'>): Promise<number> {
    const r = await this.#one('INSERT INTO changes (at, kind, ref, service, source) VALUES ($1, $2, $3, $4, $5) RETURNING id', [c.at, c.kind, c.ref, c.service, c.source]);
    return num(r?.id);
  }

  async changes(since: number, until: number): Promise<ChangeRow[]> {
    return (await this.#rows('SELECT * FROM changes WHERE at >= $1 AND at <= $2 ORDER BY at', [since, until])).map(changeOf);
  }

  async savePosition(p: LogPosition): Promise<void> {
    await this.pool.query('INSERT INTO log_positions (path, dev, ino, "offset", line, updated_at, cursor) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (path) DO UPDATE SET dev = EXCLUDED.dev, ino = EXCLUDED.ino, "offset" = EXCLUDED."offset", line = EXCLUDED.line, updated_at = EXCLUDED.updated_at, cursor = EXCLUDED.cursor',
      [p.path, p.dev, p.ino, p.offset, p.line, p.updatedAt, p.cursor ?? null]);
  }

  async position(path: string): Promise<LogPosition | undefined> {
    const r = await this.#one('SELECT * FROM log_positions WHERE path = $1', [path]);
    return r ? positionOf(r) : undefined;
  }

  async recordAlert(a: { incidentId: number; event: string; channel: string; at: number; ok: boolean; error: string | null }): Promise<void> {
    await this.pool.query('INSERT INTO alerts_sent (incident_id, event, channel, at, ok, error) VALUES ($1, $2, $3, $4, $5, $6)', [a.incidentId, a.event, a.channel, a.at, a.ok ? 1 : 0, a.error]);
  }

  async alertsFor(incidentId: number): Promise<{ event: string; channel: string; ok: boolean }[]> {
    return (await this.#rows('SELECT event, channel, ok FROM alerts_sent WHERE incident_id = $1 ORDER BY id', [incidentId])).map(alertOf);
  }

  /** One lease round in one transaction, timed by the database's clock (instances on other hosts may drift). */
  async leaseTargets(req: LeaseRequest): Promise<LeaseRound> {
    return this.transaction(async (c) => {
      const now = num((await this.#one(`SELECT ${NOW_MS} AS now`, [], c))?.now);
      const until = now + req.leaseMs;
      await c.query('INSERT INTO watch_instances (owner, started_at, seen_until) VALUES ($1, $2, $3) ON CONFLICT (owner) DO UPDATE SET seen_until = EXCLUDED.seen_until', [req.owner, now, until]);
      await c.query('DELETE FROM watch_instances WHERE seen_until < $1', [now]);
      const instances = num((await this.#one('SELECT count(*) AS n FROM watch_instances', [], c))?.n);
      const mine = (await this.#rows('UPDATE target_leases SET lease_until = $1 WHERE owner = $2 RETURNING target', [until, req.owner], c)).map((r) => String(r.target));
      const taken = new Set((await this.#rows('SELECT target FROM target_leases WHERE owner <> $1 AND lease_until >= $2', [req.owner, now], c)).map((r) => String(r.target)));
      const plan = planLeases(req.targets, mine, taken, instances, startOf(req.owner, req.targets.length));
      if (plan.release.length > 0) await c.query('DELETE FROM target_leases WHERE owner = $1 AND target = ANY($2::text[])', [req.owner, plan.release]);
      const gone = new Set(plan.release);
      const held = mine.filter((t) => !gone.has(t));
      if (plan.claim.length > 0) {
        // Sorted, so two instances claiming at once lock rows in the same order.
        const got = await this.#rows('INSERT INTO target_leases (target, owner, lease_until) SELECT t, $2, $3 FROM unnest($1::text[]) AS t ORDER BY t ON CONFLICT (target) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until WHERE target_leases.lease_until < $4 RETURNING target',
          [[...plan.claim].sort(), req.owner, until, now], c);
        for (const r of got) held.push(String(r.target));
      }
      return { held, instances };
    });
  }

  async releaseTargets(owner: string): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('DELETE FROM target_leases WHERE owner = $1', [owner]);
      await c.query('DELETE FROM watch_instances WHERE owner = $1', [owner]);
    });
  }

  /** Deletes checks, resolved incidents and changes older than `before`; returns how many of them went. */
  async prune(before: number): Promise<number> {
    return this.transaction(async (c) => {
      const a = await c.query('DELETE FROM checks WHERE at < $1', [before]);
      const b = await c.query("DELETE FROM incidents WHERE state = 'resolved' AND resolved_at < $1", [before]);
      const d = await c.query('DELETE FROM changes WHERE at < $1', [before]);
      // A target's newest check goes with the checks (not counted: it is a copy).
      await c.query('DELETE FROM check_latest WHERE at < $1', [before]);
      return (a.rowCount ?? 0) + (b.rowCount ?? 0) + (d.rowCount ?? 0);
    });
  }

  async pruneRollups(beforeHour: number, beforeDay: number): Promise<number> {
    return this.transaction(async (c) => {
      const h = await c.query('DELETE FROM check_hours WHERE hour < $1', [beforeHour]);
      const d = await c.query('DELETE FROM check_days WHERE day < $1', [beforeDay]);
      return (h.rowCount ?? 0) + (d.rowCount ?? 0);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // Read-only queries of the web dashboard and status page (WebQueries): one statement each, from the
  // rollups and the indexes of migration 3, so a page costs the same few round trips at any fleet size.

  async hourRollups(sinceHour: number, targets?: readonly string[]): Promise<HourRollup[]> {
    const rows = targets === undefined
      ? await this.#rows('SELECT * FROM check_hours WHERE hour >= $1 ORDER BY target, hour', [sinceHour])
      : await this.#rows('SELECT * FROM check_hours WHERE target = ANY($1::text[]) AND hour >= $2 ORDER BY target, hour', [targets, sinceHour]);
    return rows.map(hourOf);
  }

  async dayRollups(sinceDay: number, troubledOnly = false): Promise<CheckRollup[]> {
    const sql = `SELECT target, day, n, fail, down, degraded FROM check_days WHERE day >= $1${troubledOnly ? ' AND (down > 0 OR degraded > 0 OR fail > 0)' : ''}`;
    return (await this.#rows(sql, [sinceDay])).map(dayOf);
  }

  async firstDay(): Promise<number | null> {
    return optNum((await this.#one('SELECT min(day) AS d FROM check_days'))?.d);
  }

  async lastChecks(targets: readonly string[]): Promise<Map<string, CheckRow>> {
    const rows = await this.#rows('SELECT * FROM check_latest WHERE target = ANY($1::text[])', [targets]);
    return new Map(rows.map((r) => [String(r.target), checkOf(r)]));
  }

  async failedFeed(afterId: number, limit: number): Promise<FeedRow[]> {
    const sql = "SELECT id, target, at, status, code, evidence::json ->> 'cause' AS cause, evidence::json ->> 'summary' AS summary FROM checks WHERE ok = 0 AND id > $1 ORDER BY id DESC LIMIT $2";
    return (await this.#rows(sql, [afterId, limit])).map(feedOf);
  }

  async failedChecks(target: string, from: number, to: number, limit: number): Promise<CheckRow[]> {
    return (await this.#rows('SELECT * FROM checks WHERE target = $1 AND at >= $2 AND at <= $3 AND ok = 0 ORDER BY at DESC LIMIT $4', [target, from, to, limit])).map(checkOf);
  }

  async incidentsPage(state: 'open' | 'resolved' | 'all', before: number, limit: number): Promise<IncidentRow[]> {
    const rows = state === 'all'
      ? await this.#rows('SELECT * FROM incidents WHERE opened_at < $1 ORDER BY opened_at DESC LIMIT $2', [before, limit])
      : await this.#rows('SELECT * FROM incidents WHERE state = $1 AND opened_at < $2 ORDER BY opened_at DESC LIMIT $3', [state, before, limit]);
    return rows.map(incidentOf);
  }

  async incidentsSince(since: number, limit: number): Promise<IncidentRow[]> {
    return (await this.#rows('SELECT * FROM incidents WHERE opened_at >= $1 ORDER BY opened_at DESC LIMIT $2', [since, limit])).map(incidentOf);
  }
}
