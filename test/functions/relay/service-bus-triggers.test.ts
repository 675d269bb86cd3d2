/**
 * The local host's Service Bus trigger runner against the test broker: each message goes to its function
 * with the properties the extension passes; a function that returns completes the message, one that
 * throws abandons it, so it comes again (delivery count + 1) and, past the queue's max delivery count,
 * is dead-lettered. A missing connection setting fails the start.
 */
import { ServiceBusClient } from '@azure/service-bus';
import { silentLogger } from '../../../agent/logging/silent-logger';
import type { ServiceBusTriggerMessage } from '../../../functions/local-host/functions-host/rpc-data';
import { ServiceBusTriggers } from '../../../functions/local-host/functions-host/service-bus-triggers';
import { startBroker } from '../../harness/service-bus/broker';

jest.setTimeout(20_000);

let broker: Awaited<ReturnType<typeof startBroker>>;
beforeAll(async () => {
  broker = await startBroker({ queues: [{ name: 'results', maxDeliveryCount: 2 }] });
});
afterAll(() => broker.close());

/** Resolves once `count` calls were seen. */
function calls(count: number, behave: (m: ServiceBusTriggerMessage) => void) {
  const seen: ServiceBusTriggerMessage[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => (done = resolve));
  const invoke = async (_name: string, message: ServiceBusTriggerMessage) => {
    seen.push(message);
    if (seen.length >= count) done();
    behave(message);
  };
  return { seen, all, invoke };
}

async function send(body: unknown, messageId: string): Promise<void> {
  const client = new ServiceBusClient(broker.connectionString);
  await client.createSender('results').sendMessages({ body, messageId, applicationProperties: { kind: 'test' } });
  await client.close();
}

function runner(invoke: (name: string, m: ServiceBusTriggerMessage) => Promise<void>) {
  return new ServiceBusTriggers({
    functions: [{ name: 'CommandResults', queueName: 'results', connection: 'ServiceBusConnection' }],
    invoke,
    settings: { ServiceBusConnection: broker.connectionString },
    logger: silentLogger,
  });
}

it('abandons a message whose function threw, and completes it when the function then returns', async () => {
  const { seen, all, invoke } = calls(2, (m) => {
    if (m.deliveryCount === 0) throw new Error('store busy');
  });
  const triggers = runner(invoke);
  triggers.start();
  await send({ hello: 1 }, 'm-retry');
  await all;
  await triggers.stop();
  expect(seen.map((m) => [m.messageId, m.deliveryCount, m.body])).toEqual([
    ['m-retry', 0, { hello: 1 }],
    ['m-retry', 1, { hello: 1 }],
  ]);
  expect(seen[0]?.applicationProperties).toEqual({ kind: 'test' });
  expect(seen[0]?.enqueuedTimeUtc).toBeInstanceOf(Date);
  expect(broker.stats()['results']).toEqual(expect.objectContaining({ active: 0, locked: 0, deadLettered: 0 }));
});

it('dead-letters a message whose function keeps throwing, past the max delivery count', async () => {
  const { all, invoke } = calls(2, () => {
    throw new Error('always');
  });
  const triggers = runner(invoke);
  triggers.start();
  await send('poison', 'm-poison');
  await all;
  await triggers.stop();
  expect(broker.stats()['results']).toEqual(expect.objectContaining({ active: 0, deadLettered: 1 }));
});

it('refuses to start when the connection setting is missing, naming it', () => {
  const triggers = new ServiceBusTriggers({
    functions: [{ name: 'CommandResults', queueName: 'results', connection: 'ServiceBusConnection' }],
    invoke: async () => {},
    settings: {},
    logger: silentLogger,
  });
  expect(() => triggers.start()).toThrow('app setting ServiceBusConnection');
});
