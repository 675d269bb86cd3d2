/**
 * The state store on SQLite (`node:sqlite`, no native addon): the local control plane's memory between
 * cycles. One file in WAL mode, so status and audit readers never wait for a cycle's commit, and one
 * connection per store.
 *
 * Why it stays correct:
 * - `node:sqlite` is synchronous, so a transaction opened by one method runs to COMMIT or ROLLBACK before
 *   any other call on this store starts: no interleaving inside a process. BEGIN IMMEDIATE takes the write
 *   lock up front, so another process either waits (busy timeout) or the whole commit fails; it never
 *   fails halfway with a read lock it cannot upgrade.
 * - Outcomes and audit entries are unique on (command id, status/effect) in the schema itself, so a result
 *   delivered twice is stored once whatever the caller does.
 * - States are written and read through the state codec (see row-codecs.ts).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type {
  AccountLink,
  AgentRecord,
  AuditEntry,
  AuditPage,
  AuditQuery,
  CommandOutcome,
  CycleCommit,
  CyclePlan,
  HandOnPage,
  CycleQuery,
  CycleRecord,
  QuarantineEntry,
  SourceCursor,
  StateStore,
} from '../../../shared/ports/state-store.port';
import type { LastKnownState } from '../../../shared/planner/types';
import type { AgentHeartbeat, CommandRefused } from '../../../shared/protocol/relay-messages';
import { agentFromHeartbeat, agentFromRefusal } from '../state-records/agent-records';
import { boundedLimit, decodeAuditToken, encodeAuditToken, instantMs } from '../state-records/paging';
import {
  decodeCyclePlanRow,
  decodeStateRow,
  encodeCyclePlanRow,
  encodeStateRow,
  parseRow,
} from '../state-records/row-codecs';
import { checkCommitSources } from '../state-records/commit-rules';
import { migrate } from './schema';

export { InvalidDocumentError, StoredRowError } from '../state-records/row-codecs';

/** How long a write waits for another process's transaction before failing (milliseconds). */
const BUSY_TIMEOUT_MS = 5000;

interface DocumentRow {
  readonly document: string;
}
interface KeyedRow extends DocumentRow {
  readonly key: string;
}
interface AuditRow extends DocumentRow {
  readonly at_ms: number;
  readonly seq: number;
}

/** The SQL and parameters selecting one audit page (one row more than asked, to know if more follow). */
function auditSelect(query: AuditQuery, limit: number): { sql: string; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (clause: string, ...values: SQLInputValue[]): void => {
    where.push(clause);
    params.push(...values);
  };
  if (query.workerKey !== undefined) add('worker_key = ?', query.workerKey);
  if (query.action !== undefined) add('action = ?', query.action);
  if (query.from !== undefined) add('at_ms >= ?', instantMs(query.from, 'audit query "from"'));
  if (query.to !== undefined) add('at_ms < ?', instantMs(query.to, 'audit query "to"'));
  if (query.after !== undefined) {
    const { atMs, seq } = decodeAuditToken(query.after);
    add('(at_ms > ? OR (at_ms = ? AND seq > ?))', atMs, atMs, seq);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  params.push(limit + 1);
  return { sql: `SELECT document, at_ms, seq FROM audit ${filter} ORDER BY at_ms, seq LIMIT ?`, params };
}

/** The state store on one SQLite file (or `':memory:'`). */
export class SqliteStateStore implements StateStore {
  private readonly statements = new Map<string, StatementSync>();

  private constructor(
    private readonly db: DatabaseSync,
    private readonly path: string,
  ) {}

  /** Opens (creating when absent) the store at `path`, bringing its schema up to date. */
  static open(path: string): SqliteStateStore {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      // WAL: readers see the last commit while a cycle writes. Synchronous stays FULL (the default), so a
      // commit that returned survives a power loss: a moved cursor must not silently move back.
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      migrate(db);
      return new SqliteStateStore(db, path);
    } catch (error) {
      if (db?.isOpen) db.close();
      throw new Error(`${path}: cannot open the state store: ${(error as Error).message}`, { cause: error });
    }
  }

  async getStates(workerKeys?: readonly string[]): Promise<Map<string, LastKnownState>> {
    const rows =
      workerKeys === undefined
        ? this.all<KeyedRow>('SELECT worker_key AS key, document FROM states ORDER BY worker_key')
        : this.all<KeyedRow>(
            // json_each takes any number of keys as one parameter (no limit on bound variables).
            'SELECT worker_key AS key, document FROM states WHERE worker_key IN (SELECT value FROM json_each(?)) ORDER BY worker_key',
            JSON.stringify(workerKeys),
          );
    return new Map(rows.map((row) => [row.key, decodeStateRow(row.key, row.document)]));
  }

  async putState(state: LastKnownState): Promise<void> {
    this.writeState(state);
  }

  async getLink(workerKey: string): Promise<AccountLink | null> {
    const row = this.get<DocumentRow>('SELECT document FROM links WHERE worker_key = ?', workerKey);
    return row ? parseRow<AccountLink>(row.document, `link of ${workerKey}`) : null;
  }

  async getLinks(workerKeys?: readonly string[]): Promise<Map<string, AccountLink>> {
    const rows =
      workerKeys === undefined
        ? this.all<KeyedRow>('SELECT worker_key AS key, document FROM links')
        : this.all<KeyedRow>(
            'SELECT worker_key AS key, document FROM links WHERE worker_key IN (SELECT value FROM json_each(?))',
            JSON.stringify(workerKeys),
          );
    return new Map(rows.map((row) => [row.key, parseRow<AccountLink>(row.document, `link of ${row.key}`)]));
  }

  async putLink(link: AccountLink): Promise<void> {
    this.run(
      'INSERT INTO links (worker_key, document) VALUES (?, ?) ON CONFLICT (worker_key) DO UPDATE SET document = excluded.document',
      link.workerKey,
      JSON.stringify(link),
    );
  }

  async getCursor(sourceId: string): Promise<SourceCursor | null> {
    const row = this.get<DocumentRow>('SELECT document FROM cursors WHERE source_id = ?', sourceId);
    return row ? parseRow<SourceCursor>(row.document, `cursor of ${sourceId}`) : null;
  }

  async putCycle(cycle: CycleRecord): Promise<void> {
    this.writeCycle(cycle);
  }

  async getCycle(cycleId: string): Promise<CycleRecord | null> {
    const row = this.get<DocumentRow>('SELECT document FROM cycles WHERE cycle_id = ?', cycleId);
    return row ? parseRow<CycleRecord>(row.document, `cycle ${cycleId}`) : null;
  }

  async listCycles(query: CycleQuery = {}): Promise<CycleRecord[]> {
    // The source is in the document only: walking the start-time index newest first finds a source's
    // latest cycles after a few rows, which is what its health and the status views ask for.
    const where = [
      ...(query.status === undefined ? [] : ['status = ?']),
      ...(query.sourceId === undefined ? [] : ["json_extract(document, '$.sourceId') = ?"]),
    ];
    const params = [query.status, query.sourceId].filter((p): p is string => p !== undefined);
    const rows = this.all<KeyedRow>(
      `SELECT cycle_id AS key, document FROM cycles ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
        'ORDER BY started_ms DESC, cycle_id DESC LIMIT ?',
      ...params,
      boundedLimit(query.limit),
    );
    return rows.map((row) => parseRow<CycleRecord>(row.document, `cycle ${row.key}`));
  }

  async putCyclePlans(plans: readonly CyclePlan[]): Promise<void> {
    this.transaction(() => {
      for (const plan of plans)
        this.run(
          'INSERT INTO cycle_plans (cycle_id, worker_key, document) VALUES (?, ?, ?) ' +
            'ON CONFLICT (cycle_id, worker_key) DO UPDATE SET document = excluded.document',
          plan.cycleId,
          plan.workerKey,
          encodeCyclePlanRow(plan),
        );
    });
  }

  async getCyclePlans(cycleId: string, handOn?: HandOnPage): Promise<CyclePlan[]> {
    const rows = handOn
      ? this.all<KeyedRow>(
          'SELECT worker_key AS key, document FROM cycle_plans WHERE cycle_id = ? ' +
            "AND json_type(document, '$.plan') = 'object' AND json_extract(document, '$.held') = ? " +
            'ORDER BY worker_key LIMIT ? OFFSET ?',
          cycleId,
          handOn.held ? 1 : 0,
          handOn.limit,
          handOn.offset,
        )
      : this.all<KeyedRow>(
          'SELECT worker_key AS key, document FROM cycle_plans WHERE cycle_id = ? ORDER BY worker_key',
          cycleId,
        );
    return rows.map((row) => decodeCyclePlanRow(cycleId, row.key, row.document));
  }

  async commitCycle(commit: CycleCommit): Promise<void> {
    const { cycle, cursor, states, quarantine } = commit;
    checkCommitSources(commit);
    this.transaction(() => {
      this.writeCycle(cycle);
      if (cursor) this.writeCursor(cursor);
      for (const state of states) this.writeState(state);
      this.replaceQuarantine(cycle.sourceId, quarantine);
    });
  }

  async listQuarantine(sourceId?: string): Promise<QuarantineEntry[]> {
    const select = 'SELECT source_id AS key, document FROM quarantine';
    const order = 'ORDER BY source_id, location';
    const rows =
      sourceId === undefined
        ? this.all<KeyedRow>(`${select} ${order}`)
        : this.all<KeyedRow>(`${select} WHERE source_id = ? ${order}`, sourceId);
    return rows.map((row) => parseRow<QuarantineEntry>(row.document, `quarantine of ${row.key}`));
  }

  async recordOutcome(outcome: CommandOutcome): Promise<boolean> {
    const { changes } = this.run(
      'INSERT INTO outcomes (command_id, status, worker_key, at_ms, document) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (command_id, status) DO NOTHING',
      outcome.commandId,
      outcome.status,
      outcome.workerKey,
      instantMs(outcome.at, `outcome of ${outcome.commandId}: at`),
      JSON.stringify(outcome),
    );
    return Number(changes) > 0;
  }

  async listOutcomes(workerKey: string, limit?: number): Promise<CommandOutcome[]> {
    const rows = this.all<DocumentRow>(
      'SELECT document FROM outcomes WHERE worker_key = ? ORDER BY at_ms DESC, seq DESC LIMIT ?',
      workerKey,
      boundedLimit(limit),
    );
    return rows.map((row) => parseRow<CommandOutcome>(row.document, `outcome of ${workerKey}`));
  }

  async appendAudit(entry: AuditEntry): Promise<boolean> {
    const { changes } = this.run(
      'INSERT INTO audit (command_id, effect, worker_key, action, at_ms, document) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (command_id, effect) DO NOTHING',
      entry.commandId,
      entry.effect,
      entry.workerKey,
      entry.action,
      instantMs(entry.at, `audit entry of ${entry.commandId}: at`),
      JSON.stringify(entry),
    );
    return Number(changes) > 0;
  }

  async queryAudit(query: AuditQuery): Promise<AuditPage> {
    const limit = boundedLimit(query.limit);
    const { sql, params } = auditSelect(query, limit);
    const rows = this.all<AuditRow>(sql, ...params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      entries: page.map((row) => parseRow<AuditEntry>(row.document, `audit entry ${row.seq}`)),
      next: rows.length > limit && last ? encodeAuditToken({ atMs: last.at_ms, seq: last.seq }) : null,
    };
  }

  async recordAgentHeartbeat(heartbeat: AgentHeartbeat): Promise<boolean> {
    const sentMs = instantMs(heartbeat.sentAt, `heartbeat of agent ${heartbeat.agentId}: sentAt`);
    let kept = false;
    this.transaction(() => {
      const stored = this.readAgent(heartbeat.agentId);
      // A record known only by refusals has seen no heartbeat yet: any heartbeat is newer.
      if (stored?.version && instantMs(stored.lastSeen, `agent ${stored.agentId}: lastSeen`) >= sentMs) return;
      this.writeAgent(agentFromHeartbeat(heartbeat, stored), sentMs);
      kept = true;
    });
    return kept;
  }

  async recordAgentRefusal(agentId: string, refusal: CommandRefused): Promise<boolean> {
    instantMs(refusal.at, `refusal of agent ${agentId}: at`);
    let counted = false;
    this.transaction(() => {
      const { changes } = this.run(
        'INSERT INTO agent_refusals (agent_id, message_id, document) VALUES (?, ?, ?) ' +
          'ON CONFLICT (agent_id, message_id) DO NOTHING',
        agentId,
        refusal.messageId,
        JSON.stringify(refusal),
      );
      if (Number(changes) === 0) return;
      const stored = this.readAgent(agentId);
      const record = agentFromRefusal(agentId, refusal, stored);
      this.writeAgent(record, instantMs(record.lastSeen, `agent ${agentId}: lastSeen`));
      counted = true;
    });
    return counted;
  }

  async listAgents(): Promise<AgentRecord[]> {
    const rows = this.all<KeyedRow>('SELECT agent_id AS key, document FROM agents ORDER BY agent_id');
    return rows.map((row) => parseRow<AgentRecord>(row.document, `agent ${row.key}`));
  }

  async close(): Promise<void> {
    if (!this.db.isOpen) return;
    this.statements.clear();
    this.db.close();
  }

  private readAgent(agentId: string): AgentRecord | null {
    const row = this.get<DocumentRow>('SELECT document FROM agents WHERE agent_id = ?', agentId);
    return row ? parseRow<AgentRecord>(row.document, `agent ${agentId}`) : null;
  }

  private writeAgent(record: AgentRecord, lastSeenMs: number): void {
    this.run(
      'INSERT INTO agents (agent_id, last_seen_ms, document) VALUES (?, ?, ?) ' +
        'ON CONFLICT (agent_id) DO UPDATE SET last_seen_ms = excluded.last_seen_ms, document = excluded.document',
      record.agentId,
      lastSeenMs,
      JSON.stringify(record),
    );
  }

  private writeState(state: LastKnownState): void {
    this.run(
      'INSERT INTO states (worker_key, document) VALUES (?, ?) ON CONFLICT (worker_key) DO UPDATE SET document = excluded.document',
      state.workerKey,
      encodeStateRow(state),
    );
  }

  private writeCycle(cycle: CycleRecord): void {
    this.run(
      'INSERT INTO cycles (cycle_id, status, started_ms, document) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (cycle_id) DO UPDATE SET status = excluded.status, started_ms = excluded.started_ms, document = excluded.document',
      cycle.cycleId,
      cycle.status,
      instantMs(cycle.startedAt, `cycle ${cycle.cycleId}: startedAt`),
      JSON.stringify(cycle),
    );
  }

  private writeCursor(cursor: SourceCursor): void {
    this.run(
      'INSERT INTO cursors (source_id, document) VALUES (?, ?) ON CONFLICT (source_id) DO UPDATE SET document = excluded.document',
      cursor.sourceId,
      JSON.stringify(cursor),
    );
  }

  /** Replaces a source's quarantine; a worker still quarantined keeps the `since` stored for it. */
  private replaceQuarantine(sourceId: string, entries: readonly QuarantineEntry[]): void {
    const since = new Map<string, string>();
    for (const entry of this.all<DocumentRow>('SELECT document FROM quarantine WHERE source_id = ?', sourceId)) {
      const stored = parseRow<QuarantineEntry>(entry.document, `quarantine of ${sourceId}`);
      since.set(stored.workerKey, stored.since);
    }
    this.run('DELETE FROM quarantine WHERE source_id = ?', sourceId);
    for (const entry of entries) {
      const kept = { ...entry, since: since.get(entry.workerKey) ?? entry.since };
      this.run(
        'INSERT INTO quarantine (source_id, location, worker_key, document) VALUES (?, ?, ?, ?)',
        sourceId,
        entry.location,
        entry.workerKey,
        JSON.stringify(kept),
      );
    }
  }

  /** Runs `work` in one write transaction: all of it is stored, or (on any error) none of it. */
  private transaction(work: () => void): void {
    this.statement('BEGIN IMMEDIATE').run();
    try {
      work();
      this.statement('COMMIT').run();
    } catch (error) {
      if (this.db.isTransaction) this.statement('ROLLBACK').run();
      throw error;
    }
  }

  /** A prepared statement, kept for reuse (the store's SQL is a small fixed set). */
  private statement(sql: string): StatementSync {
    if (!this.db.isOpen) throw new Error(`${this.path}: the state store is closed`);
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run(sql: string, ...params: SQLInputValue[]): { changes: number | bigint } {
    return this.statement(sql).run(...params);
  }

  private get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  private all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }
}
