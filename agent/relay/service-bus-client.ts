/**
 * The agent's Service Bus client, as its relay settings say: a connection string (SAS) or a namespace
 * reached with a Microsoft Entra credential; AMQP over TLS on 5671, or AMQP over WebSockets on 443 for
 * networks that allow only HTTPS out (optionally through an HTTPS proxy). Outbound connections only.
 */
import type { TokenCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusClientOptions } from '@azure/service-bus';
import type WebSocket from 'ws';
import type { RelaySettings } from '../config/agent-config';
import { readSecret, type SecretReaders } from '../config/read-secret';

type ServiceBusSettings = RelaySettings['serviceBus'];

function webSocketOptions(settings: ServiceBusSettings, readers: SecretReaders): ServiceBusClientOptions {
  if (settings.transport !== 'websockets') return {};
  // Loaded only for this transport (and the proxy agent only with a proxy): an AMQP agent does without them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webSocket = require('ws') as typeof WebSocket;
  const constructorOptions: WebSocket.ClientOptions = {
    ...(settings.caFile ? { ca: readers.readFile(settings.caFile) } : {}),
    ...(settings.proxy ? { agent: proxyAgent(settings.proxy) } : {}),
  };
  return { webSocketOptions: { webSocket, webSocketConstructorOptions: constructorOptions } };
}

function proxyAgent(proxy: string): WebSocket.ClientOptions['agent'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HttpsProxyAgent } = require('https-proxy-agent') as typeof import('https-proxy-agent');
  return new HttpsProxyAgent(proxy);
}

function credentialFor(
  connection: Extract<ServiceBusSettings['connection'], { namespace: string }>,
  readers: SecretReaders,
): TokenCredential {
  // Loaded only for a namespace: an agent on a connection string does without its memory (about 5 MB).
  const { ClientSecretCredential, DefaultAzureCredential } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@azure/identity') as typeof import('@azure/identity');
  const principal = connection.clientSecret;
  if (!principal) return new DefaultAzureCredential();
  const secret = readSecret(principal.secret, 'relay.serviceBus.connection.clientSecret.secret', readers);
  return new ClientSecretCredential(principal.tenantId, principal.clientId, secret);
}

/** A client for the configured namespace; nothing is dialled until a sender or receiver is used. */
export function createServiceBusClient(settings: ServiceBusSettings, readers: SecretReaders): ServiceBusClient {
  const options: ServiceBusClientOptions = {
    ...webSocketOptions(settings, readers),
    retryOptions: { maxRetries: 5, retryDelayInMs: 500, maxRetryDelayInMs: 10_000 },
  };
  const connection = settings.connection;
  if ('connectionString' in connection) {
    const text = readSecret(connection.connectionString, 'relay.serviceBus.connection.connectionString', readers);
    return new ServiceBusClient(text, options);
  }
  return new ServiceBusClient(connection.namespace, credentialFor(connection, readers), options);
}
