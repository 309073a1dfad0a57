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
];
