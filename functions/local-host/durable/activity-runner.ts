/**
 * Runs pending activity work items with bounded concurrency. A result becomes a TaskCompleted (or
 * TaskFailed) message and the work item is removed in the same transaction, so after a crash a work item
 * whose result was not recorded runs again (at-least-once, as in Azure).
 */
import type { Clock } from '../../../shared/ports/clock.port';
import type { Logger } from '../../../shared/ports/logger.port';
import type { FunctionInvoker } from './durable-engine';
import type { DurableStore, WorkItem } from './durable-store';
import { isActive } from './executions';
import { failureOf, fromJson, taskCompleted, taskFailed, toJson, type HistoryEvent } from './history-events';

export class ActivityRunner {
  private readonly inFlight = new Map<number, Promise<void>>();
  private accepting = true;

  constructor(
    private readonly store: DurableStore,
    private readonly invoker: FunctionInvoker,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly concurrency: number,
    /** Called after each activity's result is recorded (the engine then looks for new work). */
    private readonly onSettled: () => void,
  ) {}

  /** Activities currently running. */
  get running(): number {
    return this.inFlight.size;
  }

  /** Starts pending work items, up to the concurrency limit. */
  dispatch(): void {
    if (!this.accepting || this.store.isClosed) return;
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) return;
    for (const item of this.store.workItems(free, new Set(this.inFlight.keys()))) this.start(item);
  }

  /** Stops starting activities (those running go on). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when any running activity settles (immediately when none runs). */
  async whenAnySettled(): Promise<void> {
    if (this.inFlight.size > 0) await Promise.race(this.inFlight.values());
  }

  /** Resolves when every running activity has settled. */
  async whenAllSettled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private start(item: WorkItem): void {
    const run = this.execute(item).finally(() => {
      this.inFlight.delete(item.id);
      this.onSettled();
    });
    this.inFlight.set(item.id, run);
  }

  private async execute(item: WorkItem): Promise<void> {
    const fields = {
      instanceId: item.instanceId,
      name: item.name,
      taskId: item.seq,
      inputLength: item.input?.length ?? 0,
    };
    this.logger.debug('activity started', fields);
    let event: HistoryEvent;
    try {
      if (!this.invoker.hasActivity(item.name))
        throw new Error(`The function '${item.name}' doesn't exist, is disabled, or is not an activity function`);
      const result = await this.invoker.invokeActivity(item.name, fromJson(item.input));
      const json = toJson(result);
      event = taskCompleted(this.clock.now(), item.seq, json);
      this.logger.debug('activity completed', { ...fields, resultLength: json?.length ?? 0 });
    } catch (error) {
      event = taskFailed(this.clock.now(), item.seq, failureOf(error));
      this.logger.warn('activity failed', { ...fields, errorType: error instanceof Error ? error.name : typeof error });
    }
    // Abandoned at stop(): the database is closed and the work item stays, to run again after a restart.
    if (this.store.isClosed) return;
    this.record(item, event);
  }

  private record(item: WorkItem, event: HistoryEvent): void {
    this.store.transaction(() => {
      if (!this.store.workItemExists(item.id)) return; // terminated, purged or continued-as-new meanwhile
      const instance = this.store.getInstance(item.instanceId);
      if (instance !== undefined && instance.executionId === item.executionId && isActive(instance.status)) {
        this.store.enqueue(item.instanceId, item.executionId, event);
      }
      this.store.deleteWorkItem(item.id);
    });
  }
}
