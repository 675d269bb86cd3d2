/**
 * Firing durable timers: a timer due at the clock's time becomes a TimerFired message, in the same
 * transaction that removes it, so it fires exactly once even across crashes and restarts.
 */
import type { DurableStore } from './durable-store';
import { isActive } from './executions';
import { timerFired } from './history-events';

/** Turns every timer due at `now` into a TimerFired message; the number fired. */
export function fireDueTimers(store: DurableStore, now: Date): number {
  const due = store.dueTimers(now.getTime());
  if (due.length === 0) return 0;
  return store.transaction(() => {
    let fired = 0;
    for (const t of due) {
      const instance = store.getInstance(t.instanceId);
      store.cancelTimer(t.instanceId, t.executionId, t.seq);
      if (instance === undefined || instance.executionId !== t.executionId || !isActive(instance.status)) continue;
      store.enqueue(t.instanceId, t.executionId, timerFired(now, t.seq, t.fireAt));
      fired++;
    }
    return fired;
  });
}
