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
];
