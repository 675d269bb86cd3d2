/**
 * Service Bus queue contract, written against the SDK only: send (single, array, batch), peek-lock receive,
 * complete, abandon, dead-letter, max delivery count, lock renewal and loss, receive-and-delete, peek,
 * scheduling, and locks given back when a client connection closes.
 */
import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { openServiceBus, runTag, sleep, type ServiceBusTarget } from './service-bus-fixture';

jest.setTimeout(20000);

let bus: ServiceBusTarget;

beforeAll(async () => {
  bus = await openServiceBus([
    { name: 'basic' },
    { name: 'settle', maxDeliveryCount: 10 },
    { name: 'poison', maxDeliveryCount: 3 },
    { name: 'locks', lockDurationMs: 1500 },
    { name: 'handover', lockDurationMs: 60000 },
    { name: 'drain' },
    { name: 'stream' },
  ]);
});

afterAll(async () => {
  await bus.close();
});

async function receiveAll(receiver: ServiceBusReceiver, count: number): Promise<ServiceBusReceivedMessage[]> {
  const got: ServiceBusReceivedMessage[] = [];
  while (got.length < count) {
    const batch = await receiver.receiveMessages(count - got.length, { maxWaitTimeInMs: 2000 });
    if (batch.length === 0) break;
    got.push(...batch);
  }
  return got;
}

describe('sending and receiving', () => {
  it('delivers single, array and batch sends in order with ids, sequence numbers and enqueue times', async () => {
    const client = bus.client();
    const sender = client.createSender(bus.queue('basic'));
    const tag = runTag();
    await sender.sendMessages({ body: { n: 1, tag }, messageId: `${tag}-1` });
    await sender.sendMessages([{ body: { n: 2, tag } }, { body: { n: 3, tag } }]);
    const batch = await sender.createMessageBatch();
    expect(batch.tryAddMessage({ body: { n: 4, tag } })).toBe(true);
    expect(batch.tryAddMessage({ body: { n: 5, tag }, applicationProperties: { kind: 'batched' } })).toBe(true);
    await sender.sendMessages(batch);

    const receiver = client.createReceiver(bus.queue('basic'), { receiveMode: 'receiveAndDelete' });
    const got = await receiveAll(receiver, 5);

    expect(got.map((m) => (m.body as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    expect(got[0]!.messageId).toBe(`${tag}-1`);
    expect(got.every((m) => typeof m.messageId === 'string' && m.messageId !== '')).toBe(true);
    expect(got[4]!.applicationProperties).toEqual({ kind: 'batched' });
    const sequence = got.map((m) => Number(m.sequenceNumber));
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
    expect(new Set(sequence).size).toBe(5);
    expect(got.every((m) => m.enqueuedTimeUtc instanceof Date)).toBe(true);
  });

  it('peeks without locking or removing', async () => {
    const client = bus.client();
    await client.createSender(bus.queue('drain')).sendMessages([{ body: 'p1' }, { body: 'p2' }]);
    const receiver = client.createReceiver(bus.queue('drain'));
    const peeked = await receiver.peekMessages(10);
    expect(peeked.map((m) => m.body)).toEqual(['p1', 'p2']);
    expect(peeked.every((m) => m.lockToken === undefined)).toBe(true);
    const received = await receiveAll(receiver, 2);
    expect(received.map((m) => m.body)).toEqual(['p1', 'p2']);
    await Promise.all(received.map((m) => receiver.completeMessage(m)));
  });

  it('holds a scheduled message until its time and can cancel another', async () => {
    const client = bus.client();
    const sender = client.createSender(bus.queue('drain'));
    const soon = new Date(Date.now() + 800);
    const [kept] = await sender.scheduleMessages({ body: 'kept' }, soon);
    const [cancelled] = await sender.scheduleMessages({ body: 'cancelled' }, soon);
    await sender.cancelScheduledMessages(cancelled!);
    const receiver = client.createReceiver(bus.queue('drain'), { receiveMode: 'receiveAndDelete' });
    const got = await receiveAll(receiver, 1);
    expect(got.map((m) => m.body)).toEqual(['kept']);
    expect(Number(got[0]!.sequenceNumber)).toBe(Number(kept));
    expect(got[0]!.enqueuedTimeUtc!.getTime()).toBeGreaterThanOrEqual(soon.getTime() - 1);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 })).toEqual([]);
  });
});

describe('settlement', () => {
  it('complete removes the message; abandon brings it back with delivery count + 1', async () => {
    const client = bus.client();
    await client.createSender(bus.queue('settle')).sendMessages([{ body: 'done' }, { body: 'again' }]);
    const receiver = client.createReceiver(bus.queue('settle'));
    const [done, again] = await receiveAll(receiver, 2);
    expect([done!.deliveryCount, again!.deliveryCount]).toEqual([0, 0]);
    await receiver.completeMessage(done!);
    await receiver.abandonMessage(again!);

    const [redelivered] = await receiveAll(receiver, 1);
    expect(redelivered!.body).toBe('again');
    expect(redelivered!.deliveryCount).toBe(1);
    await receiver.completeMessage(redelivered!);
    expect(await receiver.peekMessages(5)).toEqual([]);
  });

  it('dead-letters with reason and description, readable on the dead-letter queue', async () => {
    const client = bus.client();
    await client.createSender(bus.queue('settle')).sendMessages({ body: { bad: true }, messageId: 'dl-1' });
    const receiver = client.createReceiver(bus.queue('settle'));
    const [message] = await receiveAll(receiver, 1);
    await receiver.deadLetterMessage(message!, {
      deadLetterReason: 'ValidationFailed',
      deadLetterErrorDescription: 'field email is missing',
    });

    const dlq = client.createReceiver(bus.queue('settle'), { subQueueType: 'deadLetter' });
    const [dead] = await receiveAll(dlq, 1);
    expect(dead!.messageId).toBe('dl-1');
    expect(dead!.body).toEqual({ bad: true });
    expect(dead!.deadLetterReason).toBe('ValidationFailed');
    expect(dead!.deadLetterErrorDescription).toBe('field email is missing');
    await dlq.completeMessage(dead!);
  });

  it('moves a message to the dead-letter queue after maxDeliveryCount abandons', async () => {
    const client = bus.client();
    await client.createSender(bus.queue('poison')).sendMessages({ body: 'poison' });
    const receiver = client.createReceiver(bus.queue('poison'));
    const counts: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const [message] = await receiveAll(receiver, 1);
      counts.push(message!.deliveryCount!);
      await receiver.abandonMessage(message!);
    }
    expect(counts).toEqual([0, 1, 2]);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 })).toEqual([]);

    const [dead] = await receiveAll(client.createReceiver(bus.queue('poison'), { subQueueType: 'deadLetter' }), 1);
    expect(dead!.body).toBe('poison');
    expect(dead!.deadLetterReason).toBe('MaxDeliveryCountExceeded');
  });
});

describe('message locks', () => {
  it('a renewed lock outlives the original lock duration', async () => {
    const client = bus.client();
    const lockMs = bus.lockDurationMs('locks');
    await client.createSender(bus.queue('locks')).sendMessages({ body: 'renewed' });
    const receiver = client.createReceiver(bus.queue('locks'), { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiveAll(receiver, 1);
    const firstLock = message!.lockedUntilUtc!.getTime();
    await sleep(lockMs / 2);
    const renewed = await receiver.renewMessageLock(message!);
    expect(renewed.getTime()).toBeGreaterThan(firstLock);
    await sleep(lockMs / 2 + 300);
    await expect(receiver.completeMessage(message!)).resolves.toBeUndefined();
  });

  it('settling after the lock expired fails with MessageLockLost and the message comes back counted', async () => {
    const client = bus.client();
    const lockMs = bus.lockDurationMs('locks');
    await client.createSender(bus.queue('locks')).sendMessages({ body: 'expired' });
    const receiver = client.createReceiver(bus.queue('locks'), { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiveAll(receiver, 1);
    await sleep(lockMs + 500);
    await expect(receiver.completeMessage(message!)).rejects.toMatchObject({ code: 'MessageLockLost' });
    await expect(receiver.renewMessageLock(message!)).rejects.toMatchObject({ code: 'MessageLockLost' });

    const [again] = await receiveAll(receiver, 1);
    expect(again!.body).toBe('expired');
    expect(again!.deliveryCount).toBe(1);
    await receiver.completeMessage(again!);
  });

  it('a closed client connection gives its locked messages to another client', async () => {
    const first = bus.client();
    await first.createSender(bus.queue('handover')).sendMessages({ body: 'orphan' });
    const [held] = await receiveAll(first.createReceiver(bus.queue('handover')), 1);
    expect(held!.body).toBe('orphan');
    await first.close();

    const second = bus.client().createReceiver(bus.queue('handover'));
    const [again] = await receiveAll(second, 1);
    expect(again!.body).toBe('orphan');
    expect(again!.deliveryCount).toBe(1);
    await second.completeMessage(again!);
  });
});

describe('a long-lived receiver', () => {
  it('keeps receiving and completing past 2,048 messages on one link', async () => {
    const client = bus.client();
    const sender = client.createSender(bus.queue('stream'));
    const total = 2_200;
    let received = 0;
    const receiver = client.createReceiver(bus.queue('stream'));
    receiver.subscribe(
      { processMessage: async () => void received++, processError: async () => undefined },
      { autoCompleteMessages: true, maxConcurrentCalls: 4 },
    );
    for (let start = 0; start < total; start += 200) {
      await sender.sendMessages(Array.from({ length: 200 }, (_, i) => ({ body: { n: start + i } })));
    }
    const deadline = Date.now() + 15_000;
    while (received < total && Date.now() < deadline) await sleep(100);
    await receiver.close();
    expect(received).toBe(total);
  });
});
