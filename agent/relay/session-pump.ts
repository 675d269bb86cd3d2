/**
 * One session receiver: takes the next worker whose commands are waiting (an exclusive session lock, so
 * no other agent serves that worker meanwhile), handles its messages one at a time in order, and lets
 * the session go when it has been idle for a moment. The agent runs N of these: many workers at once,
 * each worker's commands in order. A worker whose commands keep failing holds only its own session.
 */
import {
  isServiceBusError,
  type ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusSessionReceiver,
} from '@azure/service-bus';
import type { Logger } from '../../shared/ports/logger.port';
import type { CommandHandler, Settlement } from './command-handler';
import { withSessionFence } from './session-fence';
import type { RelayCounters } from './relay-counters';

export interface SessionPumpOptions {
  readonly client: ServiceBusClient;
  readonly queue: string;
  readonly handler: CommandHandler;
  readonly counters: RelayCounters;
  readonly logger: Logger;
  /** How long to wait for a worker's next message before letting its session go. */
  readonly idleMs: number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Shared by the agent's pumps, so that one worker's messages are handled one at a time across all of them. */
  readonly turns?: WorkerTurns;
}

/**
 * One worker's messages are handled one at a time by the whole agent, not only by one session receiver.
 * The session lock alone does not ensure it: when a receiver's link drops (a lost lock, a drain the client
 * gave up on), the broker frees the session while the handler may still be applying its message, and
 * another receiver of the same agent can take the session and get the same message again. Handled
 * concurrently, both would create the account; handled in turn, the second finds the journaled result.
 */
export class WorkerTurns {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(workerKey: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(workerKey) ?? Promise.resolve();
    const turn = previous.catch(() => undefined).then(work);
    this.tails.set(workerKey, turn);
    try {
      return await turn;
    } finally {
      if (this.tails.get(workerKey) === turn) this.tails.delete(workerKey);
    }
  }
}

/** The pause before asking again when no session is free, or after the connection failed. */
const NO_SESSION_PAUSE_MS = 250;
const FAULT_PAUSE_MS = 1_000;

export class SessionPump {
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private receiver: ServiceBusSessionReceiver | undefined;
  private readonly turns: WorkerTurns;

  constructor(private readonly options: SessionPumpOptions) {
    this.turns = options.turns ?? new WorkerTurns();
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.receiver?.close().catch(() => undefined);
    await this.running;
  }

  private async loop(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const receiver = await this.acceptNext();
      if (!receiver) continue;
      this.receiver = receiver;
      this.options.counters.sessionsHeld++;
      try {
        await this.serve(receiver);
      } catch (error) {
        if (signal.aborted) break;
        this.noteFault(error, receiver.sessionId);
        await this.options.sleep(FAULT_PAUSE_MS, signal);
      } finally {
        this.options.counters.sessionsHeld--;
        this.receiver = undefined;
        await receiver.close().catch(() => undefined);
      }
    }
  }

  /** The next session with waiting messages, or undefined (after a pause) when none is free. */
  private async acceptNext(): Promise<ServiceBusSessionReceiver | undefined> {
    const { signal } = this.stopping;
    try {
      return await this.whileRunning((abortSignal) =>
        this.options.client.acceptNextSession(this.options.queue, {
          receiveMode: 'peekLock',
          maxAutoLockRenewalDurationInMs: 10 * 60_000,
          abortSignal,
        }),
      );
    } catch (error) {
      if (!signal.aborted && !isNoSessionFree(error)) this.noteFault(error, undefined);
      await this.options.sleep(isNoSessionFree(error) ? NO_SESSION_PAUSE_MS : FAULT_PAUSE_MS, signal);
      return undefined;
    }
  }

  /** Handles the session's messages in order until none comes within the idle time. */
  private async serve(receiver: ServiceBusSessionReceiver): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const [message] = await this.whileRunning((abortSignal) =>
        receiver.receiveMessages(1, { maxWaitTimeInMs: this.options.idleMs, abortSignal }),
      );
      if (!message) return;
      await this.turns.run(receiver.sessionId, () => this.handleAndSettle(receiver, message));
      // An abandoned message comes straight back to this session; the backoff was taken before abandoning.
    }
  }

  private async handleAndSettle(receiver: ServiceBusSessionReceiver, message: ServiceBusReceivedMessage) {
    const received = {
      body: message.body as unknown,
      sessionId: receiver.sessionId,
      messageId: String(message.messageId ?? ''),
      deliveryCount: message.deliveryCount ?? 0,
    };
    const settlement = await withSessionFence(
      () => stillHeld(receiver),
      () => this.options.handler.handle(received),
    );
    await this.settle(receiver, message, settlement);
  }

  private async settle(
    receiver: ServiceBusSessionReceiver,
    message: ServiceBusReceivedMessage,
    settlement: Settlement,
  ): Promise<void> {
    switch (settlement.kind) {
      case 'complete':
        return receiver.completeMessage(message);
      case 'abandon':
        await this.options.sleep(settlement.afterMs, this.stopping.signal);
        return receiver.abandonMessage(message);
      case 'deadLetter':
        return receiver.deadLetterMessage(message, {
          deadLetterReason: settlement.reason,
          deadLetterErrorDescription: settlement.description,
        });
    }
  }

  /**
   * Runs one SDK call with a signal of its own that aborts when the pump stops. The pump's long-lived
   * signal is never handed to the SDK: listeners it leaves on a signal would keep every session's
   * receiver alive for the life of the process.
   */
  private async whileRunning<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const local = new AbortController();
    const abort = () => local.abort();
    this.stopping.signal.addEventListener('abort', abort, { once: true });
    try {
      return await call(local.signal);
    } finally {
      this.stopping.signal.removeEventListener('abort', abort);
    }
  }

  private noteFault(error: unknown, sessionId: string | undefined): void {
    const text = describeError(error);
    this.options.counters.noteError(text);
    this.options.logger.warn('session receiver fault', { ...(sessionId ? { workerKey: sessionId } : {}), error: text });
  }
}

/** Whether this receiver's session lock is still in force (auto-renewal moves it forward while it is). */
function stillHeld(receiver: ServiceBusSessionReceiver): boolean {
  const lockedUntil = receiver.sessionLockedUntilUtc?.getTime();
  return lockedUntil === undefined || lockedUntil > Date.now();
}

/** Service Bus answers "no session free" with a timeout (the real service after a wait, a test broker at once). */
function isNoSessionFree(error: unknown): boolean {
  return isServiceBusError(error) && (error.code === 'ServiceTimeout' || error.code === 'SessionCannotBeLocked');
}

/** One line, no secrets: Service Bus errors carry codes and messages, never the connection string. */
function describeError(error: unknown): string {
  if (isServiceBusError(error)) return `${error.code}: ${error.message}`.slice(0, 500);
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
