/**
 * The local command channel: the relay's semantics in one process. Commands wait in an SQLite outbox
 * (so a crash loses none), each worker's in sequence order, one at a time per worker (a session), many
 * workers at once; each is applied by the embedded agent and its result is kept until the result sink
 * (an event on the worker's lifecycle orchestration) has taken it. Delivery is at least once: after a
 * crash, a command whose result was not kept is applied again, and the agent's idempotence makes that
 * harmless. The Service Bus adapter keeps the same promises with a session queue.
 */
import { DatabaseSync } from 'node:sqlite';
import type { CommandChannel, ResultSink } from '../../../shared/ports/command-channel.port';
import type { Logger } from '../../../shared/ports/logger.port';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import type { CommandResult } from '../../../shared/protocol/results';

export interface LocalCommandChannelOptions {
  readonly databasePath: string;
  /** The embedded agent: validates and applies one command (its `applyPayload`). */
  readonly apply: (command: unknown) => Promise<CommandResult>;
  readonly sink: ResultSink;
  readonly logger: Logger;
  /** Workers served at once (default 8). */
  readonly concurrency?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, worker_key TEXT NOT NULL,
  sequence INTEGER NOT NULL, command TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_worker ON outbox (worker_key, sequence, id);
CREATE TABLE IF NOT EXISTS results (id INTEGER PRIMARY KEY AUTOINCREMENT, result TEXT NOT NULL);`;

interface ResultRow {
  readonly id: number;
  readonly result: string;
}

/** The pause before trying again what failed for a moment (a result the sink refused, a host fault). */
const RETRY_MS = 1000;

export class LocalCommandChannel implements CommandChannel {
  private readonly db: DatabaseSync;
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Set when close() begins: nothing new starts. */
  private closing = false;
  /** Set once the database is closed. */
  private closed = false;
  private appliedCount = 0;
  private delivering: Promise<void> | null = null;
  /** Workers whose last apply threw (a host fault), with the instant they may be tried again. */
  private readonly backingOff = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: LocalCommandChannelOptions) {
    this.db = new DatabaseSync(options.databasePath);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
  }

  /** Delivers what a previous run left: results not yet taken, then commands not yet applied. */
  async start(): Promise<void> {
    await this.flushResults();
    this.pump();
  }

  async send(command: DirectoryCommandInput): Promise<void> {
    if (this.closing) throw new Error('the command channel is closed');
    this.db
      .prepare('INSERT INTO outbox (worker_key, sequence, command) VALUES (?, ?, ?)')
      .run(command.workerKey, command.sequence, JSON.stringify(command));
    this.pump();
  }

  /** Resolves when no command is waiting or being applied. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0 || (!this.closing && this.waitingCount() > 0)) {
      await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 10))]);
      this.pump();
    }
  }

  /** Commands applied by this channel since it started, and commands waiting: progress for a terminal. */
  stats(): { readonly applied: number; readonly waiting: number } {
    return { applied: this.appliedCount, waiting: this.closed ? 0 : this.waitingCount() };
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all([...this.inFlight]);
    if (this.delivering) await this.delivering;
    this.closed = true;
    this.db.close();
  }

  /** Runs `task` after RETRY_MS unless the channel closes first. */
  private later(task: () => void): void {
    if (this.closing) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closing) task();
    }, RETRY_MS);
    timer.unref();
    this.timers.add(timer);
  }

  private waitingCount(): number {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n);
  }

  /** Starts deliveries for idle workers, up to the concurrency. */
  private pump(): void {
    if (this.closing) return;
    const limit = this.options.concurrency ?? 8;
    const heads = this.db
      .prepare(
        'SELECT id, worker_key, command FROM outbox o WHERE id = (SELECT id FROM outbox WHERE worker_key = o.worker_key ORDER BY sequence, id LIMIT 1) ORDER BY id LIMIT ?',
      )
      .all(limit * 4 + this.backingOff.size) as { id: number; worker_key: string; command: string }[];
    const now = Date.now();
    for (const head of heads) {
      if (this.inFlight.size >= limit) return;
      if (this.busy.has(head.worker_key) || (this.backingOff.get(head.worker_key) ?? 0) > now) continue;
      this.backingOff.delete(head.worker_key);
      this.busy.add(head.worker_key);
      const delivery = this.deliver(head.id, head.worker_key, head.command).finally(() => {
        this.busy.delete(head.worker_key);
        this.inFlight.delete(delivery);
        this.pump();
      });
      this.inFlight.add(delivery);
    }
  }

  private async deliver(id: number, workerKey: string, command: string): Promise<void> {
    let result: CommandResult;
    try {
      result = await this.options.apply(JSON.parse(command));
    } catch (error) {
      // The agent answers every command with a result; a throw is a fault of the host: keep the command.
      this.options.logger.error('embedded agent failed; the command stays queued', {
        workerKey,
        error: (error as Error).name,
      });
      // Tried again after a pause, not at once: a fault that repeats must not spin the event loop.
      this.backingOff.set(workerKey, Date.now() + RETRY_MS);
      this.later(() => this.pump());
      return;
    }
    this.keepResult(id, result);
    this.appliedCount++;
    await this.flushResults();
  }

  /** The command leaves the outbox and its result enters the results table in one transaction. */
  private keepResult(outboxId: number, result: CommandResult): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.prepare('DELETE FROM outbox WHERE id = ?').run(outboxId);
      this.db.prepare('INSERT INTO results (result) VALUES (?)').run(JSON.stringify(result));
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Hands kept results to the sink, oldest first, until none is left; a refused one is tried again later. */
  private async flushResults(): Promise<void> {
    if (this.closed) return;
    if (this.delivering) return this.delivering;
    this.delivering = this.drainResults().finally(() => {
      this.delivering = null;
    });
    return this.delivering;
  }

  private async drainResults(): Promise<void> {
    const next = this.db.prepare('SELECT id, result FROM results ORDER BY id LIMIT 1');
    for (
      let row = next.get() as ResultRow | undefined;
      row && !this.closed;
      row = next.get() as ResultRow | undefined
    ) {
      try {
        await this.options.sink(JSON.parse(row.result) as CommandResult);
      } catch (error) {
        this.options.logger.warn('command result not delivered yet', { error: (error as Error).name });
        this.later(() => void this.flushResults());
        return;
      }
      this.db.prepare('DELETE FROM results WHERE id = ?').run(row.id);
    }
  }
}
