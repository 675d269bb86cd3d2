/**
 * The agent's session receivers over the test broker with the real SDK, with an applier standing in for
 * the directory: many workers served at once and each worker's commands in order; a worker whose
 * commands keep failing is retried, then dead-lettered and reported, without holding up the others;
 * and the same over AMQP on WebSockets, as an agent allowed only HTTPS out connects.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../agent/logging/silent-logger';
import { CommandGuard } from '../../../agent/relay/command-guard';
import { CommandHandler } from '../../../agent/relay/command-handler';
import { CommandJournal } from '../../../agent/relay/command-journal';
import { RelayCounters } from '../../../agent/relay/relay-counters';
import { ResultPublisher } from '../../../agent/relay/result-publisher';
import { createServiceBusClient } from '../../../agent/relay/service-bus-client';
import { SessionPump } from '../../../agent/relay/session-pump';
import { SignatureVerifier } from '../../../agent/relay/signature-verifier';
import type { DirectoryCommand } from '../../../shared/protocol/commands';
import type { CommandResult } from '../../../shared/protocol/results';
import { upsertFor } from '../../harness/commands';
import { CommandDriver, InMemorySigner } from '../../harness/relay/command-driver';
import { startBroker, type RunningBroker } from '../../harness/service-bus';

jest.setTimeout(60_000);

const POISONED = 'test:P0001';
const signer = new InMemorySigner();
let dir: string;

beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'pump-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Applies by recording the order per worker; the poisoned worker's commands always fail for now. */
function recordingApplier(applied: Map<string, number[]>) {
  return {
    apply: async (command: DirectoryCommand): Promise<CommandResult> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const envelope = { commandId: command.commandId, workerKey: command.workerKey, sequence: command.sequence };
      if (command.workerKey === POISONED) {
        return { kind: 'Failed', ...envelope, code: 'DirectoryBusy', retryable: true, message: 'busy' };
      }
      applied.set(command.workerKey, [...(applied.get(command.workerKey) ?? []), command.sequence]);
      return { kind: 'NoChange', ...envelope, pending: [] };
    },
  };
}

async function runAgent(broker: RunningBroker, connectionString: string, transport: 'amqp' | 'websockets') {
  const caFile = join(dir, `${transport}-ca.pem`);
  writeFileSync(caFile, broker.certPem ?? '');
  const client = createServiceBusClient(
    {
      connection: { connectionString: { value: connectionString } },
      commandsQueue: 'hr2ad-commands',
      resultsQueue: 'hr2ad-results',
      transport,
      ...(transport === 'websockets' ? { caFile } : {}),
    },
    { readFile: (path) => readFileSync(path, 'utf8'), env: {} },
  );
  const journal = CommandJournal.open(join(dir, `${transport}-journal.db`));
  const applied = new Map<string, number[]>();
  const counters = new RelayCounters();
  const handler = new CommandHandler({
    agentId: `pump-${transport}`,
    guard: new CommandGuard({ verifier: new SignatureVerifier([signer.pin]), journal }),
    applier: recordingApplier(applied),
    journal,
    publisher: new ResultPublisher(client.createSender('hr2ad-results')),
    counters,
    logger: silentLogger,
    now: () => new Date(),
    maxDeliveries: 3,
    retryBackoff: { firstMs: 50, maxMs: 100 },
  });
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const pumps = [1, 2, 3, 4].map(
    () =>
      new SessionPump({ client, queue: 'hr2ad-commands', handler, counters, logger: silentLogger, idleMs: 200, sleep }),
  );
  pumps.forEach((pump) => pump.start());
  return {
    applied,
    counters,
    stop: async () => {
      await Promise.all(pumps.map((pump) => pump.stop()));
      await client.close();
      journal.close();
    },
  };
}

describe.each(['amqp', 'websockets'] as const)('session receivers over %s', (transport) => {
  let broker: RunningBroker;
  let driver: CommandDriver;

  beforeAll(async () => {
    broker = await startBroker({
      queues: [{ name: 'hr2ad-commands', requiresSession: true, maxDeliveryCount: 10 }, { name: 'hr2ad-results' }],
      wsPort: 0,
    });
    driver = new CommandDriver({ connectionString: broker.connectionString, signer });
  });
  afterAll(async () => {
    await driver.close();
    await broker.close();
  });

  it('serves many workers at once, each in order; a poisoned worker is dead-lettered without blocking the others', async () => {
    const connection = transport === 'amqp' ? broker.connectionString : broker.wsConnectionString!;
    const agent = await runAgent(broker, connection, transport);
    try {
      const workers = Array.from({ length: 40 }, (_, i) => `W${String(i).padStart(4, '0')}`);
      const ou = 'OU=Staff,DC=corp,DC=example,DC=test';
      const commands = workers.flatMap((id) =>
        [1, 2, 3].map((n) => upsertFor({ id, given: `G${n}`, family: 'Worker', ou })),
      );
      const poisoned = { ...upsertFor({ id: 'P0001', given: 'Poi', family: 'Son', ou }), workerKey: POISONED };
      await driver.send([poisoned, ...commands]);
      await driver.waitForResults(
        [...commands, poisoned].map((c) => c.commandId),
        45_000,
      );

      for (const id of workers) {
        const sent = commands.filter((c) => c.workerKey === `test:${id}`).map((c) => c.sequence);
        expect(agent.applied.get(`test:${id}`)).toEqual(sent);
      }
      expect(driver.firstResult(poisoned.commandId)).toMatchObject({
        kind: 'Failed',
        code: 'DeliveryExhausted',
        retryable: false,
        message: expect.stringContaining('failed on 3 deliveries'),
      });
      const dead = broker.deadLettered('hr2ad-commands');
      expect(dead).toEqual([
        expect.objectContaining({ sessionId: POISONED, reason: 'DeliveryExhausted', deliveryCount: 2 }),
      ]);
      expect(agent.counters.deadLettered).toBe(1);
    } finally {
      await agent.stop();
    }
  });
});
