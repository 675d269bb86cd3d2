/**
 * The broker's state: queues and their dead-letter queues, messages in sequence order, and peek-locks.
 * Every change goes to the journal before the caller answers the client, so with an SQLite journal a killed
 * broker restarts with the same messages, delivery counts, sequence numbers and session state.
 *
 * Delivery count follows AMQP: it counts failed deliveries (abandon, lost lock, released by a closed
 * connection), so a first delivery reads 0. A message whose count reaches the queue's maxDeliveryCount moves to
 * the dead-letter queue with reason MaxDeliveryCountExceeded.
 */
import rhea from 'rhea';
import { readableBody } from './amqp-codec';
import type { Journal } from './journal';
import { decodeMessage } from './rhea-internals';
import type { DeadLetteredMessage, EntitySpec, QueueSpec, QueueStats, StoredMessage } from './types';

export const DEAD_LETTER_SUFFIX = '/$DeadLetterQueue';

export interface Entity {
  spec: EntitySpec;
  /** Insertion order is sequence order: messages are only added with a new or their original number. */
  messages: Map<number, StoredMessage>;
  sessionStates: Map<string, Buffer>;
}

/** Who holds a lock: a receiving link on a client connection. */
export interface LockOwner {
  connectionId: string;
  linkId: string;
}

interface MessageLock {
  token: string;
  seq: number;
  entity: string;
  owner: LockOwner;
  expiresAt: number;
  timer: NodeJS.Timeout | undefined;
}

export type Settlement =
  | { kind: 'complete' }
  | { kind: 'abandon' }
  | { kind: 'defer' }
  | { kind: 'deadLetter'; reason: unknown; description: unknown; properties?: Record<string, unknown> };

export interface StoreHooks {
  /** Messages became available on this entity: receivers with credit should be served. */
  onAvailable(entity: string): void;
}

function entitySpec(queue: QueueSpec): EntitySpec {
  return {
    name: queue.name,
    requiresSession: queue.requiresSession ?? false,
    lockDurationMs: queue.lockDurationMs ?? 30000,
    maxDeliveryCount: queue.maxDeliveryCount ?? 10,
  };
}

export class QueueStore {
  private readonly entities = new Map<string, Entity>();
  private readonly locks = new Map<string, MessageLock>();
  private readonly scheduleTimers = new Map<number, NodeJS.Timeout>();
  private nextSeq: number;

  constructor(
    queues: QueueSpec[],
    private readonly journal: Journal,
    private readonly hooks: StoreHooks,
    private readonly redeliverEachMessage = 1,
  ) {
    for (const queue of queues) {
      const spec = entitySpec(queue);
      this.entities.set(spec.name, { spec, messages: new Map(), sessionStates: new Map() });
      const dlq = { ...spec, name: spec.name + DEAD_LETTER_SUFFIX, requiresSession: false, maxDeliveryCount: Infinity };
      this.entities.set(dlq.name, { spec: dlq, messages: new Map(), sessionStates: new Map() });
    }
    this.nextSeq = this.restore();
  }

  /** Reloads the journal; a message locked when the broker stopped counts one failed delivery. */
  private restore(): number {
    const snapshot = this.journal.load();
    for (const message of snapshot.messages) {
      const entity = this.entities.get(message.entity);
      if (!entity) continue;
      entity.messages.set(message.seq, message);
      if (message.lockToken) {
        message.lockToken = undefined;
        this.countFailedDelivery(entity, message);
      }
      if (message.state === 'scheduled') this.armSchedule(message);
    }
    for (const { entity, sessionId, state } of snapshot.sessionStates) {
      this.entities.get(entity)?.sessionStates.set(sessionId, state);
    }
    return snapshot.nextSeq;
  }

  entity(name: string): Entity | undefined {
    return this.entities.get(name);
  }

  /** Accepts a client message; assigns a MessageId when there is none (the SDK needs one to track locks). */
  enqueue(entityName: string, message: rhea.Message, now = Date.now()): StoredMessage {
    const entity = this.requireEntity(entityName);
    if (message.message_id === undefined || message.message_id === null) message.message_id = rhea.generate_uuid();
    const scheduledFor = message.message_annotations?.['x-opt-scheduled-enqueue-time'] as Date | number | undefined;
    const scheduledAt = scheduledFor === undefined ? undefined : new Date(scheduledFor).getTime();
    const stored: StoredMessage = {
      seq: this.takeSeq(),
      entity: entityName,
      sessionId: message.group_id === undefined || message.group_id === null ? undefined : String(message.group_id),
      state: scheduledAt !== undefined && scheduledAt > now ? 'scheduled' : 'active',
      deliveryCount: 0,
      enqueuedAt: scheduledAt !== undefined && scheduledAt > now ? scheduledAt : now,
      scheduledAt,
      completesSeen: 0,
      raw: rhea.message.encode(message),
      lockToken: undefined,
    };
    entity.messages.set(stored.seq, stored);
    this.journal.saveMessage(stored);
    if (stored.state === 'scheduled') this.armSchedule(stored);
    else this.hooks.onAvailable(entityName);
    return stored;
  }

  cancelScheduled(entityName: string, seq: number): void {
    const message = this.entities.get(entityName)?.messages.get(seq);
    if (message?.state !== 'scheduled') return;
    clearTimeout(this.scheduleTimers.get(seq));
    this.scheduleTimers.delete(seq);
    this.remove(message);
  }

  /** The first message a receiver may take, in sequence order; for a session receiver, within its session. */
  nextAvailable(entityName: string, sessionId?: string): StoredMessage | undefined {
    for (const message of this.requireEntity(entityName).messages.values()) {
      if (message.state !== 'active' || message.lockToken) continue;
      if (sessionId === undefined || message.sessionId === sessionId) return message;
    }
    return undefined;
  }

  /** Session ids with a message ready, in the order of their oldest such message. */
  sessionsWithMessages(entityName: string): string[] {
    const ids = new Set<string>();
    for (const message of this.requireEntity(entityName).messages.values()) {
      if (message.state === 'active' && !message.lockToken && message.sessionId !== undefined) {
        ids.add(message.sessionId);
      }
    }
    return [...ids];
  }

  /**
   * Peek-locks a message. Session messages have no timer of their own: their lock lasts as long as the session
   * lock, which releases them.
   */
  lock(message: StoredMessage, owner: LockOwner, expiresAt: number, timed: boolean): string {
    const token = rhea.generate_uuid();
    const lock: MessageLock = { token, seq: message.seq, entity: message.entity, owner, expiresAt, timer: undefined };
    if (timed) lock.timer = this.armLockTimer(lock);
    this.locks.set(token, lock);
    message.lockToken = token;
    this.journal.saveMessage(message);
    return token;
  }

  /** receiveAndDelete: the message is gone as soon as it is sent. */
  takeForReceiveAndDelete(message: StoredMessage): void {
    this.remove(message);
  }

  lockExpiry(token: string): number | undefined {
    return this.liveLock(token)?.expiresAt;
  }

  lockOwner(token: string): LockOwner | undefined {
    return this.liveLock(token)?.owner;
  }

  /** Applies a settlement; false when the lock is unknown or expired (MessageLockLost). */
  settle(token: string, settlement: Settlement): boolean {
    const lock = this.liveLock(token);
    if (!lock) return false;
    const entity = this.requireEntity(lock.entity);
    const message = entity.messages.get(lock.seq);
    this.dropLock(lock);
    if (!message) return false;
    message.lockToken = undefined;
    this.applySettlement(entity, message, settlement);
    return true;
  }

  private applySettlement(entity: Entity, message: StoredMessage, settlement: Settlement): void {
    switch (settlement.kind) {
      case 'complete':
        if (message.completesSeen + 1 < this.redeliverEachMessage) {
          message.completesSeen += 1;
          this.countFailedDelivery(entity, message);
        } else {
          this.remove(message);
        }
        return;
      case 'abandon':
        this.countFailedDelivery(entity, message);
        return;
      case 'defer':
        message.state = 'deferred';
        this.journal.saveMessage(message);
        return;
      case 'deadLetter':
        this.deadLetter(entity, message, settlement.reason, settlement.description, settlement.properties);
        return;
    }
  }

  renewLock(token: string, now = Date.now()): number | undefined {
    const lock = this.liveLock(token, now);
    if (!lock) return undefined;
    const entity = this.requireEntity(lock.entity);
    lock.expiresAt = now + entity.spec.lockDurationMs;
    if (lock.timer) {
      clearTimeout(lock.timer);
      lock.timer = this.armLockTimer(lock);
    }
    return lock.expiresAt;
  }

  /** Releases every lock a predicate selects (closed connection, lost session); each counts a failed delivery. */
  releaseLocks(selects: (owner: LockOwner, message: StoredMessage | undefined) => boolean): void {
    const touched = new Set<string>();
    for (const lock of [...this.locks.values()]) {
      const entity = this.requireEntity(lock.entity);
      const message = entity.messages.get(lock.seq);
      if (!selects(lock.owner, message)) continue;
      this.dropLock(lock);
      if (message) {
        message.lockToken = undefined;
        this.countFailedDelivery(entity, message);
      }
      touched.add(lock.entity);
    }
    for (const entity of touched) this.hooks.onAvailable(entity);
  }

  peek(entityName: string, fromSeq: number, count: number, sessionId?: string): StoredMessage[] {
    const found: StoredMessage[] = [];
    for (const message of this.requireEntity(entityName).messages.values()) {
      if (found.length >= count) break;
      if (message.seq < fromSeq) continue;
      if (sessionId !== undefined && message.sessionId !== sessionId) continue;
      found.push(message);
    }
    return found;
  }

  getSessionState(entityName: string, sessionId: string): Buffer | undefined {
    return this.requireEntity(entityName).sessionStates.get(sessionId);
  }

  setSessionState(entityName: string, sessionId: string, state: Buffer | undefined): void {
    const states = this.requireEntity(entityName).sessionStates;
    if (state) states.set(sessionId, state);
    else states.delete(sessionId);
    this.journal.saveSessionState(entityName, sessionId, state);
  }

  stats(queueName: string): Omit<QueueStats, 'sessionsLocked'> {
    const counts = { active: 0, locked: 0, deadLettered: 0, scheduled: 0, deferred: 0 };
    for (const message of this.requireEntity(queueName).messages.values()) {
      if (message.lockToken) counts.locked += 1;
      else if (message.state === 'active') counts.active += 1;
      else if (message.state === 'scheduled') counts.scheduled += 1;
      else counts.deferred += 1;
    }
    counts.deadLettered = this.requireEntity(queueName + DEAD_LETTER_SUFFIX).messages.size;
    return counts;
  }

  deadLettered(queueName: string): DeadLetteredMessage[] {
    return [...this.requireEntity(queueName + DEAD_LETTER_SUFFIX).messages.values()].map((stored) => {
      const message = decodeMessage(stored.raw);
      const properties = (message.application_properties ?? {}) as Record<string, unknown>;
      return {
        queue: queueName,
        sequenceNumber: stored.seq,
        messageId: message.message_id,
        sessionId: stored.sessionId,
        deliveryCount: stored.deliveryCount,
        reason: properties.DeadLetterReason,
        description: properties.DeadLetterErrorDescription,
        body: readableBody(message.body),
      };
    });
  }

  close(): void {
    for (const lock of this.locks.values()) clearTimeout(lock.timer);
    for (const timer of this.scheduleTimers.values()) clearTimeout(timer);
    this.locks.clear();
    this.scheduleTimers.clear();
  }

  private countFailedDelivery(entity: Entity, message: StoredMessage): void {
    message.deliveryCount += 1;
    if (message.deliveryCount >= entity.spec.maxDeliveryCount) {
      const description = `Message could not be consumed after ${entity.spec.maxDeliveryCount} delivery attempts.`;
      this.deadLetter(entity, message, 'MaxDeliveryCountExceeded', description);
      return;
    }
    this.journal.saveMessage(message);
    this.hooks.onAvailable(entity.spec.name);
  }

  /** Moves a message to the dead-letter queue, keeping its sequence number and delivery count. */
  private deadLetter(
    entity: Entity,
    message: StoredMessage,
    reason: unknown,
    description: unknown,
    properties?: Record<string, unknown>,
  ): void {
    const dlq = this.requireEntity(entity.spec.name + DEAD_LETTER_SUFFIX);
    const decoded = decodeMessage(message.raw);
    decoded.application_properties = {
      ...(decoded.application_properties as Record<string, unknown> | undefined),
      ...properties,
      ...(reason === undefined ? {} : { DeadLetterReason: reason }),
      ...(description === undefined ? {} : { DeadLetterErrorDescription: description }),
    };
    entity.messages.delete(message.seq);
    const moved: StoredMessage = {
      ...message,
      entity: dlq.spec.name,
      state: 'active',
      lockToken: undefined,
      raw: rhea.message.encode(decoded),
    };
    dlq.messages.set(moved.seq, moved);
    this.journal.saveMessage(moved);
    this.hooks.onAvailable(dlq.spec.name);
  }

  private remove(message: StoredMessage): void {
    this.entities.get(message.entity)?.messages.delete(message.seq);
    this.journal.deleteMessage(message.seq);
  }

  private liveLock(token: string, now = Date.now()): MessageLock | undefined {
    const lock = this.locks.get(token);
    return lock && lock.expiresAt > now ? lock : undefined;
  }

  private dropLock(lock: MessageLock): void {
    clearTimeout(lock.timer);
    this.locks.delete(lock.token);
  }

  private armLockTimer(lock: MessageLock): NodeJS.Timeout {
    const timer = setTimeout(
      () => this.releaseLocks((owner, message) => message?.lockToken === lock.token),
      Math.max(0, lock.expiresAt - Date.now()),
    );
    timer.unref();
    return timer;
  }

  private armSchedule(message: StoredMessage): void {
    const timer = setTimeout(
      () => {
        this.scheduleTimers.delete(message.seq);
        message.state = 'active';
        this.journal.saveMessage(message);
        this.hooks.onAvailable(message.entity);
      },
      Math.max(0, (message.scheduledAt ?? 0) - Date.now()),
    );
    timer.unref();
    this.scheduleTimers.set(message.seq, timer);
  }

  private takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    this.journal.saveNextSeq(this.nextSeq);
    return seq;
  }

  private requireEntity(name: string): Entity {
    const entity = this.entities.get(name);
    if (!entity) throw new Error(`test broker: no queue named ${name}`);
    return entity;
  }
}
