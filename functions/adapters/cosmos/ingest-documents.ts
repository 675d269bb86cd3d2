/**
 * The ingest store's Cosmos DB documents and containers:
 *
 * | container | partition key | holds |
 * |---|---|---|
 * | `ingest` | `/sourceId` | per source: the sequence counter, the planned position, one slot per sequence number (a request, or a gap marker), operation pages of large requests, remembered webhook signatures (item `ttl`) |
 * | `ingest-requests` | `/requestId` | one pointer per request id: which source holds it |
 *
 * A request is one slot document (`slot.<seq>`) with its operations inline while they fit one page;
 * larger ones (CSV uploads) keep their operations in page documents written before the slot, so the slot
 * never names a page that is not there. Pages are cut by size as well as by count, well under Cosmos DB's
 * 2 MB item limit, leaving room for the outcomes recorded later.
 */
import type { ContainerDefinition } from '@azure/cosmos';
import type {
  IngestKind,
  IngestOperation,
  IngestOperationStatus,
  IngestOutcome,
  IngestRequest,
  StoredIngestRequest,
} from '../../../shared/ports/ingest-store.port';
import { withOutcome } from '../state-records/ingest-records';
import { instantMs } from '../state-records/paging';
import { documentId } from './documents';

/** At most this many operations in one document. */
export const OPERATIONS_PER_PAGE = 500;
/** At most this many bytes of operations (JSON) in one document: a quarter of the item limit. */
export const PAGE_BYTES = 512 * 1024;
/** A request naming more workers than this lists none on its slot: a worker filter then reads its pages. */
const WORKER_KEYS_LISTED = 5000;

export const INGEST_CONTAINERS: { readonly ingest: ContainerDefinition; readonly requests: ContainerDefinition } = {
  ingest: {
    id: 'ingest',
    partitionKey: { paths: ['/sourceId'] },
    // -1: time to live is on, and only remembered signatures carry a `ttl`.
    defaultTtl: -1,
    // The provisioning log's order, across sources (listOperations).
    indexingPolicy: {
      compositeIndexes: [
        [
          { path: '/receivedMs', order: 'descending' },
          { path: '/sourceId', order: 'descending' },
          { path: '/seq', order: 'descending' },
        ],
      ],
    },
  },
  requests: { id: 'ingest-requests', partitionKey: { paths: ['/requestId'] } },
};

export interface CounterDocument {
  readonly id: 'counter';
  readonly type: 'counter';
  readonly sourceId: string;
  /** The last sequence number handed out (its slot may still be on its way, or never come). */
  readonly lastSeq: number;
}

export interface PositionDocument {
  readonly id: 'position';
  readonly type: 'position';
  readonly sourceId: string;
  readonly throughSeq: number;
}

/** A request's place in its source's order. */
export interface RequestSlot {
  readonly id: string;
  readonly type: 'request';
  readonly sourceId: string;
  readonly seq: number;
  readonly requestId: string;
  readonly kind: IngestKind;
  readonly receivedAt: string;
  readonly receivedMs: number;
  readonly client: string | null;
  readonly operationCount: number;
  /** The operations, or null when they are in pages (`pageStarts` then holds each page's first index). */
  readonly operations: readonly IngestOperation[] | null;
  readonly pageStarts: readonly number[];
  /** For the log's filters: the workers named (null: too many to list), the statuses seen (a superset). */
  readonly workerKeys: readonly string[] | null;
  readonly statuses: readonly IngestOperationStatus[];
}

/** A sequence number whose request never came: written by a reader, so the writer's late slot is refused. */
export interface GapSlot {
  readonly id: string;
  readonly type: 'gap';
  readonly sourceId: string;
  readonly seq: number;
}

export type SlotDocument = RequestSlot | GapSlot;

export interface PageDocument {
  readonly id: string;
  readonly type: 'page';
  readonly sourceId: string;
  readonly requestId: string;
  readonly page: number;
  readonly operations: readonly IngestOperation[];
}

export interface PointerDocument {
  readonly id: string;
  readonly requestId: string;
  readonly sourceId: string;
}

export interface SignatureDocument {
  readonly id: string;
  readonly type: 'signature';
  readonly sourceId: string;
  readonly expiresMs: number;
  readonly ttl: number;
}

export const slotId = (seq: number): string => `slot.${seq}`;
export const pageId = (requestId: string, page: number): string => documentId('page', requestId, String(page));
export const pointerId = (requestId: string): string => documentId('request', requestId);
export const signatureId = (signature: string): string => documentId('signature', signature);

/** Cuts operations into pages of at most OPERATIONS_PER_PAGE and about PAGE_BYTES each. */
export function pagesOf(operations: readonly IngestOperation[]): IngestOperation[][] {
  const pages: IngestOperation[][] = [];
  let current: IngestOperation[] = [];
  let bytes = 0;
  for (const op of operations) {
    const size = Buffer.byteLength(JSON.stringify(op));
    if (current.length > 0 && (current.length >= OPERATIONS_PER_PAGE || bytes + size > PAGE_BYTES)) {
      pages.push(current);
      current = [];
      bytes = 0;
    }
    current.push(op);
    bytes += size;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/** The documents of a new request: its slot (without its sequence number yet) and its pages, if any. */
export function requestDocuments(request: IngestRequest): {
  slot: (seq: number) => RequestSlot;
  pages: PageDocument[];
} {
  const receivedMs = instantMs(request.receivedAt, `ingest request ${request.requestId}: receivedAt`);
  const split = pagesOf(request.operations);
  const inline = split.length === 1;
  const pages = inline
    ? []
    : split.map((operations, page) => ({
        id: pageId(request.requestId, page),
        type: 'page' as const,
        sourceId: request.sourceId,
        requestId: request.requestId,
        page,
        operations,
      }));
  const workerKeys = [...new Set(request.operations.flatMap((op) => (op.workerKey === null ? [] : [op.workerKey])))];
  const slot = (seq: number): RequestSlot => ({
    id: slotId(seq),
    type: 'request',
    sourceId: request.sourceId,
    seq,
    requestId: request.requestId,
    kind: request.kind,
    receivedAt: request.receivedAt,
    receivedMs,
    client: request.client,
    operationCount: request.operations.length,
    operations: inline ? request.operations : null,
    pageStarts: inline ? [] : split.map((page) => page[0]!.index),
    workerKeys: workerKeys.length > WORKER_KEYS_LISTED ? null : workerKeys,
    statuses: statusesOf(request.operations),
  });
  return { slot, pages };
}

export function statusesOf(operations: readonly IngestOperation[]): IngestOperationStatus[] {
  return [...new Set(operations.map((op) => op.status))];
}

/** The page holding operation `index` of a paged request. */
export function pageOf(slot: RequestSlot, index: number): number {
  let page = 0;
  while (page + 1 < slot.pageStarts.length && slot.pageStarts[page + 1]! <= index) page++;
  return page;
}

/** `operations` with the outcomes applied; names the request and index of an operation it does not have. */
export function withOutcomes(
  requestId: string,
  operations: readonly IngestOperation[],
  outcomes: readonly IngestOutcome[],
): IngestOperation[] {
  const byIndex = new Map(operations.map((op, position) => [op.index, position]));
  const next = [...operations];
  for (const outcome of outcomes) {
    const position = byIndex.get(outcome.index);
    if (position === undefined) throw new Error(`ingest request ${requestId} has no operation ${outcome.index}`);
    next[position] = withOutcome(next[position]!, outcome);
  }
  return next;
}

/** The request as the port returns it, from its slot and its operations. */
export function storedRequest(slot: RequestSlot, operations: readonly IngestOperation[]): StoredIngestRequest {
  return {
    requestId: slot.requestId,
    sourceId: slot.sourceId,
    kind: slot.kind,
    receivedAt: slot.receivedAt,
    client: slot.client,
    seq: slot.seq,
    operations,
  };
}
