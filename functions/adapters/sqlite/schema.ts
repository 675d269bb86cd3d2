/**
 * The SQLite state store's schema, as an ordered list of migrations. `PRAGMA user_version` records how
 * many have run, so opening a file applies only the missing ones, and a file written by a newer hr2ad
 * (more migrations than this code knows) is refused instead of being half-understood.
 *
 * Documents (states, cycles, plans, outcomes, audit entries) are stored as JSON text; the columns beside
 * them hold only what queries filter or order on. Instants used for ordering are stored as epoch
 * milliseconds: ISO text with different offsets does not sort as time does.
 */
import type { DatabaseSync } from 'node:sqlite';

/** Each entry moves the schema from version `index` to `index + 1`. Never edit one that has shipped. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE states (
    worker_key TEXT PRIMARY KEY,
    document   TEXT NOT NULL
  ) STRICT;

  CREATE TABLE links (
    worker_key TEXT PRIMARY KEY,
    document   TEXT NOT NULL
  ) STRICT;

  CREATE TABLE cursors (
    source_id TEXT PRIMARY KEY,
    document  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE cycles (
    cycle_id   TEXT PRIMARY KEY,
    status     TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    document   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX cycles_by_start ON cycles (started_ms DESC, cycle_id DESC);
  CREATE INDEX cycles_by_status ON cycles (status, started_ms DESC, cycle_id DESC);

  CREATE TABLE cycle_plans (
    cycle_id   TEXT NOT NULL,
    worker_key TEXT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (cycle_id, worker_key)
  ) STRICT;

  CREATE TABLE quarantine (
    source_id  TEXT NOT NULL,
    location   TEXT NOT NULL,
    worker_key TEXT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (source_id, location)
  ) STRICT;

  CREATE TABLE outcomes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    worker_key TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    document   TEXT NOT NULL,
    UNIQUE (command_id, status)
  ) STRICT;
  CREATE INDEX outcomes_by_worker ON outcomes (worker_key, at_ms DESC, seq DESC);

  CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id TEXT NOT NULL,
    effect     TEXT NOT NULL,
    worker_key TEXT NOT NULL,
    action     TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    document   TEXT NOT NULL,
    UNIQUE (command_id, effect)
  ) STRICT;
  CREATE INDEX audit_by_time ON audit (at_ms, seq);
  CREATE INDEX audit_by_worker ON audit (worker_key, at_ms, seq);
  CREATE INDEX audit_by_action ON audit (action, at_ms, seq);
  `,
  `
  CREATE TABLE agents (
    agent_id     TEXT PRIMARY KEY,
    last_seen_ms INTEGER NOT NULL,
    document     TEXT NOT NULL
  ) STRICT;

  CREATE TABLE agent_refusals (
    agent_id   TEXT NOT NULL,
    message_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (agent_id, message_id)
  ) STRICT;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  return row?.user_version ?? 0;
}

function refuseNewer(current: number): void {
  if (current > SCHEMA_VERSION)
    throw new Error(
      `schema version ${current} is newer than this hr2ad knows (${SCHEMA_VERSION}); ` +
        'upgrade hr2ad rather than open it with an older one',
    );
}

/**
 * Brings the database to `SCHEMA_VERSION`, all missing migrations in one transaction (a crash midway
 * leaves the previous version, never a half-built schema).
 */
export function migrate(db: DatabaseSync): void {
  refuseNewer(userVersion(db));
  if (userVersion(db) === SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    // Read again under the write lock: another process may have migrated since the first look.
    const current = userVersion(db);
    refuseNewer(current);
    for (const sql of MIGRATIONS.slice(current)) db.exec(sql);
    // PRAGMA takes no bound parameters; the value is this module's own integer.
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
