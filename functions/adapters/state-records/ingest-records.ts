/**
 * What both ingest stores (SQLite, Cosmos DB) share: a request's header as stored apart from its
 * operations, and the provisioning log's page tokens (the last entry's request sequence and operation
 * index, so pages never shift while requests arrive).
 */
import type { IngestOperation, IngestOutcome, IngestRequest } from '../../../shared/ports/ingest-store.port';

/** A request without its operations. */
export type RequestHeader = Omit<IngestRequest, 'operations'>;

export function requestHeader(request: IngestRequest): RequestHeader {
  const { operations: _operations, ...header } = request;
  return header;
}

/** The operation with a cycle's outcome laid over it. */
export function withOutcome(op: IngestOperation, outcome: IngestOutcome): IngestOperation {
  return {
    ...op,
    status: outcome.status,
    issues: outcome.issues,
    cycleId: outcome.cycleId,
    classification: outcome.classification,
    planId: outcome.planId,
    decidedAt: outcome.decidedAt,
  };
}

const TOKEN_PREFIX = 'i1.';

export function encodeIngestToken(seq: number, index: number): string {
  return TOKEN_PREFIX + Buffer.from(`${seq}:${index}`).toString('base64url');
}

/** The position a `next` token stands for; rejects a token this store did not make. */
export function decodeIngestToken(token: string): { seq: number; index: number } {
  const match = token.startsWith(TOKEN_PREFIX)
    ? /^(\d+):(\d+)$/.exec(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString())
    : null;
  if (!match) throw new RangeError('provisioning log: "after" is not a page token from this store');
  return { seq: Number(match[1]), index: Number(match[2]) };
}
