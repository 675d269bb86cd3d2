/**
 * Where the Cosmos DB test server (`@vercel/cosmosdb-server` 1.0.1) differs from Azure Cosmos DB, each
 * pinned by a test that passes today and fails once the server behaves like Azure — then the adapter's
 * tests can start relying on that behaviour, and this file says which line to delete. The adapter uses
 * none of these behaviours (see the header of functions/adapters/cosmos/cosmos-state-store.ts).
 *
 * | behaviour | Azure Cosmos DB | the test server |
 * |---|---|---|
 * | transactional batch, one op conflicting | whole batch fails (424 + 409), nothing written | 200, the other ops written |
 * | batch op without its own partitionKey | uses the batch's partition key | request refused |
 * | query with the `partitionKey` option only | that partition's items | items of every partition |
 * | item `ttl` | deleted after it expires | kept |
 * | change feed after a new write | the new item | nothing (304) |
 * | read with `IfNoneMatch` of the current etag | 304 | 200 with the item |
 * | stored procedures | run | 400 |
 */
import { randomUUID } from 'node:crypto';
import { BulkOperationType, ChangeFeedStartFrom, type Container, type CosmosClient } from '@azure/cosmos';
import { startCosmosServer, type CosmosTestServer } from '../../../harness/cosmos/cosmos-server';

let server: CosmosTestServer;
let client: CosmosClient;
beforeAll(async () => {
  server = await startCosmosServer();
  client = server.client();
});
afterAll(async () => {
  await server.close();
});

async function container(defaultTtl?: number): Promise<Container> {
  const { database } = await client.databases.createIfNotExists({ id: `db-${randomUUID()}` });
  const definition = { id: 'c', partitionKey: { paths: ['/pk'] }, ...(defaultTtl === undefined ? {} : { defaultTtl }) };
  return (await database.containers.createIfNotExists(definition)).container;
}

const exists = async (c: Container, id: string, pk: string) => (await c.item(id, pk).read()).statusCode === 200;

describe('Cosmos DB test server deviations (each test fails once the server is fixed)', () => {
  it('runs a transactional batch op by op: a conflict does not undo the ops before it', async () => {
    const c = await container();
    await c.items.create({ id: 'taken', pk: 'p' });
    const response = await c.items.batch(
      [
        { operationType: BulkOperationType.Create, partitionKey: 'p', resourceBody: { id: 'new', pk: 'p' } },
        { operationType: BulkOperationType.Create, partitionKey: 'p', resourceBody: { id: 'taken', pk: 'p' } },
      ],
      'p',
    );
    expect(response.result?.map((r) => r.statusCode)).toEqual([201, 409]); // Azure: [424, 409]
    expect(await exists(c, 'new', 'p')).toBe(true); // Azure: rolled back
  });

  it('refuses a batch op that has no partition key of its own', async () => {
    const c = await container();
    const serverLog = jest.spyOn(console, 'error').mockImplementation(() => undefined); // the server logs the refusal
    await expect(
      c.items.batch([{ operationType: BulkOperationType.Upsert, resourceBody: { id: 'a', pk: 'p' } }], 'p'),
    ).rejects.toThrow(/partitionkey/i);
    serverLog.mockRestore();
  });

  it('ignores the partitionKey option of a query', async () => {
    const c = await container();
    await c.items.create({ id: 'a', pk: 'p1' });
    await c.items.create({ id: 'b', pk: 'p2' });
    const { resources } = await c.items.query('SELECT * FROM c', { partitionKey: 'p1' }).fetchAll();
    expect(resources.map((r) => r['id']).sort()).toEqual(['a', 'b']); // Azure: ['a']
  });

  it('keeps an item after its time to live', async () => {
    const c = await container(-1);
    await c.items.create({ id: 'short', pk: 'p', ttl: 1 });
    // Azure deletes it (in the background) soon after one second; the server never does.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await exists(c, 'short', 'p')).toBe(true);
  });

  it('gives a change feed nothing new after a write', async () => {
    const c = await container();
    await c.items.create({ id: 'first', pk: 'p' });
    const feed = c.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Beginning() });
    const initial = await feed.readNext();
    expect(initial.result.map((r) => r['id'])).toEqual(['first']);
    await c.items.create({ id: 'second', pk: 'p' });
    const next = await feed.readNext();
    expect(next.result).toEqual([]); // Azure: ['second']
    expect(next.statusCode).toBe(304);
  });

  it('answers a read with IfNoneMatch of the current etag with the item, not 304', async () => {
    const c = await container();
    const { resource } = await c.items.create({ id: 'a', pk: 'p' });
    const again = await c.item('a', 'p').read({ accessCondition: { type: 'IfNoneMatch', condition: resource!._etag } });
    expect(again.statusCode).toBe(200); // Azure: 304
  });

  it('has no stored procedures', async () => {
    const c = await container();
    await expect(c.scripts.storedProcedures.create({ id: 'sp', body: 'function () {}' })).rejects.toMatchObject({
      code: 400,
    });
  });
});
