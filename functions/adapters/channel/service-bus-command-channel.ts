/**
 * The command channel over Service Bus: each command is signed and sent to the commands queue, in the
 * session of its worker (session id = worker key), so the agent applies one worker's commands in order
 * and different workers' in parallel. The message id is the command id, so the queue's duplicate
 * detection drops a re-send of the same command; the time to live ends at the command's `expiresAt`,
 * after which the agent would refuse it anyway. Results come back on the results queue, read by the
 * app's results trigger, not by this channel.
 */
import type { TokenCredential } from '@azure/identity';
import {
  ServiceBusClient,
  type ServiceBusClientOptions,
  type ServiceBusMessage,
  type ServiceBusSender,
} from '@azure/service-bus';
import WebSocket from 'ws';
import type { Clock } from '../../../shared/ports/clock.port';
import type { CommandChannel } from '../../../shared/ports/command-channel.port';
import type { Logger } from '../../../shared/ports/logger.port';
import type { DirectoryCommandInput } from '../../../shared/protocol/commands';
import type { SignedCommandEnvelope } from '../../../shared/protocol/signed-command';

/** A SAS connection string, or a namespace reached with a Microsoft Entra credential (a managed identity in Azure). */
export type ServiceBusConnection =
  | { readonly connectionString: string }
  | { readonly fullyQualifiedNamespace: string; readonly credential: TokenCredential };

export type ServiceBusCommandChannelOptions = ServiceBusConnection & {
  readonly commandsQueue: string;
  /** AMQP over WebSockets (port 443) instead of AMQP on 5671. */
  readonly webSockets?: boolean;
  /** Further client options (retry, or a test's WebSocket options trusting a local certificate). */
  readonly clientOptions?: ServiceBusClientOptions;
  /** Signs one command (`signCommand` over the control plane's signer). */
  readonly sign: (command: DirectoryCommandInput) => Promise<SignedCommandEnvelope>;
  readonly clock: Clock;
  readonly logger: Logger;
};

/** A command whose `expiresAt` has passed still goes out (the agent refuses it) with this short life. */
const MIN_TIME_TO_LIVE_MS = 1000;

/** The Service Bus message for one signed command. */
export function commandMessage(
  command: DirectoryCommandInput,
  envelope: SignedCommandEnvelope,
  now: Date,
): ServiceBusMessage {
  const untilExpiry = Date.parse(command.expiresAt) - now.getTime();
  return {
    body: envelope,
    contentType: 'application/json',
    messageId: command.commandId,
    sessionId: command.workerKey,
    timeToLive: Math.max(untilExpiry, MIN_TIME_TO_LIVE_MS),
    // For operators browsing the queue; the agent trusts only the signed payload.
    applicationProperties: {
      commandId: command.commandId,
      workerKey: command.workerKey,
      sequence: command.sequence,
      kind: command.kind,
    },
  };
}

export class ServiceBusCommandChannel implements CommandChannel {
  private readonly client: ServiceBusClient;
  private readonly sender: ServiceBusSender;
  private closing = false;

  constructor(private readonly options: ServiceBusCommandChannelOptions) {
    this.client = serviceBusClient(options);
    this.sender = this.client.createSender(options.commandsQueue);
  }

  async send(command: DirectoryCommandInput): Promise<void> {
    if (this.closing) throw new Error('the command channel is closed');
    const envelope = await this.options.sign(command);
    const now = this.options.clock.now();
    if (Date.parse(command.expiresAt) <= now.getTime())
      this.options.logger.warn('command sent after it expired', { commandId: command.commandId });
    await this.sender.sendMessages(commandMessage(command, envelope, now));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.sender.close();
    await this.client.close();
  }
}

function serviceBusClient(options: ServiceBusCommandChannelOptions): ServiceBusClient {
  const clientOptions: ServiceBusClientOptions = {
    ...options.clientOptions,
    ...(options.webSockets
      ? { webSocketOptions: { webSocket: WebSocket, ...options.clientOptions?.webSocketOptions } }
      : {}),
  };
  return 'connectionString' in options
    ? new ServiceBusClient(options.connectionString, clientOptions)
    : new ServiceBusClient(options.fullyQualifiedNamespace, options.credential, clientOptions);
}
