/**
 * The agent's journal of finished commands, on SQLite (WAL, synchronous=FULL, so a result the agent has
 * published survives a crash). It is what makes at-least-once delivery safe to act on:
 *
 * - a command delivered again after it finished gets its kept result back and is not applied twice;
 * - each worker's highest applied sequence number refuses older intent that arrives late.
 *
 * Kept results are pruned a day after their command expired (by then the control plane has given up on
 * it and re-plans); the per-worker sequence is one small row per worker and stays, so ordering holds
 * forever while the file stays small.
 */
import { DatabaseSync } from 'node:sqlite';
import type { Clock } from '../../shared/ports/clock.port';
import type { CommandResult } from '../../shared/protocol/results';

const DAY_MS = 86_400_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS completed (command_id TEXT PRIMARY KEY, worker_key TEXT NOT NULL,
  result TEXT NOT NULL, expires_at_ms INTEGER NOT NULL, completed_at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS completed_expiry ON completed (expires_at_ms);
CREATE TABLE IF NOT EXISTS workers (worker_key TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`;

/** What `hr2ad-agent status` shows: totals since the journal was created. */
export interface JournalStats {
  readonly commandsCompleted: number;
  /** Workers the agent has applied a command for. */
  readonly workers: number;
  /** Messages refused (unsigned, untrusted, out of order, wrong session). */
  readonly refusals: number;
  readonly lastCompletedAt?: string;
}

export interface CommandJournalOptions {
  /** Stamps completions (default: the real clock). */
  readonly clock?: Clock;
}

export class CommandJournal {
  private constructor(
    private readonly db: DatabaseSync,
    private readonly clock: Clock,
  ) {}

  /** Opens (creating if needed) the journal the running agent writes. */
  static open(path: string, options: CommandJournalOptions = {}): CommandJournal {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    db.exec(SCHEMA);
    return new CommandJournal(db, options.clock ?? { now: () => new Date() });
  }

  /** Opens an existing journal to read only (status while the agent runs); writes throw. */
  static openReadOnly(path: string): CommandJournal {
    const db = new DatabaseSync(path, { readOnly: true });
    db.exec('PRAGMA busy_timeout = 5000;');
    return new CommandJournal(db, { now: () => new Date() });
  }

  /** The result kept for a command already finished, if any. */
  completed(commandId: string): CommandResult | undefined {
    const row = this.db.prepare('SELECT result FROM completed WHERE command_id = ?').get(commandId) as
      { result: string } | undefined;
    // Only this class writes the column, from a CommandResult.
    return row ? (JSON.parse(row.result) as CommandResult) : undefined;
  }

  /** The highest sequence finished for the worker, if any. */
  lastSequence(workerKey: string): number | undefined {
    const row = this.db.prepare('SELECT last_sequence FROM workers WHERE worker_key = ?').get(workerKey) as
      { last_sequence: number } | undefined;
    return row ? Number(row.last_sequence) : undefined;
  }

  /**
   * Keeps a final result (not a retryable failure: that one is tried again) and raises the worker's last
   * sequence to it, in one transaction. Recording the same command again changes nothing.
   */
  record(result: CommandResult, expiresAt: string): void {
    const expiresAtMs = Date.parse(expiresAt);
    if (Number.isNaN(expiresAtMs)) throw new Error(`command ${result.commandId}: expiresAt is not an instant`);
    const now = this.clock.now().getTime();
    this.transaction(() => {
      const inserted = this.db
        .prepare(
          'INSERT OR IGNORE INTO completed (command_id, worker_key, result, expires_at_ms, completed_at_ms) VALUES (?, ?, ?, ?, ?)',
        )
        .run(result.commandId, result.workerKey, JSON.stringify(result), expiresAtMs, now);
      if (Number(inserted.changes) === 0) return;
      this.db
        .prepare(
          `INSERT INTO workers (worker_key, last_sequence) VALUES (?, ?)
           ON CONFLICT (worker_key) DO UPDATE SET last_sequence = max(last_sequence, excluded.last_sequence)`,
        )
        .run(result.workerKey, result.sequence);
      this.bump('completed', 1);
      this.setCounter('last_completed_at_ms', now);
    });
  }

  /** Counts a refused message. */
  recordRefusal(): void {
    this.bump('refusals', 1);
  }

  /** Drops results of commands that expired more than a day before `now`; returns how many. */
  prune(now: Date): number {
    const result = this.db.prepare('DELETE FROM completed WHERE expires_at_ms < ?').run(now.getTime() - DAY_MS);
    return Number(result.changes);
  }

  stats(): JournalStats {
    const counters = new Map(
      (this.db.prepare('SELECT name, value FROM counters').all() as { name: string; value: number }[]).map((row) => [
        row.name,
        Number(row.value),
      ]),
    );
    const workers = this.db.prepare('SELECT COUNT(*) AS n FROM workers').get() as { n: number };
    const lastMs = counters.get('last_completed_at_ms');
    return {
      commandsCompleted: counters.get('completed') ?? 0,
      workers: Number(workers.n),
      refusals: counters.get('refusals') ?? 0,
      ...(lastMs === undefined ? {} : { lastCompletedAt: new Date(lastMs).toISOString() }),
    };
  }

  close(): void {
    this.db.close();
  }

  private bump(name: string, by: number): void {
    this.db
      .prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
      )
      .run(name, by);
  }

  private setCounter(name: string, value: number): void {
    this.db
      .prepare(
        'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }

  private transaction(work: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
