/**
 * The Cosmos DB state store against the Cosmos DB test server with the real SDK: the port's contract
 * unchanged, each test on a database of its own, then what only this adapter has — the containers it
 * creates, point reads on the hot path, etag-guarded writes under contention, audit time to live.
 */
import { randomUUID } from 'node:crypto';
import {
  createCosmosStateStore,
  type CosmosStateStore,
} from '../../../../functions/adapters/cosmos/cosmos-state-store';
import type { LastKnownState } from '../../../../shared/planner/types';
import { RequestCounter, startCosmosServer, type CosmosTestServer } from '../../../harness/cosmos/cosmos-server';
import { describeStateStoreContract } from '../state-store.contract';
import { PLANNED_AT, STATES, auditEntry, outcome } from '../state-fixtures';

let server: CosmosTestServer;
beforeAll(async () => {
  server = await startCosmosServer();
});
afterAll(async () => {
  await server.close();
});

const open = (options: { auditTtlSeconds?: number; client?: ReturnType<CosmosTestServer['client']> } = {}) =>
  createCosmosStateStore({ client: options.client ?? server.client(), databaseId: `db-${randomUUID()}`, ...options });

describeStateStoreContract('Cosmos DB (test server)', () => open());

describe('CosmosStateStore', () => {
  const [first] = STATES as [LastKnownState];

  it('creates its database and containers, and opens an existing one', async () => {
    const client = server.client();
    const databaseId = `db-${randomUUID()}`;
    const store = await createCosmosStateStore({ client, databaseId, auditTtlSeconds: 3600 });
    await store.putState(first);
    const { resources } = await client.database(databaseId).containers.readAll().fetchAll();
    const byId = new Map(resources.map((c) => [c.id, c]));
    expect([...byId.keys()].sort()).toEqual(['agents', 'audit', 'cycles', 'sources', 'workers']);
    expect(byId.get('workers')?.partitionKey?.paths).toEqual(['/workerKey']);
    expect(byId.get('audit')?.partitionKey?.paths).toEqual(['/workerKey']);
    expect(byId.get('cycles')?.partitionKey?.paths).toEqual(['/cycleId']);
    expect(byId.get('sources')?.partitionKey?.paths).toEqual(['/sourceId']);
    expect(byId.get('agents')?.partitionKey?.paths).toEqual(['/agentId']);
    expect(byId.get('audit')?.defaultTtl).toBe(-1);

    const again = await createCosmosStateStore({ client, databaseId });
    expect(await again.getStates()).toEqual(new Map([[first.workerKey, first]]));
  });

  it('reads a worker’s state, link and outcomes within its partition, states and links by point reads', async () => {
    const counter = new RequestCounter();
    const store = await open({ client: server.client(counter.wrap) });
    await store.putState(first);
    counter.reset();
    await store.getStates([first.workerKey]);
    await store.getLink(first.workerKey);
    expect(counter.counts).toEqual({ write: 0, read: 2, query: 0, other: 0 });
    counter.reset();
    await store.listOutcomes(first.workerKey);
    // The query itself is routed to the worker's partition (the SDK may ask for a query plan first).
    expect(counter.queryPartitions).toContain(JSON.stringify([first.workerKey]));
  });

  it('writes an outcome or audit entry once: a repeat is one refused create', async () => {
    const counter = new RequestCounter();
    const store = await open({ client: server.client(counter.wrap) });
    const applied = outcome('cmd-1', PLANNED_AT);
    const entry = auditEntry('cmd-1', PLANNED_AT);
    expect(await store.recordOutcome(applied)).toBe(true);
    expect(await store.appendAudit(entry)).toBe(true);
    counter.reset();
    expect(await store.recordOutcome(applied)).toBe(false);
    expect(await store.appendAudit(entry)).toBe(false);
    expect(counter.counts).toEqual({ write: 2, read: 0, query: 0, other: 0 });
  });

  it('gives audit entries the retention setting as their time to live', async () => {
    const client = server.client();
    const databaseId = `db-${randomUUID()}`;
    const store = await createCosmosStateStore({ client, databaseId, auditTtlSeconds: 90 * 86_400 });
    await store.appendAudit(auditEntry('cmd-1', PLANNED_AT));
    const { resources } = await client.database(databaseId).container('audit').items.readAll().fetchAll();
    expect(resources.map((r) => r['ttl'])).toEqual([90 * 86_400]);

    const forever = await createCosmosStateStore({ client, databaseId: `db-${randomUUID()}` });
    expect(await forever.appendAudit(auditEntry('cmd-1', PLANNED_AT))).toBe(true);
  });

  it('keeps every concurrent change of one record (etag retries): heartbeats and refusals of one agent', async () => {
    const store = await open();
    const refusals = Array.from({ length: 12 }, (_, i) => ({
      type: 'CommandRefused' as const,
      agentId: 'agent-a',
      at: PLANNED_AT,
      messageId: `m-${i}`,
      sessionId: 'workday:1001',
      code: 'SignatureInvalid' as const,
      reason: 'bad signature',
    }));
    const results = await Promise.all(refusals.map((r) => store.recordAgentRefusal('agent-a', r)));
    expect(results.every(Boolean)).toBe(true);
    expect((await store.listAgents())[0]?.refused).toBe(12);
    expect(await Promise.all(refusals.map((r) => store.recordAgentRefusal('agent-a', r)))).toEqual(
      refusals.map(() => false),
    );
    expect((await store.listAgents())[0]?.refused).toBe(12);
  });

  it('keeps a putState made while a commit is written elsewhere (concurrent read-modify-writes)', async () => {
    const store: CosmosStateStore = await open();
    const versions = Array.from({ length: 8 }, (_, i) => ({ ...first, sequence: first.sequence + i + 1 }));
    await Promise.all(versions.map((v) => store.putState(v)));
    const stored = (await store.getStates([first.workerKey])).get(first.workerKey);
    expect(versions).toContainEqual(stored);
  });

  it('rejects calls after close, and names the database it cannot open', async () => {
    const store = await open();
    await store.close();
    await expect(store.getStates()).rejects.toThrow('closed');
    await expect(
      createCosmosStateStore({
        endpoint: 'http://127.0.0.1:9',
        key: 'eA==',
        databaseId: 'nowhere',
        clientOptions: {
          connectionPolicy: {
            enableEndpointDiscovery: false,
            retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 1 },
          },
        },
      }),
    ).rejects.toThrow('Cosmos DB database nowhere: cannot open the state store');
  });
});
