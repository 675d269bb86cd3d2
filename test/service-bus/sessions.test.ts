/**
 * Service Bus session contract, written against the SDK only: FIFO within a session, exclusive session locks,
 * next available session, session state, and a session whose lock lapses going to another receiver.
 */
import type { ServiceBusSessionReceiver } from '@azure/service-bus';
import { openServiceBus, runTag, sleep, type ServiceBusTarget } from './service-bus-fixture';

jest.setTimeout(20000);

let bus: ServiceBusTarget;

beforeAll(async () => {
  bus = await openServiceBus([
    { name: 'ordered', requiresSession: true },
    { name: 'exclusive', requiresSession: true },
    { name: 'state', requiresSession: true },
    { name: 'expiring', requiresSession: true, lockDurationMs: 1500 },
    { name: 'closing', requiresSession: true },
  ]);
});

afterAll(async () => {
  await bus.close();
});

async function drainSession(receiver: ServiceBusSessionReceiver, count: number): Promise<unknown[]> {
  const bodies: unknown[] = [];
  while (bodies.length < count) {
    const batch = await receiver.receiveMessages(count - bodies.length, { maxWaitTimeInMs: 1000 });
    if (batch.length === 0) break;
    for (const message of batch) {
      bodies.push(message.body);
      await receiver.completeMessage(message);
    }
  }
  return bodies;
}

it('delivers the messages of a session in the order they were sent, interleaved sends notwithstanding', async () => {
  const client = bus.client();
  const [a, b] = [`a-${runTag()}`, `b-${runTag()}`];
  const sender = client.createSender(bus.queue('ordered'));
  for (let n = 1; n <= 5; n++) {
    await sender.sendMessages([
      { body: n, sessionId: a },
      { body: n * 10, sessionId: b },
    ]);
  }
  const receiverA = await client.acceptSession(bus.queue('ordered'), a);
  const receiverB = await client.acceptSession(bus.queue('ordered'), b);
  expect(await drainSession(receiverA, 5)).toEqual([1, 2, 3, 4, 5]);
  expect(await drainSession(receiverB, 5)).toEqual([10, 20, 30, 40, 50]);
});

it('locks a session for one receiver: a second accept fails with SessionCannotBeLocked until it closes', async () => {
  const client = bus.client();
  const sessionId = `x-${runTag()}`;
  await client.createSender(bus.queue('exclusive')).sendMessages({ body: 'only', sessionId });
  const holder = await client.acceptSession(bus.queue('exclusive'), sessionId);
  expect(holder.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());

  await expect(bus.client().acceptSession(bus.queue('exclusive'), sessionId)).rejects.toMatchObject({
    code: 'SessionCannotBeLocked',
  });
  await holder.close();
  const next = await bus.client().acceptSession(bus.queue('exclusive'), sessionId);
  expect(await drainSession(next, 1)).toEqual(['only']);
});

it('acceptNextSession takes an unlocked session with messages, and none is a timeout', async () => {
  const client = bus.client();
  const [first, second] = [`n1-${runTag()}`, `n2-${runTag()}`];
  await client.createSender(bus.queue('state')).sendMessages([
    { body: 'one', sessionId: first },
    { body: 'two', sessionId: second },
  ]);
  const taken = await client.acceptNextSession(bus.queue('state'));
  const other = await client.acceptNextSession(bus.queue('state'));
  expect(new Set([taken.sessionId, other.sessionId])).toEqual(new Set([first, second]));
  expect(await drainSession(taken, 1)).toHaveLength(1);
  expect(await drainSession(other, 1)).toHaveLength(1);
  await taken.close();
  await other.close();

  await expect(
    client.acceptNextSession(bus.queue('state'), { maxAutoLockRenewalDurationInMs: 0 }),
  ).rejects.toMatchObject({ code: 'ServiceTimeout' });
});

it('keeps session state across receivers and clears it when set to null', async () => {
  const client = bus.client();
  const sessionId = `s-${runTag()}`;
  const first = await client.acceptSession(bus.queue('state'), sessionId);
  expect(await first.getSessionState()).toBeNull();
  await first.setSessionState({ lastApplied: 41 });
  await first.close();

  const second = await client.acceptSession(bus.queue('state'), sessionId);
  expect(await second.getSessionState()).toEqual({ lastApplied: 41 });
  const renewedUntil = await second.renewSessionLock();
  expect(renewedUntil.getTime()).toBeGreaterThan(Date.now());
  await second.setSessionState(null);
  expect(await second.getSessionState()).toBeNull();
  await second.close();
});

it('a session lock not renewed in time goes to another receiver; the old holder gets SessionLockLost', async () => {
  const client = bus.client();
  const sessionId = `e-${runTag()}`;
  await client.createSender(bus.queue('expiring')).sendMessages({ body: 'handed over', sessionId });
  const stale = await client.acceptSession(bus.queue('expiring'), sessionId, { maxAutoLockRenewalDurationInMs: 0 });
  const [held] = await stale.receiveMessages(1, { maxWaitTimeInMs: 1000 });
  expect(held!.deliveryCount).toBe(0);

  await sleep(bus.lockDurationMs('expiring') + 500);
  const fresh = await bus.client().acceptSession(bus.queue('expiring'), sessionId);
  const [again] = await fresh.receiveMessages(1, { maxWaitTimeInMs: 1000 });
  expect(again!.body).toBe('handed over');
  expect(again!.deliveryCount).toBe(1);
  await expect(stale.completeMessage(held!)).rejects.toMatchObject({ code: 'SessionLockLost' });
  await fresh.completeMessage(again!);
});

it('a closed client connection releases its session and the un-settled messages in it', async () => {
  const sessionId = `c-${runTag()}`;
  const first = bus.client();
  await first.createSender(bus.queue('closing')).sendMessages([
    { body: 1, sessionId },
    { body: 2, sessionId },
  ]);
  const holder = await first.acceptSession(bus.queue('closing'), sessionId);
  expect((await holder.receiveMessages(2, { maxWaitTimeInMs: 1000 })).map((m) => m.body)).toEqual([1, 2]);
  await first.close();

  const next = await bus.client().acceptSession(bus.queue('closing'), sessionId);
  const again = await next.receiveMessages(2, { maxWaitTimeInMs: 1000 });
  expect(again.map((m) => [m.body, m.deliveryCount])).toEqual([
    [1, 1],
    [2, 1],
  ]);
  await Promise.all(again.map((m) => next.completeMessage(m)));
});

it('streams a session to subscribe() in order and auto-completes each message', async () => {
  const client = bus.client();
  const sessionId = `sub-${runTag()}`;
  await client
    .createSender(bus.queue('ordered'))
    .sendMessages(Array.from({ length: 6 }, (_, n) => ({ body: n, sessionId })));
  const receiver = await client.acceptSession(bus.queue('ordered'), sessionId);
  const bodies: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const subscription = receiver.subscribe(
      {
        processMessage: async (message) => {
          bodies.push(message.body);
          if (bodies.length === 6) void subscription.close().then(resolve, reject);
        },
        processError: async ({ error }) => reject(error),
      },
      { autoCompleteMessages: true },
    );
  });
  expect(bodies).toEqual([0, 1, 2, 3, 4, 5]);
  await receiver.close();
  const again = await client.acceptSession(bus.queue('ordered'), sessionId);
  expect(await again.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
});
