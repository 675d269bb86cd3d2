/**
 * Wire details the Service Bus SDK expects from a broker, in one place: lock tokens as delivery tags in .NET
 * GUID byte order, .NET ticks for session lock times, the batch envelope, and long values that arrive either as
 * numbers or as 8-byte buffers.
 */
import rhea from 'rhea';
import { sectionReader } from './rhea-internals';

/** Message format of the SDK's batch envelope: each data section holds one encoded message. */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

const TICKS_AT_UNIX_EPOCH = 621355968000000000n;

/** .NET stores the first three GUID fields little-endian; the SDK swaps them back when it reads a delivery tag. */
function swapGuidByteOrder(bytes: Buffer): Buffer {
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((index) => bytes[index] ?? 0));
}

export function lockTokenToDeliveryTag(lockToken: string): Buffer {
  return swapGuidByteOrder(Buffer.from(rhea.string_to_uuid(lockToken)));
}

export function deliveryTagToLockToken(tag: Buffer | string): string {
  const bytes = typeof tag === 'string' ? Buffer.from(tag) : tag;
  return rhea.uuid_to_string(swapGuidByteOrder(bytes));
}

/** Lock tokens in management requests are AMQP uuids: 16 raw bytes in standard order, or already a string. */
export function uuidValueToString(value: unknown): string {
  if (Buffer.isBuffer(value)) return rhea.uuid_to_string(value);
  return String(value);
}

/** An 8-byte big-endian .NET ticks value, the type the SDK reads `com.microsoft:locked-until-utc` as. */
export function toDotNetTicks(epochMs: number): unknown {
  const ticks = BigInt(epochMs) * 10000n + TICKS_AT_UNIX_EPOCH;
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(ticks);
  return rhea.types.wrap_long(bytes);
}

/** AMQP longs decode as numbers when small and as 8-byte buffers otherwise. */
export function longToNumber(value: unknown): number {
  if (Buffer.isBuffer(value)) return Number(value.readBigInt64BE());
  return Number(value);
}

export function wrapLong(value: number): unknown {
  return rhea.types.wrap_long(value);
}

export function wrapTimestamp(epochMs: number): unknown {
  return rhea.types.wrap_timestamp(epochMs);
}

/** The encoded messages inside a batch envelope, one per data section. */
export function splitBatchEnvelope(envelope: Buffer): Buffer[] {
  const reader = sectionReader(envelope);
  const messages: Buffer[] = [];
  while (reader.remaining()) {
    const section = reader.read();
    if (Number(section.descriptor?.value) === 0x75 && Buffer.isBuffer(section.value)) messages.push(section.value);
  }
  return messages;
}

export type Outcome = { kind: 'accepted' } | { kind: 'error'; condition: string; description: string };

/** A settled disposition: success carries no error (the SDK rejects any state with one), failure does. */
export function outcomeState(outcome: Outcome): unknown {
  const message = rhea.message as unknown as Record<string, (fields?: object) => { described(): unknown }>;
  if (outcome.kind === 'accepted') return message.accepted!().described();
  return message.rejected!({
    error: { condition: outcome.condition, description: outcome.description },
  }).described();
}

/** A body as the SDK would read it: JSON-encoded data sections parsed, other data as a Buffer. */
export function readableBody(body: unknown): unknown {
  const section = body as { typecode?: number; content?: unknown } | undefined;
  const data = section?.typecode === 0x75 ? section.content : body;
  if (!Buffer.isBuffer(data)) return data;
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch {
    return data;
  }
}
