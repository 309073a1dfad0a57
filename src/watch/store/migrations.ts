// The database schema of watch, as numbered migrations: append a new one, never edit an applied one.

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE checks (
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
  // 2: hourly and daily rollups of checks, kept by a trigger, so the dashboard and the status page read
  // thousands of targets' history without scanning checks; a partial index for the feed of failed checks.
  `CREATE TABLE check_hours (
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
];
