import { selectBatch } from '../../../../functions/local-host/durable/episode-runner';
import { planEpisode } from '../../../../functions/local-host/durable/episode-plan';
import type { InboxMessage, InstanceRow, Slot } from '../../../../functions/local-host/durable/durable-store';
import * as h from '../../../../functions/local-host/durable/history-events';

const at = new Date('2025-01-01T00:00:00.000Z');
const retry = { firstRetryIntervalInMilliseconds: 500, maxNumberOfAttempts: 3 };
const work = { kind: 'activity', name: 'a', input: null } as const;
const slots = new Map<number, Slot>([
  [0, { seq: 0, kind: 'activity', actionIndex: 0, detail: { work, retry, attempt: 1 } }],
  [1, { seq: 1, kind: 'activity', actionIndex: 1, detail: { work, retry, attempt: 1 } }],
  [2, { seq: 2, kind: 'activity', actionIndex: 2, detail: { work } }],
]);
const instance = { instanceId: 'i', executionId: 'e1', nextSeq: 3, actionCount: 3 } as InstanceRow;
const failure = { ErrorType: 'Error', ErrorMessage: 'x' };
const msg = (id: number, event: h.HistoryEvent, executionId: string | null = 'e1'): InboxMessage => ({
  id,
  instanceId: 'i',
  executionId,
  event,
});

describe('episode batches and sequence numbers', () => {
  it('lets only the first message of a batch allocate retry internals, and drops other executions’ messages', () => {
    const inbox = [
      msg(1, h.taskFailed(at, 0, failure)),
      msg(2, h.taskCompleted(at, 2, '1')),
      msg(3, h.taskFailed(at, 1, failure)),
      msg(4, h.taskCompleted(at, 9, '1'), 'old'),
    ];
    const { batch, stale } = selectBatch(inbox, instance, slots, true);
    expect(batch.map((m) => m.id)).toEqual([1, 2]);
    expect(stale.map((m) => m.id)).toEqual([4]);
    const next = selectBatch(inbox.slice(2, 3), instance, slots, true);
    expect(next.batch.map((m) => m.id)).toEqual([3]);
  });

  it('numbers the retry timer of the first message before the episode’s new actions', () => {
    const input = {
      instanceId: 'i',
      nextSeq: 3,
      actionCount: 3,
      history: [],
      batch: [msg(1, h.taskFailed(at, 0, failure))],
      slots,
      now: at,
    };
    const actions = [
      [{ actionType: 1 }, { actionType: 1 }, { actionType: 0 }, { actionType: 0, functionName: 'b', input: '"q"' }],
    ];
    const plan = planEpisode(input, { ok: true, isDone: false, actions, output: undefined, customStatus: undefined });
    expect(plan.timers).toEqual([{ seq: 3, fireAt: new Date(at.getTime() + 500) }]);
    expect(plan.workItems).toEqual([{ seq: 4, name: 'b', input: '"q"' }]);
    expect(plan.nextSeq).toBe(5);
    expect(plan.actionCount).toBe(4);
  });
});
