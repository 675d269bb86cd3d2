/**
 * Planning one orchestrator episode's effects (pure: no I/O). The replay engine hands out sequence numbers
 * as tasks are scheduled, and also, out of sight of the action list, when a retried task fails (its retry
 * timer) and when that timer fires (the new attempt). The planner mirrors that: it allocates for the batch's
 * first message (the batch selection guarantees only the first one can allocate), then for each new action.
 */
import {
  ActionType,
  countWaits,
  decodeProcessedInput,
  flattenActions,
  isSupported,
  retryDelayMs,
  takesSequenceNumber,
  type RawAction,
} from './actions';
import type { InboxMessage, Slot, SlotDetail } from './durable-store';
import * as h from './history-events';
import { EventType, type HistoryEvent } from './history-events';

export interface ChildStart {
  readonly seq: number;
  readonly instanceId: string;
  readonly name: string;
  readonly input: string | null;
}

export type Outcome =
  | { readonly kind: 'running'; readonly customStatus: string | null }
  | { readonly kind: 'completed'; readonly output: string | null; readonly customStatus: string | null }
  | { readonly kind: 'failed'; readonly message: string; readonly customStatus: string | null }
  | {
      readonly kind: 'continued';
      readonly input: string | null;
      readonly carried: readonly HistoryEvent[];
      readonly customStatus: string | null;
    };

/** Everything one episode commits, in one transaction. */
export interface EpisodePlan {
  readonly history: HistoryEvent[];
  readonly nextSeq: number;
  readonly actionCount: number;
  readonly newSlots: Slot[];
  readonly closedSeqs: number[];
  readonly timers: { seq: number; fireAt: Date }[];
  readonly cancelledTimers: number[];
  readonly workItems: { seq: number; name: string; input: string | null }[];
  readonly children: ChildStart[];
  readonly outcome: Outcome;
}

/** What the planner knows about the instance before the episode. */
export interface EpisodeInput {
  readonly instanceId: string;
  readonly nextSeq: number;
  readonly actionCount: number;
  readonly history: readonly HistoryEvent[];
  readonly batch: readonly InboxMessage[];
  readonly slots: ReadonlyMap<number, Slot>;
  /** The episode's OrchestratorStarted instant. */
  readonly now: Date;
}

/** The orchestrator's answer: its state, or the failure message when it threw. */
export type EpisodeResult =
  | {
      readonly ok: true;
      readonly isDone: boolean;
      readonly actions: readonly unknown[];
      readonly output: unknown;
      readonly customStatus: unknown;
    }
  | { readonly ok: false; readonly message: string; readonly customStatus: unknown };

type Allocation = 'retry-timer' | 'retry-attempt' | null;

function completedSeq(e: HistoryEvent): number | undefined {
  const id = e.EventType === EventType.TimerFired ? e['TimerId'] : e['TaskScheduledId'];
  return typeof id === 'number' ? id : undefined;
}

const isFailure = (e: HistoryEvent): boolean =>
  e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed;

/** Whether processing this message makes the replay engine allocate a sequence number (retry internals). */
export function allocationOf(e: HistoryEvent, slots: ReadonlyMap<number, Slot>): Allocation {
  const seq = completedSeq(e);
  const slot = seq === undefined ? undefined : slots.get(seq);
  if (slot === undefined || slot.detail.retry === undefined) return null;
  if (isFailure(e) && slot.kind !== 'timer' && slot.kind !== 'retry-timer') return 'retry-timer';
  const attempt = slot.detail.attempt ?? 1;
  if (
    e.EventType === EventType.TimerFired &&
    slot.kind === 'retry-timer' &&
    attempt < slot.detail.retry.maxNumberOfAttempts
  ) {
    return 'retry-attempt';
  }
  return null;
}

/** Plans the episode's effects from the orchestrator's result. */
export function planEpisode(input: EpisodeInput, result: EpisodeResult): EpisodePlan {
  return new PlanBuilder(input).build(result);
}

class PlanBuilder {
  private nextSeq: number;
  private readonly plan: {
    history: HistoryEvent[];
    newSlots: Slot[];
    closedSeqs: number[];
    timers: { seq: number; fireAt: Date }[];
    cancelledTimers: number[];
    workItems: { seq: number; name: string; input: string | null }[];
    children: ChildStart[];
  };

  constructor(private readonly input: EpisodeInput) {
    this.nextSeq = input.nextSeq;
    const opening = [h.orchestratorStarted(input.now), ...input.batch.map((m) => m.event)];
    this.plan = {
      history: opening,
      newSlots: [],
      closedSeqs: [],
      timers: [],
      cancelledTimers: [],
      workItems: [],
      children: [],
    };
  }

  build(result: EpisodeResult): EpisodePlan {
    const now = this.input.now;
    if (!result.ok)
      return this.finish({ kind: 'failed', message: result.message, customStatus: h.toJson(result.customStatus) }, now);
    const flat = flattenActions(result.actions);
    const unsupported = flat.find((a) => !isSupported(a));
    if (unsupported !== undefined) {
      const message = `the local durable engine does not support action type ${unsupported.actionType}`;
      return this.finish({ kind: 'failed', message, customStatus: h.toJson(result.customStatus) }, now);
    }
    const continued = flat.find((a) => a.actionType === ActionType.ContinueAsNew);
    if (continued !== undefined)
      return this.finish(this.continuation(continued, flat, h.toJson(result.customStatus)), now);
    if (result.isDone) {
      const outcome = {
        kind: 'completed',
        output: h.toJson(result.output),
        customStatus: h.toJson(result.customStatus),
      } as const;
      return this.finish(outcome, now);
    }
    this.allocateForHead();
    this.closeCompleted();
    flat.slice(this.input.actionCount).forEach((action, i) => this.schedule(action, this.input.actionCount + i));
    this.cancelTimers(flat);
    return this.finish({ kind: 'running', customStatus: h.toJson(result.customStatus) }, now, flat.length);
  }

  private finish(outcome: Outcome, now: Date, actionCount = this.input.actionCount): EpisodePlan {
    this.plan.history.push(h.orchestratorCompleted(now));
    if (outcome.kind === 'completed') this.plan.history.push(h.executionCompleted(now, 'Completed', outcome.output));
    if (outcome.kind === 'failed')
      this.plan.history.push(h.executionCompleted(now, 'Failed', h.toJson(outcome.message)));
    return { ...this.plan, nextSeq: this.nextSeq, actionCount, outcome };
  }

  /** Retry internals the replay engine allocates while processing the batch's first message. */
  private allocateForHead(): void {
    const head = this.input.batch[0];
    if (head === undefined) return;
    const allocation = allocationOf(head.event, this.input.slots);
    const slot = this.input.slots.get(completedSeq(head.event) ?? -1);
    if (allocation === null || slot === undefined || slot.detail.retry === undefined) return;
    const attempt = slot.detail.attempt ?? 1;
    const seq = this.nextSeq++;
    if (allocation === 'retry-timer') {
      // After the last attempt the replay engine still waits for this timer before it surfaces the error.
      const exhausted = attempt >= slot.detail.retry.maxNumberOfAttempts;
      const fireAt = new Date(this.input.now.getTime() + (exhausted ? 0 : retryDelayMs(slot.detail.retry, attempt)));
      this.plan.history.push(h.timerCreated(this.input.now, seq, fireAt));
      this.plan.timers.push({ seq, fireAt });
      this.plan.newSlots.push({ seq, kind: 'retry-timer', actionIndex: null, detail: slot.detail });
    } else {
      this.scheduleWork(seq, { ...slot.detail, attempt: attempt + 1 }, null);
    }
  }

  private closeCompleted(): void {
    for (const m of this.input.batch) {
      const seq = completedSeq(m.event);
      if (seq !== undefined && this.input.slots.has(seq)) this.plan.closedSeqs.push(seq);
    }
  }

  private schedule(action: RawAction, actionIndex: number): void {
    if (!takesSequenceNumber(action)) return;
    const seq = this.nextSeq++;
    const retry = action.retryOptions;
    const name = action.functionName ?? '';
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const work = { kind: 'activity', name, input: h.toJson(decodeProcessedInput(action.input)) } as const;
        return this.scheduleWork(seq, retry === undefined ? { work } : { work, retry, attempt: 1 }, actionIndex);
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const childInstanceId = action.instanceId ?? `${this.input.instanceId}:${seq}`;
        const work = { kind: 'suborchestration', name, input: h.toJson(action.input), childInstanceId } as const;
        return this.scheduleWork(seq, retry === undefined ? { work } : { work, retry, attempt: 1 }, actionIndex);
      }
      case ActionType.CreateTimer:
        return this.scheduleTimer(seq, action, actionIndex);
    }
  }

  private scheduleTimer(seq: number, action: RawAction, actionIndex: number): void {
    const fireAt = new Date(action.fireAt ?? this.input.now.toISOString());
    this.plan.history.push(h.timerCreated(this.input.now, seq, fireAt));
    if (action.isCanceled === true) return; // created and cancelled within one episode: never fires
    this.plan.timers.push({ seq, fireAt });
    this.plan.newSlots.push({ seq, kind: 'timer', actionIndex, detail: {} });
  }

  private scheduleWork(seq: number, detail: SlotDetail, actionIndex: number | null): void {
    const work = detail.work;
    if (work === undefined) return;
    const now = this.input.now;
    if (work.kind === 'activity') {
      this.plan.history.push(h.taskScheduled(now, seq, work.name, work.input));
      this.plan.workItems.push({ seq, name: work.name, input: work.input });
    } else {
      const instanceId = work.childInstanceId ?? `${this.input.instanceId}:${seq}`;
      this.plan.history.push(h.subOrchestrationCreated(now, seq, work.name, instanceId, work.input));
      this.plan.children.push({ seq, instanceId, name: work.name, input: work.input });
    }
    this.plan.newSlots.push({ seq, kind: work.kind, actionIndex, detail });
  }

  /** Timers whose action the orchestrator has cancelled since they were scheduled (Task.any losers). */
  private cancelTimers(flat: readonly RawAction[]): void {
    for (const slot of this.input.slots.values()) {
      if (slot.kind !== 'timer' || slot.actionIndex === null || this.plan.closedSeqs.includes(slot.seq)) continue;
      if (flat[slot.actionIndex]?.isCanceled === true) {
        this.plan.cancelledTimers.push(slot.seq);
        this.plan.closedSeqs.push(slot.seq);
      }
    }
  }

  /**
   * Continue-as-new: the new input, and the events this execution received but never consumed (each wait
   * consumes the next event of its name), so they are delivered to the next generation instead of lost.
   */
  private continuation(action: RawAction, flat: readonly RawAction[], customStatus: string | null): Outcome {
    const waits = countWaits(flat);
    const seen = new Map<string, number>();
    const carried: HistoryEvent[] = [];
    for (const e of [...this.input.history, ...this.input.batch.map((m) => m.event)]) {
      if (e.EventType !== EventType.EventRaised || typeof e['Name'] !== 'string') continue;
      const n = (seen.get(e['Name']) ?? 0) + 1;
      seen.set(e['Name'], n);
      if (n > (waits.get(e['Name']) ?? 0)) carried.push(e);
    }
    return { kind: 'continued', input: h.toJson(decodeProcessedInput(action.input)), carried, customStatus };
  }
}
