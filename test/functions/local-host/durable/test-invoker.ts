/**
 * A FunctionInvoker for tests, without the Functions host: orchestrators run through durable-functions'
 * createOrchestrator (the callback df.app.orchestration registers) with a fresh InvocationContext per call;
 * activities are plain async functions. It records every episode and activity call for assertions.
 */
import { InvocationContext } from '@azure/functions';
import type { OrchestrationContext } from 'durable-functions';
import type {
  FunctionInvoker,
  OrchestrationTriggerPayload,
  OrchestratorEpisode,
} from '../../../../functions/local-host/durable/durable-engine';
import { createOrchestrator, type OrchestratorCallback } from '../../../../functions/local-host/durable/df-internals';
import type { LogFields, Logger } from '../../../../shared/ports/logger.port';

export type OrchestratorFunction = (context: OrchestrationContext) => Generator<unknown, unknown, unknown>;
export type ActivityFunction = (input: unknown) => Promise<unknown>;

export interface RecordedEpisode {
  readonly name: string;
  readonly payload: OrchestrationTriggerPayload;
  readonly episode?: OrchestratorEpisode;
}

export class TestInvoker implements FunctionInvoker {
  private readonly orchestrators = new Map<string, OrchestratorCallback>();
  private readonly activityFns = new Map<string, ActivityFunction>();
  readonly episodes: RecordedEpisode[] = [];
  readonly activityCalls: { name: string; input: unknown }[] = [];

  orchestration(name: string, fn: OrchestratorFunction): this {
    this.orchestrators.set(name, createOrchestrator(fn as never));
    return this;
  }

  activity(name: string, fn: ActivityFunction): this {
    this.activityFns.set(name, fn);
    return this;
  }

  /** Runs the orchestrator callback as the host would; the state goes through JSON as on the wire. */
  async runOrchestrator(name: string, payload: OrchestrationTriggerPayload): Promise<OrchestratorEpisode> {
    const callback = this.orchestrators.get(name);
    if (callback === undefined) throw new Error(`no orchestrator ${name}`);
    // A fresh InvocationContext per call: durable-functions only builds context.df when it is undefined.
    const state = await callback(payload, new InvocationContext({ functionName: name }));
    return JSON.parse(JSON.stringify(state)) as OrchestratorEpisode;
  }

  async invokeOrchestrator(name: string, payload: OrchestrationTriggerPayload): Promise<OrchestratorEpisode> {
    // The engine's payload is reused by nothing else, but durable-functions mutates Timestamps: copy it.
    const copy = JSON.parse(JSON.stringify(payload)) as OrchestrationTriggerPayload;
    const episode = await this.runOrchestrator(name, copy);
    this.episodes.push({ name, payload, episode });
    return episode;
  }

  async invokeActivity(name: string, input: unknown): Promise<unknown> {
    const fn = this.activityFns.get(name);
    if (fn === undefined) throw new Error(`no activity ${name}`);
    this.activityCalls.push({ name, input });
    return fn(input);
  }

  hasOrchestrator(name: string): boolean {
    return this.orchestrators.has(name);
  }

  hasActivity(name: string): boolean {
    return this.activityFns.has(name);
  }

  callsOf(name: string): unknown[] {
    return this.activityCalls.filter((c) => c.name === name).map((c) => c.input);
  }
}

export interface LogRecord {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields;
}

/** A Logger that keeps every event in memory. */
export class MemoryLogger implements Logger {
  constructor(
    readonly records: LogRecord[] = [],
    private readonly bindings: LogFields = {},
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.records.push({ level: 'debug', message, fields: { ...this.bindings, ...fields } });
  }
  info(message: string, fields?: LogFields): void {
    this.records.push({ level: 'info', message, fields: { ...this.bindings, ...fields } });
  }
  warn(message: string, fields?: LogFields): void {
    this.records.push({ level: 'warn', message, fields: { ...this.bindings, ...fields } });
  }
  error(message: string, fields?: LogFields): void {
    this.records.push({ level: 'error', message, fields: { ...this.bindings, ...fields } });
  }
  child(bindings: LogFields): Logger {
    return new MemoryLogger(this.records, { ...this.bindings, ...bindings });
  }
}

/** A promise with its resolve function outside, to hold an activity until a test lets it go. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** HistoryEvent types (names) of a getStatus({showHistory}) answer. */
export function eventTypes(history: readonly unknown[] | undefined): string[] {
  return (history ?? []).map((e) => String((e as { EventType: unknown }).EventType));
}

/** Events of one type, with their fields. */
export function eventsOf(history: readonly unknown[] | undefined, type: string): Record<string, unknown>[] {
  return (history ?? []).map((e) => e as Record<string, unknown>).filter((e) => e['EventType'] === type);
}
