/**
 * Sends what the agent reports on the results queue: command results (raised on the worker's lifecycle
 * orchestration), heartbeats and refusals. `publish` resolves once Service Bus has accepted the message,
 * so the agent completes a command's message only after its result is durably published.
 */
import type { ServiceBusSender } from '@azure/service-bus';
import { RELAY_MESSAGE_TYPE_PROPERTY, type RelayMessage } from '../../shared/protocol/relay-messages';

export class ResultPublisher {
  constructor(private readonly sender: ServiceBusSender) {}

  async publish(message: RelayMessage): Promise<void> {
    await this.sender.sendMessages({
      body: message,
      contentType: 'application/json',
      messageId: messageIdOf(message),
      applicationProperties: { [RELAY_MESSAGE_TYPE_PROPERTY]: message.type },
    });
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

/** Stable for a result, so duplicate detection on the results queue can drop a re-publish. */
function messageIdOf(message: RelayMessage): string | undefined {
  return message.type === 'CommandResult' ? `result:${message.result.commandId}` : undefined;
}
