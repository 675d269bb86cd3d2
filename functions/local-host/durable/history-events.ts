/**
 * History events in the Durable extension's wire shape (PascalCase fields, numeric `EventType`), built the
 * way durable-functions' replay engine reads them, plus the conversions to and from the status API's shape
 * (`EventType` as a name).
 */

/** HistoryEventType numbers (DurableTask's enum; checked against the package in df-internals.test.ts). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
} as const;

export type EventTypeName = keyof typeof EventType;

/** One history event as stored and as sent to the orchestrator (IsPlayed is added per episode). */
export interface HistoryEvent {
  readonly EventType: number;
  readonly EventId: number;
  /** ISO instant. */
  readonly Timestamp: string;
  readonly [field: string]: unknown;
}

/** How a failed activity or sub-orchestration is described (DurableTask's FailureDetails). */
export interface FailureDetails {
  readonly ErrorType: string;
  readonly ErrorMessage: string;
  readonly StackTrace?: string;
}

/** JSON text of a value; undefined becomes null (no value), as the extension stores it. */
export function toJson(value: unknown): string | null {
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

/** The value of stored JSON text; null (no value) becomes undefined. */
export function fromJson(text: string | null | undefined): unknown {
  return text === null || text === undefined ? undefined : (JSON.parse(text) as unknown);
}

function event(type: number, at: Date, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, Timestamp: at.toISOString(), ...fields };
}

export const orchestratorStarted = (at: Date): HistoryEvent => event(EventType.OrchestratorStarted, at);
export const orchestratorCompleted = (at: Date): HistoryEvent => event(EventType.OrchestratorCompleted, at);

export function executionStarted(
  at: Date,
  name: string,
  input: string | null,
  instanceId: string,
  executionId: string,
) {
  const fields = {
    Name: name,
    Input: input,
    OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
  };
  return event(EventType.ExecutionStarted, at, fields);
}

export function executionCompleted(at: Date, status: 'Completed' | 'Failed', result: string | null): HistoryEvent {
  return event(EventType.ExecutionCompleted, at, { OrchestrationStatus: status, Result: result });
}

export const executionTerminated = (at: Date, reason: string): HistoryEvent =>
  event(EventType.ExecutionTerminated, at, { Input: reason });

export const taskScheduled = (at: Date, seq: number, name: string, input: string | null): HistoryEvent =>
  event(EventType.TaskScheduled, at, { Name: name, Input: input }, seq);

/** `Result` must be JSON text (the replay engine JSON.parses it): an undefined result is sent as `null`. */
export const taskCompleted = (at: Date, seq: number, result: string | null): HistoryEvent =>
  event(EventType.TaskCompleted, at, { TaskScheduledId: seq, Result: result ?? 'null' });

/** Carries both shapes the replay engine accepts; it prefers FailureDetails (→ TaskFailedError). */
export const taskFailed = (at: Date, seq: number, failure: FailureDetails): HistoryEvent =>
  event(EventType.TaskFailed, at, failureFields(seq, failure));

export const timerCreated = (at: Date, seq: number, fireAt: Date): HistoryEvent =>
  event(EventType.TimerCreated, at, { FireAt: fireAt.toISOString() }, seq);

export const timerFired = (at: Date, seq: number, fireAt: string): HistoryEvent =>
  event(EventType.TimerFired, at, { TimerId: seq, FireAt: fireAt });

/** No `Input` field for an event without data: the replay engine then resolves the wait with undefined. */
export const eventRaised = (at: Date, name: string, input: string | null): HistoryEvent =>
  event(EventType.EventRaised, at, input === null ? { Name: name } : { Name: name, Input: input });

export function subOrchestrationCreated(at: Date, seq: number, name: string, instanceId: string, input: string | null) {
  return event(
    EventType.SubOrchestrationInstanceCreated,
    at,
    { Name: name, InstanceId: instanceId, Input: input },
    seq,
  );
}

export const subOrchestrationCompleted = (at: Date, seq: number, result: string | null): HistoryEvent =>
  event(EventType.SubOrchestrationInstanceCompleted, at, { TaskScheduledId: seq, Result: result ?? 'null' });

export const subOrchestrationFailed = (at: Date, seq: number, failure: FailureDetails): HistoryEvent =>
  event(EventType.SubOrchestrationInstanceFailed, at, failureFields(seq, failure));

function failureFields(seq: number, failure: FailureDetails): Record<string, unknown> {
  return {
    TaskScheduledId: seq,
    Reason: failure.ErrorMessage,
    Details: failure.StackTrace ?? '',
    FailureDetails: failure,
  };
}

/** A thrown value as FailureDetails (name, message and stack of an Error; text of anything else). */
export function failureOf(error: unknown): FailureDetails {
  if (error instanceof Error) {
    const details = { ErrorType: error.name, ErrorMessage: error.message };
    return error.stack === undefined ? details : { ...details, StackTrace: error.stack };
  }
  return { ErrorType: 'Error', ErrorMessage: typeof error === 'string' ? error : String(JSON.stringify(error)) };
}

const NAME_OF: ReadonlyMap<number, string> = new Map(Object.entries(EventType).map(([name, n]) => [n, name]));

/** The status API's shape of a history: `EventType` as its name (what `showHistory` returns). */
export function toStatusHistory(history: readonly HistoryEvent[]): unknown[] {
  return history.map((e) => ({ ...e, EventType: NAME_OF.get(e.EventType) ?? String(e.EventType) }));
}

/** Back from the status API's shape to the replay engine's (numeric `EventType`), e.g. to replay a saved history. */
export function fromStatusHistory(history: readonly unknown[]): HistoryEvent[] {
  return history.map((raw) => {
    const e = raw as Record<string, unknown>;
    const name = e['EventType'];
    const type = typeof name === 'string' ? EventType[name as EventTypeName] : name;
    if (typeof type !== 'number') throw new Error('history event with an unknown EventType');
    return { ...e, EventType: type } as HistoryEvent;
  });
}
