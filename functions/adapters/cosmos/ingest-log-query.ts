/**
 * The provisioning log's query on Cosmos DB. Sequence numbers count per source here, so they alone do not
 * order requests of different sources: the log orders requests by arrival (`receivedMs`), then source,
 * then sequence — newest first — and a request's operations by index. A page token is the shared one
 * (sequence and index) with the request's arrival and source beside it, so that pages never shift while
 * requests arrive.
 */
import type { JSONValue } from '@azure/cosmos';
import type { IngestLogQuery, IngestOperation } from '../../../shared/ports/ingest-store.port';
import { decodeIngestToken, encodeIngestToken } from '../state-records/ingest-records';
import { params, type Query } from './documents';
import type { RequestSlot } from './ingest-documents';

/** Where a log page ended: the last entry's request (arrival, source, sequence) and operation index. */
export interface LogPosition {
  readonly receivedMs: number;
  readonly sourceId: string;
  readonly seq: number;
  readonly index: number;
}

const SEPARATOR = '~';

export function encodeLogToken(position: LogPosition): string {
  const request = Buffer.from(JSON.stringify([position.receivedMs, position.sourceId])).toString('base64url');
  return `${encodeIngestToken(position.seq, position.index)}${SEPARATOR}${request}`;
}

/** The position a `next` token stands for; rejects a token this store did not make. */
export function decodeLogToken(token: string): LogPosition {
  const [shared = '', request = ''] = token.split(SEPARATOR);
  const { seq, index } = decodeIngestToken(shared);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(request, 'base64url').toString());
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'number' || typeof parsed[1] !== 'string')
    throw new RangeError('provisioning log: "after" is not a page token from this store');
  return { receivedMs: parsed[0], sourceId: parsed[1], seq, index };
}

/**
 * The request slots a log query may draw entries from, in the log's order. The worker and status filters
 * only narrow the slots (a slot's lists may hold more than its operations now have); `matches` decides.
 */
export function logSlotsQuery(query: IngestLogQuery, after: LogPosition | null): Query {
  const where = ["c.type = 'request'"];
  const values: Record<string, JSONValue> = {};
  if (query.sourceId !== undefined) {
    where.push('c.sourceId = @sourceId');
    values['sourceId'] = query.sourceId;
  }
  if (query.requestId !== undefined) {
    where.push('c.requestId = @requestId');
    values['requestId'] = query.requestId;
  }
  if (query.workerKey !== undefined) {
    where.push('(IS_NULL(c.workerKeys) OR ARRAY_CONTAINS(c.workerKeys, @workerKey))');
    values['workerKey'] = query.workerKey;
  }
  if (query.status !== undefined) {
    where.push('ARRAY_CONTAINS(c.statuses, @status)');
    values['status'] = query.status;
  }
  if (after !== null) {
    where.push(
      '(c.receivedMs < @afterMs OR (c.receivedMs = @afterMs AND (c.sourceId < @afterSource OR ' +
        '(c.sourceId = @afterSource AND c.seq <= @afterSeq))))',
    );
    Object.assign(values, { afterMs: after.receivedMs, afterSource: after.sourceId, afterSeq: after.seq });
  }
  return {
    query: `SELECT * FROM c WHERE ${where.join(' AND ')} ORDER BY c.receivedMs DESC, c.sourceId DESC, c.seq DESC`,
    parameters: params(values),
  };
}

/** Whether an operation of `slot` belongs on the page: the filters, and after the token's position. */
export function matches(
  query: IngestLogQuery,
  after: LogPosition | null,
  slot: RequestSlot,
  op: IngestOperation,
): boolean {
  if (query.workerKey !== undefined && op.workerKey !== query.workerKey) return false;
  if (query.status !== undefined && op.status !== query.status) return false;
  const atToken =
    after !== null &&
    after.receivedMs === slot.receivedMs &&
    after.sourceId === slot.sourceId &&
    after.seq === slot.seq;
  return !atToken || op.index > after.index;
}
