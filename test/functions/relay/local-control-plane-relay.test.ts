/**
 * The local control plane with `channel.kind = serviceBus`, against the test broker: no embedded agent;
 * commands leave signed on the commands queue, and the host's results trigger reads the results queue.
 * The test plays a minimal agent with the SDK (accept a worker's session, verify, apply to an in-memory
 * AD with the real applier, reply a CommandResult), and sends heartbeats, refusals and garbage itself.
 */
jest.mock(
  '@azure/functions-core',
  () =>
    jest.requireActual<typeof import('../../harness/functions-core-mock')>('../../harness/functions-core-mock')
      .coreModule,
  { virtual: true },
);

import { createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';
import { silentLogger } from '../../../agent/logging/silent-logger';
import { generateSigningKey } from '../../../functions/adapters/signing/signing-keys';
import { loadControlPlaneConfig } from '../../../functions/config/load-config';
import {
  embeddedAgent,
  localDataFiles,
  openSecrets,
  type LocalControlPlane,
} from '../../../functions/local-host/local-control-plane';
import { RELAY_MESSAGE_TYPE_PROPERTY, type RelayMessage } from '../../../shared/protocol/relay-messages';
import { signedCommandEnvelope, signingInput } from '../../../shared/protocol/signed-command';
import { startBroker } from '../../harness/service-bus/broker';
import { api, workspace, type Workspace } from '../http/fixtures/control-plane-workspace';

jest.setTimeout(30_000);

type Broker = Awaited<ReturnType<typeof startBroker>>;

const key = generateSigningKey('Ed25519');
let broker: Broker;
let ws: Workspace;
let plane: LocalControlPlane;
let client: ServiceBusClient;
let results: ServiceBusSender;

/** The workspace's configuration, switched to the Service Bus channel, with its secrets stored. */
async function relayWorkspace(): Promise<Workspace> {
  const w = workspace();
  const file = join(w.dir, 'hr2ad.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  config['channel'] = {
    kind: 'serviceBus',
    connectionString: { secret: 'service-bus' },
    commandsQueue: 'commands',
    resultsQueue: 'results',
    signingKey: { secret: 'signing-key' },
  };
  writeFileSync(file, JSON.stringify(config));
  const secrets = await openSecrets(localDataFiles(loadControlPlaneConfig(file)));
  await secrets.set('service-bus', broker.connectionString);
  await secrets.set(
    'signing-key',
    JSON.stringify({ keyId: key.keyId, algorithm: 'Ed25519', privateKeyPem: key.privateKeyPem }),
  );
  return w;
}

/** Runs `check` after each idle spell until it holds (at most `rounds` times); the last result is returned. */
async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean, rounds = 100): Promise<T> {
  let value = await read();
  for (let i = 0; i < rounds && !holds(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await plane.whenIdle();
    value = await read();
  }
  return value;
}

function publish(message: RelayMessage | string, messageId?: string): Promise<void> {
  const type = typeof message === 'string' ? 'Garbage' : message.type;
  return results.sendMessages({
    body: message,
    ...(messageId ? { messageId } : {}),
    applicationProperties: { [RELAY_MESSAGE_TYPE_PROPERTY]: type },
  });
}

beforeAll(async () => {
  broker = await startBroker({
    queues: [
      { name: 'commands', requiresSession: true },
      { name: 'results', maxDeliveryCount: 3 },
    ],
  });
  ws = await relayWorkspace();
  plane = await ws.start();
  client = new ServiceBusClient(broker.connectionString);
  results = client.createSender('results');
});

afterAll(async () => {
  await plane?.stop();
  await results?.close();
  await client?.close();
  await broker?.close();
  ws?.remove();
});

describe('the results trigger', () => {
  it('records a heartbeat and a refusal, and drops what does not decode without dead-lettering it', async () => {
    const sentAt = ws.clock.now().toISOString();
    await publish('not json at all');
    await publish({ type: 'AgentHeartbeat', agentId: 'agent-a' } as unknown as RelayMessage);
    await publish({
      type: 'AgentHeartbeat',
      agentId: 'agent-a',
      version: '0.1.0',
      hostname: 'ad-host-1',
      startedAt: sentAt,
      sentAt,
      sessionsHeld: 1,
      commandsApplied: 3,
      commandsRefused: 1,
      errors: 0,
      deadLettered: 0,
    });
    const refusal: RelayMessage = {
      type: 'CommandRefused',
      agentId: 'agent-a',
      at: sentAt,
      messageId: 'forged-1',
      sessionId: 'hr:E1001',
      code: 'SignatureInvalid',
      reason: 'no pinned key verifies the signature',
    };
    await publish(refusal);
    await publish(refusal);

    type Agents = { agents: { agentId: string; refused: number; commandsApplied: number; silent: boolean }[] };
    const listed = await eventually(
      async () => (await api(plane, 'GET', 'agents', plane.token)).body as unknown as Agents,
      (body) => body.agents[0]?.refused === 1 && body.agents[0]?.commandsApplied === 3,
    );
    expect(listed.agents).toEqual([
      expect.objectContaining({ agentId: 'agent-a', refused: 1, commandsApplied: 3, silent: false }),
    ]);
    const drained = await eventually(
      async () => broker.stats()['results'],
      (stats) => stats?.active === 0 && stats.locked === 0,
    );
    expect(drained).toEqual(expect.objectContaining({ active: 0, locked: 0, deadLettered: 0 }));
  });
});

describe('commands over the relay', () => {
  it('sends a sync’s commands signed in their workers’ sessions; the agent’s results reach the lifecycles', async () => {
    await api(plane, 'POST', 'sources/hr-file/sync', plane.token);
    await plane.whenIdle();

    const agent = embeddedAgent({
      loaded: loadControlPlaneConfig(join(ws.dir, 'hr2ad.config.json')),
      clock: ws.clock,
      logger: silentLogger,
      directory: ws.directory,
    });
    const publicKey = createPublicKey(key.publicKeyPem);
    const receiver = await client.acceptSession('commands', 'hr:E1001');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    const envelope = signedCommandEnvelope.parse(message?.body);
    expect(verify(null, signingInput(envelope), publicKey, Buffer.from(envelope.signature, 'base64'))).toBe(true);
    const command = JSON.parse(envelope.payload) as { commandId: string; workerKey: string };
    expect(message?.messageId).toBe(command.commandId);
    expect(command.workerKey).toBe('hr:E1001');
    const result = await agent.applyPayload(command);
    await publish({ type: 'CommandResult', agentId: 'agent-a', result }, `result:${command.commandId}`);
    await receiver.completeMessage(message!);
    await receiver.close();
    await agent.close();

    type Status = { outcomes: { commandId: string; status: string }[] };
    const status = await eventually(
      async () => (await api(plane, 'GET', 'workers/hr:E1001', plane.token)).body as unknown as Status,
      (body) => body.outcomes.length > 0,
    );
    expect(status.outcomes).toEqual([expect.objectContaining({ commandId: command.commandId, status: 'applied' })]);
  });
});
