/**
 * The ingest store on Azure Cosmos DB (NoSQL API): pushed requests kept until their source's cycle plans
 * them, partitioned by source so that `pending` is a one-partition query in sequence order. Documents and
 * containers are in ingest-documents.ts, the provisioning log's query in ingest-log-query.ts.
 *
 * Why it stays correct:
 * - Sequence numbers come from a counter document per source, moved by an atomic `incr` patch, so no
 *   two requests of a source share one. The request is then created as the slot document
 *   `slot.<seq>`; `append` returns once that create is acknowledged (Cosmos DB writes are durable then).
 * - A request must never become visible below a position already planned past. Between moving the
 *   counter and creating the slot, a writer can be slow or crash. `pending` walks slots in order, and
 *   where a sequence number has no slot while a later one has, it creates a gap marker with that slot's
 *   id: if the writer's slot came first, the create gets 409 and the walk reads the request; if the marker
 *   came first, the writer's create gets 409 and it takes a new, higher number. Either way the order the
 *   walk saw is final. A crash leaves a gap, never a reordering.
 * - Request ids are unique across sources through a pointer document per request id (another container,
 *   partitioned by request id), created first: `getRequest` is a point read there, then a one-partition
 *   query. A cross-partition query could find a request without the pointer, but could not refuse a
 *   duplicate id atomically, and would cost a call to every physical partition.
 * - Operation pages of a large request are written before its slot, so a visible slot is always whole.
 * - Outcomes, the planned position and expired signatures are read-modify-writes with `IfMatch`
 *   (documents.ts `updateWithRetry`); the position only moves forward.
 *
 * The Cosmos DB test server runs none of the paths that differ from Azure: no transactional batch (it is
 * not atomic there), no change feed, no stored procedure; every query that passes the `partitionKey`
 * option also filters on the partition key; expired signatures are found by comparing instants, the
 * item `ttl` only cleans them up in Azure.
 */
import type { Container, CosmosClient } from '@azure/cosmos';
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
import { makeCosmosClient, type CosmosConnection } from './cosmos-connection';
import { boundedLimit, instantMs } from '../state-records/paging';
import {
  createDocument,
  forEachLimited,
  params,
  queryAll,
  readDocument,
  updateWithRetry,
  upsertDocument,
  writeIfUnchanged,
  type Stored,
} from './documents';
import {
  INGEST_CONTAINERS,
  pageId,
  pageOf,
  pointerId,
  requestDocuments,
  signatureId,
  slotId,
  statusesOf,
  storedRequest,
  withOutcomes,
  type CounterDocument,
  type GapSlot,
  type PageDocument,
  type PointerDocument,
  type PositionDocument,
  type RequestSlot,
  type SignatureDocument,
  type SlotDocument,
} from './ingest-documents';
import { decodeLogToken, encodeLogToken, logSlotsQuery, matches, type LogPosition } from './ingest-log-query';

export interface CosmosIngestStoreOptions extends CosmosConnection {
  readonly databaseId: string;
  /** Create the database and containers when missing (default true); false opens them without a request. */
  readonly ensure?: boolean;
}

/** How many times `append` takes a new sequence number after a reader marked its number a gap. */
const SLOT_ATTEMPTS = 10;
/** Slots `pending` reads per query page, and at most in one call (as the SQLite store). */
const SLOTS_PER_PAGE = 50;
const MAX_PENDING_REQUESTS = 1000;
/** Page documents written or read at once. */
const PARALLEL = 8;

interface Containers {
  readonly ingest: Container;
  readonly requests: Container;
}

export class CosmosIngestStore implements IngestStore {
  private closed = false;

  private constructor(
    private readonly containers: Containers,
    private readonly ownedClient: CosmosClient | null,
  ) {}

  /** Opens the store, creating the database and containers when missing (unless `ensure` is false). */
  static async open(options: CosmosIngestStoreOptions): Promise<CosmosIngestStore> {
    const owned = options.client === undefined;
    const client = options.client ?? makeCosmosClient(options, 'ingest store');
    try {
      const containers = await openContainers(client, options.databaseId, options.ensure !== false);
      return new CosmosIngestStore(containers, owned ? client : null);
    } catch (error) {
      if (owned) client.dispose();
      throw new Error(
        `Cosmos DB database ${options.databaseId}: cannot open the ingest store: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async append(request: IngestRequest): Promise<number> {
    this.checkOpen();
    const { slot, pages } = requestDocuments(request);
    const pointer: PointerDocument = {
      id: pointerId(request.requestId),
      requestId: request.requestId,
      sourceId: request.sourceId,
    };
    if (!(await createDocument(this.containers.requests, pointer)))
      throw new Error(`ingest request ${request.requestId} is stored already`);
    await forEachLimited(pages, PARALLEL, (page) => upsertDocument(this.containers.ingest, page));
    for (let attempt = 0; attempt < SLOT_ATTEMPTS; attempt++) {
      const seq = await this.nextSeq(request.sourceId);
      if (await createDocument(this.containers.ingest, slot(seq))) return seq;
    }
    throw new Error(
      `ingest request ${request.requestId}: no sequence number of source ${request.sourceId} ` +
        `kept after ${SLOT_ATTEMPTS} attempts`,
    );
  }

  async pending(sourceId: string, maxOperations: number): Promise<PendingIngest> {
    this.checkOpen();
    const slots = await this.waitingSlots(sourceId, maxOperations);
    const requests = await Promise.all(slots.map(async (slot) => storedRequest(slot, await this.operationsOf(slot))));
    return { requests, throughSeq: requests.at(-1)?.seq ?? null };
  }

  async hasPending(sourceId: string): Promise<boolean> {
    this.checkOpen();
    const after = await this.position(sourceId);
    const found = await queryAll<number>(
      this.containers.ingest,
      {
        query: "SELECT TOP 1 VALUE c.seq FROM c WHERE c.sourceId = @sourceId AND c.type = 'request' AND c.seq > @after",
        parameters: params({ sourceId, after }),
      },
      sourceId,
    );
    return found.length > 0;
  }

  async recordOutcomes(outcomes: readonly IngestOutcome[]): Promise<void> {
    this.checkOpen();
    for (const [requestId, ofRequest] of groupBy(outcomes, (o) => o.requestId)) {
      const slot = await this.findSlot(requestId);
      if (!slot) throw new Error(`ingest request ${requestId} is not stored`);
      if (slot.operations !== null) await this.recordInline(slot, ofRequest);
      else await this.recordPaged(slot, ofRequest);
    }
  }

  async markPlanned(sourceId: string, throughSeq: number): Promise<void> {
    this.checkOpen();
    await updateWithRetry<PositionDocument>(this.containers.ingest, 'position', sourceId, (current) =>
      current !== null && current.throughSeq >= throughSeq
        ? null
        : { id: 'position', type: 'position', sourceId, throughSeq },
    );
  }

  async getRequest(requestId: string): Promise<StoredIngestRequest | null> {
    this.checkOpen();
    const slot = await this.findSlot(requestId);
    return slot ? storedRequest(slot, await this.operationsOf(slot)) : null;
  }

  async listOperations(query: IngestLogQuery): Promise<IngestLogPage> {
    this.checkOpen();
    const limit = boundedLimit(query.limit);
    const after = query.after === undefined ? null : decodeLogToken(query.after);
    const found: { entry: IngestLogEntry; position: LogPosition }[] = [];
    const iterator = this.containers.ingest.items.query<RequestSlot>(
      logSlotsQuery(query, after),
      query.sourceId === undefined ? { maxItemCount: 20 } : { maxItemCount: 20, partitionKey: query.sourceId },
    );
    while (found.length <= limit && iterator.hasMoreResults()) {
      for (const slot of (await iterator.fetchNext()).resources) {
        for (const op of await this.operationsOf(slot)) {
          if (!matches(query, after, slot, op)) continue;
          found.push({ entry: logEntry(slot, op), position: { ...slot, index: op.index } });
        }
        if (found.length > limit) break;
      }
    }
    const page = found.slice(0, limit);
    const last = page.at(-1);
    return {
      entries: page.map((f) => f.entry),
      next: found.length > limit && last ? encodeLogToken(last.position) : null,
    };
  }

  async rememberSignature(sourceId: string, signature: string, expiresAt: string, now: string): Promise<boolean> {
    this.checkOpen();
    const expiresMs = instantMs(expiresAt, 'webhook signature: expiresAt');
    const nowMs = instantMs(now, 'webhook signature: now');
    const document: SignatureDocument = {
      id: signatureId(signature),
      type: 'signature',
      sourceId,
      expiresMs,
      // Azure deletes it once expired; until then (and on servers without ttl) `expiresMs` decides.
      ttl: Math.max(1, Math.ceil((expiresMs - nowMs) / 1000)),
    };
    if (await createDocument(this.containers.ingest, document)) return true;
    const current = await readDocument<SignatureDocument>(this.containers.ingest, document.id, sourceId);
    if (current !== null && current.expiresMs >= nowMs) return false;
    // Expired (or deleted meanwhile): remembered afresh, unless another call did so first.
    return writeIfUnchanged(this.containers.ingest, current, document, sourceId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ownedClient?.dispose();
  }

  /**
   * Takes the source's next sequence number: an atomic `incr` patch of the counter, one write whatever the
   * contention (an `IfMatch` read-modify-write would cost every waiting writer a read and a refused replace
   * per number handed out). The first number of a source creates the counter.
   */
  private async nextSeq(sourceId: string): Promise<number> {
    const counter: CounterDocument = { id: 'counter', type: 'counter', sourceId, lastSeq: 1 };
    // Absent, then created by another writer meanwhile (409): the second patch finds it.
    for (let attempt = 0; attempt < 2; attempt++) {
      const incremented = await this.incrementCounter(sourceId);
      if (incremented !== null) return incremented;
      if (await createDocument(this.containers.ingest, counter)) return counter.lastSeq;
    }
    throw new Error(`ingest source ${sourceId}: the sequence counter can be neither created nor incremented`);
  }

  /** The counter after adding one; null when the source has no counter yet. */
  private async incrementCounter(sourceId: string): Promise<number | null> {
    try {
      const { resource } = await this.containers.ingest
        .item('counter', sourceId)
        .patch<CounterDocument>([{ op: 'incr', path: '/lastSeq', value: 1 }]);
      if (!resource) throw new Error(`ingest source ${sourceId}: the counter patch returned no document`);
      return resource.lastSeq;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return null;
      throw error;
    }
  }

  private async position(sourceId: string): Promise<number> {
    return (await readDocument<PositionDocument>(this.containers.ingest, 'position', sourceId))?.throughSeq ?? 0;
  }

  /**
   * The requests after the planned position, in order, within the budget (always at least one). Every
   * number from the position up to the last request returned is a request or, once this returns, a gap.
   */
  private async waitingSlots(sourceId: string, maxOperations: number): Promise<RequestSlot[]> {
    let expected = (await this.position(sourceId)) + 1;
    const taken: RequestSlot[] = [];
    let operations = 0;
    const take = (slot: SlotDocument): boolean => {
      expected = slot.seq + 1;
      if (slot.type === 'gap') return true;
      if (taken.length > 0 && operations + slot.operationCount > maxOperations) return false;
      taken.push(slot);
      operations += slot.operationCount;
      return taken.length < MAX_PENDING_REQUESTS;
    };
    const iterator = this.containers.ingest.items.query<SlotDocument>(
      {
        query:
          "SELECT * FROM c WHERE c.sourceId = @sourceId AND c.type IN ('request', 'gap') AND c.seq >= @from " +
          'ORDER BY c.seq',
        parameters: params({ sourceId, from: expected }),
      },
      { maxItemCount: SLOTS_PER_PAGE, partitionKey: sourceId },
    );
    while (iterator.hasMoreResults()) {
      for (const slot of (await iterator.fetchNext()).resources) {
        while (expected < slot.seq) if (!take(await this.settleGap(sourceId, expected))) return taken;
        if (!take(slot)) return taken;
      }
    }
    return taken;
  }

  /** The slot at `seq` once settled: the writer's request if it is there, else a gap marker written now. */
  private async settleGap(sourceId: string, seq: number): Promise<SlotDocument> {
    const gap: GapSlot = { id: slotId(seq), type: 'gap', sourceId, seq };
    if (await createDocument(this.containers.ingest, gap)) return gap;
    const settled = await readDocument<SlotDocument>(this.containers.ingest, gap.id, sourceId);
    if (!settled) throw new Error(`ingest source ${sourceId}: slot ${seq} is neither free nor readable`);
    return settled;
  }

  private async findSlot(requestId: string): Promise<Stored<RequestSlot> | null> {
    const pointer = await readDocument<PointerDocument>(this.containers.requests, pointerId(requestId), requestId);
    if (!pointer) return null;
    const [slot] = await queryAll<Stored<RequestSlot>>(
      this.containers.ingest,
      {
        query: "SELECT * FROM c WHERE c.sourceId = @sourceId AND c.type = 'request' AND c.requestId = @requestId",
        parameters: params({ sourceId: pointer.sourceId, requestId }),
      },
      pointer.sourceId,
    );
    return slot ?? null;
  }

  private async operationsOf(slot: RequestSlot): Promise<readonly IngestOperation[]> {
    if (slot.operations !== null) return slot.operations;
    const pages: PageDocument[] = new Array(slot.pageStarts.length);
    await forEachLimited([...slot.pageStarts.keys()], PARALLEL, async (page) => {
      const read = await readDocument<PageDocument>(
        this.containers.ingest,
        pageId(slot.requestId, page),
        slot.sourceId,
      );
      if (!read) throw new Error(`ingest request ${slot.requestId}: operation page ${page} is missing`);
      pages[page] = read;
    });
    return pages.flatMap((page) => page.operations);
  }

  private async recordInline(slot: Stored<RequestSlot>, outcomes: readonly IngestOutcome[]): Promise<void> {
    await updateWithRetry<RequestSlot>(this.containers.ingest, slot.id, slot.sourceId, (current) => {
      if (current === null || current.operations === null)
        throw new Error(`ingest request ${slot.requestId}: slot ${slot.seq} changed while recording outcomes`);
      const operations = withOutcomes(slot.requestId, current.operations, outcomes);
      return { ...current, operations, statuses: statusesOf(operations) };
    });
  }

  private async recordPaged(slot: Stored<RequestSlot>, outcomes: readonly IngestOutcome[]): Promise<void> {
    for (const [page, ofPage] of groupBy(outcomes, (o) => pageOf(slot, o.index))) {
      const id = pageId(slot.requestId, page);
      await updateWithRetry<PageDocument>(this.containers.ingest, id, slot.sourceId, (current) => {
        if (current === null) throw new Error(`ingest request ${slot.requestId}: operation page ${page} is missing`);
        return { ...current, operations: withOutcomes(slot.requestId, current.operations, ofPage) };
      });
    }
    // The slot's statuses only grow for a paged request: a superset is enough for the log's filter.
    const added = [...new Set(outcomes.map((o) => o.status))].filter((s) => !slot.statuses.includes(s));
    if (added.length === 0) return;
    await updateWithRetry<RequestSlot>(this.containers.ingest, slot.id, slot.sourceId, (current) => {
      if (current === null) throw new Error(`ingest request ${slot.requestId}: slot ${slot.seq} is missing`);
      const statuses = [...new Set([...current.statuses, ...added])];
      return statuses.length === current.statuses.length ? null : { ...current, statuses };
    });
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the Cosmos DB ingest store is closed');
  }
}

async function openContainers(client: CosmosClient, databaseId: string, ensure: boolean): Promise<Containers> {
  if (!ensure) {
    const database = client.database(databaseId);
    return {
      ingest: database.container(INGEST_CONTAINERS.ingest.id!),
      requests: database.container(INGEST_CONTAINERS.requests.id!),
    };
  }
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const [ingest, requests] = await Promise.all(
    [INGEST_CONTAINERS.ingest, INGEST_CONTAINERS.requests].map(
      async (definition) => (await database.containers.createIfNotExists(definition)).container,
    ),
  );
  return { ingest: ingest!, requests: requests! };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function logEntry(slot: RequestSlot, op: IngestOperation): IngestLogEntry {
  return { ...op, requestId: slot.requestId, sourceId: slot.sourceId, kind: slot.kind, receivedAt: slot.receivedAt };
}
