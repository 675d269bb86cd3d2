/**
 * The Cosmos DB ingest store against the Cosmos DB test server with the real SDK: the port's contract
 * unchanged, each store on a database of its own, then what only this adapter has — sequence numbers
 * from a counter under contention, a writer that stalls or crashes between the counter and its request,
 * large requests in pages, outcomes racing on one request.
 */
import { randomUUID } from 'node:crypto';
import type { HttpClient, PipelineRequest } from '@azure/core-rest-pipeline';
import { CosmosIngestStore } from '../../../../functions/adapters/cosmos/cosmos-ingest-store';
import type { IngestOutcome } from '../../../../shared/ports/ingest-store.port';
import {
  CrashAfterWrites,
  RequestCounter,
  SimulatedCrash,
  startCosmosServer,
  type CosmosTestServer,
} from '../../../harness/cosmos/cosmos-server';
import { describeIngestStoreContract, ingestRequest, queuedOperation } from '../ingest-store.contract';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

const newDatabase = () => `db-${randomUUID()}`;
const open = (databaseId = newDatabase(), client = server.client()) => CosmosIngestStore.open({ client, databaseId });
/** More stores on a database `open` created (creating it from several at once races, in Azure too). */
const openMore = (databaseId: string, count: number) =>
  Promise.all(
    Array.from({ length: count }, () => CosmosIngestStore.open({ client: server.client(), databaseId, ensure: false })),
  );

describeIngestStoreContract('Cosmos DB (test server)', () => open());

function planned(requestId: string, index: number, cycleId: string): IngestOutcome {
  return {
    requestId,
    index,
    status: 'planned',
    issues: [],
    cycleId,
    classification: 'joiner',
    planId: `plan-${requestId}-${index}`,
    decidedAt: '2026-12-01T09:00:01.000Z',
  };
}

/** Holds back the create of one slot document until released: a writer stalled after taking its number. */
class SlotGate {
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));
  private signalHeld!: () => void;
  readonly held = new Promise<void>((resolve) => (this.signalHeld = resolve));

  constructor(private readonly slotId: string) {}

  open(): void {
    this.release();
  }

  wrap = (inner: HttpClient): HttpClient => ({
    sendRequest: async (request: PipelineRequest) => {
      if (request.method === 'POST' && typeof request.body === 'string' && request.body.includes(this.slotId)) {
        this.signalHeld();
        await this.released;
      }
      return inner.sendRequest(request);
    },
  });
}

describe('CosmosIngestStore', () => {
  it('creates its containers, partitioned by source and by request id', async () => {
    const client = server.client();
    const databaseId = newDatabase();
    const store = await open(databaseId, client);
    const { resources } = await client.database(databaseId).containers.readAll().fetchAll();
    const byId = new Map(resources.map((c) => [c.id, c]));
    expect(byId.get('ingest')?.partitionKey?.paths).toEqual(['/sourceId']);
    expect(byId.get('ingest')?.defaultTtl).toBe(-1);
    expect(byId.get('ingest-requests')?.partitionKey?.paths).toEqual(['/requestId']);
    await store.append(ingestRequest('r1', ['1']));
    const again = await CosmosIngestStore.open({ client, databaseId, ensure: false });
    expect((await again.getRequest('r1'))?.seq).toBe(1);
    await again.close();
    await store.close();
  });

  it('gives concurrent appends from several stores distinct numbers, all pending in order', async () => {
    const databaseId = newDatabase();
    const stores = [await open(databaseId), ...(await openMore(databaseId, 7))];
    const appended = await Promise.all(
      stores.map(async (store, s) => {
        const seqs: { requestId: string; seq: number }[] = [];
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const requestId = `s${s}-r${i}`;
            seqs.push({ requestId, seq: await store.append(ingestRequest(requestId, [`${s}-${i}`])) });
          }),
        );
        return seqs;
      }),
    );
    const all = appended.flat();
    expect(new Set(all.map((a) => a.seq)).size).toBe(160);
    const pending = await stores[0]!.pending('scim-in', 1000);
    expect(pending.requests.map((r) => r.seq)).toEqual(all.map((a) => a.seq).sort((a, b) => a - b));
    const bySeq = new Map(all.map((a) => [a.seq, a.requestId]));
    expect(pending.requests.map((r) => r.requestId)).toEqual(pending.requests.map((r) => bySeq.get(r.seq)));
    await Promise.all(stores.map((store) => store.close()));
  });

  it('never shows a stalled writer’s request below a planned position: it takes a later number', async () => {
    const databaseId = newDatabase();
    const gate = new SlotGate('"slot.1"');
    const stalled = await open(databaseId, server.client(gate.wrap));
    const store = await open(databaseId);
    const late = stalled.append(ingestRequest('late', ['1']));
    await gate.held;
    const second = await store.append(ingestRequest('second', ['2']));
    expect(second).toBe(2);
    const pending = await store.pending('scim-in', 10);
    expect(pending.requests.map((r) => r.requestId)).toEqual(['second']);
    await store.markPlanned('scim-in', pending.throughSeq!);
    gate.open();
    expect(await late).toBe(3);
    expect((await store.pending('scim-in', 10)).requests.map((r) => [r.requestId, r.seq])).toEqual([['late', 3]]);
    await stalled.close();
    await store.close();
  });

  it('leaves a gap, not a reordering, when a writer crashes after taking its number', async () => {
    const databaseId = newDatabase();
    // Writes: the request-id pointer, the counter patch (404: none yet), the counter, then (crashed) the slot.
    const crash = new CrashAfterWrites(3);
    const crashing = await open(databaseId, server.client(crash.wrap));
    await expect(crashing.append(ingestRequest('lost', ['1']))).rejects.toThrow(SimulatedCrash);
    const store = await open(databaseId);
    expect(await store.hasPending('scim-in')).toBe(false);
    expect(await store.append(ingestRequest('next', ['2']))).toBe(2);
    const pending = await store.pending('scim-in', 10);
    expect(pending).toMatchObject({ requests: [{ requestId: 'next', seq: 2 }], throughSeq: 2 });
    expect(await store.getRequest('lost')).toBeNull();
    await crashing.close();
    await store.close();
  });

  it('keeps a request of 2,000 operations in pages and reads it back whole', async () => {
    const client = server.client();
    const databaseId = newDatabase();
    const store = await open(databaseId, client);
    const workers = Array.from({ length: 2000 }, (_, i) => `w${i}`);
    const request = ingestRequest('big', workers, 'csv-in', { kind: 'csv' });
    const seq = await store.append(request);
    expect(await store.getRequest('big')).toEqual({ ...request, seq });
    const { resources: pages } = await client
      .database(databaseId)
      .container('ingest')
      .items.query("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'page'")
      .fetchAll();
    expect(pages).toEqual([4]);

    await store.recordOutcomes([planned('big', 3, 'c1'), planned('big', 1999, 'c1')]);
    const read = await store.getRequest('big');
    expect(read!.operations[1999]).toMatchObject({ status: 'planned', cycleId: 'c1', workerKey: 'scim:w1999' });
    expect(read!.operations[1998]).toEqual(queuedOperation(1998, 'w1998'));
    const log = await store.listOperations({ status: 'planned' });
    expect(log.entries.map((e) => e.index)).toEqual([3, 1999]);
    const first = await store.listOperations({ requestId: 'big', limit: 1000 });
    const second = await store.listOperations({ requestId: 'big', limit: 1000, after: first.next! });
    expect([...first.entries, ...second.entries].map((e) => e.index)).toEqual(workers.map((_, i) => i));
    expect(second.next).toBeNull();
    expect((await store.pending('csv-in', 10)).requests[0]!.operations).toHaveLength(2000);
    await store.close();
  });

  it('keeps both of two stores’ outcomes recorded at once on one request', async () => {
    const databaseId = newDatabase();
    const a = await open(databaseId);
    const [b] = await openMore(databaseId, 1);
    const workers = Array.from({ length: 10 }, (_, i) => `w${i}`);
    await a.append(ingestRequest('r1', workers));
    await Promise.all(workers.map((_, i) => (i % 2 === 0 ? a! : b!).recordOutcomes([planned('r1', i, `c${i}`)])));
    const ops = (await a.getRequest('r1'))!.operations;
    expect(ops.map((op) => [op.status, op.cycleId])).toEqual(workers.map((_, i) => ['planned', `c${i}`]));
    await a.close();
    await b!.close();
  });

  it('finds a request by id with a point read and a query in its source’s partition', async () => {
    const counter = new RequestCounter();
    const store = await open(newDatabase(), server.client(counter.wrap));
    await store.append(ingestRequest('r1', ['1']));
    counter.reset();
    await store.getRequest('r1');
    expect(counter.counts.read).toBe(1);
    expect(counter.queryPartitions).toContain(JSON.stringify(['scim-in']));
    await store.close();
  });

  it('lists across sources newest arrival first, in pages that do not shift', async () => {
    const store = await open();
    const at = (minute: number) => `2026-12-01T09:0${minute}:00.000Z`;
    await store.append(ingestRequest('a1', ['1', '2'], 'a', { receivedAt: at(1) }));
    await store.append(ingestRequest('b1', ['3'], 'b', { receivedAt: at(2) }));
    await store.append(ingestRequest('a2', ['4'], 'a', { receivedAt: at(3) }));
    const ids = (entries: readonly { requestId: string; index: number }[]) =>
      entries.map((e) => `${e.requestId}/${e.index}`);
    expect(ids((await store.listOperations({})).entries)).toEqual(['a2/0', 'b1/0', 'a1/0', 'a1/1']);
    const first = await store.listOperations({ limit: 2 });
    await store.append(ingestRequest('b2', ['5'], 'b', { receivedAt: at(4) }));
    const second = await store.listOperations({ limit: 2, after: first.next! });
    expect(ids([...first.entries, ...second.entries])).toEqual(['a2/0', 'b1/0', 'a1/0', 'a1/1']);
    expect(second.next).toBeNull();
    await store.close();
  });

  it('remembers a signature with a time to live, and again once it expired', async () => {
    const client = server.client();
    const databaseId = newDatabase();
    const store = await open(databaseId, client);
    const now = '2026-12-01T09:00:00.000Z';
    expect(await store.rememberSignature('hr', 'sig', '2026-12-01T09:05:00.000Z', now)).toBe(true);
    const { resources } = await client
      .database(databaseId)
      .container('ingest')
      .items.query("SELECT c.ttl FROM c WHERE c.type = 'signature'")
      .fetchAll();
    expect(resources).toEqual([{ ttl: 300 }]);
    expect(await store.rememberSignature('hr', 'sig', '2026-12-01T09:05:00.000Z', '2026-12-01T09:05:00.000Z')).toBe(
      false,
    );
    expect(await store.rememberSignature('hr', 'sig', '2026-12-01T09:10:00.000Z', '2026-12-01T09:05:00.001Z')).toBe(
      true,
    );
    await store.close();
  });

  it('refuses work once closed', async () => {
    const store = await open();
    await store.close();
    await expect(store.hasPending('scim-in')).rejects.toThrow(/closed/);
  });
});
