/**
 * The Service Bus command channel against the test broker, read back with the real SDK: each command is
 * one message in its worker's session, its id the command id, its time to live ending at the command's
 * expiry, operator properties beside it, and a body the agent can verify with the pinned public key.
 */
import { createPublicKey, verify } from 'node:crypto';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { silentLogger } from '../../../agent/logging/silent-logger';
import { ServiceBusCommandChannel } from '../../../functions/adapters/channel/service-bus-command-channel';
import { SecretStoreCommandSigner } from '../../../functions/adapters/signing/secret-store-command-signer';
import { signCommand } from '../../../functions/adapters/signing/sign-command';
import { generateSigningKey } from '../../../functions/adapters/signing/signing-keys';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import { signedCommandEnvelope, signingInput } from '../../../shared/protocol/signed-command';
import { startBroker } from '../../harness/service-bus/broker';
import { command } from '../state/state-fixtures';
import { memorySecrets } from './relay-fixtures';

jest.setTimeout(20_000);

const NOW = new Date('2026-11-01T06:00:00.000Z');
const clock = { now: () => NOW };

async function receiveSession(client: ServiceBusClient, sessionId: string, count: number) {
  const receiver = await client.acceptSession('commands', sessionId);
  const got: ServiceBusReceivedMessage[] = [];
  while (got.length < count) {
    const batch = await receiver.receiveMessages(count - got.length, { maxWaitTimeInMs: 2000 });
    if (batch.length === 0) break;
    for (const m of batch) await receiver.completeMessage(m);
    got.push(...batch);
  }
  await receiver.close();
  return got;
}

function forWorker(workerKey: string, sequence: number, commandId: string): DirectoryCommandInput {
  return { ...command(commandId), workerKey, sequence, expiresAt: '2026-11-02T06:00:00.000Z' };
}

describe('ServiceBusCommandChannel', () => {
  const key = generateSigningKey('Ed25519');
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let channel: ServiceBusCommandChannel;
  let client: ServiceBusClient;

  beforeAll(async () => {
    broker = await startBroker({ queues: [{ name: 'commands', requiresSession: true }] });
    const secrets = memorySecrets({
      'command-signing-key': JSON.stringify({
        keyId: key.keyId,
        algorithm: 'Ed25519',
        privateKeyPem: key.privateKeyPem,
      }),
    });
    const signer = new SecretStoreCommandSigner({ secrets, clock });
    channel = new ServiceBusCommandChannel({
      connectionString: broker.connectionString,
      commandsQueue: 'commands',
      sign: (c) => signCommand(c, signer),
      clock,
      logger: silentLogger,
    });
    client = new ServiceBusClient(broker.connectionString);
  });

  afterAll(async () => {
    await channel.close();
    await client.close();
    await broker.close();
  });

  it('sends each command in its worker’s session, in order, as a signed envelope the public key verifies', async () => {
    const first = forWorker('workday:1001', 1, 'cmd-1');
    const second = forWorker('workday:1001', 2, 'cmd-2');
    const other = forWorker('workday:1002', 1, 'cmd-3');
    for (const c of [first, other, second]) await channel.send(c);

    const messages = await receiveSession(client, 'workday:1001', 2);
    expect(messages.map((m) => m.messageId)).toEqual(['cmd-1', 'cmd-2']);
    const [message] = messages;
    expect(message?.sessionId).toBe('workday:1001');
    expect(message?.applicationProperties).toEqual({
      commandId: 'cmd-1',
      workerKey: 'workday:1001',
      sequence: 1,
      kind: first.kind,
    });
    expect(message?.timeToLive).toBe(24 * 3600 * 1000);

    const envelope = signedCommandEnvelope.parse(message?.body);
    expect(envelope.keyId).toBe(key.keyId);
    expect(JSON.parse(envelope.payload)).toEqual(first);
    const publicKey = createPublicKey(key.publicKeyPem);
    const signature = Buffer.from(envelope.signature, 'base64');
    expect(verify(null, signingInput(envelope), publicKey, signature)).toBe(true);
    const tampered = { ...envelope, payload: envelope.payload.replace('workday:1001', 'workday:1009') };
    expect(verify(null, signingInput(tampered), publicKey, signature)).toBe(false);

    expect((await receiveSession(client, 'workday:1002', 1)).map((m) => m.messageId)).toEqual(['cmd-3']);
  });

  it('refuses to send once closed', async () => {
    const closed = new ServiceBusCommandChannel({
      connectionString: broker.connectionString,
      commandsQueue: 'commands',
      sign: () => Promise.reject(new Error('not signed')),
      clock,
      logger: silentLogger,
    });
    await closed.close();
    await expect(closed.send(forWorker('workday:1001', 3, 'cmd-4'))).rejects.toThrow('closed');
  });
});
