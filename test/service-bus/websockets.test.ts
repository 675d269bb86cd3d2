/**
 * AMQP over WebSockets (wss, port from the endpoint, path /$servicebus/websocket): the client options an agent
 * limited to outbound 443 uses. Locally the broker's self-signed certificate is trusted through `ca`.
 */
import { ServiceBusClient } from '@azure/service-bus';
import WebSocket from 'ws';
import { startBroker, type RunningBroker } from '../harness/service-bus';

jest.setTimeout(20000);

let broker: RunningBroker | undefined;
let client: ServiceBusClient;
const remote = process.env.HR2AD_TEST_SERVICE_BUS_CONNECTION_STRING;
const queue = remote ? `${process.env.HR2AD_TEST_SERVICE_BUS_QUEUE_PREFIX ?? ''}basic` : 'over-websockets';

beforeAll(async () => {
  broker = remote ? undefined : await startBroker({ queues: [{ name: queue }], wsPort: 0 });
  const connectionString = remote ?? broker!.wsConnectionString!;
  client = new ServiceBusClient(connectionString, {
    webSocketOptions: {
      webSocket: WebSocket,
      webSocketConstructorOptions: broker ? { ca: broker.certPem } : {},
    },
  });
});

afterAll(async () => {
  await client.close();
  await broker?.close();
});

it('sends, receives and settles over wss', async () => {
  await client.createSender(queue).sendMessages({ body: { via: 'websocket' }, messageId: 'ws-1' });
  const receiver = client.createReceiver(queue);
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
  expect(message!.messageId).toBe('ws-1');
  expect(message!.body).toEqual({ via: 'websocket' });
  await receiver.completeMessage(message!);
  expect(await receiver.peekMessages(1)).toEqual([]);
});

// Only the local broker's certificate is self-signed; a real namespace's is publicly trusted.
if (!remote) {
  describe('with the local broker', () => {
    it('refuses a client that does not trust the broker certificate', async () => {
      const untrusting = new ServiceBusClient(broker!.wsConnectionString!, {
        webSocketOptions: { webSocket: WebSocket },
        retryOptions: { maxRetries: 0, timeoutInMs: 3000 },
      });
      await expect(untrusting.createSender(queue).sendMessages({ body: 'never' })).rejects.toThrow();
      await untrusting.close();
    });
  });
}
