/**
 * How a Cosmos DB store reaches its account, shared by the state store and the ingest store: a client the
 * caller owns, or one made from an endpoint with a key (the test server) or a Microsoft Entra credential.
 */
import { CosmosClient, type CosmosClientOptions } from '@azure/cosmos';
import type { TokenCredential } from '@azure/core-auth';

export interface CosmosConnection {
  /** A client to use (the caller keeps and disposes it); else one is made from `endpoint` + `key`/`credential`. */
  readonly client?: CosmosClient;
  readonly endpoint?: string;
  readonly key?: string;
  readonly credential?: TokenCredential;
  /** Extra client options (an https agent, an http client) when the store makes the client. */
  readonly clientOptions?: Partial<CosmosClientOptions>;
}

/** A new client from the connection's endpoint; `store` names the store in the error when there is none. */
export function makeCosmosClient(connection: CosmosConnection, store: string): CosmosClient {
  if (!connection.endpoint) throw new Error(`Cosmos DB ${store}: an endpoint (or a client) is required`);
  const auth = connection.credential ? { aadCredentials: connection.credential } : { key: connection.key };
  return new CosmosClient({ ...connection.clientOptions, endpoint: connection.endpoint, ...auth });
}
