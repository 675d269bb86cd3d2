/**
 * Runs one orchestrator episode for an instance: takes its inbox messages, replays the history plus those
 * messages through the app's orchestrator (durable-functions' own replay engine, via the FunctionInvoker),
 * plans the effects and commits them in one transaction.
 */
import type { Clock } from '../../../shared/ports/clock.port';
import type { Logger } from '../../../shared/ports/logger.port';
import type { FunctionInvoker, OrchestrationTriggerPayload } from './durable-engine';
import { OUT_OF_PROC_DATA_LABEL } from './df-internals';
import type { DurableStore, InboxMessage, InstanceRow, Slot } from './durable-store';
import { commitEpisode } from './episode-commit';
import { allocationOf, planEpisode, type EpisodeResult } from './episode-plan';
import { EventType, fromJson, orchestratorStarted, type HistoryEvent } from './history-events';

/** The extension's settings the payload carries (V4 schema; timers over 6 days are split in 3-day steps). */
const PAYLOAD_SETTINGS = {
  upperSchemaVersion: 3,
  maximumShortTimerDuration: '6.00:00:00',
  longRunningTimerIntervalDuration: '3.00:00:00',
  defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
} as const;

interface Snapshot {
  readonly instance: InstanceRow;
  readonly history: HistoryEvent[];
  readonly slots: Map<number, Slot>;
  readonly batch: InboxMessage[];
  readonly stale: InboxMessage[];
}

/**
 * The messages one episode takes: the execution's start first, then messages in arrival order, stopping
 * before any message (other than the first) that makes the replay engine allocate a sequence number, so
 * the planner knows those allocations come before the episode's new actions.
 */
export function selectBatch(
  inbox: readonly InboxMessage[],
  instance: InstanceRow,
  slots: ReadonlyMap<number, Slot>,
  hasHistory: boolean,
) {
  const stale = inbox.filter((m) => m.executionId !== null && m.executionId !== instance.executionId);
  const live = inbox.filter((m) => !stale.includes(m));
  const start = live.find((m) => m.event.EventType === EventType.ExecutionStarted);
  // Messages for an execution that never started cannot be processed: drop them rather than spin on them.
  if (!hasHistory && start === undefined) return { batch: [], stale: [...inbox] };
  const ordered = start === undefined ? live : [start, ...live.filter((m) => m !== start)];
  const batch: InboxMessage[] = [];
  for (const m of ordered) {
    if (batch.length > 0 && allocationOf(m.event, slots) !== null) break;
    batch.push(m);
  }
  return { batch, stale };
}

interface FailureState {
  readonly error?: unknown;
  readonly customStatus?: unknown;
}

/**
 * The failure of a rejected orchestrator: the `error` of the state durable-functions reports, read from an
 * `episode` property (an invoker that already parsed it) or from OrchestrationFailureError's message (whose
 * text before the state label is only "false"); otherwise the error's own message.
 */
export function failureOfOrchestrator(error: unknown): { message: string; customStatus: unknown } {
  const text = error instanceof Error ? error.message : String(error);
  const attached = (error as { episode?: FailureState } | null)?.episode;
  const at = text.indexOf(OUT_OF_PROC_DATA_LABEL);
  let state: FailureState | undefined = typeof attached === 'object' && attached !== null ? attached : undefined;
  if (state === undefined && at >= 0) {
    try {
      state = JSON.parse(text.slice(at + OUT_OF_PROC_DATA_LABEL.length)) as FailureState;
    } catch {
      state = undefined;
    }
  }
  const fallback = at >= 0 ? text.slice(0, at) : text;
  return { message: typeof state?.error === 'string' ? state.error : fallback, customStatus: state?.customStatus };
}

export class EpisodeRunner {
  constructor(
    private readonly store: DurableStore,
    private readonly invoker: FunctionInvoker,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Runs one episode for the instance if it has messages to process; false when there was nothing to do. */
  async run(instanceId: string): Promise<boolean> {
    const snapshot = this.load(instanceId);
    if (snapshot === undefined) return false;
    const { instance, history, batch, stale } = snapshot;
    if (batch.length === 0) {
      if (stale.length > 0) this.store.transaction(() => this.store.deleteMessages(stale.map((m) => m.id)));
      return stale.length > 0;
    }
    const now = this.episodeTime(history);
    const result = await this.invoke(instance, history, batch, now);
    if (this.store.isClosed) return false;
    const plan = this.plan(snapshot, result, now);
    const commit = { instanceId, executionId: instance.executionId, consumed: batch, stale, plan, now };
    const committed = commitEpisode(this.store, commit);
    const fields = { instanceId, name: instance.name, messages: batch.length, historyLength: history.length };
    this.logger.debug('orchestrator episode committed', { ...fields, committed, event: plan.outcome.kind });
    if (committed && plan.outcome.kind !== 'running') {
      this.logger.info('orchestration execution ended', { instanceId, name: instance.name, event: plan.outcome.kind });
    }
    return true;
  }

  private load(instanceId: string): Snapshot | undefined {
    const instance = this.store.getInstance(instanceId);
    if (instance === undefined) return undefined;
    const history = this.store.history(instanceId);
    const slots = this.store.slots(instanceId, instance.executionId);
    const { batch, stale } = selectBatch(this.store.inbox(instanceId), instance, slots, history.length > 0);
    return { instance, history, slots, batch, stale };
  }

  /** OrchestratorStarted's time: the clock, never earlier than the previous episode's (replay time is monotonic). */
  private episodeTime(history: readonly HistoryEvent[]): Date {
    const now = this.clock.now();
    const last = history.findLast((e) => e.EventType === EventType.OrchestratorStarted);
    const previous = last === undefined ? 0 : Date.parse(last.Timestamp);
    return now.getTime() >= previous ? now : new Date(previous);
  }

  private async invoke(
    instance: InstanceRow,
    history: readonly HistoryEvent[],
    batch: readonly InboxMessage[],
    now: Date,
  ): Promise<EpisodeResult> {
    const payload: OrchestrationTriggerPayload = {
      history: [
        ...history.map((e) => ({ ...e, IsPlayed: true })),
        { ...orchestratorStarted(now), IsPlayed: false },
        ...batch.map((m) => ({ ...m.event, IsPlayed: false })),
      ],
      input: fromJson(instance.input),
      instanceId: instance.instanceId,
      isReplaying: false,
      parentInstanceId: instance.parentInstanceId,
      ...PAYLOAD_SETTINGS,
    };
    try {
      if (!this.invoker.hasOrchestrator(instance.name))
        throw new Error(
          `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function`,
        );
      const episode = await this.invoker.invokeOrchestrator(instance.name, payload);
      return {
        ok: true,
        isDone: episode.isDone,
        actions: episode.actions,
        output: episode.output,
        customStatus: episode.customStatus,
      };
    } catch (error) {
      const failure = failureOfOrchestrator(error);
      this.logger.warn('orchestrator failed', {
        instanceId: instance.instanceId,
        name: instance.name,
        messageLength: failure.message.length,
      });
      return { ok: false, ...failure };
    }
  }

  private plan(snapshot: Snapshot, result: EpisodeResult, now: Date) {
    const { instance, history, slots, batch } = snapshot;
    const input = {
      instanceId: instance.instanceId,
      nextSeq: instance.nextSeq,
      actionCount: instance.actionCount,
      history,
      batch,
      slots,
      now,
    };
    return planEpisode(input, result);
  }
}
