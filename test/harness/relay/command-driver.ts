/**
 * The control plane's part of the relay, reduced to what load and crash tests need: signs commands with a
 * generated key and sends each to its worker's session on the commands queue, and collects everything
 * the agents send back on the results queue (results, heartbeats, refusals) in arrival order.
 */
import { createPrivateKey } from 'node:crypto';
import { ServiceBusClient, type ServiceBusReceiver, type ServiceBusSender } from '@azure/service-bus';
import {
  generateSigningKey,
  pinFor,
  type GeneratedSigningKey,
  type PinnedPublicKey,
} from '../../../functions/adapters/signing/signing-keys';
import { signWith } from '../../../functions/adapters/signing/secret-store-command-signer';
import { signCommand } from '../../../functions/adapters/signing/sign-command';
import type { CommandSigner } from '../../../shared/ports/command-signer.port';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import { relayMessage, type RelayMessage } from '../../../shared/protocol/relay-messages';
import type { CommandResult } from '../../../shared/protocol/results';
import type { SignedCommandEnvelope } from '../../../shared/protocol/signed-command';

/** A signer over a key held in memory (the product's signer reads its key from the secret store). */
export class InMemorySigner implements CommandSigner {
  readonly algorithm;
  private readonly privateKey;

  constructor(readonly key: GeneratedSigningKey = generateSigningKey('Ed25519')) {
    this.algorithm = key.algorithm;
    this.privateKey = createPrivateKey(key.privateKeyPem);
  }

  get pin(): PinnedPublicKey {
    return pinFor(this.key);
  }

  async keyId(): Promise<string> {
    return this.key.keyId;
  }

  async sign(data: Uint8Array): Promise<{ keyId: string; signature: Uint8Array }> {
    return { keyId: this.key.keyId, signature: signWith(this.algorithm, this.privateKey, data) };
  }
}

export interface DriverOptions {
  readonly connectionString: string;
  readonly signer: CommandSigner;
  readonly commandsQueue?: string;
  readonly resultsQueue?: string;
}

export class CommandDriver {
  readonly client: ServiceBusClient;
  private readonly sender: ServiceBusSender;
  private readonly receiver: ServiceBusReceiver;
  /** Everything received on the results queue, in arrival order. */
  readonly received: RelayMessage[] = [];
  /** Results by command id, every copy (a command's result may be published again after a crash). */
  readonly results = new Map<string, CommandResult[]>();
  readonly undecodable: unknown[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly options: DriverOptions) {
    this.client = new ServiceBusClient(options.connectionString);
    this.sender = this.client.createSender(options.commandsQueue ?? 'hr2ad-commands');
    this.receiver = this.client.createReceiver(options.resultsQueue ?? 'hr2ad-results', { receiveMode: 'peekLock' });
    this.receiver.subscribe(
      {
        processMessage: async (message) => this.take(message.body),
        processError: async () => undefined,
      },
      { autoCompleteMessages: true, maxConcurrentCalls: 1 },
    );
  }

  async sign(command: DirectoryCommandInput): Promise<SignedCommandEnvelope> {
    return signCommand(command, this.options.signer);
  }

  /** Signs and sends, in batches; each message in its worker's session. */
  async send(commands: readonly DirectoryCommandInput[]): Promise<void> {
    const envelopes = await Promise.all(commands.map(async (command) => ({ command, body: await this.sign(command) })));
    for (let start = 0; start < envelopes.length; start += 100) {
      await this.sender.sendMessages(
        envelopes.slice(start, start + 100).map(({ command, body }) => ({
          body,
          sessionId: command.workerKey,
          messageId: command.commandId,
          contentType: 'application/json',
        })),
      );
    }
  }

  /** Sends a raw body (tampered, unsigned, …) to a session, as an attacker with send rights could. */
  async sendRaw(body: unknown, sessionId: string, messageId: string): Promise<void> {
    await this.sender.sendMessages({ body, sessionId, messageId });
  }

  /** Waits until every command id has at least one result. */
  async waitForResults(commandIds: readonly string[], timeoutMs: number): Promise<void> {
    await this.waitUntil(
      () => commandIds.every((id) => this.results.has(id)),
      timeoutMs,
      () => {
        const missing = commandIds.filter((id) => !this.results.has(id));
        return `${missing.length} of ${commandIds.length} commands have no result (first: ${missing.slice(0, 3).join(', ')})`;
      },
    );
  }

  async waitUntil(done: () => boolean, timeoutMs: number, describe: () => string = () => 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  firstResult(commandId: string): CommandResult | undefined {
    return this.results.get(commandId)?.[0];
  }

  messagesOfType<T extends RelayMessage['type']>(type: T): Extract<RelayMessage, { type: T }>[] {
    return this.received.filter((m): m is Extract<RelayMessage, { type: T }> => m.type === type);
  }

  async close(): Promise<void> {
    await this.receiver.close();
    await this.sender.close();
    await this.client.close();
  }

  private take(body: unknown): void {
    const parsed = relayMessage.safeParse(body);
    if (!parsed.success) {
      this.undecodable.push(body);
      return;
    }
    this.received.push(parsed.data);
    if (parsed.data.type === 'CommandResult') {
      const list = this.results.get(parsed.data.result.commandId) ?? [];
      list.push(parsed.data.result);
      this.results.set(parsed.data.result.commandId, list);
    }
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
