/**
 * The engine's SQLite state: instances, the current execution's history, the inbox of messages not yet
 * processed, pending timers, pending activity work items and the open tasks of each execution ("slots").
 * Every method is synchronous (node:sqlite); callers group them with `transaction` so a crash at any point
 * leaves either all or none of an episode's effects.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { RuntimeStatus } from './durable-engine';
import type { HistoryEvent } from './history-events';
import type { RetryPolicy } from './actions';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS instances (
  instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,
  input TEXT, output TEXT, custom_status TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  execution_id TEXT NOT NULL, generation INTEGER NOT NULL, next_seq INTEGER NOT NULL, action_count INTEGER NOT NULL,
  parent_instance_id TEXT, parent_execution_id TEXT, parent_task_id INTEGER);
CREATE INDEX IF NOT EXISTS instances_by_created ON instances (created_at, instance_id);
CREATE TABLE IF NOT EXISTS history (
  instance_id TEXT NOT NULL, position INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (instance_id, position));
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inbox_by_instance ON inbox (instance_id, id);
CREATE TABLE IF NOT EXISTS timers (
  instance_id TEXT NOT NULL, execution_id TEXT NOT NULL, seq INTEGER NOT NULL, fire_at_ms INTEGER NOT NULL,
  fire_at TEXT NOT NULL, PRIMARY KEY (instance_id, execution_id, seq));
CREATE INDEX IF NOT EXISTS timers_by_due ON timers (fire_at_ms);
CREATE TABLE IF NOT EXISTS work_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
  seq INTEGER NOT NULL, name TEXT NOT NULL, input TEXT);
CREATE TABLE IF NOT EXISTS slots (
  instance_id TEXT NOT NULL, execution_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
  action_index INTEGER, detail TEXT NOT NULL, PRIMARY KEY (instance_id, execution_id, seq));
`;

/** One orchestration instance (its current execution). JSON columns hold JSON text; null = no value. */
export interface InstanceRow {
  readonly instanceId: string;
  readonly name: string;
  readonly status: RuntimeStatus;
  readonly input: string | null;
  readonly output: string | null;
  readonly customStatus: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly executionId: string;
  readonly generation: number;
  /** The next sequence number the replay engine will hand out in this execution. */
  readonly nextSeq: number;
  /** How many atomic actions of the cumulative list the engine has already scheduled. */
  readonly actionCount: number;
  readonly parentInstanceId: string | null;
  readonly parentExecutionId: string | null;
  readonly parentTaskId: number | null;
}

export interface InboxMessage {
  readonly id: number;
  readonly instanceId: string;
  /** The execution a completion belongs to; null for messages addressed to the instance (events). */
  readonly executionId: string | null;
  readonly event: HistoryEvent;
}

export interface WorkItem {
  readonly id: number;
  readonly instanceId: string;
  readonly executionId: string;
  readonly seq: number;
  readonly name: string;
  readonly input: string | null;
}

/** What an open task needs to be retried: the work, its policy and attempt. */
export interface SlotDetail {
  readonly work?: {
    readonly kind: 'activity' | 'suborchestration';
    readonly name: string;
    readonly input: string | null;
    readonly childInstanceId?: string;
  };
  readonly retry?: RetryPolicy;
  readonly attempt?: number;
}

export type SlotKind = 'activity' | 'suborchestration' | 'timer' | 'retry-timer';

export interface Slot {
  readonly seq: number;
  readonly kind: SlotKind;
  readonly actionIndex: number | null;
  readonly detail: SlotDetail;
}

type Row = Record<string, SQLInputValue>;

const str = (v: SQLInputValue | undefined): string => String(v);
const strOrNull = (v: SQLInputValue | undefined): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: SQLInputValue | undefined): number => Number(v);

function toInstance(r: Row): InstanceRow {
  return {
    instanceId: str(r['instance_id']),
    name: str(r['name']),
    status: str(r['status']) as RuntimeStatus,
    input: strOrNull(r['input']),
    output: strOrNull(r['output']),
    customStatus: strOrNull(r['custom_status']),
    createdAt: str(r['created_at']),
    updatedAt: str(r['updated_at']),
    executionId: str(r['execution_id']),
    generation: num(r['generation']),
    nextSeq: num(r['next_seq']),
    actionCount: num(r['action_count']),
    parentInstanceId: strOrNull(r['parent_instance_id']),
    parentExecutionId: strOrNull(r['parent_execution_id']),
    parentTaskId: r['parent_task_id'] === null ? null : num(r['parent_task_id']),
  };
}

/** SQLite access for the durable engine. Not safe for concurrent writers in other processes beyond busy waiting. */
export class DurableStore {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;

  constructor(databasePath: string) {
    this.db = new DatabaseSync(databasePath);
    // WAL: readers never block the writer. synchronous=FULL: a commit (a 202 to startNew, an activity's
    // result) survives power loss too, not only a process crash; the engine is not throughput-bound.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }

  /** Runs `fn` in one IMMEDIATE transaction; any throw rolls everything back. */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private stmt(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: SQLInputValue[]): void {
    this.stmt(sql).run(...params);
  }

  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.stmt(sql).get(...params) as Row | undefined;
  }

  // ---- instances ----

  getInstance(instanceId: string): InstanceRow | undefined {
    const row = this.get('SELECT * FROM instances WHERE instance_id = ?', instanceId);
    return row === undefined ? undefined : toInstance(row);
  }

  /** Inserts or replaces the instance row. */
  putInstance(i: InstanceRow): void {
    this.run(
      `INSERT OR REPLACE INTO instances VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      i.instanceId,
      i.name,
      i.status,
      i.input,
      i.output,
      i.customStatus,
      i.createdAt,
      i.updatedAt,
      i.executionId,
      i.generation,
      i.nextSeq,
      i.actionCount,
      i.parentInstanceId,
      i.parentExecutionId,
      i.parentTaskId,
    );
  }

  /** Instances matching a filter already expressed as SQL (see status-query.ts). */
  queryInstances(where: string, params: SQLInputValue[], limit: number): InstanceRow[] {
    const sql = `SELECT * FROM instances ${where} ORDER BY created_at, instance_id LIMIT ${Math.trunc(limit)}`;
    return this.db
      .prepare(sql)
      .all(...params)
      .map((r) => toInstance(r as Row));
  }

  /** Deletes everything about an instance: row, history, inbox, timers, work items and slots. */
  deleteInstance(instanceId: string): number {
    this.clearExecutionState(instanceId);
    this.run('DELETE FROM history WHERE instance_id = ?', instanceId);
    this.run('DELETE FROM inbox WHERE instance_id = ?', instanceId);
    const before = this.get('SELECT COUNT(*) AS n FROM instances WHERE instance_id = ?', instanceId);
    this.run('DELETE FROM instances WHERE instance_id = ?', instanceId);
    return num(before?.['n']);
  }

  /** Drops an execution's pending work: timers, work items and open slots. */
  clearExecutionState(instanceId: string): void {
    this.run('DELETE FROM timers WHERE instance_id = ?', instanceId);
    this.run('DELETE FROM work_items WHERE instance_id = ?', instanceId);
    this.run('DELETE FROM slots WHERE instance_id = ?', instanceId);
  }

  // ---- history ----

  history(instanceId: string): HistoryEvent[] {
    return this.all('SELECT event FROM history WHERE instance_id = ? ORDER BY position', instanceId).map(
      (r) => JSON.parse(str(r['event'])) as HistoryEvent,
    );
  }

  appendHistory(instanceId: string, events: readonly HistoryEvent[]): void {
    const last = this.get('SELECT MAX(position) AS p FROM history WHERE instance_id = ?', instanceId);
    let position = last?.['p'] === null || last?.['p'] === undefined ? 0 : num(last['p']) + 1;
    for (const e of events) this.run('INSERT INTO history VALUES (?,?,?)', instanceId, position++, JSON.stringify(e));
  }

  deleteHistory(instanceId: string): void {
    this.run('DELETE FROM history WHERE instance_id = ?', instanceId);
  }

  // ---- inbox ----

  enqueue(instanceId: string, executionId: string | null, event: HistoryEvent): void {
    this.run(
      'INSERT INTO inbox (instance_id, execution_id, event) VALUES (?,?,?)',
      instanceId,
      executionId,
      JSON.stringify(event),
    );
  }

  inbox(instanceId: string): InboxMessage[] {
    return this.all('SELECT * FROM inbox WHERE instance_id = ? ORDER BY id', instanceId).map((r) => ({
      id: num(r['id']),
      instanceId: str(r['instance_id']),
      executionId: strOrNull(r['execution_id']),
      event: JSON.parse(str(r['event'])) as HistoryEvent,
    }));
  }

  deleteMessages(ids: readonly number[]): void {
    for (const id of ids) this.run('DELETE FROM inbox WHERE id = ?', id);
  }

  deleteInbox(instanceId: string): void {
    this.run('DELETE FROM inbox WHERE instance_id = ?', instanceId);
  }

  /** An active instance with unprocessed messages, other than those in `busy`. */
  nextRunnableInstance(busy: ReadonlySet<string>): string | undefined {
    const rows = this.all(
      `SELECT DISTINCT m.instance_id AS id FROM inbox m JOIN instances i ON i.instance_id = m.instance_id
       WHERE i.status IN ('Pending','Running') ORDER BY m.id LIMIT ?`,
      busy.size + 1,
    );
    return rows.map((r) => str(r['id'])).find((id) => !busy.has(id));
  }

  // ---- timers ----

  insertTimer(instanceId: string, executionId: string, seq: number, fireAt: Date): void {
    this.run(
      'INSERT OR REPLACE INTO timers VALUES (?,?,?,?,?)',
      instanceId,
      executionId,
      seq,
      fireAt.getTime(),
      fireAt.toISOString(),
    );
  }

  /** Removes a timer and any TimerFired for it still waiting in the inbox (a cancelled timer never fires). */
  cancelTimer(instanceId: string, executionId: string, seq: number): void {
    this.run('DELETE FROM timers WHERE instance_id = ? AND execution_id = ? AND seq = ?', instanceId, executionId, seq);
    this.run(
      `DELETE FROM inbox WHERE instance_id = ? AND execution_id = ? AND json_extract(event, '$.EventType') = 11
       AND json_extract(event, '$.TimerId') = ?`,
      instanceId,
      executionId,
      seq,
    );
  }

  dueTimers(nowMs: number): { instanceId: string; executionId: string; seq: number; fireAt: string }[] {
    return this.all('SELECT * FROM timers WHERE fire_at_ms <= ? ORDER BY fire_at_ms, instance_id, seq', nowMs).map(
      (r) => ({
        instanceId: str(r['instance_id']),
        executionId: str(r['execution_id']),
        seq: num(r['seq']),
        fireAt: str(r['fire_at']),
      }),
    );
  }

  nextTimer(): Date | null {
    const row = this.get('SELECT MIN(fire_at_ms) AS t FROM timers');
    return row?.['t'] === null || row?.['t'] === undefined ? null : new Date(num(row['t']));
  }

  // ---- work items ----

  insertWorkItem(instanceId: string, executionId: string, seq: number, name: string, input: string | null): void {
    this.run(
      'INSERT INTO work_items (instance_id, execution_id, seq, name, input) VALUES (?,?,?,?,?)',
      instanceId,
      executionId,
      seq,
      name,
      input,
    );
  }

  workItems(limit: number, exclude: ReadonlySet<number>): WorkItem[] {
    const rows = this.all('SELECT * FROM work_items ORDER BY id LIMIT ?', limit + exclude.size);
    return rows
      .map((r) => ({
        id: num(r['id']),
        instanceId: str(r['instance_id']),
        executionId: str(r['execution_id']),
        seq: num(r['seq']),
        name: str(r['name']),
        input: strOrNull(r['input']),
      }))
      .filter((w) => !exclude.has(w.id))
      .slice(0, limit);
  }

  workItemExists(id: number): boolean {
    return this.get('SELECT 1 AS x FROM work_items WHERE id = ?', id) !== undefined;
  }

  deleteWorkItem(id: number): void {
    this.run('DELETE FROM work_items WHERE id = ?', id);
  }

  countWorkItems(): number {
    return num(this.get('SELECT COUNT(*) AS n FROM work_items')?.['n']);
  }

  // ---- slots ----

  slots(instanceId: string, executionId: string): Map<number, Slot> {
    const rows = this.all('SELECT * FROM slots WHERE instance_id = ? AND execution_id = ?', instanceId, executionId);
    return new Map(
      rows.map((r) => [
        num(r['seq']),
        {
          seq: num(r['seq']),
          kind: str(r['kind']) as SlotKind,
          actionIndex: r['action_index'] === null ? null : num(r['action_index']),
          detail: JSON.parse(str(r['detail'])) as SlotDetail,
        },
      ]),
    );
  }

  insertSlot(instanceId: string, executionId: string, slot: Slot): void {
    this.run(
      'INSERT OR REPLACE INTO slots VALUES (?,?,?,?,?,?)',
      instanceId,
      executionId,
      slot.seq,
      slot.kind,
      slot.actionIndex,
      JSON.stringify(slot.detail),
    );
  }

  deleteSlot(instanceId: string, executionId: string, seq: number): void {
    this.run('DELETE FROM slots WHERE instance_id = ? AND execution_id = ? AND seq = ?', instanceId, executionId, seq);
  }
}
