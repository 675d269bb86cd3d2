import type { OrchestrationContext, Task } from 'durable-functions';
import { eventTypes, eventsOf, TestInvoker } from './test-invoker';
import { DAY, harness, HOUR, T0, type Harness } from './harness';

describe('SqliteDurableEngine: timers and events', () => {
  let h: Harness;
  afterEach(async () => h.engine.stop());

  it('fires a 90-day timer once, when the clock reaches it and not before', async () => {
    const invoker = new TestInvoker().orchestration('sleeper', function* (ctx: OrchestrationContext) {
      yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + 90 * DAY));
      return ctx.df.currentUtcDateTime.toISOString();
    });
    h = harness(invoker);
    await h.engine.startNew('sleeper', 's1', null);
    await h.engine.whenIdle();
    const fireAt = new Date(T0.getTime() + 90 * DAY);
    expect(await h.engine.nextTimerDue()).toEqual(fireAt);
    h.clock.advance(90 * DAY - 1);
    await h.engine.whenIdle();
    expect((await h.engine.getStatus('s1'))?.runtimeStatus).toBe('Running');
    h.clock.advance(1);
    await h.engine.whenIdle();
    h.clock.advance(30 * DAY);
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('s1', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: fireAt.toISOString() });
    expect(eventsOf(status?.history, 'TimerFired')).toEqual([
      expect.objectContaining({ TimerId: 0, FireAt: fireAt.toISOString() }),
    ]);
    expect(await h.engine.nextTimerDue()).toBeNull();
  });

  const race = function* (ctx: OrchestrationContext) {
    const deadline = ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + 72 * HOUR));
    const approval = ctx.df.waitForExternalEvent('Approval');
    const winner = (yield ctx.df.Task.any([approval, deadline])) as Task;
    if (winner !== approval) return 'timed out';
    deadline.cancel();
    ctx.df.setCustomStatus('approved, waiting for Done');
    yield ctx.df.waitForExternalEvent('Done');
    return { approval: approval.result };
  };

  it('Task.any: the event wins, the cancelled timer never fires later', async () => {
    h = harness(new TestInvoker().orchestration('race', race));
    await h.engine.startNew('race', 'a1', null);
    await h.engine.whenIdle();
    expect(await h.engine.raiseEvent('a1', 'Approval', { ok: true })).toBe('raised');
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('a1')).toMatchObject({
      runtimeStatus: 'Running',
      customStatus: 'approved, waiting for Done',
    });
    expect(await h.engine.nextTimerDue()).toBeNull();
    h.clock.advance(100 * HOUR);
    await h.engine.whenIdle();
    await h.engine.raiseEvent('a1', 'Done', null);
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('a1', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { approval: { ok: true } } });
    expect(eventTypes(status?.history)).not.toContain('TimerFired');
  });

  it('Task.any: the timer wins; a later event finds the instance gone', async () => {
    h = harness(new TestInvoker().orchestration('race', race));
    await h.engine.startNew('race', 'a2', null);
    await h.engine.whenIdle();
    h.clock.advance(72 * HOUR);
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('a2')).toMatchObject({ runtimeStatus: 'Completed', output: 'timed out' });
    expect(await h.engine.raiseEvent('a2', 'Approval', { ok: true })).toBe('gone');
    expect(await h.engine.raiseEvent('nobody', 'Approval', {})).toBe('not-found');
  });

  it('delivers events raised before the orchestrator waits for them, in order, by name', async () => {
    const invoker = new TestInvoker()
      .orchestration('late-waiter', function* (ctx: OrchestrationContext) {
        yield ctx.df.callActivity('slow');
        const first = (yield ctx.df.waitForExternalEvent('Go')) as unknown;
        const other = (yield ctx.df.waitForExternalEvent('Other')) as unknown;
        const second = (yield ctx.df.waitForExternalEvent('Go')) as unknown;
        return [first, other, second];
      })
      .activity('slow', async () => 'done');
    h = harness(invoker);
    await h.engine.startNew('late-waiter', 'w1', null);
    await h.engine.raiseEvent('w1', 'Go', 1);
    await h.engine.raiseEvent('w1', 'Go', 2);
    await h.engine.raiseEvent('w1', 'Other', 'x');
    await h.engine.whenIdle();
    expect(await h.engine.getStatus('w1')).toMatchObject({ runtimeStatus: 'Completed', output: [1, 'x', 2] });
  });

  it('Task.all fans out and collects the results in order', async () => {
    const invoker = new TestInvoker()
      .orchestration('fan', function* (ctx: OrchestrationContext) {
        const ids = ctx.df.getInput() as string[];
        return yield ctx.df.Task.all(ids.map((id) => ctx.df.callActivity('lookup', id)));
      })
      .activity('lookup', async (id) => `user:${String(id)}`);
    h = harness(invoker);
    await h.engine.startNew('fan', 'fan2', ['a', 'b', 'c']);
    await h.engine.whenIdle();
    const status = await h.engine.getStatus('fan2', { showHistory: true });
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: ['user:a', 'user:b', 'user:c'] });
    expect(eventsOf(status?.history, 'TaskScheduled').map((e) => e['EventId'])).toEqual([0, 1, 2]);
  });

  it('started, fires due timers by itself on the poll interval', async () => {
    const invoker = new TestInvoker().orchestration('nap', function* (ctx: OrchestrationContext) {
      yield ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + HOUR));
      return 'awake';
    });
    h = harness(invoker);
    h.engine.start();
    await h.engine.startNew('nap', 'n1', null);
    await h.engine.whenIdle();
    h.clock.advance(HOUR);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        void h.engine
          .getStatus('n1')
          .then((s) => (s?.runtimeStatus === 'Completed' ? resolve() : setTimeout(check, 20)));
      };
      check();
    });
    expect((await h.engine.getStatus('n1'))?.output).toBe('awake');
  });
});
