/**
 * Committing an episode's plan in ONE transaction: history, consumed messages, slots, timers, work items,
 * sub-orchestrations and the instance's new state. If the instance moved on meanwhile (terminated, purged,
 * replaced), nothing is written: the episode's result belongs to an execution that no longer runs.
 */
import type { DurableStore, InboxMessage } from './durable-store';
import type { EpisodePlan } from './episode-plan';
import { continueAsNew, endExecution, isActive, startChild } from './executions';
import * as h from './history-events';

export interface EpisodeCommit {
  readonly instanceId: string;
  readonly executionId: string;
  /** Messages taken into this episode. */
  readonly consumed: readonly InboxMessage[];
  /** Messages of earlier executions, dropped unprocessed. */
  readonly stale: readonly InboxMessage[];
  readonly plan: EpisodePlan;
  readonly now: Date;
}

/** Applies the plan; false when the execution no longer runs (nothing written). */
export function commitEpisode(store: DurableStore, commit: EpisodeCommit): boolean {
  return store.transaction(() => {
    const instance = store.getInstance(commit.instanceId);
    if (instance === undefined || instance.executionId !== commit.executionId || !isActive(instance.status))
      return false;
    store.deleteMessages([...commit.consumed, ...commit.stale].map((m) => m.id));
    const { plan, now } = commit;
    const outcome = plan.outcome;
    if (outcome.kind === 'completed' || outcome.kind === 'failed') {
      const output = outcome.kind === 'completed' ? outcome.output : h.toJson(outcome.message);
      const status = outcome.kind === 'completed' ? 'Completed' : 'Failed';
      endExecution(store, instance, { status, output, customStatus: outcome.customStatus, history: plan.history }, now);
      return true;
    }
    if (outcome.kind === 'continued') {
      continueAsNew(store, instance, outcome.input, outcome.carried, outcome.customStatus, now);
      return true;
    }
    store.appendHistory(instance.instanceId, plan.history);
    applyScheduling(store, commit);
    store.putInstance({
      ...instance,
      status: 'Running',
      customStatus: outcome.customStatus,
      updatedAt: now.toISOString(),
      nextSeq: plan.nextSeq,
      actionCount: plan.actionCount,
    });
    return true;
  });
}

function applyScheduling(store: DurableStore, { instanceId, executionId, plan, now }: EpisodeCommit): void {
  for (const seq of plan.closedSeqs) store.deleteSlot(instanceId, executionId, seq);
  for (const seq of plan.cancelledTimers) store.cancelTimer(instanceId, executionId, seq);
  for (const slot of plan.newSlots) store.insertSlot(instanceId, executionId, slot);
  for (const t of plan.timers) store.insertTimer(instanceId, executionId, t.seq, t.fireAt);
  for (const w of plan.workItems) store.insertWorkItem(instanceId, executionId, w.seq, w.name, w.input);
  const parent = store.getInstance(instanceId);
  if (parent === undefined) return;
  for (const child of plan.children) startChild(store, parent, child, now);
}
