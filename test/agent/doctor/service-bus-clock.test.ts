/**
 * The doctor's clock check against Service Bus when the broker stamps a scheduled probe with its
 * scheduled time (so the probe tells nothing of its clock): the namespace's HTTPS Date header is read
 * instead — the same front end the WebSockets transport talks to.
 */
import { ServiceBusClient } from '@azure/service-bus';
import WebSocket from 'ws';
import { checkSendAndClock } from '../../../agent/doctor/service-bus-checks';
import { startBroker, type RunningBroker } from '../../harness/service-bus';

let broker: RunningBroker;
let client: ServiceBusClient;
const settings = {
  connection: { connectionString: { value: 'unused' } },
  commandsQueue: 'hr2ad-commands',
  resultsQueue: 'hr2ad-results',
  transport: 'websockets' as const,
};

beforeAll(async () => {
  broker = await startBroker({ queues: [{ name: 'hr2ad-results' }], wsPort: 0 });
  client = new ServiceBusClient(broker.wsConnectionString!, {
    webSocketOptions: { webSocket: WebSocket, webSocketConstructorOptions: { ca: broker.certPem } },
  });
});
afterAll(async () => {
  await client.close();
  await broker.close();
});

const endpoint = () => ({ host: '127.0.0.1', port: broker.wsPort!, ca: broker.certPem! });

it('measures the skew from the HTTPS Date header: in step', async () => {
  const [send, clock] = await checkSendAndClock(client, settings, () => new Date(), endpoint());
  expect(send?.verdict).toBe('PASS');
  expect(clock).toMatchObject({ verdict: 'PASS', detail: expect.stringContaining('HTTPS Date') });
});

it('fails a clock ten minutes ahead, with the remedy', async () => {
  const ahead = () => new Date(Date.now() + 600_000);
  const [, clock] = await checkSendAndClock(client, settings, ahead, endpoint());
  expect(clock).toMatchObject({
    verdict: 'FAIL',
    detail: expect.stringMatching(/^\d+ s ahead of/),
    remedy: expect.stringContaining('NTP'),
  });
});

it('says why it could not measure when the HTTPS endpoint does not answer', async () => {
  const [, clock] = await checkSendAndClock(client, settings, () => new Date(), { host: '127.0.0.1', port: 1 });
  expect(clock).toMatchObject({ verdict: 'SKIP', detail: expect.stringContaining('HTTPS Date: https://127.0.0.1:1') });
});
