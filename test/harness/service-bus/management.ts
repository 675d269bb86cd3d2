/**
 * `$management` operations on a queue (request/response over AMQP). Replies carry `statusCode`, and on failure
 * `errorCondition` with the Service Bus condition the SDK maps to its error codes.
 */
import rhea from 'rhea';
import { longToNumber, uuidValueToString } from './amqp-codec';
import { toOutgoingMessage } from './outgoing-message';
import { decodeMessage } from './rhea-internals';
import type { QueueStore, Settlement } from './queue-store';
import type { SessionLocks } from './sessions';

export interface ManagementContext {
  store: QueueStore;
  sessions: SessionLocks;
  entity: string;
  connectionId: string;
}

export interface ManagementReply {
  statusCode: number;
  body?: unknown;
  errorCondition?: string;
  description?: string;
}

type Body = Record<string, unknown>;
type Operation = (body: Body, context: ManagementContext) => ManagementReply;

const ok = (body?: unknown): ManagementReply => ({ statusCode: 200, body });
const failure = (statusCode: number, errorCondition: string, description: string): ManagementReply => ({
  statusCode,
  errorCondition,
  description,
});
const lockLost = (token: string): ManagementReply =>
  failure(410, 'com.microsoft:message-lock-lost', `The lock ${token} is unknown or has expired.`);
const sessionLockLost = (sessionId: unknown): ManagementReply =>
  failure(410, 'com.microsoft:session-lock-lost', `The session lock on ${String(sessionId)} is not held.`);

const lockTokensOf = (body: Body): string[] => ((body['lock-tokens'] as unknown[]) ?? []).map(uuidValueToString);

function renewLock(body: Body, { store }: ManagementContext): ManagementReply {
  const expirations: Date[] = [];
  for (const token of lockTokensOf(body)) {
    const expiresAt = store.renewLock(token);
    if (expiresAt === undefined) return lockLost(token);
    expirations.push(new Date(expiresAt));
  }
  return ok({ expirations });
}

function peekMessages(body: Body, { store, entity }: ManagementContext): ManagementReply {
  const fromSeq = longToNumber(body['from-sequence-number'] ?? 1);
  const count = Number(body['message-count'] ?? 1);
  const sessionId =
    body['session-id'] === undefined || body['session-id'] === null ? undefined : String(body['session-id']);
  const found = store.peek(entity, fromSeq, count, sessionId);
  if (found.length === 0) return { statusCode: 204 };
  return ok({ messages: found.map((stored) => ({ message: rhea.message.encode(toOutgoingMessage(stored)) })) });
}

function scheduleMessages(body: Body, { store, entity }: ManagementContext): ManagementReply {
  const entries = (body.messages ?? []) as Body[];
  const seqs = entries.map((entry) => store.enqueue(entity, decodeMessage(entry.message as Buffer)).seq);
  return ok({ 'sequence-numbers': rhea.types.wrap_array(seqs, 0x81, undefined) });
}

function cancelScheduled(body: Body, { store, entity }: ManagementContext): ManagementReply {
  for (const seq of (body['sequence-numbers'] ?? []) as unknown[]) store.cancelScheduled(entity, longToNumber(seq));
  return ok();
}

function renewSessionLock(body: Body, { sessions, entity, connectionId }: ManagementContext): ManagementReply {
  const expiresAt = sessions.renew(entity, String(body['session-id']), connectionId);
  return expiresAt === undefined ? sessionLockLost(body['session-id']) : ok({ expiration: new Date(expiresAt) });
}

function getSessionState(body: Body, context: ManagementContext): ManagementReply {
  const sessionId = String(body['session-id']);
  if (!context.sessions.heldBy(context.entity, sessionId, context.connectionId)) return sessionLockLost(sessionId);
  return ok({ 'session-state': context.store.getSessionState(context.entity, sessionId) ?? null });
}

function setSessionState(body: Body, context: ManagementContext): ManagementReply {
  const sessionId = String(body['session-id']);
  if (!context.sessions.heldBy(context.entity, sessionId, context.connectionId)) return sessionLockLost(sessionId);
  const state = body['session-state'];
  context.store.setSessionState(context.entity, sessionId, Buffer.isBuffer(state) ? state : undefined);
  return ok();
}

function settlementOf(body: Body): Settlement {
  switch (body['disposition-status']) {
    case 'completed':
      return { kind: 'complete' };
    case 'defered':
      return { kind: 'defer' };
    case 'suspended':
      return {
        kind: 'deadLetter',
        reason: body['deadletter-reason'],
        description: body['deadletter-description'],
        properties: body['properties-to-modify'] as Record<string, unknown> | undefined,
      };
    default:
      return { kind: 'abandon' };
  }
}

/** Settlement through management: used by the SDK when the receiving link is gone. */
function updateDisposition(body: Body, { store }: ManagementContext): ManagementReply {
  const settlement = settlementOf(body);
  for (const token of lockTokensOf(body)) {
    if (!store.settle(token, settlement)) return lockLost(token);
  }
  return ok();
}

const OPERATIONS: Record<string, Operation> = {
  'com.microsoft:renew-lock': renewLock,
  'com.microsoft:peek-message': peekMessages,
  'com.microsoft:schedule-message': scheduleMessages,
  'com.microsoft:cancel-scheduled-message': cancelScheduled,
  'com.microsoft:renew-session-lock': renewSessionLock,
  'com.microsoft:get-session-state': getSessionState,
  'com.microsoft:set-session-state': setSessionState,
  'com.microsoft:update-disposition': updateDisposition,
};

export function handleManagementRequest(request: rhea.Message, context: ManagementContext): ManagementReply {
  const operationName = String((request.application_properties as Body | undefined)?.operation);
  const operation = OPERATIONS[operationName];
  if (!operation) return failure(501, 'amqp:not-implemented', `The test broker does not implement ${operationName}.`);
  return operation((request.body ?? {}) as Body, context);
}

export function managementReplyMessage(request: rhea.Message, reply: ManagementReply): rhea.Message {
  return {
    to: request.reply_to,
    correlation_id: request.message_id,
    application_properties: {
      statusCode: reply.statusCode,
      ...(reply.description === undefined ? {} : { statusDescription: reply.description }),
      ...(reply.errorCondition === undefined ? {} : { errorCondition: reply.errorCondition }),
    },
    body: reply.body ?? {},
  } as unknown as rhea.Message;
}
