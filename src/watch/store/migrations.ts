// The database schema of watch, as numbered migrations in both dialects side by side (SQLite, PostgreSQL):
// append a new one, never edit an applied one; a test checks both give the same tables and columns.

export interface Migration {
  readonly sqlite: string;
  readonly postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    sqlite: `CREATE TABLE checks (
     id INTEGER PRIMARY KEY, target TEXT NOT NULL, at INTEGER NOT NULL, ok INTEGER NOT NULL, state TEXT NOT NULL,
     status INTEGER, ms REAL NOT NULL, code TEXT, evidence TEXT NOT NULL);
   CREATE INDEX checks_target_at ON checks (target, at);
   CREATE INDEX checks_at ON checks (at);
   CREATE TABLE incidents (
     id INTEGER PRIMARY KEY, target TEXT NOT NULL, cause TEXT NOT NULL, layer TEXT NOT NULL, state TEXT NOT NULL,
     opened_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, resolved_at INTEGER, acked INTEGER NOT NULL DEFAULT 0,
     data TEXT NOT NULL, notes TEXT NOT NULL);
   CREATE INDEX incidents_state_opened ON incidents (state, opened_at);
   CREATE INDEX incidents_target_state ON incidents (target, state);
   CREATE TABLE changes (
     id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL, service TEXT, source TEXT NOT NULL);
   CREATE INDEX changes_at ON changes (at);
   CREATE TABLE log_positions (
     path TEXT PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL, offset INTEGER NOT NULL, line INTEGER NOT NULL,
     updated_at INTEGER NOT NULL);
   CREATE TABLE alerts_sent (
     id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL, event TEXT NOT NULL, channel TEXT NOT NULL, at INTEGER NOT NULL,
     ok INTEGER NOT NULL, error TEXT);
   CREATE INDEX alerts_sent_incident ON alerts_sent (incident_id);`,
    postgres: `CREATE TABLE checks (
     id BIGSERIAL PRIMARY KEY, target TEXT NOT NULL, at BIGINT NOT NULL, ok INTEGER NOT NULL, state TEXT NOT NULL,
     status INTEGER, ms DOUBLE PRECISION NOT NULL, code TEXT, evidence TEXT NOT NULL);
   CREATE INDEX checks_target_at ON checks (target, at);
   CREATE INDEX checks_at ON checks (at);
   CREATE TABLE incidents (
     id BIGSERIAL PRIMARY KEY, target TEXT NOT NULL, cause TEXT NOT NULL, layer TEXT NOT NULL, state TEXT NOT NULL,
     opened_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, resolved_at BIGINT, acked INTEGER NOT NULL DEFAULT 0,
     data TEXT NOT NULL, notes TEXT NOT NULL);
   CREATE INDEX incidents_state_opened ON incidents (state, opened_at);
   CREATE INDEX incidents_target_state ON incidents (target, state);
   CREATE TABLE changes (
     id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL, service TEXT, source TEXT NOT NULL);
   CREATE INDEX changes_at ON changes (at);
   CREATE TABLE log_positions (
     path TEXT PRIMARY KEY, dev BIGINT NOT NULL, ino BIGINT NOT NULL, "offset" BIGINT NOT NULL, line BIGINT NOT NULL,
     updated_at BIGINT NOT NULL);
   CREATE TABLE alerts_sent (
     id BIGSERIAL PRIMARY KEY, incident_id BIGINT NOT NULL, event TEXT NOT NULL, channel TEXT NOT NULL, at BIGINT NOT NULL,
     ok INTEGER NOT NULL, error TEXT);
   CREATE INDEX alerts_sent_incident ON alerts_sent (incident_id);`,
  },
  // Fleets: which instance probed a check, one open incident per target (a second open is refused by the
  // database, so two instances can never both alert "opened"), target leases and live instances.
  {
    sqlite: `ALTER TABLE checks ADD COLUMN instance TEXT;
   UPDATE incidents SET state = 'resolved', resolved_at = updated_at
     WHERE state = 'open' AND id NOT IN (SELECT max(id) FROM incidents WHERE state = 'open' GROUP BY target);
   CREATE UNIQUE INDEX incidents_one_open ON incidents (target) WHERE state = 'open';
   CREATE TABLE target_leases (target TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until INTEGER NOT NULL);
   CREATE INDEX target_leases_owner ON target_leases (owner);
   CREATE TABLE watch_instances (owner TEXT PRIMARY KEY, started_at INTEGER NOT NULL, seen_until INTEGER NOT NULL);`,
    postgres: `ALTER TABLE checks ADD COLUMN instance TEXT;
   UPDATE incidents SET state = 'resolved', resolved_at = updated_at
     WHERE state = 'open' AND id NOT IN (SELECT max(id) FROM incidents WHERE state = 'open' GROUP BY target);
   CREATE UNIQUE INDEX incidents_one_open ON incidents (target) WHERE state = 'open';
   CREATE TABLE target_leases (target TEXT PRIMARY KEY, owner TEXT NOT NULL, lease_until BIGINT NOT NULL);
   CREATE INDEX target_leases_owner ON target_leases (owner);
   CREATE TABLE watch_instances (owner TEXT PRIMARY KEY, started_at BIGINT NOT NULL, seen_until BIGINT NOT NULL);`,
  },
  // 3: hourly and daily rollups of checks, kept by a trigger, so the dashboard and the status page read
  // thousands of targets' history without scanning checks; a partial index for the feed of failed checks.
  {
    sqlite: `CREATE TABLE check_hours (
     target TEXT NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL, fail INTEGER NOT NULL, down INTEGER NOT NULL,
     degraded INTEGER NOT NULL, s2 INTEGER NOT NULL, s3 INTEGER NOT NULL, s4 INTEGER NOT NULL, s5 INTEGER NOT NULL,
     serr INTEGER NOT NULL, ms_sum REAL NOT NULL, ms_max REAL NOT NULL, dns REAL NOT NULL, connect REAL NOT NULL,
     tls REAL NOT NULL, ttfb REAL NOT NULL, PRIMARY KEY (target, hour)) WITHOUT ROWID;
   CREATE INDEX check_hours_hour ON check_hours (hour);
   CREATE TABLE check_days (
     target TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL, fail INTEGER NOT NULL, down INTEGER NOT NULL,
     degraded INTEGER NOT NULL, PRIMARY KEY (target, day)) WITHOUT ROWID;
   CREATE INDEX check_days_day ON check_days (day);
   CREATE INDEX check_days_troubled ON check_days (day, target, n, fail, down, degraded) WHERE down > 0 OR degraded > 0 OR fail > 0;
   CREATE INDEX checks_failed ON checks (id) WHERE ok = 0;
   CREATE INDEX incidents_opened ON incidents (opened_at);
   CREATE TRIGGER checks_rollup AFTER INSERT ON checks BEGIN
     INSERT INTO check_hours VALUES (NEW.target, NEW.at / 3600000, 1, NEW.ok = 0, NEW.state = 'down', NEW.state = 'degraded',
       coalesce(NEW.status BETWEEN 200 AND 299, 0), coalesce(NEW.status BETWEEN 300 AND 399, 0), coalesce(NEW.status BETWEEN 400 AND 499, 0),
       coalesce(NEW.status BETWEEN 500 AND 599, 0), NEW.status IS NULL, NEW.ms, NEW.ms,
       coalesce(json_extract(NEW.evidence, '$.phases.dns'), 0), coalesce(json_extract(NEW.evidence, '$.phases.connect'), 0),
       coalesce(json_extract(NEW.evidence, '$.phases.tls'), 0), coalesce(json_extract(NEW.evidence, '$.phases.ttfb'), 0))
     ON CONFLICT (target, hour) DO UPDATE SET n = n + 1, fail = fail + excluded.fail, down = down + excluded.down,
       degraded = degraded + excluded.degraded, s2 = s2 + excluded.s2, s3 = s3 + excluded.s3, s4 = s4 + excluded.s4,
       s5 = s5 + excluded.s5, serr = serr + excluded.serr, ms_sum = ms_sum + excluded.ms_sum, ms_max = max(ms_max, excluded.ms_max),
       dns = dns + excluded.dns, connect = connect + excluded.connect, tls = tls + excluded.tls, ttfb = ttfb + excluded.ttfb;
     INSERT INTO check_days VALUES (NEW.target, NEW.at / 86400000, 1, NEW.ok = 0, NEW.state = 'down', NEW.state = 'degraded')
     ON CONFLICT (target, day) DO UPDATE SET n = n + 1, fail = fail + excluded.fail, down = down + excluded.down, degraded = degraded + excluded.degraded;
   END;
   INSERT INTO check_hours SELECT target, at / 3600000, count(*), sum(ok = 0), sum(state = 'down'), sum(state = 'degraded'),
     sum(coalesce(status BETWEEN 200 AND 299, 0)), sum(coalesce(status BETWEEN 300 AND 399, 0)), sum(coalesce(status BETWEEN 400 AND 499, 0)),
     sum(coalesce(status BETWEEN 500 AND 599, 0)), sum(status IS NULL), sum(ms), max(ms),
     sum(coalesce(json_extract(evidence, '$.phases.dns'), 0)), sum(coalesce(json_extract(evidence, '$.phases.connect'), 0)),
     sum(coalesce(json_extract(evidence, '$.phases.tls'), 0)), sum(coalesce(json_extract(evidence, '$.phases.ttfb'), 0))
     FROM checks GROUP BY target, at / 3600000;
   INSERT INTO check_days SELECT target, at / 86400000, count(*), sum(ok = 0), sum(state = 'down'), sum(state = 'degraded')
     FROM checks GROUP BY target, at / 86400000;`,
    postgres: `CREATE TABLE check_hours (
     target TEXT NOT NULL, hour BIGINT NOT NULL, n INTEGER NOT NULL, fail INTEGER NOT NULL, down INTEGER NOT NULL,
     degraded INTEGER NOT NULL, s2 INTEGER NOT NULL, s3 INTEGER NOT NULL, s4 INTEGER NOT NULL, s5 INTEGER NOT NULL,
     serr INTEGER NOT NULL, ms_sum DOUBLE PRECISION NOT NULL, ms_max DOUBLE PRECISION NOT NULL, dns DOUBLE PRECISION NOT NULL,
     connect DOUBLE PRECISION NOT NULL, tls DOUBLE PRECISION NOT NULL, ttfb DOUBLE PRECISION NOT NULL, PRIMARY KEY (target, hour));
   CREATE INDEX check_hours_hour ON check_hours (hour);
   CREATE TABLE check_days (
     target TEXT NOT NULL, day BIGINT NOT NULL, n INTEGER NOT NULL, fail INTEGER NOT NULL, down INTEGER NOT NULL,
     degraded INTEGER NOT NULL, PRIMARY KEY (target, day));
   CREATE INDEX check_days_day ON check_days (day);
   CREATE INDEX check_days_troubled ON check_days (day, target, n, fail, down, degraded) WHERE down > 0 OR degraded > 0 OR fail > 0;
   CREATE INDEX checks_failed ON checks (id) WHERE ok = 0;
   CREATE INDEX incidents_opened ON incidents (opened_at);
   CREATE FUNCTION checks_rollup() RETURNS trigger LANGUAGE plpgsql AS $rollup$
   BEGIN
     INSERT INTO check_hours VALUES (NEW.target, NEW.at / 3600000, 1, (NEW.ok = 0)::int, (NEW.state = 'down')::int, (NEW.state = 'degraded')::int,
       coalesce((NEW.status BETWEEN 200 AND 299)::int, 0), coalesce((NEW.status BETWEEN 300 AND 399)::int, 0),
       coalesce((NEW.status BETWEEN 400 AND 499)::int, 0), coalesce((NEW.status BETWEEN 500 AND 599)::int, 0),
       (NEW.status IS NULL)::int, NEW.ms, NEW.ms,
       coalesce((NEW.evidence::json #>> '{phases,dns}')::double precision, 0), coalesce((NEW.evidence::json #>> '{phases,connect}')::double precision, 0),
       coalesce((NEW.evidence::json #>> '{phases,tls}')::double precision, 0), coalesce((NEW.evidence::json #>> '{phases,ttfb}')::double precision, 0))
     ON CONFLICT (target, hour) DO UPDATE SET n = check_hours.n + 1, fail = check_hours.fail + excluded.fail,
       down = check_hours.down + excluded.down, degraded = check_hours.degraded + excluded.degraded, s2 = check_hours.s2 + excluded.s2,
       s3 = check_hours.s3 + excluded.s3, s4 = check_hours.s4 + excluded.s4, s5 = check_hours.s5 + excluded.s5,
       serr = check_hours.serr + excluded.serr, ms_sum = check_hours.ms_sum + excluded.ms_sum,
       ms_max = greatest(check_hours.ms_max, excluded.ms_max), dns = check_hours.dns + excluded.dns,
       connect = check_hours.connect + excluded.connect, tls = check_hours.tls + excluded.tls, ttfb = check_hours.ttfb + excluded.ttfb;
     INSERT INTO check_days VALUES (NEW.target, NEW.at / 86400000, 1, (NEW.ok = 0)::int, (NEW.state = 'down')::int, (NEW.state = 'degraded')::int)
     ON CONFLICT (target, day) DO UPDATE SET n = check_days.n + 1, fail = check_days.fail + excluded.fail,
       down = check_days.down + excluded.down, degraded = check_days.degraded + excluded.degraded;
     RETURN NULL;
   END
   $rollup$;
   CREATE TRIGGER checks_rollup AFTER INSERT ON checks FOR EACH ROW EXECUTE FUNCTION checks_rollup();
   INSERT INTO check_hours SELECT target, at / 3600000, count(*), sum((ok = 0)::int), sum((state = 'down')::int), sum((state = 'degraded')::int),
     sum(coalesce((status BETWEEN 200 AND 299)::int, 0)), sum(coalesce((status BETWEEN 300 AND 399)::int, 0)),
     sum(coalesce((status BETWEEN 400 AND 499)::int, 0)), sum(coalesce((status BETWEEN 500 AND 599)::int, 0)),
     sum((status IS NULL)::int), sum(ms), max(ms),
     sum(coalesce((evidence::json #>> '{phases,dns}')::double precision, 0)), sum(coalesce((evidence::json #>> '{phases,connect}')::double precision, 0)),
     sum(coalesce((evidence::json #>> '{phases,tls}')::double precision, 0)), sum(coalesce((evidence::json #>> '{phases,ttfb}')::double precision, 0))
     FROM checks GROUP BY target, at / 3600000;
   INSERT INTO check_days SELECT target, at / 86400000, count(*), sum((ok = 0)::int), sum((state = 'down')::int), sum((state = 'degraded')::int)
     FROM checks GROUP BY target, at / 86400000;`,
  },
  // 4: each target's newest check, kept by a trigger, so the target list and the overview read one row per
  // target (10,000 targets: one scan) instead of one index probe into checks per target.
  {
    sqlite: `CREATE TABLE check_latest (
     target TEXT PRIMARY KEY, id INTEGER NOT NULL, at INTEGER NOT NULL, ok INTEGER NOT NULL, state TEXT NOT NULL, status INTEGER,
     ms REAL NOT NULL, code TEXT, evidence TEXT NOT NULL, instance TEXT);
   CREATE INDEX check_latest_at ON check_latest (at);
   CREATE TRIGGER checks_latest AFTER INSERT ON checks BEGIN
     INSERT INTO check_latest VALUES (NEW.target, NEW.id, NEW.at, NEW.ok, NEW.state, NEW.status, NEW.ms, NEW.code, NEW.evidence, NEW.instance)
     ON CONFLICT (target) DO UPDATE SET id = excluded.id, at = excluded.at, ok = excluded.ok, state = excluded.state, status = excluded.status,
       ms = excluded.ms, code = excluded.code, evidence = excluded.evidence, instance = excluded.instance
     WHERE excluded.at >= check_latest.at;
   END;
   INSERT INTO check_latest SELECT target, id, at, ok, state, status, ms, code, evidence, instance FROM checks
     WHERE id IN (SELECT (SELECT c.id FROM checks c WHERE c.target = t.target ORDER BY c.at DESC, c.id DESC LIMIT 1) FROM (SELECT DISTINCT target FROM checks) t);`,
    postgres: `CREATE TABLE check_latest (
     target TEXT PRIMARY KEY, id BIGINT NOT NULL, at BIGINT NOT NULL, ok INTEGER NOT NULL, state TEXT NOT NULL, status INTEGER,
     ms DOUBLE PRECISION NOT NULL, code TEXT, evidence TEXT NOT NULL, instance TEXT);
   CREATE INDEX check_latest_at ON check_latest (at);
   CREATE FUNCTION checks_latest() RETURNS trigger LANGUAGE plpgsql AS $latest$
   BEGIN
     INSERT INTO check_latest VALUES (NEW.target, NEW.id, NEW.at, NEW.ok, NEW.state, NEW.status, NEW.ms, NEW.code, NEW.evidence, NEW.instance)
     ON CONFLICT (target) DO UPDATE SET id = excluded.id, at = excluded.at, ok = excluded.ok, state = excluded.state, status = excluded.status,
       ms = excluded.ms, code = excluded.code, evidence = excluded.evidence, instance = excluded.instance
     WHERE excluded.at >= check_latest.at;
     RETURN NULL;
   END
   $latest$;
   CREATE TRIGGER checks_latest AFTER INSERT ON checks FOR EACH ROW EXECUTE FUNCTION checks_latest();
   INSERT INTO check_latest SELECT DISTINCT ON (target) target, id, at, ok, state, status, ms, code, evidence, instance FROM checks
     ORDER BY target, at DESC, id DESC;`,
  },
  // 5: a journald source's cursor (journalctl --after-cursor), saved beside the files' positions.
  {
    sqlite: 'ALTER TABLE log_positions ADD COLUMN cursor TEXT;',
    postgres: 'ALTER TABLE log_positions ADD COLUMN cursor TEXT;',
  },
];
