/**
 * The Cosmos DB test server (`@vercel/cosmosdb-server`) in-process on a free port, with real
 * `@azure/cosmos` clients pointed at it. Plain HTTP: the SDK allows it for an `http:` endpoint, and the
 * server's TLS adds nothing the tests check. Each client can carry an `HttpClient` wrapper, which is how
 * tests count requests or inject a crash.
 */
import type { AddressInfo } from 'node:net';
import { CosmosClient } from '@azure/cosmos';
import { createDefaultHttpClient, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** Any base64 key: the server does not check authorization. */
const KEY = 'bG9jYWwtdGVzdC1rZXk=';

export interface CosmosTestServer {
  readonly endpoint: string;
  /** A client of this server, its requests through `wrap` when given. */
  client(wrap?: (inner: HttpClient) => HttpClient): CosmosClient;
  close(): Promise<void>;
}

export async function startCosmosServer(): Promise<CosmosTestServer> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: CosmosClient[] = [];
  return {
    endpoint,
    client(wrap) {
      const inner = createDefaultHttpClient();
      const client = new CosmosClient({
        endpoint,
        key: KEY,
        connectionPolicy: { enableEndpointDiscovery: false },
        httpClient: wrap ? wrap(inner) : inner,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** What a request does to documents: a write (create, upsert, replace, patch, delete), a read, or a query. */
export function requestKind(request: PipelineRequest): 'write' | 'read' | 'query' | 'other' {
  const path = new URL(request.url).pathname;
  if (!/\/docs(\/|$)/.test(path)) return 'other';
  if (
    request.headers.get('x-ms-documentdb-isquery') === 'true' ||
    request.headers.get('x-ms-cosmos-is-query-plan-request')
  )
    return 'query';
  if (request.method === 'GET') return 'read';
  return 'write';
}

/** Counts requests by kind (and the request charge the server reports). */
export class RequestCounter {
  readonly counts = { write: 0, read: 0, query: 0, other: 0 };
  /** The partition key header of each query request (undefined: cross-partition or a query plan). */
  readonly queryPartitions: (string | undefined)[] = [];
  charge = 0;

  wrap = (inner: HttpClient): HttpClient => ({
    sendRequest: async (request) => {
      const kind = requestKind(request);
      this.counts[kind] += 1;
      if (kind === 'query') this.queryPartitions.push(request.headers.get('x-ms-documentdb-partitionkey'));
      const response = await inner.sendRequest(request);
      this.charge += Number(response.headers.get('x-ms-request-charge') ?? 0);
      return response;
    },
  });

  get total(): number {
    return this.counts.write + this.counts.read + this.counts.query + this.counts.other;
  }

  reset(): void {
    this.counts.write = this.counts.read = this.counts.query = this.counts.other = 0;
    this.charge = 0;
    this.queryPartitions.length = 0;
  }
}

/** A simulated process crash: thrown by every request once the crash point is passed. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/**
 * Lets `writesBeforeCrash` document writes through, then fails every request (the process is gone).
 * Unarmed (`null`), it lets everything through and counts writes.
 */
export class CrashAfterWrites {
  writes = 0;
  crashed = false;
  constructor(public writesBeforeCrash: number | null = null) {}

  wrap = (inner: HttpClient): HttpClient => ({
    sendRequest: async (request) => {
      if (this.crashed) throw new SimulatedCrash('the store crashed');
      if (requestKind(request) === 'write') {
        if (this.writesBeforeCrash !== null && this.writes >= this.writesBeforeCrash) {
          this.crashed = true;
          throw new SimulatedCrash(`crash after write ${this.writes}`);
        }
        this.writes += 1;
      }
      return inner.sendRequest(request);
    },
  });
}
