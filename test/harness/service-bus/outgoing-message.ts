/** The message a receiver (or peek) gets: the client's message plus the broker's annotations and header count. */
import type rhea from 'rhea';
import { wrapLong, wrapTimestamp } from './amqp-codec';
import { decodeMessage } from './rhea-internals';
import type { StoredMessage } from './types';

export function toOutgoingMessage(stored: StoredMessage, lockedUntil?: number): rhea.Message {
  const message = decodeMessage(stored.raw);
  message.delivery_count = stored.deliveryCount;
  message.message_annotations = {
    ...(message.message_annotations as Record<string, unknown> | undefined),
    'x-opt-sequence-number': wrapLong(stored.seq),
    'x-opt-enqueued-time': wrapTimestamp(stored.enqueuedAt),
    ...(lockedUntil === undefined ? {} : { 'x-opt-locked-until': wrapTimestamp(lockedUntil) }),
    ...(stored.state === 'active' ? {} : { 'x-opt-message-state': stored.state === 'deferred' ? 1 : 2 }),
  };
  return message;
}
