/** Shapes shared by the test broker's modules. The broker is test tooling: none of this is product code. */

/** One queue declared at start. */
export interface QueueSpec {
  name: string;
  /** Messages are grouped by session id and read under an exclusive session lock. Default false. */
  requiresSession?: boolean;
  /** How long a message lock (or session lock) lasts without renewal. Default 30000. */
  lockDurationMs?: number;
  /** Failed deliveries after which a message goes to the dead-letter queue. Default 10. */
  maxDeliveryCount?: number;
}

export interface BrokerOptions {
  queues: QueueSpec[];
  /** AMQP port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** AMQP-over-WebSockets (TLS) port on 127.0.0.1; 0 picks one; undefined means no WebSocket listener. */
  wsPort?: number;
  /** SQLite file that makes messages, counts and session state survive a restart; undefined keeps all in memory. */
  dataFile?: string;
  /**
   * Test-only knob: every message is delivered this many times. The first N-1 settlements with "complete"
   * are turned into an abandon (delivery count +1), so a consumer can be shown to be idempotent.
   */
  redeliverEachMessage?: number;
}

export type EntitySpec = Required<Omit<QueueSpec, 'name'>> & { name: string };

export type MessageState = 'active' | 'scheduled' | 'deferred';

/** A message as the broker keeps it: the client's encoded AMQP message plus the broker's bookkeeping. */
export interface StoredMessage {
  seq: number;
  entity: string;
  sessionId: string | undefined;
  state: MessageState;
  /** Failed deliveries so far (abandons, lost locks); sent as the AMQP header delivery-count. */
  deliveryCount: number;
  enqueuedAt: number;
  scheduledAt: number | undefined;
  /** Completes turned into abandons by `redeliverEachMessage`. */
  completesSeen: number;
  raw: Buffer;
  /** Lock token while a receiver holds it in peek-lock mode. */
  lockToken: string | undefined;
}

export interface QueueStats {
  active: number;
  locked: number;
  deadLettered: number;
  scheduled: number;
  deferred: number;
  sessionsLocked: number;
}

export interface DeadLetteredMessage {
  queue: string;
  sequenceNumber: number;
  messageId: unknown;
  sessionId: string | undefined;
  deliveryCount: number;
  reason: unknown;
  description: unknown;
  body: unknown;
}
