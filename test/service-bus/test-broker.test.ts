/**
 * The test broker itself (local only, never run against a real namespace): durability across a SIGKILL and
 * restart, the test-only knobs (stats, dead-letter listing, forced redelivery), and the wire details the SDK
 * depends on (lock token byte order, .NET ticks).
 */
import { ServiceBusClient } from '@azure/service-bus';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rhea from 'rhea';
import { spawnBroker, startBroker, type SpawnedBroker } from '../harness/service-bus';
import { deliveryTagToLockToken, lockTokenToDeliveryTag, toDotNetTicks } from '../harness/service-bus/amqp-codec';
import { parseBrokerArgs } from '../harness/service-bus/broker-main';

jest.setTimeout(30000);

describe('test broker: durability across a crash (SIGKILL) and restart', () => {
  let dir: string;
  let broker: SpawnedBroker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-broker-test-'));
    broker = await spawnBroker({
      dataFile: join(dir, 'broker.db'),
      queues: [{ name: 'jobs' }, { name: 'sessions', requiresSession: true }],
    });
  });

  afterAll(async () => {
    await broker.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing: queued, locked, scheduled and dead-lettered messages, session state, sequence numbers', async () => {
    const before = new ServiceBusClient(broker.connectionString);
    const sender = before.createSender('jobs');
    await sender.sendMessages(Array.from({ length: 30 }, (_, n) => ({ body: n, messageId: `job-${n}` })));
    const [scheduledSeq] = await sender.scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
    const receiver = before.createReceiver('jobs');
    const received = await receiver.receiveMessages(8, { maxWaitTimeInMs: 2000 });
    expect(received).toHaveLength(8);
    for (const message of received.slice(0, 5)) await receiver.completeMessage(message);
    await receiver.deadLetterMessage(received[5]!, { deadLetterReason: 'Rejected', deadLetterErrorDescription: 'bad' });
    // received[6] and [7] stay locked when the broker dies.
    const session = await before.acceptSession('sessions', 'w-1');
    await session.setSessionState({ cursor: 7 });
    await before.createSender('sessions').sendMessages({ body: 'in session', sessionId: 'w-1' });

    await broker.kill('SIGKILL');
    await before.close();
    await broker.restart();

    const after = new ServiceBusClient(broker.connectionString);
    const peeked = await after.createReceiver('jobs').peekMessages(100);
    const active = peeked.filter((m) => m.state === 'active');
    expect(active.map((m) => m.body)).toEqual([6, 7, ...Array.from({ length: 22 }, (_, n) => n + 8)]);
    expect(active.filter((m) => m.deliveryCount === 1).map((m) => m.body)).toEqual([6, 7]);
    expect(peeked.filter((m) => m.state === 'scheduled').map((m) => Number(m.sequenceNumber))).toEqual([
      Number(scheduledSeq),
    ]);
    const [dead] = await after.createReceiver('jobs', { subQueueType: 'deadLetter' }).peekMessages(5);
    expect([dead!.body, dead!.deadLetterReason]).toEqual([5, 'Rejected']);
    const resumed = await after.acceptSession('sessions', 'w-1');
    expect(await resumed.getSessionState()).toEqual({ cursor: 7 });
    expect((await resumed.peekMessages(5)).map((m) => m.body)).toEqual(['in session']);

    await after.createSender('jobs').sendMessages({ body: 'new' });
    const all = await after.createReceiver('jobs').peekMessages(100);
    const newest = all.find((m) => m.body === 'new')!;
    expect(Number(newest.sequenceNumber)).toBeGreaterThan(Math.max(...peeked.map((m) => Number(m.sequenceNumber))));
    await after.close();
  });
});

describe('test broker: test-only knobs', () => {
  it('redeliverEachMessage turns the first N-1 completes into abandons', async () => {
    const broker = await startBroker({ queues: [{ name: 'q' }], redeliverEachMessage: 3 });
    const client = new ServiceBusClient(broker.connectionString);
    await client.createSender('q').sendMessages({ body: 'thrice' });
    const receiver = client.createReceiver('q');
    const counts: number[] = [];
    for (;;) {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 });
      if (!message) break;
      counts.push(message.deliveryCount!);
      await receiver.completeMessage(message);
    }
    expect(counts).toEqual([0, 1, 2]);
    expect(broker.stats().q).toMatchObject({ active: 0, locked: 0, deadLettered: 0 });
    await client.close();
    await broker.close();
  });

  it('stats() counts per queue and deadLettered() lists reasons', async () => {
    const broker = await startBroker({
      queues: [
        { name: 'q', maxDeliveryCount: 1 },
        { name: 's', requiresSession: true },
      ],
    });
    const client = new ServiceBusClient(broker.connectionString);
    await client.createSender('q').sendMessages([{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    await client.createSender('q').scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
    await client.createSender('s').sendMessages({ body: 's', sessionId: 'one' });
    const receiver = client.createReceiver('q');
    const [a] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    await receiver.abandonMessage(a!);
    const [b] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
    await client.acceptSession('s', 'one');

    expect(broker.stats()).toEqual({
      q: { active: 1, locked: 1, deadLettered: 1, scheduled: 1, deferred: 0, sessionsLocked: 0 },
      s: { active: 1, locked: 0, deadLettered: 0, scheduled: 0, deferred: 0, sessionsLocked: 1 },
    });
    expect(broker.deadLettered()).toEqual([
      expect.objectContaining({ queue: 'q', body: 'a', deliveryCount: 1, reason: 'MaxDeliveryCountExceeded' }),
    ]);
    expect(b!.body).toBe('b');
    await client.close();
    await broker.close();
  });

  it('refuses a receiver on a queue that was not declared', async () => {
    const broker = await startBroker({ queues: [{ name: 'q' }] });
    const client = new ServiceBusClient(broker.connectionString, { retryOptions: { maxRetries: 0 } });
    await expect(client.createReceiver('missing').receiveMessages(1, { maxWaitTimeInMs: 500 })).rejects.toThrow(
      /missing/,
    );
    await client.close();
    await broker.close();
  });
});

describe('test broker: wire details', () => {
  it('sends the lock token as a delivery tag in .NET GUID byte order', () => {
    const token = '00112233-4455-6677-8899-aabbccddeeff';
    const tag = lockTokenToDeliveryTag(token);
    expect(tag.toString('hex')).toBe('33221100554477668899aabbccddeeff');
    expect(deliveryTagToLockToken(tag)).toBe(token);
  });

  it('writes lock expiry as .NET ticks (100 ns since 0001-01-01) in 8 big-endian bytes', () => {
    const typed = toDotNetTicks(Date.UTC(2024, 0, 1)) as { value: Buffer };
    expect(typed.value.readBigInt64BE()).toBe(638396640000000000n);
    expect(rhea.types.wrap_long(0)).toBeDefined();
  });

  it('parses the broker-main command line', () => {
    expect(
      parseBrokerArgs([
        '--port',
        '0',
        '--data',
        'x.db',
        '--queue',
        'a:session:1500:3',
        '--queue',
        'b:plain::',
        '--redeliver',
        '2',
      ]),
    ).toEqual({
      port: 0,
      dataFile: 'x.db',
      redeliverEachMessage: 2,
      queues: [
        { name: 'a', requiresSession: true, lockDurationMs: 1500, maxDeliveryCount: 3 },
        { name: 'b', requiresSession: false },
      ],
    });
  });
});
