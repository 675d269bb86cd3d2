/**
 * The Cosmos DB containers of the state store, each partitioned for how it is read:
 *
 * | container | partition key | holds | read by |
 * |---|---|---|---|
 * | `workers` | `/workerKey` | state, link, command outcomes | point reads (state, link); one-partition query (outcomes) |
 * | `audit`   | `/workerKey` | audit entries (item `ttl` from the retention setting) | one-partition query per worker, cross-partition for the whole log |
 * | `cycles`  | `/cycleId`   | the cycle record with its commit intent, worker outcomes (plans), intent pages | point read (record); one-partition query (hand-on) |
 * | `sources` | `/sourceId`  | cursor + quarantine pointer in one document, quarantine pages | point reads |
 * | `agents`  | `/agentId`   | agent record, one marker per counted refusal | point reads |
 *
 * Cycles are partitioned by cycle, not by source: a source's partition would grow by a cycle's worth of
 * plans every cycle (10,000 workers ≈ 30 MB) towards the 20 GB logical-partition limit, while one cycle's
 * plans stay small, are written and paged together, and `getCycle(cycleId)` stays a point read without
 * knowing the source. What must move together for a source (its cursor and quarantine) is one document.
 */
import type { Container, ContainerDefinition, CosmosClient, Database } from '@azure/cosmos';

export interface StoreContainers {
  readonly workers: Container;
  readonly audit: Container;
  readonly cycles: Container;
  readonly sources: Container;
  readonly agents: Container;
}

const ascending = (...paths: string[]) => paths.map((path) => ({ path, order: 'ascending' as const }));
const descending = (...paths: string[]) => paths.map((path) => ({ path, order: 'descending' as const }));

/** Multi-property ORDER BY needs a composite index per order, in Cosmos DB as in the test server. */
const DEFINITIONS: Record<keyof StoreContainers, ContainerDefinition> = {
  workers: {
    id: 'workers',
    partitionKey: { paths: ['/workerKey'] },
    indexingPolicy: { compositeIndexes: [descending('/atMs', '/seq')] },
  },
  audit: {
    id: 'audit',
    partitionKey: { paths: ['/workerKey'] },
    // -1: time to live is on, and each entry carries its own `ttl` (the retention setting when written).
    defaultTtl: -1,
    indexingPolicy: { compositeIndexes: [ascending('/atMs', '/seq', '/id')] },
  },
  cycles: {
    id: 'cycles',
    partitionKey: { paths: ['/cycleId'] },
    indexingPolicy: { compositeIndexes: [descending('/startedMs', '/cycleId')] },
  },
  sources: { id: 'sources', partitionKey: { paths: ['/sourceId'] } },
  agents: { id: 'agents', partitionKey: { paths: ['/agentId'] } },
};

/** Creates the database and the containers when missing, and returns the containers. */
export async function ensureContainers(client: CosmosClient, databaseId: string): Promise<StoreContainers> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const ensure = async (name: keyof StoreContainers): Promise<Container> =>
    (await database.containers.createIfNotExists(DEFINITIONS[name])).container;
  const [workers, audit, cycles, sources, agents] = await Promise.all(
    (['workers', 'audit', 'cycles', 'sources', 'agents'] as const).map(ensure),
  );
  return { workers: workers!, audit: audit!, cycles: cycles!, sources: sources!, agents: agents! };
}

/** The containers of an existing database, without a request (for a store opened with `ensure: false`). */
export function existingContainers(database: Database): StoreContainers {
  const c = (name: keyof StoreContainers) => database.container(DEFINITIONS[name].id!);
  return { workers: c('workers'), audit: c('audit'), cycles: c('cycles'), sources: c('sources'), agents: c('agents') };
}
