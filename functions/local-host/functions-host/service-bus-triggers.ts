/**
 * Runs `app.serviceBusQueue` functions as the Functions host's Service Bus extension does: one receiver
 * per function on its queue (peek-lock, through the real SDK), the connection string from the app setting
 * the registration names, each message handed to the function through the programming model, completed
 * when the function returns and abandoned when it throws — the queue's max delivery count then moves a
 * message that keeps failing to the dead-letter queue. Session-enabled queues are not run here.
 */
import { ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import WebSocket from 'ws';
import type { Logger } from '../../../shared/ports/logger.port';
import type { ServiceBusTriggerMessage } from './rpc-data';

/** One Service Bus function. */
export interface ServiceBusFunction {
  readonly name: string;
  readonly queueName: string;
  /** The app setting that holds the connection string. */
  readonly connection: string;
}

export interface ServiceBusTriggersOptions {
  readonly functions: readonly ServiceBusFunction[];
  readonly invoke: (name: string, message: ServiceBusTriggerMessage) => Promise<void>;
  /** App settings: the connection strings by setting name. */
  readonly settings: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** AMQP over WebSockets (setting `ServiceBusWebSockets`-like choice of the host; default false). */
  readonly webSockets?: boolean;
  /** Messages one function handles at once (the extension's `maxConcurrentCalls`; default 4). */
  readonly maxConcurrentCalls?: number;
}

interface Running {
  readonly client: ServiceBusClient;
  readonly receiver: ServiceBusReceiver;
  readonly close: () => Promise<void>;
}

/** The runner: `start()` subscribes every function's receiver, `stop()` closes them after the calls in flight. */
export class ServiceBusTriggers {
  private readonly running: Running[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: ServiceBusTriggersOptions) {}

  /** Checks every function's connection setting first, so a missing one fails the start, not a message. */
  start(): void {
    const connections = this.options.functions.map((fn) => this.connectionString(fn));
    this.options.functions.forEach((fn, i) => this.running.push(this.subscribe(fn, connections[i]!)));
  }

  /** Stops receiving, lets calls in flight finish (and settle their messages), then closes the clients. */
  async stop(): Promise<void> {
    const running = this.running.splice(0);
    await Promise.all(running.map((r) => r.close()));
    await Promise.all([...this.inFlight]);
    for (const r of running) {
      await r.receiver.close();
      await r.client.close();
    }
  }

  private connectionString(fn: ServiceBusFunction): string {
    const value = this.options.settings[fn.connection];
    if (!value)
      throw new Error(`function ${fn.name}: app setting ${fn.connection} (Service Bus connection) is not set`);
    return value;
  }

  private subscribe(fn: ServiceBusFunction, connectionString: string): Running {
    const client = new ServiceBusClient(
      connectionString,
      this.options.webSockets ? { webSocketOptions: { webSocket: WebSocket } } : {},
    );
    const receiver = client.createReceiver(fn.queueName, { receiveMode: 'peekLock' });
    const subscription = receiver.subscribe(
      {
        processMessage: (message) => this.track(this.handle(fn, receiver, message)),
        processError: async (args) => {
          this.options.logger.warn('Service Bus receiver error', {
            functionName: fn.name,
            queueName: fn.queueName,
            source: args.errorSource,
            error: args.error.name,
          });
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: this.options.maxConcurrentCalls ?? 4 },
    );
    return { client, receiver, close: () => subscription.close() };
  }

  private track(call: Promise<void>): Promise<void> {
    this.inFlight.add(call);
    return call.finally(() => this.inFlight.delete(call));
  }

  /** Complete on success, abandon on a throw; a settle that fails is logged (the lock then expires). */
  private async handle(
    fn: ServiceBusFunction,
    receiver: ServiceBusReceiver,
    message: ServiceBusReceivedMessage,
  ): Promise<void> {
    const ids = { functionName: fn.name, messageId: String(message.messageId), deliveryCount: message.deliveryCount };
    let failed = false;
    try {
      await this.options.invoke(fn.name, {
        body: message.body as unknown,
        ...(message.messageId !== undefined ? { messageId: message.messageId } : {}),
        ...(message.deliveryCount !== undefined ? { deliveryCount: message.deliveryCount } : {}),
        ...(message.enqueuedTimeUtc ? { enqueuedTimeUtc: message.enqueuedTimeUtc } : {}),
        ...(message.sessionId !== undefined ? { sessionId: message.sessionId } : {}),
        applicationProperties: message.applicationProperties ?? {},
      });
    } catch (error) {
      failed = true;
      this.options.logger.warn('Service Bus function failed; message abandoned', {
        ...ids,
        error: (error as Error).name,
      });
    }
    try {
      await (failed ? receiver.abandonMessage(message) : receiver.completeMessage(message));
    } catch (error) {
      this.options.logger.warn('Service Bus message not settled', { ...ids, error: (error as Error).name });
    }
  }
}
