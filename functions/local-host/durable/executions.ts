/**
 * An instance's lifecycle in the store: starting an execution (a client's startNew, a parent's
 * sub-orchestration, continue-as-new) and ending one (completed, failed, terminated), including the
 * message a parent gets when its sub-orchestration ends. Call these inside a store transaction.
 */
import { randomUUID } from 'node:crypto';
import type { DurableStore, InstanceRow } from './durable-store';
import * as h from './history-events';
import type { RuntimeStatus } from './durable-engine';

/** Whether an instance still runs (takes messages, may be replaced only when not). */
export const isActive = (status: RuntimeStatus): boolean => status === 'Pending' || status === 'Running';

export interface NewExecution {
  readonly instanceId: string;
  readonly name: string;
  /** JSON text, null for no input. */
  readonly input: string | null;
  readonly parent?: { readonly instanceId: string; readonly executionId: string; readonly taskId: number };
}

/**
 * Creates a Pending instance (replacing a finished one: its history and leftovers go) and queues its
 * ExecutionStarted message. The caller checks that no active instance has the id.
 */
export function createExecution(store: DurableStore, spec: NewExecution, now: Date): InstanceRow {
  const previous = store.getInstance(spec.instanceId);
  if (previous !== undefined) store.deleteInstance(spec.instanceId);
  const at = now.toISOString();
  const row: InstanceRow = {
    instanceId: spec.instanceId,
    name: spec.name,
    status: 'Pending',
    input: spec.input,
    output: null,
    customStatus: null,
    createdAt: at,
    updatedAt: at,
    executionId: randomUUID(),
    generation: 0,
    nextSeq: 0,
    actionCount: 0,
    parentInstanceId: spec.parent?.instanceId ?? null,
    parentExecutionId: spec.parent?.executionId ?? null,
    parentTaskId: spec.parent?.taskId ?? null,
  };
  store.putInstance(row);
  store.enqueue(
    row.instanceId,
    row.executionId,
    h.executionStarted(now, row.name, row.input, row.instanceId, row.executionId),
  );
  return row;
}

/**
 * Starts a sub-orchestration for a parent's task. When an instance with that id is still running, the
 * parent's task fails instead (as the extension refuses a duplicate instance id).
 */
export function startChild(
  store: DurableStore,
  parent: InstanceRow,
  child: { seq: number; instanceId: string; name: string; input: string | null },
  now: Date,
): void {
  const existing = store.getInstance(child.instanceId);
  if (existing !== undefined && isActive(existing.status)) {
    const failure = {
      ErrorType: 'InstanceExistsError',
      ErrorMessage: `an orchestration with instance id ${child.instanceId} is already running`,
    };
    store.enqueue(parent.instanceId, parent.executionId, h.subOrchestrationFailed(now, child.seq, failure));
    return;
  }
  const spec = { instanceId: child.instanceId, name: child.name, input: child.input };
  createExecution(
    store,
    { ...spec, parent: { instanceId: parent.instanceId, executionId: parent.executionId, taskId: child.seq } },
    now,
  );
}

export interface Ending {
  readonly status: 'Completed' | 'Failed' | 'Terminated';
  /** JSON text of the output (for Failed and Terminated: of the message). */
  readonly output: string | null;
  readonly customStatus: string | null;
  readonly history: readonly h.HistoryEvent[];
}

/** Ends the current execution: drops its pending work and messages, records the result, tells the parent. */
export function endExecution(store: DurableStore, instance: InstanceRow, ending: Ending, now: Date): void {
  store.clearExecutionState(instance.instanceId);
  store.deleteInbox(instance.instanceId);
  store.appendHistory(instance.instanceId, ending.history);
  const row = {
    ...instance,
    status: ending.status,
    output: ending.output,
    customStatus: ending.customStatus,
    updatedAt: now.toISOString(),
  };
  store.putInstance(row);
  notifyParent(store, row, now);
}

function notifyParent(store: DurableStore, child: InstanceRow, now: Date): void {
  if (child.parentInstanceId === null || child.parentExecutionId === null || child.parentTaskId === null) return;
  const parent = store.getInstance(child.parentInstanceId);
  if (parent === undefined || parent.executionId !== child.parentExecutionId || !isActive(parent.status)) return;
  const event =
    child.status === 'Completed'
      ? h.subOrchestrationCompleted(now, child.parentTaskId, child.output)
      : h.subOrchestrationFailed(now, child.parentTaskId, {
          ErrorType: 'OrchestrationFailure',
          ErrorMessage: `Orchestrator function '${child.name}' ${child.status === 'Failed' ? 'failed' : 'was terminated'}: ${String(h.fromJson(child.output))}`,
        });
  store.enqueue(parent.instanceId, parent.executionId, event);
}

/**
 * Continue-as-new: a fresh execution (new id, empty history, the new input) of the same instance. Its
 * ExecutionStarted is queued first, then the events the last execution never consumed, then events still
 * waiting in the inbox; completions addressed to the old execution are dropped.
 */
export function continueAsNew(
  store: DurableStore,
  instance: InstanceRow,
  input: string | null,
  carried: readonly h.HistoryEvent[],
  customStatus: string | null,
  now: Date,
): void {
  const waiting = store.inbox(instance.instanceId).filter((m) => m.executionId === null);
  store.clearExecutionState(instance.instanceId);
  store.deleteInbox(instance.instanceId);
  store.deleteHistory(instance.instanceId);
  const row: InstanceRow = {
    ...instance,
    status: 'Running',
    input,
    output: null,
    customStatus,
    updatedAt: now.toISOString(),
    executionId: randomUUID(),
    generation: instance.generation + 1,
    nextSeq: 0,
    actionCount: 0,
  };
  store.putInstance(row);
  store.enqueue(
    row.instanceId,
    row.executionId,
    h.executionStarted(now, row.name, input, row.instanceId, row.executionId),
  );
  for (const e of carried) store.enqueue(row.instanceId, null, e);
  for (const m of waiting) store.enqueue(row.instanceId, null, m.event);
}
