/**
 * Keyset paging for the Cosmos DB store's audit log. A page token holds the last entry's position
 * (instant, append sequence, id); the next page is the entries after it, `TOP limit + 1` so the store
 * knows whether more follow. Why not the SDK's continuation token: on a cross-partition ORDER BY it
 * is large, tied to the partition layout and SDK version, and can promise a page that turns out empty;
 * a position is small, survives repartitioning and appends, and a late page costs what the first does.
 */
import type { AuditQuery } from '../../../shared/ports/state-store.port';
import { instantMs } from '../state-records/paging';
import { params, type Query } from './documents';

export interface AuditPosition {
  readonly atMs: number;
  readonly seq: number;
  readonly id: string;
}

const TOKEN_PREFIX = 'c1.';

export function encodeAuditToken(position: AuditPosition): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify([position.atMs, position.seq, position.id])).toString('base64url');
}

/** The position a token stands for; rejects a token this store did not make. */
export function decodeAuditToken(token: string): AuditPosition {
  const refuse = () => new RangeError('audit query: "after" is not a page token from this store');
  if (!token.startsWith(TOKEN_PREFIX)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString());
  } catch {
    throw refuse();
  }
  if (!Array.isArray(value) || value.length !== 3) throw refuse();
  const [atMs, seq, id] = value as unknown[];
  if (!Number.isInteger(atMs) || !Number.isInteger(seq) || typeof id !== 'string') throw refuse();
  return { atMs: atMs as number, seq: seq as number, id };
}

/** The query for one audit page (one entry more than asked); the worker key, when given, is the partition. */
export function auditPageQuery(query: AuditQuery, limit: number): Query {
  const where = ["c.type = 'audit'"];
  const values: Record<string, string | number> = { top: limit + 1 };
  const add = (clause: string, name: string, value: string | number) => {
    where.push(clause);
    values[name] = value;
  };
  if (query.workerKey !== undefined) add('c.workerKey = @workerKey', 'workerKey', query.workerKey);
  if (query.action !== undefined) add('c.action = @action', 'action', query.action);
  if (query.from !== undefined) add('c.atMs >= @from', 'from', instantMs(query.from, 'audit query "from"'));
  if (query.to !== undefined) add('c.atMs < @to', 'to', instantMs(query.to, 'audit query "to"'));
  if (query.after !== undefined) {
    const { atMs, seq, id } = decodeAuditToken(query.after);
    where.push('(c.atMs > @atMs OR (c.atMs = @atMs AND (c.seq > @seq OR (c.seq = @seq AND c.id > @id))))');
    Object.assign(values, { atMs, seq, id });
  }
  return {
    query: `SELECT TOP @top * FROM c WHERE ${where.join(' AND ')} ORDER BY c.atMs, c.seq, c.id`,
    parameters: params(values),
  };
}
