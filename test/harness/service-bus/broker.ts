/**
 * A Service Bus stand-in on rhea that the unmodified @azure/service-bus SDK talks to: SASL ANONYMOUS, `$cbs`
 * put-token, queue senders (single and batch), peek-lock and receive-and-delete receivers with credit and
 * drain, sessions, `$management`, optional WebSockets and optional SQLite durability. See README.md for what
 * it implements and where it deliberately differs from the service.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import rhea from 'rhea';
import {
  BATCH_MESSAGE_FORMAT,
  deliveryTagToLockToken,
  lockTokenToDeliveryTag,
  outcomeState,
  splitBatchEnvelope,
  toDotNetTicks,
  type Outcome,
} from './amqp-codec';
import {
  decodeMessage,
  linkInternals,
  messageFormat,
  nextUnwrittenDeliveryId,
  registerOutput,
  remoteAttach,
  type Terminus,
} from './rhea-internals';
import { memoryJournal, sqliteJournal, type Journal } from './journal';
import { handleManagementRequest, managementReplyMessage } from './management';
import { toOutgoingMessage } from './outgoing-message';
import { QueueStore, type LockOwner, type Settlement } from './queue-store';
import { SessionLocks, type SessionLock } from './sessions';
import type { BrokerOptions, DeadLetteredMessage, QueueStats, StoredMessage } from './types';
import { listenWebSocket, makeSelfSignedCertificate, type WebSocketListener } from './websocket';

const CBS_ADDRESS = '$cbs';
const MANAGEMENT_SUFFIX = '/$management';
const SESSION_FILTER = 'com.microsoft:session-filter';
const MAX_MESSAGE_SIZE = 256 * 1024;

export interface RunningBroker {
  amqpPort: number;
  wsPort: number | undefined;
  /** Plain AMQP on 127.0.0.1 with the emulator flag (no TLS). */
  connectionString: string;
  /** AMQP over wss:// on the WebSocket port; clients pass `webSocketOptions` trusting `certPem`. */
  wsConnectionString: string | undefined;
  certPem: string | undefined;
  /** Test-only: counts per queue. */
  stats(): Record<string, QueueStats>;
  /** Test-only: every dead-lettered message of one queue, or of all queues. */
  deadLettered(queue?: string): DeadLetteredMessage[];
  close(): Promise<void>;
}

/** A client's receiving link, served by the broker. */
interface Consumer {
  owner: LockOwner;
  sender: rhea.Sender;
  entity: string;
  receiveAndDelete: boolean;
  session: SessionLock | undefined;
  /** Deliveries handed to rhea that may not be written yet: they already use credit. */
  unwritten: rhea.Delivery[];
}

type AttachFailure = { condition: string; description: string };

const normalizeAddress = (address: unknown): string => String(address ?? '').replace(/^\/+/, '');

class AmqpBroker {
  readonly container = rhea.create_container({ id: 'sb-test-broker', treat_modified_as_released: false });
  readonly store: QueueStore;
  readonly sessions: SessionLocks;
  private readonly consumers = new Map<string, Consumer>();
  private readonly replyLinks = new Map<string, rhea.Sender>();
  private readonly connectionIds = new WeakMap<rhea.Connection, string>();
  private nextId = 1;

  constructor(
    private readonly options: BrokerOptions,
    journal: Journal,
  ) {
    this.store = new QueueStore(
      options.queues,
      journal,
      { onAvailable: (e) => this.pumpEntity(e) },
      options.redeliverEachMessage,
    );
    this.sessions = new SessionLocks((lock) => this.onSessionLockExpired(lock));
    this.container.sasl_server_mechanisms.enable_anonymous();
    this.wireEvents();
  }

  private wireEvents(): void {
    const c = this.container;
    c.on('sender_open', (ctx: rhea.EventContext) => this.onClientReceiverAttach(ctx.sender!));
    c.on('receiver_open', (ctx: rhea.EventContext) => this.onClientSenderAttach(ctx.receiver!));
    c.on('message', (ctx: rhea.EventContext) => this.onMessage(ctx));
    c.on('sendable', (ctx: rhea.EventContext) => this.pumpLink(ctx.sender!));
    c.on('sender_draining', (ctx: rhea.EventContext) => this.onDrain(ctx.sender!));
    for (const event of ['accepted', 'rejected', 'modified', 'released']) {
      c.on(event, (ctx: rhea.EventContext) => this.onClientDisposition(ctx.sender!, ctx.delivery!));
    }
    c.on('sender_close', (ctx: rhea.EventContext) => this.onConsumerDetach(ctx.sender!));
    c.on('disconnected', (ctx: rhea.EventContext) => this.onConnectionGone(ctx.connection));
    c.on('connection_close', (ctx: rhea.EventContext) => this.onConnectionGone(ctx.connection));
    // Link and connection errors from clients are theirs to handle; the broker carries on.
    c.on('error', () => undefined);
  }

  connectionId(connection: rhea.Connection): string {
    let id = this.connectionIds.get(connection);
    if (!id) {
      id = `connection-${this.nextId++}`;
      this.connectionIds.set(connection, id);
    }
    return id;
  }

  private onClientSenderAttach(receiver: rhea.Receiver): void {
    const target = remoteAttach(receiver).target;
    const link = linkInternals(receiver);
    link.set_target({ address: target?.address });
    // The SDK sizes batches from the link's max message size; 256 KB is the Standard tier's.
    link.local.attach.max_message_size = MAX_MESSAGE_SIZE;
    const address = normalizeAddress(target?.address);
    if (address === CBS_ADDRESS || address.endsWith(MANAGEMENT_SUFFIX)) return;
    if (!this.store.entity(address)) receiver.close(notFound(address));
  }

  private onClientReceiverAttach(sender: rhea.Sender): void {
    const remote = remoteAttach(sender);
    const link = linkInternals(sender);
    const source = remote.source ?? {};
    const target = remote.target;
    link.set_target({ address: target?.address });
    link.local.attach.snd_settle_mode = remote.snd_settle_mode;
    link.local.attach.rcv_settle_mode = remote.rcv_settle_mode;
    const address = normalizeAddress(source.address);
    if (address === CBS_ADDRESS || address.endsWith(MANAGEMENT_SUFFIX)) {
      link.set_source({ address: source.address });
      // Replies go to the request's reply_to: the SDK uses its receiving link's name, and its target address too.
      this.replyLinks.set(this.replyKey(sender.connection, sender.name), sender);
      if (target?.address) this.replyLinks.set(this.replyKey(sender.connection, target.address), sender);
      return;
    }
    const failure = this.attachConsumer(sender, address, source);
    if (failure) {
      link.set_source({ address: source.address });
      sender.close(failure);
    }
  }

  private attachConsumer(sender: rhea.Sender, address: string, source: Terminus): AttachFailure | undefined {
    const link = linkInternals(sender);
    const entity = this.store.entity(address);
    if (!entity) return notFound(address);
    const owner = { connectionId: this.connectionId(sender.connection), linkId: `link-${this.nextId++}` };
    const consumer: Consumer = {
      owner,
      sender,
      entity: address,
      receiveAndDelete: link.local.attach.snd_settle_mode === 1,
      session: undefined,
      unwritten: [],
    };
    if (entity.spec.requiresSession) {
      const requested = source.filter?.[SESSION_FILTER];
      const sessionId = requested === undefined || requested === null ? undefined : String(requested);
      const lockedOrFailure = this.lockSession(address, sessionId, owner, entity.spec.lockDurationMs);
      if ('condition' in lockedOrFailure) return lockedOrFailure;
      consumer.session = lockedOrFailure;
      link.set_source({ address: source.address, filter: { [SESSION_FILTER]: lockedOrFailure.sessionId } });
      link.local.attach.properties = {
        ...link.local.attach.properties,
        'com.microsoft:locked-until-utc': toDotNetTicks(lockedOrFailure.expiresAt),
      };
    } else {
      link.set_source({ address: source.address });
    }
    this.consumers.set(owner.linkId, consumer);
    consumerOf.set(sender, owner.linkId);
    return undefined;
  }

  /** A named session, or the first unlocked session with messages; the service would wait, this answers now. */
  private lockSession(
    entity: string,
    sessionId: string | undefined,
    owner: LockOwner,
    lockDurationMs: number,
  ): SessionLock | AttachFailure {
    if (sessionId !== undefined) {
      return (
        this.sessions.acquire(entity, sessionId, owner, lockDurationMs) ?? {
          condition: 'com.microsoft:session-cannot-be-locked',
          description: `The session ${sessionId} is locked by another receiver.`,
        }
      );
    }
    for (const candidate of this.store.sessionsWithMessages(entity)) {
      const lock = this.sessions.acquire(entity, candidate, owner, lockDurationMs);
      if (lock) return lock;
    }
    return { condition: 'com.microsoft:timeout', description: `No unlocked session with messages in ${entity}.` };
  }

  private onMessage(ctx: rhea.EventContext): void {
    const receiver = ctx.receiver!;
    const address = normalizeAddress(remoteAttach(receiver).target?.address);
    const message = ctx.message!;
    if (address === CBS_ADDRESS) return this.reply(receiver.connection, message, cbsReply(message));
    if (address.endsWith(MANAGEMENT_SUFFIX)) {
      const entity = address.slice(0, -MANAGEMENT_SUFFIX.length);
      if (!this.store.entity(entity))
        return this.reply(receiver.connection, message, managementNotFound(message, entity));
      const connectionId = this.connectionId(receiver.connection);
      const reply = handleManagementRequest(message, {
        store: this.store,
        sessions: this.sessions,
        entity,
        connectionId,
      });
      return this.reply(receiver.connection, message, managementReplyMessage(message, reply));
    }
    const messages =
      messageFormat(ctx) === BATCH_MESSAGE_FORMAT
        ? splitBatchEnvelope(message as unknown as Buffer).map(decodeMessage)
        : [message];
    for (const each of messages) this.store.enqueue(address, each);
  }

  private reply(connection: rhea.Connection, request: rhea.Message, response: rhea.Message): void {
    this.replyLinks.get(this.replyKey(connection, request.reply_to))?.send(response);
  }

  private replyKey(connection: rhea.Connection, address: unknown): string {
    return `${this.connectionId(connection)}|${String(address)}`;
  }

  private pumpEntity(entity: string): void {
    for (const consumer of this.consumers.values()) {
      if (consumer.entity === entity) this.pump(consumer);
    }
  }

  private pumpLink(sender: rhea.Sender): void {
    const consumer = this.consumerFor(sender);
    if (consumer) this.pump(consumer);
  }

  private unusedCredit(consumer: Consumer): number {
    const firstUnwritten = nextUnwrittenDeliveryId(consumer.sender);
    consumer.unwritten = consumer.unwritten.filter((delivery) => delivery.id >= firstUnwritten);
    return linkInternals(consumer.sender).credit - consumer.unwritten.length;
  }

  private pump(consumer: Consumer): void {
    while (consumer.sender.is_open() && consumer.sender.sendable() && this.unusedCredit(consumer) > 0) {
      const next = this.store.nextAvailable(consumer.entity, consumer.session?.sessionId);
      if (!next) return;
      this.deliver(consumer, next);
    }
  }

  private onDrain(sender: rhea.Sender): void {
    this.pumpLink(sender);
    const consumer = this.consumerFor(sender);
    if (consumer && this.unusedCredit(consumer) > 0) {
      sender.set_drained(true);
      registerOutput(sender.connection);
    }
  }

  private deliver(consumer: Consumer, message: StoredMessage): void {
    if (consumer.receiveAndDelete) {
      this.store.takeForReceiveAndDelete(message);
      consumer.unwritten.push(consumer.sender.send(toOutgoingMessage(message)));
      return;
    }
    const spec = this.store.entity(consumer.entity)!.spec;
    const session = consumer.session;
    const lockedUntil = session ? session.expiresAt : Date.now() + spec.lockDurationMs;
    // A session message stays locked as long as its session does; the session lock releases it.
    const token = this.store.lock(message, consumer.owner, session ? Infinity : lockedUntil, !session);
    consumer.unwritten.push(
      consumer.sender.send(toOutgoingMessage(message, lockedUntil), lockTokenToDeliveryTag(token)),
    );
  }

  private onClientDisposition(sender: rhea.Sender, delivery: rhea.Delivery): void {
    const consumer = this.consumerFor(sender);
    if (!consumer || delivery.settled) return;
    const token = deliveryTagToLockToken(delivery.tag as Buffer);
    const settled = this.store.settle(token, settlementOf(delivery.remote_state));
    const outcome: Outcome = settled
      ? { kind: 'accepted' }
      : {
          kind: 'error',
          condition: 'com.microsoft:message-lock-lost',
          description: `The lock ${token} on ${consumer.entity} is unknown or has expired.`,
        };
    delivery.update(true, outcomeState(outcome));
    // The exchange ends with the broker's settled answer: the SDK (receiver-settles-second) sends nothing
    // more. rhea frees a sent delivery only once both sides have settled it, and a session holds 2,048
    // unfreed deliveries at most, so without this a long-lived receiver stalls after 2,048 messages.
    (delivery as { remote_settled: boolean }).remote_settled = true;
  }

  private onConsumerDetach(sender: rhea.Sender): void {
    const consumer = this.consumerFor(sender);
    if (!consumer) return;
    this.consumers.delete(consumer.owner.linkId);
    if (consumer.session) {
      this.sessions.release(consumer.session);
      this.store.releaseLocks((owner) => owner.linkId === consumer.owner.linkId);
    }
  }

  /** A closed or dropped client connection gives back its message and session locks at once. */
  private onConnectionGone(connection: rhea.Connection): void {
    const connectionId = this.connectionIds.get(connection);
    if (!connectionId) return;
    for (const [linkId, consumer] of this.consumers) {
      if (consumer.owner.connectionId === connectionId) this.consumers.delete(linkId);
    }
    for (const key of this.replyLinks.keys()) {
      if (key.startsWith(`${connectionId}|`)) this.replyLinks.delete(key);
    }
    this.sessions.releaseWhere((lock) => lock.owner.connectionId === connectionId);
    this.store.releaseLocks((owner) => owner.connectionId === connectionId);
  }

  /** The holder did not renew in time: take the session back and detach its link with SessionLockLost. */
  private onSessionLockExpired(lock: SessionLock): void {
    const consumer = this.consumers.get(lock.owner.linkId);
    this.consumers.delete(lock.owner.linkId);
    this.store.releaseLocks((owner) => owner.linkId === lock.owner.linkId);
    consumer?.sender.close({
      condition: 'com.microsoft:session-lock-lost',
      description: `The session lock on ${lock.sessionId} in ${lock.entity} expired.`,
    });
    this.pumpEntity(lock.entity);
  }

  private consumerFor(sender: rhea.Sender): Consumer | undefined {
    const linkId = consumerOf.get(sender);
    return linkId === undefined ? undefined : this.consumers.get(linkId);
  }

  sessionsLocked(queue: string): number {
    return this.sessions.countLocked(queue);
  }
}

const consumerOf = new WeakMap<rhea.Sender, string>();

function notFound(address: string): AttachFailure {
  return { condition: 'amqp:not-found', description: `The messaging entity ${address} could not be found.` };
}

function cbsReply(request: rhea.Message): rhea.Message {
  return {
    to: request.reply_to,
    correlation_id: request.message_id,
    application_properties: { 'status-code': 202, 'status-description': 'Accepted' },
  } as unknown as rhea.Message;
}

function managementNotFound(request: rhea.Message, entity: string): rhea.Message {
  const failure = notFound(entity);
  return managementReplyMessage(request, {
    statusCode: 404,
    errorCondition: failure.condition,
    description: failure.description,
  });
}

/** complete = accepted; abandon = modified/released; defer = modified{undeliverable_here}; dead-letter = rejected. */
function settlementOf(state: unknown): Settlement {
  const outcome = (state ?? {}) as {
    constructor: { composite_type?: string };
    undeliverable_here?: boolean;
    error?: { info?: Record<string, unknown> };
  };
  switch (outcome.constructor.composite_type) {
    case 'accepted':
      return { kind: 'complete' };
    case 'rejected': {
      const { DeadLetterReason, DeadLetterErrorDescription, ...properties } = outcome.error?.info ?? {};
      return { kind: 'deadLetter', reason: DeadLetterReason, description: DeadLetterErrorDescription, properties };
    }
    case 'modified':
      return outcome.undeliverable_here ? { kind: 'defer' } : { kind: 'abandon' };
    default:
      return { kind: 'abandon' };
  }
}

async function listenAmqp(container: rhea.Container, port: number): Promise<{ server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    container.create_connection({} as never).accept(socket as never);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, sockets };
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const journal = options.dataFile ? sqliteJournal(options.dataFile) : memoryJournal();
  const broker = new AmqpBroker(options, journal);
  const amqp = await listenAmqp(broker.container, options.port ?? 0);
  const amqpPort = (amqp.server.address() as AddressInfo).port;
  const certificate = options.wsPort === undefined ? undefined : makeSelfSignedCertificate();
  const ws: WebSocketListener | undefined = certificate
    ? await listenWebSocket(broker.container, certificate, options.wsPort ?? 0)
    : undefined;
  const key = randomBytes(16).toString('hex');
  const credentials = `SharedAccessKeyName=k;SharedAccessKey=${key};`;
  return {
    amqpPort,
    wsPort: ws?.port,
    connectionString: `Endpoint=sb://127.0.0.1:${amqpPort}/;${credentials}UseDevelopmentEmulator=true;`,
    wsConnectionString: ws ? `Endpoint=sb://127.0.0.1:${ws.port}/;${credentials}` : undefined,
    certPem: certificate?.certPem,
    stats: () =>
      Object.fromEntries(
        options.queues.map((q) => [
          q.name,
          { ...broker.store.stats(q.name), sessionsLocked: broker.sessionsLocked(q.name) },
        ]),
      ),
    deadLettered: (queue) =>
      (queue ? [queue] : options.queues.map((q) => q.name)).flatMap((name) => broker.store.deadLettered(name)),
    close: async () => {
      await ws?.close();
      for (const socket of amqp.sockets) socket.destroy();
      await new Promise<void>((resolve) => amqp.server.close(() => resolve()));
      broker.sessions.close();
      broker.store.close();
      journal.close();
    },
  };
}
