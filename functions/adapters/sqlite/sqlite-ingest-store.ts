/**
 * The ingest store on SQLite: pushed requests and their operations' outcomes, in a file of their own
 * (`ingest.db`) so that accepting requests never waits on a cycle's commit to the state store.
 *
 * Why it stays correct:
 * - `synchronous = FULL`: a request is on disk when `append` returns (the 202 promises it is kept).
 * - The sequence is SQLite's AUTOINCREMENT rowid: it only grows, across restarts and deletes, so a
 *   source's requests are planned in the order they were accepted.
 * - A request and its operations are written in one transaction; `node:sqlite` is synchronous, so no
 *   other call on this store interleaves with it.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type {
  IngestLogEntry,
  IngestLogPage,
  IngestLogQuery,
  IngestOperation,
  IngestOutcome,
  IngestRequest,
  IngestStore,
  PendingIngest,
  StoredIngestRequest,
} from '../../../shared/ports/ingest-store.port';
import { boundedLimit } from '../state-records/paging';
import {
  decodeIngestToken,
  encodeIngestToken,
  requestHeader,
  withOutcome,
  type RequestHeader,
} from '../state-records/ingest-records';

const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS requests (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL UNIQUE,
    source_id  TEXT NOT NULL,
    document   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS requests_by_source ON requests (source_id, seq);

  CREATE TABLE IF NOT EXISTS operations (
    seq        INTEGER NOT NULL,
    idx        INTEGER NOT NULL,
    worker_key TEXT,
    status     TEXT NOT NULL,
    document   TEXT NOT NULL,
    PRIMARY KEY (seq, idx)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS operations_by_worker ON operations (worker_key, seq);

  CREATE TABLE IF NOT EXISTS positions (
    source_id   TEXT PRIMARY KEY,
    through_seq INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE IF NOT EXISTS signatures (
    source_id    TEXT NOT NULL,
    signature_id TEXT NOT NULL,
    expires_ms   INTEGER NOT NULL,
    PRIMARY KEY (source_id, signature_id)
  ) STRICT;
`;

interface RequestRow {
  readonly seq: number;
  readonly document: string;
}
interface OperationRow {
  readonly seq: number;
  readonly document: string;
}

export class SqliteIngestStore implements IngestStore {
  private constructor(private readonly db: DatabaseSync) {}

  static open(path: string): SqliteIngestStore {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = FULL');
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.exec(SCHEMA);
      return new SqliteIngestStore(db);
    } catch (error) {
      if (db?.isOpen) db.close();
      throw new Error(`${path}: cannot open the ingest store: ${(error as Error).message}`, { cause: error });
    }
  }

  async append(request: IngestRequest): Promise<number> {
    return this.transaction(() => {
      const inserted = this.db
        .prepare('INSERT INTO requests (request_id, source_id, document) VALUES (?, ?, ?)')
        .run(request.requestId, request.sourceId, JSON.stringify(requestHeader(request)));
      const seq = Number(inserted.lastInsertRowid);
      const insert = this.db.prepare(
        'INSERT INTO operations (seq, idx, worker_key, status, document) VALUES (?, ?, ?, ?, ?)',
      );
      for (const op of request.operations) insert.run(seq, op.index, op.workerKey, op.status, JSON.stringify(op));
      return seq;
    });
  }

  async pending(sourceId: string, maxOperations: number): Promise<PendingIngest> {
    const after = this.position(sourceId);
    const rows = this.db
      .prepare('SELECT seq, document FROM requests WHERE source_id = ? AND seq > ? ORDER BY seq LIMIT 1000')
      .all(sourceId, after) as unknown as RequestRow[];
    const requests: StoredIngestRequest[] = [];
    let operations = 0;
    for (const row of rows) {
      const request = this.requestFrom(row);
      if (requests.length > 0 && operations + request.operations.length > maxOperations) break;
      requests.push(request);
      operations += request.operations.length;
    }
    return { requests, throughSeq: requests.at(-1)?.seq ?? null };
  }

  async hasPending(sourceId: string): Promise<boolean> {
    const row = this.db
      .prepare('SELECT 1 AS one FROM requests WHERE source_id = ? AND seq > ? LIMIT 1')
      .get(sourceId, this.position(sourceId));
    return row !== undefined;
  }

  async recordOutcomes(outcomes: readonly IngestOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    this.transaction(() => {
      const seqOf = this.db.prepare('SELECT seq FROM requests WHERE request_id = ?');
      const read = this.db.prepare('SELECT document FROM operations WHERE seq = ? AND idx = ?');
      const write = this.db.prepare('UPDATE operations SET status = ?, document = ? WHERE seq = ? AND idx = ?');
      for (const outcome of outcomes) {
        const request = seqOf.get(outcome.requestId) as { seq: number } | undefined;
        if (!request) throw new Error(`ingest request ${outcome.requestId} is not stored`);
        const row = read.get(request.seq, outcome.index) as { document: string } | undefined;
        if (!row) throw new Error(`ingest request ${outcome.requestId} has no operation ${outcome.index}`);
        const op = withOutcome(JSON.parse(row.document) as IngestOperation, outcome);
        write.run(op.status, JSON.stringify(op), request.seq, outcome.index);
      }
    });
  }

  async markPlanned(sourceId: string, throughSeq: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO positions (source_id, through_seq) VALUES (?, ?)
         ON CONFLICT (source_id) DO UPDATE SET through_seq = MAX(through_seq, excluded.through_seq)`,
      )
      .run(sourceId, throughSeq);
  }

  async getRequest(requestId: string): Promise<StoredIngestRequest | null> {
    const row = this.db.prepare('SELECT seq, document FROM requests WHERE request_id = ?').get(requestId) as
      RequestRow | undefined;
    return row ? this.requestFrom(row) : null;
  }

  async listOperations(query: IngestLogQuery): Promise<IngestLogPage> {
    const limit = boundedLimit(query.limit);
    const { sql, params } = operationsSelect(query, limit);
    const rows = this.db.prepare(sql).all(...params) as unknown as (OperationRow & { header: string })[];
    const page = rows.slice(0, limit);
    const entries = page.map((row) => logEntry(JSON.parse(row.header) as RequestHeader, parseOperation(row.document)));
    const last = page.at(-1);
    const next = rows.length > limit && last ? encodeIngestToken(last.seq, parseOperation(last.document).index) : null;
    return { entries, next };
  }

  async rememberSignature(sourceId: string, signatureId: string, expiresAt: string, now: string): Promise<boolean> {
    this.db.prepare('DELETE FROM signatures WHERE expires_ms < ?').run(Date.parse(now));
    const inserted = this.db
      .prepare('INSERT OR IGNORE INTO signatures (source_id, signature_id, expires_ms) VALUES (?, ?, ?)')
      .run(sourceId, signatureId, Date.parse(expiresAt));
    return inserted.changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private position(sourceId: string): number {
    const row = this.db.prepare('SELECT through_seq FROM positions WHERE source_id = ?').get(sourceId) as
      { through_seq: number } | undefined;
    return row?.through_seq ?? 0;
  }

  private requestFrom(row: RequestRow): StoredIngestRequest {
    const header = JSON.parse(row.document) as RequestHeader;
    const operations = (
      this.db.prepare('SELECT document FROM operations WHERE seq = ? ORDER BY idx').all(row.seq) as unknown as {
        document: string;
      }[]
    ).map((r) => parseOperation(r.document));
    return { ...header, seq: row.seq, operations };
  }

  private transaction<T>(run: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const value = run();
      this.db.exec('COMMIT');
      return value;
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

function parseOperation(document: string): IngestOperation {
  return JSON.parse(document) as IngestOperation;
}

function logEntry(header: RequestHeader, op: IngestOperation): IngestLogEntry {
  return {
    ...op,
    requestId: header.requestId,
    sourceId: header.sourceId,
    kind: header.kind,
    receivedAt: header.receivedAt,
  };
}

/** Newest request first, a request's operations in order; one row more than asked, to know if more follow. */
function operationsSelect(query: IngestLogQuery, limit: number): { sql: string; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (clause: string, ...values: SQLInputValue[]): void => {
    where.push(clause);
    params.push(...values);
  };
  if (query.sourceId !== undefined) add('r.source_id = ?', query.sourceId);
  if (query.requestId !== undefined) add('r.request_id = ?', query.requestId);
  if (query.workerKey !== undefined) add('o.worker_key = ?', query.workerKey);
  if (query.status !== undefined) add('o.status = ?', query.status);
  if (query.after !== undefined) {
    const { seq, index } = decodeIngestToken(query.after);
    add('(o.seq < ? OR (o.seq = ? AND o.idx > ?))', seq, seq, index);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  params.push(limit + 1);
  return {
    sql: `SELECT o.seq AS seq, o.document AS document, r.document AS header
          FROM operations o JOIN requests r ON r.seq = o.seq ${filter}
          ORDER BY o.seq DESC, o.idx ASC LIMIT ?`,
    params,
  };
}
